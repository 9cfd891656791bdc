//! `quasi/combination`: details that together single a patient out, even without a name.
//!
//! The guidance's own example: an emergency doctor posted about a car-accident patient without a
//! name; the local press covered the case and the patient was recognised (Medical Protection
//! Society). An exact age, a time ("last night"), a place, a role ("the star point guard"), a
//! rare condition or a newsworthy event each narrow the field; within one case (the document or a
//! section under a heading) enough of them together raise one warning that names them.
//!
//! Gender counts half: nearly every case mentions it. An ordinary teaching case — "a woman in her
//! 60s ... in 2021" — has a range, a year and a gender, and does not fire.

use crate::engine::rules::scans::{EVENT_SOURCE, GENDER_SOURCE, PLACE_SOURCE, RARE_SOURCE, ROLE_SOURCE, TIME_SOURCE};
use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::Pattern;

use crate::engine::finding::Finding;
use crate::engine::rules::{Gates, Lined, Rule};

/// What a detail is, for the message and the related information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Age,
    Time,
    Place,
    Role,
    Rare,
    Event,
    Gender,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Age => "an exact age",
            Kind::Time => "a date or time",
            Kind::Place => "a place",
            Kind::Role => "a role or occupation",
            Kind::Rare => "a rare condition",
            Kind::Event => "a newsworthy event",
            Kind::Gender => "the gender",
        }
    }

    /// How much the detail narrows the field, in halves.
    fn weight(self) -> u32 {
        match self {
            Kind::Gender => 1,
            _ => 2,
        }
    }
}

/// Every kind, in the order of [`Kind`].
const KINDS: [Kind; 7] = [
    Kind::Age,
    Kind::Time,
    Kind::Place,
    Kind::Role,
    Kind::Rare,
    Kind::Event,
    Kind::Gender,
];

/// The message of a combination, for each set of kinds (bit `k` for the kind `k`), made once:
/// a long document has thousands of combinations, checked again after every keystroke.
static MESSAGES: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..1usize << KINDS.len())
        .map(|kinds| {
            let names: Vec<&str> = KINDS
                .iter()
                .filter(|&&k| kinds & 1 << k as usize != 0)
                .map(|k| k.describe())
                .collect();
            let list = match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => names.join(""),
            };
            format!(
                "Identifiable without a name: {list} together can single this patient out, especially if the story was in the local news. Generalize some of them (an age range, only the year, a wider region, a general description of the event or role) or leave them out."
            )
        })
        .collect()
});

/// Enough details to raise the warning (in halves: three full details).
const THRESHOLD: u32 = 6;

static TIME: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(TIME_SOURCE));

static PLACE: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(PLACE_SOURCE));

static ROLE: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(ROLE_SOURCE));

static RARE: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(RARE_SOURCE));

static EVENT: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(EVENT_SOURCE));

static GENDER: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(GENDER_SOURCE));

/// The patterns a case is searched for, in the order its details are noted.
const PATTERN_KINDS: [Kind; 6] = [
    Kind::Time,
    Kind::Place,
    Kind::Role,
    Kind::Rare,
    Kind::Event,
    Kind::Gender,
];

fn pattern(kind: Kind) -> &'static Pattern {
    match kind {
        Kind::Time => &TIME,
        Kind::Place => &PLACE,
        Kind::Role => &ROLE,
        Kind::Rare => &RARE,
        Kind::Event => &EVENT,
        _ => &GENDER,
    }
}

/// Where, of the segment's [`Gates`], the lines are that the pattern of `kind` matches in.
fn lined(kind: Kind) -> Lined {
    match kind {
        Kind::Time => Lined::QuasiTime,
        Kind::Place => Lined::QuasiPlace,
        Kind::Role => Lined::QuasiRole,
        Kind::Rare => Lined::QuasiRare,
        Kind::Event => Lined::QuasiEvent,
        _ => Lined::QuasiGender,
    }
}

/// The first match of each of [`PATTERN_KINDS`], by position in that list.
type FirstMatches = [Option<Range<usize>>; 6];

/// A stretch of one segment between headings: where it starts (in the segment), whether a
/// heading starts it, and the first match of each of [`PATTERN_KINDS`] in it. No pattern matches
/// across a line end, so the first match in a case is the first match of its first piece that
/// has one, and pieces can be searched segment by segment.
#[derive(Debug, Clone)]
pub struct Piece {
    pub start: usize,
    pub heading: bool,
    first: FirstMatches,
}

fn is_heading(line: &str) -> bool {
    let trimmed = line.trim_start();
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t'])
}

