//! Age rewrites: generalize to a range that reads naturally (`a 45-year-old man` → `a man in his
//! 40s`, `72yo F` → `woman in her 70s`, `aged 94` → `aged over 89`), or alter by a few years.

use std::ops::Range;

use super::grammar::{self, Gender, Place};
use super::Doc;
use crate::engine::finding::{Applicability, Edit, Fix};
use crate::engine::rules::ages::words_to_number;
use crate::engine::text::is_one_of;

/// Nouns for a person that an age may describe ("a 45-year-old *man*").
const PERSON_NOUNS: &[&str] = &[
    "man", "woman", "male", "female", "boy", "girl", "gentleman", "lady", "patient", "person", "child", "infant",
    "baby", "toddler", "teenager", "adolescent", "teen", "kid", "athlete", "driver", "student", "veteran", "mother",
    "father", "farmer", "nurse", "physician", "doctor", "teacher", "worker", "runner", "smoker", "resident", "retiree",
    "grandmother", "grandfather", "pt", "pastor", "officer", "soldier", "musician", "guy", "individual",
    "primigravida", "multigravida", "g1p0", "newborn", "neonate",
];

/// Words that end the phrase an age belongs to: anything after them is not its noun.
const PHRASE_ENDS: &[&str] = &[
    "with", "who", "that", "presenting", "presented", "presents", "was", "is", "and", "or", "whose", "on", "in", "at",
    "from", "for", "after", "admitted", "has", "had", "came", "comes", "went", "to", "of", "by",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Years,
    Months,
    Days,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `45-year-old`
    Adjective,
    /// `45M`, `72yo F`, `45 y/o`, `45y`
    Compact,
    /// `aged 45`, `age 45`, `age of 45`; `Age: 45` when `colon`
    Labelled { colon: bool },
    /// `93` in "she was 93", "a woman of 92", "died at 94"
    Bare,
    /// `in her 90s`, `nonagenarian`
    Decade,
}

struct Age {
    value: u32,
    unit: Unit,
    shape: Shape,
    /// Where the number is written, digits or words.
    number: Option<Range<usize>>,
    sex: Option<Gender>,
}

fn parse(source: &str, span: &Range<usize>) -> Option<Age> {
    let written = &source[span.clone()];
    let lower = written.to_lowercase();
    if lower.contains("genarian") || lower.starts_with("in ") {
        return Some(Age {
            value: 90,
            unit: Unit::Years,
            shape: Shape::Decade,
            number: None,
            sex: None,
        });
    }
    let digits = written.char_indices().find(|(_, c)| c.is_ascii_digit()).map(|(i, _)| {
        let len = written[i..].chars().take_while(char::is_ascii_digit).count();
        i..i + len
    });
    let (value, number) = match digits {
        Some(d) => (
            written[d.clone()].parse().ok()?,
            span.start + d.start..span.start + d.end,
        ),
        None => {
            let words_end = lower.find("year").or_else(|| lower.find("yr"))?;
            let words = written[..words_end].trim_end_matches([' ', '-', '\t']);
            (words_to_number(words)?, span.start..span.start + words.len())
        }
    };
    let unit = if lower.contains("month") || lower.contains("mo") && lower.contains("old") {
        Unit::Months
    } else if ["day", "week", "wk"].iter().any(|u| lower.contains(u)) {
        Unit::Days
    } else {
        Unit::Years
    };
    let shape = if lower.ends_with("old") {
        Shape::Adjective
    } else if lower.starts_with("age") {
        Shape::Labelled {
            colon: lower.contains(':'),
        }
    } else if lower.chars().all(|c| c.is_ascii_digit()) {
        Shape::Bare
    } else {
        Shape::Compact
    };
    let sex = match written.chars().next_back() {
        Some('M') if shape == Shape::Compact => Some(Gender::Male),
        Some('F') if shape == Shape::Compact => Some(Gender::Female),
        _ => None,
    };
    Some(Age {
        value,
        unit,
        shape,
        number: Some(number),
        sex,
    })
}

