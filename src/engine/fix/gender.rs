//! Gender rewrites across the whole document: swap (she ↔ he, wife ↔ husband, Ms ↔ Mr) or make
//! neutral (they, person, spouse, Mx), keeping capitals, choosing `him` or `his` for `her` by the
//! words around it, and agreeing verbs with `they` where the verb follows the pronoun.
//!
//! Every gendered word changes, not only the patient's: swapping one person in a couple and not
//! the other would tell a different story. Both rewrites need reading, so they are never applied
//! in bulk.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::grammar;
use super::Doc;
use crate::engine::finding::{Applicability, Edit, Fix};
use crate::engine::text::is_one_of;

/// How the document's genders change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenderChange {
    Swap,
    Neutral,
}

/// (masculine, feminine, neutral) forms. `her` and `his` are handled by syntax, below.
const WORDS: &[(&str, &str, &str)] = &[
    ("he", "she", "they"),
    ("him", "her", "them"),
    ("himself", "herself", "themselves"),
    ("he's", "she's", "they're"),
    ("he'd", "she'd", "they'd"),
    ("he'll", "she'll", "they'll"),
    ("man", "woman", "person"),
    ("men", "women", "people"),
    ("male", "female", "person"),
    ("males", "females", "people"),
    ("boy", "girl", "child"),
    ("boys", "girls", "children"),
    ("gentleman", "lady", "person"),
    ("gentlemen", "ladies", "people"),
    ("husband", "wife", "spouse"),
    ("husbands", "wives", "spouses"),
    ("son", "daughter", "child"),
    ("sons", "daughters", "children"),
    ("father", "mother", "parent"),
    ("fathers", "mothers", "parents"),
    ("brother", "sister", "sibling"),
    ("brothers", "sisters", "siblings"),
    ("uncle", "aunt", "relative"),
    ("uncles", "aunts", "relatives"),
    ("nephew", "niece", "relative"),
    ("nephews", "nieces", "relatives"),
    ("grandfather", "grandmother", "grandparent"),
    ("grandfathers", "grandmothers", "grandparents"),
    ("grandson", "granddaughter", "grandchild"),
    ("grandsons", "granddaughters", "grandchildren"),
    ("stepfather", "stepmother", "step-parent"),
    ("stepson", "stepdaughter", "stepchild"),
    ("boyfriend", "girlfriend", "partner"),
    ("fiancé", "fiancée", "partner"),
    ("widower", "widow", "surviving spouse"),
    ("dad", "mom", "parent"),
    ("mr", "ms", "mx"),
];

/// Feminine words with no masculine twin in [`WORDS`], and what they become.
const FEMININE_EXTRA: &[(&str, &str, &str)] =
    &[("mrs", "mr", "mx"), ("mum", "dad", "parent"), ("hers", "his", "theirs")];

/// After `her`, these words show it is an object ("gave her the pills"), not a possessive.
const OBJECT_FOLLOWERS: &[&str] = &[
    "the", "a", "an", "to", "with", "about", "that", "this", "in", "on", "at", "for", "from", "of", "and", "or", "but",
    "as", "into", "back", "up", "down", "out", "off", "home", "again", "yesterday", "today", "tomorrow", "now", "then",
    "later", "after", "before", "because", "if", "when", "while", "so", "since", "until", "by", "over", "is", "was",
    "how", "what", "why", "where", "who", "some", "any", "all", "every", "each", "several", "these", "those", "my",
    "your", "his", "our", "their", "its", "not", "too", "very", "well", "more", "less", "once", "twice", "through",
    "during", "without", "against", "via", "under", "daily", "weekly", "immediately", "closely", "carefully", "there",
    "here", "it", "them", "him", "me", "us", "you", "directly", "anything", "everything", "nothing", "something",
    "enough", "alone", "both", "either", "neither",
];

