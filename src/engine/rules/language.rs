//! `lang/derogatory` and `lang/stigmatizing`: how patients are written about.
//!
//! Derogatory or flippant remarks about patients ("gomer", "frequent flyer", "stupid patient",
//! "LOL" about a patient, shouting about their weight) damage trust in the profession (Medical
//! Protection Society; ACP/FSMB). Stigmatizing labels ("addict", "diabetic" as a noun,
//! "noncompliant") are replaced by person-first language, following NIDA's *Words Matter*, the
//! ONDCP memo *Changing the Language of Addiction* (2017), the ADA/AADE consensus on language in
//! diabetes care (Dickinson et al., 2017) and studies of stigmatizing language in records
//! (Goddu et al., J Gen Intern Med 2018; Park et al., JAMA Netw Open 2021).

use crate::engine::rules::scans::{
    INSULTS_SOURCE, INSULT_NOUNS_SOURCE, LABEL_SOURCE, LAUGHTER_SOURCE, MOCKING_SOURCE, SHOUTING_SOURCE, SLURS_SOURCE,
};
use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::{captures_in_lines, in_lines, Pattern};

use crate::engine::finding::Finding;
use crate::engine::rules::{Gates, Lined, Rule};
use crate::engine::text::{is_one_of, words_after, words_before};
use crate::engine::Context;

/// Words that are derogatory whatever surrounds them, when said of people.
static SLURS: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(SLURS_SOURCE));

/// Insulting adjectives: derogatory before a person ("stupid patient") or said of one ("she is
/// so lazy").
static INSULTS: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(INSULTS_SOURCE));

/// Insulting nouns: derogatory when they name someone ("the idiot in bed 3").
static INSULT_NOUNS: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::with_prefilter(INSULT_NOUNS_SOURCE).expect("insult nouns"));

/// Laughter and eye-rolling: flippant when the sentence is about a patient.
static LAUGHTER: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(LAUGHTER_SOURCE));

/// Mocking bodily functions or weight.
static MOCKING: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(MOCKING_SOURCE));

/// Words that put a patient in the sentence.
const PATIENT_WORDS: &[&str] = &[
    "patient", "patients", "pt", "pts", "he", "she", "they", "him", "her", "them", "guy", "lady", "man", "woman",
    "dude", "gentleman", "family", "mother", "father", "husband", "wife", "son", "daughter", "kid", "child", "baby",
    "girl", "boy", "person", "client",
];

/// After "frequent flyer" and similar, these words show the airline sense.
const NOT_ABOUT_PEOPLE: &[&str] = &[
    "miles", "program", "points", "card", "status", "account", "number", "club", "lounge", "blue", "watching", "song",
    "oil", "meat", "protein", "pod", "migration", "shark",
];

fn sentence_around(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = text[..span.start].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find(['.', '!', '?', '\n'])
        .map_or(text.len(), |i| span.end + i);
    start..end
}

fn mentions_a_patient(sentence: &str) -> bool {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| is_one_of(w, PATIENT_WORDS))
}

/// Nouns for the person an insult is about.
const PERSON_NOUNS: &[&str] = &[
    "patient", "patients", "pt", "pts", "guy", "guys", "lady", "ladies", "man", "men", "woman", "women", "dude",
    "family", "families", "people", "person", "kid", "kids", "mother", "father", "husband", "wife", "son", "daughter",
    "girl", "boy", "client", "clients", "gentleman", "mom", "dad", "parents", "relatives", "old",
];
const SUBJECTS: &[&str] = &[
    "patient", "pt", "he", "she", "they", "family", "guy", "lady", "man", "woman", "dude", "mother", "father",
    "husband", "wife", "son", "daughter", "kid", "parents", "who",
];
const COPULAS: &[&str] = &[
    "is", "was", "are", "were", "seems", "seemed", "looks", "looked", "being", "be", "acting",
];
const INTENSIFIERS: &[&str] = &[
    "so", "such", "a", "an", "very", "really", "totally", "completely", "just", "too", "incredibly", "absolutely",
    "pretty", "quite", "complete", "total", "absolute", "utter", "the", "most", "bit", "little",
];

