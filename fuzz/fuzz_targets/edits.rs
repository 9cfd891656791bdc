//! Incremental edits: `DocumentStore` and a plain `String` model must always hold the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scrubs_fuzz::properties::check_edits;
use scrubs_fuzz::SessionInput;

fuzz_target!(|input: SessionInput| {
    let session = input.session();
    if let Err(violation) = check_edits(&session) {
        panic!("{violation}");
    }
});
