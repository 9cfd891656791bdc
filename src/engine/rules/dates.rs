//! `phi/date`: dates more precise than a year.
//!
//! Safe Harbor removes "all elements of dates (except year)": a day or a month together with
//! anything else is an identifier. Bare years are allowed. Clinical notation that looks like a date
//! — blood pressure `120/80`, power `4/5`, pain `10/10`, dilutions `1:1000` — is not.

use crate::engine::rules::scans::{
    BARE_ORDINAL_DAY_SOURCE, COMPACT_SOURCE, DAY_FIRST_SOURCE, HOLIDAY_SOURCE, MONTH_FIRST_SOURCE, NUMERIC_SOURCE,
};
use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::{captures_in_lines, in_lines, Captures, Pattern};

use crate::engine::finding::Finding;
use crate::engine::rules::{Gates, Lined, Rule};
use crate::engine::text::{char_at, char_before, context_before, words_after, words_before, Words};
use crate::engine::Context;

/// `March 3`, `Mar. 3rd, 2024`, `Monday, March 3`, `March 2024`.
static MONTH_FIRST: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(MONTH_FIRST_SOURCE));

/// `3 March 2024`, `the 3rd of March`, `Monday 3rd March`.
static DAY_FIRST: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(DAY_FIRST_SOURCE));

/// The stretches of `lines` (ordered, disjoint stretches of whole lines of `text`, each holding
/// a match of a hint: `scans::MONTH_FIRST_HINT_SOURCE` or `scans::DAY_FIRST_HINT_SOURCE`)
/// widened to the lines a match of [MONTH_FIRST] or [DAY_FIRST] with its month there can start
/// in: those before it that are blank or hold only `the` (a weekday's `\s+` takes line ends,
/// and `the` may stand between), and the line before those, which may end with the weekday. A
/// match can reach no further back, and none crosses the start of a widened stretch: that line
/// holds more than blanks and `the`, which a match would have to pass. So the patterns find in
/// these stretches what they find in the whole text.
fn with_weekday_lines(text: &str, lines: &[Range<usize>]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut widened: Vec<Range<usize>> = Vec::with_capacity(lines.len());
    for stretch in lines {
        let mut start = stretch.start;
        while start > 0 {
            let before = memchr::memrchr(b'\n', &bytes[..start - 1]).map_or(0, |i| i + 1);
            let content = text[before..start].trim();
            start = before;
            if !(content.is_empty() || content.eq_ignore_ascii_case("the")) {
                break;
            }
        }
        match widened.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(stretch.end),
            _ => widened.push(start..stretch.end),
        }
    }
    widened
}

/// `3/3/2024`, `03-04-24`, `03.04.2024`, `2024-03-03`, `2024/3/3`, and `3/3` on its own.
static NUMERIC: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(NUMERIC_SOURCE));

/// `20240303` — only with a date word nearby; otherwise the ID rule reports long numbers.
static COMPACT: LazyLock<Pattern> = LazyLock::new(|| Pattern::with_prefilter(COMPACT_SOURCE).expect("compact date"));

/// Holidays name a day of the year.
static HOLIDAY: LazyLock<Pattern> = LazyLock::new(|| Pattern::with_prefilter(HOLIDAY_SOURCE).expect("holiday pattern"));

/// `on the 3rd.` — a day of the month with no month named.
static BARE_ORDINAL_DAY: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(BARE_ORDINAL_DAY_SOURCE));

/// Words that, just before a number like `3/4`, make it a date.
const DATE_CONTEXT: &[&str] = &[
    "on", "since", "from", "until", "till", "by", "dob", "d.o.b", "born", "date", "dated", "seen", "admitted",
    "admission", "discharged", "discharge", "visit", "visited", "died", "death", "deceased", "surgery", "operated",
    "procedure", "presented", "returned", "readmitted", "transferred", "collected", "drawn", "reported", "scheduled",
    "booked", "appointment", "follow-up", "f/u", "due", "last", "next", "before", "after", "starting", "started",
    "stopped", "effective", "expires", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
];

/// Ventilator and oxygen settings written as `10/5`.
const SETTINGS: &[&str] = &[
    "psv", "ps", "ips", "cpap", "bipap", "imv", "simv", "peep", "vent", "ventilator", "settings", "flowby", "fio2",
    "ac", "mask", "trach",
];

