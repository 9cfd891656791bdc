//! `phi/location`: places smaller than a state — towns, cities, counties — and named facilities,
//! schools and employers (`St. Mary's Medical Center`, `Hampton High School`, `Boyer Ltd`).
//!
//! States and countries are allowed (Safe Harbor permits them). A town is recognised from the
//! gazetteer or from the shape English place names share (`North X`, `Lake X`, `-ville`,
//! `-burgh`, `-port`) — with context ("in", "from", "near", ", Ohio") wherever the word could
//! also be something else.

use crate::engine::rules::proper::{Phrase, Shape, Word};
use crate::lexicon::{
    CLINICAL_TERMS, COMMON_WORDS, ENGLISH_MEDICAL, EPONYMS, FIRST_NAMES, FIRST_NAMES_COMMON, STATES_COUNTRIES,
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
const FACILITY_HEADS: &[&str] = &[
    "hospital", "hospitals", "clinic", "clinics", "center", "centre", "infirmary", "hospice", "health", "healthcare",
    "school", "academy", "university", "college", "institute", "church", "cathedral", "mosque", "synagogue", "temple",
    "home", "pharmacy", "rehabilitation", "rehab", "practice", "ltd", "inc", "llc", "corp", "corporation", "company",
    "group", "associates", "partners", "industries", "enterprises", "mall", "market", "restaurant", "cafe", "hotel",
    "motel", "prison", "jail", "penitentiary", "library", "stadium", "arena", "airport", "station", "factory", "plant",
    "farm", "ranch", "club", "gym", "ymca", "shelter", "base", "elementary", "daycare", "nursery", "sanatorium",
    "sanitarium", "lodge", "facility", "residence", "apartments", "towers", "plaza", "pllc", "pc", "llp", "foundation",
];

/// Words that describe a facility without naming it: `General Hospital` alone names nothing.
const GENERIC: &[&str] = &[
    "the", "a", "an", "our", "my", "his", "her", "their", "this", "that", "medical", "general", "memorial", "regional",
    "community", "university", "children", "childrens", "county", "state", "city", "veterans", "saint", "st", "high",
    "middle", "elementary", "primary", "secondary", "public", "national", "central", "health", "care", "nursing",
    "behavioral", "mental", "cancer", "heart", "women", "womens", "family", "urgent", "emergency", "private", "local",
    "main", "new", "old", "north", "south", "east", "west", "district", "teaching", "academic", "specialty",
    "surgical", "surgery", "cardiac", "pediatric", "psychiatric", "rehabilitation", "rehab", "outpatient", "inpatient",
    "day", "home", "assisted", "living", "senior", "veteran", "va", "hospital", "clinic", "center", "centre", "school",
    "college", "institute", "group", "practice", "trauma", "level", "i", "ii", "iii", "iv", "department", "unit",
    "and", "of", "for", "at", "in",
];

/// Words just before a phrase that make it a place.
const PLACE_BEFORE: &[&str] = &[
    "in", "from", "at", "near", "outside", "to", "around", "toward", "towards", "into", "across", "via", "through",
    "visiting", "leaving", "of", "downtown", "uptown", "rural", "suburban", "suburb", "town", "city", "village",
    "county", "lives", "lived", "born", "raised", "moved", "relocated", "attends", "attended", "works", "worked",
];

/// Last words of regions below the state.
const REGION_HEADS: &[&str] = &["county", "parish", "borough", "township", "district"];

const PLACE_PREFIXES: &[&str] = &[
    "north", "south", "east", "west", "new", "lake", "port", "mount", "mt", "fort", "ft", "glen", "saint", "st", "san",
    "santa", "los", "las", "el", "upper", "lower", "little", "big", "grand", "palm", "cedar", "oak", "pine", "spring",
];

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

fn ordinary_or_known(word: &str) -> bool {
    COMMON_WORDS.contains(word)
        || ENGLISH_MEDICAL.contains(word)
        || CLINICAL_TERMS.contains(word)
        || FIRST_NAMES.contains(word)
        || SURNAMES.contains(word)
        || EPONYMS.contains(word)
}

/// A phrase, reduced to the words that matter (leading determiners and titles removed).
pub struct Candidate<'t> {
    pub words: Vec<&'t str>,
    pub lower: Vec<String>,
}

