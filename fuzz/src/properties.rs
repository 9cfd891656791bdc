//! The properties the fuzz targets and `tests/fuzz_properties.rs` both check, stated once.
//!
//! Each check returns `Err` with a description of the first violation, so a fuzz target can
//! panic with it and a proptest can fail with it. The fuzz crate compiles this file as a module
//! of its library; the test includes it with `#[path]`, so it uses nothing but `scrubs` and std.
//!
//! The edit model is deliberately simple and separate from `src/position.rs`: a `String`, lines
//! found by walking its characters, columns counted character by character. It follows the
//! behaviour `src/position.rs` documents: lines end at `\n`, `\r\n` or a lone `\r`; a column past
//! the end of a line lands at the line's end (before its line ending); a line past the end of the
//! document lands at the document's end; a column inside a character (half a surrogate pair, a
//! byte in the middle of a UTF-8 sequence) moves back to that character's start.

use std::ops::Range;

use scrubs::engine::fix::apply;
use scrubs::engine::{fix_all, CheckCache, Checker, Edit, FixContext, Format, NameStyle, Options, Scope};
use scrubs::lsp::{publish_notification, publish_params, PublishCache, Style, Uri};
use scrubs::lsp::{Change, ChangeError, ChangeReport, DocumentStore};
use scrubs::position::{LineCol, PositionEncoding};

/// Text pieces that are awkward for positions and for the detectors: every line ending, characters
/// of each UTF-8 length and both UTF-16 lengths, combining marks, characters that other
/// definitions treat as line breaks (but LSP does not), markup, and bits of identifiers.
pub const PIECES: &[&str] = &[
    "\n", "\r", "\r\n", "\n\r", "\r\r\n", "\t", " ", "a", "Z", "é", "e\u{301}", "中", "🙂", "👩‍⚕️", "𝄞", "\u{2028}",
    "\u{85}", "\u{b}", "\u{c}", "\u{feff}", "\u{0}", "\u{fffd}", "ǅ", "İ", "ß", "Maria Lopez", "Mr. ", "Dr. ",
    "45-year-old", " yo F", "on March 3, 2024", "3/4", "(555) 201-4477", "a@b.org", "MRN 4455667", "in Dayton",
    " Road", "**", "_", "`", "```\n", "---\n", "# ", "- ", "> ", "<!-- ", " -->", "[", "](", ")", "![", "<", ">",
    "https://x.org/", "@handle", "she", "his wife", "lol", "addict", "scrubs-ignore-line", "scrubs-disable",
];

/// One LSP `contentChanges` entry.
#[derive(Debug, Clone)]
pub enum ChangeSpec {
    /// Replace the text between two positions (which may be out of range or inverted).
    Range { start: LineCol, end: LineCol, text: String },
    /// Replace the whole document.
    Full(String),
}

/// One `didChange`: a version and its changes, applied in order.
#[derive(Debug, Clone)]
pub struct Batch {
    pub version: i32,
    pub changes: Vec<ChangeSpec>,
}

/// A document opened with `initial` and edited by `batches`, positions counted in `encoding`.
#[derive(Debug, Clone)]
pub struct EditSession {
    pub initial: String,
    pub encoding: PositionEncoding,
    pub batches: Vec<Batch>,
}

/// Where each line's content starts and ends (the end is before its line ending).
fn model_lines(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(start..i);
                start = i + 1;
            }
            b'\r' => {
                lines.push(start..i);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(start..text.len());
    lines
}

/// How many columns `c` takes in `encoding`.
fn model_width(c: char, encoding: PositionEncoding) -> u64 {
    match encoding {
        PositionEncoding::Utf8 => c.len_utf8() as u64,
        PositionEncoding::Utf16 => c.len_utf16() as u64,
        PositionEncoding::Utf32 => 1,
    }
}

/// The byte offset a position stands for, and whether it was exact (not moved).
pub fn model_offset(text: &str, pos: LineCol, encoding: PositionEncoding) -> (usize, bool) {
    let lines = model_lines(text);
    let Some(line) = lines.get(pos.line as usize) else {
        return (text.len(), false);
    };
    let wanted = u64::from(pos.col);
    let mut col = 0u64;
    for (at, c) in text[line.clone()].char_indices() {
        if col == wanted {
            return (line.start + at, true);
        }
        col += model_width(c, encoding);
        if col > wanted {
            return (line.start + at, false);
        }
    }
    (line.end, col == wanted)
}

/// Applies the changes of one batch to the model as `documents.rs` documents it: in order, an
/// inverted range stops the batch (keeping what came before it).
fn model_apply(text: &mut String, batch: &Batch, encoding: PositionEncoding) -> Result<usize, ChangeError> {
    let mut clamped = 0;
    for change in &batch.changes {
        match change {
            ChangeSpec::Full(new) => *text = new.clone(),
            ChangeSpec::Range {
                start,
                end,
                text: inserted,
            } => {
                if (end.line, end.col) < (start.line, start.col) {
                    return Err(ChangeError::InvertedRange {
                        start: *start,
                        end: *end,
                    });
                }
                let (from, from_exact) = model_offset(text, *start, encoding);
                let (to, to_exact) = model_offset(text, *end, encoding);
                if !from_exact || !to_exact {
                    clamped += 1;
                }
                if to < from {
                    // Cannot happen for a range that is not inverted: clamping keeps order.
                    return Err(ChangeError::InvertedRange {
                        start: *start,
                        end: *end,
                    });
                }
                text.replace_range(from..to, inserted);
            }
        }
    }
    Ok(clamped)
}

