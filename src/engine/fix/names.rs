//! Consistent replacements for names: every mention of one person (`Maria Lopez`, `Maria`,
//! `Ms. Lopez`, `Maria's`) gets the same placeholder, so the story still reads as one person.

use std::ops::Range;

use super::grammar::{self, Gender, Place};
use crate::engine::finding::{Applicability, Edit, Finding, Fix};
use crate::engine::rules::Rule;

/// How names are replaced. Set in scrubs.toml (`[fix] names = "placeholder"`) or the editor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NameStyle {
    /// `[Name A]`, `[Name B]`: one letter per person. Safe: nothing left to recognize.
    #[default]
    Placeholder,
    /// `the patient` for the person mentioned most, `[Name B]` for the others.
    Patient,
    /// `M. L.`, `Ms. L.`: the custom of case reports, but initials still hint at the name.
    Initials,
    /// An invented name (`Alex Reed`): reads naturally, but looks like a real name to a reader
    /// and to scrubs itself, so it is never applied in bulk.
    Pseudonym,
}

impl NameStyle {
    pub const ALL: [NameStyle; 4] = [
        NameStyle::Placeholder,
        NameStyle::Patient,
        NameStyle::Initials,
        NameStyle::Pseudonym,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NameStyle::Placeholder => "placeholder",
            NameStyle::Patient => "patient",
            NameStyle::Initials => "initials",
            NameStyle::Pseudonym => "pseudonym",
        }
    }

    pub fn parse(s: &str) -> Option<NameStyle> {
        NameStyle::ALL
            .into_iter()
            .find(|n| n.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Every style, `preferred` first: the order fixes are offered in.
    pub fn preferred_first(preferred: NameStyle) -> impl Iterator<Item = NameStyle> {
        std::iter::once(preferred).chain(NameStyle::ALL.into_iter().filter(move |s| *s != preferred))
    }

    /// Safe styles leave nothing that looks like a name; the others need review.
    pub fn applicability(self) -> Applicability {
        match self {
            NameStyle::Placeholder | NameStyle::Patient => Applicability::Safe,
            NameStyle::Initials | NameStyle::Pseudonym => Applicability::NeedsReview,
        }
    }
}

const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "mister", "madam", "sir"];

/// Invented names for the pseudonym style: short, common, and not tied to a gender.
const PSEUDO_FIRST: &[&str] = &[
    "Alex", "Sam", "Jordan", "Robin", "Casey", "Jamie", "Morgan", "Riley", "Avery", "Quinn", "Drew", "Kim",
];
const PSEUDO_LAST: &[&str] = &[
    "Reed", "Lane", "Hale", "Shaw", "Cole", "Gray", "Hart", "Ford", "West", "Park", "Ross", "Wade",
];

/// A person: the name findings that refer to them.
#[derive(Debug)]
struct Person {
    /// Lower-case words of the longest form of the name seen (`maria`, `lopez`).
    words: Vec<String>,
    mentions: Vec<usize>,
    /// The person's letter in `[Name A]`.
    letter: String,
}

/// The people named in a document, and which person each name finding refers to.
#[derive(Debug, Default)]
pub struct Persons {
    people: Vec<Person>,
    /// For each finding index: the person it names, if it is a name finding.
    of_finding: Vec<Option<usize>>,
    /// The person called "the patient" in the patient style: the one mentioned most.
    main: Option<usize>,
}

fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty() && !TITLES.contains(&w.as_str()))
        .collect()
}

fn title_before(text: &str, at: usize) -> Option<Range<usize>> {
    let word = grammar::prev_word_or_title(text, at)?;
    let lower = text[word.clone()].to_lowercase();
    if !TITLES.contains(&lower.as_str()) {
        return None;
    }
    let end = if text[word.end..].starts_with('.') {
        word.end + 1
    } else {
        word.end
    };
    Some(word.start..end)
}

