//! `phi/name` (people) and `phi/location` (places and named facilities), decided together: a
//! capitalised phrase is a place, a person, or neither.
//!
//! Evidence, strongest first: a title (`Mr.`, `Mrs.`, `Dr.`); a relation or role before it
//! (`his wife, X`, `named X`, `patient X`); what follows (`X, a 45-year-old`, `X (45)`, `X was
//! admitted`, `X who`); the name lists (a first name that is no ordinary word, a first name and a
//! surname together). Names that are also ordinary words (Rose, Will, Hope, Bill, April, King,
//! Young) need context. Eponyms (`Parkinson disease`, `Down syndrome`, `Crohn's`), citations
//! (`Smith et al.`) and historical physicians (`Osler`) are not names. Once a name is found,
//! every other mention of it in the document is found too (`Maria`, `Ms. Lopez`, `Maria's`).

use crate::engine::rules::scans::INITIALS_SOURCE;
use std::collections::HashSet;
use std::ops::Range;

use crate::engine::finding::Finding;
use crate::engine::rules::pattern::{in_lines, Pattern};
use crate::engine::rules::places::{self, Candidate, PlaceKind};
use crate::engine::rules::proper::{self, Phrase, Shape, Word};
use crate::engine::rules::{ages, Gates, Lined, Rule};
use crate::engine::text::{is_one_of, lowercase, words_after, words_before, NearWords, Words};
use crate::engine::Context;
use crate::lexicon::{
    Lists, CLINICAL_TERMS, COMMON_WORDS, ENGLISH_MEDICAL, EPONYMS, FIRST_NAMES, FIRST_NAMES_COMMON, STATES_COUNTRIES,
    SURNAMES, SURNAMES_COMMON, US_PLACES, VERY_COMMON_WORDS,
};

static TITLES: Words = Words::new(&[
    "mr", "mrs", "ms", "miss", "mx", "dr", "drs", "prof", "professor", "mister", "madam", "sir", "dame", "rev",
    "reverend", "pt", "patient", "nurse", "doctor", "officer", "coach", "pastor", "father", "sister", "brother",
    "aunt", "uncle",
]);

/// Determiners and pronouns that may open a capitalised run without being part of a name.
static OPENERS: Words = Words::new(&[
    "the", "a", "an", "our", "my", "his", "her", "their", "this", "that", "these", "those", "every", "each", "dear",
]);

/// Words just before a phrase that say a person follows.
static PERSON_BEFORE: Words = Words::new(&[
    "wife", "husband", "spouse", "partner", "son", "daughter", "mother", "father", "mom", "mum", "dad", "brother",
    "sister", "sibling", "grandson", "granddaughter", "grandmother", "grandfather", "grandma", "grandpa", "granny",
    "aunt", "uncle", "niece", "nephew", "cousin", "fiance", "fiancé", "fiancee", "fiancée", "boyfriend", "girlfriend",
    "friend", "neighbor", "neighbour", "roommate", "guardian", "caregiver", "carer", "colleague", "coworker", "boss",
    "named", "called", "nicknamed", "name", "patient", "pt", "mr", "mrs", "ms", "miss", "mx", "dr", "love", "thanks",
    "cheers", "regards", "sincerely", "signed", "dear", "cc", "attn", "family", "widow", "widower", "child", "baby",
    "infant", "resident", "intern", "student", "client", "tagged", "texted", "np", "md", "rn", "ho", "attending",
]);

/// Relatives and friends, after whom a word in lower case is taken for their name (`husband
/// milovan`).
static KIN: Words = Words::new(&[
    "wife", "husband", "spouse", "partner", "son", "daughter", "mother", "father", "mom", "mum", "dad", "brother",
    "sister", "grandson", "granddaughter", "grandmother", "grandfather", "aunt", "uncle", "niece", "nephew", "cousin",
    "fiance", "fiancé", "fiancee", "fiancée", "boyfriend", "girlfriend", "friend", "neighbor", "neighbour",
]);

/// Words just after a phrase that say it is a person, whatever the phrase.
static PERSON_AFTER_STRONG: Words = Words::new(&[
    "said", "says", "told", "tells", "asked", "died", "passed", "texted", "wrote", "smiled", "laughed", "cried", "who",
    "whose", "herself", "himself", "collapsed", "squeezed", "thanked", "hugged", "wept", "whispered",
]);

/// Words just after a phrase that say it is a person when the phrase is a known name.
static PERSON_AFTER_WEAK: Words = Words::new(&[
    "was", "is", "had", "has", "presented", "came", "went", "drove", "called", "lives", "lived", "works", "worked",
    "attends", "underwent", "received", "developed", "reported", "complained", "denied", "returned", "remembers",
    "remembered", "wanted", "needed", "refused", "agreed", "and", "arrived", "fell", "signed", "uploads", "uploaded",
    "posted", "shared", "sent", "visited", "brought", "stayed", "slept", "ate", "walked",
]);

/// Nouns after an eponym that make it a disease, sign or test rather than a person.
static EPONYM_HEADS: Words = Words::new(&[
    "disease", "diseases", "syndrome", "syndromes", "sign", "signs", "test", "tests", "reflex", "maneuver",
    "manoeuvre", "procedure", "operation", "criteria", "criterion", "score", "scale", "classification", "palsy",
    "phenomenon", "triad", "law", "tumor", "tumour", "lymphoma", "sarcoma", "ulcer", "fracture", "body", "bodies",
    "node", "nodes", "cell", "cells", "canal", "duct", "space", "effect", "murmur", "nodule", "nodules", "spot",
    "spots", "point", "line", "lines", "zone", "ring", "rings", "dementia", "encephalopathy", "thyroiditis", "ataxia",
    "anomaly", "malformation", "deformity", "contracture", "neuroma", "neuralgia", "diverticulum", "disorder",
    "equation", "formula", "index", "method", "technique", "approach", "incision", "position", "catheter", "tube",
    "valve", "forceps", "solution", "stain", "reaction", "cyst", "gland", "glands", "fibers", "fibres", "capsule",
    "loop", "ligament", "triangle", "area", "angle", "hernia", "hypothesis", "principle", "rule", "curve", "regimen",
    "protocol", "diet", "view", "grade", "stage", "staging", "type", "variant", "phenomenon", "esophagus", "ileus",
    "infarct", "infarction", "aneurysm", "anemia", "anaemia", "lesion", "lesions", "arthritis", "dystrophy",
    "myopathy", "neuropathy", "chorea", "tremor", "granuloma", "granulomatosis", "pouch", "membrane", "organ",
]);

