//! `--format sarif`: SARIF 2.1.0, for code-scanning uploads (GitHub, GitLab, Azure DevOps).
//!
//! Columns are UTF-16 code units (SARIF's default `columnKind`), lines 1-based. Like the JSON
//! output, results never repeat the flagged text; each rule carries its documentation page as
//! help.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::{json, Value};

use super::Checked;
use crate::engine::{Rule, Severity};
use crate::position::{LineIndex, Near, PositionEncoding};

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

/// The region of `span`. `near` is where the last position was: positions taken in text order
/// cost the text between them, however long its lines.
fn region(source: &str, index: &LineIndex, span: &std::ops::Range<usize>, near: &mut Near) -> Region {
    let (start, end) = index.range_near(source, (span.start, span.end), PositionEncoding::Utf16, near);
    Region {
        end_column: end.col + 1,
        end_line: end.line + 1,
        start_column: start.col + 1,
        start_line: start.line + 1,
    }
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
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [RunOut {
            column_kind: "utf16CodeUnits",
            results: Results(checked),
            tool: json!({"driver": {
                "name": "scrubs",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

// The log as written: keys in alphabetical order (as the format has always had them), and the
// results serialized one at a time as the findings are walked, never held all at once.

#[derive(serde::Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [RunOut<'a>; 1],
    version: &'static str,
}

#[derive(serde::Serialize)]
struct RunOut<'a> {
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: Results<'a>,
    tool: Value,
}

/// Every finding of every document as a SARIF result.
struct Results<'a>(&'a [Checked]);

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.iter().map(|d| d.findings.len()).sum()))?;
        for doc in self.0 {
            let index = LineIndex::new(&doc.source);
            let uri = if doc.display == "<stdin>" {
                "stdin".to_string()
            } else {
                artifact_uri(&doc.display)
            };
            let location = |span: &std::ops::Range<usize>, near: &mut Near| Physical {
                artifact_location: Artifact { uri: &uri },
                region: region(&doc.source, &index, span, near),
            };
            let mut near = Near::default();
            for finding in &doc.findings {
                let physical_location = location(&finding.span, &mut near);
                let mut near_related = near;
                seq.serialize_element(&ResultOut {
                    level: level(finding.severity),
                    locations: [Location { physical_location }],
                    message: Text { text: &finding.message },
                    related_locations: finding
                        .related
                        .iter()
                        .enumerate()
                        .map(|(id, (span, what))| RelatedOut {
                            id,
                            message: Text { text: what },
                            physical_location: location(span, &mut near_related),
                        })
                        .collect(),
                    rule_id: finding.rule.code(),
                    rule_index: Rule::ALL.iter().position(|r| *r == finding.rule),
                })?;
            }
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct ResultOut<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    #[serde(rename = "relatedLocations", skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedOut<'a>>,
    #[serde(rename = "ruleId")]
    rule_id: &'static str,
    #[serde(rename = "ruleIndex")]
    rule_index: Option<usize>,
}

#[derive(serde::Serialize)]
struct Location<'a> {
    #[serde(rename = "physicalLocation")]
    physical_location: Physical<'a>,
}

#[derive(serde::Serialize)]
struct RelatedOut<'a> {
    id: usize,
    message: Text<'a>,
    #[serde(rename = "physicalLocation")]
    physical_location: Physical<'a>,
}

#[derive(serde::Serialize)]
struct Physical<'a> {
    #[serde(rename = "artifactLocation")]
    artifact_location: Artifact<'a>,
    region: Region,
}

#[derive(serde::Serialize)]
struct Artifact<'a> {
    uri: &'a str,
}

#[derive(serde::Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(serde::Serialize)]
struct Region {
    #[serde(rename = "endColumn")]
    end_column: u32,
    #[serde(rename = "endLine")]
    end_line: u32,
    #[serde(rename = "startColumn")]
    start_column: u32,
    #[serde(rename = "startLine")]
    start_line: u32,
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
