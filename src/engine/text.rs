//! Small, allocation-free helpers for looking at the words around a match.
//!
//! Context words are always matched as whole words: a licence rule's context word "lic" must not
//! fire inside "public".

use std::borrow::Cow;

/// Letters and digits make words; everything else separates them.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The largest char boundary `<= at`.
pub fn floor_boundary(text: &str, mut at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest char boundary `>= at`.
pub fn ceil_boundary(text: &str, mut at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The character just before byte `at`, if any.
pub fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// The character at byte `at`, if any.
pub fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The few words near a position that [`words_before`] and [`words_after`] find, nearest first,
/// kept in place rather than in a vector: they are looked up around most matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearWords<'t> {
    words: [&'t str; NearWords::MAX],
    len: usize,
}

impl<'t> NearWords<'t> {
    /// The most words one call finds.
    pub const MAX: usize = 8;

    fn new() -> NearWords<'t> {
        NearWords {
            words: [""; NearWords::MAX],
            len: 0,
        }
    }

    fn push(&mut self, word: &'t str) {
        if let Some(slot) = self.words.get_mut(self.len) {
            *slot = word;
            self.len += 1;
        }
    }

    pub fn as_slice(&self) -> &[&'t str] {
        &self.words[..self.len]
    }

    /// Keeps the nearest `n` words.
    pub fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }
}

impl<'t> std::ops::Deref for NearWords<'t> {
    type Target = [&'t str];

    fn deref(&self) -> &[&'t str] {
        self.as_slice()
    }
}

impl<'t> IntoIterator for NearWords<'t> {
    type Item = &'t str;
    type IntoIter = std::iter::Take<std::array::IntoIter<&'t str, { NearWords::MAX }>>;

    fn into_iter(self) -> Self::IntoIter {
        self.words.into_iter().take(self.len)
    }
}

impl PartialEq<Vec<&str>> for NearWords<'_> {
    fn eq(&self, other: &Vec<&str>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// Up to `n` words before byte `at` (at most [`NearWords::MAX`]), nearest first, skipping
/// punctuation and spaces.
pub fn words_before(text: &str, at: usize, n: usize) -> NearWords<'_> {
    let n = n.min(NearWords::MAX);
    let mut words = NearWords::new();
    let mut end = floor_boundary(text, at);
    while words.len() < n {
        let Some(word_end) = last_word_char_end(text, end) else {
            break;
        };
        let word_start = word_start_before(text, word_end);
        words.push(&text[word_start..word_end]);
        end = word_start;
    }
    words
}

/// Up to `n` words after byte `at` (at most [`NearWords::MAX`]), nearest first, skipping
/// punctuation and spaces.
pub fn words_after(text: &str, at: usize, n: usize) -> NearWords<'_> {
    let n = n.min(NearWords::MAX);
    let mut words = NearWords::new();
    let mut start = ceil_boundary(text, at);
    while words.len() < n {
        let Some(word_start) = next_word_char(text, start) else {
            break;
        };
        let word_end = word_end_after(text, word_start);
        words.push(&text[word_start..word_end]);
        start = word_end;
    }
    words
}

/// Whether the character that ends at byte `end` (a char boundary) is a word character, with its
/// length; `None` at the text's start. ASCII bytes are decided as bytes: the words near a match
/// are nearly always ASCII.
#[inline]
fn word_char_ending_at(text: &str, end: usize) -> Option<(bool, usize)> {
    let b = *text.as_bytes().get(end.checked_sub(1)?)?;
    if b.is_ascii() {
        return Some((b.is_ascii_alphanumeric(), 1));
    }
    let c = char_before(text, end)?;
    Some((is_word_char(c), c.len_utf8()))
}

/// Like [`word_char_ending_at`], for the character that starts at byte `start`.
#[inline]
fn word_char_starting_at(text: &str, start: usize) -> Option<(bool, usize)> {
    let b = *text.as_bytes().get(start)?;
    if b.is_ascii() {
        return Some((b.is_ascii_alphanumeric(), 1));
    }
    let c = char_at(text, start)?;
    Some((is_word_char(c), c.len_utf8()))
}