static MONTHS_AND_DAYS: Words = Words::new(&[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
]);

/// Whether a word in these lists is an ordinary English or clinical word.
fn is_ordinary(lists: Lists) -> bool {
    lists.in_any(&[&COMMON_WORDS, &ENGLISH_MEDICAL, &CLINICAL_TERMS])
}

/// Honorifics: whatever capitalised word follows them is a name (`Mr. Gray`, `Mrs. Walker`).
static HONORIFICS: Words = Words::new(&["mr", "mrs", "ms", "miss", "mx", "dr", "drs", "prof", "mister", "madam"]);

/// Whether a word in these lists, right after an honorific, is a name even in a note written
/// all in capitals or all in lower case, where its shape says nothing: a word in no list, or a
/// name-list word that is not an ordinary English or clinical word (`DR SMITH`, `MRS POWERS`,
/// but not `DR AWARE`, `DR TO`). After a period (`dr. pica`, `DR. FOLEY`) a surname that is no
/// everyday word is enough.
fn name_after_honorific(lists: Lists, period: bool) -> bool {
    let listed = lists.contains(&FIRST_NAMES) || lists.contains(&SURNAMES);
    !is_ordinary(lists)
        || listed && !lists.contains(&ENGLISH_MEDICAL)
        || period && lists.contains(&SURNAMES) && !lists.contains(&VERY_COMMON_WORDS)
}

/// Whether `phrase` starts with an honorific followed by another word (`MRS LEY`, `DR. LI`):
/// a name however short its words.
fn opens_with_honorific(text: &str, words: &[Word], phrase: &Phrase) -> bool {
    phrase.words.len() >= 2 && HONORIFICS.contains_ignore_ascii_case(words[phrase.words.start].text(text))
}

/// Whether `word`, in these lists, is a first name.
fn is_first_name(word: &str, lists: Lists) -> bool {
    lists.contains(&FIRST_NAMES_COMMON) || lists.contains(&FIRST_NAMES) && word.chars().count() > 2
}

/// What finding every other mention of a name needs from one segment of a document: the parts
/// of the names found in it, and every capitalised word that would be another mention of one of
/// them (of a name found anywhere in the document). Spans are the segment's own.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    /// Lower-case parts of the names found (`maria`, `lopez`), sorted, without repeats.
    pub parts: Vec<Box<str>>,
    /// Capitalised words not already reported, that would be a mention if they were a part.
    pub candidates: Vec<Mention>,
    /// The candidates' words in lower case, one after the other ([`Mentions::lower`]): one
    /// string for the segment instead of one per word (in notes written in capitals, nearly every
    /// word is a candidate).
    lower: String,
}

impl Mentions {
    /// The word of `mention`, one of [`Mentions::candidates`], in lower case.
    pub fn lower(&self, mention: &Mention) -> &str {
        self.lower
            .get(mention.lower.start as usize..mention.lower.end as usize)
            .unwrap_or("")
    }
}

/// A word that is reported as a name when a name with that part is found in the document.
#[derive(Debug, Clone)]
pub struct Mention {
    pub span: Range<usize>,
    /// Where the word in lower case is in [`Mentions`]' string.
    lower: Range<u32>,
}

