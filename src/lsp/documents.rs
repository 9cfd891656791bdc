//! Open documents: a rope per document, kept in step with the editor through incremental edits.

use std::collections::HashMap;

use ropey::Rope;

use crate::engine::Format;
use crate::position::{rope_offset, Clamp, LineCol, PositionEncoding};

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub format: Format,
}

/// A change as the editor sent it: a range (or none, for the whole document) and new text.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub range: Option<(LineCol, LineCol)>,
    pub text: &'a str,
}

/// What went wrong applying a change. The document is left as it was before that change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    UnknownDocument,
    /// The range ends before it starts.
    InvertedRange {
        start: LineCol,
        end: LineCol,
    },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::UnknownDocument => write!(f, "the document is not open"),
            ChangeError::InvertedRange { start, end } => write!(
                f,
                "the edit's range ends ({}:{}) before it starts ({}:{})",
                end.line, end.col, start.line, start.col
            ),
        }
    }
}

/// What applying a batch of changes did, for logging.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangeReport {
    /// Changes whose positions lay outside the document and were clamped to it.
    pub clamped: usize,
    /// The new version was not newer than the old one.
    pub version_went_back: bool,
}

/// All open documents, keyed by URI string.
#[derive(Debug, Default)]
pub struct DocumentStore {
    documents: HashMap<String, Document>,
}

impl DocumentStore {
    pub fn open(&mut self, uri: &str, text: &str, version: i32, format: Format) {
        self.documents.insert(
            uri.to_string(),
            Document {
                rope: Rope::from_str(text),
                version,
                format,
            },
        );
    }

    pub fn close(&mut self, uri: &str) -> bool {
        self.documents.remove(uri).is_some()
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.documents.get(uri)
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// The URIs of the open documents.
    pub fn uris(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Applies the changes of one `didChange` in order. Out-of-range positions are clamped; an
    /// inverted range stops the batch with an error, keeping the changes before it (they were
    /// valid, and the editor applied them too).
    pub fn change(
        &mut self,
        uri: &str,
        version: i32,
        changes: &[Change<'_>],
        encoding: PositionEncoding,
    ) -> Result<ChangeReport, ChangeError> {
        let document = self.documents.get_mut(uri).ok_or(ChangeError::UnknownDocument)?;
        let mut report = ChangeReport {
            version_went_back: version <= document.version,
            ..ChangeReport::default()
        };
        document.version = version;
        for change in changes {
            match change.range {
                None => document.rope = Rope::from_str(change.text),
                Some((start, end)) => {
                    if end < start {
                        return Err(ChangeError::InvertedRange { start, end });
                    }
                    let (from, from_clamp) = rope_offset(&document.rope, start, encoding);
                    let (to, to_clamp) = rope_offset(&document.rope, end, encoding);
                    if from_clamp == Clamp::Clamped || to_clamp == Clamp::Clamped {
                        report.clamped += 1;
                    }
                    let (from, to) = (
                        document.rope.byte_to_char(from),
                        document.rope.byte_to_char(to.max(from)),
                    );
                    document.rope.remove(from..to);
                    document.rope.insert(from, change.text);
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf8};

    fn at(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    fn edit<'a>(start: LineCol, end: LineCol, text: &'a str) -> Change<'a> {
        Change {
            range: Some((start, end)),
            text,
        }
    }

    #[test]
    fn incremental_edits_after_emoji_and_crlf() {
        let mut store = DocumentStore::default();
        store.open("file:///a.md", "🙂 Hi\r\nBob\r\n", 1, Format::Markdown);
        // UTF-16: the emoji is two units, so "Hi" starts at column 3.
        store
            .change("file:///a.md", 2, &[edit(at(0, 3), at(0, 5), "Hello")], Utf16)
            .unwrap();
        assert_eq!(
            store.get("file:///a.md").unwrap().rope.to_string(),
            "🙂 Hello\r\nBob\r\n"
        );
        store
            .change("file:///a.md", 3, &[edit(at(1, 0), at(1, 3), "Ann")], Utf16)
            .unwrap();
        store
            .change("file:///a.md", 4, &[edit(at(0, 10), at(1, 0), " ")], Utf16)
            .unwrap();
        let doc = store.get("file:///a.md").unwrap();
        assert_eq!(doc.rope.to_string(), "🙂 Hello Ann\r\n");
        assert_eq!(doc.version, 4);
    }

    #[test]
    fn utf8_columns_count_bytes() {
        let mut store = DocumentStore::default();
        store.open("u", "é🙂x", 1, Format::PlainText);
        store.change("u", 2, &[edit(at(0, 6), at(0, 7), "y")], Utf8).unwrap();
        assert_eq!(store.get("u").unwrap().rope.to_string(), "é🙂y");
    }

    #[test]
    fn out_of_range_is_clamped_and_inverted_is_rejected() {
        let mut store = DocumentStore::default();
        store.open("u", "abc\n", 1, Format::PlainText);
        let report = store.change("u", 2, &[edit(at(0, 99), at(7, 0), "!")], Utf16).unwrap();
        assert_eq!(report.clamped, 1);
        assert_eq!(store.get("u").unwrap().rope.to_string(), "abc!");
        let err = store
            .change("u", 3, &[edit(at(0, 2), at(0, 1), "x")], Utf16)
            .unwrap_err();
        assert!(matches!(err, ChangeError::InvertedRange { .. }));
        assert_eq!(store.get("u").unwrap().rope.to_string(), "abc!");
        assert_eq!(
            store.change("nope", 1, &[], Utf16).unwrap_err(),
            ChangeError::UnknownDocument
        );
        let report = store.change("u", 1, &[], Utf16).unwrap();
        assert!(report.version_went_back);
    }

    #[test]
    fn full_replacement() {
        let mut store = DocumentStore::default();
        store.open("u", "old", 1, Format::PlainText);
        store
            .change(
                "u",
                2,
                &[Change {
                    range: None,
                    text: "new",
                }],
                Utf16,
            )
            .unwrap();
        assert_eq!(store.get("u").unwrap().rope.to_string(), "new");
    }
}