/// The end of the last word character before byte `end`.
fn last_word_char_end(text: &str, mut end: usize) -> Option<usize> {
    loop {
        match word_char_ending_at(text, end)? {
            (true, _) => return Some(end),
            (false, len) => end -= len,
        }
    }
}

/// Where the word that ends at byte `end` starts.
fn word_start_before(text: &str, mut end: usize) -> usize {
    while let Some((true, len)) = word_char_ending_at(text, end) {
        end -= len;
    }
    end
}

/// The first word character at or after byte `start`.
fn next_word_char(text: &str, mut start: usize) -> Option<usize> {
    loop {
        match word_char_starting_at(text, start)? {
            (true, _) => return Some(start),
            (false, len) => start += len,
        }
    }
}

/// Where the word that starts at byte `start` ends.
fn word_end_after(text: &str, mut start: usize) -> usize {
    while let Some((true, len)) = word_char_starting_at(text, start) {
        start += len;
    }
    start
}

/// The word immediately before `at`, if only spaces (and no other punctuation) separate them.
pub fn adjacent_word_before(text: &str, at: usize) -> Option<&str> {
    let head = text.get(..floor_boundary(text, at))?;
    let trimmed = head.trim_end_matches([' ', '\t']);
    match trimmed.chars().next_back() {
        Some(c) if is_word_char(c) => words_before(trimmed, trimmed.len(), 1).into_iter().next(),
        _ => None,
    }
}

/// Whether any of `words` (lower-case; may contain spaces) occurs as whole words in the `window`
/// bytes before `at`. Case-insensitive for ASCII.
pub fn context_before(text: &str, at: usize, window: usize, words: &[&str]) -> bool {
    let end = floor_boundary(text, at);
    let start = floor_boundary(text, end.saturating_sub(window));
    contains_any_word(&text[start..end], words)
}

/// Like [`context_before`], for the `window` bytes after `at`.
pub fn context_after(text: &str, at: usize, window: usize, words: &[&str]) -> bool {
    let start = ceil_boundary(text, at);
    let end = floor_boundary(text, start.saturating_add(window));
    contains_any_word(&text[start..end], words)
}

/// Whether `haystack` contains one of `words` as a whole word (ASCII case-insensitive).
pub fn contains_any_word(haystack: &str, words: &[&str]) -> bool {
    words.iter().any(|w| find_word(haystack, w).is_some())
}

/// Byte offset of the first whole-word, ASCII case-insensitive occurrence of `word`.
pub fn find_word(haystack: &str, word: &str) -> Option<usize> {
    if word.is_empty() || haystack.len() < word.len() {
        return None;
    }
    let hay = haystack.as_bytes();
    let needle = word.as_bytes();
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let found = hay[from..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|p| p + from)?;
        let end = found + needle.len();
        let starts_word = char_before(haystack, found).is_none_or(|c| !is_word_char(c))
            || !needle.first().is_some_and(|b| b.is_ascii_alphanumeric());
        let ends_word = char_at(haystack, end).is_none_or(|c| !is_word_char(c))
            || !needle.last().is_some_and(|b| b.is_ascii_alphanumeric());
        if starts_word && ends_word && haystack.is_char_boundary(found) && haystack.is_char_boundary(end) {
            return Some(found);
        }
        from = found + 1;
    }
    None
}

/// Whether `word` equals one of `list` ignoring ASCII case.
pub fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// `word` in lower case, exactly as `str::to_lowercase` gives it, without allocating when `word`
/// is ASCII and fits in `buffer`.
pub fn lowercase<'a>(word: &'a str, buffer: &'a mut [u8]) -> Cow<'a, str> {
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Borrowed(word);
        }
        if let Some(out) = buffer.get_mut(..word.len()) {
            for (to, from) in out.iter_mut().zip(word.bytes()) {
                *to = from.to_ascii_lowercase();
            }
            if let Ok(lower) = std::str::from_utf8(out) {
                return Cow::Borrowed(lower);
            }
        }
    }
    Cow::Owned(word.to_lowercase())
}

