//! Scoring scrubs against an annotated corpus (the format of `shared/corpus/README.md`).
//!
//! Pure: the caller reads the file. A gold span is *found* when any PHI finding overlaps it by at
//! least one character; a PHI finding is *correct* when it overlaps any gold span. Findings of
//! non-PHI rules (language, quasi-identifier combinations) are not counted.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::engine::{fix_all, Checker, Edit, Finding, Format, PhiLabel};

#[derive(Debug, Deserialize)]
pub struct CorpusDocument {
    pub id: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    pub text: String,
    pub spans: Vec<GoldSpan>,
}

#[derive(Debug, Deserialize)]
pub struct GoldSpan {
    /// Offsets in Unicode code points, end exclusive.
    pub start: usize,
    pub end: usize,
    pub label: String,
}

/// One gold span that nothing overlapped, or one finding that overlapped no gold span.
#[derive(Debug, Clone)]
pub struct Miss {
    pub document: String,
    pub kind: MissKind,
    pub span: Range<usize>,
    /// `NAME` for a missed span, the rule code for a false alarm.
    pub what: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissKind {
    Missed,
    FalseAlarm,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub found: usize,
    pub findings: usize,
    pub correct: usize,
}

impl Counts {
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.findings)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// An empty denominator means nothing could be missed (or wrongly flagged): a perfect score.
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub documents: usize,
    pub overall: Counts,
    pub labels: BTreeMap<String, Counts>,
    pub misses: Vec<(Miss, String)>,
}

/// Why a corpus line could not be used.
#[derive(Debug)]
pub struct CorpusError {
    pub line: usize,
    pub message: String,
}

/// Parses a JSON-lines corpus; blank lines are skipped.
pub fn parse_corpus(text: &str) -> Result<Vec<CorpusDocument>, CorpusError> {
    let mut documents = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let document: CorpusDocument = serde_json::from_str(line).map_err(|e| CorpusError {
            line: i + 1,
            message: format!("not a corpus record ({e})"),
        })?;
        let chars = document.text.chars().count();
        if let Some(bad) = document.spans.iter().find(|s| s.start > s.end || s.end > chars) {
            return Err(CorpusError {
                line: i + 1,
                message: format!(
                    "span {}..{} ({}) lies outside the text of {} characters",
                    bad.start, bad.end, bad.label, chars
                ),
            });
        }
        documents.push(document);
    }
    Ok(documents)
}

/// Checks every document and scores the PHI findings against the gold spans.
fn format_of(document: &CorpusDocument) -> Format {
    match document.format.as_deref() {
        Some("markdown") => Format::Markdown,
        _ => Format::PlainText,
    }
}

/// What `scrubs fix` does to a corpus: how many annotated identifiers it removes, and whether a
/// second run changes anything.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FixRemoval {
    pub total: usize,
    pub removed: usize,
    /// Documents a second fix changed (should be none: fixing is idempotent).
    pub not_idempotent: Vec<String>,
    /// Per label: (removed, total).
    pub labels: BTreeMap<String, (usize, usize)>,
}

impl FixRemoval {
    pub fn rate(&self) -> f64 {
        ratio(self.removed, self.total)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let labels: serde_json::Map<String, serde_json::Value> = self
            .labels
            .iter()
            .map(|(l, (r, t))| {
                (
                    l.clone(),
                    serde_json::json!({"removed": r, "total": t, "rate": round(ratio(*r, *t))}),
                )
            })
            .collect();
        serde_json::json!({
            "removed": self.removed, "total": self.total, "rate": round(self.rate()),
            "not_idempotent": self.not_idempotent, "labels": labels,
        })
    }
}

/// Where the text at `span` of the original ended up after `edits` (sorted, non-overlapping),
/// and whether any edit touched it.
fn map_span(span: &Range<usize>, edits: &[Edit]) -> (Range<usize>, bool) {
    let mut shift: isize = 0;
    let (mut start, mut end, mut touched) = (None, None, false);
    for edit in edits {
        let grown = edit.replacement.len() as isize - edit.span.len() as isize;
        if edit.span.end <= span.start && !(edit.span.is_empty() && edit.span.start == span.start) {
            shift += grown;
            continue;
        }
        if edit.span.start >= span.end {
            break;
        }
        touched = true;
        let new_start = (edit.span.start as isize + shift) as usize;
        if start.is_none() {
            start = Some(if edit.span.start <= span.start {
                new_start
            } else {
                (span.start as isize + shift) as usize
            });
        }
        shift += grown;
        end = Some(if edit.span.end >= span.end {
            new_start + edit.replacement.len()
        } else {
            (span.end as isize + shift) as usize
        });
    }
    let start = start.unwrap_or((span.start as isize + shift) as usize);
    let end = end.unwrap_or((span.end as isize + shift) as usize).max(start);
    (start..end, touched)
}

/// Runs fix-all over every document and counts the annotated identifiers it removed: an
/// identifier is removed when an edit touched it and its text is not in what replaced it.
pub fn fix_removal(checker: &Checker, documents: &[CorpusDocument]) -> FixRemoval {
    let mut result = FixRemoval::default();
    for document in documents {
        let format = format_of(document);
        let fixed = fix_all(checker, &document.text, format);
        let to_byte = char_to_byte_table(&document.text);
        for gold in &document.spans {
            let span = to_byte[gold.start]..to_byte[gold.end];
            let written = document.text[span.clone()].trim();
            let (mapped, touched) = map_span(&span, &fixed.edits);
            let now = fixed.text.get(mapped).unwrap_or("");
            let removed = touched && !written.is_empty() && !now.contains(written);
            let entry = result.labels.entry(gold.label.clone()).or_default();
            entry.1 += 1;
            result.total += 1;
            if removed {
                entry.0 += 1;
                result.removed += 1;
            }
        }
        if fix_all(checker, &fixed.text, format).text != fixed.text {
            result.not_idempotent.push(document.id.clone());
        }
    }
    result
}

