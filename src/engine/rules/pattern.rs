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
//!
//! Compiling the patterns, and building their automata's states as searches need them, was a
//! quarter of the work of checking a megabyte of nursing notes. The patterns whose groups are
//! never read are compiled ahead of time instead, by `build.rs`, into a forward and a reverse
//! DFA each ([`Pattern::prebuilt`]): the DFAs find the same matches and are read from the
//! binary, and the check of those notes takes 13% fewer instructions.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex_automata::dfa::{dense, regex::Regex as DfaRegex};
use regex_automata::meta::{self, BuildError, Regex};
use regex_automata::util::captures::Captures as Slots;
use regex_automata::Input;

use crate::engine::rules::scans::PREBUILT_SOURCES;

/// A compiled pattern. Matches are those of `regex::Regex` for the same pattern.
#[derive(Debug)]
pub struct Pattern {
    engine: Engine,
}

#[derive(Debug)]
enum Engine {
    /// Compiled from its source while checking.
    Compiled(Compiled),
    /// Built by `build.rs` (see [`Pattern::prebuilt`]); compiled from its source only to read
    /// groups.
    Prebuilt(Box<Prebuilt>),
}

#[derive(Debug)]
struct Prebuilt {
    dfas: DfaRegex<dense::DFA<&'static [u32]>>,
    source: &'static str,
    compiled: OnceLock<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    regex: Regex,
    /// The named groups and their indices: a few, found faster by a scan than by the regex's
    /// own hash map.
    names: Box<[(Box<str>, usize)]>,
}

/// Bytes aligned as a DFA's deserialization needs them (to four bytes).
#[repr(C)]
pub(crate) struct Aligned<B: ?Sized> {
    pub(crate) _align: [u32; 0],
    pub(crate) bytes: B,
}

/// The bytes of a pattern's forward and reverse DFAs.
type DfaBytes = (&'static Aligned<[u8]>, &'static Aligned<[u8]>);

// `PREBUILT_DFAS`: the bytes of the DFAs of `PREBUILT_SOURCES`, in its order.
include!(concat!(env!("OUT_DIR"), "/prebuilt_patterns.rs"));

