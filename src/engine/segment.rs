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
//! the same content-defined way. A line longer than that (a pasted export, a document without
//! line breaks) is read as if each of its sentences were a paragraph, so it too is cut into
//! segments of 2–16 KB, at the start of a sentence ([`next_sentence`]); a segment then starts
//! inside a line.
//!
//! One weakness, as with every content-defined cutting that has a minimum size: in text whose
//! paragraphs repeat word for word every few paragraphs, the cuts after an edit can stay out of
//! step with the old ones, and every segment after the edit is checked again. The findings are
//! the same either way; only the time of that re-check grows.

use std::ops::Range;

use super::markup::Format;

/// A segment ends only once it holds this many bytes...
pub const MIN_SEGMENT: usize = 2 * 1024;
/// ...and must end once it holds this many, at the next chunk or line end.
pub const MAX_SEGMENT: usize = 16 * 1024;

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

/// Where the first sentence that starts in `from..end` of `bytes` starts: after a `.`, `!` or
/// `?` and spaces, at a capital letter. A period counts only after four lower-case letters, so
/// that `Dr. Smith`, `St. Louis`, `J. Smith`, `et al. Smith` and `5. Then` stay together. Only
/// the bytes around each place decide, so the places found are the same from wherever one looks.
fn next_sentence(bytes: &[u8], from: usize, end: usize) -> Option<usize> {
    // A sentence starting at `from` can have its mark before the spaces before `from`.
    let mut scan = from;
    while scan > 0 && bytes[scan - 1] == b' ' {
        scan -= 1;
    }
    scan = scan.saturating_sub(1);
    while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[scan..end]) {
        let at = scan + found;
        scan = at + 1;
        let spaces = bytes[at + 1..end].iter().take_while(|&&b| b == b' ').count();
        let next = at + 1 + spaces;
        if spaces == 0 || next < from || next >= end || !bytes[next].is_ascii_uppercase() {
            continue;
        }
        let after_a_word = at >= 4 && bytes[at - 4..at].iter().all(u8::is_ascii_lowercase);
        if bytes[at] != b'.' || after_a_word {
            return Some(next);
        }
    }
    None
}

/// Cuts `text` into segments that together cover it exactly, in order. An empty text has none.
pub fn split(text: &str, format: Format) -> Vec<Segment> {
    let mut segments = Vec::with_capacity(text.len() / MIN_SEGMENT + 1);
    split_into(text, format, 0, &mut segments, |_| false);
    segments
}

/// The same segments as [`split`] gives for `text`, from the segments `old` of an earlier
/// version `old_text` of the same document: only the text around what changed is cut again.
///
/// Why it is the same: where the splitter cuts, its state is always the same (no open block, a
/// new chunk and segment starting at that line), and whether it cuts there depends only on the
/// text before the cut and the line (or, inside a long line, the sentence and the byte after
/// it) that starts there. So the cuts of `old` up to the segment before the one holding the
/// first changed byte (or ending just before it) are made again as they were, and once a cut in
/// the unchanged end of the text falls where `old` had one, of the same kind (at a line's start
/// or inside a line), the rest is `old`'s, moved.
pub fn split_again(old_text: &str, old: &[Segment], text: &str, format: Format) -> Vec<Segment> {
    let (before, after) = (old_text.as_bytes(), text.as_bytes());
    let prefix = common_prefix(before, after);
    if prefix == before.len() && prefix == after.len() {
        return old.to_vec();
    }
    let suffix = common_suffix(before, after, before.len().min(after.len()) - prefix);
    // Keep the segments before the one before the segment holding the first change, or ending
    // just before it: whether a segment starts where it does can depend on the byte after its
    // first sentence (a capital or not, see `next_sentence`), which can be the first changed.
    let holding = old.partition_point(|s| s.range.end < prefix);
    let keep = holding.saturating_sub(1);
    let start = old.get(keep).map_or(0, |s| s.range.start);
    let mut segments = Vec::with_capacity(old.len() + 2);
    segments.extend_from_slice(&old[..keep]);
    let unchanged_from = after.len() - suffix;
    let old_position = |cut: usize| cut + before.len() - after.len();
    let old_cut = |cut: usize| old.binary_search_by_key(&old_position(cut), |s| s.range.start).ok();
    // A cut of the unchanged end where `old` had one gives the same cuts after it, if it starts
    // a line in both or in neither: after a line's start its first `MAX_SEGMENT` bytes are read
    // whole, after a cut inside a line sentence by sentence (and the byte before the cut can be
    // one that changed).
    let starts_a_line = |bytes: &[u8], at: usize| at == 0 || bytes[at - 1] == b'\n';
    let resumed = split_into(text, format, start, &mut segments, |cut| {
        cut >= unchanged_from
            && old_cut(cut).is_some()
            && starts_a_line(after, cut) == starts_a_line(before, old_position(cut))
    });
    if let Some(k) = resumed.and_then(old_cut) {
        segments.extend(old[k..].iter().map(|s| Segment {
            range: s.range.start + after.len() - before.len()..s.range.end + after.len() - before.len(),
            fingerprint: s.fingerprint,
        }));
    }
    segments
}