/// The pieces of one segment: `source` is its text, `text` the same with markup blanked, and
/// `gates` the lines of `text` where each pattern matches.
pub(crate) fn pieces(source: &str, text: &str, gates: &Gates) -> Vec<Piece> {
    // Where each piece starts: the segment's start, and every heading after it.
    let bytes = source.as_bytes();
    let line_ends = memchr::memchr_iter(b'\n', bytes)
        .map(|i| i + 1)
        .chain((bytes.last() != Some(&b'\n')).then_some(bytes.len()));
    let mut starts = Vec::new();
    let mut at = 0;
    for end in line_ends {
        let heading = is_heading(&source[at..end]);
        if at == 0 || heading {
            starts.push((at, heading));
        }
        at = end;
    }
    let ends = starts
        .iter()
        .skip(1)
        .map(|&(s, _)| s)
        .chain(std::iter::once(source.len()));
    // Pieces are whole lines and no match lies across a line end, so the first match in a piece
    // is the first in its first line that holds one: only that line is searched.
    let search = |kind: Kind, start: usize, end: usize| {
        let lines = gates.lines(lined(kind));
        let line = lines.get(lines.partition_point(|l| l.end <= start))?;
        let (from, to) = (line.start.max(start), line.end.min(end));
        (from < to)
            .then(|| pattern(kind).find(&text[from..to]))?
            .map(|m| from + m.start()..from + m.end())
    };
    starts
        .iter()
        .zip(ends)
        .map(|(&(start, heading), end)| Piece {
            start,
            heading,
            first: PATTERN_KINDS.map(|kind| search(kind, start, end)),
        })
        .collect()
}

/// The combinations in a document, from its pieces (each with the offset of its segment, in
/// document order) and the rule and document span of every finding in it (after allow-lists and
/// suppressions), of which there are about `count` (room is made for as many).
///
/// A keystroke in a long document judges every case again: nothing here allocates but the list
/// of combinations, the identifiers and each combination's details.
pub fn combine<'p>(
    pieces: impl IntoIterator<Item = (usize, &'p Piece)>,
    len: usize,
    findings: impl IntoIterator<Item = (Rule, Range<usize>)>,
    count: usize,
) -> Vec<Finding> {
    // The identifiers that count as details, in text order, so each case finds its own
    // with a binary search rather than a pass over all of them.
    let mut identifiers: Vec<(Range<usize>, Kind)> = Vec::with_capacity(count);
    identifiers.extend(findings.into_iter().filter_map(|(rule, span)| match rule {
        Rule::Age => Some((span, Kind::Age)),
        Rule::Date => Some((span, Kind::Time)),
        Rule::Location | Rule::Address | Rule::Zip => Some((span, Kind::Place)),
        _ => None,
    }));
    identifiers.sort_by_key(|(span, _)| span.start);
    let mut out = Vec::new();
    // The cases: a new one starts at every heading but the document's first line. Each is
    // judged when the next one starts, and the last at the end.
    let mut case: Option<(usize, FirstMatches)> = None;
    for (offset, piece) in pieces {
        let start = offset + piece.start;
        let shifted = |r: &Option<Range<usize>>| r.as_ref().map(|r| r.start + offset..r.end + offset);
        match &mut case {
            Some((_, first)) if !(piece.heading && start > 0) => {
                for (slot, found) in first.iter_mut().zip(&piece.first) {
                    if slot.is_none() {
                        *slot = shifted(found);
                    }
                }
            }
            _ => {
                if let Some((from, first)) = case.take() {
                    judge(from..start, first, &identifiers, &mut out);
                }
                case = Some((start, piece.first.each_ref().map(shifted)));
            }
        }
    }
    if let Some((from, first)) = case {
        judge(from..len, first, &identifiers, &mut out);
    }
    out
}

