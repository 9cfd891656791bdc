//! Embedded word lists and their lookups.
//!
//! Each list is a sorted, lower-case, one-entry-per-line text file in `data/`. `build.rs` turns
//! them into one table compiled into the binary (`include_bytes!`, no file is read at run time):
//! every distinct word of all lists with the mask of the lists it is in, in a hash table whose
//! layout `table.rs` defines. A lookup hashes the word once and answers for every list at once
//! ([`Lists::of`]); nothing is computed when the program starts.
//!
//! The table is 10 MB, far bigger than a processor's caches, so a lookup in it waits for memory
//! twice (the slot, then the record): that was an eighth of the time of a check of nursing notes.
//! Words repeat (`PT`, `BP`, `HR`, `NEURO`), so each thread keeps the answers for the words it
//! looked up last in a small table of its own ([`Recent`], 256 KB) that stays in the cache; the
//! answers are the same, only faster.

mod table;

mod sizes {
    include!(concat!(env!("OUT_DIR"), "/lexicon_sizes.rs"));
}

/// The table's slots: little-endian `u32` offsets into [`RECORDS`], 0 where empty.
static SLOTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_slots.bin"));
/// The table's records: length, list mask (two bytes) and the bytes of each word.
static RECORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_records.bin"));

/// A sorted word list embedded in the binary.
pub struct WordList {
    /// This list's bit in a word's [`Lists`] mask, its index in `table::LIST_FILES`.
    bit: u16,
}

/// The lists a word belongs to, found with one lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lists(u16);

impl Lists {
    /// The lists `word` (already lower-case) is in. A word with accents is also in the lists of
    /// the same word without them: the lists spell most names without accents (`jose`,
    /// `hernandez`), writers often with them (`José Hernández`, `Zoë`).
    pub fn of(word: &str) -> Lists {
        let mask = mask_of(word.as_bytes());
        if word.is_ascii() {
            return Lists(mask);
        }
        match without_accents(word) {
            Some(plain) => Lists(mask | mask_of(plain.as_bytes())),
            None => Lists(mask),
        }
    }

    /// Lower-cases `word` and finds the lists it is in.
    pub fn of_any_case(word: &str) -> Lists {
        if word.is_ascii() {
            if !word.bytes().any(|b| b.is_ascii_uppercase()) {
                return Lists::of(word);
            }
            // No entry is longer than `LONGEST_WORD`, so a longer word is in no list.
            let mut lower = [0u8; sizes::LONGEST_WORD];
            let Some(lower) = lower.get_mut(..word.len()) else {
                return Lists::default();
            };
            for (to, from) in lower.iter_mut().zip(word.bytes()) {
                *to = from.to_ascii_lowercase();
            }
            Lists(mask_of(lower))
        } else {
            Lists::of(&word.to_lowercase())
        }
    }

    /// Whether the word is in `list`.
    pub fn contains(self, list: &WordList) -> bool {
        self.0 & (1 << list.bit) != 0
    }

    /// Whether the word is in any of `lists`.
    pub fn in_any(self, lists: &[&WordList]) -> bool {
        lists.iter().any(|list| self.contains(list))
    }
}

/// `word` (lower case) with the accents of Latin letters taken off (`josé` → `jose`, `zoë` →
/// `zoe`, `çelik` → `celik`; combining accents dropped), or `None` when it has none.
fn without_accents(word: &str) -> Option<String> {
    let mut plain = String::with_capacity(word.len());
    let mut changed = false;
    for c in word.chars() {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ğ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ţ' | 'ț' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            // Combining accents (`e` followed by U+0301): dropped.
            '\u{0300}'..='\u{036f}' => {
                changed = true;
                continue;
            }
            _ => c,
        };
        changed |= base != c;
        plain.push(base);
    }
    changed.then_some(plain)
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([four[0], four[1], four[2], four[3]]))
}

/// The mask of the lists `word` is in: from the thread's recent answers, or else the table.
fn mask_of(word: &[u8]) -> u16 {
    if word.is_empty() || word.len() > sizes::LONGEST_WORD {
        return 0;
    }
    let hash = table::word_hash(word);
    if word.len() > Recent::LONGEST {
        return table_mask(word, hash);
    }
    // `try_with` fails only while the thread is being torn down: then the table answers alone.
    RECENT
        .try_with(|recent| recent.borrow_mut().mask(word, hash))
        .unwrap_or_else(|_| table_mask(word, hash))
}

/// One remembered answer: a word of up to [`Recent::LONGEST`] bytes and its mask (32 bytes).
#[derive(Debug, Clone, Copy)]
struct Remembered {
    /// The word's length; 0 for a place that holds no word yet.
    len: u8,
    mask: u16,
    bytes: [u8; Recent::LONGEST],
}

/// The answers for the words a thread looked up last, one place per hash (a newer word takes
/// the place of an older one), each with the word itself so that an answer is only ever given
/// for the very word it was found for.
#[derive(Debug, Default)]
struct Recent {
    places: Vec<Remembered>,
}