/// "<subject> is (so) X": the words before an insult say it of a person.
fn said_of_a_person(text: &str, start: usize) -> bool {
    let before = words_before(text, start, 5);
    let mut words = before.iter().skip_while(|w| is_one_of(w, INTENSIFIERS));
    matches!((words.next(), words.next()), (Some(verb), Some(subject)) if is_one_of(verb, COPULAS) && is_one_of(subject, SUBJECTS))
}

/// An insulting adjective right before a person noun, or said of a patient.
fn insult_is_about_a_patient(text: &str, span: &Range<usize>) -> bool {
    let next = words_after(text, span.end, 2);
    let before_person = match next.as_slice() {
        [first, ..] if is_one_of(first, PERSON_NOUNS) => true,
        // "stupid old man", "lazy young woman"
        [first, second] if is_one_of(first, &["old", "young", "little", "fat"]) => is_one_of(second, PERSON_NOUNS),
        _ => false,
    };
    // "crazy busy", "insanely", "fat pad": these need the person right after them.
    let ambiguous = is_one_of(
        &text[span.clone()],
        &["crazy", "insane", "fat", "psycho", "retarded", "nasty"],
    );
    before_person || (!ambiguous && said_of_a_person(text, span.start))
}

/// An insulting noun naming someone: "the idiot in bed 3", "he is a moron", but not "I felt like
/// an idiot".
fn insult_names_someone(text: &str, span: &Range<usize>) -> bool {
    let before = words_before(text, span.start, 3);
    if before.iter().any(|w| {
        is_one_of(
            w,
            &["like", "i", "me", "myself", "i'm", "im", "we", "us", "felt", "feel"],
        )
    }) {
        return false;
    }
    said_of_a_person(text, span.start)
        || before
            .first()
            .is_some_and(|w| is_one_of(w, &["the", "this", "that", "what", "these", "those", "another"]))
}

/// Two or more capitalized words in a sentence otherwise in lower case: shouting.
static SHOUTING: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(SHOUTING_SOURCE));

/// Capitalized words that are abbreviations, not shouting.
const ABBREVIATIONS: &[&str] = &[
    "BP", "HR", "RR", "ECG", "EKG", "CT", "MRI", "ICU", "ED", "ER", "OR", "IV", "PO", "PRN", "BID", "TID", "QID", "GI",
    "HIV", "AIDS", "COPD", "CHF", "MI", "CABG", "PCI", "DNR", "DNI", "NPO", "STAT", "PE", "DVT", "UTI", "AKI", "CKD",
    "SOB", "CP", "HPI", "ROS", "PMH", "NICU", "PICU", "EMS", "MVA", "MVC", "GSW", "LOC", "GCS", "ABG", "CBC", "BMP",
    "CMP", "LFT", "INR", "PT", "PTT", "US", "UK", "USA", "NHS", "AMA", "CDC", "WHO", "FDA", "NIH", "OK", "TV", "AM",
    "PM", "ST", "QT", "AF", "VT", "VF", "SVT", "STEMI", "NSTEMI", "TPA", "IM", "SC", "SQ", "NG", "OG", "ETT", "VS",
    "MD", "DO", "RN", "NP", "PA", "ICD", "CPT", "TBI", "SAH", "ARDS", "ECMO", "CPR", "ACLS", "BLS", "ATLS", "FAST",
    "CXR", "KUB", "EEG", "EMG", "LP", "CSF", "UA", "UDS", "ETOH", "EtOH", "SI", "HI", "AVH", "BMI", "A1C", "TSH",
    "NEJM", "BMJ", "JAMA", "USMLE", "FYI", "ASAP", "RIP", "NB", "PS",
];

/// Whether `word` is one of the [`ABBREVIATIONS`], found by binary search in a sorted copy.
fn is_abbreviation(word: &str) -> bool {
    static SORTED: LazyLock<Vec<&str>> = LazyLock::new(|| {
        let mut sorted = ABBREVIATIONS.to_vec();
        sorted.sort_unstable();
        sorted
    });
    SORTED.binary_search(&word).is_ok()
}

