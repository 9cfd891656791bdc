//! `--format json`: one JSON array, one object per finding. Lines and columns are 1-based;
//! columns count Unicode characters. Byte offsets are 0-based and end-exclusive.
//! The flagged text itself is not included, so logs of CI runs don't repeat it. Each finding lists
//! its fixes with edits for that mention only; applying every finding's "safe" fix is what
//! `scrubs fix` does.
//!
//! The array is written as it is made, finding by finding (a blog archive can have a hundred
//! thousand findings), with the keys of each object in alphabetical order.

use std::io::{self, Write};

use serde::ser::{Serialize, Serializer};

use super::Checked;
use crate::engine::{Applicability, Finding, FixContext, Scope};
use crate::position::{LineIndex, Near, PositionEncoding};

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Report(checked)).map_err(io::Error::other)?;
    writeln!(out)
}

/// Every finding of every document, serialized one at a time.
struct Report<'a>(&'a [Checked]);

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A document without findings has nothing to index or fix: its markup is not read
        // again for fixes (a fifth of checking a clean 1 MB file).
        let with_findings = self.0.iter().filter(|doc| !doc.findings.is_empty());
        serializer.collect_seq(with_findings.flat_map(|doc| {
            let index = LineIndex::new(&doc.source);
            let fixer = FixContext::new(&doc.source, doc.format, &doc.findings, doc.name_style);
            let mut near = Near::default();
            (0..doc.findings.len()).map(move |i| entry(doc, (&index, &mut near), &fixer, i))
        }))
    }
}

/// A line and column, 1-based, columns in characters.
#[derive(serde::Serialize)]
struct Place {
    column: u32,
    line: u32,
}

#[derive(serde::Serialize)]
struct Span {
    end: usize,
    start: usize,
}

#[derive(serde::Serialize)]
struct Range {
    end: Place,
    start: Place,
}

#[derive(serde::Serialize)]
struct EditOut {
    end: usize,
    replacement: String,
    start: usize,
}

#[derive(serde::Serialize)]
struct FixOut {
    applicability: &'static str,
    edits: Vec<EditOut>,
    title: String,
}

#[derive(serde::Serialize)]
struct Related<'a> {
    span: Span,
    start: Place,
    what: &'a str,
}

/// One finding as written (the keys in alphabetical order, as the format has always had them).
#[derive(serde::Serialize)]
struct Entry<'a> {
    category: &'static str,
    fixes: Vec<FixOut>,
    message: &'a str,
    path: &'a str,
    range: Range,
    related: Vec<Related<'a>>,
    rule: &'static str,
    severity: &'static str,
    span: Span,
}

/// The entry of finding `i`. `near` is where the last finding's position was: positions taken
/// in text order cost the text between them, however long its lines.
fn entry<'a>(doc: &'a Checked, (index, near): (&LineIndex, &mut Near), fixer: &FixContext<'_>, i: usize) -> Entry<'a> {
    let f: &'a Finding = &doc.findings[i];
    let place = |offset: usize, near: &mut Near| {
        let at = index.position_near(&doc.source, offset, PositionEncoding::Utf32, near);
        Place {
            column: at.col + 1,
            line: at.line + 1,
        }
    };
    let range_start = place(f.span.start, near);
    let range = Range {
        end: place(f.span.end, near),
        start: range_start,
    };
    let mut near_related = *near;
    let fixes = fixer
        .fixes(i, Scope::Mention)
        .into_iter()
        .map(|fix| FixOut {
            applicability: match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::NeedsReview => "needs-review",
            },
            edits: fix
                .edits
                .into_iter()
                .map(|e| EditOut {
                    end: e.span.end,
                    replacement: e.replacement,
                    start: e.span.start,
                })
                .collect(),
            title: fix.title,
        })
        .collect();
    Entry {
        category: f.rule.category().as_str(),
        fixes,
        message: &f.message,
        path: &doc.display,
        range,
        related: f
            .related
            .iter()
            .map(|(span, what)| Related {
                span: Span {
                    end: span.end,
                    start: span.start,
                },
                start: place(span.start, &mut near_related),
                what,
            })
            .collect(),
        rule: f.rule.code(),
        severity: f.severity.as_str(),
        span: Span {
            end: f.span.end,
            start: f.span.start,
        },
    }
}
