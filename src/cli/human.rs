//! Human output, in the style of rustc and ruff: `path:line:col: severity[rule] message`, then the
//! source line with the finding underlined.

use std::borrow::Cow;
use std::io::{self, Write};

use super::Checked;
use crate::engine::Severity;
use crate::position::{LineIndex, Near, PositionEncoding};

/// Lines longer than this are shown as a window around the finding.
const MAX_SHOWN: usize = 100;

/// Writes the findings of `checked` and a summary. `errors_reported`: errors were written to
/// standard error (a path that does not exist, a file that is not text, a settings file that
/// could not be used), so the summary must not read as if everything had been checked.
pub fn write(out: &mut impl Write, checked: &[Checked], color: bool, errors_reported: bool) -> io::Result<()> {
    let paint = Paint { on: color };
    let (mut errors, mut warnings, mut others, mut files_with_findings) = (0, 0, 0, 0);
    for doc in checked {
        if doc.findings.is_empty() {
            continue;
        }
        files_with_findings += 1;
        let index = LineIndex::new(&doc.source);
        let mut near = Near::default();
        // The shape of the line of the last finding: lines are read once, not once per finding
        // (a pasted line of a megabyte may hold a hundred thousand).
        let mut shape_of_line: Option<(usize, LineShape)> = None;
        for finding in &doc.findings {
            match finding.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => others += 1,
            }
            let start = index.position_near(&doc.source, finding.span.start, PositionEncoding::Utf32, &mut near);
            let line_no = near.line();
            let line = index.line_text(&doc.source, line_no);
            let line_start = index.line_start(line_no).unwrap_or(0);
            paint.write(out, BOLD, &doc.display)?;
            out.write_all(b":")?;
            write_number(out, u64::from(start.line) + 1)?;
            out.write_all(b":")?;
            write_number(out, u64::from(start.col) + 1)?;
            out.write_all(b": ")?;
            paint.write(out, paint.severity_code(finding.severity), finding.severity.as_str())?;
            out.write_all(b"[")?;
            out.write_all(finding.rule.code().as_bytes())?;
            out.write_all(b"] ")?;
            out.write_all(finding.message.as_bytes())?;
            out.write_all(b"\n")?;
            let span_start = finding.span.start - line_start;
            let span_end = (finding.span.end - line_start).min(line.len());
            let shape = match shape_of_line {
                Some((known, shape)) if known == line_no => shape,
                _ => LineShape::of(line),
            };
            shape_of_line = Some((line_no, shape));
            let (shown, marker_offset, marker_width) = snippet(line, span_start, span_end, shape);
            let gutter = line_no + 1;
            let pad = gutter.ilog10() as usize + 1;
            write_repeated(out, b' ', pad)?;
            out.write_all(b" |\n")?;
            write_number(out, gutter as u64)?;
            out.write_all(b" | ")?;
            out.write_all(shown.as_bytes())?;
            out.write_all(b"\n")?;
            write_repeated(out, b' ', pad)?;
            out.write_all(b" | ")?;
            write_repeated(out, b' ', marker_offset)?;
            paint.write_repeated(out, paint.severity_code(finding.severity), b'^', marker_width.max(1))?;
            out.write_all(b"\n")?;
            let mut near_related = near;
            for (span, what) in &finding.related {
                let at = index.position_near(&doc.source, span.start, PositionEncoding::Utf32, &mut near_related);
                write_repeated(out, b' ', pad)?;
                writeln!(out, " = note: {what} at {}:{}", at.line + 1, at.col + 1)?;
            }
            out.write_all(b"\n")?;
        }
    }
    let total = errors + warnings + others;
    let files = checked.len();
    let file_word = if files == 1 { "file" } else { "files" };
    if total == 0 && errors_reported {
        writeln!(out, "No problems found in the {files} {file_word} checked.")?;
    } else if total == 0 {
        writeln!(out, "No problems found in {files} {file_word}.")?;
    } else {
        let problem_word = if total == 1 { "problem" } else { "problems" };
        let mut parts = Vec::new();
        for (n, word) in [(errors, "error"), (warnings, "warning"), (others, "note")] {
            if n > 0 {
                parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
            }
        }
        writeln!(
            out,
            "Found {total} {problem_word} ({}) in {files_with_findings} of {files} {file_word}.",
            parts.join(", ")
        )?;
        writeln!(
            out,
            "Run `scrubs fix PATH` to see the safe de-identifying fixes, `scrubs rule CODE` to read about a rule."
        )?;
    }
    if errors_reported {
        writeln!(
            out,
            "Not everything was checked as you asked: see the errors above, fix them and run the check again."
        )?;
    }
    Ok(())
}

/// Writes `n` in decimal digits, without the formatting machinery (three numbers per finding).
fn write_number(out: &mut impl Write, n: u64) -> io::Result<()> {
    out.write_all(crate::engine::text::decimal(&mut [0; 20], n).as_bytes())
}

