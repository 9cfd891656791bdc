//! Small, allocation-free helpers for looking at the words around a match.
//!
//! Context words are always matched as whole words: a licence rule's context word "lic" must not
//! fire inside "public".

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

/// Up to `n` words before byte `at`, nearest first, skipping punctuation and spaces.
pub fn words_before(text: &str, at: usize, n: usize) -> Vec<&str> {
    let mut words = Vec::with_capacity(n);
    let mut end = floor_boundary(text, at);
    while words.len() < n {
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
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        words.push(&text[word_start..word_end]);
        end = word_start;
    }
    words
}

/// Up to `n` words after byte `at`, nearest first, skipping punctuation and spaces.
pub fn words_after(text: &str, at: usize, n: usize) -> Vec<&str> {
    let mut words = Vec::with_capacity(n);
    let mut start = ceil_boundary(text, at);
    while words.len() < n {
        let tail = &text[start..];
        let Some(word_start) = tail
            .char_indices()
            .find(|(_, c)| is_word_char(*c))
            .map(|(i, _)| start + i)
        else {
            break;
        };
        let word_end = text[word_start..]
            .char_indices()
            .find(|(_, c)| !is_word_char(*c))
            .map(|(i, _)| word_start + i)
            .unwrap_or(text.len());
        words.push(&text[word_start..word_end]);
        start = word_end;
    }
    words
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

#[cfg(test)]
mod tests {
    use super::*;

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
