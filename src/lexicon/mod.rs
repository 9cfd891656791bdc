//! Embedded word lists and their lookups.
//!
//! Each list is a sorted, lower-case, one-entry-per-line text file in `data/`, compiled into the
//! binary with `include_str!` (no file is read at run time). A lookup is a binary search over the
//! text itself; the only start-up cost is finding the line starts, done once per list on first use
//! (a memchr-speed scan, about a millisecond for the largest list).

use std::sync::OnceLock;

/// A sorted word list embedded in the binary.
pub struct WordList {
    text: &'static str,
    starts: OnceLock<Vec<u32>>,
}

impl WordList {
    pub const fn new(text: &'static str) -> WordList {
        WordList {
            text,
            starts: OnceLock::new(),
        }
    }

    fn starts(&self) -> &[u32] {
        self.starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 8);
            let mut at = 0usize;
            for line in self.text.split_inclusive('\n') {
                if !line.trim_end().is_empty() {
                    starts.push(u32::try_from(at).unwrap_or(u32::MAX));
                }
                at += line.len();
            }
            starts
        })
    }

    fn entry(&self, i: usize) -> &'static str {
        let start = self.starts()[i] as usize;
        let rest = &self.text[start..];
        rest.split('\n').next().unwrap_or("").trim_end_matches('\r')
    }

    /// Whether `word` (already lower-case) is in the list.
    pub fn contains(&self, word: &str) -> bool {
        let starts = self.starts();
        let (mut lo, mut hi) = (0usize, starts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.entry(mid).as_bytes().cmp(word.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// Lower-cases `word` and looks it up.
    pub fn contains_any_case(&self, word: &str) -> bool {
        if word.bytes().all(|b| !b.is_ascii_uppercase()) && word.is_ascii() {
            self.contains(word)
        } else {
            self.contains(&word.to_lowercase())
        }
    }

    pub fn len(&self) -> usize {
        self.starts().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First names: US Census 1990 and philter-ucsf (see data/README.md).
pub static FIRST_NAMES: WordList = WordList::new(include_str!("../../data/first_names.txt"));
/// The ~5,000 most frequent census first names.
pub static FIRST_NAMES_COMMON: WordList = WordList::new(include_str!("../../data/first_names_common.txt"));
/// Surnames: US Census and philter-ucsf.
pub static SURNAMES: WordList = WordList::new(include_str!("../../data/surnames.txt"));
/// The 10,000 most frequent census surnames.
pub static SURNAMES_COMMON: WordList = WordList::new(include_str!("../../data/surnames_common.txt"));
/// US cities, towns and counties (GeoNames, population 500 and over).
pub static US_PLACES: WordList = WordList::new(include_str!("../../data/us_places.txt"));
/// US states, their postal codes, territories and countries: not identifiers.
pub static STATES_COUNTRIES: WordList = WordList::new(include_str!("../../data/states_countries.txt"));
/// English and medical vocabulary with names removed (philter-ucsf safe-list).
pub static ENGLISH_MEDICAL: WordList = WordList::new(include_str!("../../data/english_words.txt"));
/// Common English words (SCOWL sizes 10-35), including those that are also names (dawn, will,
/// rose); proper nouns excluded.
pub static COMMON_WORDS: WordList = WordList::new(include_str!("../../data/common_words.txt"));
/// The most common English words (SCOWL sizes 10-20): `dawn` and `bill` are here, `maria` and
/// `holly` are not.
pub static VERY_COMMON_WORDS: WordList = WordList::new(include_str!("../../data/very_common_words.txt"));
/// Clinical words and bedside shorthand that collide with names and towns (Candida, Aline,
/// Levo): never names or places.
pub static CLINICAL_TERMS: WordList = WordList::new(include_str!("../../data/clinical_terms.txt"));
/// Medical eponyms (Parkinson, Down, Babinski): names only when context says so.
pub static EPONYMS: WordList = WordList::new(include_str!("../../data/medical_eponyms.txt"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_lowercase_and_searchable() {
        for (name, list) in [
            ("first_names", &FIRST_NAMES),
            ("surnames", &SURNAMES),
            ("us_places", &US_PLACES),
            ("english_words", &ENGLISH_MEDICAL),
            ("common_words", &COMMON_WORDS),
            ("very_common_words", &VERY_COMMON_WORDS),
            ("eponyms", &EPONYMS),
            ("clinical_terms", &CLINICAL_TERMS),
            ("states_countries", &STATES_COUNTRIES),
        ] {
            assert!(list.len() > 50, "{name} is nearly empty");
            let mut previous = "";
            for i in 0..list.len() {
                let entry = list.entry(i);
                assert!(
                    previous.as_bytes() < entry.as_bytes(),
                    "{name}: {previous:?} then {entry:?}"
                );
                assert_eq!(entry, entry.to_lowercase(), "{name}: {entry:?} is not lower-case");
                assert!(list.contains(entry), "{name}: {entry:?} not found by search");
                previous = entry;
            }
        }
    }

    #[test]
    fn lookups() {
        assert!(FIRST_NAMES.contains_any_case("Maria"));
        assert!(SURNAMES.contains_any_case("NGUYEN"));
        assert!(US_PLACES.contains("cedar rapids"));
        assert!(EPONYMS.contains("parkinson"));
        assert!(STATES_COUNTRIES.contains("ohio"));
        assert!(!FIRST_NAMES.contains("zzzzqx"));
        assert!(!FIRST_NAMES.contains(""));
    }
}