fn is_shouting(text: &str, span: &Range<usize>) -> bool {
    let words: Vec<&str> = text[span.clone()].split_whitespace().collect();
    if words.iter().filter(|w| !is_abbreviation(w)).count() < 2 {
        return false;
    }
    // Shouting is ordinary words in capitals ("LOSE WEIGHT"), not codes ("KVO IVF").
    let ordinary_word = words
        .iter()
        .any(|w| w.len() >= 4 && crate::lexicon::VERY_COMMON_WORDS.contains(&w.to_lowercase()));
    // In the middle of a sentence written in lower case, not a label ("PLAN: FAMILY MEETING").
    let after_lowercase = text[..span.start]
        .trim_end_matches([' ', '\t'])
        .chars()
        .next_back()
        .is_some_and(char::is_lowercase);
    if !ordinary_word || !after_lowercase {
        return false;
    }
    // In a note written all in capitals, nothing stands out.
    let sentence = &text[sentence_around(text, span)];
    let lower = sentence.chars().filter(|c| c.is_lowercase()).count();
    let upper = sentence.chars().filter(|c| c.is_uppercase()).count();
    lower > upper && mentions_a_patient(sentence)
}

fn derogatory(span: Range<usize>, message: &'static str) -> Finding {
    Finding::new(Rule::Derogatory, span, message)
}

