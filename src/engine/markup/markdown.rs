//! Markdown: keep what a reader sees or can follow, blank the syntax around it.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::Prepared;

pub fn prepare(source: &str) -> Prepared<'_> {
    let mut mask = Mask::new(source);
    // A block every few lines of prose.
    let mut blocks: Vec<Range<usize>> = Vec::with_capacity(source.len() / 256);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut parser = Parser::new_ext(source, options).into_offset_iter();
    for (event, range) in &mut parser {
        match event {
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_) => mask.keep(range),
            Event::Html(_) | Event::InlineHtml(_) => {
                mask.keep(range.clone());
                mask.blank_comment_delimiters(range);
            }
            Event::Start(tag) => match tag {
                // Link and image targets are text a reader can follow: `[call](tel:...)`.
                Tag::Link { .. } | Tag::Image { .. } | Tag::MetadataBlock(_) => mask.keep(range),
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::TableCell
                | Tag::Item
                | Tag::FootnoteDefinition(_) => blocks.push(range),
                _ => {}
            },
            _ => {}
        }
    }
    // Reference definitions (`[1]: https://...`) produce no events but are readable targets.
    for (_, definition) in parser.reference_definitions().iter() {
        mask.keep(definition.span.clone());
    }
    blocks.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let text = mask.finish();
    Prepared { text, blocks }
}

/// A byte mask over the source: kept ranges are copied, all else becomes spaces (line breaks stay).
struct Mask<'a> {
    source: &'a str,
    bytes: Vec<u8>,
}

impl<'a> Mask<'a> {
    fn new(source: &'a str) -> Mask<'a> {
        let bytes = source
            .bytes()
            .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
            .collect();
        Mask { source, bytes }
    }

    fn keep(&mut self, range: Range<usize>) {
        if let (Some(from), Some(to)) = (self.source.as_bytes().get(range.clone()), self.bytes.get_mut(range)) {
            to.copy_from_slice(from);
        }
    }

    fn blank_comment_delimiters(&mut self, range: Range<usize>) {
        let Some(slice) = self.source.get(range.clone()) else {
            return;
        };
        for delimiter in ["<!--", "-->"] {
            for (at, _) in slice.match_indices(delimiter) {
                let start = range.start + at;
                self.bytes[start..start + delimiter.len()].fill(b' ');
            }
        }
    }

    fn finish(self) -> Cow<'a, str> {
        // Kept ranges come from the parser and lie on char boundaries; everything else is ASCII.
        // Should that ever not hold, checking the raw source is the safe fallback.
        match String::from_utf8(self.bytes) {
            Ok(text) => Cow::Owned(text),
            Err(_) => Cow::Borrowed(self.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(source: &str) -> String {
        let prepared = prepare(source);
        assert_eq!(prepared.text.len(), source.len());
        prepared.text.into_owned()
    }

    #[test]
    fn emphasis_and_headings_are_blanked_but_text_kept() {
        assert_eq!(masked("# Case\n\n**John** saw *Ann*."), "  Case\n\n  John   saw  Ann .");
    }

    #[test]
    fn link_targets_comments_code_and_front_matter_are_kept() {
        let text = masked("[call](tel:5551234567)");
        assert!(text.contains("tel:5551234567"), "{text}");
        let text = masked("a <!-- seen 3/4/2024 --> b");
        assert!(text.contains("seen 3/4/2024") && !text.contains("<!--"), "{text}");
        assert!(masked("use `MRN 1234567` here").contains("MRN 1234567"));
        assert!(masked("---\npatient: Jane Roe\n---\n\nBody").contains("patient: Jane Roe"));
        assert!(masked("```\nDOB 1/2/1950\n```\n").contains("DOB 1/2/1950"));
        assert!(masked("see [x][1]\n\n[1]: https://example.com/jane\n").contains("https://example.com/jane"));
        assert!(masked("![photo](jane-doe-2024-03-01.jpg)").contains("jane-doe-2024-03-01.jpg"));
    }

    #[test]
    fn multibyte_text_and_crlf_keep_offsets() {
        let source = "# Día 🙂\r\n\r\n*Zoë* — 3/4/2024\r\n";
        let text = masked(source);
        assert_eq!(&text[source.find("Zoë").unwrap()..][..4], "Zoë");
        assert_eq!(&text[source.find("3/4/2024").unwrap()..][..8], "3/4/2024");
    }
}