/// Writes `count` copies of `byte`, a few at a time rather than one by one.
fn write_repeated(out: &mut impl Write, byte: u8, mut count: usize) -> io::Result<()> {
    let chunk = [byte; 64];
    while count > 0 {
        let n = count.min(chunk.len());
        out.write_all(&chunk[..n])?;
        count -= n;
    }
    Ok(())
}

/// What [`snippet`] needs to know of a whole line, found once for all the findings on it.
#[derive(Debug, Clone, Copy)]
struct LineShape {
    /// Only printable ASCII: every byte is one character, one column wide.
    printable_ascii: bool,
    /// More characters than are shown.
    long: bool,
}

impl LineShape {
    fn of(line: &str) -> LineShape {
        LineShape {
            printable_ascii: line.bytes().all(|b| b.is_ascii_graphic() || b == b' '),
            long: line.chars().nth(MAX_SHOWN).is_some(),
        }
    }
}

/// The part of `line` to show, and where (in display columns) the marker starts and how wide it
/// is. Tabs become single spaces; wide characters count two columns; long lines are windowed.
/// Reads only the window, whatever the length of the line.
fn snippet(line: &str, span_start: usize, span_end: usize, shape: LineShape) -> (Cow<'_, str>, usize, usize) {
    let span_start = crate::engine::text::floor_boundary(line, span_start);
    let span_end = crate::engine::text::floor_boundary(line, span_end.max(span_start));
    if shape.printable_ascii {
        return printable_ascii_snippet(line, span_start, span_end);
    }
    let (shown, width_before, marker_width) = any_snippet(line, span_start, span_end, shape.long);
    (Cow::Owned(shown), width_before, marker_width)
}

/// [`snippet`] for a line of printable ASCII, where every byte is a character one column wide
/// shown as it is: the window is a slice of the line.
fn printable_ascii_snippet(line: &str, span_start: usize, span_end: usize) -> (Cow<'_, str>, usize, usize) {
    let (window_start, prefix) = if line.len() > MAX_SHOWN && span_start > 30 {
        (span_start - 30, "…")
    } else {
        (0, "")
    };
    let window_end = line.len().min(window_start + MAX_SHOWN);
    let suffix = if line.len() > window_end { "…" } else { "" };
    let width_before = usize::from(!prefix.is_empty()) + span_start.min(window_end) - window_start;
    let marker_width = span_end.min(window_end).saturating_sub(span_start);
    let window = &line[window_start..window_end];
    let shown = if prefix.is_empty() && suffix.is_empty() {
        Cow::Borrowed(window)
    } else {
        Cow::Owned([prefix, window, suffix].concat())
    };
    (shown, width_before, marker_width)
}

/// [`snippet`] for any line (`long` when it has more than [`MAX_SHOWN`] characters), character
/// by character. A long line's window starts 30 characters before the span, when there are more.
fn any_snippet(line: &str, span_start: usize, span_end: usize, long: bool) -> (String, usize, usize) {
    let mut before = line[..span_start].char_indices().rev();
    let (window_start, prefix) = match (long, before.nth(29), before.next()) {
        (true, Some((thirtieth, _)), Some(_)) => (thirtieth, "…"),
        _ => (0, ""),
    };
    let mut shown = String::from(prefix);
    let mut width_before = prefix.chars().count();
    let mut marker_width = 0;
    for (count, (i, c)) in line[window_start..].char_indices().enumerate() {
        let at = window_start + i;
        if count >= MAX_SHOWN {
            shown.push('…');
            break;
        }
        let shown_char = if c == '\t' || c.is_control() { ' ' } else { c };
        let w = display_width(shown_char);
        if at < span_start {
            width_before += w;
        } else if at < span_end {
            marker_width += w;
        }
        shown.push(shown_char);
    }
    (shown, width_before, marker_width)
}