/// After `her`, these are what she has ("told her husband", "gave her medication").
const POSSESSED: &[&str] = &[
    "family", "doctor", "friend", "friends", "children", "kids", "child", "name", "partner", "parents", "pain",
    "symptoms", "medication", "medications", "medicine", "pills", "results", "diagnosis", "care", "own", "life",
    "baby", "gp", "physician", "nurse", "team", "spouse", "sibling", "siblings", "job", "work", "house", "car", "dog",
    "cat", "story", "case", "chart", "room", "bed", "blood", "heart", "legs", "arm", "leg", "hand", "hands", "head",
    "chest", "eyes", "voice", "weight", "age", "first", "last", "next", "best", "usual",
];

/// Before `her`, these verbs take it as an object ("told her", "gave her time").
const OBJECT_VERBS: &[&str] = &[
    "gave", "give", "gives", "giving", "given", "told", "tell", "tells", "offered", "offer", "offers", "sent", "send",
    "showed", "show", "shows", "asked", "ask", "asks", "prescribed", "prescribe", "brought", "bring", "handed",
    "taught", "let", "made", "make", "helped", "help", "reminded", "encouraged", "advised", "urged", "allowed",
    "thanked", "reassured", "warned", "discharged", "admitted", "transferred", "intubated", "examined", "started",
    "placed", "kept", "put", "left", "found", "got", "get", "treated", "saw",
];

/// Adverbs that may stand between a pronoun and its verb ("she also reports").
const ADVERBS: &[&str] = &[
    "also", "still", "never", "then", "now", "later", "subsequently", "again", "often", "always", "usually",
    "reportedly", "initially", "ultimately", "eventually", "only", "just", "already", "currently", "really", "soon",
    "rarely", "sometimes", "frequently", "recently", "previously", "clearly", "repeatedly", "occasionally", "finally",
    "immediately", "otherwise", "actually", "not",
];

/// Words ending in `s` after a pronoun that are not third-person verbs.
const NOT_VERBS: &[&str] = &[
    "as", "thus", "perhaps", "always", "sometimes", "towards", "afterwards", "unless", "besides", "nevertheless",
    "nonetheless", "less", "this", "us", "yes", "his", "hers", "its", "whereas", "plus", "across", "various",
];

/// `45M`, `72yo F`: the sex letter of a compact age.
static COMPACT_SEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[0-9]{1,3}(?:[ \t]*(?:yo|y/o|y))?[ \t]?([MF])\b").expect("compact sex pattern"));

/// Every word [`rewrite_word`] can change, in lower case: the forms of [`WORDS`] and
/// [`FEMININE_EXTRA`], the title "miss" and the possessive "her" and "his".
static GENDERED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    WORDS
        .iter()
        .flat_map(|&(m, f, _)| [m, f])
        .chain(FEMININE_EXTRA.iter().map(|&(f, _, _)| f))
        .chain(["miss", "her", "his"])
        .collect()
});

/// The most bytes a word of [`GENDERED`] can have as written: it has at most 14 characters
/// (lower-casing never makes fewer characters, and `’` is one character as `'` is), each at
/// most 4 bytes.
const LONGEST_GENDERED: usize = 4 * 14;

/// The ASCII words of [`GENDERED`] by their first letter.
static GENDERED_BY_LETTER: LazyLock<[Vec<&'static str>; 26]> = LazyLock::new(|| {
    let mut by_letter: [Vec<&'static str>; 26] = Default::default();
    for &word in GENDERED.iter().filter(|w| w.is_ascii()) {
        by_letter[usize::from(word.as_bytes()[0] - b'a')].push(word);
    }
    by_letter
});

/// `word` in lower case (`’` as `'`) when it is one of [`GENDERED`]. Most words are not: those
/// longer than any are passed over unread, and an ASCII word is compared, ignoring case, with
/// the few that start with its letter.
fn gendered_lower(word: &str) -> Option<String> {
    if word.len() > LONGEST_GENDERED {
        return None;
    }
    if word.is_ascii() {
        let first = word.as_bytes().first()?.to_ascii_lowercase();
        let same_letter = GENDERED_BY_LETTER.get(usize::from(first.checked_sub(b'a')?))?;
        return same_letter
            .iter()
            .find(|w| w.eq_ignore_ascii_case(word))
            .map(|w| (*w).to_string());
    }
    let lower = word.to_lowercase().replace('\u{2019}', "'");
    GENDERED.contains(lower.as_str()).then_some(lower)
}