pub fn evaluate(checker: &Checker, documents: &[CorpusDocument], collect_misses: bool) -> Report {
    let mut report = Report {
        documents: documents.len(),
        ..Report::default()
    };
    for label in PhiLabel::ALL {
        report.labels.insert(label.as_str().to_string(), Counts::default());
    }
    for document in documents {
        let format = format_of(document);
        let findings: Vec<Finding> = checker
            .check(&document.text, format)
            .into_iter()
            .filter(|f| f.rule.phi_label().is_some())
            .collect();
        let to_byte = char_to_byte_table(&document.text);
        let gold: Vec<(Range<usize>, &str)> = document
            .spans
            .iter()
            .map(|s| (to_byte[s.start]..to_byte[s.end], s.label.as_str()))
            .collect();
        for (span, label) in &gold {
            let found = findings.iter().any(|f| overlaps(&f.span, span));
            let counts = report.labels.entry(label.to_string()).or_default();
            counts.gold += 1;
            report.overall.gold += 1;
            if found {
                counts.found += 1;
                report.overall.found += 1;
            } else if collect_misses {
                report
                    .misses
                    .push(miss(document, MissKind::Missed, span.clone(), label.to_string()));
            }
        }
        for finding in &findings {
            report.overall.findings += 1;
            let label = finding.rule.phi_label().map_or("OTHER", PhiLabel::as_str);
            let counts = report.labels.entry(label.to_string()).or_default();
            counts.findings += 1;
            if gold.iter().any(|(span, _)| overlaps(&finding.span, span)) {
                report.overall.correct += 1;
                counts.correct += 1;
            } else if collect_misses {
                report.misses.push(miss(
                    document,
                    MissKind::FalseAlarm,
                    finding.span.clone(),
                    finding.rule.code().to_string(),
                ));
            }
        }
    }
    report
}

fn miss(document: &CorpusDocument, kind: MissKind, span: Range<usize>, what: String) -> (Miss, String) {
    let text = &document.text;
    let start = crate::engine::text::floor_boundary(text, span.start.saturating_sub(40));
    let end = crate::engine::text::floor_boundary(text, span.end + 40);
    let context = format!(
        "{}[{}]{}",
        &text[start..span.start],
        &text[span.clone()],
        &text[span.end..end]
    )
    .replace(['\n', '\r'], " ");
    (
        Miss {
            document: document.id.clone(),
            kind,
            span,
            what,
        },
        context,
    )
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Byte offset of every code point index, plus the end.
fn char_to_byte_table(text: &str) -> Vec<usize> {
    let mut table: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    table.push(text.len());
    table
}

impl Report {
    pub fn to_json(&self) -> serde_json::Value {
        let counts = |c: &Counts| {
            serde_json::json!({
                "gold": c.gold, "found": c.found, "findings": c.findings, "correct": c.correct,
                "recall": round(c.recall()), "precision": round(c.precision()), "f1": round(c.f1()),
            })
        };
        let labels: serde_json::Map<String, serde_json::Value> = self
            .labels
            .iter()
            .filter(|(_, c)| c.gold > 0 || c.findings > 0)
            .map(|(label, c)| (label.clone(), counts(c)))
            .collect();
        serde_json::json!({"documents": self.documents, "overall": counts(&self.overall), "labels": labels})
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &str = r#"
{"id": "a", "format": "plaintext", "text": "Zoë was seen on 3/4/2024 by the team.", "spans": [{"start": 16, "end": 24, "label": "DATE"}, {"start": 32, "end": 36, "label": "NAME"}]}
{"id": "b", "format": "markdown", "text": "BP 120/80. Call 555-201-4477 or MRN 12345678.", "spans": [{"start": 16, "end": 28, "label": "CONTACT"}]}
"#;

    #[test]
    fn scores_overlap_with_code_point_offsets() {
        let documents = parse_corpus(CORPUS).unwrap();
        let report = evaluate(&Checker::default(), &documents, true);
        assert_eq!(report.documents, 2);
        // Gold: the date (found; its offsets are code points, after the two-byte ë), the phone
        // (found) and a "name" on the word "team", which no rule flags; the MRN finding has no
        // gold span, so it is a false alarm.
        let o = report.overall;
        assert_eq!((o.gold, o.found), (3, 2));
        assert_eq!(report.labels["NAME"].found, 0);
        assert!(report
            .misses
            .iter()
            .any(|(m, c)| m.kind == MissKind::Missed && c.contains("[team]")));
        assert_eq!(report.labels["DATE"].found, 1);
        assert_eq!(report.labels["CONTACT"].found, 1);
        assert!(report
            .misses
            .iter()
            .any(|(m, _)| m.kind == MissKind::FalseAlarm && m.what == "phi/id"));
        assert!(o.precision() < 1.0);
    }

    #[test]
    fn malformed_lines_and_spans_are_reported_with_their_line() {
        let err = parse_corpus("{\"id\": 1}\n").unwrap_err();
        assert_eq!(err.line, 1);
        let err =
            parse_corpus("\n{\"id\":\"x\",\"text\":\"ab\",\"spans\":[{\"start\":1,\"end\":9,\"label\":\"NAME\"}]}")
                .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("outside the text"));
    }
}
