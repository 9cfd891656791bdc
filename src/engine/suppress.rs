//! Inline suppressions written in the document itself:
//!
//! - `scrubs-ignore-line [RULE...]`: nothing (or only those rules) is reported on this line;
//! - `scrubs-ignore-next-line [RULE...]`: the same for the line after it;
//! - `scrubs-disable [RULE...]` ... `scrubs-enable [RULE...]`: a region.
//!
//! A directive is found in any comment syntax, since it is matched as text: `<!-- ... -->` in
//! Markdown and HTML, `% ...` in LaTeX, a line of its own in plain text. A RULE is a code
//! (`phi/name`) or a family (`phi`, `lang`, `quasi`); none means every rule.

use std::ops::Range;

use super::finding::Finding;
use super::rules::Rule;

const MARKER: &str = "scrubs-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    IgnoreLine,
    IgnoreNextLine,
    Disable,
    Enable,
}

/// What one suppression covers: a byte range and the rules (empty: all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub range: Range<usize>,
    pub rules: Vec<String>,
}

impl Suppression {
    fn covers(&self, finding: &Finding) -> bool {
        self.range.start <= finding.span.start
            && finding.span.start < self.range.end
            && (self.rules.is_empty() || self.rules.iter().any(|r| rule_matches(r, finding.rule)))
    }
}

fn rule_matches(written: &str, rule: Rule) -> bool {
    let code = rule.code();
    written == code || code.split('/').next() == Some(written) || (written == "language" && code.starts_with("lang/"))
}

/// Whether `source` may hold a directive (it has the marker every directive starts with).
pub fn may_hold_directive(source: &str) -> bool {
    memchr::memmem::find(source.as_bytes(), MARKER.as_bytes()).is_some()
}

fn line_bounds(source: &str, at: usize) -> Range<usize> {
    let start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = source[at..].find('\n').map_or(source.len(), |i| at + i + 1);
    start..end
}

/// Every suppression in `source`, and where the directives themselves are written. Cheap when
/// there are none: one substring search.
pub fn suppressions(source: &str) -> (Vec<Suppression>, Vec<Range<usize>>) {
    let mut found = Vec::new();
    let mut directives = Vec::new();
    let mut open: Vec<(usize, Vec<String>)> = Vec::new();
    // The marker cannot overlap itself, so its matches after one another are all of them.
    for at in memchr::memmem::find_iter(source.as_bytes(), MARKER.as_bytes()) {
        let from = at + MARKER.len();
        let rest = &source[from..];
        let (kind, len) = if rest.starts_with("ignore-next-line") {
            (Kind::IgnoreNextLine, "ignore-next-line".len())
        } else if rest.starts_with("ignore-line") {
            (Kind::IgnoreLine, "ignore-line".len())
        } else if rest.starts_with("disable") {
            (Kind::Disable, "disable".len())
        } else if rest.starts_with("enable") {
            (Kind::Enable, "enable".len())
        } else {
            continue;
        };
        directives.push(at..from + len);
        let line = line_bounds(source, at);
        let tail_end = source[from + len..line.end]
            .find("-->")
            .map_or(line.end, |e| from + len + e);
        let rules: Vec<String> = source[from + len..tail_end]
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        match kind {
            Kind::IgnoreLine => found.push(Suppression { range: line, rules }),
            Kind::IgnoreNextLine => {
                let next = if line.end < source.len() {
                    line_bounds(source, line.end)
                } else {
                    line.end..line.end
                };
                found.push(Suppression { range: next, rules });
            }
            Kind::Disable => open.push((line.end, rules)),
            Kind::Enable => {
                // `scrubs-enable` closes every open region; `scrubs-enable RULE` only that rule's.
                let (closing, still_open): (Vec<_>, Vec<_>) =
                    open.into_iter().partition(|(_, r)| rules.is_empty() || r == &rules);
                open = still_open;
                found.extend(closing.into_iter().map(|(start, rules)| Suppression {
                    range: start..line.start,
                    rules,
                }));
            }
        }
    }
    found.extend(open.into_iter().map(|(start, rules)| Suppression {
        range: start..source.len(),
        rules,
    }));
    (found, directives)
}

/// Drops the findings a suppression covers, and any finding in a directive's own words (a
/// directive is an instruction to scrubs, never something to report or rewrite).
pub fn apply(source: &str, findings: &mut Vec<Finding>) {
    let (suppressions, directives) = suppressions(source);
    if suppressions.is_empty() && directives.is_empty() {
        return;
    }
    findings.retain(|f| {
        !suppressions.iter().any(|s| s.covers(f))
            && !directives.iter().any(|d| d.start < f.span.end && f.span.start < d.end)
    });
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format};

    fn flagged(text: &str, format: Format) -> Vec<String> {
        Checker::default()
            .check(text, format)
            .into_iter()
            .map(|f| text[f.span].to_string())
            .collect()
    }

    #[test]
    fn ignore_line_and_next_line() {
        let text = "Call 555-201-4477 <!-- scrubs-ignore-line -->\n<!-- scrubs-ignore-next-line phi/phone -->\nCall 555-201-4478 on 3/4/2024\nCall 555-201-4479\n";
        assert_eq!(flagged(text, Format::Markdown), vec!["3/4/2024", "555-201-4479"]);
    }

    #[test]
    fn regions_by_rule_and_family() {
        let text = "% scrubs-disable phi/date\nOn 3/4/2024 call 555-201-4477.\n% scrubs-enable\nOn 3/5/2024.\n";
        assert_eq!(flagged(text, Format::PlainText), vec!["555-201-4477", "3/5/2024"]);
        let text = "scrubs-disable phi\nOn 3/4/2024 call 555-201-4477.\n";
        assert!(flagged(text, Format::PlainText).is_empty());
    }

    #[test]
    fn a_directive_is_never_reported_itself() {
        // Found by fuzzing: `scrubs-disable` after `Mr.` read as a name, and rewriting it
        // removed the directive, so fix-all never settled.
        let text = "\nMr. scrubs-disable\n\nMr. scrubs-disable\n\nMr. Okafor\n";
        assert!(flagged(text, Format::Markdown).is_empty());
        let text = "Mr. scrubs-ignore-line\nMr. Okafor\n";
        assert_eq!(flagged(text, Format::PlainText), vec!["Okafor"]);
    }

    #[test]
    fn the_word_alone_is_not_a_directive() {
        let text = "scrubs-whatever\nCall 555-201-4477";
        assert_eq!(flagged(text, Format::PlainText), vec!["555-201-4477"]);
    }
}