impl Recent {
    /// The longest word remembered: longer ones are rare, and looked up in the table.
    const LONGEST: usize = 29;
    /// How many answers are kept: 8,192 × 32 bytes, small enough to stay in the cache.
    const PLACES: usize = 8192;

    fn mask(&mut self, word: &[u8], hash: u64) -> u16 {
        if self.places.is_empty() {
            let empty = Remembered {
                len: 0,
                mask: 0,
                bytes: [0; Recent::LONGEST],
            };
            self.places = vec![empty; Recent::PLACES];
        }
        // The table's slot comes from the low bits of the hash; these come from the high ones.
        let at = (hash >> 40) as usize % Recent::PLACES;
        let place = &mut self.places[at];
        if usize::from(place.len) == word.len() && place.bytes[..word.len()] == *word {
            return place.mask;
        }
        let mask = table_mask(word, hash);
        place.len = word.len() as u8;
        place.mask = mask;
        place.bytes[..word.len()].copy_from_slice(word);
        mask
    }
}

thread_local! {
    static RECENT: std::cell::RefCell<Recent> = std::cell::RefCell::new(Recent::default());
}

/// The mask of the lists `word` (with `hash`, its [`table::word_hash`]) is in: the record found
/// by probing from its hash, or 0.
fn table_mask(word: &[u8], hash: u64) -> u16 {
    let slot_count = SLOTS.len() / 4;
    if !slot_count.is_power_of_two() {
        return 0;
    }
    let mut slot = (hash as usize) & (slot_count - 1);
    // The table is at most half full, so every probe ends at an empty slot well before this bound.
    for _ in 0..slot_count {
        let Some(offset) = read_u32(SLOTS, slot * 4).map(|o| o as usize) else {
            return 0;
        };
        if offset == 0 {
            return 0;
        }
        let Some(&[len, low, high]) = RECORDS.get(offset..offset + 3) else {
            return 0;
        };
        if usize::from(len) == word.len() && RECORDS.get(offset + 3..offset + 3 + word.len()) == Some(word) {
            return u16::from_le_bytes([low, high]);
        }
        slot = (slot + 1) & (slot_count - 1);
    }
    0
}

impl WordList {
    const fn new(bit: u16) -> WordList {
        WordList { bit }
    }

    /// Whether `word` (already lower-case) is in the list.
    pub fn contains(&self, word: &str) -> bool {
        Lists::of(word).contains(self)
    }

    /// Lower-cases `word` and looks it up.
    pub fn contains_any_case(&self, word: &str) -> bool {
        Lists::of_any_case(word).contains(self)
    }

    pub fn len(&self) -> usize {
        sizes::LIST_LENGTHS[usize::from(self.bit)] as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First names: US Census 1990 and philter-ucsf (see data/README.md).
pub static FIRST_NAMES: WordList = WordList::new(0);
/// The ~5,000 most frequent census first names.
pub static FIRST_NAMES_COMMON: WordList = WordList::new(1);
/// Surnames: US Census and philter-ucsf.
pub static SURNAMES: WordList = WordList::new(2);
/// The 10,000 most frequent census surnames.
pub static SURNAMES_COMMON: WordList = WordList::new(3);
/// US cities, towns and counties (GeoNames, population 500 and over).
pub static US_PLACES: WordList = WordList::new(4);
/// US states, their postal codes, territories and countries: not identifiers.
pub static STATES_COUNTRIES: WordList = WordList::new(5);
/// English and medical vocabulary with names removed (philter-ucsf safe-list).
pub static ENGLISH_MEDICAL: WordList = WordList::new(6);
/// Common English words (SCOWL sizes 10-35), including those that are also names (dawn, will,
/// rose); proper nouns excluded.
pub static COMMON_WORDS: WordList = WordList::new(7);
/// The most common English words (SCOWL sizes 10-20): `dawn` and `bill` are here, `maria` and
/// `holly` are not.
pub static VERY_COMMON_WORDS: WordList = WordList::new(8);
/// Clinical words and bedside shorthand that collide with names and towns (Candida, Aline,
/// Levo): never names or places.
pub static CLINICAL_TERMS: WordList = WordList::new(9);
/// Medical eponyms (Parkinson, Down, Babinski): names only when context says so.
pub static EPONYMS: WordList = WordList::new(10);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// Every list with the text it is built from.
    fn lists() -> [(&'static WordList, &'static str); 11] {
        [
            (&FIRST_NAMES, include_str!("../../data/first_names.txt")),
            (&FIRST_NAMES_COMMON, include_str!("../../data/first_names_common.txt")),
            (&SURNAMES, include_str!("../../data/surnames.txt")),
            (&SURNAMES_COMMON, include_str!("../../data/surnames_common.txt")),
            (&US_PLACES, include_str!("../../data/us_places.txt")),
            (&STATES_COUNTRIES, include_str!("../../data/states_countries.txt")),
            (&ENGLISH_MEDICAL, include_str!("../../data/english_words.txt")),
            (&COMMON_WORDS, include_str!("../../data/common_words.txt")),
            (&VERY_COMMON_WORDS, include_str!("../../data/very_common_words.txt")),
            (&CLINICAL_TERMS, include_str!("../../data/clinical_terms.txt")),
            (&EPONYMS, include_str!("../../data/medical_eponyms.txt")),
        ]
    }

    fn entries(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.trim_end().is_empty()).collect()
    }

