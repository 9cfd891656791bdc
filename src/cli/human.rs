//! Human output, in the style of rustc and ruff: `path:line:col: severity[rule] message`, then the
//! source line with the finding underlined.

use std::io::{self, Write};

use super::Checked;
use crate::engine::Severity;
use crate::position::{LineIndex, PositionEncoding};

/// Lines longer than this are shown as a window around the finding.
const MAX_SHOWN: usize = 100;

pub fn write(out: &mut impl Write, checked: &[Checked], color: bool) -> io::Result<()> {
    let paint = Paint { on: color };
    let (mut errors, mut warnings, mut others, mut files_with_findings) = (0, 0, 0, 0);
    for doc in checked {
        if doc.findings.is_empty() {
            continue;
        }
        files_with_findings += 1;
        let index = LineIndex::new(&doc.source);
        for finding in &doc.findings {
            match finding.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => others += 1,
            }
            let start = index.position(&doc.source, finding.span.start, PositionEncoding::Utf32);
            let (line_no, line) = index.line_of(&doc.source, finding.span.start);
            let line_start = index.line_start(line_no).unwrap_or(0);
            let (severity, code) = (finding.severity.as_str(), finding.rule.code());
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                paint.bold(&doc.display),
                start.line + 1,
                start.col + 1,
                paint.severity(finding.severity, severity),
                code,
                finding.message
            )?;
            let span_start = finding.span.start - line_start;
            let span_end = (finding.span.end - line_start).min(line.len());
            let (shown, marker_offset, marker_width) = snippet(line, span_start, span_end);
            let gutter = (line_no + 1).to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(out, "{pad} |")?;
            writeln!(out, "{gutter} | {shown}")?;
            writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(marker_offset),
                paint.severity(finding.severity, &"^".repeat(marker_width.max(1)))
            )?;
            for (span, what) in &finding.related {
                let at = index.position(&doc.source, span.start, PositionEncoding::Utf32);
                writeln!(out, "{pad} = note: {what} at {}:{}", at.line + 1, at.col + 1)?;
            }
            writeln!(out)?;
        }
    }
    let total = errors + warnings + others;
    let files = checked.len();
    let file_word = if files == 1 { "file" } else { "files" };
    if total == 0 {
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
    Ok(())
}

/// The part of `line` to show, and where (in display columns) the marker starts and how wide it
/// is. Tabs become single spaces; wide characters count two columns; long lines are windowed.
fn snippet(line: &str, span_start: usize, span_end: usize) -> (String, usize, usize) {
    let span_start = crate::engine::text::floor_boundary(line, span_start);
    let span_end = crate::engine::text::floor_boundary(line, span_end.max(span_start));
    let chars_before = line[..span_start].chars().count();
    let (window_start, prefix) = if line.chars().count() > MAX_SHOWN && chars_before > 30 {
        let skip = chars_before - 30;
        (line.char_indices().nth(skip).map_or(0, |(i, _)| i), "…")
    } else {
        (0, "")
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

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info | Severity::Hint => "1;36",
        };
        self.wrap(code, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_places_the_marker_under_the_span() {
        let line = "\tSeen 🙂 on 3/4/2024.";
        let start = line.find("3/4").unwrap();
        let (shown, offset, width) = snippet(line, start, start + 8);
        assert_eq!(shown, " Seen 🙂 on 3/4/2024.");
        assert_eq!((offset, width), (12, 8));
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = format!("{}DATE{}", "x".repeat(500), "y".repeat(500));
        let start = line.find("DATE").unwrap();
        let (shown, offset, width) = snippet(&line, start, start + 4);
        assert!(shown.chars().count() <= MAX_SHOWN + 2);
        assert_eq!(&shown.chars().skip(offset).take(4).collect::<String>(), "DATE");
        assert_eq!(width, 4);
    }
}
