//! `phi/address` (street addresses, PO boxes) and `phi/zip` (ZIP codes and postcodes).
//!
//! A five-digit number is not a ZIP code on its own — treating every one as a ZIP corrupts lab
//! values. A ZIP needs an address around it: a state, a "ZIP" word, a preceding street address,
//! or a street address just before it. Street suffixes are the USPS standard list (Publication 28).

use crate::engine::rules::scans::{POSTCODE_SOURCE, PO_BOX_SOURCE, STREET_SOURCE, ZIP_SOURCE};
use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::{captures_in_lines, in_lines, Pattern};

use crate::engine::finding::Finding;
use crate::engine::rules::{Gates, Lined, Rule};
use crate::engine::text::{is_one_of, words_after};
use crate::engine::Context;

/// `965 Amanda Forges Suite 466`, `12 N. Main St., Apt 3B`, `80783 AMANDA MANORS`. Searched
/// only in the lines where its hint matches ([`Lined::Street`]): it matches no line end. Its
/// automaton is built ahead of time (see [`Pattern::prebuilt`]).
static STREET: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(STREET_SOURCE));

static PO_BOX: LazyLock<Pattern> = LazyLock::new(|| Pattern::with_prefilter(PO_BOX_SOURCE).expect("po box pattern"));

/// ZIP codes in address context, each alternative capturing the code as `zip`.
static ZIP: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(ZIP_SOURCE));

/// UK postcodes (`SW1A 1AA`) and Canadian postal codes (`K1A 0B1`).
static POSTCODE: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(POSTCODE_SOURCE));

/// Words after a 5-digit number that make it a quantity, not a ZIP.
const QUANTITY_AFTER: &[&str] = &[
    "units", "u", "iu", "mg", "mcg", "ml", "cells", "copies", "steps", "patients", "people", "cases", "dollars", "usd",
    "per", "times", "miles", "km", "feet", "meters", "calories", "kcal",
];

/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) {
    let (text, rare) = (ctx.text, gates.lines(Lined::RarePatterns));
    let mut address_ends = Vec::new();
    for m in in_lines(&STREET, text, gates.lines(Lined::Street))
        .filter(|m| !capitals_without_street_word(m.as_str()))
        .chain(in_lines(&PO_BOX, text, rare))
    {
        address_ends.push(m.end());
        out.push(address(m.range()));
    }
    for caps in captures_in_lines(&ZIP, text, rare) {
        let Some(zip) = ["zip1", "zip2", "zip4"].iter().find_map(|n| caps.name(n)) else {
            continue;
        };
        if words_after(text, zip.end(), 1)
            .first()
            .is_some_and(|w| is_one_of(w, QUANTITY_AFTER))
        {
            continue;
        }
        out.push(zip_finding(zip.range()));
    }
    // `12 Main St, Springfield 12345`: a 5-digit number shortly after a street address.
    for end in address_ends {
        let window_end = crate::engine::text::floor_boundary(text, end + 60);
        let line_end = text[end..window_end].find('\n').map_or(window_end, |i| end + i);
        let tail = &text[end..line_end];
        if let Some(m) = FIVE_DIGITS.find(tail) {
            out.push(zip_finding(end + m.start()..end + m.end()));
        }
    }
    for m in in_lines(&POSTCODE, text, gates.lines(Lined::Postcode)) {
        out.push(zip_finding(m.range()));
    }
}

/// In notes written in capitals, `60 AS WELL` or `4 LARGE GREEN` match the street shape; there
/// only an unmistakable street word (`ST`, `AVE`, `ROAD`, `DRIVE`...) makes an address.
fn capitals_without_street_word(address: &str) -> bool {
    const STREET_WORDS: &[&str] = &[
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct",
        "place", "pl", "terrace", "ter", "parkway", "pkwy", "highway", "hwy", "circle", "cir", "way", "trail", "trl",
        "square", "sq", "apt", "suite", "ste", "unit",
    ];
    let letters: Vec<char> = address.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
    all_caps
        && !address
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| STREET_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w)))
}

static FIVE_DIGITS: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?-u:\b)[0-9]{5}(?:-[0-9]{4})?(?-u:\b)").expect("five digits"));

fn address(span: Range<usize>) -> Finding {
    Finding::new(
        Rule::Address,
        span.clone(),
        "Street address: it shows where the patient lives (HIPAA Safe Harbor). Remove it or say \u{201c}at home\u{201d}.",
    )
}

fn zip_finding(span: Range<usize>) -> Finding {
    Finding::new(
        Rule::Zip,
        span.clone(),
        "ZIP code or postcode: it narrows the patient down to a small area (HIPAA Safe Harbor). Remove it.",
    )
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&STREET);
    std::sync::LazyLock::force(&PO_BOX);
    std::sync::LazyLock::force(&ZIP);
    std::sync::LazyLock::force(&POSTCODE);
    std::sync::LazyLock::force(&FIVE_DIGITS);
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format, Rule};

    fn found(text: &str) -> Vec<(Rule, String)> {
        Checker::default()
            .check(text, Format::PlainText)
            .into_iter()
            .map(|f| (f.rule, text[f.span].to_string()))
            .collect()
    }

    #[test]
    fn finds_addresses_and_zip_codes() {
        assert_eq!(
            found("at home on 965 Amanda Forges Suite 466."),
            vec![(Rule::Address, "965 Amanda Forges Suite 466".into())]
        );
        assert_eq!(
            found("Address 3511 Amanda Points Apt. 112, Bowling Green"),
            vec![
                (Rule::Address, "3511 Amanda Points Apt. 112".into()),
                (Rule::Location, "Bowling Green".into())
            ]
        );
        assert_eq!(
            found("lives at 12 N. Main St., Springfield, OH 45501."),
            vec![
                (Rule::Address, "12 N. Main St.".into()),
                (Rule::Location, "Springfield".into()),
                (Rule::Zip, "45501".into())
            ]
        );
        assert_eq!(
            found("at 682 Nash Hills Apt. 021, Port Emmaberg 27233. She"),
            vec![
                (Rule::Address, "682 Nash Hills Apt. 021".into()),
                (Rule::Location, "Port Emmaberg".into()),
                (Rule::Zip, "27233".into())
            ]
        );
        assert_eq!(found("zip code 90210"), vec![(Rule::Zip, "90210".into())]);
        assert_eq!(found("PO Box 1234, then"), vec![(Rule::Address, "PO Box 1234".into())]);
        assert_eq!(
            found("moved to SW1A 1AA last year"),
            vec![(Rule::Zip, "SW1A 1AA".into())]
        );
        assert_eq!(found("postal code K1A 0B1"), vec![(Rule::Zip, "K1A 0B1".into())]);
        assert_eq!(
            found("80783 AMANDA MANORS SUITE 948"),
            vec![(Rule::Address, "80783 AMANDA MANORS SUITE 948".into())]
        );
    }

    #[test]
    fn leaves_five_digit_measurements_alone() {
        for text in [
            "WBC 12000, platelets 15000 today",
            "Heparin 25000 units over 24 hours",
            "Walked 10000 steps, Troponin 12345",
            "Given 2 Tylenol tablets and 3 Advil Gel caps",
            "Stage 4 Lung cancer",
            "DOPA FOR MAP>60 AS WELL AS IVF. 4 LARGE THICK LIQ GREEN STOOLS",
        ] {
            assert_eq!(found(text), Vec::new(), "in {text:?}");
        }
    }
}