/// Words around `4/5` or `10/10` that make it a score, ratio or measurement rather than a date.
const MEASURE_CONTEXT: &[&str] = &[
    "strength", "power", "motor", "pain", "murmur", "grade", "graded", "scale", "score", "scored", "rated", "rating",
    "vision", "acuity", "reflex", "reflexes", "sensation", "bp", "pressure", "ratio", "nodes", "node", "positive",
    "cores", "biopsies", "doses", "dose", "tablet", "tablets", "of", "out", "x", "times", "days", "weeks", "fingers",
    "apgar", "gcs", "mallampati", "criteria", "points", "correct", "lobes", "vessels", "cm", "mm", "mg", "ml", "kg",
    "cultures", "culture", "bottles", "cx", "sets", "ns", "nss", "lr", "peep", "fio2", "sats", "units",
];

/// [`DATE_CONTEXT`] and [`MEASURE_CONTEXT`] as filtered lists, for the word before or after each
/// number with a slash (`3/4 strength`, `pain 6/10`: most clinical paragraphs have one).
static DATE_WORDS: Words = Words::new(DATE_CONTEXT);
static MEASURE_WORDS: Words = Words::new(MEASURE_CONTEXT);

/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) {
    let text = ctx.text;
    let month_first = with_weekday_lines(text, gates.lines(Lined::MonthFirst));
    for caps in captures_in_lines(&MONTH_FIRST, text, &month_first) {
        let (Some(whole), Some(month)) = (caps.get(0), caps.name("month")) else {
            continue;
        };
        if caps.name("day").is_some_and(|d| !valid_day(d.as_str())) || !month_word_is_a_month(month.as_str(), &caps) {
            continue;
        }
        report(out, whole.range());
    }
    let day_first = with_weekday_lines(text, gates.lines(Lined::DayFirst));
    for caps in captures_in_lines(&DAY_FIRST, text, &day_first) {
        let (Some(whole), Some(month), Some(day)) = (caps.get(0), caps.name("month"), caps.name("day")) else {
            continue;
        };
        if !valid_day(day.as_str()) || !month_word_is_a_month(month.as_str(), &caps) {
            continue;
        }
        report(out, whole.range());
    }
    for m in in_lines(&NUMERIC, text, gates.lines(Lined::NumericDate)) {
        let whole = m.start()..m.end();
        let (a, sep, b, year) = match Numeric::of(m.as_str()) {
            // Two numbers joined by `-` or `.` with no year (`3.5`, `10-12`: doses, scores,
            // ranges) are never dates; they are most matches in notes.
            None
            | Some(Numeric::Short {
                sep: "-" | ".",
                year: None,
                ..
            }) => continue,
            _ if part_of_longer_number(text, whole.clone()) => continue,
            Some(Numeric::YearFirst { month, day }) => {
                if valid_month_day(month, day) {
                    report(out, whole);
                }
                continue;
            }
            Some(Numeric::Short { a, sep, b, year }) => (a, sep, b, year),
        };
        // `11/92`, `3/2024`: a month and a year.
        if year.is_none() && sep == "/" && month_and_year(a, b) {
            if !followed_by_percent(text, whole.end) {
                report(out, whole);
            }
            continue;
        }
        if b.len() > 2 || !(valid_month_day(a, b) || valid_month_day(b, a)) {
            continue;
        }
        if followed_by_percent(text, whole.end) {
            continue;
        }
        match year {
            Some(year) if numeric_with_year_is_date(text, whole.clone(), sep, year) => report(out, whole),
            Some(_) => {}
            None if sep == "/" && short_slash_is_date(text, whole.clone(), a, b) => report(out, whole),
            None => {}
        }
    }
    for m in in_lines(&COMPACT, text, gates.lines(Lined::CompactDate)) {
        if context_before(text, m.start(), 40, DATE_CONTEXT) {
            report(out, m.range());
        }
    }
    for m in in_lines(&HOLIDAY, text, gates.lines(Lined::Holiday)) {
        out.push(Finding::new(
            Rule::Date,
            m.range(),
            format!(
                "A holiday (\u{201c}{}\u{201d}) pins the story to one day of the year, which can identify the patient. Say \u{201c}during the holidays\u{201d} or leave it out.",
                m.as_str()
            ),
        ));
    }
    for caps in captures_in_lines(&BARE_ORDINAL_DAY, text, gates.lines(Lined::OrdinalDay)) {
        let (Some(whole), Some(day)) = (caps.get(0), caps.name("day")) else {
            continue;
        };
        let next = words_after(text, whole.end(), 1);
        let names_a_thing = next.first().is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "day"
                    | "week"
                    | "month"
                    | "floor"
                    | "attempt"
                    | "dose"
                    | "cycle"
                    | "time"
                    | "visit"
                    | "of"
                    | "percentile"
            )
        });
        if valid_day(day.as_str()) && !names_a_thing {
            let span = day.start()..whole.end();
            report(out, span);
        }
    }
}

