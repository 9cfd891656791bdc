//! `phi/location`: places smaller than a state — towns, cities, counties — and named facilities,
//! schools and employers (`St. Mary's Medical Center`, `Hampton High School`, `Boyer Ltd`).
//!
//! States and countries are allowed (Safe Harbor permits them). A town is recognised from the
//! gazetteer or from the shape English place names share (`North X`, `Lake X`, `-ville`,
//! `-burgh`, `-port`) — with context ("in", "from", "near", ", Ohio") wherever the word could
//! also be something else.

use std::borrow::Cow;

use crate::engine::rules::proper::{Phrase, Shape, Word};
use crate::engine::text::Words;
use crate::lexicon::{
    Lists, CLINICAL_TERMS, COMMON_WORDS, ENGLISH_MEDICAL, EPONYMS, FIRST_NAMES, FIRST_NAMES_COMMON, STATES_COUNTRIES,
    SURNAMES, SURNAMES_COMMON, US_PLACES,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// Hospital, clinic, school, church, employer.
    Facility,
    /// County, parish, borough.
    Region,
    /// City, town, village, neighbourhood.
    Town,
}

/// Last words that make a phrase a named organisation or building.
static FACILITY_HEADS: Words = Words::new(&[
    "hospital", "hospitals", "clinic", "clinics", "center", "centre", "infirmary", "hospice", "health", "healthcare",
    "school", "academy", "university", "college", "institute", "church", "cathedral", "mosque", "synagogue", "temple",
    "home", "pharmacy", "rehabilitation", "rehab", "practice", "ltd", "inc", "llc", "corp", "corporation", "company",
    "group", "associates", "partners", "industries", "enterprises", "mall", "market", "restaurant", "cafe", "hotel",
    "motel", "prison", "jail", "penitentiary", "library", "stadium", "arena", "airport", "station", "factory", "plant",
    "farm", "ranch", "club", "gym", "ymca", "shelter", "base", "elementary", "daycare", "nursery", "sanatorium",
    "sanitarium", "lodge", "facility", "residence", "apartments", "towers", "plaza", "pllc", "pc", "llp", "foundation",
]);

/// Words that describe a facility without naming it: `General Hospital` alone names nothing.
static GENERIC: Words = Words::new(&[
    "the", "a", "an", "our", "my", "his", "her", "their", "this", "that", "medical", "general", "memorial", "regional",
    "community", "university", "children", "childrens", "county", "state", "city", "veterans", "saint", "st", "high",
    "middle", "elementary", "primary", "secondary", "public", "national", "central", "health", "care", "nursing",
    "behavioral", "mental", "cancer", "heart", "women", "womens", "family", "urgent", "emergency", "private", "local",
    "main", "new", "old", "north", "south", "east", "west", "district", "teaching", "academic", "specialty",
    "surgical", "surgery", "cardiac", "pediatric", "psychiatric", "rehabilitation", "rehab", "outpatient", "inpatient",
    "day", "home", "assisted", "living", "senior", "veteran", "va", "hospital", "clinic", "center", "centre", "school",
    "college", "institute", "group", "practice", "trauma", "level", "i", "ii", "iii", "iv", "department", "unit",
    "and", "of", "for", "at", "in",
]);

/// Words just before a phrase that make it a place.
static PLACE_BEFORE: Words = Words::new(&[
    "in", "from", "at", "near", "outside", "to", "around", "toward", "towards", "into", "across", "via", "through",
    "visiting", "leaving", "of", "downtown", "uptown", "rural", "suburban", "suburb", "town", "city", "village",
    "county", "lives", "lived", "born", "raised", "moved", "relocated", "attends", "attended", "works", "worked",
]);

/// Last words of regions below the state.
static REGION_HEADS: Words = Words::new(&["county", "parish", "borough", "township", "district"]);

static PLACE_PREFIXES: Words = Words::new(&[
    "north", "south", "east", "west", "new", "lake", "port", "mount", "mt", "fort", "ft", "glen", "saint", "st", "san",
    "santa", "los", "las", "el", "upper", "lower", "little", "big", "grand", "palm", "cedar", "oak", "pine", "spring",
]);

