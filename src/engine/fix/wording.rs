//! Fixes for how a patient is written about: person-first wording for stigmatizing labels, and
//! removing a derogatory remark. Both change the author's words, so both need review.

use std::ops::Range;

use super::grammar;
use super::Doc;
use crate::engine::finding::{Applicability, Edit, Fix};
use crate::engine::rules::language::person_first;
use crate::engine::text::words_after;

/// The end of the object after "noncompliant with": up to three words, stopping at punctuation.
fn object_end(doc: &Doc<'_>, from: usize) -> Option<usize> {
    let mut end = None;
    let mut at = from;
    for _ in 0..3 {
        let Some(word) = grammar::next_word(doc.text, at) else {
            break;
        };
        let lower = doc.text[word.clone()].to_lowercase();
        if [
            "and", "but", "because", "since", "so", "despite", "at", "after", "for", "due",
        ]
        .contains(&lower.as_str())
        {
            break;
        }
        end = Some(word.end);
        at = word.end;
    }
    end
}

pub fn stigmatizing(doc: &Doc<'_>, span: &Range<usize>) -> Vec<Fix> {
    let written = &doc.source[span.clone()];
    let next = words_after(doc.text, span.end, 1);
    let Some(replacement) = person_first(written, &next) else {
        return Vec::new();
    };
    let replacement = grammar::match_case(written, &replacement);
    // "noncompliant with insulin" → "not taking insulin as prescribed"
    if replacement.eq_ignore_ascii_case("not taking") {
        if let Some(with) = grammar::next_word(doc.text, span.end) {
            if let Some(end) = object_end(doc, with.end) {
                let object = doc.source[with.end..end].trim();
                return vec![Fix::replace(
                    format!("Say \u{201c}not taking {object} as prescribed\u{201d}"),
                    span.start..end,
                    format!("{replacement} {object} as prescribed"),
                    Applicability::NeedsReview,
                )];
            }
        }
        return Vec::new();
    }
    vec![Fix::replace(
        format!("Say \u{201c}{replacement}\u{201d}"),
        span.clone(),
        replacement,
        Applicability::NeedsReview,
    )]
}

/// Removes the word and one space next to it.
pub fn remove_remark(doc: &Doc<'_>, span: &Range<usize>) -> Vec<Fix> {
    let after = doc.source[span.end..].starts_with(' ');
    let before = doc.source[..span.start].ends_with(' ');
    let range = if after {
        span.start..span.end + 1
    } else if before {
        span.start - 1..span.end
    } else {
        span.clone()
    };
    // "Stupid patient doesn't" → "Patient doesn't": keep the sentence's capital.
    let starts_sentence = grammar::place_of(doc.text, span.start, doc.blocks) == grammar::Place::SentenceStart;
    let rest = &doc.source[range.end..];
    if after && starts_sentence {
        if let Some(first) = rest.chars().next().filter(|c| c.is_lowercase()) {
            return vec![Fix::replace(
                "Remove the remark",
                range.start..range.end + first.len_utf8(),
                first.to_uppercase().collect::<String>(),
                Applicability::NeedsReview,
            )];
        }
    }
    vec![Fix {
        title: "Remove the remark".to_string(),
        edits: vec![Edit {
            span: range,
            replacement: String::new(),
        }],
        applicability: Applicability::NeedsReview,
    }]
}

#[cfg(test)]
mod tests {
    use super::super::tests::apply_titled;
    use crate::engine::Rule;

    #[test]
    fn person_first_wording() {
        assert_eq!(
            apply_titled(
                "She was noncompliant with her insulin, again.",
                Rule::Stigmatizing,
                "Say"
            ),
            "She was not taking her insulin as prescribed, again."
        );
        assert_eq!(
            apply_titled("He is an addict.", Rule::Stigmatizing, "Say"),
            "He is a person with a substance use disorder."
        );
        assert_eq!(
            apply_titled("The diabetic was seen.", Rule::Stigmatizing, "Say"),
            "The person with diabetes was seen."
        );
        assert_eq!(
            apply_titled("An obese patient fell.", Rule::Stigmatizing, "Say"),
            "A patient with obesity fell."
        );
        assert_eq!(
            apply_titled("He suffers from COPD.", Rule::Stigmatizing, "Say"),
            "He has COPD."
        );
    }

    #[test]
    fn remarks_are_removed_keeping_the_capital() {
        let note = "Stupid patient doesn't understand she has to lose weight.";
        assert_eq!(
            apply_titled(note, Rule::Derogatory, "Remove"),
            "Patient doesn't understand she has to lose weight."
        );
    }
}