/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) {
    let (text, rare_lines) = (ctx.text, gates.lines(Lined::RarePatterns));
    for m in in_lines(&SLURS, text, rare_lines) {
        // "Psycho/social", "psycho-educational": part of a longer word.
        if text[m.end()..].starts_with(['/', '-']) {
            continue;
        }
        let next = words_after(text, m.end(), 1);
        if next.first().is_some_and(|w| is_one_of(w, NOT_ABOUT_PEOPLE)) {
            continue;
        }
        // Animals and vegetables are only insults when they are patients.
        let lower = m.as_str().to_lowercase();
        let needs_person = [
            "whale", "hippo", "dinosaur", "vegetable", "veggie", "turkey", "crock", "fluffy", "loser",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
            || lower.starts_with("bounce");
        if needs_person && !insult_names_someone(text, &m.range()) && !said_of_a_person(text, m.start()) {
            continue;
        }
        out.push(derogatory(
            m.range(),
            "Derogatory word for a patient. Remarks like this, if seen by patients or the public, damage trust in doctors (professional guidance: no derogatory or flippant comments about patients). Describe the clinical facts instead.",
        ));
    }
    let insults = in_lines(&INSULTS, text, gates.lines(Lined::Insults))
        .filter(|m| insult_is_about_a_patient(text, &m.range()))
        .chain(
            in_lines(&INSULT_NOUNS, text, gates.lines(Lined::InsultNouns))
                .filter(|m| insult_names_someone(text, &m.range())),
        );
    for m in insults {
        {
            out.push(derogatory(
                m.range(),
                "Insult about a patient. Derogatory comments about patients damage trust in the profession, and patients can read them. Describe what happened, not what you think of the person.",
            ));
        }
    }
    for m in in_lines(&LAUGHTER, text, rare_lines) {
        if mentions_a_patient(&text[sentence_around(text, &m.range())]) {
            out.push(derogatory(
                m.range(),
                "Laughing at a patient's situation reads as mockery. Flippant comments about patients damage trust in doctors; the patient may recognise themselves. Leave it out.",
            ));
        }
    }
    for m in in_lines(&MOCKING, text, rare_lines) {
        out.push(derogatory(
            m.range(),
            "This mocks a patient's body or bodily functions. Derogatory comments about patients damage trust in the profession. State the clinical finding neutrally or leave it out.",
        ));
    }
    // Capitals stand out only where they are rare: notes with capitalized headings and labels
    // throughout ("FAMILY MEETING", "CODE STATUS") are written that way.
    // A third run means none is reported, so the search stops there: in notes written with
    // capitals throughout, most lines hold a run.
    let capital_runs: Vec<Range<usize>> = in_lines(&SHOUTING, text, gates.lines(Lined::Shouting))
        .map(|m| m.range())
        .filter(|r| {
            text[r.clone()]
                .split_whitespace()
                .filter(|w| !is_abbreviation(w))
                .count()
                >= 2
        })
        .take(3)
        .collect();
    let rare = capital_runs.len() <= 2;
    for range in capital_runs.into_iter().filter(|_| rare) {
        let m = &range;
        if is_shouting(text, m) {
            out.push(derogatory(
                m.clone(),
                "Shouting (capitals) about a patient reads as contempt. Write it in ordinary case and describe the clinical issue neutrally.",
            ));
        }
    }
    stigmatizing(text, rare_lines, out);
}

/// A stigmatizing term (its pattern is group `l{i}` of `scans::LABEL_SOURCE` for `LABELS[i]`),
/// what to say instead, and why.
struct Label {
    replacement: &'static str,
    why: &'static str,
    /// Names a group of people by their condition (`the disabled`), which is no label before
    /// a place (`the disabled parking`).
    group: bool,
}

const LABELS: &[Label] = &[
    Label {
        replacement: "people with a substance use disorder",
        why: "\u{201c}Addict\u{201d} defines a person by an illness and carries blame",
        group: false,
    },
    Label {
        replacement: "a person with a substance use disorder",
        why: "\u{201c}Addict\u{201d} defines a person by an illness and carries blame",
        group: false,
    },
    Label {
        replacement: "person who uses drugs",
        why: "\u{201c}Abuser\u{201d} suggests wilful wrongdoing rather than an illness",
        group: false,
    },
    Label {
        replacement: "person who uses drugs",
        why: "Slang for people who use drugs is demeaning and deters care",
        group: false,
    },
    Label {
        replacement: "substance use",
        why: "\u{201c}Abuse\u{201d} frames an illness as wrongdoing; clinical terms are \u{201c}substance use\u{201d} or \u{201c}substance use disorder\u{201d}",
        group: false,
    },
    Label {
        replacement: "a person with alcohol use disorder",
        why: "\u{201c}Alcoholic\u{201d} as a noun defines a person by an illness",
        group: false,
    },
    Label {
        replacement: "a person with diabetes",
        why: "\u{201c}Diabetic\u{201d} as a noun defines a person by a condition",
        group: false,
    },
    Label {
        replacement: "a person with the condition",
        why: "A diagnosis used as a noun defines a person by a condition",
        group: false,
    },
    Label {
        replacement: "people with mental illness",
        why: "Grouping people by a condition (\u{201c}the mentally ill\u{201d}) is stigmatizing",
        group: true,
    },
    Label {
        replacement: "patient with obesity",
        why: "Person-first language (\u{201c}patient with obesity\u{201d}) is recommended by obesity and medical societies",
        group: false,
    },
    Label {
        replacement: "not taking the medication as prescribed",
        why: "\u{201c}Noncompliant\u{201d} blames the patient; say what happened and, if known, why",
        group: false,
    },
    Label {
        replacement: "asking for pain medication",
        why: "\u{201c}Drug-seeking\u{201d} casts doubt on a patient's pain and follows them through the record",
        group: false,
    },
    Label {
        replacement: "has",
        why: "\u{201c}Suffers from\u{201d} casts a person as a victim; \u{201c}has\u{201d} is neutral",
        group: false,
    },
    Label {
        replacement: "uses a wheelchair",
        why: "A wheelchair gives mobility; \u{201c}bound\u{201d} and \u{201c}confined\u{201d} suggest the opposite",
        group: false,
    },
    Label {
        replacement: "with an intellectual disability",
        why: "\u{201c}Retarded\u{201d} is an outdated and offensive term",
        group: false,
    },
    Label {
        replacement: "person with sickle cell disease",
        why: "\u{201c}Sickler\u{201d} is a label associated with disbelief of pain",
        group: false,
    },
    Label {
        replacement: "positive (or negative) urine drug screen",
        why: "\u{201c}Dirty\u{201d} and \u{201c}clean\u{201d} attach moral judgement to test results",
        group: false,
    },
    Label {
        replacement: "reports",
        why: "\u{201c}Claims\u{201d} and \u{201c}insists\u{201d} signal disbelief of the patient",
        group: false,
    },
];

/// All labels in one pattern (one pass over the text); group `l{i}` is `LABELS[i]`.
static LABEL_PATTERN: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(LABEL_SOURCE));

