// The layout of the word table that `build.rs` writes and `lexicon` reads. This file is compiled
// twice — into the build script (with `include!`) and into the library — so the two agree on the
// list order and the hash by construction.
//
// The table has two parts. *Records*: for each distinct word of all lists, its length (one byte),
// the mask of the lists it belongs to (two bytes, little-endian; bit `i` is `LIST_FILES[i]`) and
// its bytes; the first byte of the records is padding, so that no record starts at offset 0.
// *Slots*: a power-of-two number of little-endian `u32` record offsets, 0 for an empty slot,
// filled by linear probing from `word_hash(word)` and at most half full.

/// The word lists of `data/`, in the order of their bits in a membership mask.
#[allow(dead_code)] // read by build.rs and the tests
pub const LIST_FILES: [&str; 11] = [
    "first_names.txt", "first_names_common.txt", "surnames.txt", "surnames_common.txt", "us_places.txt",
    "states_countries.txt", "english_words.txt", "common_words.txt", "very_common_words.txt", "clinical_terms.txt",
    "medical_eponyms.txt",
];

/// A fast, fixed (platform- and build-independent) hash of a word's bytes: eight bytes at a time,
/// multiply-rotate, then a finalizer so that the low bits used for the slot depend on every byte.
pub fn word_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K).rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K).rotate_left(31);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}