/// Whether the title before `at` (`Mr.`) names another gender than the patient's.
fn title_conflicts(source: &str, at: usize, patient: Gender) -> bool {
    let Some(title) = title_before(source, at) else {
        return false;
    };
    let title = grammar::gender_of_word(source[title].trim_end_matches('.'));
    title != Gender::Unknown && patient != Gender::Unknown && title != patient
}

impl Persons {
    pub fn new(source: &str, findings: &[Finding]) -> Persons {
        let mut persons = Persons {
            of_finding: vec![None; findings.len()],
            ..Persons::default()
        };
        let names: Vec<(usize, Vec<String>)> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.rule == Rule::Name)
            .map(|(i, f)| (i, name_words(&source[f.span.clone()])))
            .filter(|(_, words)| !words.is_empty())
            .collect();
        // Full names first: they define the people. Two full names are one person when their
        // first and last words agree.
        for (index, words) in names.iter().filter(|(_, w)| w.len() > 1) {
            let key = (words.first(), words.last());
            let found = persons
                .people
                .iter()
                .position(|p| p.words.len() > 1 && (p.words.first(), p.words.last()) == key);
            persons.attach(*index, words, found);
        }
        // Single words join the person they belong to: after a title, by surname; else by first
        // name; else by any part of the name.
        for (index, words) in names.iter().filter(|(_, w)| w.len() == 1) {
            let word = &words[0];
            let titled = title_before(source, findings[*index].span.start).is_some();
            let by = |pick: fn(&Person) -> Option<&String>| {
                persons
                    .people
                    .iter()
                    .position(|p| p.words.len() > 1 && pick(p) == Some(word))
            };
            let found = if titled {
                by(|p| p.words.last())
            } else {
                by(|p| p.words.first())
            }
            .or_else(|| {
                if titled {
                    by(|p| p.words.first())
                } else {
                    by(|p| p.words.last())
                }
            })
            .or_else(|| persons.people.iter().position(|p| p.words.contains(word)));
            persons.attach(*index, words, found);
        }
        // Letters in order of first appearance, skipping any already used in the document.
        let mut order: Vec<usize> = (0..persons.people.len()).collect();
        order.sort_by_key(|&p| persons.people[p].mentions.iter().map(|&i| findings[i].span.start).min());
        // The labels of the "[Name X]" placeholders already in the text, found in one pass
        // (a letter name holds no "]", so "[Name X]" is in the text exactly when X is here).
        let used: std::collections::HashSet<&str> = memchr::memmem::find_iter(source.as_bytes(), "[Name ")
            .filter_map(|at| {
                let label = &source[at + "[Name ".len()..];
                label.find(']').map(|end| &label[..end])
            })
            .collect();
        let mut next = 0usize;
        for p in order {
            let letter = loop {
                let candidate = letter_name(next);
                next += 1;
                if !used.contains(candidate.as_str()) {
                    break candidate;
                }
            };
            persons.people[p].letter = letter;
        }
        persons.main = (0..persons.people.len()).max_by_key(|&p| {
            let first = persons.people[p].mentions.iter().map(|&i| findings[i].span.start).min();
            (persons.people[p].mentions.len(), std::cmp::Reverse(first))
        });
        persons
    }

    fn attach(&mut self, finding: usize, words: &[String], person: Option<usize>) {
        let p = match person {
            Some(p) => p,
            None => {
                self.people.push(Person {
                    words: words.to_vec(),
                    mentions: Vec::new(),
                    letter: String::new(),
                });
                self.people.len() - 1
            }
        };
        self.people[p].mentions.push(finding);
        self.of_finding[finding] = Some(p);
    }

    /// The findings that name the same person as finding `index`.
    pub fn mentions_of(&self, index: usize) -> &[usize] {
        match self.of_finding.get(index).copied().flatten() {
            Some(p) => &self.people[p].mentions,
            None => &[],
        }
    }

    /// The edit that replaces one mention in the given style.
    pub fn mention_edit(
        &self,
        source: &str,
        blocks: &[Range<usize>],
        findings: &[Finding],
        index: usize,
        style: NameStyle,
        gender: Gender,
    ) -> Option<Edit> {
        let p = self.of_finding.get(index).copied().flatten()?;
        let person = &self.people[p];
        let span = findings[index].span.clone();
        let mention = name_words(&source[span.clone()]);
        let placeholder = format!("[Name {}]", person.letter);
        let (span, replacement) = match style {
            NameStyle::Placeholder => (span, placeholder),
            // "Mr. Lopez" in a story about Ms. Lopez is her husband, not the patient.
            NameStyle::Patient if self.main == Some(p) && !title_conflicts(source, span.start, gender) => {
                let start = title_before(source, span.start).map_or(span.start, |t| t.start);
                let text = match grammar::place_of(source, start, blocks) {
                    Place::SentenceStart => "The patient".to_string(),
                    _ => "the patient".to_string(),
                };
                (start..span.end, text)
            }
            NameStyle::Patient => (span, placeholder),
            NameStyle::Initials => {
                let initials: Vec<String> = mention
                    .iter()
                    .filter_map(|w| w.chars().next())
                    .map(|c| format!("{}.", c.to_uppercase()))
                    .collect();
                (span, initials.join(" "))
            }
            NameStyle::Pseudonym => {
                let first = PSEUDO_FIRST[p % PSEUDO_FIRST.len()];
                let last = PSEUDO_LAST[(p * 5 + 3) % PSEUDO_LAST.len()];
                let text = match mention.as_slice() {
                    [one] if person.words.len() > 1 && person.words.last() == Some(one) => last.to_string(),
                    [_] => first.to_string(),
                    _ => format!("{first} {last}"),
                };
                (span, text)
            }
        };
        Some(Edit { span, replacement })
    }

    /// One fix per style that replaces every mention of the person named by finding `index`.
    pub fn person_fixes(
        &self,
        source: &str,
        blocks: &[Range<usize>],
        findings: &[Finding],
        index: usize,
        preferred: NameStyle,
        gender: Gender,
    ) -> Vec<Fix> {
        let mentions = self.mentions_of(index);
        if mentions.is_empty() {
            return Vec::new();
        }
        let count = mentions.len();
        NameStyle::preferred_first(preferred)
            .filter_map(|style| {
                let mut edits: Vec<Edit> = mentions
                    .iter()
                    .filter_map(|&m| self.mention_edit(source, blocks, findings, m, style, gender))
                    .collect();
                edits.sort_by_key(|e| e.span.start);
                edits.dedup_by(|a, b| a.span.start < b.span.end);
                let sample = self
                    .mention_edit(source, blocks, findings, index, style, gender)?
                    .replacement;
                let every = if count > 1 {
                    format!(" (all {count} mentions)")
                } else {
                    String::new()
                };
                let title = match style {
                    NameStyle::Initials => format!("Replace the name with initials \u{201c}{sample}\u{201d}{every}"),
                    NameStyle::Pseudonym => {
                        format!("Replace the name with an invented one, \u{201c}{sample}\u{201d}{every}")
                    }
                    _ => format!("Replace the name with \u{201c}{sample}\u{201d}{every}"),
                };
                Some(Fix {
                    title,
                    edits,
                    applicability: style.applicability(),
                })
            })
            .collect()
    }
}

/// A, B, ..., Z, AA, AB, ...
fn letter_name(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The style fix-all uses: the configured one when it is safe, else placeholders.
pub fn bulk_style(style: NameStyle) -> NameStyle {
    match style.applicability() {
        Applicability::Safe => style,
        Applicability::NeedsReview => NameStyle::Placeholder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_continue_past_z() {
        assert_eq!(letter_name(0), "A");
        assert_eq!(letter_name(25), "Z");
        assert_eq!(letter_name(26), "AA");
        assert_eq!(letter_name(27), "AB");
    }

    #[test]
    fn styles_parse() {
        assert_eq!(NameStyle::parse("Initials"), Some(NameStyle::Initials));
        assert_eq!(NameStyle::parse("nickname"), None);
    }
}