fn report(out: &mut Vec<Finding>, span: Range<usize>) {
    out.push(Finding::new(
        Rule::Date,
        span,
        "Exact date: a day or month can identify a patient, especially with age or place (HIPAA Safe Harbor allows only the year). Keep just the year or say \u{201c}recently\u{201d}.",
    ));
}

fn valid_day(day: &str) -> bool {
    day.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

fn valid_month_day(month: &str, day: &str) -> bool {
    month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m)) && valid_day(day)
}

/// "may", "mar" and "march" are also verbs: in lower case they need a year to count as a month.
fn month_word_is_a_month(month: &str, caps: &Captures<'_>) -> bool {
    let has_year = caps.name("year").is_some() || caps.name("monthyear").is_some();
    if matches!(month, "may" | "mar" | "march") {
        return has_year;
    }
    true
}

/// The parts of a match of [`NUMERIC`], read from its digits and separators instead of from the
/// pattern's groups: finding those takes a second engine, ten times the cost of the rest of the
/// check of a match (`3/4`, `6/10`, `120/80` are in most clinical paragraphs). The match's edges
/// are word boundaries and its numbers are joined by single separators, so its runs of digits are
/// the groups; `numeric_parts_are_the_patterns_groups` checks this against the groups.
#[derive(Debug, PartialEq, Eq)]
enum Numeric<'t> {
    /// `2024-03-05` (groups `m1`, `d1`).
    YearFirst { month: &'t str, day: &'t str },
    /// `3/5`, `3/2024`, `3/5/24` (groups `a`, `s2`, `b`, `y2`).
    Short {
        a: &'t str,
        sep: &'t str,
        b: &'t str,
        year: Option<&'t str>,
    },
}

impl<'t> Numeric<'t> {
    /// The parts of `text`, a match of [`NUMERIC`]; `None` for a text not shaped like one.
    fn of(text: &'t str) -> Option<Self> {
        let bytes = text.as_bytes();
        let mut runs = [(0, 0); 3];
        let mut count = 0;
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'-' | b'/' | b'.') {
                if count == 2 || i == start {
                    return None;
                }
                runs[count] = (start, i);
                count += 1;
                start = i + 1;
            } else if !b.is_ascii_digit() {
                return None;
            }
        }
        if start == bytes.len() || count == 0 {
            return None;
        }
        runs[count] = (start, bytes.len());
        let run = |k: usize| &text[runs[k].0..runs[k].1];
        let century = |s: &str| s.len() == 4 && (s.starts_with("19") || s.starts_with("20"));
        let short = |s: &str| s.len() <= 2;
        let (first, second) = (run(0), run(1));
        if century(first) {
            let day = (count == 2).then(|| run(2))?;
            return (short(second) && short(day)).then_some(Numeric::YearFirst { month: second, day });
        }
        let year = (count == 2).then(|| run(2));
        let fits = short(first) && (short(second) || century(second)) && year.is_none_or(|y| matches!(y.len(), 2 | 4));
        fits.then(|| Numeric::Short {
            a: first,
            sep: &text[runs[0].1..runs[0].1 + 1],
            b: second,
            year,
        })
    }
}

