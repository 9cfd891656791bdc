//! Date rewrites: keep the year (`on March 3, 2024` → `in 2024`), keep month and year, say
//! "recently", or drop the date with its preposition, keeping the sentence grammatical.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::grammar::{self, Place};
use super::Doc;
use crate::engine::finding::{Applicability, Edit, Fix};

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:1[89]|20)[0-9]{2})(?:[^0-9]|$)").expect("year pattern"));
static SHORT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-]([0-9]{2})$").expect("short year pattern"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?").expect("month pattern")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?P<iy>[0-9]{4})[\-/.](?P<im>[0-9]{1,2})[\-/.][0-9]{1,2}|(?P<a>[0-9]{1,2})[/.\-](?P<b>[0-9]{1,2})(?:[/.\-][0-9]{2,4})?|(?P<cy>[0-9]{4})(?P<cm>[0-9]{2})[0-9]{2})$")
        .expect("numeric date pattern")
});

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// After a date, these words let it be removed with its preposition and leave a sentence.
const CLEAN_AFTER: &[&str] = &[
    "with", "for", "at", "in", "after", "because", "when", "while", "to", "by", "from", "via", "following", "due",
];

/// Prepositions that can stand before a date.
const PREPOSITIONS: &[&str] = &[
    "on", "dated", "from", "since", "until", "till", "by", "before", "after", "of", "between", "to", "through", "in",
    "around", "over", "during", "at",
];

struct ParsedDate {
    year: Option<String>,
    month: Option<&'static str>,
    /// A holiday or other named day, with no numbers and no month.
    named_day: bool,
}

fn parse(written: &str) -> ParsedDate {
    let year = YEAR
        .captures(written)
        .and_then(|c| c.get(1))
        .map(|y| y.as_str().to_string())
        .or_else(|| {
            let short = SHORT_YEAR.captures(written)?.get(1)?.as_str();
            let n: u32 = short.parse().ok()?;
            Some(if n <= 40 {
                format!("20{short}")
            } else {
                format!("19{short}")
            })
        });
    let month = MONTH
        .captures(written)
        .and_then(|c| c.get(1))
        .and_then(|m| {
            MONTHS
                .iter()
                .find(|full| full[..3].eq_ignore_ascii_case(m.as_str()))
                .copied()
        })
        .or_else(|| {
            let caps = NUMERIC.captures(written)?;
            let number = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<usize>().ok());
            let index = number("im").or_else(|| number("cm")).or_else(|| {
                let (a, b) = (number("a")?, number("b")?);
                Some(if a <= 12 { a } else { b })
            })?;
            MONTHS.get(index.checked_sub(1)?).copied()
        });
    let named_day = month.is_none() && !written.chars().any(|c| c.is_ascii_digit());
    ParsedDate { year, month, named_day }
}

/// The preposition before the date (`on`, `on the`), as a range, and its lower-case word.
fn preposition(doc: &Doc<'_>, start: usize) -> Option<(Range<usize>, String)> {
    let mut word = grammar::prev_word(doc.text, start)?;
    if doc.text[word.clone()].eq_ignore_ascii_case("the") {
        word = grammar::prev_word(doc.text, word.start).map(|w| w.start..word.end)?;
    }
    let first = doc.text[word.clone()].split_whitespace().next()?.to_lowercase();
    PREPOSITIONS.contains(&first.as_str()).then_some((word, first))
}

/// Where removing `start..end` leaves the sentence grammatical: the range to delete and what to
/// put instead (a capital letter when the date opened the sentence).
fn removal(doc: &Doc<'_>, start: usize, end: usize) -> Option<Edit> {
    let place = grammar::place_of(doc.text, start, doc.blocks);
    let rest = &doc.text[end..];
    if place == Place::SentenceStart {
        // "On March 3, she was admitted" → "She was admitted"
        let after_comma = rest.strip_prefix(',').or_else(|| rest.strip_prefix(':'))?;
        let skipped = rest.len() - after_comma.trim_start_matches([' ', '\t']).len();
        let next_start = end + skipped;
        let next = doc.source[next_start..].chars().next().filter(|c| c.is_alphabetic())?;
        return Some(Edit {
            span: start..next_start + next.len_utf8(),
            replacement: next.to_uppercase().collect(),
        });
    }
    // "admitted on March 3 with" → "admitted with": take the space before the phrase too.
    let spaces = doc.text[..start].len() - doc.text[..start].trim_end_matches([' ', '\t']).len();
    if spaces == 0 {
        return None;
    }
    Some(Edit {
        span: start - spaces..end,
        replacement: String::new(),
    })
}