/// Runs an edit session on `DocumentStore` and on the model; their texts must agree after every
/// batch, and so must what the store reports (clamped changes, versions, inverted ranges).
pub fn check_edits(session: &EditSession) -> Result<(), String> {
    const URI: &str = "file:///fuzz.md";
    let mut store = DocumentStore::default();
    store.open(URI, &session.initial, 0, Format::Markdown);
    let mut model = session.initial.clone();
    let mut version = 0;
    for (number, batch) in session.batches.iter().enumerate() {
        let changes: Vec<Change<'_>> = batch
            .changes
            .iter()
            .map(|c| match c {
                ChangeSpec::Range { start, end, text } => Change {
                    range: Some((*start, *end)),
                    text,
                },
                ChangeSpec::Full(text) => Change { range: None, text },
            })
            .collect();
        let before = model.clone();
        let expected = model_apply(&mut model, batch, session.encoding).map(|clamped| ChangeReport {
            clamped,
            version_went_back: batch.version <= version,
        });
        let got = store.change(URI, batch.version, &changes, session.encoding);
        if got != expected {
            return Err(format!(
                "batch {number}: store reported {got:?}, model {expected:?}\nbefore: {before:?}\nbatch: {batch:?}"
            ));
        }
        let document = store.get(URI).ok_or("the document vanished from the store")?;
        let stored = document.rope.to_string();
        if stored != model {
            return Err(format!(
                "batch {number}: texts differ\nstore: {stored:?}\nmodel: {model:?}\nbefore: {before:?}\nbatch: {batch:?}"
            ));
        }
        if document.rope.len_lines() != model_lines(&model).len() {
            return Err(format!(
                "batch {number}: the rope counts {} lines, the model {} in {model:?}",
                document.rope.len_lines(),
                model_lines(&model).len()
            ));
        }
        if got.is_ok() {
            if document.version != batch.version {
                return Err(format!(
                    "batch {number}: version {} kept, {} sent",
                    document.version, batch.version
                ));
            }
            version = batch.version;
        } else {
            version = document.version;
        }
    }
    if store.change("file:///not-open.md", 1, &[], session.encoding) != Err(ChangeError::UnknownDocument) {
        return Err("a change to a document that is not open was not rejected".into());
    }
    Ok(())
}

fn check_span(text: &str, span: &Range<usize>, what: &str) -> Result<(), String> {
    if span.start > span.end || span.end > text.len() {
        return Err(format!(
            "{what} {span:?} is not inside the text of {} bytes",
            text.len()
        ));
    }
    if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return Err(format!("{what} {span:?} splits a character"));
    }
    Ok(())
}

/// Edits an editor can apply as one LSP `TextEdit[]`: inside the text, on character boundaries,
/// and not overlapping (two insertions at one place are allowed; they apply in order).
fn check_edit_set(text: &str, edits: &[Edit], what: &str) -> Result<(), String> {
    for edit in edits {
        check_span(text, &edit.span, what)?;
    }
    let mut spans: Vec<&Range<usize>> = edits.iter().map(|e| &e.span).collect();
    spans.sort_by_key(|s| (s.start, s.end));
    for pair in spans.windows(2) {
        if pair[0].end > pair[1].start {
            return Err(format!("{what}: edits {:?} and {:?} overlap", pair[0], pair[1]));
        }
    }
    Ok(())
}

/// The name style a selector byte picks.
pub fn name_style(selector: u8) -> NameStyle {
    match selector % 4 {
        0 => NameStyle::Placeholder,
        1 => NameStyle::Patient,
        2 => NameStyle::Initials,
        _ => NameStyle::Pseudonym,
    }
}

fn checker(style: NameStyle) -> Checker {
    Checker::new(Options {
        name_style: style,
        ..Options::default()
    })
}

/// An earlier version of `text` for the cache to hold: its middle third missing, so that the
/// segments before and after it can be reused and the ones around the cut cannot.
fn earlier_version(text: &str) -> String {
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let (cut_from, cut_to) = (floor(text.len() / 3), floor(text.len() * 2 / 3));
    format!("{}{}", &text[..cut_from], &text[cut_to..])
}