/// Terminal columns a character takes: 0 for combining marks, 2 for East Asian wide characters
/// and emoji, 1 otherwise. An approximation, enough to place the underline.
fn display_width(c: char) -> usize {
    match c as u32 {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

const BOLD: &str = "1";

struct Paint {
    on: bool,
}

impl Paint {
    /// Writes `text`, in the colour or weight `code` when colour is on.
    fn write(&self, out: &mut impl Write, code: &str, text: &str) -> io::Result<()> {
        self.start(out, code)?;
        out.write_all(text.as_bytes())?;
        self.end(out)
    }

    /// Writes `count` copies of `byte`, painted as [`Paint::write`] paints.
    fn write_repeated(&self, out: &mut impl Write, code: &str, byte: u8, count: usize) -> io::Result<()> {
        self.start(out, code)?;
        write_repeated(out, byte, count)?;
        self.end(out)
    }

    fn start(&self, out: &mut impl Write, code: &str) -> io::Result<()> {
        if self.on {
            out.write_all(b"\x1b[")?;
            out.write_all(code.as_bytes())?;
            out.write_all(b"m")?;
        }
        Ok(())
    }

    fn end(&self, out: &mut impl Write) -> io::Result<()> {
        if self.on {
            out.write_all(b"\x1b[0m")?;
        }
        Ok(())
    }

    fn severity_code(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info | Severity::Hint => "1;36",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_places_the_marker_under_the_span() {
        let line = "\tSeen 🙂 on 3/4/2024.";
        let start = line.find("3/4").unwrap();
        let (shown, offset, width) = snippet(line, start, start + 8, LineShape::of(line));
        assert_eq!(shown, " Seen 🙂 on 3/4/2024.");
        assert_eq!((offset, width), (12, 8));
    }

    /// The window of a printable ASCII line, cut from it as a slice, is the window the general
    /// character-by-character path shows, with the same marker.
    #[test]
    fn ascii_lines_are_shown_as_any_line_is() {
        let lines = [
            String::new(),
            "x".to_string(),
            "Seen on 3/4/2024 by Dr. Gray.".to_string(),
            "a".repeat(100),
            "b".repeat(101),
            format!("{}DATE{}", "x".repeat(500), "y".repeat(500)),
            format!("{}DATE", "x".repeat(120)),
            format!("DATE{}", "y".repeat(120)),
            (0..250).map(|i| char::from(b' ' + (i % 95) as u8)).collect(),
        ];
        for line in &lines {
            let ends: Vec<usize> = (0..=line.len()).step_by(7).chain([line.len()]).collect();
            for &start in &ends {
                for &end in &ends {
                    let (shown, offset, width) = printable_ascii_snippet(line, start, end.max(start));
                    let (any_shown, any_offset, any_width) =
                        any_snippet(line, start, end.max(start), LineShape::of(line).long);
                    assert_eq!(
                        (&*shown, offset, width),
                        (&*any_shown, any_offset, any_width),
                        "{line:?} {start}..{end}"
                    );
                }
            }
        }
    }

    /// The window as it was first written, counting the line's characters from its start for
    /// every finding: what the window read locally must show.
    fn counted_snippet(line: &str, span_start: usize, span_end: usize) -> (String, usize, usize) {
        let chars_before = line[..span_start].chars().count();
        let window_start = if line.chars().count() > MAX_SHOWN && chars_before > 30 {
            line.char_indices().nth(chars_before - 30).map_or(0, |(i, _)| i)
        } else {
            0
        };
        let mut shown = String::from(if window_start > 0 { "…" } else { "" });
        let (mut width_before, mut marker_width) = (usize::from(window_start > 0), 0);
        for (count, (i, c)) in line[window_start..].char_indices().enumerate() {
            if count >= MAX_SHOWN {
                shown.push('…');
                break;
            }
            let c = if c == '\t' || c.is_control() { ' ' } else { c };
            if window_start + i < span_start {
                width_before += display_width(c);
            } else if window_start + i < span_end {
                marker_width += display_width(c);
            }
            shown.push(c);
        }
        (shown, width_before, marker_width)
    }

    #[test]
    fn windows_of_lines_with_wide_characters_are_the_counted_ones() {
        let lines = [
            "é🙂\tx".to_string(),
            "é".repeat(100),
            "é".repeat(101),
            format!("{}DATE{}", "日本".repeat(200), "🙂".repeat(300)),
            format!("{}DATE", "e\u{301}".repeat(60)),
            format!("a{}DATE{}", "ü".repeat(29), "y".repeat(120)),
            format!("a{}DATE{}", "ü".repeat(30), "y".repeat(120)),
            format!("{}DATE", "x".repeat(120)) + "é",
        ];
        for line in &lines {
            let ends: Vec<usize> = (0..=line.len())
                .filter(|&i| line.is_char_boundary(i))
                .step_by(3)
                .chain([line.len()])
                .collect();
            for &start in &ends {
                for &end in ends.iter().filter(|&&end| end >= start) {
                    assert_eq!(
                        snippet(line, start, end, LineShape::of(line)),
                        {
                            let (shown, offset, width) = counted_snippet(line, start, end);
                            (Cow::Owned(shown), offset, width)
                        },
                        "{line:?} {start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u64::MAX] {
            let mut out = Vec::new();
            write_number(&mut out, n).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = format!("{}DATE{}", "x".repeat(500), "y".repeat(500));
        let start = line.find("DATE").unwrap();
        let (shown, offset, width) = snippet(&line, start, start + 4, LineShape::of(&line));
        assert!(shown.chars().count() <= MAX_SHOWN + 2);
        assert_eq!(&shown.chars().skip(offset).take(4).collect::<String>(), "DATE");
        assert_eq!(width, 4);
    }
}