/// Reads a DFA that `build.rs` wrote.
fn read_dfa(bytes: &'static Aligned<[u8]>) -> dense::DFA<&'static [u32]> {
    // Checking the tables as they are read (`from_bytes`) costs as much as a search of a few
    // kilobytes; the test `prebuilt_dfas_are_valid` checks them instead, on every test run.
    //
    // SAFETY: `from_bytes_unchecked` needs bytes written by `DFA::to_bytes_*` of the same
    // regex-automata, for this target's endianness; it still reads and checks the header
    // (format version, endianness, alignment) and returns an error on a mismatch. These bytes
    // are written by this crate's `build.rs`, with `to_bytes_little_endian` or
    // `to_bytes_big_endian` as the target is, with the one regex-automata of `Cargo.lock`, and
    // embedded in the binary: nothing else can write them.
    let (dfa, _) = unsafe { dense::DFA::from_bytes_unchecked(&bytes.bytes) }.expect("a DFA written by build.rs");
    dfa
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

impl Compiled {
    fn build(pattern: &str, prefilter: bool) -> Result<Compiled, Box<BuildError>> {
        Compiled::build_with(pattern, config().auto_prefilter(prefilter))
    }

    /// The engine that reads the groups of the matches a prebuilt pattern's DFAs found: each is
    /// searched anchored at its start and no further than its end, so neither a lazy DFA nor the
    /// reverse automaton it needs is built (a third of the work of compiling).
    fn for_groups(pattern: &str) -> Result<Compiled, Box<BuildError>> {
        Compiled::build_with(pattern, config().auto_prefilter(false).hybrid(false).dfa(false))
    }

    fn build_with(pattern: &str, config: meta::Config) -> Result<Compiled, Box<BuildError>> {
        let syntax = regex_automata::util::syntax::Config::new().utf8(true);
        let regex = meta::Builder::new()
            .configure(config)
            .syntax(syntax)
            .build(pattern)
            .map_err(Box::new)?;
        let names = regex
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .enumerate()
            .filter_map(|(index, name)| Some((Box::from(name?), index)))
            .collect();
        Ok(Compiled { regex, names })
    }
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

    /// The pattern of `source`, one of [`PREBUILT_SOURCES`], with the DFAs `build.rs` made of
    /// it: nothing is compiled, and no state is built while searching. Its matches are those of
    /// [`Pattern::new`], and so are its groups: when they are asked for, they are read from each
    /// match the DFAs found by an engine compiled on the first match. A source not in the list is
    /// compiled as by [`Pattern::new`].
    ///
    /// The DFAs' searches cannot fail: they have no quit bytes (`build.rs` refuses Unicode word
    /// boundaries, the only cause here) and are searched unanchored, as they were built.
    pub fn prebuilt(source: &'static str) -> Pattern {
        let Some(index) = PREBUILT_SOURCES.iter().position(|s| *s == source) else {
            return Pattern::new(source).expect("a pattern of the crate compiles");
        };
        let (forward, reverse) = PREBUILT_DFAS[index];
        let dfas = DfaRegex::builder().build_from_dfas(read_dfa(forward), read_dfa(reverse));
        Pattern {
            engine: Engine::Prebuilt(Box::new(Prebuilt {
                dfas,
                source,
                compiled: OnceLock::new(),
            })),
        }
    }

    fn build(pattern: &str, prefilter: bool) -> Result<Pattern, Box<BuildError>> {
        Ok(Pattern {
            engine: Engine::Compiled(Compiled::build(pattern, prefilter)?),
        })
    }

    /// The groups of each match of `matches`, a search of this prebuilt pattern's DFAs in `text`.
    fn groups_of<'t>(
        prebuilt: &'t Prebuilt,
        text: &'t str,
        matches: impl Iterator<Item = Match<'t>> + 't,
    ) -> impl Iterator<Item = Captures<'t>> + 't {
        matches.filter_map(move |m| {
            let compiled = prebuilt
                .compiled
                .get_or_init(|| Compiled::for_groups(prebuilt.source).expect("a prebuilt pattern's source compiles"));
            let mut slots = compiled.regex.create_captures();
            // The match the DFAs found is the leftmost-first match starting where it starts: the
            // one an anchored search there finds, and no longer than it.
            let input = Input::new(text)
                .range(m.range())
                .anchored(regex_automata::Anchored::Yes);
            compiled.regex.search_captures(&input, &mut slots);
            slots.is_match().then_some(Captures {
                text,
                slots,
                names: &compiled.names,
            })
        })
    }

    /// Every match in `input` (`text`, or a range of it), in order.
    fn matches<'p, 't>(&'p self, text: &'t str, input: Input<'t>) -> impl Iterator<Item = Match<'t>> + use<'p, 't> {
        let to_match = move |m: regex_automata::Match| Match {
            text,
            start: m.start(),
            end: m.end(),
        };
        match &self.engine {
            Engine::Compiled(compiled) => Either::Left(compiled.regex.find_iter(input).map(to_match)),
            Engine::Prebuilt(prebuilt) => Either::Right(prebuilt.dfas.find_iter(input).map(to_match)),
        }
    }

    /// Every non-overlapping match, in order.
    pub fn find_iter<'p, 't>(&'p self, text: &'t str) -> impl Iterator<Item = Match<'t>> + use<'p, 't> {
        self.matches(text, Input::new(text))
    }

    /// Every non-overlapping match with its groups, in order.
    pub fn captures_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Captures<'t>> + use<'t> {
        match &self.engine {
            Engine::Compiled(compiled) => {
                let names = &*compiled.names;
                Either::Left(
                    compiled
                        .regex
                        .captures_iter(Input::new(text))
                        .map(move |slots| Captures { text, slots, names }),
                )
            }
            Engine::Prebuilt(prebuilt) => Either::Right(Pattern::groups_of(prebuilt, text, self.find_iter(text))),
        }
    }

    /// The matches of [`Pattern::find_iter`] when every match lies inside one of `stretches`
    /// (ordered, disjoint ranges of `text`): each stretch is searched on its own, with the text
    /// around it seen by `\b`.
    pub fn find_iter_in<'p, 't>(
        &'p self,
        text: &'t str,
        stretches: &'p [Range<usize>],
    ) -> impl Iterator<Item = Match<'t>> + use<'p, 't> {
        stretches
            .iter()
            .flat_map(move |stretch| self.matches(text, Input::new(text).range(stretch.clone())))
    }

    /// The matches with groups of [`Pattern::captures_iter`] when every match lies inside one of
    /// `stretches` (see [`Pattern::find_iter_in`]).
    pub fn captures_iter_in<'t>(
        &'t self,
        text: &'t str,
        stretches: &'t [Range<usize>],
    ) -> impl Iterator<Item = Captures<'t>> + use<'t> {
        match &self.engine {
            Engine::Compiled(compiled) => {
                let names = &*compiled.names;
                Either::Left(stretches.iter().flat_map(move |stretch| {
                    compiled
                        .regex
                        .captures_iter(Input::new(text).range(stretch.clone()))
                        .map(move |slots| Captures { text, slots, names })
                }))
            }
            Engine::Prebuilt(prebuilt) => {
                Either::Right(Pattern::groups_of(prebuilt, text, self.find_iter_in(text, stretches)))
            }
        }
    }

    /// The first match.
    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        self.find_iter(text).next()
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.engine {
            Engine::Compiled(compiled) => compiled.regex.is_match(text),
            Engine::Prebuilt(prebuilt) => prebuilt.dfas.is_match(text),
        }
    }
}

