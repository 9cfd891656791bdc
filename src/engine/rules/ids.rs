//! Identifying numbers: `phi/ssn`, `phi/id` (medical record, account, health plan, licence and
//! other codes), `phi/vehicle` (plates, VINs), `phi/device` (serial numbers).
//!
//! Numbers are only identifiers with a context word ("MRN", "account", "plate", "serial") or when
//! their shape gives them away (an SSN's 3-2-4 digits, a 17-character VIN, a long code mixing
//! letters and digits, eight or more digits in a row). Lab values and doses never have that shape.

use crate::engine::rules::scans::{CODE_SOURCE, CONTEXT_ID_SOURCE, SSN_SOURCE, VIN_SOURCE};
use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::{captures_in_lines, in_lines, Pattern};

use crate::engine::finding::{Finding, Severity};
use crate::engine::rules::{Gates, Lined, Rule};
use crate::engine::text::{char_at, char_before, context_before};
use crate::engine::Context;

static SSN: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(SSN_SOURCE));

/// SSNs written with spaces or no separators, after an SSN word.
static SSN_CONTEXT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::with_prefilter(r"(?i)(?-u:\b)(?:ssn|social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?|ss#)[ \t:#.]*(?P<id>[0-9]{3}[ \t]?[0-9]{2}[ \t]?[0-9]{4})(?-u:\b)")
        .expect("ssn context pattern")
});

/// A context word, then the identifier ([`CONTEXT_ID_SOURCE`]).
pub(crate) static CONTEXT_ID: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(CONTEXT_ID_SOURCE));

/// 17 letters and digits: a vehicle identification number.
static VIN: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(VIN_SOURCE));

/// Tokens with five or more digits: codes mixing letters and digits (`UA779341905`,
/// `SN-5635785-K27`) and long digit runs. Requiring the digits in the pattern keeps ordinary words
/// from ever reaching the checks below.
static CODE: LazyLock<Pattern> = LazyLock::new(|| Pattern::prebuilt(CODE_SOURCE));

/// `gates` says where the patterns searched line by line match.
pub(crate) fn check(ctx: &Context<'_>, gates: &Gates, out: &mut Vec<Finding>) {
    let text = ctx.text;
    for m in in_lines(&SSN, text, gates.lines(Lined::Ssn)) {
        if !hyphen_chain(text, m.range()) {
            out.push(ssn(m.range()));
        }
    }
    for caps in SSN_CONTEXT.captures_iter(text) {
        if let Some(id) = caps.name("id") {
            out.push(ssn(id.range()));
        }
    }
    for caps in captures_in_lines(&CONTEXT_ID, text, gates.lines(Lined::RecordNumber)) {
        let Some(id) = caps.name("id") else { continue };
        let span = trim_id(text, id.range());
        let token = &text[span.clone()];
        let digits = token.chars().filter(char::is_ascii_digit).count();
        let (rule, what, min_digits) = if caps.name("vehicle").is_some() {
            (Rule::Vehicle, "Licence plate or VIN", 1)
        } else if caps.name("device").is_some() {
            (Rule::Device, "Device serial number", 2)
        } else {
            let word = caps.name("record").map_or("", |w| w.as_str()).to_ascii_lowercase();
            // Short context words ("id", "case", "group") need a longer number behind them.
            let generic = matches!(
                word.as_str(),
                "id" | "case" | "group" | "record" | "chart" | "member" | "visit"
            );
            (Rule::Id, "Identifying number", if generic { 4 } else { 3 })
        };
        let decimal = token
            .as_bytes()
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
        if digits >= min_digits && token.len() >= 3 && !decimal {
            out.push(identifier(rule, span, what));
        }
    }
    for m in in_lines(&VIN, text, gates.lines(Lined::Vin)) {
        let s = m.as_str();
        if s.chars().any(|c| c.is_ascii_alphabetic()) && s.chars().filter(char::is_ascii_digit).count() >= 3 {
            out.push(identifier(
                Rule::Vehicle,
                m.range(),
                "Vehicle identification number (VIN)",
            ));
        }
    }
    for m in in_lines(&CODE, text, gates.lines(Lined::Code)) {
        let s = m.as_str();
        if s.contains("--") {
            continue;
        }
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let letters = s.chars().filter(char::is_ascii_alphabetic).count();
        let long_number = letters == 0 && !s.contains('-') && digits >= 8 && !part_of_decimal(text, m.range());
        // A code carries a run of five digits or more (`UA779341905`, `SN-5635785-K27`); ranges
        // and settings with units (`120-130s`, `AC700X10`, `Vt400-500`) do not.
        let longest_run = s.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
        let mixed_code = letters >= 1 && longest_run >= 5 && s.len() >= 6;
        if long_number || mixed_code {
            let rule = if s.to_ascii_uppercase().starts_with("SN") {
                Rule::Device
            } else {
                Rule::Id
            };
            out.push(
                identifier(rule, m.range(), "Code or long number").with_severity(if long_number && digits < 9 {
                    Severity::Warning
                } else {
                    Severity::Error
                }),
            );
        }
    }
}