/// Finds the names and places in one segment. Every other mention of a found name, in this
/// segment or another, is found afterwards by [`propagate`] from the returned [`Mentions`].
/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) -> Mentions {
    let text = ctx.text;
    let words = proper::words(ctx);
    let known = places::capital_lists(text, &words);
    let whole_phrases = proper::phrases(text, &words);
    // Cutting phrases seldom makes more of them than there were.
    let mut phrases: Vec<Phrase> = Vec::with_capacity(whole_phrases.len());
    for phrase in whole_phrases {
        split_capitals(text, &words, &known, phrase, &mut phrases);
    }
    let mut name_parts: HashSet<String> = HashSet::new();
    // `12 Main St, Springfield`: a capitalised phrase right after a street address is its town.
    let mut address_ends: Vec<usize> = out
        .iter()
        .filter(|f| matches!(f.rule, Rule::Address | Rule::Zip))
        .map(|f| f.span.end)
        .collect();
    address_ends.sort_unstable();
    let mut claimed: Vec<Range<usize>> = Vec::new();
    let mut candidate = Candidate::default();
    for phrase in &phrases {
        if !places::shaped_like_a_name(&words, phrase) && !opens_with_honorific(text, &words, phrase) {
            continue;
        }
        candidate.fill(text, &words, &known, phrase);
        let (first, titled) = skip_openers(text, &words, phrase, &candidate);
        if first >= candidate.lower.len() {
            continue;
        }
        let head = &words[phrase.words.start + first];
        let span = head.span.start..phrase.span.end;
        let last_word = &words[phrase.words.end - 1];
        let before = context_before(text, &words, phrase);
        let after_address = phrase.span.start >= 2 && {
            let near = address_ends.partition_point(|&end| end < phrase.span.start - 2);
            address_ends[near..]
                .iter()
                .take_while(|&&end| end <= phrase.span.start)
                .any(|&end| matches!(&text[end..phrase.span.start], ", " | "," | " "))
        };
        let place_context =
            !titled && (after_address || before.first().is_some_and(|w| places::is_place_word_before(w)));
        let person_context = titled
            || before
                .first()
                .is_some_and(|w| PERSON_BEFORE.contains_ignore_ascii_case(w));
        let context = person_context || place_context;
        if is_eponym_use(text, &candidate, first, last_word, context) || is_citation(text, phrase.span.end) {
            continue;
        }
        // `April`, `Georgia`: a month or a state, unless a title or relation says a person is meant.
        let month_or_state = (first..candidate.lower.len())
            .all(|k| MONTHS_AND_DAYS.contains(&candidate.lower[k]) || candidate.lists[k].contains(&STATES_COUNTRIES));
        if month_or_state && !person_context {
            continue;
        }
        let state_after = places::state_follows(text, phrase.span.end);
        if !titled {
            let title_case = phrase.words.clone().skip(first).any(|i| words[i].shape == Shape::Title);
            if let Some(kind) = places::classify(&candidate, first, place_context, state_after, title_case) {
                // A first name that is no known town, after "from"/"to", is more likely a person:
                // "a text from Maria".
                let person_instead = kind == PlaceKind::Town
                    && !state_after
                    && !candidate.joined_lists(first).contains(&US_PLACES)
                    && is_person(text, &words, phrase, &candidate, first, false, true);
                if !person_instead {
                    out.push(location(span.clone(), kind));
                    claimed.push(span);
                    continue;
                }
            }
        }
        if is_person(text, &words, phrase, &candidate, first, titled, false) {
            for (i, part) in candidate.lower[first..].iter().enumerate() {
                let word = &words[phrase.words.start + first + i];
                if word.shape != Shape::Lower && part.chars().count() > 1 {
                    name_parts.insert(part.clone());
                }
            }
            age_after_name(text, span.end, out);
            out.push(name(span.clone()));
            claimed.push(span);
        }
    }
    lowercase_names(text, &words, &mut name_parts, &mut claimed, out);
    claimed.sort_by_key(|c| c.start);
    initials(text, gates.lines(Lined::Initials), &claimed, out);
    let mut parts: Vec<Box<str>> = name_parts.into_iter().map(String::into_boxed_str).collect();
    parts.sort_unstable();
    let (candidates, lower) = candidates(text, &words, &known, &claimed);
    Mentions {
        parts,
        candidates,
        lower,
    }
}

static INITIALS: std::sync::LazyLock<Pattern> = std::sync::LazyLock::new(|| Pattern::prebuilt(INITIALS_SOURCE));

/// Initials that stand for a person: `Patient J.D. presented`, `Ms. K.L.`, `J.D., a 45-year-old`.
/// Only with a person cue around them: `U.S.`, `M.D.` and `p.m.` are left alone.
/// `initial_lines` are the lines where [INITIALS] matches.
fn initials(text: &str, initial_lines: &[Range<usize>], claimed: &[Range<usize>], out: &mut Vec<Finding>) {
    for m in in_lines(&INITIALS, text, initial_lines) {
        if overlaps_any(claimed, &m.range()) {
            continue;
        }
        let before = words_before(text, m.start(), 1);
        let after = words_after(text, m.end(), 1);
        let cue_before = before
            .first()
            .is_some_and(|w| PERSON_BEFORE.contains_ignore_ascii_case(w) || HONORIFICS.contains_ignore_ascii_case(w));
        let next = after.first().copied().unwrap_or("");
        let cue_after = PERSON_AFTER_STRONG.contains_ignore_ascii_case(next)
            || PERSON_AFTER_WEAK.contains_ignore_ascii_case(next) && !is_one_of(next, &["and"])
            || age_follows(text, m.end());
        if cue_before || cue_after {
            out.push(name(m.range()));
        }
    }
}

/// Names typed in lower case, as in quick notes: `dr. griffin aware`, `mr nicholson`, `her
/// husband milovan`. Only right after an honorific or a relation, and only words that are no
/// ordinary English.
fn lowercase_names(
    text: &str,
    words: &[Word],
    name_parts: &mut HashSet<String>,
    claimed: &mut Vec<Range<usize>>,
    out: &mut Vec<Finding>,
) {
    for pair in words.windows(2) {
        let (before, word) = (&pair[0], &pair[1]);
        if word.shape != Shape::Lower || !matches!(&text[before.span.end..word.span.start], " " | ". " | ".") {
            continue;
        }
        // A signature: `irene snell, rn`.
        if before.shape == Shape::Lower
            && &text[before.span.end..word.span.start] == " "
            && credential_follows_any_case(text, word.span.end)
        {
            let (first, last) = (Lists::of(before.text(text)), Lists::of(word.text(text)));
            let plain = |l: Lists| !l.contains(&VERY_COMMON_WORDS) && !l.contains(&CLINICAL_TERMS);
            if first.contains(&FIRST_NAMES_COMMON) && plain(first) && last.contains(&SURNAMES) && plain(last) {
                let span = before.span.start..word.span.end;
                for part in [before, word] {
                    name_parts.insert(part.text(text).to_string());
                }
                claimed.push(span.clone());
                out.push(name(span));
                continue;
            }
        }
        let lower = word.text(text);
        let cue = before.text(text);
        if cue.is_ascii()
            && !HONORIFICS.may_contain_lowercase_of_ascii(cue)
            && !PERSON_BEFORE.may_contain_lowercase_of_ascii(cue)
        {
            continue;
        }
        let mut buffer = [0u8; 16];
        let cue = lowercase(cue, &mut buffer);
        let after_honorific = HONORIFICS.contains(&cue);
        let after_relation = PERSON_BEFORE.contains(&cue) && !after_honorific;
        if !after_honorific && !after_relation {
            continue;
        }
        let lists = Lists::of(lower);
        let is_name = if after_honorific {
            // `name_after_honorific` includes "no ordinary word".
            lists.contains(&SURNAMES_COMMON) && !lists.contains(&VERY_COMMON_WORDS)
                || name_after_honorific(lists, before.period_after)
        } else {
            let name_list = lists.contains(&FIRST_NAMES) && !is_ordinary(lists) && !lists.contains(&EPONYMS);
            // `husband milovan`, `son rob`: after a relative, a word in no list at all, or a
            // common first name that is no everyday or clinical word.
            let after_kin = KIN.contains(&cue)
                && (lists == Lists::default() && !looks_like_a_verb(lower)
                    || lists.contains(&FIRST_NAMES_COMMON)
                        && !lists.contains(&VERY_COMMON_WORDS)
                        && !lists.contains(&CLINICAL_TERMS));
            name_list || after_kin
        };
        if is_name && lower.chars().count() > 1 && !MONTHS_AND_DAYS.contains(lower) {
            name_parts.insert(lower.to_string());
            claimed.push(word.span.clone());
            out.push(name(word.span.clone()));
        }
    }
}

