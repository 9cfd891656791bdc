//! `phi/photo`: photographs, scans and imaging in a post.
//!
//! Full-face photographs and comparable images are a Safe Harbor identifier, and a clinical photo
//! can identify a patient through a tattoo, a wristband, a monitor or a chart in the background.
//! Every image asks the author to confirm consent and look for those. A file name that carries a
//! name or a date (`maria-lopez-2024-03-03.jpg`, `IMG_20240303.jpg`) is an identifier itself.

use std::ops::Range;
use std::sync::LazyLock;

use crate::engine::rules::pattern::Pattern;

use crate::engine::finding::{Finding, Severity};
use crate::engine::rules::Rule;
use crate::engine::Context;
use crate::lexicon::{CLINICAL_TERMS, FIRST_NAMES, SURNAMES, VERY_COMMON_WORDS};

const EXTENSIONS: &str = r"jpe?g|png|gif|heic|heif|tiff?|bmp|webp|avif|dcm|dicom|mp4|mov|avi|m4v|webm";

/// Markdown images, HTML images and links to image, scan or video files.
static IMAGES: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r#"(?i)!\[[^\]\n]*\]\(\s*<?(?P<md>[^)\s>]*)>?(?:\s+"[^"\n]*")?\s*\)|<(?:img|video|source)(?-u:\b)[^>]*?(?-u:\b)src\s*=\s*["']?(?P<html>[^"'\s>]+)[^>]*>|\]\(\s*<?(?P<link>[^)\s>]+\.(?:{EXTENSIONS}))>?\s*\)|(?P<bare>(?-u:\b)[\w./:-]+\.(?:{EXTENSIONS}))(?-u:\b)"#
    ))
    .expect("image pattern")
});

/// The extensions of [EXTENSIONS], each optional letter taken and left out (`jpg` and `jpeg`,
/// `tif` and `tiff`): outside `![`, `<` and `](`, every match of [IMAGES] has one of them right
/// after a period and before a word boundary. None of their letters has a case variant outside
/// ASCII (as `k` and `s` do), so an ASCII case-insensitive comparison finds what the
/// case-insensitive pattern would.
const EXTENSION_WORDS: &[&[u8]] = &[
    b"jpg", b"jpeg", b"png", b"gif", b"heic", b"heif", b"tif", b"tiff", b"bmp", b"webp", b"avif", b"dcm", b"dicom",
    b"mp4", b"mov", b"avi", b"m4v", b"webm",
];

/// Whether [IMAGES] can match anywhere in `source`: it holds `![`, `](`, an HTML image, video or
/// source tag ([`tag_follows`]), or a period followed by a whole extension (`.mov`, not the
/// `.moving` of notes that leave out the space after a period). Most prose holds none of these,
/// and is then not searched at all (nor the pattern compiled: a `<` alone, as in the comments
/// that hold `scrubs-ignore` or in `<name@example.org>`, used to be enough).
fn may_hold_images(source: &str) -> bool {
    let bytes = source.as_bytes();
    if memchr::memmem::find(bytes, b"![").is_some()
        || memchr::memchr_iter(b'<', bytes).any(|at| tag_follows(&bytes[at + 1..]))
    {
        return true;
    }
    if memchr::memmem::find(bytes, b"](").is_some() {
        return true;
    }
    memchr::memchr_iter(b'.', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        // Most periods end a sentence or sit in a number: no extension starts with a space or
        // digit. The pattern's `(?-u:\b)` after the extension: no ASCII word byte follows it.
        rest.first().is_some_and(u8::is_ascii_alphabetic)
            && EXTENSION_WORDS.iter().any(|word| {
                starts_with_ignoring_case(rest, word)
                    && !rest
                        .get(word.len())
                        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
            })
    })
}

/// Whether `bytes` start with `prefix`, ignoring ASCII case.
fn starts_with_ignoring_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Whether `rest`, the bytes after a `<`, start with a tag name of [IMAGES]: `img`, `video` or
/// `source` in any case. Of their letters only `s` has a case variant outside ASCII (`ſ`, which
/// the case-insensitive pattern matches too), so the rest is an ASCII comparison.
fn tag_follows(rest: &[u8]) -> bool {
    [b"img".as_slice(), b"video", b"source"]
        .iter()
        .any(|name| starts_with_ignoring_case(rest, name))
        || rest
            .strip_prefix("\u{17f}".as_bytes())
            .is_some_and(|rest| starts_with_ignoring_case(rest, b"ource"))
}