/// After "alcoholic" or "diabetic" these nouns make it an adjective ("diabetic foot").
const CLINICAL_NOUNS: &[&str] = &[
    "foot", "feet", "ulcer", "ulcers", "ketoacidosis", "retinopathy", "neuropathy", "nephropathy", "diet", "patient",
    "patients", "cirrhosis", "hepatitis", "liver", "cardiomyopathy", "pancreatitis", "beverage", "beverages", "drinks",
    "drink", "fatty", "clinic", "education", "medication", "medications", "range", "control", "emergency", "coma",
    "wound", "wounds", "kidney", "eye", "care", "team", "mother", "mothers", "pregnancy", "women", "men", "population",
    "seizure", "seizures", "episode", "episodes", "symptoms", "features", "disorder", "depression", "break",
];

/// Where the stigmatizing label of `LABELS[index]` is really a label, not an adjective.
fn is_label_use(text: &str, index: usize, span: &Range<usize>) -> bool {
    let written = text[span.clone()].to_lowercase();
    let adjective_capable = written.ends_with("alcoholic")
        || written.ends_with("diabetic")
        || written.ends_with("epileptic")
        || written.ends_with("psychotic")
        || written.ends_with("asthmatic");
    if adjective_capable {
        let next = words_after(text, span.end, 1);
        if next.first().is_some_and(|w| is_one_of(w, CLINICAL_NOUNS)) {
            return false;
        }
    }
    // "a diabetic patient" is caught by the noun list above; "the disabled parking" is not a person.
    if LABELS[index].group {
        let next = words_after(text, span.end, 1);
        return !next
            .first()
            .is_some_and(|w| ["parking", "toilet", "bathroom", "access", "entrance"].contains(w));
    }
    true
}

/// The stigmatizing labels in `text`, searched only in `rare_lines` (see [`Lined::RarePatterns`]).
fn stigmatizing(text: &str, rare_lines: &[Range<usize>], out: &mut Vec<Finding>) {
    for caps in captures_in_lines(&LABEL_PATTERN, text, rare_lines) {
        let Some((index, m)) = (0..LABELS.len()).find_map(|i| caps.name(&format!("l{i}")).map(|m| (i, m))) else {
            continue;
        };
        let label = &LABELS[index];
        {
            if !is_label_use(text, index, &m.range()) {
                continue;
            }
            out.push(Finding::new(
                Rule::Stigmatizing,
                m.range(),
                format!(
                    "Stigmatizing label. {}. Person-first wording such as \u{201c}{}\u{201d} describes the condition, not the person.",
                    label.why, label.replacement
                ),
            ));
        }
    }
}

