//! `phi/age`: exact ages.
//!
//! Safe Harbor requires ages over 89 — and anything that reveals them, such as "in her 90s" — to be
//! grouped as "90 or older": those are errors. Younger exact ages are not Safe Harbor identifiers
//! but, with gender, place and date, they single a patient out (a quasi-identifier): warnings. The
//! guidance is to alter or generalize them ("a woman in her 40s").

use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::{captures_in_lines, in_lines, Captures, Pattern};
use crate::engine::rules::scans::{AGE_SOURCE, NINETIES_SOURCE};

use crate::engine::finding::{Finding, Severity};
use crate::engine::rules::{Gates, Lined, Rule};
use crate::engine::text::{char_at, char_before, context_after, context_before, is_one_of, words_after, words_before};
use crate::engine::Context;

/// Every shape of an exact age ([`AGE_SOURCE`]), each alternative capturing the age as `n…`
/// (digits) or `w` (words). Its automaton is built ahead of time (see [`Pattern::prebuilt`]).
pub(crate) static AGE: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(AGE_SOURCE));

/// Phrases that reveal an age over 89 without stating it.
static NINETIES: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(NINETIES_SOURCE));

/// Units that make `She was 93` a measurement rather than an age.
const UNITS: &[&str] = &[
    "mg", "g", "kg", "lb", "lbs", "mcg", "ml", "l", "cm", "mm", "m", "in", "inches", "feet", "ft", "percent", "%",
    "bpm", "mmhg", "units", "u", "iu", "days", "weeks", "months", "hours", "minutes", "min", "times", "degrees",
    "points", "meq", "mmol", "beats", "breaths", "pounds", "kilos", "f", "c", "of", "x", "to", "and", "or", "mg/dl",
    "minutes", "seconds", "cycles", "doses", "pills", "tablets", "kcal", "steps",
];

/// Before a bare `45y`, these make it a duration ("for 5 y", "over 2 y").
const DURATION_BEFORE: &[&str] = &[
    "for", "over", "after", "within", "past", "last", "x", "in", "since", "every", "q",
];

/// Around `45F`, these make F/M something else: French catheter sizes, temperatures, molarity.
const NOT_SEX_CONTEXT: &[&str] = &[
    "catheter", "foley", "sheath", "tube", "drain", "cannula", "introducer", "ng", "ngt", "french", "fr", "temp",
    "temperature", "fever", "febrile", "tmax", "t", "afebrile", "degrees", "suction", "dilator", "stent",
];

/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) {
    let text = ctx.text;
    for caps in captures_in_lines(&AGE, text, gates.lines(Lined::Age)) {
        let Some(whole) = caps.get(0) else { continue };
        let mut span = whole.range();
        if preceded_by_number(text, span.start) {
            continue;
        }
        let age = if let Some(words) = caps.name("w") {
            words_to_number(words.as_str())
        } else {
            let Some(number) = ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"]
                .iter()
                .find_map(|n| caps.name(n))
            else {
                continue;
            };
            let plausible = match number_group(&caps) {
                "n3" => bare_y_is_age(text, &span),
                "n4" => !followed_by_range(text, span.end),
                "n5" => {
                    !context_before(text, span.start, 20, NOT_SEX_CONTEXT)
                        && !context_after(text, span.end, 20, NOT_SEX_CONTEXT)
                        && number_stands_alone(text, span.end)
                }
                // "She was 93": the age is the number; the words around it stay.
                "n6" | "n7" | "n8" => {
                    span = number.range();
                    number_stands_alone(text, span.end)
                }
                _ => true,
            };
            if !plausible {
                continue;
            }
            number.as_str().parse::<u32>().ok()
        };
        let Some(age) = age.filter(|a| *a <= 125) else {
            continue;
        };
        let in_months_or_days = caps
            .name("unit1")
            .is_some_and(|u| !u.as_str().to_ascii_lowercase().starts_with('y'));
        out.push(age_finding(span, age, in_months_or_days));
    }
    for m in in_lines(&NINETIES, text, gates.lines(Lined::RarePatterns)) {
        out.push(
            Finding::new(
                Rule::Age,
                m.range(),
                "This reveals an age over 89. HIPAA Safe Harbor requires all ages of 90 and above to be grouped together: write \u{201c}over 89\u{201d} or \u{201c}aged 90 or older\u{201d}.",
            )
            .with_severity(Severity::Error),
        );
    }
}

