//! The fuzz targets' properties (fuzz/), run with bounded cases in every `cargo test`:
//! incremental edits keep `DocumentStore` in step with a plain `String` model; the engine's spans
//! lie on character boundaries inside the text; "de-identify document" is idempotent, touches only
//! flagged text and leaves no safe fix. 256 cases each; set `PROPTEST_CASES` for more.
//!
//! The properties themselves live in `fuzz/src/properties.rs`, shared with the fuzz targets so
//! that both check exactly the same thing.

#[path = "../fuzz/src/properties.rs"]
mod properties;

use proptest::prelude::*;
use proptest::test_runner::Config;
use scrubs::engine::Format;
use scrubs::position::{LineCol, PositionEncoding};

use properties::{Batch, ChangeSpec, EditSession, PIECES};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text from the awkward pieces and any characters, sometimes repeated past a rope chunk.
fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    (
        prop::collection::vec(piece, 0..max_pieces),
        prop_oneof![6 => Just(1usize), 1 => 2usize..80],
    )
        .prop_map(|(pieces, times)| pieces.concat().repeat(times))
}

fn coord() -> impl Strategy<Value = u32> {
    prop_oneof![6 => 0u32..16, 2 => 0u32..256, 1 => any::<u32>()]
}

fn position() -> impl Strategy<Value = LineCol> {
    (coord(), coord()).prop_map(|(line, col)| LineCol { line, col })
}

fn change() -> impl Strategy<Value = ChangeSpec> {
    let range = (position(), position(), any::<bool>(), text(6)).prop_map(|(start, other, ordered, text)| {
        // Half the ranges are put in order, so that batches are not all stopped by inverted ones.
        let end = if ordered { start.max(other) } else { other };
        ChangeSpec::Range { start, end, text }
    });
    let insert = (position(), text(6)).prop_map(|(at, text)| ChangeSpec::Range {
        start: at,
        end: at,
        text,
    });
    prop_oneof![5 => range, 3 => insert, 1 => text(12).prop_map(ChangeSpec::Full)]
}

fn session() -> impl Strategy<Value = EditSession> {
    let encoding = prop_oneof![
        Just(PositionEncoding::Utf16),
        Just(PositionEncoding::Utf8),
        Just(PositionEncoding::Utf32)
    ];
    let batch = (-2i32..5, prop::collection::vec(change(), 0..5)).prop_map(|(step, changes)| (step, changes));
    (text(30), encoding, prop::collection::vec(batch, 0..12)).prop_map(|(initial, encoding, batches)| {
        let mut version = 0;
        let batches = batches
            .into_iter()
            .map(|(step, changes)| {
                version += step;
                Batch { version, changes }
            })
            .collect();
        EditSession {
            initial,
            encoding,
            batches,
        }
    })
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Markdown), Just(Format::PlainText)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn incremental_edits_match_a_string_model(session in session()) {
        if let Err(violation) = properties::check_edits(&session) {
            prop_assert!(false, "{}", violation);
        }
    }

    #[test]
    fn engine_spans_lie_on_char_boundaries_inside_the_text(text in text(60), format in format(), style in any::<u8>()) {
        if let Err(violation) = properties::check_engine(&text, format, properties::name_style(style)) {
            prop_assert!(false, "{}\nformat {:?}, text {:?}", violation, format, text);
        }
    }

    #[test]
    fn fix_all_is_idempotent_touches_only_flagged_text_and_leaves_no_safe_fix(
        text in text(60),
        format in format(),
        style in any::<u8>(),
    ) {
        if let Err(violation) = properties::check_fix_all(&text, format, properties::name_style(style)) {
            prop_assert!(false, "{}\nformat {:?}, text {:?}", violation, format, text);
        }
    }
}

/// Inputs the fuzz targets found, as plain tests: each panicked before the fix its comment names.
#[test]
fn inputs_the_fuzzers_found() {
    use scrubs::engine::NameStyle::Placeholder;
    // engine: a finding just after an em dash made the gender rewrite look for its word one byte
    // into the dash (src/engine/fix/gender.rs, touches_gendered_word).
    for format in [Format::Markdown, Format::PlainText] {
        let result = properties::check_engine("Call\u{2014}555-201-4477 now.", format, Placeholder);
        assert_eq!(result, Ok(()));
    }
    // fix_all: the citation-year test after a name sliced four bytes, ending inside a character
    // (src/engine/rules/names.rs, is_citation).
    for text in ["Mrs. Zo\u{eb} Brown, 72y\u{fffd}", "Mrs. Brown, 123\u{e9} came in."] {
        assert_eq!(properties::check_fix_all(text, Format::PlainText, Placeholder), Ok(()));
    }
    // fix_all: a phone number right after another's last digit was found only once the one
    // before was replaced, so five in a row outlasted the passes (src/engine/rules/contacts.rs,
    // standalone).
    let phones = "(555) 201-4477".repeat(5);
    assert_eq!(
        properties::check_fix_all(&phones, Format::Markdown, Placeholder),
        Ok(())
    );
}

/// The model itself, on the cases `src/position.rs` documents, so that a wrong model cannot make
/// the properties above pass or fail for the wrong reason.
#[test]
fn the_model_follows_the_documented_clamping() {
    use properties::model_offset;
    use PositionEncoding::{Utf16, Utf8};
    let at = |line, col| LineCol { line, col };
    let text = "a🙂é\r\nbc\rd\n";
    // Exact positions: after the emoji is column 3 in UTF-16 and 5 in UTF-8.
    assert_eq!(model_offset(text, at(0, 3), Utf16), (5, true));
    assert_eq!(model_offset(text, at(0, 5), Utf8), (5, true));
    // Half a surrogate pair, and a byte inside `é`, move back to the character's start.
    assert_eq!(model_offset(text, at(0, 2), Utf16), (1, false));
    assert_eq!(model_offset(text, at(0, 6), Utf8), (5, false));
    // Past the end of a line: the line's end, before its `\r\n`.
    assert_eq!(model_offset(text, at(0, 99), Utf16), (7, false));
    assert_eq!(model_offset(text, at(0, 4), Utf16), (7, true));
    // A lone `\r` ends a line; the empty line after the final `\n` exists.
    assert_eq!(model_offset(text, at(2, 0), Utf16), (12, true));
    assert_eq!(model_offset(text, at(3, 0), Utf16), (text.len(), true));
    // Past the last line: the document's end.
    assert_eq!(model_offset(text, at(4, 0), Utf16), (text.len(), false));
    assert_eq!(model_offset("", at(0, 0), Utf16), (0, true));
}
