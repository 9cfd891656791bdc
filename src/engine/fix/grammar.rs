//! Just enough English grammar to keep a sentence readable after a rewrite: the word next to a
//! span, whether a span starts a sentence, a/an, capitalization, and the patient's pronouns.

use std::ops::Range;

/// A word in the text: letters and digits with inner apostrophes, hyphens and full stops of
/// abbreviations left out (`Ms.` is the word `Ms`).
fn is_word_part(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// The word that ends just before `at`, separated from it by spaces or a single line break only.
/// `None` when punctuation or a blank line comes first.
pub fn prev_word(text: &str, at: usize) -> Option<Range<usize>> {
    let head = text.get(..at)?;
    let trimmed = head.trim_end_matches([' ', '\t']);
    let trimmed = trimmed
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .map_or(trimmed, |t| t.trim_end_matches([' ', '\t']));
    let end = trimmed.len();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_part(*c))
        .last()
        .map(|(i, _)| i)?;
    Some(start..end)
}

/// Like [`prev_word`], but also looks past a full stop that ends an abbreviation (`Ms.`).
pub fn prev_word_or_title(text: &str, at: usize) -> Option<Range<usize>> {
    let head = text.get(..at)?;
    let trimmed = head.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix('.') {
        Some(before) => prev_word(text, before.len()).filter(|w| w.end == before.len()),
        None => prev_word(text, at),
    }
}

/// The word that starts just after `at`, separated from it by spaces only.
pub fn next_word(text: &str, at: usize) -> Option<Range<usize>> {
    let tail = text.get(at..)?;
    let skipped = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    let start = at + skipped;
    let len: usize = text[start..]
        .chars()
        .take_while(|c| is_word_part(*c) || *c == '-')
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| start..start + len)
}

/// Where a span sits in its sentence, for capitalization and articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// First word of a sentence, heading, list item or label value: capitalize.
    SentenceStart,
    /// Right after a colon: a label ("Patient: 45M").
    AfterColon,
    Inside,
}

/// Whether `at` starts a sentence. `blocks` are the document's blocks; a span at the start of
/// one starts a sentence even without a full stop before it (headings, list items).
pub fn place_of(text: &str, at: usize, blocks: &[Range<usize>]) -> Place {
    let head = &text[..at];
    let trimmed = head.trim_end();
    if trimmed.is_empty() {
        return Place::SentenceStart;
    }
    let block = blocks.partition_point(|b| b.end <= at);
    if blocks
        .get(block)
        .is_some_and(|b| b.start <= at && text[b.start..at].trim().is_empty())
    {
        return Place::SentenceStart;
    }
    match trimmed.chars().next_back() {
        Some('.' | '!' | '?') => Place::SentenceStart,
        Some(':') => Place::AfterColon,
        _ if head.len() - trimmed.len() > 0 && head[trimmed.len()..].contains("\n\n") => Place::SentenceStart,
        _ => Place::Inside,
    }
}

/// `s` with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `replacement` in the case pattern of `original`: `He`→`She`, `HE`→`SHE`, `he`→`she`.
/// A contraction keeps the case of each part and the apostrophe it was written with:
/// `HE’ll`→`SHE’ll`, not `She'll`.
pub fn match_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    let apostrophe = ['\'', '\u{2019}'];
    if let (Some(at), Some(new_at)) = (original.find(apostrophe), replacement.find(apostrophe)) {
        let mark = original[at..].chars().next().unwrap_or('\'');
        let (head, tail) = (&original[..at], &original[at + mark.len_utf8()..]);
        let new_mark = replacement[new_at..].chars().next().unwrap_or('\'');
        let (new_head, new_tail) = (&replacement[..new_at], &replacement[new_at + new_mark.len_utf8()..]);
        // One letter after the apostrophe ("HE'S" is caught above) tells nothing of case
        // when it is upper case alone: it follows the head.
        let tail_upper = tail.chars().any(char::is_uppercase) && tail.chars().count() > 1;
        let new_tail = if tail_upper {
            match_case(tail, new_tail)
        } else {
            new_tail.to_string()
        };
        return format!("{}{mark}{new_tail}", match_case(head, new_head));
    }
    if letters.first().is_some_and(|c| c.is_uppercase()) {
        return capitalize(replacement);
    }
    replacement.to_string()
}

