//! From a document format to checkable prose.
//!
//! Each format produces a copy of the document of exactly the same byte length in which markup
//! syntax (emphasis stars, heading hashes, table pipes, comment delimiters) is replaced by spaces
//! and everything a reader could see or follow — text, link targets, image paths, code, HTML
//! comments, front matter — is kept. Detectors then work on one string whose offsets are the
//! document's own, and markup can never hide an identifier.

mod markdown;
mod plaintext;

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

/// The document formats scrubs understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    PlainText,
}

impl Format {
    /// Picks a format from a file name; anything not known as Markdown is checked as plain text.
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd" | "mdx" | "qmd" | "rmd") => Format::Markdown,
            _ => Format::PlainText,
        }
    }

    /// Picks a format from an LSP `languageId`.
    pub fn from_language_id(id: &str) -> Format {
        match id {
            "markdown" | "mdx" | "quarto" | "rmd" => Format::Markdown,
            _ => Format::PlainText,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::PlainText => "plaintext",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "markdown" | "md" => Some(Format::Markdown),
            "plaintext" | "text" | "txt" | "plain" => Some(Format::PlainText),
            _ => None,
        }
    }
}

/// A document made ready for the detectors.
#[derive(Debug)]
pub struct Prepared<'a> {
    /// Same length as the source; markup syntax blanked.
    pub text: Cow<'a, str>,
    /// Byte ranges of blocks (paragraphs, headings, list items, code blocks...), in order.
    pub blocks: Vec<Range<usize>>,
}

pub fn prepare(source: &str, format: Format) -> Prepared<'_> {
    match format {
        Format::Markdown => markdown::prepare(source),
        Format::PlainText => plaintext::prepare(source),
    }
}

/// Splits text into paragraphs at blank lines; used for plain text and as a fallback.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(offset),
            (true, Some(s)) => {
                blocks.push(s..offset);
                start = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some(s) = start {
        blocks.push(s..text.len());
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let text = "one\ntwo\n\n\nthree\r\n \r\nfour";
        let blocks = paragraphs(text);
        let pieces: Vec<&str> = blocks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(pieces, vec!["one\ntwo\n", "three\r\n", "four"]);
    }

    #[test]
    fn formats_from_paths_and_language_ids() {
        assert_eq!(Format::from_path(Path::new("a/b.MD")), Format::Markdown);
        assert_eq!(Format::from_path(Path::new("notes.txt")), Format::PlainText);
        assert_eq!(Format::from_language_id("markdown"), Format::Markdown);
        assert_eq!(Format::from_language_id("plaintext"), Format::PlainText);
    }
}
