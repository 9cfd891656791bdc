//! The detectors' regular expressions, built with `regex-automata`'s meta engine — the engine
//! behind the `regex` crate, with the same syntax, configuration and leftmost-first matches —
//! so that each pattern can say whether a literal prefilter is worth building for it.
//!
//! A prefilter looks for the literals a match must start with before running the automaton. For
//! patterns that start with rare text (`@`, `Christmas`, `SSN`) it makes a search many times
//! faster. For patterns that start with common text — a digit, `in`, `the`, a long list of words
//! in any case — it is slower than the automaton alone, and extracting its literals is most of
//! the time it takes to compile the pattern: for those, [`Pattern::new`] builds none. Whether a
//! prefilter is used never changes what matches.
//!
//! Most patterns cannot match across a line end, and most lines hold no match of most of them.
//! The detectors' line scans (`rules::LineScan`) walk one DFA of a group of such patterns
//! over a segment once and say in which lines each of them matches; each is then searched only
//! there ([`Pattern::find_iter_in`]), with the same matches as a search of the whole text. A
//! pattern whose matches are costly to follow can be scanned through a hint: a simpler pattern
//! that matches inside every one of its matches.

use std::ops::Range;
use std::sync::LazyLock;

use regex_automata::meta::{self, BuildError, Regex};
use regex_automata::util::captures::Captures as Slots;
use regex_automata::Input;

/// A compiled pattern. Matches are those of `regex::Regex` for the same pattern.
#[derive(Debug)]
pub struct Pattern {
    regex: Regex,
    /// The named groups and their indices: a few, found faster by a scan than by the regex's
    /// own hash map.
    names: Box<[(Box<str>, usize)]>,
}

/// One match: where it is and the text it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Match<'t> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn as_str(&self) -> &'t str {
        // Matches lie on char boundaries (UTF-8 mode, as in `regex`); an empty slice otherwise.
        self.text.get(self.start..self.end).unwrap_or("")
    }
}

/// The groups of one match.
#[derive(Debug)]
pub struct Captures<'t> {
    text: &'t str,
    slots: Slots,
    names: &'t [(Box<str>, usize)],
}

impl<'t> Captures<'t> {
    /// Group `index`; 0 is the whole match.
    pub fn get(&self, index: usize) -> Option<Match<'t>> {
        self.slots.get_group(index).map(|span| self.at(span.range()))
    }

    /// The group called `name`, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Match<'t>> {
        let index = self.names.iter().find(|(n, _)| &**n == name)?.1;
        self.get(index)
    }

    fn at(&self, range: Range<usize>) -> Match<'t> {
        Match {
            text: self.text,
            start: range.start,
            end: range.end,
        }
    }
}

/// The configuration of `regex::Regex::new`, so that matches are the same.
fn config() -> meta::Config {
    meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
}

impl Pattern {
    /// A pattern searched by its automaton alone, with no literal prefilter.
    pub fn new(pattern: &str) -> Result<Pattern, Box<BuildError>> {
        Pattern::build(pattern, false)
    }

    /// A pattern whose matches start with literals rare enough that looking for them first pays.
    pub fn with_prefilter(pattern: &str) -> Result<Pattern, Box<BuildError>> {
        Pattern::build(pattern, true)
    }

    fn build(pattern: &str, prefilter: bool) -> Result<Pattern, Box<BuildError>> {
        let syntax = regex_automata::util::syntax::Config::new().utf8(true);
        let regex = meta::Builder::new()
            .configure(config().auto_prefilter(prefilter))
            .syntax(syntax)
            .build(pattern)
            .map_err(Box::new)?;
        let names = regex
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .enumerate()
            .filter_map(|(index, name)| Some((Box::from(name?), index)))
            .collect();
        Ok(Pattern { regex, names })
    }

