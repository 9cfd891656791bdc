//! What a check produces: findings with byte spans, and the edits that would fix them.

use std::borrow::Cow;
use std::ops::Range;

use super::rules::Rule;

/// How serious a finding is. Mirrors the LSP severities so adapters map one to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// Whether a fix may be applied without a person reading it (ruff's idea of applicability).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// Meaning-preserving de-identification: "de-identify document" may apply it in bulk.
    Safe,
    /// Needs judgement: offered one at a time, never applied in bulk.
    NeedsReview,
}

/// Replace `span` (byte offsets into the checked text) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

/// One way of fixing a finding: a title a person can read, and the edits it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn replace(
        title: impl Into<String>,
        span: Range<usize>,
        with: impl Into<String>,
        applicability: Applicability,
    ) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                span,
                replacement: with.into(),
            }],
            applicability,
        }
    }
}

/// A problem found in a document. The fixes that de-identify it are worked out on request by
/// [`crate::engine::fix`], which sees the whole document (all mentions of a name, the patient's
/// gender).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offsets into the checked text; always on `char` boundaries.
    pub span: Range<usize>,
    pub rule: Rule,
    pub severity: Severity,
    /// Plain-language message: what is wrong, why it matters, how to fix it. Mostly fixed text,
    /// so findings are cheap to copy.
    pub message: Cow<'static, str>,
    /// Other places in the text that are part of the problem (the details of a quasi-identifier
    /// combination), each with a short description.
    pub related: Vec<(Range<usize>, &'static str)>,
}

impl Finding {
    pub fn new(rule: Rule, span: Range<usize>, message: impl Into<Cow<'static, str>>) -> Finding {
        Finding {
            span,
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            related: Vec::new(),
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// The same finding with its spans moved `offset` bytes on: from a segment's offsets to the
    /// document's.
    pub fn shifted(&self, offset: usize) -> Finding {
        let shift = |r: &Range<usize>| r.start + offset..r.end + offset;
        Finding {
            span: shift(&self.span),
            rule: self.rule,
            severity: self.severity,
            message: self.message.clone(),
            related: self.related.iter().map(|(r, what)| (shift(r), *what)).collect(),
        }
    }
}