fn lookup(lower: &str) -> Option<(&'static str, &'static str, &'static str, bool)> {
    // (word's own form, swapped form, neutral form, is the word masculine)
    for &(m, f, n) in WORDS {
        if lower == m {
            return Some((m, f, n, true));
        }
        if lower == f {
            return Some((f, m, n, false));
        }
    }
    FEMININE_EXTRA
        .iter()
        .find(|(f, _, _)| *f == lower)
        .map(|&(f, m, n)| (f, m, n, false))
}

fn word_at_is_in(doc: &Doc<'_>, word: Option<Range<usize>>, list: &[&str]) -> bool {
    word.is_some_and(|w| is_one_of(&doc.text[w], list))
}

/// `her` before a noun is possessive ("her husband"); before punctuation, a preposition or an
/// article, or after a verb like "told", it is an object ("told her", "gave her the pills").
fn her_is_object(doc: &Doc<'_>, word: &Range<usize>) -> bool {
    let next = grammar::next_word(doc.text, word.end);
    let owned = next.as_ref().is_some_and(|n| {
        let lower = doc.text[n.clone()].to_lowercase();
        let pronoun = ["he", "she", "him", "her", "his", "hers", "they", "it"].contains(&lower.as_str());
        (!pronoun && lookup(&lower).is_some()) || POSSESSED.contains(&lower.as_str())
    });
    if owned {
        return false;
    }
    next.is_none()
        || word_at_is_in(doc, next, OBJECT_FOLLOWERS)
        || word_at_is_in(doc, grammar::prev_word(doc.text, word.start), OBJECT_VERBS)
}

/// `his` standing alone ("the choice was his") is `hers`, else `her`.
fn his_stands_alone(doc: &Doc<'_>, word: &Range<usize>) -> bool {
    grammar::next_word(doc.text, word.end).is_none()
}

/// The verb after a subject pronoun, made plural for `they` ("she reports" → "they report").
fn plural_verb(verb: &str) -> Option<String> {
    let lower = verb.to_lowercase();
    if !lower.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '\u{2019}') {
        return None;
    }
    let plural = match lower.as_str() {
        "is" => "are".to_string(),
        "was" => "were".to_string(),
        "has" => "have".to_string(),
        "does" => "do".to_string(),
        "goes" => "go".to_string(),
        "isn't" => "aren't".to_string(),
        "wasn't" => "weren't".to_string(),
        "doesn't" => "don't".to_string(),
        "hasn't" => "haven't".to_string(),
        w if NOT_VERBS.contains(&w) || w.len() < 3 => return None,
        w if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") || !w.ends_with('s') => return None,
        w if w.ends_with("ies") && w.len() > 4 => format!("{}y", &w[..w.len() - 3]),
        w if ["ches", "shes", "sses", "xes", "zes", "oes"]
            .iter()
            .any(|e| w.ends_with(e)) =>
        {
            w[..w.len() - 2].to_string()
        }
        w => w[..w.len() - 1].to_string(),
    };
    Some(grammar::match_case(verb, &plural))
}

/// `she's been` → `they've been`; `she's tired` → `they're tired`.
fn neutral_contraction(doc: &Doc<'_>, word: &Range<usize>, written: &str) -> String {
    let next = grammar::next_word(doc.text, word.end).map(|w| doc.text[w].to_lowercase());
    let has = next.is_some_and(|n| {
        [
            "been", "got", "gotten", "had", "gone", "done", "seen", "taken", "lost", "become",
        ]
        .contains(&n.as_str())
    });
    grammar::match_case(written, if has { "they've" } else { "they're" })
}

/// Every edit of one gender rewrite, in document order.
pub fn rewrite(doc: &Doc<'_>, change: GenderChange) -> Vec<Edit> {
    rewrite_up_to(doc, change, usize::MAX).0
}

/// How a gendered word changes, as a title shows it: `she → he`.
fn example(doc: &Doc<'_>, edit: &Edit) -> String {
    format!(
        "{} \u{2192} {}",
        doc.source[edit.span.clone()].to_lowercase(),
        edit.replacement.to_lowercase()
    )
}