fn ssn(span: Range<usize>) -> Finding {
    Finding::new(
        Rule::Ssn,
        span.clone(),
        "Social Security number: it identifies a person directly (HIPAA Safe Harbor). Remove it.",
    )
}

fn identifier(rule: Rule, span: Range<usize>, what: &str) -> Finding {
    Finding::new(
        rule,
        span.clone(),
        format!("{what}: numbers like this point to one patient (HIPAA Safe Harbor). Remove it or replace it with [redacted]."),
    )
}

/// `123-45-6789-10` is a longer code, not an SSN.
fn hyphen_chain(text: &str, span: Range<usize>) -> bool {
    let joined =
        |c: Option<char>, next: Option<char>| c == Some('-') && next.is_some_and(|n| n.is_ascii_alphanumeric());
    joined(char_at(text, span.end), char_at(text, span.end + 1))
        || joined(
            char_before(text, span.start),
            span.start.checked_sub(2).and_then(|i| char_at(text, i)),
        )
}

/// Where an identifier written with spaces (`UUM 287`, `8WT H37`) ends: pieces are kept while
/// they carry digits, or are short capitals followed by a piece with digits. `MRN 1234567 PT SEEN`
/// ends after the number.
fn trim_id(text: &str, span: Range<usize>) -> Range<usize> {
    let pieces: Vec<&str> = text[span.clone()].split(' ').collect();
    let has_digit = |p: &str| p.chars().any(|c| c.is_ascii_digit());
    let mut end = span.start;
    for (i, piece) in pieces.iter().enumerate() {
        let short_prefix = piece.len() <= 4 && pieces.get(i + 1).is_some_and(|next| has_digit(next));
        if i > 0 && !(has_digit(piece) || short_prefix) {
            break;
        }
        end += piece.len() + usize::from(i > 0);
    }
    let trimmed = text[span.start..end].trim_end_matches(['.', '-', ' ', '•', '·']);
    span.start..span.start + trimmed.len()
}

fn part_of_decimal(text: &str, span: Range<usize>) -> bool {
    let sep_digit =
        |c: Option<char>, d: Option<char>| matches!(c, Some('.' | ',')) && d.is_some_and(|d| d.is_ascii_digit());
    sep_digit(
        char_before(text, span.start),
        span.start.checked_sub(2).and_then(|i| char_at(text, i)),
    ) || sep_digit(char_at(text, span.end), char_at(text, span.end + 1))
        || context_before(text, span.start, 2, &["$"])
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&SSN);
    std::sync::LazyLock::force(&SSN_CONTEXT);
    std::sync::LazyLock::force(&CONTEXT_ID);
    std::sync::LazyLock::force(&VIN);
    std::sync::LazyLock::force(&CODE);
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
    fn finds_identifying_numbers() {
        for (text, rule, expected) in [
            ("SSN 347-23-7767 on file", Rule::Ssn, "347-23-7767"),
            ("social security number 347 23 7767.", Rule::Ssn, "347 23 7767"),
            ("(MRN 17847876) came", Rule::Id, "17847876"),
            ("MRN: 1234567.", Rule::Id, "1234567"),
            ("Her account number (7003576828) was", Rule::Id, "7003576828"),
            ("Insurance member ID UA779341905.", Rule::Id, "UA779341905"),
            ("Driver's license U4499838, then", Rule::Id, "U4499838"),
            ("clinic (plate UUM 287) complaining", Rule::Vehicle, "UUM 287"),
            ("clinic (plate 786-ADFF) complaining", Rule::Vehicle, "786-ADFF"),
            ("(plate 36J•791) complaining", Rule::Vehicle, "36J•791"),
            (
                "vehicle VIN 12MKFVKD2LV8S4235 involved",
                Rule::Vehicle,
                "12MKFVKD2LV8S4235",
            ),
            (
                "concentrator (serial SN-5635785-K27) hums",
                Rule::Device,
                "SN-5635785-K27",
            ),
            ("pacemaker serial number PJN123456 checked", Rule::Device, "PJN123456"),
            ("Reference 4823019934 appears", Rule::Id, "4823019934"),
        ] {
            assert_eq!(found(text), vec![(rule, expected.to_string())], "in {text:?}");
        }
    }

    #[test]
    fn leaves_clinical_codes_and_public_words_alone() {
        for text in [
            "HbA1c 7.2%, CA 19-9 was 890 U/mL, ST elevation in V1-V4.",
            "COVID-19 and SARS-CoV-2, BRCA1, HER2, IL-6, CD4 count 350.",
            "the public 12345 health scheme",
            "Platelets 250,000 and WBC 12000.",
            "Epinephrine 1:1000, given 3.14159265 times",
            "group B strep, case 3 of 10",
            "Id 2 ego; ID consult called.",
            "bp ranging 120-130s, AC 700x10, AC700X10, Vt400-500, uop 150-250cc/hr",
            "ID: T MAX 101.4, started on flagyl",
        ] {
            assert_eq!(found(text), Vec::new(), "in {text:?}");
        }
    }
}