    /// Every non-overlapping match, in order.
    pub fn find_iter<'p, 't>(&'p self, text: &'t str) -> impl Iterator<Item = Match<'t>> + use<'p, 't> {
        self.regex.find_iter(Input::new(text)).map(move |m| Match {
            text,
            start: m.start(),
            end: m.end(),
        })
    }

    /// Every non-overlapping match with its groups, in order.
    pub fn captures_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Captures<'t>> + use<'t> {
        let names = &*self.names;
        self.regex
            .captures_iter(Input::new(text))
            .map(move |slots| Captures { text, slots, names })
    }

    /// The matches of [`Pattern::find_iter`] when every match lies inside one of `stretches`
    /// (ordered, disjoint ranges of `text`): each stretch is searched on its own, with the text
    /// around it seen by `\b`.
    pub fn find_iter_in<'p, 't>(
        &'p self,
        text: &'t str,
        stretches: &'p [Range<usize>],
    ) -> impl Iterator<Item = Match<'t>> + use<'p, 't> {
        stretches.iter().flat_map(move |stretch| {
            self.regex
                .find_iter(Input::new(text).range(stretch.clone()))
                .map(move |m| Match {
                    text,
                    start: m.start(),
                    end: m.end(),
                })
        })
    }

    /// The matches with groups of [`Pattern::captures_iter`] when every match lies inside one of
    /// `stretches` (see [`Pattern::find_iter_in`]).
    pub fn captures_iter_in<'t>(
        &'t self,
        text: &'t str,
        stretches: &'t [Range<usize>],
    ) -> impl Iterator<Item = Captures<'t>> + use<'t> {
        let names = &*self.names;
        stretches.iter().flat_map(move |stretch| {
            self.regex
                .captures_iter(Input::new(text).range(stretch.clone()))
                .map(move |slots| Captures { text, slots, names })
        })
    }

    /// The first match.
    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        self.regex.find(text).map(|m| Match {
            text,
            start: m.start(),
            end: m.end(),
        })
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

/// The matches of `pattern`, searched only in `stretches` (see `rules::LineScan`): none when there are
/// none, and then `pattern` is not even compiled.
pub fn in_lines<'t>(
    pattern: &'static LazyLock<Pattern>,
    text: &'t str,
    stretches: &'t [Range<usize>],
) -> impl Iterator<Item = Match<'t>> + use<'t> {
    (!stretches.is_empty())
        .then(|| LazyLock::force(pattern).find_iter_in(text, stretches))
        .into_iter()
        .flatten()
}

/// The matches with groups of `pattern`, searched only in `stretches` (see [`in_lines`]).
pub fn captures_in_lines<'t>(
    pattern: &'static LazyLock<Pattern>,
    text: &'t str,
    stretches: &'t [Range<usize>],
) -> impl Iterator<Item = Captures<'t>> + use<'t> {
    (!stretches.is_empty())
        .then(|| LazyLock::force(pattern).captures_iter_in(text, stretches))
        .into_iter()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same matches, groups and order as `regex::Regex`, with and without a prefilter.
    #[test]
    fn matches_are_those_of_the_regex_crate() {
        let patterns = [
            r"(?i)(?-u:\b)(?P<month>mar(?:ch)?)(?-u:\b)\.?[ \t]+(?P<day>[0-9]{1,2})",
            r"(?-u:\b)[0-9]{1,2}(?P<sep>[-/.])[0-9]{1,2}(?-u:\b)",
            r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
            r"(?i)(?-u:\b)(?:he|she|his|her)(?-u:\b)|(?P<n>[0-9]{1,3}) ?[MF]",
            r"",
            r"x*",
        ];
        let texts = [
            "Seen March 3 and mar 14, 3/4 and 12-1; a@b.org, ſhe and HER; 45 M, 7F 🙂 é",
            "",
            "🙂🙂 xx x",
        ];
        for pattern in patterns {
            let reference = regex::Regex::new(pattern).expect("pattern");
            for ours in [
                Pattern::new(pattern).expect("pattern"),
                Pattern::with_prefilter(pattern).expect("pattern"),
            ] {
                for text in texts {
                    let expected: Vec<_> = reference.find_iter(text).map(|m| m.range()).collect();
                    let found: Vec<_> = ours.find_iter(text).map(|m| m.range()).collect();
                    assert_eq!(found, expected, "{pattern:?} in {text:?}");
                    assert_eq!(
                        ours.find(text).map(|m| m.range()),
                        reference.find(text).map(|m| m.range())
                    );
                    assert_eq!(ours.is_match(text), reference.is_match(text));
                    let names: Vec<&str> = reference.capture_names().flatten().collect();
                    let expected: Vec<Vec<Option<Range<usize>>>> = reference
                        .captures_iter(text)
                        .map(|c| {
                            let mut groups: Vec<_> = (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect();
                            groups.extend(names.iter().map(|n| c.name(n).map(|m| m.range())));
                            groups
                        })
                        .collect();
                    let found: Vec<Vec<Option<Range<usize>>>> = ours
                        .captures_iter(text)
                        .map(|c| {
                            let mut groups: Vec<_> = (0..reference.captures_len())
                                .map(|i| c.get(i).map(|m| m.range()))
                                .collect();
                            groups.extend(names.iter().map(|n| c.name(n).map(|m| m.range())));
                            groups
                        })
                        .collect();
                    assert_eq!(found, expected, "{pattern:?} in {text:?}");
                    for m in ours.find_iter(text) {
                        assert_eq!(m.as_str(), &text[m.range()]);
                    }
                }
            }
        }
    }
}