/// One of two iterators of the same items.
enum Either<L, R> {
    Left(L),
    Right(R),
}

impl<T, L: Iterator<Item = T>, R: Iterator<Item = T>> Iterator for Either<L, R> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match self {
            Either::Left(l) => l.next(),
            Either::Right(r) => r.next(),
        }
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
    use proptest::prelude::{prop, prop_assert_eq, Strategy};

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

    /// One text per prebuilt pattern, in the order of [`PREBUILT_SOURCES`], that it matches.
    const PREBUILT_SAMPLES: [&str; 33] = [
        "lives at 965 Amanda Forges Suite 466 now",
        "see https://example.org/case-12 or clinic.org/a",
        "doi:10.1056/NEJMoa2034577 and PMID 12345678",
        "VIN 1HGCM82633A004352 on file",
        "code AB12-34567-89 again",
        "SSN 123-45-6789.",
        "call (617) 555-0143 today",
        "ext 555-0143 please",
        "from 192.168.10.4 at noon",
        "host fe80::1 up",
        "moved to SW1A 1AA last year",
        "what a stupid question",
        "HE WAS SHOUTING again",
        "seen by J. K. on call",
        "a woman in her nineties",
        "another gomer tonight",
        "lol \u{1F602}",
        "she peed herself",
        "last night at the bar",
        "off route 9 near town",
        "the star quarterback of the team",
        "one in a million",
        "after the crash on the bridge",
        "she said",
        "a 45-year-old and a seventy-two year old, 72yo F, aged 45, she was 93",
        "an addict who suffers from diabetes, a diabetic, the mentally ill",
        "Boston, MA 02115, zip code 02116, 02117-1234",
        "pager #54321, ext. 4410",
        "since the 3rd and from the 21st",
        "on 2024-03-05, 3/4/2024 and 12.1.24",
        "MRN: 00123456, plate ABC 1234, serial no. SN-88412, acct. 4471-22",
        "on Monday, March 3rd, 2024 and in Mar. 2024",
        "on the 3rd of March and Tue 4 Feb 2025",
    ];

    /// What the prebuilt patterns are compared on: the bundled examples, the hard cases, the
    /// samples above and, when it is there, the development corpus.
    fn comparison_texts() -> Vec<String> {
        let mut texts: Vec<String> = vec![
            include_str!("../../../examples/vignette.md").to_string(),
            include_str!("../../../examples/clean.md").to_string(),
            include_str!("../../../examples/social-post.md").to_string(),
            include_str!("../../../tests/fixtures/hard_cases.jsonl").replace("\\n", "\n"),
        ];
        texts.extend(PREBUILT_SAMPLES.map(String::from));
        for corpus in ["dev.jsonl", "physionet-dev.jsonl"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/corpus")
                .join(corpus);
            if let Ok(text) = std::fs::read_to_string(path) {
                texts.push(text.replace("\\n", "\n"));
            }
        }
        texts
    }

    /// Each prebuilt pattern next to the same source compiled while checking, made once.
    static PAIRS: LazyLock<Vec<(&str, Pattern, Pattern)>> = LazyLock::new(|| {
        PREBUILT_SOURCES
            .iter()
            .map(|source| {
                (
                    *source,
                    Pattern::prebuilt(source),
                    Pattern::new(source).expect("pattern"),
                )
            })
            .collect()
    });

    fn ranges<'t>(found: impl Iterator<Item = Match<'t>>) -> Vec<Range<usize>> {
        found.map(|m| m.range()).collect()
    }

    /// The DFAs `build.rs` wrote, read at run time without checking their tables, pass the
    /// full check of `from_bytes` (every transition, start state and match state valid), and
    /// each pattern is read from its own: the DFAs were made from these very sources.
    #[test]
    fn prebuilt_dfas_are_valid() {
        assert_eq!(PREBUILT_DFAS.len(), PREBUILT_SOURCES.len());
        for (forward, reverse) in PREBUILT_DFAS {
            for bytes in [forward, reverse] {
                let (checked, read) = dense::DFA::from_bytes(&bytes.bytes).expect("a valid DFA");
                assert_eq!(read, bytes.bytes.len(), "the whole file is the DFA");
                assert_eq!(checked.memory_usage(), read_dfa(bytes).memory_usage());
            }
        }
        for (index, (source, prebuilt, _)) in PAIRS.iter().enumerate() {
            assert!(matches!(prebuilt.engine, Engine::Prebuilt(_)), "{source}");
            assert!(
                prebuilt.is_match(PREBUILT_SAMPLES[index]),
                "{source} in {:?}",
                PREBUILT_SAMPLES[index]
            );
        }
    }

    /// Every prebuilt pattern finds what its source compiled while checking finds, on real and
    /// bundled text: each match, the first, and whether there is one.
    #[test]
    fn prebuilt_patterns_match_as_compiled_ones() {
        let texts = comparison_texts();
        for (source, prebuilt, compiled) in PAIRS.iter() {
            let mut found = 0;
            for text in &texts {
                let expected = ranges(compiled.find_iter(text));
                assert_eq!(ranges(prebuilt.find_iter(text)), expected, "{source}");
                assert_eq!(prebuilt.find(text), compiled.find(text), "{source}");
                assert_eq!(prebuilt.is_match(text), compiled.is_match(text), "{source}");
                found += expected.len();
            }
            assert!(found > 0, "no text holds a match of {source}");
        }
    }

    /// Every group of every match, by number and by name.
    fn groups<'t>(
        found: impl Iterator<Item = Captures<'t>>,
        names: &[&str],
        count: usize,
    ) -> Vec<Vec<Option<Range<usize>>>> {
        found
            .map(|c| {
                let mut groups: Vec<_> = (0..count).map(|i| c.get(i).map(|m| m.range())).collect();
                groups.extend(names.iter().map(|n| c.name(n).map(|m| m.range())));
                groups
            })
            .collect()
    }

    /// The groups of every prebuilt pattern's matches are those the compiled one gives, whole
    /// and in stretches of lines, on real and bundled text.
    #[test]
    fn prebuilt_patterns_give_the_groups_of_compiled_ones() {
        let texts = comparison_texts();
        for (source, prebuilt, compiled) in PAIRS.iter() {
            let reference = regex::Regex::new(source).expect("pattern");
            let names: Vec<&str> = reference.capture_names().flatten().collect();
            let count = reference.captures_len();
            for text in &texts {
                let lines: Vec<Range<usize>> = text
                    .split_inclusive('\n')
                    .scan(0, |at, line| {
                        *at += line.len();
                        Some(*at - line.len()..*at)
                    })
                    .step_by(2)
                    .collect();
                assert_eq!(
                    groups(prebuilt.captures_iter(text), &names, count),
                    groups(compiled.captures_iter(text), &names, count),
                    "{source}"
                );
                assert_eq!(
                    groups(prebuilt.captures_iter_in(text, &lines), &names, count),
                    groups(compiled.captures_iter_in(text, &lines), &names, count),
                    "{source}"
                );
            }
        }
    }

    /// Groups asked of a prebuilt pattern are those of the compiled one (compiled on first use),
    /// and a source that was not prebuilt is compiled.
    #[test]
    fn prebuilt_patterns_still_give_groups() {
        let (source, prebuilt, compiled) = &PAIRS[0];
        let text = "at 965 Amanda Forges Suite 466 and 12 N. Main St., Apt 3B";
        let groups = |p: &Pattern| -> Vec<_> { p.captures_iter(text).map(|c| c.get(0).map(|m| m.range())).collect() };
        assert_eq!(groups(prebuilt), groups(compiled), "{source}");
        assert_eq!(groups(prebuilt).len(), 2);
        let stretches = [0..30, 31..text.len()];
        let within = |p: &Pattern| -> Vec<_> {
            p.captures_iter_in(text, &stretches)
                .map(|c| c.get(0).map(|m| m.range()))
                .collect()
        };
        assert_eq!(within(prebuilt), within(compiled));
        let other = Pattern::prebuilt(r"(?-u:\b)x+(?P<y>y)");
        assert!(matches!(other.engine, Engine::Compiled(_)));
        assert_eq!(
            other
                .captures_iter("xxy")
                .next()
                .and_then(|c| c.name("y"))
                .map(|m| m.range()),
            Some(2..3)
        );
    }

    /// Text made of pieces of what the prebuilt patterns look for, with the characters around
    /// their edges that matter: word boundaries, line ends, non-ASCII letters and emoji.
    fn pattern_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "12", "965", "4", "3rd", "1HGCM82633A004352", "123-45-6789", "555-0143", "(617)", "+1", "192.168.10.4",
            "fe80::1", "2001:db8:0:0:0:0:2:1", "SW1A", "1AA", "K1A", "0B1", "AB12-34567-89", "Amanda", "AMANDA",
            "Main", "N.", "St", "St.", "Forges", "MANORS", "Apt", "Suite", "#", "3B", "J.", "K.", "HE", "WAS",
            "stupid", "in", "her", "nineties", "centenarian", "gomer", "frequent flyer", "lol", "haha", "\u{1F602}",
            "stank", "peed", "herself", "too fat", "last night", "route 9", "star", "quarterback", "one in a million",
            "crash", "man", "she", "his", " ", " ", " ", "  ", "\t", "\n", "\r\n", ".", ",", "-", "'", "é", "\u{17f}",
            "\u{212a}", "x", "_", "0", "🙂", "MRN", "mrn:", "plate", "serial no.", "acct.", "id #", "00123456",
            "SN-88412", "March", "Mar.", "Monday,", "tue", "the", "of", "2024", "21st", "\u{a0}",
        ];
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1000, ..Default::default() })]

        /// On generated text, searched whole and in stretches (which see the text around them),
        /// every prebuilt pattern finds what the compiled one finds.
        #[test]
        fn prebuilt_patterns_match_as_compiled_ones_anywhere(
            text in pattern_text(),
            cuts in prop::collection::vec(0usize..400, 0..6),
        ) {
            let mut cuts: Vec<usize> =
                cuts.into_iter().map(|c| c.min(text.len())).filter(|&c| text.is_char_boundary(c)).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let stretches: Vec<Range<usize>> = cuts.chunks(2).filter(|c| c.len() == 2).map(|c| c[0]..c[1]).collect();
            for (source, prebuilt, compiled) in PAIRS.iter() {
                prop_assert_eq!(ranges(prebuilt.find_iter(&text)), ranges(compiled.find_iter(&text)), "{}", source);
                prop_assert_eq!(
                    ranges(prebuilt.find_iter_in(&text, &stretches)),
                    ranges(compiled.find_iter_in(&text, &stretches)),
                    "{}", source
                );
                prop_assert_eq!(prebuilt.is_match(&text), compiled.is_match(&text));
                let Engine::Compiled(inner) = &compiled.engine else { unreachable!("compiled by Pattern::new") };
                let names: Vec<&str> = inner.names.iter().map(|(n, _)| &**n).collect();
                let count = inner.regex.group_info().group_len(regex_automata::PatternID::ZERO);
                prop_assert_eq!(
                    groups(prebuilt.captures_iter_in(&text, &stretches), &names, count),
                    groups(compiled.captures_iter_in(&text, &stretches), &names, count),
                    "{}", source
                );
            }
        }
    }
}
