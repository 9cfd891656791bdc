//! The check engine on any text: no panic, every span inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scrubs_fuzz::properties::check_engine;

fuzz_target!(|data: &[u8]| {
    let Some((text, format, style)) = scrubs_fuzz::document(data) else {
        return;
    };
    if let Err(violation) = check_engine(&text, format, style) {
        panic!("{violation}\nformat {format:?}, text {text:?}");
    }
});