/// "in her 40s", "over 89", "in his teens", "of school age", "under 5".
fn predicate(value: u32, gender: Gender) -> String {
    let pronoun = gender.possessive();
    match value {
        90.. => "over 89".to_string(),
        20..=89 => format!("in {pronoun} {}0s", value / 10),
        13..=19 => format!("in {pronoun} teens"),
        5..=12 => "of school age".to_string(),
        _ => "under 5".to_string(),
    }
}

/// A child's age as a word before the noun: "school-age girl", "young boy", "infant".
fn child_adjective(age: &Age) -> &'static str {
    match (age.unit, age.value) {
        (Unit::Days, _) => "newborn",
        (Unit::Months, _) => "infant",
        (_, 5..) => "school-age",
        _ => "young",
    }
}

fn is_adult(age: &Age) -> bool {
    age.unit == Unit::Years && age.value >= 13
}

/// The word before `at` if it is one of `words` (ignoring case).
fn word_before_in(doc: &Doc<'_>, at: usize, words: &[&str]) -> Option<Range<usize>> {
    grammar::prev_word(doc.text, at).filter(|w| is_one_of(&doc.text[w.clone()], words))
}

fn is_person_noun(word: &str) -> bool {
    let lower = word.to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    PERSON_NOUNS.contains(&lower.as_str()) || PERSON_NOUNS.contains(&singular)
}

/// The person noun the age describes, within three words after `from`, and the words before it.
fn noun_after(doc: &Doc<'_>, from: usize) -> Option<Range<usize>> {
    let mut at = from;
    for _ in 0..4 {
        let word = grammar::next_word(doc.text, at)?;
        let written = &doc.text[word.clone()];
        if is_person_noun(written) {
            return Some(word);
        }
        if is_one_of(written, PHRASE_ENDS) {
            return None;
        }
        at = word.end;
    }
    None
}

/// Puts an article (kept, agreed or added) and sentence-start capitals on a rewritten phrase.
fn with_article(doc: &Doc<'_>, article: Option<&Range<usize>>, start: usize, body: &str, add: bool) -> String {
    match article {
        Some(a) => {
            let written = &doc.source[a.clone()];
            let det = if written.eq_ignore_ascii_case("a") || written.eq_ignore_ascii_case("an") {
                grammar::match_case(written, grammar::indefinite_article(body))
            } else {
                written.to_string()
            };
            format!("{det} {body}")
        }
        None => match grammar::place_of(doc.text, start, doc.blocks) {
            Place::SentenceStart => grammar::capitalize(body),
            _ if add => format!("{} {body}", grammar::indefinite_article(body)),
            _ => body.to_string(),
        },
    }
}