/// "a" or "an" before `word`, by its first sound as far as spelling shows it.
pub fn indefinite_article(word: &str) -> &'static str {
    let lower = word.to_lowercase();
    let vowel_sound = lower.starts_with(['a', 'e', 'i', 'o'])
        || (lower.starts_with('u') && !lower.starts_with("uni") && !lower.starts_with("use"))
        || lower.starts_with("hour")
        || lower.starts_with("honest")
        || lower.chars().next().is_some_and(|c| c.is_ascii_digit())
            && (lower.starts_with('8') || lower.starts_with("11") || lower.starts_with("18"));
    if vowel_sound {
        "an"
    } else {
        "a"
    }
}

/// Grammatical gender as far as the text shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

impl Gender {
    pub fn possessive(self) -> &'static str {
        match self {
            Gender::Male => "his",
            Gender::Female => "her",
            Gender::Unknown => "their",
        }
    }

    /// An adult noun for a person of this gender.
    pub fn adult(self) -> &'static str {
        match self {
            Gender::Male => "man",
            Gender::Female => "woman",
            Gender::Unknown => "person",
        }
    }

    /// A noun for a child of this gender.
    pub fn child(self) -> &'static str {
        match self {
            Gender::Male => "boy",
            Gender::Female => "girl",
            Gender::Unknown => "child",
        }
    }
}

const MALE_WORDS: &[&str] = &[
    "he", "him", "his", "himself", "man", "male", "boy", "gentleman", "mr", "father", "husband", "son", "brother",
    "grandfather", "uncle", "men",
];
const FEMALE_WORDS: &[&str] = &[
    "she", "her", "hers", "herself", "woman", "female", "girl", "lady", "mrs", "ms", "miss", "mother", "wife",
    "daughter", "sister", "grandmother", "aunt", "women",
];

/// The gender a noun names, if it names one.
pub fn gender_of_word(word: &str) -> Gender {
    let lower = word.to_lowercase();
    if MALE_WORDS.contains(&lower.as_str()) {
        Gender::Male
    } else if FEMALE_WORDS.contains(&lower.as_str()) {
        Gender::Female
    } else {
        Gender::Unknown
    }
}

/// The gender most of the gendered pronouns in `text` point to. Counts pronouns only (`he`, `she`,
/// `his`, `her`...): nouns name relatives as often as the patient.
pub fn majority_gender(text: &str) -> Gender {
    let (male, female) = pronoun_counts(text);
    gender_of_counts(male, female)
}

/// The gender of the pronouns counted in a text (he, him, his, himself; she, her, hers,
/// herself), whichever are more.
pub fn gender_of_counts(male: usize, female: usize) -> Gender {
    match male.cmp(&female) {
        std::cmp::Ordering::Greater => Gender::Male,
        std::cmp::Ordering::Less => Gender::Female,
        std::cmp::Ordering::Equal => Gender::Unknown,
    }
}