/// A word in no list that ends like an English verb or adverb (`visisted`, `callling`): a
/// misspelling more often than a name.
fn looks_like_a_verb(word: &str) -> bool {
    word.len() > 4 && (word.ends_with("ed") || word.ends_with("ing") || word.ends_with("ly"))
}

/// Up to two words before a phrase, within its sentence.
fn context_before<'t>(text: &'t str, words: &[Word], phrase: &Phrase) -> NearWords<'t> {
    if words[phrase.words.start].sentence_start {
        return words_before(text, 0, 0);
    }
    let mut before = words_before(text, phrase.span.start, 2);
    let second_starts_sentence = phrase.words.start >= 1 && words[phrase.words.start - 1].sentence_start;
    if second_starts_sentence {
        before.truncate(1);
    }
    before
}

/// Skips titles (`Mr.`, `Pt`) and openers (`The`, `His`, or a sentence's first ordinary word
/// such as `When`) at the start of a phrase. Returns the first word that counts and whether a
/// title was seen.
fn skip_openers(text: &str, words: &[Word], phrase: &Phrase, candidate: &Candidate) -> (usize, bool) {
    let mut first = 0;
    let mut titled = false;
    let n = candidate.lower.len();
    while first < n {
        let word = &words[phrase.words.start + first];
        let lower = candidate.lower[first].as_str();
        let rest_exists = first + 1 < n;
        if rest_exists
            && TITLES.contains(lower)
            && (word.period_after || matches!(lower, "mr" | "mrs" | "ms" | "mx" | "dr" | "drs" | "miss" | "pt"))
        {
            titled = true;
            first += 1;
            continue;
        }
        if OPENERS.contains(lower) {
            first += 1;
            continue;
        }
        // A sentence's first word that is an ordinary word and not the first half of a name,
        // nor an initial (`Q. LANDER`: `q` is a clinical word).
        let lists = candidate.lists[first];
        let next_is_surname = rest_exists && candidate.lists[first + 1].contains(&SURNAMES);
        let initial = word.period_after && word.span.len() == 1;
        if word.sentence_start
            && is_ordinary(lists)
            && !(is_first_name(lower, lists) && next_is_surname)
            && rest_exists
            && !initial
        {
            first += 1;
            continue;
        }
        break;
    }
    let _ = text;
    (first, titled)
}

/// `Parkinson disease`, `Down syndrome`, `Crohn's`, or a lone eponym such as `Osler` — unless a
/// title, relation or place word says otherwise (`Mr. Parkinson`, `in Rochester`). A lone eponym
/// that is also a common first name (`Kelly`, `Thomas`) is taken as a name.
fn is_eponym_use(text: &str, candidate: &Candidate, first: usize, last_word: &Word, context: bool) -> bool {
    let parts = &candidate.lower[first..];
    let Some(&last) = candidate.lists[first..].last() else {
        return false;
    };
    if !last.contains(&EPONYMS) {
        return false;
    }
    let next = words_after(text, last_word.span.end, 1);
    let followed_by_head = next
        .first()
        .is_some_and(|w| EPONYM_HEADS.contains_ignore_ascii_case(w) || w.eq_ignore_ascii_case("s"));
    followed_by_head || !context && parts.len() == 1 && !last.contains(&FIRST_NAMES_COMMON)
}

/// `Smith et al.`, `Smith and colleagues`, `Smith (2019)`, `Smith, 2019`.
fn is_citation(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let rest = rest.trim_start_matches(['\'', '\u{2019}', 's']);
    let trimmed = rest.trim_start();
    if trimmed.starts_with("et al") || trimmed.starts_with("and colleagues") || trimmed.starts_with("and co-workers") {
        return true;
    }
    let year_follows = |s: &str| {
        let s = s.trim_start_matches([' ', ',', '(']);
        // Bytes, not a slice of the text: four bytes may end inside a character.
        // A year, not the start of a longer number (`Irene Sherwood, 202232-4455` is a phone).
        s.len() >= 4
            && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && !s.as_bytes().get(4).is_some_and(u8::is_ascii_digit)
            && (s.starts_with("19") || s.starts_with("20"))
    };
    (rest.starts_with(" (") || rest.starts_with(", ")) && year_follows(rest)
}

