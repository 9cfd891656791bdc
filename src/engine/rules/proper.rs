//! Shared machinery for names and places: words, their shapes, sentence starts, and runs of
//! capitalised words ("proper-noun phrases") such as `Maria García-López` or `St. Mary's Medical
//! Center`.

use std::ops::Range;

use crate::engine::text::is_word_char;
use crate::engine::Context;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `Maria`, `McDonald`, `O'Brien`
    Title,
    /// `MARIA`, `ICU`
    Upper,
    /// `maria`, `the`
    Lower,
}

#[derive(Debug, Clone)]
pub struct Word {
    /// The word without a possessive `'s`.
    pub span: Range<usize>,
    pub shape: Shape,
    /// The word had a possessive `'s` (or `'`) after it.
    pub possessive: bool,
    /// First word of a sentence, heading, list item or paragraph.
    pub sentence_start: bool,
    /// Followed by a period (an initial, an abbreviation, or the end of a sentence).
    pub period_after: bool,
}

impl Word {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.clone()]
    }
}

/// The character at byte `at` of `text` (a char boundary) and its length in bytes.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

/// Whether the character at byte `at` is a letter: ASCII bytes are answered without decoding.
fn letter_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(b) if b.is_ascii() => b.is_ascii_alphabetic(),
        Some(_) => char_at(text, at).is_some_and(char::is_alphabetic),
        None => false,
    }
}

/// The end of the run of ASCII letters that starts at byte `at` of `bytes` (`at` itself when
/// none starts there). Eight bytes are tested at a time: in prose most words end within the first
/// eight, and testing byte by byte was a third of the time [`words`] took.
#[inline]
pub(crate) fn ascii_letters_from(bytes: &[u8], mut at: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn each(byte: u8) -> u64 {
        u64::from_le_bytes([byte; 8])
    }
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight);
        // An ASCII byte is a letter when, without its case bit (0x20), it lies in `A..=Z`.
        // Without the case bit and the high bit, each byte is at most 0x5f, so adding 0x3f (or
        // 0x25) sets its high bit exactly when it is at least `A` (or past `Z`), and no sum
        // carries into the next byte.
        let folded = x & each(0x5f);
        let from_a = folded + each(0x80 - b'A');
        let past_z = folded + each(0x80 - b'Z' - 1);
        let letters = from_a & !past_z & !x & HIGH;
        if letters != HIGH {
            return at + ((!letters & HIGH).trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
        at += 1;
    }
    at
}