/// The generalized form of the age at `span`, as one edit.
fn generalize(doc: &Doc<'_>, span: &Range<usize>, age: &Age) -> Option<Edit> {
    let near = doc.gender_near(span.start);
    let (range, replacement) = match age.shape {
        Shape::Decade => {
            let lower = doc.source[span.clone()].to_lowercase();
            let text = if lower.contains("genarians") {
                "people over 89"
            } else if lower.contains("genarian") {
                "person over 89"
            } else {
                "over 89"
            };
            (span.clone(), text.to_string())
        }
        Shape::Adjective | Shape::Compact => {
            let article = word_before_in(doc, span.start, &["a", "an", "the", "this", "our", "my"]);
            let start = article.as_ref().map_or(span.start, |a| a.start);
            let mut end = span.end;
            let mut noun_written: Option<String> = None;
            let mut middle = String::new();
            let mut gender = age.sex.unwrap_or(Gender::Unknown);
            if let Some(noun) = noun_after(doc, span.end) {
                middle = doc.source[span.end..noun.start].trim().to_string();
                let written = &doc.source[noun.clone()];
                // "45 yo M": the letter is the sex, not a word to keep.
                let word = match written {
                    "M" | "m" => "man",
                    "F" | "f" => "woman",
                    w => w,
                };
                if gender == Gender::Unknown {
                    gender = grammar::gender_of_word(word);
                }
                noun_written = Some(word.to_string());
                end = noun.end;
            } else if age.shape == Shape::Compact && age.sex.is_none() {
                if let Some(sex) = grammar::next_word(doc.text, span.end) {
                    let g = match &doc.text[sex.clone()] {
                        "M" => Gender::Male,
                        "F" => Gender::Female,
                        _ => Gender::Unknown,
                    };
                    if g != Gender::Unknown {
                        gender = g;
                        end = sex.end;
                    }
                }
            }
            if gender == Gender::Unknown {
                gender = near;
            }
            let noun = noun_written.unwrap_or_else(|| {
                match (is_adult(age), age.unit) {
                    (true, _) => gender.adult(),
                    (false, Unit::Years) => gender.child(),
                    (false, _) if gender == Gender::Unknown => "baby",
                    (false, _) => gender.child(),
                }
                .to_string()
            });
            let middle = if middle.is_empty() {
                String::new()
            } else {
                format!("{middle} ")
            };
            let body = if is_adult(age) {
                format!("{middle}{noun} {}", predicate(age.value, gender))
            } else {
                format!("{} {middle}{noun}", child_adjective(age))
            };
            let after_verb =
                word_before_in(doc, span.start, &["is", "was", "be", "as", "like", "been", "became"]).is_some();
            (
                start..end,
                with_article(doc, article.as_ref(), start, &body, after_verb),
            )
        }
        Shape::Labelled { colon: true } => {
            let number = age.number.clone()?;
            let text = match age.value {
                90.. => "over 89".to_string(),
                20..=89 => format!("{}0s", age.value / 10),
                13..=19 => "teens".to_string(),
                5..=12 => "5\u{2013}12".to_string(),
                _ => "under 5".to_string(),
            };
            (number, text)
        }
        Shape::Labelled { colon: false } | Shape::Bare => {
            // "at age 45", "at the age of 45", "died at 94", "a woman of 92"
            let mut start = span.start;
            if let Some(age_word) = word_before_in(doc, start, &["age"]) {
                start = age_word.start;
            }
            if let Some(the) = word_before_in(doc, start, &["the"]) {
                if word_before_in(doc, the.start, &["at"]).is_some() {
                    start = the.start;
                }
            }
            let at = word_before_in(doc, start, &["at"]);
            let of = (age.shape == Shape::Bare)
                .then(|| word_before_in(doc, start, &["of"]))
                .flatten();
            let labelled = matches!(age.shape, Shape::Labelled { .. });
            match (at, of) {
                (Some(at), _) => {
                    let text = match age.value {
                        90.. => "at an age over 89".to_string(),
                        13.. => predicate(age.value, near),
                        _ => "as a child".to_string(),
                    };
                    (at.start..span.end, text)
                }
                (None, Some(of)) if age.value >= 13 || age.value < 5 => {
                    (of.start..span.end, predicate(age.value, near))
                }
                (None, Some(_)) => (span.clone(), "school age".to_string()),
                (None, None) if labelled && age.value >= 90 => (start..span.end, "aged over 89".to_string()),
                (None, None) => (start..span.end, predicate(age.value, near)),
            }
        }
    };
    // Markup inside the rewritten words ("a **45-year-old** man") would be lost or broken:
    // then only the age itself changes.
    if doc.source[range.clone()] != doc.text[range.clone()] && range != *span {
        let text = match (is_adult(age), age.value) {
            (true, 90..) => "90-plus-year-old".to_string(),
            (true, 20..) => format!("{}0-something-year-old", age.value / 10),
            (true, _) => "teenage".to_string(),
            (false, _) => child_adjective(age).to_string(),
        };
        return Some(Edit {
            span: span.clone(),
            replacement: text,
        });
    }
    // A sentence that began with the age ("45M presents", "Age 63.") begins with a capital still.
    let began_lower = doc.source[range.start..].chars().next().is_some_and(char::is_lowercase);
    let replacement = match grammar::place_of(doc.text, range.start, doc.blocks) {
        Place::SentenceStart if !began_lower => grammar::capitalize(&replacement),
        _ => replacement,
    };
    Some(Edit {
        span: range,
        replacement,
    })
}

