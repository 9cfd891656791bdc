//! Embedded word lists and their lookups.
//!
//! Each list is a sorted, lower-case, one-entry-per-line text file in `data/`, compiled into the
//! binary with `include_str!` (no file is read at run time). A lookup is a binary search over the
//! text itself; the only start-up cost is finding the line starts, done once per list on first use
//! (a memchr-speed scan, about a millisecond for the largest list).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A sorted word list embedded in the binary.
pub struct WordList {
    text: &'static str,
    starts: OnceLock<Vec<u32>>,
    /// This list's bit in a word's membership mask.
    bit: u16,
}

// Distinct words seen on this thread, with the lists each belongs to. Documents repeat their
// words, so each distinct word is searched for once, in every list at once. Bounded: cleared
// when it grows past `CACHE_LIMIT` words.
thread_local! {
    static MEMBERSHIP: RefCell<HashMap<Box<str>, u16>> = RefCell::new(HashMap::new());
}

const CACHE_LIMIT: usize = 200_000;

fn membership(word: &str) -> u16 {
    MEMBERSHIP.with(|cache| {
        if let Some(&mask) = cache.borrow().get(word) {
            return mask;
        }
        let mask = ALL
            .iter()
            .filter(|list| list.search(word))
            .fold(0u16, |mask, list| mask | (1 << list.bit));
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.into(), mask);
        mask
    })
}

impl WordList {
    pub const fn new(text: &'static str, bit: u16) -> WordList {
        WordList {
            text,
            starts: OnceLock::new(),
            bit,
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
        let starts = self.starts();
        let start = starts[i] as usize;
        // The next entry's start is one past this entry's line end (blank lines are not
        // entries, so trim any line ending that is left).
        let end = starts.get(i + 1).map_or(self.text.len(), |&next| next as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Whether `word` (already lower-case) is in the list.
    pub fn contains(&self, word: &str) -> bool {
        membership(word) & (1 << self.bit) != 0
    }

    /// Binary search over the list's text.
    fn search(&self, word: &str) -> bool {
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
pub static FIRST_NAMES: WordList = WordList::new(include_str!("../../data/first_names.txt"), 0);
/// The ~5,000 most frequent census first names.
pub static FIRST_NAMES_COMMON: WordList = WordList::new(include_str!("../../data/first_names_common.txt"), 1);
/// Surnames: US Census and philter-ucsf.
pub static SURNAMES: WordList = WordList::new(include_str!("../../data/surnames.txt"), 2);
/// The 10,000 most frequent census surnames.
pub static SURNAMES_COMMON: WordList = WordList::new(include_str!("../../data/surnames_common.txt"), 3);
/// US cities, towns and counties (GeoNames, population 500 and over).
pub static US_PLACES: WordList = WordList::new(include_str!("../../data/us_places.txt"), 4);
/// US states, their postal codes, territories and countries: not identifiers.
pub static STATES_COUNTRIES: WordList = WordList::new(include_str!("../../data/states_countries.txt"), 5);
/// English and medical vocabulary with names removed (philter-ucsf safe-list).
pub static ENGLISH_MEDICAL: WordList = WordList::new(include_str!("../../data/english_words.txt"), 6);
/// Common English words (SCOWL sizes 10-35), including those that are also names (dawn, will,
/// rose); proper nouns excluded.
pub static COMMON_WORDS: WordList = WordList::new(include_str!("../../data/common_words.txt"), 7);
/// The most common English words (SCOWL sizes 10-20): `dawn` and `bill` are here, `maria` and
/// `holly` are not.
pub static VERY_COMMON_WORDS: WordList = WordList::new(include_str!("../../data/very_common_words.txt"), 8);
/// Clinical words and bedside shorthand that collide with names and towns (Candida, Aline,
/// Levo): never names or places.
pub static CLINICAL_TERMS: WordList = WordList::new(include_str!("../../data/clinical_terms.txt"), 9);
/// Medical eponyms (Parkinson, Down, Babinski): names only when context says so.
pub static EPONYMS: WordList = WordList::new(include_str!("../../data/medical_eponyms.txt"), 10);

/// Every list, for filling a word's membership mask in one pass.
static ALL: [&WordList; 11] = [
    &FIRST_NAMES, &FIRST_NAMES_COMMON, &SURNAMES, &SURNAMES_COMMON, &US_PLACES, &STATES_COUNTRIES, &ENGLISH_MEDICAL,
    &COMMON_WORDS, &VERY_COMMON_WORDS, &CLINICAL_TERMS, &EPONYMS,
];

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
                assert!(list.search(entry), "{name}: {entry:?} not found by search");
                assert!(list.contains(entry), "{name}: {entry:?} not found through the cache");
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