/// Splits `text` into words: letters, with inner hyphens and apostrophes (`García-López`,
/// `O'Brien`). A trailing possessive `'s` is noted and left out of the span.
pub fn words(ctx: &Context<'_>) -> Vec<Word> {
    let text = ctx.text;
    let bytes = text.as_bytes();
    let mut block_starts = ctx.blocks.iter().map(|b| b.start).peekable();
    let mut words = Vec::with_capacity(text.len() / 6);
    let mut last_end = 0usize;
    let mut after_abbreviation = false;
    let mut end_of_title = false;
    let mut i = 0usize;
    while i < bytes.len() {
        // Skip to the next letter; ASCII bytes without decoding.
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphabetic() {
                i += 1;
                continue;
            }
        } else {
            let Some(c) = char_at(text, i) else { break };
            if !c.is_alphabetic() {
                i += c.len_utf8();
                continue;
            }
        }
        // A block that started since the previous word (even inside it) makes this word start a
        // sentence.
        let mut pending_block_start = false;
        while block_starts.peek().is_some_and(|&b| b <= i) {
            block_starts.next();
            pending_block_start = true;
        }
        let start = i;
        let mut end = i;
        loop {
            end = ascii_letters_from(bytes, end);
            let Some(&b) = bytes.get(end) else { break };
            if b.is_ascii() {
                // Inner hyphen or apostrophe followed by a letter: part of the word.
                if (b == b'-' || b == b'\'') && letter_at(text, end + 1) {
                    end += 1;
                    continue;
                }
                break;
            }
            let Some(d) = char_at(text, end) else { break };
            if d.is_alphabetic() || d == '\u{0301}' || d == '\u{0308}' {
                end += d.len_utf8();
                continue;
            }
            if d == '\u{2019}' && letter_at(text, end + d.len_utf8()) {
                end += d.len_utf8();
                continue;
            }
            break;
        }
        i = end;
        // Read as bytes where ASCII answers: most words are lower-case, follow a single space
        // and end in neither `s` nor a period.
        let mut span = start..end;
        let mut possessive = false;
        // Both kinds of possessive end in `s` (an ASCII byte, never the end of a wider
        // character): `'s` and `’s`, with more than one character before them.
        if matches!(bytes[end - 1], b's' | b'S') {
            if end - start > 3 && bytes[end - 2] == b'\'' {
                span.end -= 2;
                possessive = true;
            } else if end - start > 5 && bytes[end - 4..end - 1] == *"\u{2019}".as_bytes() {
                span.end -= 4;
                possessive = true;
            } else {
                possessive = bytes[end..].starts_with(b"'") || bytes[end..].starts_with("\u{2019}".as_bytes());
            }
        }
        let shape = if bytes[start].is_ascii_lowercase() {
            Shape::Lower
        } else {
            shape_of(&text[span.clone()])
        };
        // `Dr. Smith`, `St. Louis`: the abbreviation's period does not end the sentence.
        // `Dr.King`: a title's period before a word without a space between does the same.
        let continues_abbreviation = after_abbreviation
            && (&bytes[last_end..span.start] == b". " || &bytes[last_end..span.start] == b"." && end_of_title);
        let sentence_start =
            pending_block_start || (starts_sentence(text, last_end, span.start) && !continues_abbreviation);
        let period_after = bytes.get(end) == Some(&b'.');
        after_abbreviation = period_after && is_abbreviation(&text[span.clone()]);
        end_of_title = after_abbreviation && text[span.clone()].chars().nth(1).is_some();
        last_end = end;
        words.push(Word {
            span,
            shape,
            possessive,
            sentence_start,
            period_after,
        });
    }
    words
}

/// The shape of `word` (for any word; [`words`] decides the most common ones, starting with a
/// lower-case ASCII letter, before calling it).
fn shape_of(word: &str) -> Shape {
    let bytes = word.as_bytes();
    if word.is_ascii() {
        if !bytes.first().is_some_and(u8::is_ascii_uppercase) {
            return Shape::Lower;
        }
        let mut letters = 0;
        let mut all_upper = true;
        for b in bytes.iter().filter(|b| b.is_ascii_alphabetic()) {
            letters += 1;
            all_upper &= b.is_ascii_uppercase();
        }
        return if letters >= 2 && all_upper {
            Shape::Upper
        } else {
            Shape::Title
        };
    }
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    if !first.is_uppercase() {
        return Shape::Lower;
    }
    let mut letters = 0;
    let mut all_upper = true;
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        all_upper &= c.is_uppercase();
    }
    if letters >= 2 && all_upper {
        Shape::Upper
    } else {
        Shape::Title
    }
}

/// Whether the text between the previous word and this one ends a sentence: a terminator, a
/// blank line, or the start of the text.
#[inline]
fn starts_sentence(text: &str, previous_end: usize, start: usize) -> bool {
    // Most words follow the previous one after a single space.
    if previous_end != 0 && start == previous_end + 1 && text.as_bytes()[previous_end] == b' ' {
        return false;
    }
    if previous_end == 0 && text[..start].chars().all(|c| !is_word_char(c)) {
        return true;
    }
    let gap = &text[previous_end..start];
    if gap.is_ascii() {
        // The same test on bytes: the non-ASCII terminators cannot occur, and `trim` removes
        // exactly these ASCII bytes.
        let bytes = gap.as_bytes();
        let is_space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
        if bytes.iter().filter(|&&b| b == b'\n').count() >= 2 {
            return true;
        }
        let terminator = bytes
            .iter()
            .any(|b| matches!(b, b'.' | b'!' | b'?' | b':' | b';' | b'|' | b'"' | b'('));
        return terminator && bytes.iter().rev().find(|b| !is_space(b)) != Some(&b',');
    }
    let blank_line = gap.matches('\n').count() >= 2;
    let terminator = gap.trim().chars().any(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | ';' | '\u{2022}' | '|' | '"' | '\u{201c}' | '(' | '\u{2014}'
        )
    }) && !gap.trim().ends_with(',');
    blank_line || terminator
}