pub fn fixes(doc: &Doc<'_>, span: &Range<usize>) -> Vec<Fix> {
    let date = parse(&doc.source[span.clone()]);
    let prep = preposition(doc, span.start);
    let prep_word = prep.as_ref().map(|(_, w)| w.as_str());
    let on = matches!(prep_word, Some("on" | "dated"));
    // The phrase that goes when the date goes: "on March 3", or the date alone.
    let phrase_start = if on {
        prep.as_ref().map_or(span.start, |(r, _)| r.start)
    } else {
        span.start
    };
    let capital = |s: &str| match grammar::place_of(doc.text, phrase_start, doc.blocks) {
        Place::SentenceStart => grammar::capitalize(s),
        _ => s.to_string(),
    };
    // Markup between the preposition and the date ("on **March 3**") is kept as written.
    let gap = &doc.source[prep.as_ref().map_or(span.start, |(r, _)| r.end)..span.start];
    let plain_gap = gap.trim().is_empty();
    let mut fixes = Vec::new();
    let mut safe_taken = false;
    if let Some(year) = &date.year {
        let (range, text) = if on {
            (phrase_start..span.end, format!("{}{gap}{year}", capital("in")))
        } else {
            (span.clone(), year.clone())
        };
        fixes.push(Fix::replace(
            format!("Keep only the year: \u{201c}{text}\u{201d}"),
            range,
            text,
            Applicability::Safe,
        ));
        safe_taken = true;
    }
    let removable = (on || prep.is_none()) && plain_gap;
    let removed = removable.then(|| removal(doc, phrase_start, span.end)).flatten();
    // Removing is safe only where it cannot leave "visited and again": the phrase must end at
    // punctuation or before a preposition, and not follow a conjunction.
    let clean_removal = {
        let next = grammar::next_word(doc.text, span.end).map(|w| doc.text[w].to_lowercase());
        let before = grammar::prev_word(doc.text, phrase_start).map(|w| doc.text[w].to_lowercase());
        let ends_cleanly = next.as_deref().is_none_or(|n| CLEAN_AFTER.contains(&n));
        let starts_cleanly = before
            .as_deref()
            .is_none_or(|b| !["and", "or", "again", "between", "from", "but"].contains(&b));
        ends_cleanly && starts_cleanly
    };
    if date.named_day && !safe_taken && removed.is_none() {
        if let Some("over" | "during" | "at" | "around" | "before" | "after" | "since" | "until") = prep_word {
            fixes.push(Fix::replace(
                "Say \u{201c}the holidays\u{201d} instead",
                span.clone(),
                "the holidays",
                Applicability::Safe,
            ));
            safe_taken = true;
        }
    }
    if let Some(edit) = removed {
        fixes.push(Fix {
            title: "Remove the date".to_string(),
            edits: vec![edit],
            applicability: if safe_taken || !clean_removal {
                Applicability::NeedsReview
            } else {
                Applicability::Safe
            },
        });
        safe_taken |= clean_removal;
    }
    if let Some(month) = date.month {
        let month_text = match &date.year {
            Some(year) => format!("{month} {year}"),
            None => month.to_string(),
        };
        let (range, text) = if on {
            (phrase_start..span.end, format!("{}{gap}{month_text}", capital("in")))
        } else {
            (span.clone(), month_text)
        };
        let title = if date.year.is_some() {
            "Keep the month and year"
        } else {
            "Keep the month"
        };
        fixes.push(Fix::replace(
            format!("{title} (still more precise than a year, so still reported)"),
            range,
            text,
            Applicability::NeedsReview,
        ));
    }
    if removable {
        let text = capital("recently");
        fixes.push(Fix::replace(
            format!("Say \u{201c}{text}\u{201d} instead"),
            phrase_start..span.end,
            text,
            Applicability::NeedsReview,
        ));
    }
    fixes.push(Fix::replace(
        "Replace with [date]",
        span.clone(),
        "[date]",
        if safe_taken {
            Applicability::NeedsReview
        } else {
            Applicability::Safe
        },
    ));
    fixes
}

#[cfg(test)]
mod tests {
    use super::super::tests::{first_fix, titles};
    use crate::engine::Rule;

    #[track_caller]
    fn fixed(text: &str, expected: &str) {
        assert_eq!(first_fix(text, Rule::Date), expected, "in {text:?}");
    }

    #[test]
    fn keeps_the_year_with_the_right_preposition() {
        fixed(
            "She was admitted on March 3, 2024 with pain.",
            "She was admitted in 2024 with pain.",
        );
        fixed("On March 3, 2024, she was admitted.", "In 2024, she was admitted.");
        fixed("Seen 3/3/2024 in clinic.", "Seen 2024 in clinic.");
        fixed("Since 2024-03-03 she has improved.", "Since 2024 she has improved.");
        fixed("Admitted on the 3rd of March 2024.", "Admitted in 2024.");
        fixed("Seen on 03/04/24 for review.", "Seen in 2024 for review.");
    }

    #[test]
    fn dates_without_a_year_are_removed_grammatically() {
        fixed("She was admitted on March 3 with pain.", "She was admitted with pain.");
        fixed("On March 3, she was admitted.", "She was admitted.");
        fixed("He was seen on Monday, March 4.", "He was seen.");
        fixed(
            "She visited on 3/5 and again on Friday, March 8.",
            "She visited on [date] and again on Friday, March 8.",
        );
        fixed(
            "Admitted on **March 3, 2024** with pain.",
            "Admitted in **2024** with pain.",
        );
        fixed("She stayed until March 3 at home.", "She stayed until [date] at home.");
        fixed("She fell over Thanksgiving.", "She fell over the holidays.");
    }

    #[test]
    fn other_choices_are_offered_for_review() {
        let offered = titles("She was admitted on March 3, 2024 with pain.", Rule::Date);
        assert!(
            offered.iter().any(|t| t.starts_with("Keep the month and year")),
            "{offered:?}"
        );
        assert!(offered.iter().any(|t| t.contains("recently")), "{offered:?}");
        assert!(offered.iter().any(|t| t == "Remove the date"), "{offered:?}");
    }
}