/// `1.2.3.4` or `10/20/30/40` are not dates; neither is a piece of a longer number.
fn part_of_longer_number(text: &str, span: Range<usize>) -> bool {
    let before = char_before(text, span.start);
    let after = char_at(text, span.end);
    let digit_beyond = |sep: Option<char>, beyond: Option<char>| {
        matches!(sep, Some('/' | '.' | '-' | ':' | ',')) && beyond.is_some_and(|c| c.is_ascii_digit())
    };
    let before_before = before.and_then(|c| char_before(text, span.start - c.len_utf8()));
    let after_after = after.and_then(|c| char_at(text, span.end + c.len_utf8()));
    digit_beyond(before, before_before) || digit_beyond(after, after_after)
}

/// `03.04.2024` and `3-4-24` are dates; `v1.2.24` and score ranges are not.
fn numeric_with_year_is_date(text: &str, span: Range<usize>, sep: &str, year: &str) -> bool {
    if char_before(text, span.start).is_some_and(|c| c == 'v' || c == 'V') {
        return false;
    }
    if sep == "/" || year.len() == 4 {
        return true;
    }
    // `3-12-99`: hyphens with a two-digit year, when the first two read as month and day.
    let mut parts = text[span.clone()].split('-');
    if let (Some(month), Some(day)) = (parts.next(), parts.next()) {
        if sep == "-" && valid_month_day(month, day) {
            return true;
        }
    }
    // Two-digit years with dots or hyphens (`1.5.20`, `3-4-25`) are also ranges and versions.
    context_before(text, span.start, 30, DATE_CONTEXT)
}

/// `11/92` or `3/2024`: a month, then a year that cannot be a day.
fn month_and_year(month: &str, year: &str) -> bool {
    let month_ok = month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    let year_ok = match year.len() {
        4 => true,
        2 => year.parse::<u32>().is_ok_and(|y| y > 31),
        _ => false,
    };
    month_ok && year_ok
}

/// `10/5/50%` and `12/10%` are ventilator settings or ratios, not dates.
fn followed_by_percent(text: &str, end: usize) -> bool {
    text.get(end..).is_some_and(|rest| rest.trim_start().starts_with('%'))
}

