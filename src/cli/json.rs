//! `--format json`: one JSON array, one object per finding. Lines and columns are 1-based;
//! columns count Unicode characters. Byte offsets are 0-based and end-exclusive.
//! The flagged text itself is not included, so logs of CI runs don't repeat it. Each finding lists
//! its fixes with edits for that mention only; applying every finding's "safe" fix is what
//! `scrubs fix` does.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Checked;
use crate::engine::{Applicability, FixContext, Scope};
use crate::position::{LineIndex, PositionEncoding};

pub fn write(out: &mut impl Write, checked: &[Checked]) -> io::Result<()> {
    let mut all = Vec::new();
    for doc in checked {
        let index = LineIndex::new(&doc.source);
        let fixer = FixContext::new(&doc.source, doc.format, &doc.findings, doc.name_style);
        for (i, f) in doc.findings.iter().enumerate() {
            let start = index.position(&doc.source, f.span.start, PositionEncoding::Utf32);
            let end = index.position(&doc.source, f.span.end, PositionEncoding::Utf32);
            let fixes: Vec<Value> = fixer
                .fixes(i, Scope::Mention)
                .iter()
                .map(|fix| {
                    json!({
                        "title": fix.title,
                        "applicability": match fix.applicability {
                            Applicability::Safe => "safe",
                            Applicability::NeedsReview => "needs-review",
                        },
                        "edits": fix.edits.iter().map(|e| json!({
                            "start": e.span.start, "end": e.span.end, "replacement": e.replacement
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            all.push(json!({
                "path": doc.display,
                "rule": f.rule.code(),
                "category": f.rule.category().as_str(),
                "severity": f.severity.as_str(),
                "message": f.message,
                "span": {"start": f.span.start, "end": f.span.end},
                "range": {
                    "start": {"line": start.line + 1, "column": start.col + 1},
                    "end": {"line": end.line + 1, "column": end.col + 1},
                },
                "fixes": fixes,
                "related": f.related.iter().map(|(span, what)| {
                    let at = index.position(&doc.source, span.start, PositionEncoding::Utf32);
                    json!({"what": what, "span": {"start": span.start, "end": span.end},
                           "start": {"line": at.line + 1, "column": at.col + 1}})
                }).collect::<Vec<_>>(),
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &Value::Array(all)).map_err(io::Error::other)?;
    writeln!(out)
}