/// Whether a phrase names a person. `weak_only` asks only whether the lists alone say so (used
/// to keep `from Maria` from becoming a place).
fn is_person(
    text: &str,
    words: &[Word],
    phrase: &Phrase,
    candidate: &Candidate,
    first: usize,
    titled: bool,
    lists_only: bool,
) -> bool {
    let parts = &candidate.lower[first..];
    let head = &words[phrase.words.start + first];
    let all_caps = phrase.words.clone().skip(first).all(|i| words[i].shape == Shape::Upper);
    // In notes written in capitals, long runs of capitals are sentences, not names.
    if all_caps && parts.len() > 3 {
        return false;
    }
    let first_part = parts[0].as_str();
    let part_lists = &candidate.lists[first..];
    let first_lists = part_lists[0];
    let last_lists = part_lists[part_lists.len() - 1];
    let name_like = |l: Lists| l.contains(&FIRST_NAMES) || l.contains(&SURNAMES) || !is_ordinary(l);
    if titled {
        // `Mr. Gray` and `Dr. Okafor`; but `PT RECEIVED`, `Pt ABG` and `DR AWARE` are not names.
        let title = (phrase.words.start + first > 0).then(|| &words[phrase.words.start + first - 1]);
        let honorific = title.filter(|t| HONORIFICS.contains_ignore_ascii_case(t.text(text)));
        if honorific.is_some() && !all_caps {
            return parts.len() <= 3;
        }
        // In capitals: `DR. FOLEY`, `MRS POWERS`, but not `DR AWARE`.
        if let Some(title) = honorific {
            let period = title.period_after;
            if parts.len() <= 3 && name_after_honorific(first_lists, period) && name_after_honorific(last_lists, period)
            {
                return true;
            }
        }
        if parts.len() <= 3 && name_like(first_lists) && name_like(last_lists) && !last_lists.contains(&ENGLISH_MEDICAL)
        {
            return true;
        }
        // `Pt Megan Hill`: a role word before; the lists below still decide.
    }
    // The words around the phrase, read only when the lists leave the question open (most
    // phrases are decided without them, and reading them was most of this function's work).
    let around = std::cell::OnceCell::new();
    let around = || {
        *around.get_or_init(|| {
            let before = context_before(text, words, phrase);
            let after = words_after(text, phrase.span.end, 1);
            let next = after.first().copied().unwrap_or("");
            let strongly_after = PERSON_AFTER_STRONG.contains_ignore_ascii_case(next)
                || age_follows(text, phrase.span.end)
                || credential_follows(text, phrase.span.end);
            Around {
                person_before: titled
                    || before
                        .first()
                        .is_some_and(|w| PERSON_BEFORE.contains_ignore_ascii_case(w)),
                strongly_after,
                weakly_after: strongly_after || PERSON_AFTER_WEAK.contains_ignore_ascii_case(next),
            }
        })
    };
    let any_unordinary = part_lists.iter().any(|&l| !is_ordinary(l));
    if parts.len() >= 2 {
        let lists_say_person = is_first_name(first_part, first_lists) && last_lists.contains(&SURNAMES);
        let context = || {
            let a = around();
            a.person_before || a.strongly_after || (a.weakly_after && !head.sentence_start)
        };
        if lists_say_person && (any_unordinary || (!lists_only && context())) {
            // In capitals a first name that is also a word (`MARIA`, `MILES`) needs a cue: `WIFE
            // MARIA GARCIA` is a name, `MILES DAVIS` alone may not be.
            let first_name_in_capitals = first_lists.contains(&FIRST_NAMES_COMMON)
                && (!is_ordinary(first_lists) || !first_lists.contains(&VERY_COMMON_WORDS) && around().person_before);
            return !all_caps || first_name_in_capitals;
        }
    }
    // A first name on its own: `Ethan`, `Maria`, `Holly`, but not `Dawn` or `Bill` (very common
    // words), which need context.
    let single_first = first_lists.contains(&FIRST_NAMES_COMMON)
        && !first_lists.contains(&VERY_COMMON_WORDS)
        && (!first_lists.contains(&ENGLISH_MEDICAL) || !first_lists.contains(&COMMON_WORDS))
        && !first_lists.contains(&CLINICAL_TERMS);
    if parts.len() == 1 && single_first && !all_caps {
        return true;
    }
    if lists_only || all_caps && !around().person_before && !around().strongly_after {
        return false;
    }
    if name_like(first_lists)
        && (!all_caps || first_lists.contains(&FIRST_NAMES) || first_lists.contains(&SURNAMES))
        && around().person_before
    {
        return true;
    }
    let known_name = first_lists.contains(&FIRST_NAMES_COMMON) || last_lists.contains(&SURNAMES_COMMON);
    if known_name && (around().strongly_after || around().weakly_after && !head.sentence_start) {
        return true;
    }
    // A surname-like word mid-sentence that is no ordinary word: `Ramirez`, `Okonkwo`.
    !head.sentence_start
        && parts.len() <= 3
        && part_lists.iter().all(|&l| !is_ordinary(l) && !l.contains(&EPONYMS))
        && (last_lists.contains(&SURNAMES_COMMON) || around().strongly_after)
}

/// What the words around a phrase say of it ([`is_person`]).
#[derive(Debug, Clone, Copy)]
struct Around {
    /// A title, a relation or a role just before (`Mr.`, `his wife`, `named`).
    person_before: bool,
    /// A word just after that only a person is followed by (`said`, `who`), an age or a
    /// credential (`RN`).
    strongly_after: bool,
    /// The same, or a word just after that a person is often followed by (`was`, `presented`).
    weakly_after: bool,
}

/// Credentials after a name: `Dan A. Forman-Lyons, RRT`, `Q. Lander RRT`, `J. Smith, RN`.
static CREDENTIALS: Words = Words::new(&[
    "rn", "rrt", "crt", "md", "do", "np", "pa", "pa-c", "lpn", "cna", "ot", "otr", "pt", "dpt", "rd", "msw", "licsw",
    "lcsw", "pharmd", "rph", "phd", "mph", "bsn", "msn", "aprn", "crna", "cnm", "dnp", "facp", "frcp", "mbbs", "emt",
    "paramedic",
]);

/// `, rn` or ` RN` right after a word, in any case, at the end of its line. Asked of nearly
/// every pair of words in lower case, so it reads bytes and rejects most words before the list.
fn credential_follows_any_case(text: &str, end: usize) -> bool {
    let bytes = text.as_bytes();
    let mut at = end;
    if bytes.get(at) == Some(&b',') {
        at += 1;
    }
    if bytes.get(at) != Some(&b' ') {
        return false;
    }
    let start = at + 1;
    let at = proper::ascii_letters_from(bytes, start);
    let len = at - start;
    if !(2..=8).contains(&len) {
        return false;
    }
    let after = bytes[at..].iter().find(|&&b| b != b' ' && b != b'\t');
    matches!(after, None | Some(b'\n' | b'\r')) && CREDENTIALS.contains_ignore_ascii_case(&text[start..at])
}