/// The person-first replacement for a stigmatizing match, keeping articles and grammar where it
/// can; `None` when the rewrite needs a person.
pub fn person_first(written: &str, next_words: &[&str]) -> Option<String> {
    let lower = written.to_lowercase();
    let article = if lower.starts_with("an ") || lower.starts_with("a ") {
        "a "
    } else if lower.starts_with("the ") {
        "the "
    } else {
        ""
    };
    let plural = lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("abuse");
    let people = |singular: &str, plural_form: &str| {
        if plural && article.is_empty() {
            plural_form.to_string()
        } else {
            format!("{}{singular}", if article.is_empty() { "" } else { article })
        }
    };
    let text = if lower.contains("addict") {
        people(
            "person with a substance use disorder", "people with a substance use disorder",
        )
    } else if lower.contains("abuser")
        || ["junk", "crack", "drugg", "dope", "tweak", "pillh", "poth"]
            .iter()
            .any(|w| lower.contains(w))
    {
        people("person who uses drugs", "people who use drugs")
    } else if lower.contains("drunk") || lower.contains("booz") {
        people("person with alcohol use disorder", "people with alcohol use disorder")
    } else if lower.ends_with(" abuse") {
        written[..written.len() - " abuse".len()].to_string() + " use"
    } else if lower.contains("alcoholic") {
        people("person with alcohol use disorder", "people with alcohol use disorder")
    } else if lower.contains("diabetic") {
        people("person with diabetes", "people with diabetes")
    } else if let Some(condition) = [
        ("epileptic", "epilepsy"),
        ("schizophrenic", "schizophrenia"),
        ("asthmatic", "asthma"),
        ("psychotic", "psychosis"),
        ("anorexic", "anorexia"),
        ("bulimic", "bulimia"),
        ("hemophiliac", "hemophilia"),
        ("paraplegic", "paraplegia"),
        ("quadriplegic", "quadriplegia"),
    ]
    .iter()
    .find(|(label, _)| lower.contains(label))
    .map(|(_, condition)| *condition)
    {
        people(&format!("person with {condition}"), &format!("people with {condition}"))
    } else if lower == "the mentally ill" {
        "people with mental illness".to_string()
    } else if lower == "the disabled" || lower == "the handicapped" {
        "people with disabilities".to_string()
    } else if lower.contains("obese") {
        let noun = lower.rsplit(' ').next().unwrap_or("patient");
        let severe = if lower.contains("morbidly") || lower.contains("severely") {
            "severe "
        } else {
            ""
        };
        let article = if article.is_empty() { "" } else { "a " };
        format!("{article}{noun} with {severe}obesity")
    } else if lower.starts_with("non") && lower.ends_with("compliance") {
        "nonadherence".to_string()
    } else if lower.starts_with("non") {
        match next_words.first() {
            Some(w) if w.eq_ignore_ascii_case("with") => "not taking".to_string(),
            _ => "not taking the medication as prescribed".to_string(),
        }
    } else if lower.starts_with("drug") {
        if lower.ends_with("seeker") || lower.ends_with("seekers") {
            people("person asking for pain medication", "people asking for pain medication")
        } else {
            "asking for pain medication".to_string()
        }
    } else if lower.starts_with("suffer") || lower.starts_with("afflicted") || lower.starts_with("stricken") {
        match lower.split(' ').next() {
            Some("suffered") => "had".to_string(),
            Some("suffering") => "having".to_string(),
            Some("suffer") => "have".to_string(),
            _ => "has".to_string(),
        }
    } else if lower.contains("wheelchair") {
        "uses a wheelchair".to_string()
    } else if lower.contains("retard") {
        "with an intellectual disability".to_string()
    } else if lower.starts_with("sickler") {
        people("person with sickle cell disease", "people with sickle cell disease")
    } else if lower.starts_with("dirty") {
        "positive urine drug screen".to_string()
    } else if lower.starts_with("clean") {
        "negative urine drug screen".to_string()
    } else if lower.contains("claim") || lower.contains("insist") {
        let subject = written.split(' ').next().unwrap_or("");
        let past = lower.ends_with("ed");
        format!("{subject} {}", if past { "reported" } else { "reports" })
    } else {
        return None;
    };
    Some(text)
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&SLURS);
    std::sync::LazyLock::force(&INSULTS);
    std::sync::LazyLock::force(&INSULT_NOUNS);
    std::sync::LazyLock::force(&LAUGHTER);
    std::sync::LazyLock::force(&MOCKING);
    std::sync::LazyLock::force(&SHOUTING);
    std::sync::LazyLock::force(&LABEL_PATTERN);
}

#[cfg(test)]
mod tests {
    use crate::engine::rules::found;
    use crate::engine::Rule;

    #[test]
    fn the_guidance_example_note_is_derogatory() {
        let note = "Stupid patient doesn't understand she has to LOSE WEIGHT before we can operate on her";
        assert_eq!(found(note, Rule::Derogatory), vec!["Stupid", "LOSE WEIGHT"]);
    }