const PLACE_SUFFIXES: &[&str] = &[
    "ville", "town", "burg", "burgh", "boro", "borough", "port", "mouth", "haven", "view", "field", "furt", "berg",
    "ton", "chester", "ford", "bury", "land", "side", "dale", "wood", "stad", "shire", "ham", "mont", "polis", "creek",
    "falls", "springs", "city", "heights", "beach", "fort", "worth", "shore", "hurst", "stead", "wick",
];

/// Endings that, on a word found in no list, mark a town on their own.
const STRONG_SUFFIXES: &[&str] = &[
    "ville", "burg", "burgh", "borough", "boro", "haven", "furt", "port", "mouth", "land", "view", "field", "chester",
    "bury", "stad", "polis",
];

fn ordinary_or_known(lists: Lists) -> bool {
    lists.in_any(&[
        &COMMON_WORDS, &ENGLISH_MEDICAL, &CLINICAL_TERMS, &FIRST_NAMES, &SURNAMES, &EPONYMS,
    ])
}

/// A phrase, reduced to the words that matter (leading determiners and titles removed).
#[derive(Debug, Default)]
pub struct Candidate {
    /// The words in lower case.
    pub lower: Vec<String>,
    /// The word lists each word of `lower` is in.
    pub lists: Vec<Lists>,
    /// The strings of earlier candidates, kept for their memory: most phrases are dropped as
    /// soon as their words are known (`The`, `He`), and each word's own new string cost an
    /// allocation and a free.
    spare: Vec<String>,
}

impl Candidate {
    /// Makes this the candidate for `phrase`, reusing the memory of the one it was; `known` holds
    /// the lists of capitalised words already looked up (see [`capital_lists`]).
    pub fn fill(&mut self, text: &str, words: &[Word], known: &[Lists], phrase: &Phrase) {
        self.spare.append(&mut self.lower);
        self.lists.clear();
        for i in phrase.words.clone() {
            let word = words[i].text(text);
            let mut lower = self.spare.pop().unwrap_or_default();
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&word.to_lowercase());
            }
            self.lower.push(lower);
            self.lists.push(lists_of(text, words, known, i));
        }
    }

    /// The lower-case words from `from` on, joined by spaces.
    pub fn joined(&self, from: usize) -> Cow<'_, str> {
        match &self.lower[from..] {
            [one] => Cow::Borrowed(one.as_str()),
            many => Cow::Owned(many.join(" ")),
        }
    }

    /// The word lists of [`Candidate::joined`].
    pub fn joined_lists(&self, from: usize) -> Lists {
        match &self.lists[from..] {
            [one] => *one,
            _ => Lists::of(&self.joined(from)),
        }
    }
}

/// The lists each capitalised word of `words` is in, in lower case: one lookup per word, shared
/// by everything that asks about the word. Lower-case words get none (`Lists::default()`): most
/// words are, and few of them are asked about ([`lists_of`] looks them up).
pub fn capital_lists(text: &str, words: &[Word]) -> Vec<Lists> {
    words
        .iter()
        .map(|w| match w.shape {
            Shape::Lower => Lists::default(),
            _ => Lists::of_any_case(w.text(text)),
        })
        .collect()
}

/// The lists word `i` of `words` is in, in lower case, given `known`, the lists of the
/// capitalised words ([`capital_lists`]): looked up only for a lower-case word.
pub fn lists_of(text: &str, words: &[Word], known: &[Lists], i: usize) -> Lists {
    match (words[i].shape, known.get(i)) {
        (Shape::Lower, _) | (_, None) => Lists::of_any_case(words[i].text(text)),
        (_, Some(&lists)) => lists,
    }
}