/// Lower-case connectors inside names: `Ludwig van Beethoven`, `María de la Cruz`.
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "bin", "ibn", "al",
    "el", "ben", "y", "st",
];

/// A run of capitalised words that may name a person, place or organisation.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// Indices into the word list, in order (particles included).
    pub words: Range<usize>,
    pub span: Range<usize>,
}

/// Groups capitalised words separated only by single spaces (or an initial's period, or a
/// name particle) into phrases. A possessive ends a phrase unless the next word is capitalised
/// (`St. Mary's Medical Center`).
pub fn phrases(text: &str, words: &[Word]) -> Vec<Phrase> {
    // Prose has a capitalised run every dozen words or so; growing the list from empty cost
    // more than its phrases.
    let mut phrases = Vec::with_capacity(words.len() / 8);
    let mut i = 0;
    while i < words.len() {
        if words[i].shape == Shape::Lower {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < words.len() {
            let (prev, next) = (&words[end - 1], &words[end]);
            let gap = &text[prev.span.end..next.span.start];
            let gap_ok = matches!(gap, " " | "'s " | "\u{2019}s ")
                || (prev.period_after && gap == ". " && is_abbreviation(prev.text(text)))
                || (prev.period_after
                    && gap == "."
                    && prev.text(text).chars().nth(1).is_some()
                    && is_abbreviation(prev.text(text)))
                || (prev.possessive && matches!(gap, "' "));
            if !gap_ok || next.sentence_start && !prev.period_after {
                break;
            }
            if next.shape == Shape::Lower {
                // Particles join only when a capitalised word follows them: `María de la Cruz`.
                let mut k = end;
                while k < words.len() && words[k].shape == Shape::Lower && is_particle(words[k].text(text)) {
                    if &text[words[k - 1].span.end..words[k].span.start] != " " {
                        break;
                    }
                    k += 1;
                }
                let closes = k < words.len()
                    && k > end
                    && words[k].shape != Shape::Lower
                    && &text[words[k - 1].span.end..words[k].span.start] == " ";
                if !closes {
                    break;
                }
                end = k;
            }
            end += 1;
        }
        phrases.push(Phrase {
            words: start..end,
            span: words[start].span.start..words[end - 1].span.end,
        });
        i = end;
    }
    phrases
}

fn is_particle(word: &str) -> bool {
    NAME_PARTICLES.contains(&word)
}

/// Initials and abbreviations whose period does not end a sentence inside a name or place.
/// A person's title counts in capitals as well (`DR. SMITH`: notes are often written in them);
/// `ST.` and `MT.` in capitals do not, as they are as often sinus tachycardia or a sentence's end.
pub fn is_abbreviation(word: &str) -> bool {
    word.chars().count() == 1 && word.chars().all(char::is_uppercase)
        || matches!(
            word,
            "St" | "Mt" | "Ft" | "Dr" | "Mr" | "Mrs" | "Ms" | "Mx" | "Jr" | "Sr" | "Prof" | "Rev" | "Hon" | "Drs"
        )
        || matches!(word, "DR" | "MR" | "MRS" | "MS" | "MX" | "PROF" | "REV" | "DRS")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::markup::{prepare, Format};
    use proptest::prelude::{prop, prop_assert_eq, Strategy};

    /// The first, character-by-character version of [`words`], kept as the oracle that the
    /// byte-level version must agree with.
    mod reference {
        use super::super::{is_abbreviation, Shape, Word};
        use crate::engine::text::is_word_char;
        use crate::engine::Context;

        fn is_apostrophe(c: char) -> bool {
            c == '\'' || c == '\u{2019}'
        }

        /// Splits `text` into words: letters, with inner hyphens and apostrophes (`García-López`,
        /// `O'Brien`). A trailing possessive `'s` is noted and left out of the span.
        pub fn words(ctx: &Context<'_>) -> Vec<Word> {
            let text = ctx.text;
            let mut block_starts = ctx.blocks.iter().map(|b| b.start).peekable();
            let mut words = Vec::new();
            let mut chars = text.char_indices().peekable();
            let mut pending_block_start = false;
            let mut last_end = 0usize;
            let mut after_abbreviation = false;
            let mut title_before = false;
            while let Some(&(i, c)) = chars.peek() {
                while block_starts.peek().is_some_and(|&b| b <= i) {
                    block_starts.next();
                    pending_block_start = true;
                }
                if !c.is_alphabetic() {
                    chars.next();
                    continue;
                }
                let start = i;
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphabetic() || d == '\u{0301}' || d == '\u{0308}' {
                        end = j + d.len_utf8();
                        chars.next();
                        continue;
                    }
                    // Inner hyphen or apostrophe followed by a letter: part of the word.
                    if d == '-' || is_apostrophe(d) {
                        let after = text[j + d.len_utf8()..].chars().next();
                        if after.is_some_and(char::is_alphabetic) {
                            end = j + d.len_utf8();
                            chars.next();
                            continue;
                        }
                    }
                    break;
                }
                let mut span = start..end;
                let mut possessive = false;
                let raw = &text[span.clone()];
                for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
                    if raw.len() > suffix.len() + 1 && raw.ends_with(suffix) {
                        span.end -= suffix.len();
                        possessive = true;
                        break;
                    }
                }
                if !possessive && text[end..].starts_with(['\'', '\u{2019}']) && raw.ends_with(['s', 'S']) {
                    possessive = true;
                }
                let word_text = &text[span.clone()];
                let shape = shape_of(word_text);
                // `Dr. Smith`, `St. Louis`: the abbreviation's period does not end the sentence.
                let gap = &text[last_end..span.start];
                let continues_abbreviation = after_abbreviation && (gap == ". " || gap == "." && title_before);
                let sentence_start =
                    pending_block_start || (starts_sentence(text, last_end, span.start) && !continues_abbreviation);
                pending_block_start = false;
                let period_after = text[end..].starts_with('.');
                after_abbreviation = period_after && is_abbreviation(word_text);
                title_before = after_abbreviation && word_text.chars().count() > 1;
                last_end = end;
                words.push(Word {
                    span,
                    shape,
                    possessive,
                    sentence_start,
                    period_after,
                });
            }
            words
        }

        fn shape_of(word: &str) -> Shape {
            let mut chars = word.chars();
            let first = chars.next().unwrap_or(' ');
            if !first.is_uppercase() {
                return Shape::Lower;
            }
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
                Shape::Upper
            } else {
                Shape::Title
            }
        }

        /// Whether the text between the previous word and this one ends a sentence: a terminator, a
        /// blank line, or the start of the text.
        fn starts_sentence(text: &str, previous_end: usize, start: usize) -> bool {
            if previous_end == 0 && text[..start].chars().all(|c| !is_word_char(c)) {
                return true;
            }
            let gap = &text[previous_end..start];
            let blank_line = gap.matches('\n').count() >= 2;
            let terminator = gap.trim().chars().any(|c| {
                matches!(
                    c,
                    '.' | '!' | '?' | ':' | ';' | '\u{2022}' | '|' | '"' | '\u{201c}' | '(' | '\u{2014}'
                )
            }) && !gap.trim().ends_with(',');
            blank_line || terminator
        }
    }

    /// Text made of the pieces the word splitter treats differently: ASCII and accented letters,
    /// combining marks, hyphens, both apostrophes, possessives, sentence ends, blank lines,
    /// digits, and the letters whose case changes their length.
    fn awkward_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "Maria", "maria", "MARIA", "O'Brien", "García-López", "Jones'", "Mary's", "ST", "St", "Dr", "J", "x", "é",
            "e\u{301}", "\u{301}", "\u{308}", "Zoë", "\u{212a}", "\u{17f}", "İ", "ǅ", "ß", "Σ", " ", " ", " ", "  ",
            "\n", "\n\n", "\r\n", "\t", "\u{b}", "\u{a0}", ".", ". ", ",", ", ", ";", ":", "!", "?", "\"", "\u{201c}",
            "(", "\u{2014}", "\u{2022}", "|", "-", "'", "\u{2019}", "'s", "\u{2019}s", "'S", "12", "3", "#", "🙂", "—",
            "s",
        ];
        prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|pieces| pieces.concat())
    }

    /// Every byte value, at every place of a run of letters and with every case around it,
    /// ends the run exactly where a byte-by-byte test ends it.
    #[test]
    fn letter_runs_end_where_a_byte_by_byte_test_ends_them() {
        let by_bytes =
            |bytes: &[u8], at: usize| at + bytes[at..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
        for byte in 0..=255u8 {
            for length in 0..20 {
                for place in 0..=length {
                    let mut bytes: Vec<u8> = (0..length).map(|i| if i % 3 == 0 { b'Q' } else { b'z' }).collect();
                    bytes.insert(place, byte);
                    for from in 0..=bytes.len() {
                        assert_eq!(
                            ascii_letters_from(&bytes, from),
                            by_bytes(&bytes, from),
                            "byte {byte:#04x} at {place} of {length}, from {from}"
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        #[test]
        fn words_agree_with_the_reference(text in awkward_text(), cuts in prop::collection::vec(0usize..200, 0..6)) {
            let mut blocks: Vec<Range<usize>> = cuts
                .into_iter()
                .map(|c| c.min(text.len()))
                .filter(|&c| text.is_char_boundary(c))
                .map(|c| c..text.len())
                .collect();
            blocks.sort_by_key(|r| r.start);
            let ctx = Context { source: &text, text: &text, blocks: &blocks };
            let fast = words(&ctx);
            let slow = reference::words(&ctx);
            prop_assert_eq!(fast.len(), slow.len());
            for (a, b) in fast.iter().zip(&slow) {
                prop_assert_eq!(&a.span, &b.span);
                prop_assert_eq!(a.shape, b.shape);
                prop_assert_eq!(a.possessive, b.possessive);
                prop_assert_eq!(a.sentence_start, b.sentence_start, "{:?} in {:?}", a.text(&text), text);
                prop_assert_eq!(a.period_after, b.period_after);
            }
        }
    }

    fn phrase_texts(source: &str) -> Vec<String> {
        let prepared = prepare(source, Format::Markdown);
        let ctx = Context {
            source,
            text: &prepared.text,
            blocks: &prepared.blocks,
        };
        let words = words(&ctx);
        phrases(ctx.text, &words)
            .iter()
            .map(|p| source[p.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn groups_capitalised_runs() {
        assert_eq!(
            phrase_texts("His wife, Brian Young, said she saw María de la Cruz at St. Mary's Medical Center."),
            vec!["His", "Brian Young", "María de la Cruz", "St. Mary's Medical Center"]
        );
        assert_eq!(
            phrase_texts("Ms. García-López and O'Brien met J. R. Smith."),
            vec!["Ms. García-López", "O'Brien", "J. R. Smith"]
        );
        assert_eq!(phrase_texts("# Case\n\nWilliam died."), vec!["Case", "William"]);
    }

    #[test]
    fn sentence_starts_and_possessives() {
        let source = "He saw Maria's chart. Then\nRose left.\n\nHope";
        let prepared = prepare(source, Format::PlainText);
        let ctx = Context {
            source,
            text: &prepared.text,
            blocks: &prepared.blocks,
        };
        let w = words(&ctx);
        let by_text = |t: &str| w.iter().find(|x| x.text(source) == t).unwrap().clone();
        assert!(by_text("He").sentence_start);
        assert!(!by_text("Maria").sentence_start && by_text("Maria").possessive);
        assert!(by_text("Then").sentence_start);
        assert!(!by_text("Rose").sentence_start, "a wrapped line continues the sentence");
        assert!(by_text("Hope").sentence_start);
    }
}