    #[test]
    fn lists_are_sorted_lowercase_and_in_their_files_order() {
        for (bit, (list, text)) in lists().into_iter().enumerate() {
            let name = table::LIST_FILES[bit];
            assert_eq!(usize::from(list.bit), bit, "{name} has the wrong bit");
            assert!(list.len() > 50, "{name} is nearly empty");
            let entries = entries(text);
            assert_eq!(list.len(), entries.len(), "{name}");
            for pair in entries.windows(2) {
                assert!(
                    pair[0].as_bytes() < pair[1].as_bytes(),
                    "{name}: {:?} then {:?}",
                    pair[0],
                    pair[1]
                );
            }
            for entry in entries {
                assert_eq!(entry, entry.to_lowercase(), "{name}: {entry:?} is not lower-case");
            }
        }
    }

    /// The table answers exactly what the list files say, for every word of every list and for
    /// words in none of them.
    #[test]
    fn the_table_agrees_with_the_list_files() {
        let mut expected: HashMap<&str, u16> = HashMap::new();
        for (list, text) in lists() {
            for entry in entries(text) {
                *expected.entry(entry).or_default() |= 1 << list.bit;
            }
        }
        for (word, mask) in &expected {
            assert_eq!(mask_of(word.as_bytes()), *mask, "{word:?}");
            // With accents, also the lists of the plain spelling.
            let plain = without_accents(word).map_or(0, |plain| expected.get(plain.as_str()).copied().unwrap_or(0));
            assert_eq!(Lists::of(word).0, *mask | plain, "{word:?}");
        }
        let known: HashSet<&str> = expected.keys().copied().collect();
        let mut misses = 0;
        for word in expected.keys().take(50_000) {
            for variant in [
                format!("{word}x"),
                format!("q{word}"),
                word[..word.char_indices().last().map_or(0, |(i, _)| i)].to_string(),
            ] {
                if !known.contains(variant.as_str()) {
                    assert_eq!(mask_of(variant.as_bytes()), 0, "{variant:?}");
                    misses += 1;
                }
            }
        }
        assert!(misses > 50_000, "only {misses} words outside the lists were tried");
    }

    /// The recent answers are the table's: for words looked up again, for words that take each
    /// other's place (far more words than places), and for words longer than those remembered.
    #[test]
    fn recent_answers_are_the_tables() {
        let words: Vec<String> = lists()
            .iter()
            .flat_map(|(_, text)| entries(text).into_iter().step_by(7))
            .flat_map(|w| [w.to_string(), format!("{w}s"), "x".repeat(w.len() % 40 + 1)])
            .collect();
        assert!(words.len() > 3 * Recent::PLACES);
        for round in 0..3 {
            for word in words.iter().skip(round) {
                let hash = table::word_hash(word.as_bytes());
                assert_eq!(mask_of(word.as_bytes()), table_mask(word.as_bytes(), hash), "{word:?}");
            }
        }
        let long = "a".repeat(Recent::LONGEST + 1);
        assert_eq!(
            mask_of(long.as_bytes()),
            table_mask(long.as_bytes(), table::word_hash(long.as_bytes()))
        );
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
        assert!(!FIRST_NAMES.contains_any_case(&"A".repeat(300)));
        assert!(US_PLACES.contains_any_case("Cedar Rapids"));
        let maria = Lists::of_any_case("MARIA");
        assert!(maria.contains(&FIRST_NAMES) && maria.in_any(&[&COMMON_WORDS, &FIRST_NAMES_COMMON]));
        assert!(!maria.contains(&CLINICAL_TERMS));
        assert_eq!(Lists::of_any_case("García"), Lists::of("garcía"));
    }

    /// Names written with accents are in the lists of their plain spelling; words without
    /// accents, or whose plain spelling is in no list, are unchanged.
    #[test]
    fn accents_are_taken_off_for_the_lists() {
        for (accented, plain) in [
            ("josé", "jose"),
            ("maría", "maria"),
            ("hernández", "hernandez"),
            ("zoë", "zoe"),
            ("nuñez", "nunez"),
            ("jose\u{301}", "jose"),
        ] {
            let lists = Lists::of(accented);
            assert_ne!(Lists::of(plain), Lists::default(), "{plain:?} is in a list");
            assert_eq!(lists.0 & Lists::of(plain).0, Lists::of(plain).0, "{accented:?}");
        }
        assert!(FIRST_NAMES.contains_any_case("JOSÉ"));
        assert!(SURNAMES.contains_any_case("Hernández"));
        assert_eq!(without_accents("maria"), None);
        assert_eq!(without_accents("straße"), None);
        assert_eq!(without_accents("łódź").as_deref(), Some("lodz"));
    }
}