static FILE_DATE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?:^|[^0-9])(?:(?:19|20)[0-9]{2}[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12][0-9]|3[01])|(?:0[1-9]|1[0-2])[-_.](?:0[1-9]|[12][0-9]|3[01])[-_.](?:19|20)?[0-9]{2})(?:[^0-9]|$)")
        .expect("file date pattern")
});

/// What the file name of `target` reveals: a date, a name, or nothing.
fn file_name_reveals(target: &str) -> Option<&'static str> {
    let name = target.rsplit(['/', '\\']).next().unwrap_or(target);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if FILE_DATE.is_match(stem) {
        return Some("a date");
    }
    let words: Vec<String> = stem
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 1)
        .map(str::to_lowercase)
        .collect();
    let ordinary = |w: &String| VERY_COMMON_WORDS.contains(w) || CLINICAL_TERMS.contains(w);
    let is_name = |w: &String| (FIRST_NAMES.contains(w) || SURNAMES.contains(w)) && !ordinary(w);
    // Two name words in a row ("maria-lopez") or a first name and a surname anywhere.
    let named = words.windows(2).any(|pair| is_name(&pair[0]) && is_name(&pair[1]))
        || (words.iter().any(|w| FIRST_NAMES.contains(w) && !ordinary(w))
            && words
                .iter()
                .any(|w| SURNAMES.contains(w) && !FIRST_NAMES.contains(w) && !ordinary(w)));
    named.then_some("a name")
}

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let source = ctx.source;
    if !may_hold_images(source) {
        return;
    }
    let mut seen: Vec<Range<usize>> = Vec::new();
    for caps in IMAGES.captures_iter(source) {
        let Some(whole) = caps.get(0) else { continue };
        if seen.iter().any(|r| r.start <= whole.start() && whole.end() <= r.end) {
            continue;
        }
        let target = ["md", "html", "link", "bare"]
            .iter()
            .find_map(|n| caps.name(n))
            .map_or("", |m| m.as_str());
        // A bare file name inside an image already reported is part of it.
        seen.push(whole.range());
        let finding = match file_name_reveals(target) {
            Some(what) => Finding::new(
                Rule::Photo,
                whole.range(),
                format!(
                    "Photo or scan whose file name contains {what}: the file name alone can identify the patient, and it is published with the image. Rename the file (for example \u{201c}figure-1.jpg\u{201d}). Also confirm written consent, and that no face, tattoo, wristband or screen showing names or numbers is visible."
                ),
            )
            .with_severity(Severity::Error),
            None => Finding::new(
                Rule::Photo,
                whole.range(),
                "Photo, scan or video: check that you have the patient's written consent for publishing it, and that no face, tattoo, wristband, chart or screen showing names or numbers is visible. Remove location and date data (EXIF) from the file.",
            ),
        };
        out.push(finding);
    }
}

/// Compiles this module's patterns now rather than on first use (see [`super::warm_up`]).
pub(crate) fn warm_up() {
    std::sync::LazyLock::force(&IMAGES);
    std::sync::LazyLock::force(&FILE_DATE);
}

#[cfg(test)]
mod tests {
    use crate::engine::{Checker, Format, Rule, Severity};
    use proptest::prelude::{prop, prop_assert, Strategy};