/// Checks `text`: no panic; findings sorted by position; a cached re-check after an edit (what
/// the language server does) finds the same; every finding's span, related span and fix edit (in
/// both scopes, the bulk safe edits and the gender rewrites) lies inside the text on character
/// boundaries, and each fix's edits can be applied together.
pub fn check_engine(text: &str, format: Format, style: NameStyle) -> Result<(), String> {
    let checker = checker(style);
    let findings = checker.check(text, format);
    let mut cache = CheckCache::default();
    let mut published = PublishCache::default();
    let uri: Uri = "file:///fuzz/a.md".parse().map_err(|_| "a URI".to_string())?;
    let lsp_style = Style {
        related: true,
        ..Style::default()
    };
    let earlier = earlier_version(text);
    let before = checker.check_cached(&earlier, format, &mut cache);
    publish_notification(&uri, 1, &earlier.as_str().into(), &before, &lsp_style, &mut published);
    let cached_findings = checker.check_cached(text, format, &mut cache);
    // The diagnostics written from the previous publish's pieces are those written afresh.
    let notification =
        publish_notification(&uri, 2, &text.into(), &cached_findings, &lsp_style, &mut published).to_text();
    let expected = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{}}}"#,
        publish_params(&uri, 2, text, &findings, &lsp_style)
    );
    if notification != expected {
        return Err(format!(
            "diagnostics written from cached pieces differ from fresh ones:\ncached {notification}\nfresh {expected}"
        ));
    }
    let cached = cached_findings.to_vec();
    if cached != findings {
        return Err(format!(
            "a cached re-check found {} findings, a fresh check {}:\ncached {cached:?}\nfresh {findings:?}",
            cached.len(),
            findings.len()
        ));
    }
    for pair in findings.windows(2) {
        if pair[1].span.start < pair[0].span.start {
            return Err(format!(
                "findings out of order: {:?} then {:?}",
                pair[0].span, pair[1].span
            ));
        }
    }
    for finding in &findings {
        let code = finding.rule.code();
        check_span(text, &finding.span, &format!("{code} span"))?;
        if finding.message.trim().is_empty() {
            return Err(format!("{code} has no message"));
        }
        for (span, _) in &finding.related {
            check_span(text, span, &format!("{code} related span"))?;
        }
    }
    let context = FixContext::new(text, format, &findings, style);
    for (index, finding) in findings.iter().enumerate() {
        for scope in [Scope::Mention, Scope::Document] {
            for fix in context.fixes(index, scope) {
                check_edit_set(
                    text,
                    &fix.edits,
                    &format!("{} fix {:?} ({scope:?})", finding.rule.code(), fix.title),
                )?;
            }
        }
        for (_, fix) in context.gender_fixes(&finding.span) {
            check_edit_set(text, &fix.edits, &format!("gender fix {:?}", fix.title))?;
        }
    }
    for (_, fix) in context.gender_fixes(&(0..text.len())) {
        check_edit_set(text, &fix.edits, &format!("gender fix {:?}", fix.title))?;
    }
    check_edit_set(text, &context.safe_edits(), "safe edits")?;
    Ok(())
}

/// Whether `edit` touches (overlaps or borders) one of `spans`.
fn touches_any(edit: &Range<usize>, spans: &[Range<usize>]) -> bool {
    spans.iter().any(|s| edit.start <= s.end && s.start <= edit.end)
}

/// Checks "de-identify document" on `text`: its edits produce its text; every pass's edits touch
/// a span flagged in that pass; it leaves no safe fix that would still change the text; what it
/// reports as remaining is what a check of its text finds; and a second run changes nothing.
pub fn check_fix_all(text: &str, format: Format, style: NameStyle) -> Result<(), String> {
    let checker = checker(style);
    let fixed = fix_all(&checker, text, format);
    check_edit_set(text, &fixed.edits, "fix_all edits")?;
    let mut sorted = fixed.edits.clone();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    if sorted != fixed.edits {
        return Err("fix_all's edits are not in document order".into());
    }
    if apply(text, &fixed.edits) != fixed.text {
        return Err(format!("fix_all's edits do not produce its text {:?}", fixed.text));
    }

    // The passes fix_all makes, one by one: each edit must touch what that pass flagged.
    let mut current = text.to_string();
    for pass in 0.. {
        let findings = checker.check(&current, format);
        let edits = FixContext::new(&current, format, &findings, style).safe_edits();
        check_edit_set(&current, &edits, &format!("pass {pass} safe edits"))?;
        let flagged: Vec<Range<usize>> = findings.iter().map(|f| f.span.clone()).collect();
        for edit in &edits {
            if !touches_any(&edit.span, &flagged) {
                return Err(format!(
                    "pass {pass}: edit {:?} -> {:?} touches no finding in {current:?}",
                    edit.span, edit.replacement
                ));
            }
        }
        let next = apply(&current, &edits);
        if next == current {
            break;
        }
        if pass == 8 {
            return Err(format!(
                "safe fixes still change the text after {pass} passes: {current:?}"
            ));
        }
        current = next;
    }
    if current != fixed.text {
        return Err(format!(
            "fix_all stopped at {:?}, but safe fixes go on to {current:?}",
            fixed.text
        ));
    }

    let rechecked = checker.check(&fixed.text, format);
    if rechecked != fixed.remaining {
        return Err("fix_all's remaining findings are not what a check of its text finds".into());
    }
    let again = fix_all(&checker, &fixed.text, format);
    if again.text != fixed.text || again.applied != 0 {
        return Err(format!(
            "a second fix_all changed {:?} into {:?} ({} applied)",
            fixed.text, again.text, again.applied
        ));
    }
    Ok(())
}