/// A fixed list of words with filters, computed at compile time, that rule out most words
/// that are not in it without comparing them to any entry, and an index by length that compares
/// a word only to the entries as long as it: the detectors ask whether a word is a title, a
/// relation or a month for nearly every word of a document.
pub struct Words {
    list: &'static [&'static str],
    /// One bit per (first byte without its case bit, length up to 15) of an entry.
    starts: [u64; 8],
    /// One bit per (last byte without its case bit, length up to 15) of an entry.
    ends: [u64; 8],
    /// For each length up to 15 (the last for 15 and longer), one bit per entry of that length.
    by_length: [[u64; Words::MOST / 64]; 16],
    /// For each entry, its first eight bytes in ASCII lower case as one number ([`folded_key`]):
    /// a word is compared with an entry as a whole only when their keys are equal.
    keys: [u64; Words::MOST],
}

/// The first eight bytes of `word` (zeros after a shorter word), ASCII letters in lower case,
/// as one number: two words of the same length up to eight bytes have the same key exactly when
/// they are equal ignoring ASCII case.
const fn folded_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < word.len() && i < 8 {
        key |= (word[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    key
}

/// The filter bit for a word starting (or ending) with `byte`, `len` bytes long. ASCII letters
/// set the same bit in either case.
const fn filter_bit(byte: u8, len: usize) -> usize {
    (byte & 31) as usize * 16 + length_class(len)
}

/// The length, with every length from 15 on counted as 15.
const fn length_class(len: usize) -> usize {
    if len > 15 {
        15
    } else {
        len
    }
}

impl Words {
    /// The most entries a list may have.
    const MOST: usize = 256;

    pub const fn new(list: &'static [&'static str]) -> Words {
        assert!(list.len() <= Words::MOST, "too many entries for a word list");
        let mut starts = [0u64; 8];
        let mut ends = [0u64; 8];
        let mut by_length = [[0u64; Words::MOST / 64]; 16];
        let mut keys = [0u64; Words::MOST];
        let mut i = 0;
        while i < list.len() {
            let word = list[i].as_bytes();
            let (first, last) = if word.is_empty() {
                (0, 0)
            } else {
                (word[0], word[word.len() - 1])
            };
            let bit = filter_bit(first, word.len());
            starts[bit / 64] |= 1 << (bit % 64);
            let bit = filter_bit(last, word.len());
            ends[bit / 64] |= 1 << (bit % 64);
            by_length[length_class(word.len())][i / 64] |= 1 << (i % 64);
            keys[i] = folded_key(word);
            i += 1;
        }
        Words {
            list,
            starts,
            ends,
            by_length,
            keys,
        }
    }

    /// The entries, for the helpers that take a list.
    pub fn list(&self) -> &'static [&'static str] {
        self.list
    }

    fn may_contain(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let start = filter_bit(bytes.first().copied().unwrap_or(0), bytes.len());
        let end = filter_bit(bytes.last().copied().unwrap_or(0), bytes.len());
        self.starts[start / 64] & (1 << (start % 64)) != 0 && self.ends[end / 64] & (1 << (end % 64)) != 0
    }

    /// Whether an entry as long as `word` (or, from 15 bytes on, a long one) whose first eight
    /// bytes equal `word`'s ignoring ASCII case is `equal` to it.
    #[inline]
    fn any_alike(&self, word: &str, equal: impl Fn(&str) -> bool) -> bool {
        let key = folded_key(word.as_bytes());
        for (block, &bits) in self.by_length[length_class(word.len())].iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let at = block * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if self.keys[at] == key && equal(self.list[at]) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether the lower case of `word` (as [`lowercase`] gives it) may be an entry: false only
    /// when it certainly is not, which for ASCII the filter tells without lower-casing.
    pub fn may_contain_lowercase_of(&self, word: &str) -> bool {
        !word.is_ascii() || self.may_contain(word)
    }

    /// [`Words::may_contain_lowercase_of`] for a word already known to be ASCII, for a caller
    /// that asks several lists about one word.
    pub fn may_contain_lowercase_of_ascii(&self, word: &str) -> bool {
        debug_assert!(word.is_ascii());
        self.may_contain(word)
    }

    /// Whether `word` is one of the entries, exactly.
    pub fn contains(&self, word: &str) -> bool {
        self.may_contain(word) && self.any_alike(word, |entry| entry == word)
    }

    /// Whether `word` is one of the entries ignoring ASCII case, as [`is_one_of`].
    pub fn contains_ignore_ascii_case(&self, word: &str) -> bool {
        self.may_contain(word) && self.any_alike(word, |entry| entry.eq_ignore_ascii_case(word))
    }
}

/// `n` in decimal digits, written into `buffer`, without the formatting machinery (diagnostics
/// and reports write several numbers per finding).
pub fn decimal(buffer: &mut [u8; 20], mut n: u64) -> &str {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buffer[at..]).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words before and after a position, found character by character (the first version
    /// of [`words_before`] and [`words_after`], kept as their reference).
    fn near_words_by_chars(text: &str, at: usize, n: usize) -> (Vec<&str>, Vec<&str>) {
        let mut before = Vec::new();
        let mut end = floor_boundary(text, at);
        while before.len() < n {
            let head = &text[..end];
            let Some(word_end) = head
                .char_indices()
                .rev()
                .find(|(_, c)| is_word_char(*c))
                .map(|(i, c)| i + c.len_utf8())
            else {
                break;
            };
            let word_start = head[..word_end]
                .char_indices()
                .rev()
                .find(|(_, c)| !is_word_char(*c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            before.push(&text[word_start..word_end]);
            end = word_start;
        }
        let mut after = Vec::new();
        let mut start = ceil_boundary(text, at);
        while after.len() < n {
            let Some(word_start) = text[start..]
                .char_indices()
                .find(|(_, c)| is_word_char(*c))
                .map(|(i, _)| start + i)
            else {
                break;
            };
            let word_end = text[word_start..]
                .char_indices()
                .find(|(_, c)| !is_word_char(*c))
                .map_or(text.len(), |(i, _)| word_start + i);
            after.push(&text[word_start..word_end]);
            start = word_end;
        }
        (before, after)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The words near any position, at any count, are the reference's: ASCII and other
        /// letters, digits, marks, spaces and punctuation, positions inside characters too.
        #[test]
        fn near_words_are_those_found_character_by_character(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "a", "Zo", "9", " ", ".", "'", "\u{2019}", "\u{e9}", "\u{c9}t\u{e9}", "\u{0301}", "\u{4e2d}", "\u{1f600}",
                "\u{a0}", "\n", "\u{2163}", "-", "_",
            ][..]), 0..20),
            at in 0usize..80,
            n in 0usize..10,
        ) {
            let text = pieces.concat();
            let (before, after) = near_words_by_chars(&text, at, n.min(NearWords::MAX));
            let (found_before, found_after) = (words_before(&text, at, n), words_after(&text, at, n));
            proptest::prop_assert_eq!(found_before.as_slice(), &before[..], "in {:?} at {}", text, at);
            proptest::prop_assert_eq!(found_after.as_slice(), &after[..], "in {:?} at {}", text, at);
        }
    }

    #[test]
    fn words_around_a_position() {
        let text = "Her MRN is: 123, see chart.";
        let at = text.find("123").unwrap();
        assert_eq!(words_before(text, at, 2), vec!["is", "MRN"]);
        assert_eq!(words_after(text, at + 3, 2), vec!["see", "chart"]);
        assert_eq!(adjacent_word_before(text, at), None, "a colon separates them");
        assert_eq!(adjacent_word_before("MRN 123", 4), Some("MRN"));
    }

    #[test]
    fn context_words_match_whole_words_only() {
        assert!(!context_before("the public 1234", 11, 20, &["lic"]));
        assert!(context_before("lic. 1234", 5, 20, &["lic"]));
        assert!(context_before("Driver's License: ", 18, 30, &["license"]));
        assert!(find_word("xx date of birth", "date of birth").is_some());
    }

    #[test]
    fn lowercase_without_allocating_agrees_with_to_lowercase() {
        for word in [
            "maria", "Maria", "MARIA", "García", "\u{212a}elvin", "İstanbul", "ΣΊΣΥΦΟΣ", "", "A1-B'c",
        ] {
            let mut short = [0u8; 4];
            let mut long = [0u8; 32];
            assert_eq!(lowercase(word, &mut short), word.to_lowercase(), "{word:?}");
            assert_eq!(lowercase(word, &mut long), word.to_lowercase(), "{word:?}");
        }
    }

    #[test]
    fn word_lists_with_a_filter_answer_as_the_plain_list() {
        const LIST: &[&str] = &[
            "mr", "mrs", "dr", "fiancé", "granddaughter", "a", "extraordinarily-long-entry", "",
        ];
        static WORDS: Words = Words::new(LIST);
        for word in [
            "mr", "MR", "Mr", "mrs", "Mrs.", "dr", "DR", "fiancé", "FIANCÉ", "Fiancé", "granddaughter",
            "GrandDaughter", "a", "A", "b", "", " ", "extraordinarily-long-entry", "EXTRAORDINARILY-LONG-ENTRY",
            "extraordinarily-long", "é", "\u{212a}", "m", "mx", "zz",
        ] {
            assert_eq!(WORDS.contains(word), LIST.contains(&word), "{word:?}");
            assert_eq!(
                WORDS.contains_ignore_ascii_case(word),
                is_one_of(word, LIST),
                "{word:?}"
            );
            if WORDS.contains(&word.to_lowercase()) {
                assert!(WORDS.may_contain_lowercase_of(word), "{word:?}");
                if word.is_ascii() {
                    assert!(WORDS.may_contain_lowercase_of_ascii(word), "{word:?}");
                }
            }
        }
    }

    /// A list of the most entries, of every length, found by the index exactly as by a scan.
    #[test]
    fn the_length_index_finds_what_a_scan_finds() {
        let entries: Vec<&'static str> = (0..Words::MOST)
            .map(|i| {
                &*Box::leak(format!("{}{}", "ab".repeat(i % 11), char::from(b'a' + (i % 26) as u8)).into_boxed_str())
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let list: &'static [&'static str] = Box::leak(entries.into_boxed_slice());
        let words = Words::new(list);
        let mut probes: Vec<String> = list.iter().map(|w| w.to_string()).collect();
        probes.extend(list.iter().map(|w| w.to_uppercase()));
        probes.extend(list.iter().map(|w| format!("{w}x")));
        probes.extend(list.iter().map(|w| w[1..].to_string()));
        for probe in &probes {
            assert_eq!(words.contains(probe), list.contains(&probe.as_str()), "{probe:?}");
            assert_eq!(
                words.contains_ignore_ascii_case(probe),
                is_one_of(probe, list),
                "{probe:?}"
            );
        }
    }

    #[test]
    fn helpers_survive_multibyte_text() {
        let text = "🙂 é 12";
        for at in 0..=text.len() + 2 {
            let _ = words_before(text, at, 3);
            let _ = words_after(text, at, 3);
            let _ = context_before(text, at, 3, &["é"]);
            let _ = context_after(text, at, 3, &["é"]);
            let _ = adjacent_word_before(text, at);
        }
        assert_eq!(words_before(text, text.len(), 3), vec!["12", "é"]);
    }
}
