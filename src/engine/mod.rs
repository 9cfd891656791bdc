//! The check engine: text in, findings out.
//!
//! Pure by design: no I/O, no async, no LSP or CLI types. The adapters in `lsp/` and `cli/` call
//! [`Checker::check`] and translate its byte-offset findings into their own protocols.

pub mod finding;
pub mod fix;
pub mod markup;
pub mod rules;
pub mod suppress;
pub mod text;

use std::ops::Range;

pub use finding::{Applicability, Edit, Finding, Fix, Severity};
pub use fix::{fix_all, FixAll, FixContext, NameStyle, Scope};
pub use markup::Format;
pub use rules::{Category, PhiLabel, Rule};

/// What detectors see: the original text and a same-length copy with markup syntax blanked out.
pub struct Context<'a> {
    /// The document exactly as written.
    pub source: &'a str,
    /// `source` with markup syntax replaced by spaces: byte offsets are identical, so a match in
    /// `text` is a span in `source`.
    pub text: &'a str,
    /// Byte ranges of the document's blocks (paragraphs, headings, list items, code blocks).
    pub blocks: &'a [Range<usize>],
}

/// Per-run settings: which rules run and how loud they are.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rules switched off entirely.
    pub disabled: Vec<Rule>,
    /// Severity overrides.
    pub severities: Vec<(Rule, Severity)>,
    /// Words and phrases never reported, such as the author's own name or the clinic's public
    /// name. Matched as whole words, ignoring case.
    pub allow: Vec<String>,
    /// How quick fixes and fix-all replace names.
    pub name_style: NameStyle,
}

/// Checks documents. Cheap to create; share one across threads.
#[derive(Debug, Clone, Default)]
pub struct Checker {
    options: Options,
}

impl Checker {
    pub fn new(options: Options) -> Checker {
        Checker { options }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Finds identifiers and problem language in `source`, sorted by position.
    pub fn check(&self, source: &str, format: Format) -> Vec<Finding> {
        let prepared = markup::prepare(source, format);
        let ctx = Context {
            source,
            text: &prepared.text,
            blocks: &prepared.blocks,
        };
        let mut findings = Vec::new();
        rules::run_all(&ctx, &mut findings);
        let mut exempt = rules::contacts::reference_spans(ctx.text);
        exempt.extend(self.allowed_spans(source));
        findings.retain(|f| {
            let exempted = f.rule.category() == Category::Phi
                && exempt.iter().any(|r| r.start <= f.span.start && f.span.end <= r.end);
            !exempted && !self.options.disabled.contains(&f.rule)
        });
        suppress::apply(source, &mut findings);
        // Combinations are judged on what is left after allow-lists and suppressions.
        let mut combinations = rules::quasi::check(&ctx, &findings);
        suppress::apply(source, &mut combinations);
        findings.extend(combinations);
        findings.retain(|f| !self.options.disabled.contains(&f.rule));
        for finding in &mut findings {
            if let Some((_, severity)) = self.options.severities.iter().find(|(r, _)| *r == finding.rule) {
                finding.severity = *severity;
            }
        }
        resolve_overlaps(findings)
    }
}

impl Checker {
    /// Where the allow-list's words occur in the text.
    fn allowed_spans(&self, source: &str) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        for word in &self.options.allow {
            let mut from = 0;
            while let Some(at) = text::find_word(&source[from..], word) {
                let start = from + at;
                spans.push(start..start + word.len());
                from = start + word.len().max(1);
                if from >= source.len() {
                    break;
                }
            }
        }
        spans
    }
}

/// Sorts findings and drops any that lie wholly inside an earlier, longer one, so one piece of
/// text is reported once (a date inside an ID, an URL inside an email). Where two detectors claim
/// the same span, the one that ran first wins: detectors run from the most to the least specific.
fn resolve_overlaps(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    // Kept findings are in start order, so a new one is inside an earlier one of its category
    // exactly when it ends no later than the furthest end seen so far in that category.
    // A photo is reported as a whole and the identifiers in its caption or file name on their
    // own, so the photo rule gets its own lane.
    let mut furthest_end: Vec<((Category, bool), usize)> = Vec::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        let category = (finding.rule.category(), finding.rule == Rule::Photo);
        match furthest_end.iter_mut().find(|(c, _)| *c == category) {
            Some((_, end)) if finding.span.end <= *end => continue,
            Some((_, end)) => *end = finding.span.end,
            None => furthest_end.push((category, finding.span.end)),
        }
        kept.push(finding);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_findings_are_reported_once() {
        let checker = Checker::default();
        let found = checker.check("Seen 2024-03-03 in clinic.", Format::PlainText);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::Date);
    }

    #[test]
    fn allowed_words_are_not_reported() {
        let options = Options {
            allow: vec!["Mercy Clinic".into(), "555-201-4477".into()],
            ..Options::default()
        };
        let text = "Call MERCY CLINIC at 555-201-4477 or 555-201-9999.";
        let found = Checker::new(options).check(text, Format::PlainText);
        let flagged: Vec<&str> = found.iter().map(|f| &text[f.span.clone()]).collect();
        assert_eq!(flagged, vec!["555-201-9999"]);
    }

    #[test]
    fn disabled_rules_are_not_reported_and_severities_apply() {
        let options = Options {
            disabled: vec![Rule::Email],
            severities: vec![(Rule::Date, Severity::Info)],
            ..Options::default()
        };
        let found = Checker::new(options).check("Mail a@b.org on 3/4/2024", Format::PlainText);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, Rule::Date);
        assert_eq!(found[0].severity, Severity::Info);
    }
}