/// The combination of the case `section`, if its details are enough to single a patient out:
/// the first of each kind, from `identifiers` (in text order) and then from `first`.
fn judge(section: Range<usize>, first: FirstMatches, identifiers: &[(Range<usize>, Kind)], out: &mut Vec<Finding>) {
    // The detail of each kind, by its place in `KINDS` (the enum's order).
    let mut details: [Option<Range<usize>>; KINDS.len()] = Default::default();
    let from = identifiers.partition_point(|(span, _)| span.start < section.start);
    for (span, kind) in identifiers[from..]
        .iter()
        .take_while(|(span, _)| span.start < section.end)
    {
        if span.end <= section.end && details[*kind as usize].is_none() {
            details[*kind as usize] = Some(span.clone());
        }
    }
    for (kind, found) in PATTERN_KINDS.into_iter().zip(first) {
        if details[kind as usize].is_none() {
            details[kind as usize] = found;
        }
    }
    // The kinds found, then put in text order (a kind before another at the same place).
    let mut found = KINDS;
    let mut n = 0;
    for kind in KINDS {
        if details[kind as usize].is_some() {
            found[n] = kind;
            n += 1;
        }
    }
    if found[..n].iter().map(|kind| kind.weight()).sum::<u32>() < THRESHOLD {
        return;
    }
    let start_of = |kind: &Kind| details[*kind as usize].as_ref().map_or(0, |span| span.start);
    found[..n].sort_unstable_by_key(|kind| (start_of(kind), *kind));
    let found = &found[..n];
    let Some(anchor) = found.iter().find(|k| **k != Kind::Gender) else {
        return;
    };
    let span_of = |kind: &Kind| details[*kind as usize].clone().unwrap_or_default();
    let kinds = found.iter().fold(0, |kinds, k| kinds | 1 << *k as usize);
    let mut finding = Finding::new(Rule::QuasiCombination, span_of(anchor), MESSAGES[kinds].as_str());
    finding.related = found.iter().map(|k| (span_of(k), k.describe())).collect();
    out.push(finding);
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&TIME);
    std::sync::LazyLock::force(&PLACE);
    std::sync::LazyLock::force(&ROLE);
    std::sync::LazyLock::force(&RARE);
    std::sync::LazyLock::force(&EVENT);
    std::sync::LazyLock::force(&GENDER);
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format, Rule};

    /// The pieces' first matches are those of each pattern searched in each piece on its own.
    #[test]
    fn gated_pieces_have_the_first_matches_of_each_piece() {
        let cases = [
            "# Case\n\nThe star point guard was hit on Route 9 last night.\n\n## Later\n\nShe has progeria.\n",
            "# One\n\nNothing here.\n# Two\n\nOur town's teacher and the local high school.\n",
            "A man of 40 came in. He was fine.\n# Heading\nI-95 crash, rabies\n",
            "no headings, no details\n",
            "",
            "# Only a heading",
            "# A\n\nnothing\nmore of nothing\nthen last night he crashed\nand a woman\n## B\nfine\nat noon\n",
        ];
        for text in cases {
            let pieces = super::pieces(text, text, &crate::engine::rules::Gates::of(text));
            for (i, piece) in pieces.iter().enumerate() {
                let end = pieces.get(i + 1).map_or(text.len(), |p| p.start);
                for (k, kind) in super::PATTERN_KINDS.into_iter().enumerate() {
                    let expected = super::pattern(kind)
                        .find(&text[piece.start..end])
                        .map(|m| piece.start + m.start()..piece.start + m.end());
                    assert_eq!(piece.first[k], expected, "{kind:?} in piece {i} of {text:?}");
                }
            }
        }
    }

    fn quasi(text: &str) -> Vec<(String, Vec<&'static str>)> {
        Checker::default()
            .check(text, Format::Markdown)
            .into_iter()
            .filter(|f| f.rule == Rule::QuasiCombination)
            .map(|f| {
                (
                    text[f.span].to_string(),
                    f.related.iter().map(|(_, what)| *what).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn the_point_guard_post_is_identifiable() {
        let post = "Thinking of the 17-year-old driver from last night's crash on Route 9 \u{2014} the star point guard at the high school. Tough night.";
        let found = quasi(post);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "17-year-old");
        for what in [
            "an exact age", "a date or time", "a newsworthy event", "a place", "a role or occupation",
        ] {
            assert!(found[0].1.contains(&what), "{what} missing from {:?}", found[0].1);
        }
    }

    #[test]
    fn the_car_accident_case_is_identifiable() {
        let post = "Crazy shift in the ER: a 23-year-old woman from the car accident on Route 30 last night needed a chest tube.";
        assert_eq!(quasi(post).len(), 1);
    }

    #[test]
    fn a_de_identified_teaching_case_does_not_fire() {
        for case in [
            "A woman in her 60s presented in 2021 with progressive dyspnea. She had smoked for 40 years. CT showed emphysema.",
            "A man in his 50s came to clinic with chest pain after a fall at home. He was a retired teacher. His troponin was normal.",
            "# Case 1\n\nA teenager with a gunshot wound to the thigh.\n\n# Case 2\n\nA man in his 70s with a rare rash.",
        ] {
            assert_eq!(quasi(case), Vec::new(), "in {case:?}");
        }
    }

    /// The messages made ahead name each set's kinds in the order of `Kind`, joined as a list.
    #[test]
    fn combination_messages_list_their_kinds_in_order() {
        use super::{Kind, KINDS, MESSAGES};
        for (i, kind) in KINDS.into_iter().enumerate() {
            assert_eq!(kind as usize, i, "{kind:?}");
        }
        let message = |kinds: &[Kind]| MESSAGES[kinds.iter().fold(0, |m, &k| m | 1 << k as usize)].as_str();
        assert!(message(&[Kind::Gender, Kind::Age, Kind::Place])
            .starts_with("Identifiable without a name: an exact age, a place and the gender together can single"));
        assert!(message(&[Kind::Event]).starts_with("Identifiable without a name: a newsworthy event together"));
        assert!(message(&[Kind::Time, Kind::Rare])
            .starts_with("Identifiable without a name: a date or time and a rare condition together"));
    }

    #[test]
    fn each_section_is_its_own_case() {
        let text = "# One\n\nA 45-year-old man, last night.\n\n# Two\n\nThe crash on Route 9.\n";
        assert_eq!(quasi(text), Vec::new());
    }
}