/// `..., RRT` or ` RN` right after a phrase.
fn credential_follows(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let rest = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(' ')).unwrap_or("");
    // Most phrases are followed by a word in lower case, which is never a credential here.
    if rest.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..len];
    word.len() >= 2 && word.chars().all(|c| !c.is_lowercase()) && CREDENTIALS.contains_ignore_ascii_case(word)
}

/// In text written in capitals every word is capitalised, so a run of capitals is a sentence,
/// not a name: `DR SULLIVAN AWARE`, `WIFE HELEN AND STEP DAUGHTER MAUREEN`. Such runs are cut
/// into the stretches of words that could be part of a name (name-list words, unknown words,
/// initials, honorifics), dropping ordinary words and credentials. The pieces go to `pieces`.
fn split_capitals(text: &str, words: &[Word], known: &[Lists], phrase: Phrase, pieces: &mut Vec<Phrase>) {
    let range = phrase.words.clone();
    if range.len() < 2
        || !range
            .clone()
            .all(|i| words[i].shape == Shape::Upper || words[i].span.len() == 1)
    {
        split_mixed(text, words, phrase, pieces);
        return;
    }
    // `honorific`: whether word `i` is one; `after_honorific`: whether the word before it is.
    let could_be_name = |i: usize, honorific: bool, after_honorific: bool| {
        let w = &words[i];
        // `DR SMITH`: after an honorific, a name-list word that is no ordinary word.
        if after_honorific && w.span.len() > 1 {
            let lists = places::lists_of(text, words, known, i);
            if name_after_honorific(lists, words[i - 1].period_after) {
                return true;
            }
        }
        let raw = w.text(text);
        // The entries of these lists are in lower case, so asking for an ASCII word ignoring
        // case asks for its lower case without making it; other words are lower-cased first.
        let mut buffer = [0u8; 32];
        let lower = if raw.is_ascii() {
            std::borrow::Cow::Borrowed(raw)
        } else {
            lowercase(raw, &mut buffer)
        };
        if lower.chars().count() == 1 {
            return w.period_after;
        }
        if honorific {
            return true;
        }
        if CREDENTIALS.contains_ignore_ascii_case(&lower) || MONTHS_AND_DAYS.contains_ignore_ascii_case(&lower) {
            return false;
        }
        let lists = places::lists_of(text, words, known, i);
        let listed = lists.contains(&FIRST_NAMES_COMMON) || lists.contains(&SURNAMES_COMMON);
        listed && !lists.contains(&VERY_COMMON_WORDS) || !is_ordinary(lists)
    };
    let mut start: Option<usize> = None;
    let mut after_honorific = false;
    for i in range.clone().chain(std::iter::once(range.end)) {
        let honorific = i < range.end && HONORIFICS.contains_ignore_ascii_case(words[i].text(text));
        let keep = i < range.end && could_be_name(i, honorific, after_honorific);
        after_honorific = honorific;
        // An honorific always opens a new name: `80S. DR SULLIVAN` is `DR SULLIVAN`.
        let honorific = keep && honorific;
        match (keep, start) {
            (true, None) => start = Some(i),
            (true, Some(s)) if honorific => {
                pieces.push(Phrase {
                    words: s..i,
                    span: words[s].span.start..words[i - 1].span.end,
                });
                start = Some(i);
            }
            (false, Some(s)) => {
                pieces.push(Phrase {
                    words: s..i,
                    span: words[s].span.start..words[i - 1].span.end,
                });
                start = None;
            }
            _ => {}
        }
    }
}

/// A phrase not in capitals, cut where one name ends and the next begins: before an honorific
/// inside it (`Dr Ferdinand Halfpenny And Dr. Sarah O'Driscoll` is two names; the `And` before
/// the second goes), and without the credentials after a name of two words or more (`Ilene
/// Macdonald RN`; `See PT` stays whole).
fn split_mixed(text: &str, words: &[Word], phrase: Phrase, pieces: &mut Vec<Phrase>) {
    let range = phrase.words.clone();
    let mut push = |from: usize, mut to: usize| {
        while to - from >= 3 && is_credential(&words[to - 1], text) {
            to -= 1;
        }
        while to - from >= 2 && is_one_of(words[to - 1].text(text), &["and", "or"]) {
            to -= 1;
        }
        pieces.push(Phrase {
            words: from..to,
            span: words[from].span.start..words[to - 1].span.end,
        });
    };
    let mut start = range.start;
    let inner = range.start + 1..range.end.saturating_sub(1);
    for (i, word) in words.iter().enumerate().take(inner.end).skip(inner.start) {
        if HONORIFICS.contains_ignore_ascii_case(word.text(text)) {
            push(start, i);
            start = i;
        }
    }
    push(start, range.end);
}

/// Whether `word` is a credential written in capitals (`RN`, `RRT`, `MD`).
fn is_credential(word: &Word, text: &str) -> bool {
    word.shape == Shape::Upper && CREDENTIALS.contains_ignore_ascii_case(word.text(text))
}

/// `X, a 45-year-old`, `X (45)`, `X, 45,`.
fn age_follows(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let rest = rest.trim_start_matches(['\'', '\u{2019}']).trim_start_matches('s');
    let Some(rest) = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(" (")) else {
        return false;
    };
    let rest = rest
        .strip_prefix("a ")
        .or_else(|| rest.strip_prefix("an "))
        .unwrap_or(rest);
    rest.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// `Amy Cole (96)` and `Amy Cole, 96,`: a bare number right after a name is an age.
