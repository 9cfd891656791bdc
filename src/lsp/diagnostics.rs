//! Findings as LSP diagnostics: typed, for code actions (and as the reference the written JSON
//! is tested against), and written straight to JSON for `publishDiagnostics` and for the
//! answers to `textDocument/diagnostic`, one of which follows every keystroke.
//!
//! A long document can have ten thousand findings, and every publish or pulled report carries
//! all of them. Building a `Diagnostic` struct per finding and serializing it costs more than
//! the check, so they are written as JSON text directly: positions with an integer writer, each
//! distinct (rule, severity, message) written once and reused, and each segment's diagnostics
//! kept written from one time to the next ([`PublishCache`]).

use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Diagnostic, DiagnosticSeverity, NumberOrString, Uri};

use super::lsp_range;
use super::output::Body;
use crate::engine::{Finding, Findings, Piece, QuickMap, Rule, Severity};
use crate::position::{Change, LineIndex, Near, PositionEncoding};

/// Where diagnostics link for a rule's documentation.
#[derive(Debug, Clone, Default)]
pub struct DocsLinks {
    /// Each rule's page, as a URL or file URI (made once: diagnostics are made on every check).
    pages: Arc<Vec<(Rule, Uri)>>,
}

impl DocsLinks {
    /// The editor's `initializationOptions.docsUrl` if given, else the `docs/rules` folder of the
    /// source tree scrubs was built from when it is still there.
    pub fn new(configured: Option<&str>) -> DocsLinks {
        let base = configured.map(|b| format!("{}/", b.trim_end_matches('/'))).or_else(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
            dir.is_dir()
                .then(|| Uri::from_file_path(&dir))
                .flatten()
                .map(|u| format!("{}/", u.as_str()))
        });
        let pages = base
            .map(|base| {
                Rule::ALL
                    .iter()
                    .filter_map(|&rule| Some((rule, format!("{base}{}", crate::docs::file_name(rule)).parse().ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        DocsLinks { pages: Arc::new(pages) }
    }

    fn href(&self, rule: Rule) -> Option<&Uri> {
        self.pages.iter().find(|(r, _)| *r == rule).map(|(_, uri)| uri)
    }
}

/// How diagnostics are written for this client.
#[derive(Debug, Clone, Default)]
pub struct Style {
    pub encoding: PositionEncoding,
    /// Rule pages, when the client shows `codeDescription` links.
    pub docs: DocsLinks,
    /// The client shows `relatedInformation` (the details of a combination).
    pub related: bool,
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Engine findings to LSP diagnostics, with ranges in the negotiated encoding, the rule code
/// linked to its page, and the details of a combination as related information.
pub fn to_diagnostics(uri: &Uri, text: &str, findings: &[Finding], style: &Style) -> Vec<Diagnostic> {
    to_diagnostics_in(uri, text, &LineIndex::new(text), findings, style)
}

/// [`to_diagnostics`] with the text's line index made before.
pub fn to_diagnostics_in(
    uri: &Uri,
    text: &str,
    index: &LineIndex,
    findings: &[Finding],
    style: &Style,
) -> Vec<Diagnostic> {
    let range = |span: &std::ops::Range<usize>| lsp_range(text, index, span, style.encoding);
    findings
        .iter()
        .map(|f| {
            let related: Vec<lsp::DiagnosticRelatedInformation> = f
                .related
                .iter()
                .filter(|_| style.related)
                .map(|(span, what)| lsp::DiagnosticRelatedInformation {
                    location: lsp::Location {
                        uri: uri.clone(),
                        range: range(span),
                    },
                    message: what.to_string(),
                })
                .collect();
            Diagnostic {
                range: range(&f.span),
                severity: Some(severity(f.severity)),
                code: Some(NumberOrString::String(f.rule.code().to_string())),
                code_description: style
                    .docs
                    .href(f.rule)
                    .map(|href| lsp::CodeDescription { href: href.clone() }),
                source: Some("scrubs".to_string()),
                message: f.message.to_string(),
                related_information: (!related.is_empty()).then_some(related),
                ..Diagnostic::default()
            }
        })
        .collect()
}

/// Appends `s` as a JSON string.
fn push_string(out: &mut String, s: &str) {
    // Only quotes, backslashes and control characters are escaped: most strings (the details of
    // a combination, written for each at every publish) have none and are copied as they are.
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    // serde_json escapes exactly as JSON requires; writing into a String cannot fail.
    if let Ok(quoted) = serde_json::to_string(s) {
        out.push_str(&quoted);
    }
}

/// Appends a number without the formatting machinery.
fn push_number(out: &mut String, n: u32) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Where the line numbers of the positions being written go.
enum Lines<'a> {
    /// Into the text, as they are.
    Written,
    /// Left out of the text and noted with where they belong, to be written later with the line
    /// the text's segment starts on added ([`Template`]).
    Holes(&'a mut Vec<(usize, u32)>),
}

impl Lines<'_> {
    fn put(&mut self, out: &mut String, line: u32) {
        match self {
            Lines::Written => push_number(out, line),
            Lines::Holes(holes) => holes.push((out.len(), line)),
        }
    }
}

/// Appends an LSP range. `hint` is where the previous position was, so that positions taken
/// in text order need no search.
fn push_range(
    out: &mut String,
    at: (&str, &LineIndex),
    span: &std::ops::Range<usize>,
    style: &Style,
    hint: &mut Near,
    lines: &mut Lines<'_>,
) {
    let (text, index) = at;
    let (start, end) = index.range_near(text, (span.start, span.end), style.encoding, hint);
    out.push_str(r#"{"start":{"line":"#);
    lines.put(out, start.line);
    out.push_str(r#","character":"#);
    push_number(out, start.col);
    out.push_str(r#"},"end":{"line":"#);
    lines.put(out, end.line);
    out.push_str(r#","character":"#);
    push_number(out, end.col);
    out.push_str("}}");
}

/// What follows the range of a diagnostic: severity, code, link, source and message.
fn tail(finding: &Finding, style: &Style) -> String {
    let mut tail = String::with_capacity(finding.message.len() + 160);
    tail.push_str(r#","severity":"#);
    push_number(
        &mut tail,
        match finding.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 3,
            Severity::Hint => 4,
        },
    );
    tail.push_str(r#","code":"#);
    push_string(&mut tail, finding.rule.code());
    if let Some(href) = style.docs.href(finding.rule) {
        tail.push_str(r#","codeDescription":{"href":"#);
        push_string(&mut tail, href.as_str());
        tail.push('}');
    }
    tail.push_str(r#","source":"scrubs","message":"#);
    push_string(&mut tail, &finding.message);
    tail
}

/// The tails of messages made for one finding, by message, then by rule and severity.
type MadeTails = QuickMap<Box<str>, Vec<((Rule, Severity), String)>>;

/// Writes diagnostics as JSON: the tail of each distinct rule, severity and message is written
/// once. Most messages are the same text for every finding of a rule, so this list stays short;
/// a message made for one finding (a label's suggested wording, a photo's telling file name) is
/// looked up by its text.
struct Writer<'a> {
    style: &'a Style,
    uri_json: String,
    tails: Vec<((Rule, Severity, usize, usize), String)>,
    /// The same for messages made for one finding (a label's suggested wording, a photo's file
    /// name), by their text: few distinct ones, the same from one keystroke to the next.
    made: MadeTails,
}

impl<'a> Writer<'a> {
    fn new(uri: &Uri, style: &'a Style) -> Writer<'a> {
        let mut uri_json = String::new();
        push_string(&mut uri_json, uri.as_str());
        Writer {
            style,
            uri_json,
            tails: Vec::new(),
            made: MadeTails::default(),
        }
    }

    /// One diagnostic, followed by a comma.
    fn diagnostic(
        &mut self,
        out: &mut String,
        at: (&str, &LineIndex),
        finding: &Finding,
        hint: &mut Near,
        lines: &mut Lines<'_>,
    ) {
        let style = self.style;
        out.push_str(r#"{"range":"#);
        push_range(out, at, &finding.span, style, hint, lines);
        match &finding.message {
            std::borrow::Cow::Borrowed(message) => {
                let key = (finding.rule, finding.severity, message.as_ptr() as usize, message.len());
                match self.tails.iter().find(|(k, _)| *k == key) {
                    Some((_, tail)) => out.push_str(tail),
                    None => {
                        let written = tail(finding, style);
                        out.push_str(&written);
                        self.tails.push((key, written));
                    }
                }
            }
            std::borrow::Cow::Owned(message) => {
                // Looked up by the message first, without copying it.
                let key = (finding.rule, finding.severity);
                let tails = match self.made.get_mut(message.as_str()) {
                    Some(tails) => tails,
                    None => {
                        if self.made.len() > 4096 {
                            self.made.clear();
                        }
                        self.made.entry(message.as_str().into()).or_default()
                    }
                };
                match tails.iter().find(|(k, _)| *k == key) {
                    Some((_, tail)) => out.push_str(tail),
                    None => {
                        let written = tail(finding, style);
                        out.push_str(&written);
                        tails.push((key, written));
                    }
                }
            }
        }
        if style.related && !finding.related.is_empty() {
            let mut related_hint = *hint;
            out.push_str(r#","relatedInformation":["#);
            for (j, (span, what)) in finding.related.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(r#"{"location":{"uri":"#);
                out.push_str(&self.uri_json);
                out.push_str(r#","range":"#);
                push_range(out, at, span, style, &mut related_hint, lines);
                out.push_str(r#"},"message":"#);
                push_string(out, what);
                out.push('}');
            }
            out.push(']');
        }
        out.push_str("},");
    }

    /// The end of the parameters, after the diagnostics, their last comma dropped.
    fn finish(&self, out: &mut String, version: i32) {
        out.push_str(r#"],"uri":"#);
        out.push_str(&self.uri_json);
        out.push_str(r#","version":"#);
        out.push_str(&version.to_string());
        out.push('}');
    }
}

/// The parameters of `textDocument/publishDiagnostics` for these findings, as JSON text: the
/// same content [`to_diagnostics`] gives, written without building the structs.
pub fn publish_params(uri: &Uri, version: i32, text: &str, findings: &[Finding], style: &Style) -> String {
    let index = LineIndex::new(text);
    let mut writer = Writer::new(uri, style);
    let mut out = String::with_capacity(64 + findings.len() * 320);
    out.push_str(r#"{"diagnostics":["#);
    let mut hint = Near::default();
    for finding in findings {
        writer.diagnostic(&mut out, (text, &index), finding, &mut hint, &mut Lines::Written);
    }
    if out.ends_with(',') {
        out.pop();
    }
    writer.finish(&mut out, version);
    out
}

/// One segment's diagnostics, written once and reused while the segment's findings are the
/// same: the JSON with its line numbers left out (they are counted from the segment's first
/// line, which moves when lines are added or removed above it) and where they go. Columns need
/// no change: a segment starts at the start of a line. The segments of a very long line that
/// start inside it (see `segment`) have none and are written afresh on every publish.
#[derive(Debug)]
struct Template {
    json: String,
    /// Where a line number goes in `json`, in order, and the line counted within the segment.
    holes: Vec<(usize, u32)>,
    /// Where each diagnostic starts in `json`.
    starts: Vec<usize>,
}

/// The diagnostics written for a document's segments at its last publish, for the next one.
/// Keep one for the document being edited.
#[derive(Debug, Default)]
pub struct PublishCache {
    /// The URI and the style the templates were written for.
    written_for: Option<(String, PositionEncoding, bool, usize)>,
    /// By the address of a run's findings, which are kept so that the address is not reused.
    templates: QuickMap<usize, (Arc<[Finding]>, Arc<Template>)>,
    /// The writer's tails of messages made for one finding.
    made: MadeTails,
    /// Templates with their line numbers written, by the address of the run's findings and the
    /// line its segment starts on: typing that adds or removes no line needs nothing else.
    /// (Segments with the same text share findings, and so a template, at different lines.)
    written: QuickMap<(usize, u32), Written>,
    /// The text last written and its line index, to update for the next text.
    lines: Option<(Arc<str>, LineIndex)>,
    /// How much text the last body had written afresh (not kept), to make room for as much.
    written_len: usize,
    /// The document's own diagnostics (combinations) as last written, by their span, each with
    /// the finding it was written for: one that an edit neither changed nor moved to another
    /// place in the editor's lines and columns is written the same again ([`Unmoved`]).
    wholes: KeptWholes,
    /// Their JSON, one after the other (one string rather than one for each).
    wholes_json: String,
    /// How many of them the last publish wrote as they were.
    wholes_kept: usize,
}

/// The combinations as last written, by their span: each finding with where its JSON is in
/// [`PublishCache::wholes_json`].
type KeptWholes = QuickMap<(usize, usize), Vec<(Finding, std::ops::Range<usize>)>>;

/// Which offsets of the text being written have the line and column they had in the text last
/// written, and where they were in it.
#[derive(Debug, Clone, Copy)]
enum Unmoved {
    /// Nothing was written before (or for another document or style).
    Nothing,
    /// The same text: every offset.
    Same,
    /// An edited text: the offsets before the change, and, when it added or removed no line,
    /// those from the line after the change on (`next_line`), moved by its change in length.
    Around {
        change: Change,
        next_line: usize,
        same_lines: bool,
    },
}

impl Unmoved {
    /// Where `at` was in the text last written, if its line and column are the same.
    fn old_offset(self, at: usize) -> Option<usize> {
        match self {
            Unmoved::Nothing => None,
            Unmoved::Same => Some(at),
            Unmoved::Around {
                change,
                next_line,
                same_lines,
            } => {
                if at < change.prefix {
                    Some(at)
                } else if same_lines && at >= next_line {
                    Some(at - change.new_end + change.old_end)
                } else {
                    None
                }
            }
        }
    }

    /// Whether `was`, a finding of the text last written, is `finding` at the same lines and
    /// columns: then it is written the same.
    fn is_same(self, was: &Finding, finding: &Finding) -> bool {
        let moved_from = |span: &std::ops::Range<usize>| Some(self.old_offset(span.start)?..self.old_offset(span.end)?);
        was.rule == finding.rule
            && was.severity == finding.severity
            && was.related.len() == finding.related.len()
            && moved_from(&finding.span).as_ref() == Some(&was.span)
            && was
                .related
                .iter()
                .zip(&finding.related)
                .all(|((old, was_what), (span, what))| was_what == what && moved_from(span).as_ref() == Some(old))
            && was.message == finding.message
    }
}

/// A template with its line numbers written for a segment starting on one line.
#[derive(Debug)]
struct Written {
    /// Shared with the bodies of the messages it was sent in, which may still be being written.
    json: Arc<String>,
    /// Where each diagnostic starts in `json`.
    starts: Vec<usize>,
}

impl Template {
    /// The JSON for a segment that starts on line `base`.
    fn write(&self, base: u32) -> Written {
        // Room for every line number as wide as the widest: the string is never grown (and
        // copied) while written, as it was when lines past 9,999 had a fifth digit.
        let last_line = self.holes.iter().map(|&(_, line)| line).max().unwrap_or(0);
        let widest = itoa::Buffer::new().format(base.saturating_add(last_line)).len();
        let mut json = String::with_capacity(self.json.len() + widest * self.holes.len());
        let mut starts = Vec::with_capacity(self.starts.len());
        let mut number = itoa::Buffer::new();
        let mut at = 0;
        let mut holes = self.holes.iter().peekable();
        // Diagnostic by diagnostic, to note where each starts once its numbers are written.
        let last = (!self.starts.is_empty()).then_some(self.json.len());
        for end in self.starts.iter().skip(1).copied().chain(last) {
            starts.push(json.len());
            while let Some(&(pos, line)) = holes.next_if(|&&(pos, _)| pos < end) {
                json.push_str(&self.json[at..pos]);
                json.push_str(number.format(base + line));
                at = pos;
            }
            json.push_str(&self.json[at..end]);
            at = end;
        }
        Written {
            json: Arc::new(json),
            starts,
        }
    }
}

/// The whole `textDocument/publishDiagnostics` notification (its JSON-RPC body) for a cached
/// check's findings, writing only the diagnostics of segments not written at the last publish
/// (with `cache`) and copying the rest. The same diagnostics, in the same order, as
/// [`publish_params`] writes for [`Findings::to_vec`]. The kept diagnostics are shared, not
/// copied, with the body.
pub fn publish_notification(
    uri: &Uri,
    version: i32,
    text: &Arc<str>,
    findings: &Findings,
    style: &Style,
    cache: &mut PublishCache,
) -> Body {
    let head = r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":["#;
    let (mut out, writer) = diagnostics_after(head, uri, text, findings, style, cache);
    out.drop_last_comma();
    writer.finish(out.end(), version);
    out.end().push('}');
    out
}

/// The whole answer (its JSON-RPC body) to a `textDocument/diagnostic` request whose `id` is
/// given as JSON: a full report of the findings, written as [`publish_notification`] writes
/// them (with the same `cache`), tagged `result_id`. The same content the LSP types give for a
/// `FullDocumentDiagnosticReport` of [`to_diagnostics`].
pub fn pulled_report(
    id: &str,
    result_id: u64,
    uri: &Uri,
    text: &Arc<str>,
    findings: &Findings,
    style: &Style,
    cache: &mut PublishCache,
) -> Body {
    let head = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{{"kind":"full","resultId":"{result_id}","items":["#);
    let (mut out, _) = diagnostics_after(&head, uri, text, findings, style, cache);
    out.drop_last_comma();
    out.end().push_str("]}}");
    out
}

/// The answer to a `textDocument/diagnostic` request whose `id` is given as JSON, when the
/// editor already has the report tagged `result_id`.
pub fn unchanged_report(id: &str, result_id: u64) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{{"kind":"unchanged","resultId":"{result_id}"}}}}"#)
}

/// `head`, then every diagnostic followed by a comma, written with `cache` (see
/// [`publish_notification`]); and the writer, to finish with.
fn diagnostics_after<'a>(
    head: &str,
    uri: &Uri,
    shared: &Arc<str>,
    findings: &Findings,
    style: &'a Style,
    cache: &mut PublishCache,
) -> (Body, Writer<'a>) {
    let written_for = Some((
        uri.as_str().to_string(),
        style.encoding,
        style.related,
        Arc::as_ptr(&style.docs.pages) as usize,
    ));
    if cache.written_for != written_for {
        cache.templates.clear();
        cache.written.clear();
        cache.made.clear();
        cache.wholes.clear();
        cache.wholes_json.clear();
        cache.written_for = written_for;
    }
    // The line index of the text last written, brought up to date around the edit.
    let text: &str = shared;
    let (index, unmoved) = match cache.lines.take() {
        Some((old, index)) if Arc::ptr_eq(&old, shared) => (index, Unmoved::Same),
        Some((old, index)) => {
            let change = Change::between(&old, text);
            let old_lines = index.line_count();
            let index = index.edited_at(text, change);
            let (line, _) = index.line_of(text, change.new_end);
            let unmoved = Unmoved::Around {
                change,
                next_line: index.line_start(line + 1).unwrap_or(usize::MAX),
                same_lines: index.line_count() == old_lines,
            };
            (index, unmoved)
        }
        None => (LineIndex::new(text), Unmoved::Nothing),
    };
    let mut previous_wholes = std::mem::take(&mut cache.wholes);
    let previous_json = std::mem::take(&mut cache.wholes_json);
    cache.wholes_json.reserve(previous_json.len());
    cache.wholes_kept = 0;
    let mut writer = Writer::new(uri, style);
    writer.made = std::mem::take(&mut cache.made);
    // Taken, leaving room for as many again.
    let (templates, written) = (cache.templates.len(), cache.written.len());
    let previous = std::mem::replace(
        &mut cache.templates,
        QuickMap::with_capacity_and_hasher(templates, Default::default()),
    );
    let mut previous_written = std::mem::replace(
        &mut cache.written,
        QuickMap::with_capacity_and_hasher(written, Default::default()),
    );
    let mut out = Body::with_capacity(head.len() + 64 + cache.written_len + cache.written_len / 8);
    out.end().push_str(head);
    let mut hint = Near::default();
    for piece in findings.pieces() {
        match piece {
            Piece::Whole(finding) => {
                let was = unmoved
                    .old_offset(finding.span.start)
                    .zip(unmoved.old_offset(finding.span.end));
                let kept = was
                    .and_then(|(start, end)| previous_wholes.get_mut(&(start, end)))
                    .and_then(|list| {
                        let i = list.iter().position(|(was, _)| unmoved.is_same(was, finding))?;
                        Some(list.swap_remove(i))
                    });
                let at = cache.wholes_json.len();
                let mut was = match kept {
                    Some((was, json)) => {
                        cache.wholes_kept += 1;
                        let json = &previous_json[json];
                        out.end().push_str(json);
                        cache.wholes_json.push_str(json);
                        was
                    }
                    None => {
                        let from = out.end().len();
                        writer.diagnostic(out.end(), (text, &index), finding, &mut hint, &mut Lines::Written);
                        cache.wholes_json.push_str(&out.end()[from..]);
                        finding.clone()
                    }
                };
                let json = at..cache.wholes_json.len();
                // Kept with this text's offsets, for the next one.
                was.span.clone_from(&finding.span);
                for ((old, _), (span, _)) in was.related.iter_mut().zip(&finding.related) {
                    old.clone_from(span);
                }
                let key = (finding.span.start, finding.span.end);
                cache.wholes.entry(key).or_default().push((was, json));
            }
            Piece::Run { run, range } => {
                let address = run.findings.as_ptr() as usize;
                // A template counts columns from its segment's start, which is a line's start
                // except inside a very long line (see `segment`).
                let starts_a_line = run.offset == 0 || text.as_bytes().get(run.offset - 1) == Some(&b'\n');
                let template = if !starts_a_line {
                    None
                } else if let Some((_, template)) = previous.get(&address).or_else(|| cache.templates.get(&address)) {
                    Some(Arc::clone(template))
                } else {
                    // The segment ends where the next run starts (runs cover the text in order).
                    let runs = findings.runs();
                    let next = runs.get(runs.partition_point(|r| r.offset <= run.offset));
                    let end = next.map_or(text.len(), |r| r.offset);
                    template(&mut writer, text.get(run.offset..end), &run.findings).map(Arc::new)
                };
                let Some(template) = template else {
                    // Spans outside the segment, or a segment starting inside a line: written
                    // as they are, every time.
                    for finding in &run.findings[range] {
                        let finding = finding.shifted(run.offset);
                        writer.diagnostic(out.end(), (text, &index), &finding, &mut hint, &mut Lines::Written);
                    }
                    continue;
                };
                cache
                    .templates
                    .insert(address, (Arc::clone(&run.findings), Arc::clone(&template)));
                let base = index.line_of(text, run.offset).0 as u32;
                let written = match previous_written.remove(&(address, base)) {
                    Some(written) => cache.written.entry((address, base)).or_insert(written),
                    None => cache
                        .written
                        .entry((address, base))
                        .or_insert_with(|| template.write(base)),
                };
                let from = written.starts[range.start];
                let to = written.starts.get(range.end).copied().unwrap_or(written.json.len());
                out.keep(&written.json, from..to);
            }
        }
    }
    cache.made = std::mem::take(&mut writer.made);
    cache.lines = Some((Arc::clone(shared), index));
    cache.written_len = out.written_len();
    (out, writer)
}

/// A run's template, or `None` when a span lies outside its segment's `text`.
fn template(writer: &mut Writer<'_>, text: Option<&str>, findings: &[Finding]) -> Option<Template> {
    let text = text?;
    let inside = |span: &std::ops::Range<usize>| span.end <= text.len() && span.start <= span.end;
    if !findings
        .iter()
        .all(|f| inside(&f.span) && f.related.iter().all(|(span, _)| inside(span)))
    {
        return None;
    }
    let index = LineIndex::new(text);
    let mut template = Template {
        json: String::with_capacity(findings.len() * 320),
        holes: Vec::with_capacity(findings.len() * 2),
        starts: Vec::with_capacity(findings.len()),
    };
    let mut hint = Near::default();
    for finding in findings {
        template.starts.push(template.json.len());
        writer.diagnostic(
            &mut template.json,
            (text, &index),
            finding,
            &mut hint,
            &mut Lines::Holes(&mut template.holes),
        );
    }
    Some(template)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Checker, Format};

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let strings = [
            "", "a place", "\"quoted\"", "back\\slash", "tab\there", "line\nend", "\r", "\u{0}\u{1f}", "\u{7f} del",
            "Día 🙂", "\u{2028}\u{2029}", "ends with \\",
        ];
        for s in strings {
            let mut out = String::from("x");
            push_string(&mut out, s);
            assert_eq!(out, format!("x{}", serde_json::to_string(s).unwrap()), "{s:?}");
        }
    }

    #[test]
    fn written_json_is_the_typed_diagnostics() {
        // Then one long line of findings among wide characters: positions are counted on from
        // the last one, and a combination's details point back along the line.
        let text = format!(
            "# Día 🙂\r\n\r\nMaria Lopez, a 45-year-old from Dayton, was seen on 3/4/2024 after a crash on Route 9 last night. \"Quoted\" \\ text\n\n{}\n",
            "Día 🙂 日本 José Ruiz, 52, of Akron, seen 4/5/2023 after a fall; call 555-123-4567. ".repeat(6)
        );
        let text = text.as_str();
        let findings = Checker::default().check(text, Format::Markdown);
        assert!(findings.len() > 30, "{findings:?}");
        assert!(
            findings.iter().any(|f| !f.related.is_empty()),
            "a combination with related details"
        );
        let uri: Uri = "file:///tmp/a%20b.md".parse().unwrap();
        for style in [
            Style::default(),
            Style {
                encoding: PositionEncoding::Utf8,
                docs: DocsLinks::new(Some("https://example.org/rules")),
                related: true,
            },
        ] {
            let raw = publish_params(&uri, 7, text, &findings, &style);
            let written: serde_json::Value = serde_json::from_str(&raw).unwrap();
            let typed = serde_json::to_value(lsp::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics: to_diagnostics(&uri, text, &findings, &style),
                version: Some(7),
            })
            .unwrap();
            assert_eq!(written, typed);
        }
    }

    /// A pulled report, written from the cache or afresh, is what the LSP types serialize to.
    #[test]
    fn pulled_reports_are_the_typed_reports() {
        use crate::engine::CheckCache;
        let text = "# Día 🙂\r\n\r\nMaria Lopez, a 45-year-old from Dayton, was seen on 3/4/2024 after a crash on Route 9 last night.\n\nLopez again.\n";
        let uri: Uri = "file:///tmp/a%20b.md".parse().unwrap();
        let style = Style {
            encoding: PositionEncoding::Utf16,
            docs: DocsLinks::new(Some("https://example.org/rules")),
            related: true,
        };
        let findings = Checker::default().check_cached(text, Format::Markdown, &mut CheckCache::default());
        assert!(findings.len() > 3, "{} findings", findings.len());
        let mut cache = PublishCache::default();
        for id in [r#"7"#, r#""seven""#] {
            // Twice: the second from the templates the first left.
            for _ in 0..2 {
                let written: serde_json::Value = serde_json::from_str(
                    &pulled_report(id, 12, &uri, &text.into(), &findings, &style, &mut cache).to_text(),
                )
                .unwrap();
                let report = lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
                    lsp::RelatedFullDocumentDiagnosticReport {
                        related_documents: None,
                        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                            result_id: Some("12".into()),
                            items: to_diagnostics(&uri, text, &findings.to_vec(), &style),
                        },
                    },
                ));
                let typed = serde_json::json!({"jsonrpc": "2.0", "id": serde_json::from_str::<serde_json::Value>(id).unwrap(), "result": report});
                assert_eq!(written, typed);
            }
        }
        let unchanged: serde_json::Value = serde_json::from_str(&unchanged_report("3", 12)).unwrap();
        let typed = lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Unchanged(
            lsp::RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id: "12".into() },
            },
        ));
        assert_eq!(
            unchanged,
            serde_json::json!({"jsonrpc": "2.0", "id": 3, "result": typed})
        );
    }

    /// A body whose last diagnostics are kept (shared, not copied) after a combination written
    /// afresh ends as the one written all afresh: the comma dropped is the kept one's, not the
    /// combination's before it.
    #[test]
    fn a_body_ending_in_kept_diagnostics_is_written_whole() {
        use crate::engine::CheckCache;
        let case = "A 45-year-old woman from Dayton was seen on 3/4/2024 after a crash on Route 9 last night.\n\n";
        let many: String = (0..12)
            .map(|i| format!("Call Maria Lopez on 555-271-84{i:02}. "))
            .collect();
        let text = format!("{case}{many}\n");
        let uri: Uri = "file:///tmp/kept.md".parse().unwrap();
        let style = Style {
            encoding: PositionEncoding::Utf16,
            docs: DocsLinks::new(Some("https://example.org/rules")),
            related: true,
        };
        let findings = Checker::default().check_cached(&text, Format::Markdown, &mut CheckCache::default());
        assert!(
            findings.pieces().iter().any(|p| matches!(p, Piece::Whole(_))),
            "a combination"
        );
        let mut cache = PublishCache::default();
        let fresh = publish_params(&uri, 1, &text, &findings.to_vec(), &style);
        for _ in 0..2 {
            let written = publish_notification(&uri, 1, &text.as_str().into(), &findings, &style, &mut cache);
            assert_eq!(
                written.to_text(),
                format!(r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{fresh}}}"#)
            );
            let pulled = pulled_report("1", 2, &uri, &text.as_str().into(), &findings, &style, &mut cache);
            serde_json::from_str::<serde_json::Value>(&pulled.to_text()).expect("the pulled report is JSON");
        }
    }

    /// Publishing from the previous publish's pieces writes what writing everything afresh does,
    /// after edits that move lines, add a name found elsewhere, and add a combination.
    #[test]
    fn notifications_from_cached_pieces_are_those_written_afresh() {
        use crate::engine::CheckCache;
        let case = "Maria Lopez, a 45-year-old from Dayton, was seen on 3/4/2024 after a crash on Route 9 last night.\n\nLater Lopez came back; the 🙂 troponin was normal.\n\n";
        let mut text: String = (0..300).map(|i| format!("## Case {i}\n\n{case}")).collect();
        // Then a line of 60 KB, cut into segments that start inside it (see `segment`), whose
        // columns are counted from the line's start.
        for i in 0..400 {
            text.push_str(&case.replace("\n\n", " ").replace("Route 9", &format!("Route {i}")));
        }
        text.push('\n');
        let uri: Uri = "file:///tmp/long.md".parse().unwrap();
        let style = Style {
            encoding: PositionEncoding::Utf16,
            docs: DocsLinks::new(Some("https://example.org/rules")),
            related: true,
        };
        let checker = Checker::default();
        let mut cache = CheckCache::default();
        let mut published = PublishCache::default();
        // Where to edit, how many bytes to take out there and what to put in. Typing within
        // a line, before and after a combination's details on it, and at the start of a line,
        // keeps the combinations elsewhere; adding or taking out lines moves those after.
        // Places in thousandths of the text.
        let edits = [
            (0, 0, "Seen by Dr. Okafor.\n\n"),
            (800, 0, "\n\nline\n"),
            (400, 0, "Okafor "),
            (1000, 0, "x"),
            (600, 0, "x"),
            (600, 1, ""),
            (610, 0, "y"),
            (620, 3, "z"),
            (700, 1, ""),
            (750, 0, "\r"),
            (750, 0, "\n"),
            (900, 40, ""),
            (960, 0, "x"),
            (980, 2, "\u{1F642}"),
            (970, 0, ". Then"),
        ];
        let mut combinations_kept = 0;
        for (version, (at, remove, insert)) in edits.iter().enumerate() {
            let at = text.len() * at / 1000;
            let at = (at..).find(|&a| text.is_char_boundary(a)).unwrap();
            let end = ((at + remove).min(text.len())..)
                .find(|&a| text.is_char_boundary(a))
                .unwrap();
            let lines_kept = !text[at..end].contains(['\n', '\r']) && !insert.contains(['\n', '\r']);
            text.replace_range(at..end, insert);
            let findings = checker.check_cached(&text, Format::Markdown, &mut cache);
            assert!(findings.len() > 1000, "{} findings", findings.len());
            let inside_a_line = |s: &crate::engine::segment::Segment| text.as_bytes()[s.range.start - 1] != b'\n';
            assert!(
                cache.segments()[1..].iter().any(inside_a_line),
                "a segment starts inside a line"
            );
            let shared = Arc::from(text.as_str());
            let written = publish_notification(&uri, version as i32, &shared, &findings, &style, &mut published);
            let fresh = publish_params(&uri, version as i32, &text, &findings.to_vec(), &style);
            assert_eq!(
                written.to_text(),
                format!(r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{fresh}}}"#),
                "after inserting {insert:?}"
            );
            let combinations = findings
                .pieces()
                .iter()
                .filter(|p| matches!(p, Piece::Whole(_)))
                .count();
            assert!(combinations >= 300, "{combinations} combinations");
            if lines_kept && version > 0 {
                // Within a line: all but those of the line typed in are written as they were.
                assert!(
                    published.wholes_kept + 2 >= combinations,
                    "{} of {combinations} kept after {insert:?}",
                    published.wholes_kept
                );
            }
            combinations_kept += published.wholes_kept;
        }
        assert!(combinations_kept > 0);
    }
}
