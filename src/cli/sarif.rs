//! `--format sarif`: SARIF 2.1.0, for code-scanning uploads (GitHub, GitLab, Azure DevOps).
//!
//! Columns are UTF-16 code units (SARIF's default `columnKind`), lines 1-based. Like the JSON
//! output, results never repeat the flagged text; each rule carries its documentation page as
//! help.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Checked;
use crate::engine::{Rule, Severity};
use crate::position::{LineIndex, PositionEncoding};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A relative URI reference for a path as shown to the user: forward slashes, and the
/// characters a URI cannot hold percent-encoded.
fn artifact_uri(display: &str) -> String {
    let path = display.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn region(source: &str, index: &LineIndex, span: &std::ops::Range<usize>) -> Value {
    let start = index.position(source, span.start, PositionEncoding::Utf16);
    let end = index.position(source, span.end, PositionEncoding::Utf16);
    json!({
        "startLine": start.line + 1, "startColumn": start.col + 1,
        "endLine": end.line + 1, "endColumn": end.col + 1,
    })
}

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code(),
                "shortDescription": {"text": rule.summary()},
                "defaultConfiguration": {"level": level(rule.default_severity())},
                "help": {"text": rule.summary(), "markdown": crate::docs::summary(*rule)},
                "properties": {"tags": [rule.category().as_str()]},
            })
        })
        .collect();
    let mut results = Vec::new();
    for doc in checked {
        let index = LineIndex::new(&doc.source);
        let uri = if doc.display == "<stdin>" {
            "stdin".to_string()
        } else {
            artifact_uri(&doc.display)
        };
        for finding in &doc.findings {
            let location = |span: &std::ops::Range<usize>| {
                json!({"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": region(&doc.source, &index, span),
                }})
            };
            let mut result = json!({
                "ruleId": finding.rule.code(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == finding.rule),
                "level": level(finding.severity),
                "message": {"text": finding.message},
                "locations": [location(&finding.span)],
            });
            if !finding.related.is_empty() {
                result["relatedLocations"] = finding
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, (span, what))| {
                        let mut related = location(span);
                        related["id"] = json!(id);
                        related["message"] = json!({"text": what});
                        related
                    })
                    .collect();
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "scrubs",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::artifact_uri;

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(artifact_uri("./posts/case 1.md"), "posts/case%201.md");
        assert_eq!(artifact_uri("posts\\café.md"), "posts/caf%C3%A9.md");
    }
}