fn age_after_name(text: &str, end: usize, out: &mut Vec<Finding>) {
    let rest = text.get(end..).unwrap_or("");
    let (skip, close) = if rest.starts_with(" (") {
        (2, [')'].as_slice())
    } else if rest.starts_with(", ") {
        (2, [',', '.', ';'].as_slice())
    } else {
        return;
    };
    let digits: String = rest[skip..].chars().take_while(char::is_ascii_digit).collect();
    let after = rest[skip + digits.len()..].chars().next();
    if (1..=3).contains(&digits.len()) && after.is_some_and(|c| close.contains(&c)) {
        if let Ok(age) = digits.parse::<u32>() {
            let start = end + skip;
            out.push(ages::age_finding(start..start + digits.len(), age, false));
        }
    }
}

/// Whether `span` overlaps one of `sorted`, which are disjoint and ordered by start.
fn overlaps_any(sorted: &[Range<usize>], span: &Range<usize>) -> bool {
    let after = sorted.partition_point(|c| c.start < span.end);
    after > 0 && sorted[after - 1].end > span.start
}

/// The capitalised words that are another mention of a name whenever that name is found.
/// Returns them with their words in lower case, one after the other (see [`Mentions`]).
fn candidates(text: &str, words: &[Word], known: &[Lists], claimed: &[Range<usize>]) -> (Vec<Mention>, String) {
    let mut found = Vec::with_capacity(words.len() / 8);
    let mut all_lower = String::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        if word.shape == Shape::Lower || overlaps_any(claimed, &word.span) {
            continue;
        }
        let lists = places::lists_of(text, words, known, i);
        // `Will` at the start of a sentence or `HOPE` in capitals may be the ordinary word.
        if lists.contains(&VERY_COMMON_WORDS) && (word.sentence_start || word.shape == Shape::Upper) {
            continue;
        }
        if lists.contains(&EPONYMS) {
            let next = words_after(text, word.span.end, 1);
            if word.possessive || next.first().is_some_and(|w| EPONYM_HEADS.contains_ignore_ascii_case(w)) {
                continue;
            }
        }
        // Segments are cut near 16 KB (only a single line of 4 GB could reach past `u32`, and
        // the word would then be left out of the mentions, not misplaced).
        let start = all_lower.len();
        let mut buffer = [0u8; 32];
        all_lower.push_str(&lowercase(word.text(text), &mut buffer));
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(all_lower.len())) else {
            continue;
        };
        found.push(Mention {
            span: word.span.clone(),
            lower: start..end,
        });
    }
    (found, all_lower)
}

/// Every other mention of a found name: the candidates of a segment (whose spans start at
/// `offset` in the document) whose word is a part of a name found anywhere in the document.
pub fn propagate(parts: &crate::engine::WordSet<'_>, mentions: &Mentions, offset: usize, out: &mut Vec<Finding>) {
    if parts.is_empty() {
        return;
    }
    for mention in &mentions.candidates {
        if parts.contains(mentions.lower(mention)) {
            out.push(name(mention.span.start + offset..mention.span.end + offset));
        }
    }
}

fn name(span: Range<usize>) -> Finding {
    Finding::new(
        Rule::Name,
        span.clone(),
        "Name: a person's name identifies them and, through them, the patient (HIPAA Safe Harbor). Replace it with a role such as \u{201c}the patient\u{201d} or \u{201c}her husband\u{201d}.",
    )
}

fn location(span: Range<usize>, kind: PlaceKind) -> Finding {
    let message = match kind {
        PlaceKind::Facility => "Named hospital, school or workplace: it narrows down who the patient is (HIPAA Safe Harbor). Describe it instead, such as \u{201c}a community hospital\u{201d} or \u{201c}a local high school\u{201d}.",
        PlaceKind::Region => "County or district: places smaller than a state can identify a patient (HIPAA Safe Harbor). Name the state or region instead, or leave it out.",
        PlaceKind::Town => "Town or city: places smaller than a state can identify a patient (HIPAA Safe Harbor). Name the state or a wider region instead, such as \u{201c}a small town in Ohio\u{201d}.",
    };
    Finding::new(Rule::Location, span, message)
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&INITIALS);
}

#[cfg(test)]
mod tests {
    use crate::engine::rules::found;
    use crate::engine::Rule;

    fn names(text: &str) -> Vec<String> {
        found(text, Rule::Name)
    }

    fn places(text: &str) -> Vec<String> {
        found(text, Rule::Location)
    }

    #[test]
    fn names_in_notes_written_in_capitals_or_lower_case() {
        assert_eq!(names("CALLED DR. VASQUEZ. PT RESTING."), vec!["VASQUEZ"]);
        assert_eq!(names("MRS LIU AT BEDSIDE."), vec!["LIU"]);
        assert_eq!(names("PLAN DISCUSSED WITH DR SMITH AND FAMILY."), vec!["SMITH"]);
        assert_eq!(names("mr. powers arrived. Dr.Patel aware."), vec!["powers", "Patel"]);
        assert_eq!(
            names("Dr Helena Marsh And Dr. Tobias Wren met the family."),
            vec!["Helena Marsh", "Tobias Wren"]
        );
        assert_eq!(names("Dressing changed.\nLorna Whitcombe RN"), vec!["Lorna Whitcombe"]);
        assert_eq!(
            names("pain controlled.\ndoreen whitcombe, rn"),
            vec!["doreen whitcombe"]
        );
        assert_eq!(names("spoke with wife dragana by phone"), vec!["dragana"]);
        // Not names: words after a title that are ordinary words, a rhythm, a misspelt verb.
        assert!(names("DR AWARE. MD NOTIFIED. RN CALLED. DR TO SEE PT.").is_empty());
        assert!(names("NSR TO ST. No ectopy. See PT note. son and wife visted.").is_empty());
        assert!(places("NSR TO ST. No ectopy.").is_empty());
    }

