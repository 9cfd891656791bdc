//! The one place where byte offsets meet line/column positions.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` — the LSP definition, which the rope is configured to
//! share (ropey's `cr_lines` without `unicode_lines`). Columns count UTF-8 bytes, UTF-16 code
//! units or Unicode scalar values, whichever encoding was negotiated. Every conversion clamps:
//! a position past the end of a line lands at the end of that line, a line past the end of the
//! document lands at its end, and a column inside a character rounds down to its start.

use ropey::Rope;

/// How columns are counted (LSP 3.17 `positionEncoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    /// Unicode scalar values; also what the CLI shows people as a column.
    Utf32,
}

impl PositionEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            PositionEncoding::Utf8 => "utf-8",
            PositionEncoding::Utf16 => "utf-16",
            PositionEncoding::Utf32 => "utf-32",
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf32 => 1,
        }
    }
}

/// Where a new version of a text differs from an old one: the bytes before `prefix` are the
/// same in both, and so are those from `old_end` in the old one and from `new_end` in the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub prefix: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Change {
    /// The smallest such part: the longest common start, then the longest common end of what is
    /// left.
    pub fn between(old: &str, new: &str) -> Change {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let prefix = crate::engine::segment::common_prefix(a, b);
        let suffix = crate::engine::segment::common_suffix(a, b, a.len().min(b.len()) - prefix);
        Change {
            prefix,
            old_end: a.len() - suffix,
            new_end: b.len() - suffix,
        }
    }
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Whether a requested position had to be moved to make sense of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamp {
    Exact,
    /// The position was outside the document or inside a character and was moved.
    Clamped,
}

/// Line starts of a string, for turning byte offsets into positions and back.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// The last position [`LineIndex::position_near`] found: where the next search starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Near {
    line: usize,
    /// A byte offset on `line` and its column, counted in that encoding.
    column: Option<(usize, usize, PositionEncoding)>,
}

impl Near {
    /// The line of the last position found (0 before the first).
    pub fn line(&self) -> usize {
        self.line
    }
}