/// How many masculine and feminine pronouns `text` has, as whole words in any case. A text cut
/// at line ends counts the sum of its pieces' counts.
pub fn pronoun_counts(text: &str) -> (usize, usize) {
    let (mut male, mut female) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut at = 0;
    // Every pronoun is ASCII, so only runs of ASCII letters can be one; a run is a whole word
    // when no other letter (`é`, `ß`) touches it on either side.
    while at < bytes.len() {
        if !bytes[at].is_ascii_alphabetic() {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
            at += 1;
        }
        let word = &bytes[start..at];
        if !(2..=7).contains(&word.len()) || !matches!(word[0] | 0x20, b'h' | b's') {
            continue;
        }
        let letter_before = text[..start].chars().next_back().is_some_and(char::is_alphabetic);
        let letter_after = text[at..].chars().next().is_some_and(char::is_alphabetic);
        if letter_before || letter_after {
            continue;
        }
        let is = |pronouns: &[&str]| pronouns.iter().any(|p| word.eq_ignore_ascii_case(p.as_bytes()));
        if is(&["he", "him", "his", "himself"]) {
            male += 1;
        } else if is(&["she", "her", "hers", "herself"]) {
            female += 1;
        }
    }
    (male, female)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_words() {
        let text = "seen by Ms. Lopez, a 45-year-old";
        let lopez = text.find("Lopez").unwrap();
        assert_eq!(&text[prev_word_or_title(text, lopez).unwrap()], "Ms");
        assert_eq!(prev_word(text, lopez), None);
        let age = text.find("45").unwrap();
        assert_eq!(&text[prev_word(text, age).unwrap()], "a");
        assert_eq!(
            &text[next_word(text, text.find(" a ").unwrap() + 2).unwrap()],
            "45-year-old"
        );
    }

    #[test]
    fn sentence_starts() {
        let text = "Seen. Then she left: 45M\n\nNext";
        assert_eq!(place_of(text, 0, &[]), Place::SentenceStart);
        assert_eq!(place_of(text, 6, &[]), Place::SentenceStart);
        assert_eq!(place_of(text, 11, &[]), Place::Inside);
        assert_eq!(place_of(text, text.find("45M").unwrap(), &[]), Place::AfterColon);
        assert_eq!(place_of(text, text.find("Next").unwrap(), &[]), Place::SentenceStart);
    }

    #[test]
    fn articles_and_case() {
        assert_eq!(indefinite_article("obese"), "an");
        assert_eq!(indefinite_article("woman"), "a");
        assert_eq!(indefinite_article("unemployed"), "an");
        assert_eq!(indefinite_article("university"), "a");
        assert_eq!(indefinite_article("80-year-old"), "an");
        assert_eq!(match_case("HE", "she"), "SHE");
        assert_eq!(match_case("He", "she"), "She");
        assert_eq!(match_case("he", "she"), "she");
        assert_eq!(match_case("HE\u{2019}ll", "she'll"), "SHE\u{2019}ll");
        assert_eq!(match_case("He\u{2019}s", "they're"), "They\u{2019}re");
        assert_eq!(match_case("he's", "they've"), "they've");
        assert_eq!(match_case("HE'S", "they're"), "THEY'RE");
        assert_eq!(match_case("HE's", "they're"), "THEY're");
    }

    /// The pronoun count as first written: words split at every character that is not a letter.
    fn majority_gender_by_words(text: &str) -> Gender {
        let (mut male, mut female) = (0usize, 0usize);
        for word in text.split(|c: char| !c.is_alphabetic()) {
            match word.to_ascii_lowercase().as_str() {
                "he" | "him" | "his" | "himself" => male += 1,
                "she" | "her" | "hers" | "herself" => female += 1,
                _ => {}
            }
        }
        gender_of_counts(male, female)
    }

    proptest::proptest! {
        #[test]
        fn pronouns_are_counted_as_whole_words(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "he", "She", "HIS", "her", "herself", "Himself", "hers", "him", "s", "h", "e",
                    "é", "ß", "K", "1", " ", "-", "'", "\u{2019}", ".", "\n", "他", "shé", "hİs",
                ]),
                0..24,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(majority_gender(&text), majority_gender_by_words(&text), "{:?}", text);
            // Cut after a line end, the pieces' counts add up to the whole's.
            if let Some(cut) = text.find('\n') {
                let (head, tail) = text.split_at(cut + 1);
                let (a, b) = (pronoun_counts(head), pronoun_counts(tail));
                proptest::prop_assert_eq!((a.0 + b.0, a.1 + b.1), pronoun_counts(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn the_patients_gender_comes_from_pronouns() {
        assert_eq!(majority_gender("She said her husband drove."), Gender::Female);
        assert_eq!(
            majority_gender("He came in with his wife; she said he fell."),
            Gender::Male
        );
        assert_eq!(majority_gender("The patient came in."), Gender::Unknown);
    }
}
