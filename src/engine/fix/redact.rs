//! Redactions for numbers, contacts, addresses and places: a typed placeholder (`[phone]`) that
//! keeps the sentence readable, or removing the identifier with the words that label it.

use std::ops::Range;

use super::grammar;
use super::Doc;
use crate::engine::finding::{Applicability, Edit, Fix};
use crate::engine::rules::Rule;

/// Words that only label the identifier after them ("Phone: ...", "MRN # ...", "call ... at").
const LABELS: &[&str] = &[
    "phone", "tel", "telephone", "cell", "mobile", "fax", "call", "text", "email", "e-mail", "mail", "at", "on", "is",
    "mrn", "ssn", "no", "number", "num", "account", "acct", "id", "license", "licence", "plate", "vin", "serial", "sn",
    "ip", "address", "zip", "postcode", "handle", "contact", "pager", "beeper", "page", "record", "medical", "member",
    "policy", "insurance", "lives", "via", "website", "site", "blog", "url", "link", "device", "social", "security",
    "twitter", "instagram", "facebook", "tiktok",
];

/// Words that mark a named place as a facility rather than a town.
const FACILITY_WORDS: &[&str] = &[
    "hospital", "center", "centre", "clinic", "school", "university", "college", "church", "infirmary", "hospice",
    "home", "academy", "institute", "company", "inc", "corp", "llc", "plant", "factory", "store", "mall", "prison",
    "jail", "shelter", "station", "base", "office", "department", "hall", "library", "restaurant", "hotel", "farm",
];

/// The placeholder for a redacted identifier of this kind.
pub fn placeholder(rule: Rule, written: &str) -> &'static str {
    match rule {
        Rule::Phone => "[phone]",
        Rule::Email => "[email]",
        Rule::Url => "[link]",
        Rule::Ip => "[IP address]",
        Rule::Social => "[handle]",
        Rule::Ssn => "[SSN]",
        Rule::Vehicle => "[vehicle ID]",
        Rule::Device => "[serial number]",
        Rule::Zip => "[ZIP]",
        Rule::Address => "[address]",
        Rule::Location => {
            let lower = written.to_lowercase();
            if lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| FACILITY_WORDS.contains(&w))
            {
                "[facility]"
            } else {
                "[place]"
            }
        }
        _ => "[ID]",
    }
}

/// The span plus the label words just before it on the same line, and the space before those.
fn with_label(doc: &Doc<'_>, span: &Range<usize>) -> Range<usize> {
    let mut start = span.start;
    for _ in 0..4 {
        let before = doc.text[..start].trim_end_matches([' ', '\t', ':', '#']);
        let Some(word) = grammar::prev_word(doc.text, before.len()).filter(|w| w.end == before.len()) else {
            break;
        };
        let lower = doc.text[word.clone()].to_lowercase();
        if !LABELS.contains(&lower.as_str()) {
            break;
        }
        start = word.start;
    }
    let spaces = doc.text[..start].len() - doc.text[..start].trim_end_matches([' ', '\t']).len();
    let leading_punctuation = doc.text[..start - spaces].ends_with(['(', '\n']) || start - spaces == 0;
    let start = if leading_punctuation { start } else { start - spaces };
    // "today, MRN 4455667, stable" → "today, stable": one of the two commas goes too.
    let comma_after = doc.text[span.end..].starts_with(',') && doc.text[..start].trim_end().ends_with(',');
    start..span.end + usize::from(comma_after)
}

pub fn fixes(doc: &Doc<'_>, rule: Rule, span: &Range<usize>) -> Vec<Fix> {
    let written = &doc.source[span.clone()];
    // An autolink `<jane@example.com>` goes with its brackets.
    let span = &if doc.source[..span.start].ends_with('<') && doc.source[span.end..].starts_with('>') {
        span.start - 1..span.end + 1
    } else {
        span.clone()
    };
    let placeholder = placeholder(rule, written);
    let mut fixes = vec![Fix::replace(
        format!("Replace with {placeholder}"),
        span.clone(),
        placeholder,
        Applicability::Safe,
    )];
    let phrase = with_label(doc, span);
    if phrase.start < span.start || rule != Rule::Location {
        // The title never quotes the identifier: titles end up in JSON output and CI logs.
        let title = if phrase.start < span.start {
            "Remove it, with the words that introduce it"
        } else {
            "Remove it"
        };
        fixes.push(Fix {
            title: title.to_string(),
            edits: vec![Edit {
                span: phrase,
                replacement: String::new(),
            }],
            applicability: Applicability::NeedsReview,
        });
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::super::tests::{apply_titled, first_fix};
    use crate::engine::Rule;

    #[test]
    fn placeholders_name_the_kind() {
        assert_eq!(
            first_fix("Call 555-201-4477 today.", Rule::Phone),
            "Call [phone] today."
        );
        assert_eq!(
            first_fix("Mail <jane@example.com> now.", Rule::Email),
            "Mail [email] now."
        );
        assert_eq!(
            first_fix("She lives at 12 Oak Street in town.", Rule::Address),
            "She lives at [address] in town."
        );
        assert_eq!(
            first_fix("Admitted to St. Mary's Medical Center overnight.", Rule::Location),
            "Admitted to [facility] overnight."
        );
    }

    #[test]
    fn removing_takes_the_label_too() {
        let text = "Seen today, MRN: 4455667, stable.";
        assert_eq!(apply_titled(text, Rule::Id, "Remove"), "Seen today, stable.");
        let text = "Reach her at 555-201-4477.";
        assert_eq!(apply_titled(text, Rule::Phone, "Remove"), "Reach her.");
    }
}