    #[test]
    fn slurs_laughter_and_mockery() {
        assert_eq!(found("Another gomer in bed 4.", Rule::Derogatory), vec!["gomer"]);
        assert_eq!(
            found("Our frequent flyer is back again.", Rule::Derogatory),
            vec!["frequent flyer"]
        );
        assert_eq!(
            found("She came in with a fork in her ear lol", Rule::Derogatory),
            vec!["lol"]
        );
        assert_eq!(
            found("The guy reeked and the patient was a whale.", Rule::Derogatory),
            vec!["reeked", "whale"]
        );
        assert_eq!(
            found("The idiot in bed 3 pulled his line.", Rule::Derogatory),
            vec!["idiot"]
        );
        assert_eq!(found("Honestly, she is so lazy.", Rule::Derogatory), vec!["lazy"]);
    }

    #[test]
    fn ordinary_words_are_not_derogatory() {
        for text in [
            "I felt stupid for missing the diagnosis.",
            "Use your frequent flyer miles for the conference.",
            "We watched whales on the day off.",
            "The ECG showed ST ELEVATION in V1.",
            "PT IS A 45 YO MAN WITH CHEST PAIN. HR 110.",
            "Psycho/social: family coping.",
            "Had FAMILY MEETING with wife. CODE STATUS discussed. Pt on KVO IVF, NEURO CHECKS stable.",
            "Plan: FAMILY MEETING at 11am to discuss the patient's condition.",
            "He has KVO IVF running through the side port.",
            "See the flow sheet.\nCODE STATUS: after discussion with the family, DNR.",
            "Gross hematuria was present.",
            "The patient had gross hematuria and a lazy eye.",
            "I felt like an idiot.",
            "She was crazy busy at work.",
            "lol what a week at the conference",
        ] {
            assert_eq!(found(text, Rule::Derogatory), Vec::<String>::new(), "in {text:?}");
        }
    }

    #[test]
    fn stigmatizing_labels() {
        assert_eq!(found("He is an addict.", Rule::Stigmatizing), vec!["an addict"]);
        assert_eq!(
            found("A history of substance abuse.", Rule::Stigmatizing),
            vec!["substance abuse"]
        );
        assert_eq!(
            found("The diabetic was seen.", Rule::Stigmatizing),
            vec!["The diabetic"]
        );
        assert_eq!(
            found("She was noncompliant with insulin.", Rule::Stigmatizing),
            vec!["noncompliant"]
        );
        assert_eq!(
            found("An obese patient with pain.", Rule::Stigmatizing),
            vec!["An obese patient"]
        );
        assert_eq!(found("He suffers from COPD.", Rule::Stigmatizing), vec!["suffers from"]);
        assert_eq!(
            found("Labelled drug-seeking in triage.", Rule::Stigmatizing),
            vec!["drug-seeking"]
        );
    }

    #[test]
    fn adjectives_and_clinical_terms_are_not_labels() {
        for text in [
            "A diabetic foot ulcer.",
            "Alcoholic cirrhosis and diabetic ketoacidosis.",
            "The diabetic clinic opens at nine.",
            "She has type 2 diabetes.",
            "Substance use disorder, in remission.",
        ] {
            assert_eq!(found(text, Rule::Stigmatizing), Vec::<String>::new(), "in {text:?}");
        }
    }

    #[test]
    fn person_first_replacements() {
        use super::person_first;
        assert_eq!(
            person_first("an addict", &[]).unwrap(),
            "a person with a substance use disorder"
        );
        assert_eq!(
            person_first("addicts", &[]).unwrap(),
            "people with a substance use disorder"
        );
        assert_eq!(person_first("substance abuse", &[]).unwrap(), "substance use");
        assert_eq!(person_first("The diabetic", &[]).unwrap(), "the person with diabetes");
        assert_eq!(person_first("An obese patient", &[]).unwrap(), "a patient with obesity");
        assert_eq!(person_first("noncompliant", &["with"]).unwrap(), "not taking");
        assert_eq!(person_first("suffered from", &[]).unwrap(), "had");
    }
}