/// Classifies a phrase as a place, given whether a place word comes before it and whether a
/// state follows (`Springfield, Ohio`). `first` is the index of the first word that counts.
pub fn classify(
    candidate: &Candidate,
    first: usize,
    place_context: bool,
    state_after: bool,
    title_case: bool,
) -> Option<PlaceKind> {
    let lower = &candidate.lower[first..];
    let lists = &candidate.lists[first..];
    let n = lower.len();
    if n == 0 {
        return None;
    }
    let last = lower[n - 1].as_str();
    let specific = |w: &String| !GENERIC.contains(w);
    if n >= 2 && FACILITY_HEADS.contains(last) && lower[..n - 1].iter().any(specific) {
        return Some(PlaceKind::Facility);
    }
    if n >= 2 && REGION_HEADS.contains(last) && lower[..n - 1].iter().any(specific) {
        return Some(PlaceKind::Region);
    }
    let whole = candidate.joined(first);
    let whole_lists = candidate.joined_lists(first);
    if whole_lists.contains(&STATES_COUNTRIES) {
        return None;
    }
    let context = place_context || state_after;
    if whole_lists.contains(&US_PLACES) {
        // Without context, only a place name that can be nothing else: `Cedar Rapids`,
        // `Kalamazoo`, not `Mobile`, `Boulder` or `Savannah`. (The English safe-list is no help
        // here: it holds many city names.)
        let unambiguous = n >= 2
            || whole.chars().count() >= 5
                && !whole_lists.in_any(&[&COMMON_WORDS, &CLINICAL_TERMS, &FIRST_NAMES_COMMON, &SURNAMES_COMMON]);
        if context || unambiguous {
            return Some(PlaceKind::Town);
        }
        return None;
    }
    let prefixed = n >= 2 && PLACE_PREFIXES.contains(&lower[0]);
    // Only asked with context; the list test is the cheaper half.
    let suffixed = || {
        lower.iter().zip(lists).any(|(w, l)| {
            !l.contains(&COMMON_WORDS) && PLACE_SUFFIXES.iter().any(|s| w.len() > s.len() + 2 && w.ends_with(s))
        })
    };
    if prefixed && (context || !lists[1..].iter().all(|l| l.contains(&COMMON_WORDS))) {
        return Some(PlaceKind::Town);
    }
    if context && suffixed() {
        return Some(PlaceKind::Town);
    }
    // `Johnsonland`, `Leonardhaven`: a word in no list that ends like a town.
    let town_shaped = n == 1
        && title_case
        && !ordinary_or_known(lists[0])
        && STRONG_SUFFIXES
            .iter()
            .any(|s| lower[0].len() > s.len() + 2 && lower[0].ends_with(s));
    if town_shaped {
        return Some(PlaceKind::Town);
    }
    // Anything else after "in", "from", "near"... that is no ordinary word, eponym or first name.
    let unknown = |l: &Lists| !l.in_any(&[&COMMON_WORDS, &ENGLISH_MEDICAL, &EPONYMS, &FIRST_NAMES_COMMON]);
    if place_context && title_case && lists.iter().all(unknown) && n <= 3 {
        return Some(PlaceKind::Town);
    }
    None
}

pub fn is_place_word_before(word: &str) -> bool {
    PLACE_BEFORE.contains_ignore_ascii_case(word)
}

/// `, Ohio` or `, OH` right after a phrase.
pub fn state_follows(text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..) else { return false };
    let Some(rest) = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(',')) else {
        return false;
    };
    let state: String = rest.chars().take_while(|c| c.is_alphabetic() || *c == ' ').collect();
    let words: Vec<&str> = state.split(' ').filter(|w| !w.is_empty()).take(2).collect();
    (1..=words.len()).any(|k| {
        let candidate = words[..k].join(" ");
        let is_code = candidate.len() == 2 && candidate.chars().all(|c| c.is_ascii_uppercase());
        let is_name = candidate.chars().next().is_some_and(char::is_uppercase);
        (is_code || is_name) && STATES_COUNTRIES.contains(&candidate.to_lowercase())
    })
}

/// Whether the phrase's words are shaped like a name at all (not an abbreviation like `ICU`).
pub fn shaped_like_a_name(words: &[Word], phrase: &Phrase) -> bool {
    phrase
        .words
        .clone()
        .any(|i| words[i].shape == Shape::Title || words[i].span.len() > 3)
}
