//! Cutting a document into segments that are checked on their own and cached between checks.
//!
//! A document is first cut into *chunks*: runs of lines separated by blank lines (paragraphs),
//! where a blank line inside a fenced code block, YAML or TOML front matter or an HTML comment
//! does not cut. Chunks are then grouped into *segments* of a few kilobytes. Where a segment ends
//! is decided by the content of the chunks alone (content-defined chunking, as backup tools do):
//! a segment may end after a chunk once it holds at least [`MIN_SEGMENT`] bytes and the chunk's
//! hash says so. An edit therefore changes the segment it falls in (and at most the one after,
//! until the cuts fall in step again) and leaves every other segment, and its cached result, as
//! it was. Because every check of every document — the command line's and the editor's, first
//! or after the thousandth keystroke — cuts the same text the same way, a document's findings
//! never depend on its editing history.
//!
//! A chunk longer than [`MAX_SEGMENT`] (a document without blank lines) is cut at line ends in
//! the same content-defined way; a single line is never cut.

use std::ops::Range;

use super::markup::Format;

/// A segment ends only once it holds this many bytes...
pub const MIN_SEGMENT: usize = 4 * 1024;
/// ...and must end once it holds this many, at the next chunk or line end.
pub const MAX_SEGMENT: usize = 32 * 1024;

/// One segment: where it lies in the document and a fingerprint of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub range: Range<usize>,
    /// Two independent 64-bit hashes of the segment's bytes: the cache key together with the
    /// length. Two different texts of the same length share both with a chance of about 2^-128.
    pub fingerprint: (u64, u64),
}

impl Segment {
    pub fn key(&self) -> (u64, u64, usize) {
        (self.fingerprint.0, self.fingerprint.1, self.range.len())
    }
}

/// A fast hash of `bytes` in two lanes, eight bytes at a time. Not for security: only to tell
/// whether a segment's text is the one cached.
fn fingerprint(bytes: &[u8]) -> (u64, u64) {
    const K1: u64 = 0x9e37_79b9_7f4a_7c15;
    const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;
    let (mut a, mut b) = (0x243f_6a88_85a3_08d3u64, 0x1319_8a2e_0370_7344u64);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        a = (a ^ w).wrapping_mul(K1).rotate_left(29);
        b = (b.rotate_left(23) ^ w).wrapping_mul(K2);
    }
    let mut tail = [0u8; 8];
    let rest = words.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let w = u64::from_le_bytes(tail) ^ ((bytes.len() as u64) << 56);
    a = (a ^ w).wrapping_mul(K1).rotate_left(29);
    b = (b.rotate_left(23) ^ w).wrapping_mul(K2);
    (mix(a), mix(b ^ a.rotate_left(32)))
}

/// A finalizer so that every input bit reaches every output bit (splitmix64's).
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Whether a cut after this chunk (or line) is wanted: about one in four qualifies, decided by
/// its text alone.
fn cut_here(bytes: &[u8]) -> bool {
    fingerprint(bytes).0 & 3 == 0
}

/// What a line does to the block structure, for finding chunk ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    /// A fenced code block opened by this many of this character.
    Fence(u8, usize),
    /// YAML (`---`) or TOML (`+++`) front matter.
    FrontMatter(u8),
    /// An HTML comment not closed on the line that opened it.
    Comment,
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| b.is_ascii_whitespace())
}