/// The columns `text` takes in `encoding`.
fn width(text: &str, encoding: PositionEncoding) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(|c| encoding.width(c)).sum()
    }
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            match bytes[i] {
                // The `\n` of a `\r\n` was counted with its `\r`.
                b'\n' if i > 0 && bytes[i - 1] == b'\r' => {}
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => starts.push(i + 2),
                _ => starts.push(i + 1),
            }
        }
        LineIndex { starts }
    }

    /// The index of `new`, made from this index of `old` (an earlier version of the same
    /// document): the line starts before and after the part that differs are kept (those after
    /// it moved by the change in length), and only that part is searched again. After a
    /// keystroke in a long document this touches one line instead of every line.
    pub fn edited(self, old: &str, new: &str) -> LineIndex {
        self.edited_at(new, Change::between(old, new))
    }

    /// [`LineIndex::edited`], with the part that differs already known (`change`, between the
    /// text of this index and `new`).
    pub fn edited_at(mut self, new: &str, change: Change) -> LineIndex {
        let b = new.as_bytes();
        let prefix = change.prefix;
        // Whether `p` starts a line depends on the bytes at `p - 1` and `p` only, so the starts
        // below `prefix` are the same in both, and so are those more than one byte past the
        // changed part.
        let (changed_end_old, changed_end_new) = (change.old_end, change.new_end);
        let keep_before = self.starts.partition_point(|&s| s < prefix.max(1));
        let keep_after = self.starts.partition_point(|&s| s <= changed_end_old);
        for start in &mut self.starts[keep_after..] {
            *start = *start - changed_end_old + changed_end_new;
        }
        // `p` starts a line when a `\n`, or a `\r` not followed by `\n`, is at `p - 1`.
        let from = prefix.max(1) - 1;
        let found = memchr::memchr2_iter(b'\n', b'\r', &b[from..changed_end_new])
            .map(|i| from + i)
            .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1);
        let middle: Vec<usize> = found.collect();
        self.starts.splice(keep_before..keep_after, middle);
        self
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where zero-based `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The line holding byte `offset`, and that line's text without its line ending.
    pub fn line_of<'t>(&self, text: &'t str, offset: usize) -> (usize, &'t str) {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        (line, self.line_text(text, line))
    }

    /// Text of zero-based `line` without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts.get(line).copied().unwrap_or(text.len()).min(text.len());
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len()).min(text.len());
        text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    /// Position of byte `offset` (clamped to the text and rounded down to a char boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let (line, _) = self.line_of(text, offset);
        self.position_near(text, offset, encoding, &mut Near { line, column: None })
    }

    /// The same as [`LineIndex::position`], starting from the last position found with `near`
    /// (which it then holds): its line and the one after are tried before any search, and a
    /// column on the same line is counted from there, forwards or back, when that is shorter
    /// than from the line's start. Converting offsets in text order this way costs the bytes
    /// between them, even in a line of a megabyte with a finding every few words.
    pub fn position_near(&self, text: &str, offset: usize, encoding: PositionEncoding, near: &mut Near) -> LineCol {
        let offset = crate::engine::text::floor_boundary(text, offset);
        let holds = |line: usize| {
            self.starts.get(line).is_some_and(|&s| s <= offset)
                && self.starts.get(line + 1).is_none_or(|&next| offset < next)
        };
        let line = if holds(near.line) {
            near.line
        } else if holds(near.line + 1) {
            near.line + 1
        } else {
            self.line_of(text, offset).0
        };
        let start = self.starts[line];
        let col = match near.column {
            Some((at, col, counted)) if near.line == line && counted == encoding && at >= start => {
                if offset >= at {
                    col + width(&text[at..offset], encoding)
                } else if at - offset < offset - start {
                    col.saturating_sub(width(&text[offset..at], encoding))
                } else {
                    width(&text[start..offset], encoding)
                }
            }
            _ => width(&text[start..offset], encoding),
        };
        *near = Near {
            line,
            column: Some((offset, col, encoding)),
        };
        LineCol {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
        }
    }

    /// The positions of the start and end of `start..end`, as two calls of
    /// [`LineIndex::position_near`] give them.
    pub fn range_near(
        &self,
        text: &str,
        (start, end): (usize, usize),
        encoding: PositionEncoding,
        near: &mut Near,
    ) -> (LineCol, LineCol) {
        let from = self.position_near(text, start, encoding, near);
        (from, self.position_near(text, end, encoding, near))
    }

    /// Byte offset of a position, clamped into the text.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> (usize, Clamp) {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return (text.len(), Clamp::Clamped);
        }
        offset_in_line(
            self.line_text(text, line).chars(),
            self.starts[line],
            pos.col as usize,
            encoding,
        )
    }
}

/// Walks one line's characters to find the byte offset of column `col`.
fn offset_in_line(
    chars: impl Iterator<Item = char>,
    line_start: usize,
    col: usize,
    encoding: PositionEncoding,
) -> (usize, Clamp) {
    let mut units = 0;
    let mut bytes = line_start;
    for c in chars {
        if units == col {
            return (bytes, Clamp::Exact);
        }
        let width = encoding.width(c);
        if units + width > col {
            // Inside a character (half a surrogate pair, a byte inside a UTF-8 sequence).
            return (bytes, Clamp::Clamped);
        }
        units += width;
        bytes += c.len_utf8();
    }
    (bytes, if units == col { Clamp::Exact } else { Clamp::Clamped })
}

/// Byte offset in a rope of an LSP position, clamped as described in the module docs.
pub fn rope_offset(rope: &Rope, pos: LineCol, encoding: PositionEncoding) -> (usize, Clamp) {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return (rope.len_bytes(), Clamp::Clamped);
    }
    let line_start = rope.line_to_byte(line);
    let line_slice = rope.line(line);
    let content = line_slice.chars().take_while(|c| *c != '\n' && *c != '\r');
    offset_in_line(content, line_start, pos.col as usize, encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf32, Utf8};

    /// An index updated after an edit is the index made afresh, wherever the edit falls among
    /// `\r`, `\n` and `\r\n` (splitting one, joining two, at either end).
    #[test]
    fn an_edited_index_is_the_index_made_afresh() {
        let pieces = ["\r", "\n", "\r\n", "a", "é", "\n\n", "\r\r"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..4000 {
            let mut old = String::new();
            for _ in 0..next(12) {
                old.push_str(pieces[next(pieces.len())]);
            }
            let mut new = old.clone();
            let mut at = next(new.len() + 1);
            while !new.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + next(4)).min(new.len());
            while !new.is_char_boundary(end) {
                end += 1;
            }
            let insert: String = (0..next(3)).map(|_| pieces[next(pieces.len())]).collect();
            new.replace_range(at..end, &insert);
            let edited = LineIndex::new(&old).edited(&old, &new);
            assert_eq!(edited.starts, LineIndex::new(&new).starts, "{old:?} -> {new:?}");
        }
    }

    const TEXT: &str = "a\tb 🙂 é\r\nline two\rthree\n\nzoë🏥x";

    #[test]
    fn positions_in_each_encoding() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_count(), 5);
        let x = TEXT.rfind('x').unwrap();
        assert_eq!(index.position(TEXT, x, Utf8), LineCol { line: 4, col: 8 });
        assert_eq!(index.position(TEXT, x, Utf16), LineCol { line: 4, col: 5 });
        assert_eq!(index.position(TEXT, x, Utf32), LineCol { line: 4, col: 4 });
        let e = TEXT.find('é').unwrap();
        assert_eq!(index.position(TEXT, e, Utf16), LineCol { line: 0, col: 7 });
        assert_eq!(
            index.position(TEXT, TEXT.find("three").unwrap(), Utf16),
            LineCol { line: 2, col: 0 }
        );
    }

    #[test]
    fn round_trips_every_char_boundary_and_agrees_with_the_rope() {
        let index = LineIndex::new(TEXT);
        let rope = Rope::from_str(TEXT);
        for encoding in [Utf8, Utf16, Utf32] {
            for (offset, c) in TEXT.char_indices() {
                if c == '\n' && offset > 0 && TEXT.as_bytes()[offset - 1] == b'\r' {
                    continue; // inside a CRLF: the position is the line end, before the \r
                }
                let pos = index.position(TEXT, offset, encoding);
                assert_eq!(
                    index.offset(TEXT, pos, encoding),
                    (offset, Clamp::Exact),
                    "{encoding:?} at {offset}"
                );
                assert_eq!(
                    rope_offset(&rope, pos, encoding),
                    (offset, Clamp::Exact),
                    "rope {encoding:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn out_of_range_and_mid_character_positions_clamp() {
        let index = LineIndex::new(TEXT);
        let rope = Rope::from_str(TEXT);
        let end_of_first_line = TEXT.find('\r').unwrap();
        for (pos, expected) in [
            (LineCol { line: 0, col: 999 }, end_of_first_line),
            (LineCol { line: 99, col: 0 }, TEXT.len()),
            // Column 5 in UTF-16 is the second half of the emoji's surrogate pair.
            (LineCol { line: 0, col: 5 }, TEXT.find('🙂').unwrap()),
        ] {
            assert_eq!(index.offset(TEXT, pos, Utf16), (expected, Clamp::Clamped), "{pos:?}");
            assert_eq!(
                rope_offset(&rope, pos, Utf16),
                (expected, Clamp::Clamped),
                "rope {pos:?}"
            );
        }
        // A byte inside `é` in UTF-8 rounds down.
        let e = TEXT.find('é').unwrap();
        let pos = LineCol {
            line: 0,
            col: u32::try_from(e + 1).unwrap(),
        };
        assert_eq!(rope_offset(&rope, pos, Utf8), (e, Clamp::Clamped));
    }

    #[test]
    fn positions_near_a_hint_are_the_positions() {
        // Short lines, and a long one where columns are counted on from the last position,
        // forwards or back, whichever is shorter than from the line's start.
        let long = format!("a\r\nb🙂c\rd\n\né x\r\n{}\nz", "x🙂é ab".repeat(9));
        for text in ["a\r\nb🙂c\rd\n\né x\r\n", long.as_str()] {
            positions_near_a_hint_in(text);
        }
    }

    fn positions_near_a_hint_in(text: &str) {
        let index = LineIndex::new(text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let mut hint = Near::default();
            // In text order, backwards, and jumping about.
            let forward: Vec<usize> = (0..=text.len()).collect();
            let backward: Vec<usize> = forward.iter().rev().copied().collect();
            let jumping: Vec<usize> = (0..=text.len()).map(|i| i * 7 % (text.len() + 1)).collect();
            // Seven bytes back each time, wrapping round.
            let stepping_back: Vec<usize> = (0..=text.len())
                .map(|i| i * (text.len() + 1 - 7) % (text.len() + 1))
                .collect();
            for offsets in [forward, backward, jumping, stepping_back] {
                for &offset in &offsets {
                    assert_eq!(
                        index.position_near(text, offset, encoding, &mut hint),
                        index.position(text, offset, encoding),
                        "offset {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn ranges_near_a_hint_are_the_positions_of_their_ends() {
        let text = "a\r\nb🙂c\rd\n\né x\r\n";
        let index = LineIndex::new(text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let mut hint = Near::default();
            for start in 0..=text.len() + 1 {
                for end in start..=text.len() + 2 {
                    assert_eq!(
                        index.range_near(text, (start, end), encoding, &mut hint),
                        (
                            index.position(text, start, encoding),
                            index.position(text, end, encoding)
                        ),
                        "{start}..{end} in {encoding:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_text_and_trailing_newline() {
        let index = LineIndex::new("");
        assert_eq!(index.position("", 0, Utf16), LineCol { line: 0, col: 0 });
        let rope = Rope::from_str("a\n");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(
            rope_offset(&rope, LineCol { line: 1, col: 0 }, Utf16),
            (2, Clamp::Exact)
        );
    }
}