/// The edits of a rewrite from the start of the document as far as the word that makes
/// `examples` different changes (all of them when there are not that many): the same as the
/// first edits of the whole rewrite, up to that word. Also whether it stopped there.
fn rewrite_up_to(doc: &Doc<'_>, change: GenderChange, examples: usize) -> (Vec<Edit>, bool) {
    let mut seen: Vec<String> = Vec::new();
    let mut until = doc.text.len();
    let text = doc.text;
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut at = 0;
    // The character at `at` (a character boundary), when it is not ASCII.
    let wide = |at: usize| text[at..].chars().next().unwrap_or_default();
    while at < bytes.len() {
        // A word starts at a letter and goes on over letters and apostrophes.
        if bytes[at].is_ascii() {
            if !bytes[at].is_ascii_alphabetic() {
                at += 1;
                continue;
            }
        } else {
            let c = wide(at);
            if !c.is_alphabetic() {
                at += c.len_utf8();
                continue;
            }
        }
        let start = at;
        while at < bytes.len() {
            if bytes[at].is_ascii() {
                if !(bytes[at].is_ascii_alphabetic() || bytes[at] == b'\'') {
                    break;
                }
                at += 1;
            } else {
                let c = wide(at);
                if !(c.is_alphabetic() || c == '\u{2019}') {
                    break;
                }
                at += c.len_utf8();
            }
        }
        let written = &doc.source[start..at];
        let trimmed = written.trim_end_matches(['\'', '\u{2019}']);
        let (trimmed, lower) = match gendered_lower(trimmed) {
            Some(lower) => (trimmed, lower),
            None => {
                // A possessive: in "her husband's car" the word to rewrite is "husband".
                let Some(stem) = ["'s", "'S", "\u{2019}s", "\u{2019}S"]
                    .iter()
                    .find_map(|s| trimmed.strip_suffix(s))
                else {
                    continue;
                };
                let Some(lower) = gendered_lower(stem) else {
                    continue;
                };
                (stem, lower)
            }
        };
        let word = start..start + trimmed.len();
        // Not inside web addresses, emails or file names.
        if grammar::prev_word(text, word.start).is_none()
            && text[..word.start].ends_with(['/', '@', '_', '.'])
            && !text[..word.start].ends_with(". ")
        {
            continue;
        }
        if text[word.end..].starts_with(['/', '@', '_']) {
            continue;
        }
        if let Some(edit) = rewrite_word(doc, &word, trimmed, &lower, change) {
            if examples < usize::MAX && !edit.replacement.is_empty() {
                let shown = example(doc, &edit);
                if !seen.contains(&shown) {
                    seen.push(shown);
                }
            }
            edits.push(edit);
            // Edits of later words start after this one: the furthest an edit reaches back is
            // the article just before its own word.
            if seen.len() >= examples {
                until = word.end;
                break;
            }
        }
    }
    for caps in COMPACT_SEX.captures_iter(text) {
        // Every edit of a match starts within it.
        if caps.get(0).is_some_and(|m| m.start() >= until) {
            break;
        }
        let Some(letter) = caps.get(1) else { continue };
        let edit = match change {
            GenderChange::Swap => Edit {
                span: letter.range(),
                replacement: if letter.as_str() == "M" { "F" } else { "M" }.to_string(),
            },
            GenderChange::Neutral => {
                let start = text[..letter.start()].trim_end_matches([' ', '\t']).len();
                Edit {
                    span: start..letter.end(),
                    replacement: String::new(),
                }
            }
        };
        edits.push(edit);
    }
    edits.sort_by_key(|e| e.span.start);
    edits.dedup_by(|b, a| b.span.start < a.span.end);
    let stopped = until < text.len();
    edits.retain(|e| !stopped || e.span.start < until);
    (edits, stopped)
}