/// A fence line: up to three spaces, then three or more backticks or tildes.
fn fence(line: &[u8]) -> Option<(u8, usize)> {
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let mark = *rest.first()?;
    if mark != b'`' && mark != b'~' {
        return None;
    }
    let run = rest.iter().take_while(|&&b| b == mark).count();
    (run >= 3).then_some((mark, run))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The open construct after `line`, given the one before it.
fn after_line(open: Open, line: &[u8], first_line: bool, format: Format) -> Open {
    if format != Format::Markdown {
        return Open::None;
    }
    let trimmed: &[u8] = {
        let end = line.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
        &line[..end]
    };
    match open {
        Open::Fence(mark, run) => match fence(line) {
            Some((m, r)) if m == mark && r >= run && trimmed.iter().all(|&b| b == mark || b == b' ') => Open::None,
            _ => open,
        },
        Open::FrontMatter(mark) => {
            let closes = trimmed == [mark; 3] || (mark == b'-' && trimmed == b"...");
            if closes {
                Open::None
            } else {
                open
            }
        }
        Open::Comment => match memchr::memchr(b'>', line).and_then(|_| find(line, b"-->")) {
            Some(end) => after_line(Open::None, &line[end + 3..], false, format),
            None => Open::Comment,
        },
        Open::None => {
            if first_line && (trimmed == b"---" || trimmed == b"+++") {
                return Open::FrontMatter(trimmed[0]);
            }
            if let Some((mark, run)) = fence(line) {
                // A backtick fence's info string may not hold a backtick; then it is inline code.
                let info = &trimmed[trimmed.iter().take_while(|&&b| b == b' ').count() + run..];
                if mark == b'~' || !info.contains(&b'`') {
                    return Open::Fence(mark, run);
                }
            }
            // The last comment opened on the line decides. Most lines have no `<` at all.
            if memchr::memchr(b'<', line).is_none() {
                return Open::None;
            }
            let mut rest = line;
            let mut state = Open::None;
            while let Some(start) = find(rest, b"<!--") {
                rest = &rest[start + 4..];
                match find(rest, b"-->") {
                    Some(end) => rest = &rest[end + 3..],
                    None => {
                        state = Open::Comment;
                        break;
                    }
                }
            }
            state
        }
    }
}

/// Cuts `text` into segments that together cover it exactly, in order. An empty text has none.
pub fn split(text: &str, format: Format) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut segments = Vec::with_capacity(text.len() / MIN_SEGMENT + 1);
    let mut segment_start = 0usize;
    let push = |segments: &mut Vec<Segment>, start: usize, end: usize| {
        if end > start {
            segments.push(Segment {
                range: start..end,
                fingerprint: fingerprint(&bytes[start..end]),
            });
        }
    };
    let mut open = Open::None;
    let mut line_start = 0usize;
    // Whether the chunk being read has had a blank line (outside any open construct) since its
    // last text: the next non-blank line then starts a new chunk.
    let mut blank_seen = false;
    let mut chunk_start = 0usize;
    while line_start < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &bytes[line_start..line_end];
        let blank = open == Open::None && is_blank(line);
        if !blank && blank_seen {
            // A chunk ended just before this line.
            let chunk = &bytes[chunk_start..line_start];
            let size = line_start - segment_start;
            if size >= MAX_SEGMENT || size >= MIN_SEGMENT && cut_here(chunk) {
                push(&mut segments, segment_start, line_start);
                segment_start = line_start;
            }
            chunk_start = line_start;
            blank_seen = false;
        } else if !blank && open == Open::None && line_start - segment_start >= MAX_SEGMENT && cut_here(line) {
            // A very long chunk: cut it at a line end, also content-defined.
            push(&mut segments, segment_start, line_start);
            segment_start = line_start;
            chunk_start = line_start;
        }
        if blank {
            blank_seen = true;
        }
        open = after_line(open, line, line_start == 0, format);
        line_start = line_end;
    }
    push(&mut segments, segment_start, bytes.len());
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(n: usize, seed: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "Paragraph {} of the case, seen by the team {} times; nothing to report here at all.\n\n",
                    i * 7919 % 1000 + seed,
                    i % 13
                )
            })
            .collect()
    }

    fn pieces(text: &str) -> Vec<&str> {
        split(text, Format::Markdown)
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect()
    }

    #[test]
    fn segments_cover_the_text_in_order() {
        for text in ["", "one line", "a\n\nb\n", &paragraphs(400, 1), "\n\n\n"] {
            let segments = split(text, Format::Markdown);
            let mut at = 0;
            for s in &segments {
                assert_eq!(s.range.start, at);
                assert!(s.range.end > s.range.start);
                at = s.range.end;
            }
            assert_eq!(at, text.len());
        }
    }

    #[test]
    fn segments_have_bounded_sizes_and_end_at_paragraphs() {
        let text = paragraphs(2000, 3);
        let segments = split(&text, Format::Markdown);
        assert!(segments.len() > 10, "{}", segments.len());
        for s in &segments[..segments.len() - 1] {
            assert!(s.range.len() >= MIN_SEGMENT, "{:?}", s.range);
            assert!(s.range.len() <= MAX_SEGMENT + 200, "{:?}", s.range);
            assert!(text[..s.range.end].ends_with("\n\n"));
        }
    }

    #[test]
    fn an_edit_changes_only_the_segments_around_it() {
        let text = paragraphs(3000, 5);
        let before = split(&text, Format::Markdown);
        let at = text.len() / 2;
        let mut edited = text.clone();
        edited.insert_str(at, "Maria Lopez ");
        let after = split(&edited, Format::Markdown);
        let old: std::collections::HashSet<_> = before.iter().map(Segment::key).collect();
        let changed = after.iter().filter(|s| !old.contains(&s.key())).count();
        assert!(
            (1..=2).contains(&changed),
            "{changed} of {} segments changed",
            after.len()
        );
    }

    #[test]
    fn fences_front_matter_and_comments_are_not_cut() {
        let filler = paragraphs(60, 9);
        for block in [
            "```\ncode\n\n\nmore code\n```\n",
            "~~~~ text\nA\n\nB\n~~~~\n",
            "<!-- a comment\n\nstill the comment\n-->\n",
        ] {
            let text = format!("{filler}{block}\n{filler}");
            let start = filler.len();
            for piece in pieces(&text) {
                let s = piece.as_ptr() as usize - text.as_ptr() as usize;
                assert!(!(start < s && s < start + block.len()), "cut inside {block:?}");
            }
        }
        let text = format!("---\ntitle: x\n\nauthor: y\n---\n{filler}");
        let segments = split(&text, Format::Markdown);
        assert!(segments.iter().all(|s| s.range.start == 0 || s.range.start > 30));
    }

    #[test]
    fn a_long_text_without_blank_lines_is_cut_at_line_ends() {
        let text: String = (0..5000).map(|i| format!("line {i} of a long note\n")).collect();
        let segments = split(&text, Format::PlainText);
        assert!(segments.len() > 1);
        for s in &segments {
            assert!(text[..s.range.end].ends_with('\n'));
        }
        let one_line = "word ".repeat(20_000);
        assert_eq!(split(&one_line, Format::PlainText).len(), 1);
    }

    #[test]
    fn fingerprints_tell_texts_apart() {
        let a = fingerprint(b"Maria Lopez, 45");
        assert_eq!(a, fingerprint(b"Maria Lopez, 45"));
        assert_ne!(a, fingerprint(b"Maria Lopez, 46"));
        assert_ne!(fingerprint(b""), fingerprint(b"\0"));
        assert_ne!(fingerprint(b"12345678"), fingerprint(b"12345678\0"));
    }
}
