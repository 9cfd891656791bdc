//! A document's findings as a cached check ([`super::Checker::check_cached`]) returns them: one
//! run per segment, in that segment's own offsets and shared with the cache, plus the findings
//! that belong to the document as a whole (combinations of details), in document offsets.
//!
//! Nothing is copied for a segment an edit did not touch, not even to move its offsets: a
//! segment's run is the same shared slice before and after a keystroke earlier in the document.
//! Consumers that want plain findings call [`Findings::to_vec`]; the language server writes each
//! run's diagnostics once and reuses them while the run is unchanged ([`Run::findings`] is the
//! same `Arc` then).

use std::cmp::Reverse;
use std::ops::Range;
use std::sync::Arc;

use super::finding::Finding;

/// The findings of one segment, in offsets from `offset`, sorted.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where the segment starts in the document: at the start of a line, or of a sentence in a
    /// very long line.
    pub offset: usize,
    pub findings: Arc<[Finding]>,
}

/// A document's findings, in the order of [`super::Checker::check`]: by start, the longer of two
/// that start together first.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    runs: Vec<Run>,
    /// Findings about the document as a whole, in document offsets, sorted.
    whole: Vec<Finding>,
}

/// One stretch of a document's findings in order: consecutive findings of one run, or one
/// finding about the document as a whole.
#[derive(Debug, Clone)]
pub enum Piece<'a> {
    Run { run: &'a Run, range: Range<usize> },
    Whole(&'a Finding),
}

fn key(start: usize, end: usize) -> (usize, Reverse<usize>) {
    (start, Reverse(end))
}

impl Findings {
    pub(crate) fn new(runs: Vec<Run>, whole: Vec<Finding>) -> Findings {
        Findings { runs, whole }
    }

    /// All findings in one run at offset 0 (for documents checked in one piece).
    pub(crate) fn single(findings: Vec<Finding>) -> Findings {
        Findings {
            runs: vec![Run {
                offset: 0,
                findings: findings.into(),
            }],
            whole: Vec::new(),
        }
    }

    /// The runs, one per segment, in document order.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    pub fn len(&self) -> usize {
        self.runs.iter().map(|r| r.findings.len()).sum::<usize>() + self.whole.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The findings in order, as stretches that need no copying. A finding about the whole
    /// document comes after a run's findings that sort before it or equal to it (the order a
    /// stable sort gives when those were listed first).
    pub fn pieces(&self) -> Vec<Piece<'_>> {
        let mut pieces = Vec::with_capacity(self.runs.len() + 2 * self.whole.len());
        let mut whole = self.whole.iter().peekable();
        for run in &self.runs {
            let mut from = 0;
            for (i, f) in run.findings.iter().enumerate() {
                let here = key(f.span.start + run.offset, f.span.end + run.offset);
                while let Some(w) = whole.next_if(|w| key(w.span.start, w.span.end) < here) {
                    if i > from {
                        pieces.push(Piece::Run { run, range: from..i });
                    }
                    from = i;
                    pieces.push(Piece::Whole(w));
                }
            }
            if run.findings.len() > from {
                pieces.push(Piece::Run {
                    run,
                    range: from..run.findings.len(),
                });
            }
        }
        pieces.extend(whole.map(Piece::Whole));
        pieces
    }

    /// Calls `f` with every finding in order, in document offsets, without copying any.
    /// The offset to add to a finding's spans comes with it.
    pub fn for_each(&self, mut f: impl FnMut(&Finding, usize)) {
        for piece in self.pieces() {
            match piece {
                Piece::Run { run, range } => run.findings[range].iter().for_each(|x| f(x, run.offset)),
                Piece::Whole(finding) => f(finding, 0),
            }
        }
    }

    /// Every finding in order, in document offsets.
    pub fn to_vec(&self) -> Vec<Finding> {
        let mut out = Vec::with_capacity(self.len());
        self.for_each(|f, offset| out.push(f.shifted(offset)));
        out
    }
}