fn rewrite_word(doc: &Doc<'_>, word: &Range<usize>, written: &str, lower: &str, change: GenderChange) -> Option<Edit> {
    // "Miss" is also a verb: only a capitalized "Miss" before a name or a full stop is a title.
    if lower == "miss" {
        let is_title = written.starts_with('M') && grammar::next_word(doc.text, word.end).is_some();
        let new = match change {
            GenderChange::Swap => "Mr",
            GenderChange::Neutral => "Mx",
        };
        return is_title.then(|| Edit {
            span: word.clone(),
            replacement: new.to_string(),
        });
    }
    let replace = |new: &str| {
        Some(Edit {
            span: word.clone(),
            replacement: grammar::match_case(written, new),
        })
    };
    match (lower, change) {
        ("her", GenderChange::Swap) => return replace(if her_is_object(doc, word) { "him" } else { "his" }),
        ("her", GenderChange::Neutral) => return replace(if her_is_object(doc, word) { "them" } else { "their" }),
        ("his", GenderChange::Swap) => return replace(if his_stands_alone(doc, word) { "hers" } else { "her" }),
        ("his", GenderChange::Neutral) => return replace(if his_stands_alone(doc, word) { "theirs" } else { "their" }),
        ("he" | "she", GenderChange::Neutral) => return Some(they_with_verb(doc, word, written)),
        ("he's" | "she's", GenderChange::Neutral) => {
            return Some(Edit {
                span: word.clone(),
                replacement: neutral_contraction(doc, word, written),
            })
        }
        ("male" | "female", GenderChange::Neutral) => {
            // "a female patient" → "a patient"; "a 45-year-old female" → "a 45-year-old person"
            let next = grammar::next_word(doc.text, word.end);
            let adjective = next.as_ref().is_some_and(|n| {
                let w = &doc.text[n.clone()];
                w.chars().next().is_some_and(char::is_lowercase) && !OBJECT_FOLLOWERS.contains(&w) && w != "with"
            });
            if let (true, Some(next)) = (adjective, next) {
                return Some(Edit {
                    span: word.start..next.start,
                    replacement: String::new(),
                });
            }
        }
        _ => {}
    }
    let (_, swapped, neutral, _) = lookup(lower)?;
    let new = match change {
        GenderChange::Swap => swapped,
        GenderChange::Neutral => neutral,
    };
    // "an uncle" → "a relative": the article agrees with the new word.
    if let Some(article) = grammar::prev_word(doc.text, word.start) {
        let a = &doc.source[article.clone()];
        if a.eq_ignore_ascii_case("a") || a.eq_ignore_ascii_case("an") {
            let agreed = grammar::match_case(a, grammar::indefinite_article(new));
            if agreed != a {
                let gap = &doc.source[article.end..word.start];
                return Some(Edit {
                    span: article.start..word.end,
                    replacement: format!("{agreed}{gap}{}", grammar::match_case(written, new)),
                });
            }
        }
    }
    replace(new)
}

/// `she reports` → `they report`, `he also has` → `they also have`.
fn they_with_verb(doc: &Doc<'_>, pronoun: &Range<usize>, written: &str) -> Edit {
    let they = grammar::match_case(written, "they");
    let mut next = grammar::next_word(doc.text, pronoun.end);
    if next
        .as_ref()
        .is_some_and(|n| ADVERBS.contains(&doc.text[n.clone()].to_lowercase().as_str()))
    {
        next = next.and_then(|n| grammar::next_word(doc.text, n.end));
    }
    if let Some(verb) = next {
        if let Some(plural) = plural_verb(&doc.source[verb.clone()]) {
            let between = &doc.source[pronoun.end..verb.start];
            return Edit {
                span: pronoun.start..verb.end,
                replacement: format!("{they}{between}{plural}"),
            };
        }
    }
    Edit {
        span: pronoun.clone(),
        replacement: they,
    }
}

/// Whether `range` touches a word that a gender rewrite would change.
pub fn touches_gendered_word(doc: &Doc<'_>, range: &Range<usize>) -> bool {
    // The word starts after the separator before it, which may be wider than a byte (an em dash,
    // a curly quote).
    let from = doc.text[..range.start.min(doc.text.len())]
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric() && c != '\'')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let to = doc.text[range.end.min(doc.text.len())..]
        .find(|c: char| !c.is_alphanumeric() && c != '\'')
        .map_or(doc.text.len(), |i| range.end + i);
    let window = &doc.text[from..to];
    window.split(|c: char| !c.is_alphabetic() && c != '\'').any(|w| {
        let lower = w.to_lowercase();
        let stem = lower.strip_suffix("'s").unwrap_or(&lower);
        lower == "her" || lower == "his" || lookup(&lower).is_some() || lookup(stem).is_some()
    }) || COMPACT_SEX.is_match(window)
}