    /// Text made of the pieces around which the image pattern and its cheap test differ:
    /// periods, extensions and words that start like them, word and non-word bytes after them.
    fn image_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            ".", "..", "mov", "MOV", "moves", "jpe", "jpeg", "g", "tif", "f", "png", "dicom", "mp4", "m4v", "webm",
            "heic", "_", "x", "2", "-", "/", " ", "\n", ")", "](", "![", "]", "(", "<img ", "src=", "\u{e9}",
            "\u{17f}", "\u{212a}", "scan",
        ];
        prop::collection::vec(prop::sample::select(PIECES), 0..30).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]

        /// Whatever the image pattern matches, the cheap test lets through.
        #[test]
        fn the_cheap_test_passes_every_text_with_an_image(text in image_text()) {
            if super::IMAGES.is_match(&text) {
                prop_assert!(super::may_hold_images(&text), "{:?}", text);
            }
        }
    }

    /// Text the image pattern matches always passes the cheap test that lets it be searched.
    #[test]
    fn text_with_images_is_always_searched() {
        let mut texts: Vec<String> = [
            "![x](a.png)",
            "<IMG src=x>",
            "<video src='v.MP4'>",
            "[scan](files/ct.DICOM)",
            "see maria-lopez.JPEG now",
            "x.Tiff and y.WebM, z.m4v",
            "IMG_2024.heic",
            "![](  <b.gif>  \"t\"  )",
            "no images here, 3.5 mg at 10.30",
            "<Source src=\"a\">",
            "<\u{17f}OURCE src=a>",
            "<img\nsrc=a>",
            "<VIDEO\tsrc=\"b\">",
            "<imgsrc=a>",
            "<",
            "<!-- scrubs-ignore-line phi/name --> <maria@example.org> a < b",
            "",
            "awake restless..moves all ext, follows commands .moving arms",
            "scan.mov",
            "clip.MOV, scan.tif; b.tiff_x c.jpeg\u{e9} d.jpgs e.mp4-1 f.webm.",
            "x.avif_ y.heic2 z.dicom",
        ]
        .map(String::from)
        .to_vec();
        texts.push(include_str!("../../../examples/social-post.md").to_string());
        texts.push(include_str!("../../../examples/vignette.md").to_string());
        for text in &texts {
            if super::IMAGES.is_match(text) {
                assert!(super::may_hold_images(text), "{text:?}");
            }
        }
        assert!(!super::may_hold_images("no images here, 3.5 mg at 10.30"));
        // A period before a word that starts like an extension lets nothing through.
        assert!(!super::may_hold_images(
            "awake restless..moves all ext, .moving arms, a.pngx, b.gif_"
        ));
        assert!(super::may_hold_images("scan.mov"));
        assert!(super::may_hold_images("a clip.MOV, then"));
        assert!(super::may_hold_images("c.jpeg\u{e9}"));
        assert!(!super::may_hold_images(
            "<!-- scrubs-ignore-line phi/name --> <maria@example.org> a < b"
        ));
        // Each tag the pattern knows lets the text through, in any case.
        for tag in [
            "<img src=a>", "<IMG src=a>", "<Video src=a>", "<source src=a>", "<\u{17f}ource src=a>",
        ] {
            assert!(super::IMAGES.is_match(tag), "{tag:?}");
            assert!(super::may_hold_images(tag), "{tag:?}");
        }
    }

    fn photos(text: &str) -> Vec<(String, Severity)> {
        Checker::default()
            .check(text, Format::Markdown)
            .into_iter()
            .filter(|f| f.rule == Rule::Photo)
            .map(|f| (text[f.span].to_string(), f.severity))
            .collect()
    }

    #[test]
    fn images_ask_for_consent() {
        assert_eq!(
            photos("The rash:\n\n![rash on the forearm](figures/rash.jpg)\n"),
            vec![(
                "![rash on the forearm](figures/rash.jpg)".to_string(),
                Severity::Warning
            )]
        );
        assert_eq!(
            photos(r#"<img src="ct.png" alt="CT"> and the [MRI](scans/mri-1.dcm)"#),
            vec![
                (r#"<img src="ct.png" alt="CT">"#.to_string(), Severity::Warning),
                ("](scans/mri-1.dcm)".to_string(), Severity::Warning),
            ]
        );
    }

    #[test]
    fn file_names_with_names_or_dates_are_errors() {
        assert_eq!(photos("![x](img/IMG_20240303_1412.jpg)")[0].1, Severity::Error);
        assert_eq!(photos("![x](maria-lopez-wound.png)")[0].1, Severity::Error);
        assert_eq!(photos("![x](wound-day-3.png)")[0].1, Severity::Warning);
    }

    #[test]
    fn text_without_images_is_not_flagged() {
        assert!(
            photos("We reviewed the photos with the family. See [the guideline](https://example.org/guide).")
                .is_empty()
        );
    }
}
