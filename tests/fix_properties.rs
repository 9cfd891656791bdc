//! The guarantees of "De-identify document", checked on generated documents: it is idempotent,
//! its edits touch only flagged text, what it leaves re-checks clean of the identifiers it
//! fixes, and its edits survive the trip through UTF-16 and UTF-8 LSP positions.

use proptest::prelude::*;
use scrubs::engine::fix::apply;
use scrubs::engine::{fix_all, Category, Checker, FixContext, Format, NameStyle};
use scrubs::position::{LineIndex, PositionEncoding};

/// Pieces of clinical prose, with and without identifiers, and awkward text.
const FRAGMENTS: &[&str] = &[
    "Maria Lopez", "Ms. Lopez", "Maria's husband", "Dr. Okonkwo", "a 45-year-old woman", "A 94-year-old man", "72yo F",
    "aged 63", "she was 93 and lucid", "on March 3, 2024", "On March 3, she", "3/4/2024", "on Friday, March 8.",
    "call (555) 201-4477", "jane.doe@example.com", "<jdoe@example.org>", "MRN 4478123", "SSN 123-45-6789",
    "in Dayton, Ohio", "at St. Mary's Medical Center", "42 Birch Hollow Road", "BP 120/80", "pain 6/10",
    "Parkinson disease", "Down syndrome", "metformin 500 mg", "in her 40s", "in 2021", "🫀", "naïve café", "**bold**",
    "[link](https://example.org/a)", "<!-- note -->", "- item", "# Heading", "with", "and", "the patient", ".", ",",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "\n", "\r\n", "\n\n", "\t"];

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::sample::select(FRAGMENTS), prop::sample::select(SEPARATORS)),
        0..40,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(fragment, separator)| format!("{fragment}{separator}"))
            .collect()
    })
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Markdown), Just(Format::PlainText)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn fix_all_is_idempotent_and_leaves_no_safe_harbor_findings(text in document(), format in format()) {
        let checker = Checker::default();
        let fixed = fix_all(&checker, &text, format);
        prop_assert_eq!(apply(&text, &fixed.edits), fixed.text.clone());
        let again = fix_all(&checker, &fixed.text, format);
        prop_assert_eq!(&again.text, &fixed.text, "a second run changed the text");
        let left: Vec<String> = checker
            .check(&fixed.text, format)
            .into_iter()
            .filter(|f| f.rule.category() == Category::Phi)
            .map(|f| format!("{} {:?}", f.rule.code(), &fixed.text[f.span]))
            .collect();
        prop_assert!(left.is_empty(), "left after fixing: {:?}\nin {:?}", left, fixed.text);
    }

    #[test]
    fn safe_edits_touch_only_flagged_text(text in document(), format in format()) {
        let findings = Checker::default().check(&text, format);
        let edits = FixContext::new(&text, format, &findings, NameStyle::Placeholder).safe_edits();
        for edit in &edits {
            prop_assert!(text.is_char_boundary(edit.span.start) && text.is_char_boundary(edit.span.end));
            let touches = findings
                .iter()
                .any(|f| edit.span.start <= f.span.end && f.span.start <= edit.span.end);
            prop_assert!(touches, "edit {:?} -> {:?} touches no finding in {:?}", edit.span, edit.replacement, text);
        }
        for pair in edits.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start, "overlapping edits");
        }
    }

    #[test]
    fn edits_survive_lsp_positions_in_both_encodings(text in document(), format in format()) {
        let fixed = fix_all(&Checker::default(), &text, format);
        let index = LineIndex::new(&text);
        for encoding in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            let mut round_tripped = fixed.edits.clone();
            for edit in &mut round_tripped {
                let start = index.position(&text, edit.span.start, encoding);
                let end = index.position(&text, edit.span.end, encoding);
                let (s, _) = index.offset(&text, start, encoding);
                let (e, _) = index.offset(&text, end, encoding);
                edit.span = s..e;
            }
            prop_assert_eq!(&round_tripped, &fixed.edits);
        }
    }
}
