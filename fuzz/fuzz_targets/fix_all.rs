//! De-identify document on any text: idempotent, touching only flagged text, no safe fix left.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scrubs_fuzz::properties::check_fix_all;

fuzz_target!(|data: &[u8]| {
    let Some((text, format, style)) = scrubs_fuzz::document(data) else {
        return;
    };
    if let Err(violation) = check_fix_all(&text, format, style) {
        panic!("{violation}\nformat {format:?}, style {style:?}, text {text:?}");
    }
});
