//! Findings as LSP diagnostics: typed, for pulled reports, and written straight to JSON for
//! `publishDiagnostics`, which is sent after every keystroke.
//!
//! A long document can have ten thousand findings, and every publish carries all of them.
//! Building a `Diagnostic` struct per finding and serializing it costs more than the check, so
//! the pushed notification is written as JSON text directly: positions with an integer writer,
//! and each distinct (rule, severity, message) written once and reused.

use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Diagnostic, DiagnosticSeverity, NumberOrString, Uri};

use super::lsp_range;
use crate::engine::{Finding, Rule, Severity};
use crate::position::{LineIndex, PositionEncoding};

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
    let index = LineIndex::new(text);
    let range = |span: &std::ops::Range<usize>| lsp_range(text, &index, span, style.encoding);
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
    // serde_json escapes exactly as JSON requires; writing into a String cannot fail.
    if let Ok(quoted) = serde_json::to_string(s) {
        out.push_str(&quoted);
    }
}

/// Appends a number without the formatting machinery.
fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap_or("0"));
}

/// Appends an LSP range. `hint` is the line of the previous position, so that positions taken
/// in text order need no search.
fn push_range(
    out: &mut String,
    text: &str,
    index: &LineIndex,
    span: &std::ops::Range<usize>,
    style: &Style,
    hint: &mut usize,
) {
    let start = index.position_near(text, span.start, style.encoding, hint);
    let end = index.position_near(text, span.end, style.encoding, hint);
    out.push_str(r#"{"start":{"line":"#);
    push_number(out, start.line);
    out.push_str(r#","character":"#);
    push_number(out, start.col);
    out.push_str(r#"},"end":{"line":"#);
    push_number(out, end.line);
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

/// The parameters of `textDocument/publishDiagnostics` for these findings, as JSON text: the
/// same content [`to_diagnostics`] gives, written without building the structs.
pub fn publish_params(uri: &Uri, version: i32, text: &str, findings: &[Finding], style: &Style) -> String {
    let index = LineIndex::new(text);
    // The tail of each distinct rule, severity and message, written once. Most messages are the
    // same text for every finding of a rule, so this list stays short; a message made for one
    // finding (a combination's list of details) is written on its own.
    let mut tails: Vec<((Rule, Severity, usize, usize), String)> = Vec::new();
    let mut uri_json = String::new();
    push_string(&mut uri_json, uri.as_str());
    let mut out = String::with_capacity(64 + findings.len() * 320);
    out.push_str(r#"{"diagnostics":["#);
    let mut hint = 0;
    for (i, finding) in findings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r#"{"range":"#);
        push_range(&mut out, text, &index, &finding.span, style, &mut hint);
        match &finding.message {
            std::borrow::Cow::Borrowed(message) => {
                let key = (finding.rule, finding.severity, message.as_ptr() as usize, message.len());
                match tails.iter().find(|(k, _)| *k == key) {
                    Some((_, tail)) => out.push_str(tail),
                    None => {
                        let written = tail(finding, style);
                        out.push_str(&written);
                        tails.push((key, written));
                    }
                }
            }
            std::borrow::Cow::Owned(_) => out.push_str(&tail(finding, style)),
        }
        if style.related && !finding.related.is_empty() {
            let mut related_hint = hint;
            out.push_str(r#","relatedInformation":["#);
            for (j, (span, what)) in finding.related.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(r#"{"location":{"uri":"#);
                out.push_str(&uri_json);
                out.push_str(r#","range":"#);
                push_range(&mut out, text, &index, span, style, &mut related_hint);
                out.push_str(r#"},"message":"#);
                push_string(&mut out, what);
                out.push('}');
            }
            out.push(']');
        }
        out.push('}');
    }
    out.push_str(r#"],"uri":"#);
    out.push_str(&uri_json);
    out.push_str(r#","version":"#);
    out.push_str(&version.to_string());
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Checker, Format};

    #[test]
    fn written_json_is_the_typed_diagnostics() {
        let text = "# Día 🙂\r\n\r\nMaria Lopez, a 45-year-old from Dayton, was seen on 3/4/2024 after a crash on Route 9 last night. \"Quoted\" \\ text\n";
        let findings = Checker::default().check(text, Format::Markdown);
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
}