/// A nearby but different age, deterministic so the same document always gets the same one.
fn altered(value: u32) -> Option<u32> {
    let shifts: [i64; 4] = [2, -3, 3, -2];
    let start = usize::try_from(value % 4).ok()?;
    (0..4)
        .map(|k| i64::from(value) + shifts[(start + k) % 4])
        .find(|v| (1..=89).contains(v))
        .and_then(|v| u32::try_from(v).ok())
}

pub fn fixes(doc: &Doc<'_>, span: &Range<usize>) -> Vec<Fix> {
    let Some(age) = parse(doc.source, span) else {
        return Vec::new();
    };
    let mut fixes = Vec::new();
    if let Some(edit) = generalize(doc, span, &age) {
        fixes.push(Fix {
            title: format!("Generalize the age: \u{201c}{}\u{201d}", edit.replacement.trim()),
            edits: vec![edit],
            applicability: Applicability::Safe,
        });
    }
    if age.value < 90 && age.unit == Unit::Years {
        if let (Some(number), Some(new)) = (age.number.clone(), altered(age.value)) {
            fixes.push(Fix {
                title: format!("Alter the age to {new} (check it still fits the case)"),
                edits: vec![Edit {
                    span: number,
                    replacement: new.to_string(),
                }],
                applicability: Applicability::NeedsReview,
            });
        }
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::super::tests::first_fix;

    #[track_caller]
    fn generalized(text: &str, expected: &str) {
        assert_eq!(first_fix(text, crate::engine::Rule::Age), expected, "in {text:?}");
    }

    #[test]
    fn adjective_ages_become_ranges() {
        generalized("She is a 45-year-old woman.", "She is a woman in her 40s.");
        generalized("A 45-year-old man presented.", "A man in his 40s presented.");
        generalized("An 85-year-old man fell.", "A man in his 80s fell.");
        generalized(
            "a 45-year-old previously healthy man", "a previously healthy man in his 40s",
        );
        generalized(
            "She was a 45-year-old with asthma.",
            "She was a woman in her 40s with asthma.",
        );
        generalized("A 94-year-old woman fell.", "A woman over 89 fell.");
        generalized("a 7-year-old boy", "a school-age boy");
        generalized("an 8-year-old girl", "a school-age girl");
        generalized("a 6-month-old boy", "an infant boy");
        generalized("45-year-old man with chest pain", "Man in his 40s with chest pain");
        generalized("a seventy-two-year-old woman", "a woman in her 70s");
        generalized("a 16-year-old boy", "a boy in his teens");
        generalized("a **45-year-old** man", "a **40-something-year-old** man");
    }

    #[test]
    fn compact_ages_become_ranges() {
        generalized("72yo F with CHF.", "Woman in her 70s with CHF.");
        generalized("Pt is 45M, stable.", "Pt is a man in his 40s, stable.");
        generalized("A 45 yo male with pain.", "A male in his 40s with pain.");
        generalized("He is a 45 y/o with pain.", "He is a man in his 40s with pain.");
    }

    #[test]
    fn labelled_and_bare_ages() {
        generalized("She died aged 94 at home.", "She died aged over 89 at home.");
        generalized("She married aged 45.", "She married in her 40s.");
        generalized("He retired at age 62.", "He retired in his 60s.");
        generalized("He retired at the age of 62.", "He retired in his 60s.");
        generalized("She was 93 and lucid.", "She was over 89 and lucid.");
        generalized("He died at 94.", "He died at an age over 89.");
        generalized("Still sharp at 94, she", "Still sharp at an age over 89, she");
        generalized("Age: 45", "Age: 40s");
        generalized("Patient seen. Age 63. Stable.", "Patient seen. In their 60s. Stable.");
        generalized("a woman in her 90s", "a woman over 89");
        generalized("a nonagenarian with sepsis", "a person over 89 with sepsis");
    }

    #[test]
    fn alter_keeps_the_age_under_90() {
        for age in 1..90 {
            let new = super::altered(age).expect("an alternative");
            assert!(
                new != age && (1..=89).contains(&new) && new.abs_diff(age) <= 3,
                "{age} -> {new}"
            );
        }
    }
}