fn number_group(caps: &Captures<'_>) -> &'static str {
    ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"]
        .into_iter()
        .find(|n| caps.name(n).is_some())
        .unwrap_or("")
}

pub(crate) fn age_finding(span: Range<usize>, age: u32, in_months_or_days: bool) -> Finding {
    if age >= 90 && !in_months_or_days {
        Finding::new(
            Rule::Age,
            span,
            // The message does not repeat the age: it reaches JSON, SARIF and CI logs.
            "An age over 89: HIPAA Safe Harbor requires ages of 90 and above to be reported only as \u{201c}90 or older\u{201d}. Write \u{201c}over 89\u{201d} instead.",
        )
        .with_severity(Severity::Error)
    } else {
        Finding::new(
            Rule::Age,
            span,
            "Exact age: together with gender, place or dates it can single the patient out. Consider a range such as \u{201c}in her 40s\u{201d}, or alter the age a little.",
        )
    }
}

/// `(18 y)` and `45y` are ages; `for 5 y`, `2 y ago` and `20 y of smoking` are durations.
fn bare_y_is_age(text: &str, span: &Range<usize>) -> bool {
    let before = words_before(text, span.start, 1);
    if before.first().is_some_and(|w| is_one_of(w, DURATION_BEFORE)) {
        return false;
    }
    let after = words_after(text, span.end, 1);
    !after.first().is_some_and(|w| {
        is_one_of(
            w,
            &[
                "ago", "of", "history", "hx", "later", "earlier", "before", "after", "pack", "follow", "followup",
            ],
        )
    })
}

/// `2.5y`, `10-15 yo` and `3/4y` are not exact ages: the match is the tail of another number.
fn preceded_by_number(text: &str, start: usize) -> bool {
    let Some(c) = char_before(text, start) else {
        return false;
    };
    matches!(c, '.' | ',' | '-' | '/' | '\u{2013}')
        && char_before(text, start - c.len_utf8()).is_some_and(|d| d.is_ascii_digit())
}

/// `aged 18-65` and `aged 18 to 65` describe a group, not a patient.
fn followed_by_range(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('\u{2013}'))
        .or_else(|| rest.strip_prefix("to "))
        .or_else(|| rest.strip_prefix("and "));
    rest.is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

/// `She was 93.` is an age; `she was 93 kg` or `was 93%` is not.
fn number_stands_alone(text: &str, end: usize) -> bool {
    if char_at(text, end)
        .is_some_and(|c| matches!(c, '%' | '.' | ',') && char_at(text, end + 1).is_some_and(|d| d.is_ascii_digit()))
    {
        return false;
    }
    if char_at(text, end) == Some('%') {
        return false;
    }
    let next = words_after(text, end, 2);
    match next.first() {
        // "was 93 and lucid" is an age; "was 93 and 94" or "93 to 95" is a range of readings.
        Some(w) if is_one_of(w, &["and", "or", "to", "x", "of"]) => !next
            .get(1)
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()) || is_one_of(n, UNITS)),
        Some(w) => !is_one_of(w, UNITS) || is_one_of(w, &["years", "yrs"]),
        None => true,
    }
}

pub(crate) fn words_to_number(words: &str) -> Option<u32> {
    let mut total = 0;
    for word in words.to_ascii_lowercase().split([' ', '-']) {
        total += match word {
            "" | "and" => 0,
            "hundred" => {
                total *= 100;
                0
            }
            w => word_value(w)?,
        };
    }
    Some(total)
}

fn word_value(word: &str) -> Option<u32> {
    const SMALL: [&str; 20] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = SMALL.iter().position(|w| *w == word) {
        return u32::try_from(i).ok();
    }
    TENS.iter()
        .position(|w| *w == word)
        .and_then(|i| u32::try_from(20 + 10 * i).ok())
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&AGE);
    std::sync::LazyLock::force(&NINETIES);
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format, Rule, Severity};

    fn ages(text: &str) -> Vec<(String, Severity)> {
        Checker::default()
            .check(text, Format::PlainText)
            .into_iter()
            .filter(|f| f.rule == Rule::Age)
            .map(|f| (text[f.span].to_string(), f.severity))
            .collect()
    }

    #[test]
    fn finds_exact_ages() {
        use Severity::{Error, Warning};
        for (text, expected, severity) in [
            ("A 45-year-old man", "45-year-old", Warning),
            ("a 45 year old woman", "45 year old", Warning),
            ("45 yo F with chest pain", "45 yo F", Warning),
            ("45 y/o man", "45 y/o", Warning),
            ("Debbie (18 y), seen", "18 y", Warning),
            ("45y presenting with", "45y", Warning),
            ("aged 45, drove", "aged 45", Warning),
            ("Age 43. Address", "Age 43", Warning),
            ("45M with chest pain", "45M", Warning),
            ("72yo F", "72yo F", Warning),
            ("a seventy-two-year-old farmer", "seventy-two-year-old", Warning),
            ("He was 93. We", "93", Error),
            ("She was 85, hypothermic", "85", Warning),
            ("a woman of 92 treated here", "92", Error),
            ("A 91-year-old woman", "91-year-old", Error),
            (
                "a one hundred and two year old man", "one hundred and two year old", Error,
            ),
            ("a 6-month-old infant", "6-month-old", Warning),
            ("a woman in her 90s", "in her 90s", Error),
            ("the centenarian", "centenarian", Error),
            ("still sharp at 94, visited", "94", Error),
            ("She died at 71.", "71", Warning),
        ] {
            assert_eq!(ages(text), vec![(expected.to_string(), severity)], "in {text:?}");
        }
    }

    #[test]
    fn leaves_generalized_ages_durations_and_measures_alone() {
        for text in [
            "a woman in her 40s", "smoked for 20 years", "followed for 5 y without relapse", "a 16F Foley catheter",
            "Tmax 101F overnight", "She was 93 kg at admission", "Oxygen saturation was 93%.",
            "patients aged 18-65 were enrolled", "over 89", "2 y ago", "a 2.5y course", "children 10-15 yo",
            "5M units of penicillin",
        ] {
            assert_eq!(ages(text), Vec::new(), "in {text:?}");
        }
    }
}