/// `3/3` with no year: a date in date context, not when it reads as a score, ratio, setting or
/// fraction. Without a year only the US order (month/day) is taken.
fn short_slash_is_date(text: &str, span: Range<usize>, numerator: &str, denominator: &str) -> bool {
    if words_after(text, span.end, 1)
        .iter()
        .any(|w| MEASURE_WORDS.contains_ignore_ascii_case(w))
    {
        return false;
    }
    let previous = words_before(text, span.start, 1);
    let previous = previous.first().copied().unwrap_or("");
    if DATE_WORDS.contains_ignore_ascii_case(previous) {
        return true;
    }
    // `PSV 10/5`, `CPAP/PS 12/5`, `flowby 6/2`, `strength 4/5`: after a measure or a
    // ventilator word, numbers with a slash are settings and scores.
    let glued_slash = text[..span.start].trim_end().ends_with('/');
    if MEASURE_WORDS.contains_ignore_ascii_case(previous)
        || glued_slash
        || context_before(text, span.start, 12, SETTINGS)
    {
        return false;
    }
    if words_after(text, span.end, 2)
        .iter()
        .any(|w| MEASURE_WORDS.contains_ignore_ascii_case(w))
    {
        return false;
    }
    if !valid_month_day(numerator, denominator) {
        return false;
    }
    let (n, d) = (
        numerator.parse::<u32>().unwrap_or(0),
        denominator.parse::<u32>().unwrap_or(0),
    );
    // Scores out of 5, 6 or 10 and common fractions read as numbers without date context.
    let score = matches!(d, 5 | 6 | 10) && n <= d;
    let fraction = matches!(
        (n, d),
        (1, 2) | (1, 3) | (2, 3) | (1, 4) | (3, 4) | (1, 8) | (3, 8) | (5, 8) | (7, 8)
    );
    !(score || fraction)
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&MONTH_FIRST);
    std::sync::LazyLock::force(&DAY_FIRST);
    std::sync::LazyLock::force(&NUMERIC);
    std::sync::LazyLock::force(&COMPACT);
    std::sync::LazyLock::force(&HOLIDAY);
    std::sync::LazyLock::force(&BARE_ORDINAL_DAY);
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format, Rule};

    fn dates(text: &str) -> Vec<String> {
        Checker::default()
            .check(text, Format::PlainText)
            .into_iter()
            .filter(|f| f.rule == Rule::Date)
            .map(|f| text[f.span].to_string())
            .collect()
    }

    #[test]
    fn finds_dates_in_many_shapes() {
        for (text, expected) in [
            ("Seen March 3, 2024 in clinic.", "March 3, 2024"),
            ("Seen Mar. 3rd for review.", "Mar. 3rd"),
            ("on 3/3/2024.", "3/3/2024"),
            ("admitted 3/3 with fever", "3/3"),
            ("on 3/3 she", "3/3"),
            ("Scan 2024-03-03 showed", "2024-03-03"),
            ("DOB 20240303.", "20240303"),
            ("since the 3rd of March", "the 3rd of March"),
            ("Visited 03.04.2024 again", "03.04.2024"),
            ("Seen Monday, March 3 at noon", "Monday, March 3"),
            ("born 31 July 2023 at", "31 July 2023"),
            ("Seen in March 2024.", "March 2024"),
            ("ALL CAPS NOTE: SEEN MAR 3 IN ER", "MAR 3"),
            ("He came in on Christmas Eve.", "Christmas Eve"),
            ("Resolved by 10/21.", "10/21"),
            ("Seen on 10/10 for pain", "10/10"),
            ("discharged on the 14th.", "14th"),
            ("Last seen 2024/3/3 in clinic", "2024/3/3"),
            ("s/p mastectomy 11/92, transferred", "11/92"),
            ("Diagnosed 3/2024 and treated", "3/2024"),
            ("3-12-99 Neuro: alert", "3-12-99"),
            ("Sputum (sent 9/5) grew rods", "9/5"),
        ] {
            assert_eq!(dates(text), vec![expected.to_string()], "in {text:?}");
        }
    }

    /// Texts around what the dates with month names need, weekdays on earlier lines among them.
    const WORDED: &[&str] = &[
        "Monday, March 3", "Monday,\nMarch 3", "mon.\n\n the \n\nmar 3rd, 2024", "Tuesday\nthe\n3rd of March",
        "tue\n \n3 march 2024", "Sat\r\nthe 3rd day of may", "x\nthe\nMarch 2024", "on\nFriday,\n\nthe\n14 Feb",
        "\u{17f}ep 3 and \u{17f}at, \u{17f}ep 3", "Wed\u{2028}June 4", "Sun\u{a0}\nthe\u{a0}\nJuly 4th",
        "3rd\nMarch and 3rd March", "March\n3 and of\n2024",
    ];

    type Spans = Vec<std::ops::Range<usize>>;

    /// Dates with month names found in the widened lines of their hints are those found by
    /// searches of the whole text.
    fn worded_dates_by_line_and_whole(text: &str) -> Vec<(Spans, Spans)> {
        use crate::engine::rules::{Gates, Lined};
        let gates = Gates::of(text);
        [
            (&super::MONTH_FIRST, Lined::MonthFirst),
            (&super::DAY_FIRST, Lined::DayFirst),
        ]
        .into_iter()
        .map(|(pattern, lined)| {
            let widened = super::with_weekday_lines(text, gates.lines(lined));
            let by_line = pattern
                .captures_iter_in(text, &widened)
                .map(|c| c.get(0).map_or(0..0, |m| m.range()));
            let whole = pattern
                .captures_iter(text)
                .map(|c| c.get(0).map_or(0..0, |m| m.range()));
            (by_line.collect(), whole.collect())
        })
        .collect()
    }

    #[test]
    fn worded_dates_are_found_through_their_hints() {
        for text in WORDED
            .iter()
            .map(|t| t.to_string())
            .chain([WORDED.join("\n"), WORDED.join(" ")])
        {
            for (by_line, whole) in worded_dates_by_line_and_whole(&text) {
                assert_eq!(by_line, whole, "in {text:?}");
            }
        }
        let found = dates("Seen Monday,\n\nthe\nMarch 3 again.");
        assert_eq!(found, vec!["Monday,\n\nthe\nMarch 3".to_string()]);
    }

    /// Pieces of text around what the dates with month names need.
    const WORDED_PIECES: &[&str] = &[
        "Monday", "mon", "Sat", ",", ".", " ", "\t", "\n", "\r", "the", "The", "of", "day", "March", "mar", "may",
        "Sep", "\u{17f}ep", "3", "14", "3rd", "2024", "x", "\u{a0}", "\u{2028}", "\u{e9}",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The same as [`worded_dates_are_found_through_their_hints`], on generated texts.
        #[test]
        fn worded_dates_in_widened_lines_are_those_of_whole_searches(
            pieces in proptest::collection::vec(proptest::sample::select(WORDED_PIECES), 0..30)
        ) {
            let text = pieces.concat();
            for (by_line, whole) in worded_dates_by_line_and_whole(&text) {
                proptest::prop_assert_eq!(by_line, whole, "in {:?}", text);
            }
        }

        /// Every match's parts, read from its digits, are its groups.
        #[test]
        fn numeric_parts_are_the_patterns_groups(
            pieces in proptest::collection::vec(proptest::sample::select(NUMERIC_PIECES), 0..16)
        ) {
            let text = pieces.concat();
            for caps in super::NUMERIC.captures_iter(&text) {
                let whole = caps.get(0).expect("a match").as_str();
                let by_groups = numeric_by_groups(&caps);
                proptest::prop_assert!(by_groups.is_some(), "in {:?}", text);
                proptest::prop_assert_eq!(super::Numeric::of(whole), by_groups, "in {:?}", text);
            }
        }
    }

    /// Pieces of text around numeric dates: numbers of every length that matters, each
    /// separator, and what stops a word boundary.
    const NUMERIC_PIECES: &[&str] = &[
        "3", "12", "123", "1999", "2024", "2099", "1899", "00", "-", "/", ".", ":", " ", "a", "v", "%", "\u{e9}",
    ];

    /// The parts [`super::Numeric::of`] reads from a match, or `None`, as the pattern's groups give them.
    fn numeric_by_groups<'t>(caps: &crate::engine::rules::pattern::Captures<'t>) -> Option<super::Numeric<'t>> {
        let text = |name: &str| caps.name(name).map(|m| m.as_str());
        if text("y1").is_some() {
            return Some(super::Numeric::YearFirst {
                month: text("m1")?,
                day: text("d1")?,
            });
        }
        Some(super::Numeric::Short {
            a: text("a")?,
            sep: text("s2")?,
            b: text("b")?,
            year: text("y2"),
        })
    }

    #[test]
    fn numeric_parts_are_the_patterns_groups_in_examples() {
        for text in [
            "3/4", "12/31/2024", "2024-03-05", "2024/3/5", "3/2024", "3/2024/12", "1.2.24", "10-12", "11/92",
            "1/2/3/4", "2024-3", "12/345", "v1.2.24", "3/5.2", "3-2024/12", "2024.3-5",
        ] {
            for caps in super::NUMERIC.captures_iter(text) {
                let whole = caps.get(0).expect("a match").as_str();
                assert_eq!(super::Numeric::of(whole), numeric_by_groups(&caps), "in {text:?}");
                assert!(super::Numeric::of(whole).is_some(), "in {text:?}");
            }
        }
        assert_eq!(super::Numeric::of("3/4x"), None);
        assert_eq!(super::Numeric::of("2024/3"), None);
    }

    #[test]
    fn leaves_years_scores_and_ratios_alone() {
        for text in [
            "She had surgery in 2024.",
            "BP 120/80, 3/4 strength, improved over 2 weeks",
            "Pain 10/10 on arrival, strength 4/5 in the left arm.",
            "Epinephrine 1:1000 given.",
            "2/3 of patients improved; 1/2 tablet daily.",
            "Scored 8/10 on the scale.",
            "you may 3 times a day",
            "Troponin 0.04, potassium 4.2",
            "Grade 2/6 systolic murmur",
            "on the 3rd day of admission",
            "IP 10.1.2.3 is not a date",
            "version v1.2.24 released",
            "Positive in 3/12 lymph nodes.",
            "Pt changed to PSV 15/5 with RR 12-16.",
            "Remains on CPAP/PS 12/5, then 10/5 peep and 30% fio2.",
            "Placed on vent 10/5/50% and tolerating.",
            "Gram negative rods in 2/4 bottles.",
        ] {
            assert_eq!(dates(text), Vec::<String>::new(), "in {text:?}");
        }
    }
}
