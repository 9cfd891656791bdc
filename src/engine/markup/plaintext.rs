//! Plain text: everything is prose.

use std::borrow::Cow;

use super::{paragraphs, Prepared};

pub fn prepare(source: &str) -> Prepared<'_> {
    Prepared {
        text: Cow::Borrowed(source),
        blocks: paragraphs(source),
    }
}