/// The two gender rewrites, as fixes for review, each with the change it makes.
pub fn fixes(doc: &Doc<'_>) -> Vec<(GenderChange, Fix)> {
    REWRITES
        .iter()
        .filter_map(|&(change, what)| {
            let edits = rewrite(doc, change);
            (!edits.is_empty()).then(|| {
                let fix = Fix {
                    title: title(doc, what, &edits),
                    edits,
                    applicability: Applicability::NeedsReview,
                };
                (change, fix)
            })
        })
        .collect()
}

/// The titles of [`fixes`] without their edits, reading the document only as far as it takes
/// to find the examples they show.
pub fn titles(doc: &Doc<'_>) -> Vec<(GenderChange, String)> {
    REWRITES
        .iter()
        .filter_map(|&(change, what)| {
            let (mut edits, stopped) = rewrite_up_to(doc, change, 2);
            // Should an edit counted as an example have been dropped (overlapping another), the
            // examples are looked for in the whole rewrite.
            let distinct = edits
                .iter()
                .filter(|e| !e.replacement.is_empty())
                .map(|e| example(doc, e));
            if stopped && distinct.collect::<HashSet<_>>().len() < 2 {
                edits = rewrite(doc, change);
            }
            (!edits.is_empty()).then(|| (change, title(doc, what, &edits)))
        })
        .collect()
}

const REWRITES: [(GenderChange, &str); 2] = [
    (GenderChange::Swap, "Swap the gender throughout the document"),
    (GenderChange::Neutral, "Make the document gender-neutral"),
];