    #[test]
    fn names_from_context() {
        assert_eq!(names("Mr. Johnson, aged 91, drove in."), vec!["Johnson"]);
        assert_eq!(
            names("His wife, Brian Young, said he had collapsed."),
            vec!["Brian Young"]
        );
        assert_eq!(
            names("I looked after a man named Ethan who had been found down."),
            vec!["Ethan"]
        );
        assert_eq!(names("Her wife Paul asked me to stay."), vec!["Paul"]);
        assert_eq!(
            names("**Teaching case.** George Harper is a 95 year old."),
            vec!["George Harper"]
        );
        assert_eq!(
            names("When Autumn Freeman was admitted, she cried."),
            vec!["Autumn Freeman"]
        );
        assert_eq!(names("Patient: Kaitlin Graves. Age 10."), vec!["Kaitlin Graves"]);
        assert_eq!(names("Pt Megan Hill came back."), vec!["Megan Hill"]);
        assert_eq!(
            names("We saw Ms. García-López and Mr. O'Brien."),
            vec!["García-López", "O'Brien"]
        );
    }

    /// The name lists spell names without accents; writers often with them.
    #[test]
    fn names_written_with_accents() {
        assert_eq!(names("María came in with chest pain."), vec!["María"]);
        assert_eq!(names("José Hernández, 54, was admitted."), vec!["José Hernández"]);
        assert_eq!(names("We saw Zoë and her mother."), vec!["Zoë"]);
        assert_eq!(
            names("SOCIAL: WIFE MARÍA GARCÍA AND SON JOSÉ VISITED."),
            vec!["MARÍA GARCÍA", "JOSÉ"]
        );
        assert_eq!(names("A café near the clinic; her résumé."), Vec::<String>::new());
    }

    #[test]
    fn names_that_are_also_words_need_context() {
        assert_eq!(names("Her daughter Rose drove in."), vec!["Rose"]);
        assert_eq!(names("Hope is a good thing. Rose petals fell."), Vec::<String>::new());
        assert_eq!(names("Will you come? We will see."), Vec::<String>::new());
        assert_eq!(names("Her husband, Bill, called."), vec!["Bill"]);
    }

    #[test]
    fn notes_in_capitals_and_in_lower_case() {
        assert_eq!(names("BP 80S. DR SULLIVAN AWARE. DOPA INCREASED."), vec!["SULLIVAN"]);
        assert_eq!(
            names("SOCIAL: PT'S WIFE HELEN AND STEP DAUGHTER MAUREEN IN TO VISIT."),
            vec!["HELEN", "MAUREEN"]
        );
        // A first name that is also a word (`maria`) after a relation.
        assert_eq!(
            names("SOCIAL: WIFE MARIA GARCIA AND SON JOSE VISITED."),
            vec!["MARIA GARCIA", "JOSE"]
        );
        assert_eq!(names("PT'S WIFE WILL CALL BACK. SON MILES AWAY."), Vec::<String>::new());
        assert_eq!(
            names("QUIET NIGHT.  DAN A. FORMAN-LYONS, RRT"),
            vec!["DAN A. FORMAN-LYONS"]
        );
        assert_eq!(
            names("bronched by dr. noone today, her husband kwame called"),
            vec!["noone", "kwame"]
        );
        assert_eq!(
            names("PT RECEIVED WITH A #8 TRACH. T MAX 101.4. PT ABG PENDING."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn initials_with_a_person_cue() {
        assert_eq!(names("Patient J.D. presented with pain."), vec!["J.D."]);
        assert_eq!(names("We saw K. L., a 45-year-old teacher."), vec!["K. L."]);
        assert_eq!(
            names("She moved to the U.S. in 2010 and saw an M.D. at 3 p.m."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_mention_of_a_found_name_is_found() {
        assert_eq!(
            names("Maria Lopez was admitted. Later Maria's son visited Ms. Lopez. MARIA smiled."),
            vec!["Maria Lopez", "Maria", "Lopez", "MARIA"]
        );
    }

    #[test]
    fn eponyms_citations_and_historical_physicians_are_not_names() {
        for text in [
            "Parkinson disease had taken most of his speech.",
            "She has Down syndrome and a positive Babinski sign.",
            "Crohn's disease and Parkinson's are both chronic.",
            "As Osler said, listen to the patient.",
            "Smith et al. (2019) showed a benefit; see also Jones, 2020.",
            "We started Tylenol and Lipitor.",
            "The patient had Lewy body dementia and Creutzfeldt-Jakob disease.",
        ] {
            assert_eq!(names(text), Vec::<String>::new(), "in {text:?}");
        }
    }

    #[test]
    fn a_multibyte_character_where_a_citation_year_would_be() {
        // Found by the fix_all fuzz target: the year test sliced four bytes, inside the `é`.
        assert_eq!(names("Mrs. Brown, 123\u{e9} came in."), vec!["Brown"]);
        assert_eq!(names("Mrs. Brown (20\u{1f642}) came in."), vec!["Brown"]);
    }

    #[test]
    fn places_and_facilities() {
        assert_eq!(places("She was found outside a bar in Craigtown."), vec!["Craigtown"]);
        assert_eq!(places("A 6-year-old girl from Tulsa was brought in."), vec!["Tulsa"]);
        assert_eq!(
            places("He drove in from Robinson County to be with her."),
            vec!["Robinson County"]
        );
        assert_eq!(
            places("Seen at St. Mary's Medical Center on arrival."),
            vec!["St. Mary's Medical Center"]
        );
        assert_eq!(places("He attends Hampton High School."), vec!["Hampton High School"]);
        assert_eq!(places("They live in North Joycehaven now."), vec!["North Joycehaven"]);
        assert_eq!(places("She grew up in Springfield, Ohio."), vec!["Springfield"]);
        assert_eq!(places("Admitted to the General Hospital."), Vec::<String>::new());
        assert_eq!(places("She moved to Ohio from Canada."), Vec::<String>::new());
    }
}