impl<'t> Candidate<'t> {
    pub fn new(text: &'t str, words: &[Word], phrase: &Phrase) -> Candidate<'t> {
        let words: Vec<&str> = phrase.words.clone().map(|i| words[i].text(text)).collect();
        let lower = words.iter().map(|w| w.to_lowercase()).collect();
        Candidate { words, lower }
    }

    pub fn joined(&self, from: usize) -> String {
        self.lower[from..].join(" ")
    }
}

/// Classifies a phrase as a place, given whether a place word comes before it and whether a
/// state follows (`Springfield, Ohio`). `first` is the index of the first word that counts.
pub fn classify(
    candidate: &Candidate<'_>,
    first: usize,
    place_context: bool,
    state_after: bool,
    title_case: bool,
) -> Option<PlaceKind> {
    let lower = &candidate.lower[first..];
    let n = lower.len();
    if n == 0 {
        return None;
    }
    let last = lower[n - 1].as_str();
    let specific = |w: &String| !GENERIC.contains(&w.as_str());
    if n >= 2 && FACILITY_HEADS.contains(&last) && lower[..n - 1].iter().any(specific) {
        return Some(PlaceKind::Facility);
    }
    if n >= 2 && REGION_HEADS.contains(&last) && lower[..n - 1].iter().any(specific) {
        return Some(PlaceKind::Region);
    }
    let whole = candidate.joined(first);
    if STATES_COUNTRIES.contains(&whole) {
        return None;
    }
    let context = place_context || state_after;
    if US_PLACES.contains(&whole) {
        // Without context, only a place name that can be nothing else: `Cedar Rapids`,
        // `Kalamazoo`, not `Mobile`, `Boulder` or `Savannah`. (The English safe-list is no help
        // here: it holds many city names.)
        let unambiguous = n >= 2
            || whole.chars().count() >= 5
                && !COMMON_WORDS.contains(&whole)
                && !CLINICAL_TERMS.contains(&whole)
                && !FIRST_NAMES_COMMON.contains(&whole)
                && !SURNAMES_COMMON.contains(&whole);
        if context || unambiguous {
            return Some(PlaceKind::Town);
        }
        return None;
    }
    let prefixed = n >= 2 && PLACE_PREFIXES.contains(&lower[0].as_str());
    let suffixed = lower
        .iter()
        .any(|w| PLACE_SUFFIXES.iter().any(|s| w.len() > s.len() + 2 && w.ends_with(s)) && !COMMON_WORDS.contains(w));
    if prefixed && (context || !lower[1..].iter().all(|w| COMMON_WORDS.contains(w))) {
        return Some(PlaceKind::Town);
    }
    if suffixed && context {
        return Some(PlaceKind::Town);
    }
    // `Johnsonland`, `Leonardhaven`: a word in no list that ends like a town.
    let town_shaped = n == 1
        && title_case
        && STRONG_SUFFIXES
            .iter()
            .any(|s| lower[0].len() > s.len() + 2 && lower[0].ends_with(s))
        && !ordinary_or_known(&lower[0]);
    if town_shaped {
        return Some(PlaceKind::Town);
    }
    // Anything else after "in", "from", "near"... that is no ordinary word, eponym or first name.
    let unknown = |w: &String| {
        !COMMON_WORDS.contains(w)
            && !ENGLISH_MEDICAL.contains(w)
            && !EPONYMS.contains(w)
            && !FIRST_NAMES_COMMON.contains(w)
    };
    if place_context && title_case && lower.iter().all(unknown) && n <= 3 {
        return Some(PlaceKind::Town);
    }
    None
}

pub fn is_place_word_before(word: &str) -> bool {
    PLACE_BEFORE.iter().any(|w| w.eq_ignore_ascii_case(word))
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