/// What a rewrite does, with its first two different changes as examples.
fn title(doc: &Doc<'_>, what: &str, edits: &[Edit]) -> String {
    let mut examples: Vec<String> = Vec::with_capacity(2);
    for e in edits.iter().filter(|e| !e.replacement.is_empty()) {
        let shown = example(doc, e);
        if !examples.contains(&shown) {
            examples.push(shown);
            if examples.len() == 2 {
                break;
            }
        }
    }
    format!("{what} ({}, \u{2026})", examples.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::tests::doc_for;
    use super::*;

    #[test]
    fn words_are_whole_across_accents_and_curly_apostrophes() {
        // A letter outside ASCII joined to a pronoun makes another word.
        assert_eq!(rewritten("éhe sheß HE said", GenderChange::Swap), "éhe sheß SHE said");
    }

    #[test]
    fn titles_read_only_as_far_as_their_examples_and_are_those_of_the_fixes() {
        let words = [
            "He", "she", "her", "his", "him", "Mrs", "Miss", "wife", "an", "uncle", "45M", " 72 yo F", "the",
            "reports", "husband's", "Mr", ".", ", ", "\n", "\n\n", "x/", "@", "a",
        ];
        let mut seed = 0x5eed_u64;
        let mut texts: Vec<String> = vec![
            include_str!("../../../examples/vignette.md").to_string(),
            include_str!("../../../examples/social-post.md").to_string(),
            String::new(),
            "No pronouns here.".to_string(),
            "A 45M. Then 30F.".to_string(),
        ];
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..10 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(words[(seed % words.len() as u64) as usize]);
                text.push(' ');
            }
            texts.push(text);
        }
        for text in &texts {
            with_doc(text, |doc| {
                let full: Vec<(GenderChange, String)> = fixes(doc).into_iter().map(|(c, f)| (c, f.title)).collect();
                assert_eq!(titles(doc), full, "{text:?}");
            });
        }
    }

    #[test]
    fn possessives_are_rewritten_with_their_word() {
        assert_eq!(
            rewritten("Her husband’s mother and the boys' father", GenderChange::Swap),
            "His wife’s father and the girls' mother"
        );
        assert_eq!(
            rewritten("She met her son's WIFE'S family.", GenderChange::Neutral),
            "They met their child's SPOUSE'S family."
        );
        assert_eq!(rewritten("He's here.", GenderChange::Swap), "She's here.");
        // A contraction keeps the apostrophe it was written with, and each part its case.
        assert_eq!(
            rewritten(
                "He\u{2019}ll call. HE\u{2019}d left; he\u{2019}s been told.",
                GenderChange::Swap
            ),
            "She\u{2019}ll call. SHE\u{2019}d left; she\u{2019}s been told."
        );
        assert_eq!(
            rewritten("He\u{2019}s been told and he\u{2019}s tired.", GenderChange::Neutral),
            "They\u{2019}ve been told and they\u{2019}re tired."
        );
        // And the rewrites are offered on them.
        let text = "the husband's car";
        assert!(touches_at(text, text.find("husband").unwrap()));
    }

    #[test]
    fn no_gendered_word_is_longer_than_the_words_passed_over() {
        assert!(GENDERED.iter().all(|w| w.chars().count() * 4 <= LONGEST_GENDERED));
        assert!(GENDERED.iter().any(|w| w.chars().count() * 4 == LONGEST_GENDERED));
    }

    /// `f` of `text` as a plain-text document.
    fn with_doc<R>(text: &str, f: impl FnOnce(&Doc<'_>) -> R) -> R {
        let (prepared, gender) = doc_for(text);
        f(&Doc {
            source: text,
            text: &prepared.text,
            blocks: &prepared.blocks,
            gender,
            block_genders: &[],
        })
    }

    fn rewritten(text: &str, change: GenderChange) -> String {
        with_doc(text, |doc| crate::engine::fix::apply(text, &rewrite(doc, change)))
    }

    /// Whether the gender rewrites are offered with the cursor at `at`.
    fn touches_at(text: &str, at: usize) -> bool {
        with_doc(text, |doc| touches_gendered_word(doc, &(at..at)))
    }

    #[test]
    fn a_word_after_a_multibyte_separator_is_found_whole() {
        // Found by the engine fuzz target: the byte after an em dash is inside the dash.
        for text in ["\u{2014}she", "\u{2019}her\u{2019} said", "\u{fffd}Mrs"] {
            let word = text.find(|c: char| c.is_ascii_alphabetic()).unwrap();
            assert!(touches_at(text, word), "{text:?}");
        }
    }

    #[test]
    fn swaps_every_gendered_word_keeping_capitals() {
        assert_eq!(
            rewritten(
                "She told her husband that Mrs. Lopez saw her. HER son came.",
                GenderChange::Swap
            ),
            "He told his wife that Mr. Lopez saw him. HIS daughter came."
        );
        assert_eq!(
            rewritten("We gave her the pills; the choice was his.", GenderChange::Swap),
            "We gave him the pills; the choice was hers."
        );
        assert_eq!(
            rewritten("A 72yo F and her mother.", GenderChange::Swap),
            "A 72yo M and his father."
        );
        assert_eq!(rewritten("An aunt came.", GenderChange::Swap), "An uncle came.");
    }

    #[test]
    fn neutral_agrees_verbs_and_articles() {
        assert_eq!(
            rewritten(
                "She reports pain. He also has a fever. She is tired.",
                GenderChange::Neutral
            ),
            "They report pain. They also have a fever. They are tired."
        );
        assert_eq!(
            rewritten("Her husband told her she denies it.", GenderChange::Neutral),
            "Their spouse told them they deny it."
        );
        assert_eq!(
            rewritten("A female patient and an uncle.", GenderChange::Neutral),
            "A patient and a relative."
        );
        assert_eq!(
            rewritten("She's been ill; she's tired.", GenderChange::Neutral),
            "They've been ill; they're tired."
        );
        assert_eq!(
            rewritten("Seen with Mr. Ngata.", GenderChange::Neutral),
            "Seen with Mx. Ngata."
        );
    }

    #[test]
    fn leaves_other_words_alone() {
        let text = "The theme of the hero: see https://example.org/his-story and his_notes.";
        assert_eq!(rewritten(text, GenderChange::Swap), text);
        assert_eq!(
            rewritten("Don't miss the dose.", GenderChange::Swap),
            "Don't miss the dose."
        );
    }
}
