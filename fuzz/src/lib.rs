//! Shared parts of the scrubs fuzz targets: the properties (in `properties`, also run by
//! `tests/fuzz_properties.rs`) and the structured inputs libFuzzer's bytes are read as.

use arbitrary::Arbitrary;
use scrubs::engine::{Format, NameStyle};
use scrubs::position::{LineCol, PositionEncoding};

pub mod properties;

use properties::{Batch, ChangeSpec, EditSession, PIECES};

/// Keeps generated documents small enough for many executions per second, yet able to grow past
/// a rope chunk (about a kilobyte) so that edits meet chunk boundaries.
const MAX_TEXT: usize = 64 * 1024;

/// A piece of text: one of the awkward `PIECES`, any character, or any string.
#[derive(Arbitrary, Debug)]
pub enum Piece {
    Known(u8),
    Char(char),
    Str(String),
}

/// Text made of pieces, optionally repeated to make a longer document.
#[derive(Arbitrary, Debug)]
pub struct Text {
    pieces: Vec<Piece>,
    repeat: u8,
}

impl Text {
    pub fn build(&self) -> String {
        let mut once = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Known(i) => once.push_str(PIECES[usize::from(*i) % PIECES.len()]),
                Piece::Char(c) => once.push(*c),
                Piece::Str(s) => once.push_str(s),
            }
        }
        // Mostly once; now and then up to 64 times.
        let times = if self.repeat >= 192 {
            1 + usize::from(self.repeat - 192)
        } else {
            1
        };
        let mut text = once.repeat(times);
        if text.len() > MAX_TEXT {
            let mut cut = MAX_TEXT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        text
    }
}

/// A line or column: mostly small (so it often lands inside the document), sometimes anything.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Coord {
    Small(u8),
    Medium(u8),
    Any(u32),
}

impl Coord {
    fn value(self) -> u32 {
        match self {
            Coord::Small(n) => u32::from(n & 0x0f),
            Coord::Medium(n) => u32::from(n),
            Coord::Any(n) => n,
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Pos {
    line: Coord,
    col: Coord,
}

impl Pos {
    fn line_col(self) -> LineCol {
        LineCol {
            line: self.line.value(),
            col: self.col.value(),
        }
    }
}

/// Where a range ends: anywhere (so possibly before its start), or at or after its start.
#[derive(Arbitrary, Debug)]
pub enum End {
    Absolute(Pos),
    After { lines: u8, col: Coord },
}

#[derive(Arbitrary, Debug)]
pub enum EditInput {
    Insert { at: Pos, text: Text },
    Delete { start: Pos, end: End },
    Replace { start: Pos, end: End, text: Text },
    Full(Text),
}

#[derive(Arbitrary, Debug)]
pub struct BatchInput {
    /// Added to the previous version, so versions can also go back or repeat.
    version_step: i8,
    changes: Vec<EditInput>,
}

#[derive(Arbitrary, Debug)]
pub struct SessionInput {
    initial: Text,
    encoding: u8,
    batches: Vec<BatchInput>,
}

fn range(start: Pos, end: &End, text: String) -> ChangeSpec {
    let start = start.line_col();
    let end = match end {
        End::Absolute(pos) => pos.line_col(),
        End::After { lines, col } => match lines % 4 {
            0 => LineCol {
                line: start.line,
                col: start.col.saturating_add(col.value()),
            },
            more => LineCol {
                line: start.line.saturating_add(u32::from(more)),
                col: col.value(),
            },
        },
    };
    ChangeSpec::Range { start, end, text }
}

impl SessionInput {
    pub fn session(&self) -> EditSession {
        let encoding = match self.encoding % 3 {
            0 => PositionEncoding::Utf16,
            1 => PositionEncoding::Utf8,
            _ => PositionEncoding::Utf32,
        };
        let mut version: i32 = 0;
        let batches = self
            .batches
            .iter()
            .map(|b| {
                version = version.wrapping_add(i32::from(b.version_step));
                let changes = b
                    .changes
                    .iter()
                    .map(|c| match c {
                        EditInput::Insert { at, text } => ChangeSpec::Range {
                            start: at.line_col(),
                            end: at.line_col(),
                            text: text.build(),
                        },
                        EditInput::Delete { start, end } => range(*start, end, String::new()),
                        EditInput::Replace { start, end, text } => range(*start, end, text.build()),
                        EditInput::Full(text) => ChangeSpec::Full(text.build()),
                    })
                    .collect();
                Batch { version, changes }
            })
            .collect();
        EditSession {
            initial: self.initial.build(),
            encoding,
            batches,
        }
    }
}

/// Reads raw fuzz bytes as a document: the first byte picks the format and the name style, the
/// rest is the text (invalid UTF-8 replaced, as an editor or `scrubs check` would refuse it).
pub fn document(data: &[u8]) -> Option<(String, Format, NameStyle)> {
    let (&selector, rest) = data.split_first()?;
    let format = if selector & 1 == 0 {
        Format::Markdown
    } else {
        Format::PlainText
    };
    let style = properties::name_style(selector >> 1);
    Some((String::from_utf8_lossy(rest).into_owned(), format, style))
}