/// How many bytes `a` and `b` have in common at the start.
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    // Whole blocks compared at once, then the bytes of the first block that differs.
    let same_blocks = a.chunks(BLOCK).zip(b.chunks(BLOCK)).take_while(|(x, y)| x == y).count();
    let at = (same_blocks * BLOCK).min(len);
    at + a[at..].iter().zip(&b[at..]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` have in common at the end, at most `limit`.
pub(crate) fn common_suffix(a: &[u8], b: &[u8], limit: usize) -> usize {
    let (a, b) = (&a[a.len() - limit..], &b[b.len() - limit..]);
    let same_blocks = a
        .rchunks(BLOCK)
        .zip(b.rchunks(BLOCK))
        .take_while(|(x, y)| x == y)
        .count();
    let n = (same_blocks * BLOCK).min(limit);
    n + a[..limit - n]
        .iter()
        .rev()
        .zip(b[..limit - n].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Bytes compared at once when looking for where two versions of a text differ.
const BLOCK: usize = 4096;

/// Cuts `text` from `start` — 0, or a place where a split of the same text cut — pushing the
/// segments onto `segments`. After each cut, `known(cut)` may say the segments from there on
/// are known: the split then stops and returns that cut.
fn split_into(
    text: &str,
    format: Format,
    start: usize,
    segments: &mut Vec<Segment>,
    mut known: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut segment_start = start;
    let push = |segments: &mut Vec<Segment>, start: usize, end: usize| {
        if end > start {
            segments.push(Segment {
                range: start..end,
                fingerprint: fingerprint(&bytes[start..end]),
            });
        }
    };
    let mut open = Open::None;
    let mut line_start = start;
    // Whether the chunk being read has had a blank line (outside any open construct) since its
    // last text: the next non-blank line then starts a new chunk.
    let mut blank_seen = false;
    let mut chunk_start = start;
    // Where the line being read starts (before `start` when that is inside a line).
    let mut real_line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
    // And where it ends, found once for all the sentences of a long line.
    let mut real_line_end = start;
    while line_start < bytes.len() {
        if line_start == 0 || bytes[line_start - 1] == b'\n' {
            real_line_start = line_start;
        }
        if line_start >= real_line_end {
            real_line_end = memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        }
        let mut line_end = real_line_end;
        if open == Open::None && line_end - real_line_start > MAX_SEGMENT {
            // A very long line: after its first `MAX_SEGMENT` bytes it is read sentence by
            // sentence, as if each were a paragraph of its own. Where they start depends on the
            // text before and around each start alone, as a cut must.
            let from = (line_start + 1).max(real_line_start + MAX_SEGMENT);
            if let Some(next) = next_sentence(bytes, from, line_end) {
                line_end = next;
            }
        }
        let line = &bytes[line_start..line_end];
        let blank = open == Open::None && is_blank(line);
        let mut cut = false;
        if !blank && blank_seen {
            // A chunk ended just before this line.
            let chunk = &bytes[chunk_start..line_start];
            let size = line_start - segment_start;
            cut = size >= MAX_SEGMENT || size >= MIN_SEGMENT && cut_here(chunk);
            chunk_start = line_start;
            blank_seen = false;
        } else if !blank && open == Open::None && line_start > 0 && bytes[line_start - 1] != b'\n' {
            // A sentence inside a very long line: cut before it as before a paragraph, so that
            // the segments of a pasted line are as small as a document's, and after an edit the
            // cuts fall in step again within a few kilobytes (a sentence repeated word for word
            // has the same hash every time: cut at `MAX_SEGMENT` then).
            let size = line_start - segment_start;
            cut = size >= MAX_SEGMENT || size >= MIN_SEGMENT && cut_here(line);
            chunk_start = line_start;
        } else if !blank && open == Open::None && line_start - segment_start >= MAX_SEGMENT && cut_here(line) {
            // A very long chunk: cut it at a line end, also content-defined.
            cut = true;
            chunk_start = line_start;
        }
        if cut {
            push(segments, segment_start, line_start);
            segment_start = line_start;
            if known(line_start) {
                return Some(line_start);
            }
        }
        if blank {
            blank_seen = true;
        }
        open = after_line(open, line, line_start == 0, format);
        line_start = line_end;
    }
    push(segments, segment_start, bytes.len());
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::text::{ceil_boundary, floor_boundary};

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

    /// Sentences of a long line, some with abbreviations and initials that end in a period.
    fn long_line(sentences: usize) -> String {
        (0..sentences)
            .map(|i| match i % 4 {
                0 => format!("Seen by Dr. Smith on visit {i} today. "),
                1 => format!("She said J. Smith of St. Louis called {i} times! "),
                2 => format!("Was it {} weeks ago? ", i % 17),
                _ => "Nothing else to report et al. Then rest. ".to_string(),
            })
            .collect()
    }

    #[test]
    fn a_long_line_is_cut_where_a_sentence_starts() {
        for format in [Format::Markdown, Format::PlainText] {
            let text = format!("# Notes\n\n{}\nA last line.\n", long_line(6000));
            let segments = split(&text, format);
            // Cut as finely as paragraphs are, after the line's first `MAX_SEGMENT` bytes.
            assert!(segments.len() > text.len() / 8192, "{} segments", segments.len());
            for s in &segments[1..] {
                let before = &text[..s.range.start];
                let starts_a_sentence = [". ", "! ", "? "].iter().any(|end| before.ends_with(end))
                    && text.as_bytes()[s.range.start].is_ascii_uppercase();
                assert!(
                    starts_a_sentence || before.ends_with('\n'),
                    "cut at {:?}",
                    &text[s.range.start - 12..][..24]
                );
                for abbreviation in ["Dr. ", "J. ", "St. ", "al. "] {
                    assert!(!before.ends_with(abbreviation), "cut after {abbreviation:?}");
                }
            }
            for s in &segments[..segments.len() - 1] {
                assert!(s.range.len() <= MAX_SEGMENT + 100, "{:?}", s.range);
            }
        }
        // The same sentence over and over is cut too, though its hash never says so.
        let same = "The same sentence. ".repeat(20_000);
        assert!(split(&same, Format::PlainText).len() >= same.len() / (MAX_SEGMENT + 100));
        // Without a sentence end, or inside a fence, a line stays whole.
        assert_eq!(split(&"Dr. Smith ".repeat(5_000), Format::Markdown).len(), 1);
        let fenced = format!("```\n{}\n```\n", long_line(2000));
        assert_eq!(split(&fenced, Format::Markdown).len(), 1);
    }

    #[test]
    fn fingerprints_tell_texts_apart() {
        let a = fingerprint(b"Maria Lopez, 45");
        assert_eq!(a, fingerprint(b"Maria Lopez, 45"));
        assert_ne!(a, fingerprint(b"Maria Lopez, 46"));
        assert_ne!(fingerprint(b""), fingerprint(b"\0"));
        assert_ne!(fingerprint(b"12345678"), fingerprint(b"12345678\0"));
    }

    /// Cutting again from an earlier version's segments gives the segments of cutting afresh,
    /// whatever the edit: in the middle, at the ends, across fences and comments, of blank lines.
    #[test]
    fn cutting_again_is_cutting_afresh() {
        let mut text = paragraphs(900, 2);
        text.insert_str(20_000, "```\ncode\n\n\nmore\n```\n\n<!-- a\n\nb -->\n\n");
        // A line of 80 KB, cut inside, from 60,000 on.
        text.insert_str(60_000, &format!("{}\n\n", long_line(2000)));
        let edits: &[(usize, usize, &str)] = &[
            (0, 0, "x"),
            (0, 1, ""),
            (40_000, 40_000, "\n\n"),
            (40_000, 40_010, ""),
            (20_002, 20_002, "\n\n"),
            (20_000, 20_003, "~~~"),
            (5_000, 60_000, "short"),
            (1_000, 1_000, &"word ".repeat(20_000)),
            (usize::MAX, usize::MAX, "\n\nthe end"),
            (70_000, 70_001, "\n"),
            // In the long line: a letter, a sentence end, a new sentence, a line break, a
            // comment opened and closed, and its first sentences removed.
            (100_000, 100_000, "x"),
            (100_000, 100_000, ". Then"),
            (80_013, 80_013, "Again it hurt. "),
            (110_000, 110_000, "\n"),
            (90_000, 90_000, "<!-- note"),
            (90_050, 90_050, "end -->"),
            (60_000, 60_500, ""),
            (70_000, 70_000, &"The same sentence. ".repeat(10_000)),
        ];
        let mut segments = split(&text, Format::Markdown);
        for &(from, to, insert) in edits {
            let len = text.len();
            let (from, to) = (from.min(len), to.min(len));
            let mut edited = text.clone();
            edited.replace_range(from..to, insert);
            let again = split_again(&text, &segments, &edited, Format::Markdown);
            assert_eq!(again, split(&edited, Format::Markdown), "after replacing {from}..{to}");
            text = edited;
            segments = again;
        }
        assert_eq!(split_again(&text, &segments, "", Format::Markdown), Vec::new());
        assert_eq!(
            split_again("", &[], &text, Format::Markdown),
            split(&text, Format::Markdown)
        );
    }

    /// Edits right at each cut of long lines, where cutting again is most likely to go wrong:
    /// a line break typed before a sentence that starts a segment (the cuts after it must be
    /// read as the start of a line, not inside one), a letter typed just after a segment of
    /// one sentence (whose end was decided by the capital that followed it).
    #[test]
    fn edits_at_every_cut_of_long_lines_give_the_cuts_afresh() {
        let same_sentences: String = (0..1000)
            .map(|i| format!("Patient {i} was seen today and nothing else was noted. "))
            .collect();
        let long_sentences: String = (0..400)
            .map(|i| format!("Patient {i} was seen today and nothing else was noted. "))
            .chain((0..30).map(|i| format!("Then {i} {}. Visit {i} noted. ", "word ".repeat(500))))
            .collect();
        let texts = [
            same_sentences,
            long_sentences,
            format!("# Notes\n\n{}\n\nEnd.\n", long_line(3000)),
        ];
        let mut edited_cuts = 0;
        for text in &texts {
            for format in [Format::Markdown, Format::PlainText] {
                let segments = split(text, format);
                for cut in segments[1..].iter().map(|s| s.range.start) {
                    let edits = [
                        (cut - 1, cut, "\n\n"),
                        (cut - 1, cut, "\n"),
                        (cut, cut, "\n"),
                        (cut, cut, "x"),
                        (cut, cut + 1, ""),
                        (cut - 1, cut, ""),
                    ];
                    for (from, to, insert) in edits {
                        let mut edited = text.clone();
                        edited.replace_range(from..to, insert);
                        assert_eq!(
                            split_again(text, &segments, &edited, format),
                            split(&edited, format),
                            "replacing {from}..{to} with {insert:?}"
                        );
                    }
                    edited_cuts += 1;
                }
            }
        }
        assert!(edited_cuts > 60, "{edited_cuts} cuts edited");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        /// Long lines of sentences, abbreviations, spaces, comments and fences, edited a few
        /// times at random places: cutting again after each edit is cutting afresh.
        #[test]
        fn cutting_a_long_line_again_is_cutting_afresh(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "It hurt today. ", "Then Dr. Ames came! ", "Why now?  ", "Seen by J. Lee. ",
                "et al. Then ", "vomiting. Fever. ", "Stable. ", "caf\u{e9} \u{1f642}. Then ", "  ",
                "Rest. ", "no stop here ", "<!-- x. Y --> ",
            ][..]), 2000..3000),
            breaks in proptest::collection::vec((0.0f64..1.0, proptest::sample::select(&[
                "\n", "\n\n", "\n", "\n\n", "```\n",
            ][..])), 0..3),
            edits in proptest::collection::vec((0.0f64..1.0, 0usize..300, proptest::sample::select(&[
                "", "x", ". ", ". The", " ", "\n", "\n\n", "Dr. ", "<!-- ", " -->", "```\n", "A. ",
            ][..])), 1..4),
        ) {
            let mut text: String = pieces.concat();
            for (place, line_break) in breaks {
                let at = floor_boundary(&text, (place * text.len() as f64) as usize);
                text.insert_str(at, line_break);
            }
            for format in [Format::Markdown, Format::PlainText] {
                let mut segments = split(&text, format);
                for &(place, remove, insert) in &edits {
                    let from = floor_boundary(&text, (place * text.len() as f64) as usize);
                    let to = ceil_boundary(&text, from + remove);
                    let mut edited = text.clone();
                    edited.replace_range(from..to, insert);
                    let again = split_again(&text, &segments, &edited, format);
                    proptest::prop_assert_eq!(&again, &split(&edited, format), "after replacing {}..{}", from, to);
                    text = edited;
                    segments = again;
                }
            }
        }
    }

    #[test]
    fn common_ends_are_counted_exactly() {
        let a = b"abcdefgh".repeat(30);
        let mut b = a.clone();
        b[100] = b'X';
        assert_eq!(common_prefix(&a, &b), 100);
        assert_eq!(common_suffix(&a, &b, a.len()), a.len() - 101);
        assert_eq!(common_suffix(&a, &b, 7), 7);
        assert_eq!(common_prefix(&a, &a), a.len());
        assert_eq!(common_prefix(b"", &a), 0);
    }
}
