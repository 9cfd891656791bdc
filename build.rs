//! Builds the word table of `src/lexicon` from the lists in `data/`, so that the program does no
//! work on the lists when it starts: every distinct word with the mask of the lists it is in, in
//! an open-addressing hash table that is compiled into the binary (`include_bytes!`). The layout
//! and the hash are defined once, in `src/lexicon/table.rs`.
//!
//! It also compiles the two line scans of the detectors (`src/engine/rules/scans.rs`) into
//! minimized DFAs, written in the form `regex_automata` loads without copying, so that no check
//! compiles them or builds their states (see `LineScan` in `src/engine/rules/mod.rs`); and, the
//! same way, the patterns of `PREBUILT_SOURCES` (see `Pattern::prebuilt` in
//! `src/engine/rules/pattern.rs`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

mod table {
    #![allow(dead_code)]
    include!("src/lexicon/table.rs");
}

use table::{word_hash, LIST_FILES};

mod scans {
    #![allow(dead_code)]
    include!("src/engine/rules/scans.rs");
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/lexicon/table.rs");
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    line_scans(&out);
    prebuilt_patterns(&out);

    let mut texts = Vec::with_capacity(LIST_FILES.len());
    for file in LIST_FILES {
        let path = manifest.join("data").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read the word list {}: {e}", path.display()));
        texts.push(text);
    }

    // Every (word, list) pair, then one mask per distinct word.
    let mut counts = [0u32; LIST_FILES.len()];
    let mut pairs: Vec<(&[u8], u16)> = Vec::new();
    for (bit, text) in texts.iter().enumerate() {
        for entry in entries(text) {
            assert!(
                !entry.is_empty() && entry.len() <= 255,
                "{}: the entry {entry:?} is empty or longer than 255 bytes",
                LIST_FILES[bit]
            );
            pairs.push((entry.as_bytes(), 1 << bit));
            counts[bit] += 1;
        }
    }
    pairs.sort_unstable();
    let mut words: Vec<(&[u8], u16)> = Vec::with_capacity(pairs.len());
    for (word, bit) in pairs {
        match words.last_mut() {
            Some((last, mask)) if *last == word => *mask |= bit,
            _ => words.push((word, bit)),
        }
    }

    let slot_count = (words.len() * 2).next_power_of_two().max(2);
    let mut slots = vec![0u32; slot_count];
    let mut records: Vec<u8> = vec![0];
    let mut longest = 0usize;
    for (word, mask) in &words {
        let offset = u32::try_from(records.len()).expect("the word table fits in 4 GB");
        records.push(u8::try_from(word.len()).expect("entries are at most 255 bytes"));
        records.extend_from_slice(&mask.to_le_bytes());
        records.extend_from_slice(word);
        longest = longest.max(word.len());
        let mut slot = (word_hash(word) as usize) & (slot_count - 1);
        while slots[slot] != 0 {
            slot = (slot + 1) & (slot_count - 1);
        }
        slots[slot] = offset;
    }
    let slot_bytes: Vec<u8> = slots.iter().flat_map(|s| s.to_le_bytes()).collect();

    write(&out.join("lexicon_slots.bin"), &slot_bytes);
    write(&out.join("lexicon_records.bin"), &records);
    let counts: Vec<String> = counts.iter().map(u32::to_string).collect();
    write(
        &out.join("lexicon_sizes.rs"),
        format!(
            "/// Entries in each list, in the order of `LIST_FILES`.\npub const LIST_LENGTHS: [u32; {}] = [{}];\n/// The longest word in any list, in bytes.\npub const LONGEST_WORD: usize = {longest};\n",
            LIST_FILES.len(),
            counts.join(", ")
        )
        .as_bytes(),
    );
}

/// The DFAs of the two line scans, each minimized, in the byte order of the target.
///
/// Minimizing takes about 20 seconds, and this script also runs when a word list changes: the
/// DFAs are made again only when what they are made from changed (their sources, the byte order,
/// or this script, which changes with `regex-automata`), as a stamp in `out` records.
fn line_scans(out: &Path) {
    use regex_automata::dfa::{dense, StartKind};
    use regex_automata::nfa::thompson;

    println!("cargo:rerun-if-changed=src/engine/rules/scans.rs");
    let big_endian = env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let scans = [
        ("line-scan.dfa", &scans::LINE_PATTERN_SOURCES[..]),
        ("phrase-scan.dfa", &scans::PHRASE_PATTERN_SOURCES[..]),
    ];
    let files: Vec<&str> = scans.iter().map(|(file, _)| *file).collect();
    let Some(stamp) = stale(out, "line-scans.stamp", big_endian, &scans, &files) else {
        return;
    };
    for (file, sources) in scans {
        assert!(sources.len() <= 64, "the line scan {file} has more than 64 patterns");
        // What `LineScan` needs: every pattern that matches at each position, searched from
        // anywhere (unanchored), with the crate's own syntax (UTF-8, no captures).
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(regex_automata::MatchKind::All)
                    .start_kind(StartKind::Unanchored)
                    // The walk does not skip ahead, so accelerated states would only slow it.
                    .accelerate(false)
                    .minimize(true),
            )
            .syntax(regex_automata::util::syntax::Config::new().utf8(true))
            .thompson(thompson::Config::new().which_captures(thompson::WhichCaptures::None))
            .build_many(sources)
            .unwrap_or_else(|e| panic!("cannot compile the line scan {file}: {e}"));
        write_dfa(&out.join(file), &dfa, big_endian);
    }
    write(&out.join("line-scans.stamp"), stamp.as_bytes());
}

/// Whether the DFAs in `files` must be made again from `sources` (each a file and the patterns
/// in it): their stamp (in `out`) records what they were made from, the byte order and this
/// script, which changes with `regex-automata` (a new version might write DFAs another way).
/// `Some(new stamp)` when they must be.
fn stale(
    out: &Path,
    stamp_file: &str,
    big_endian: bool,
    sources: &[(&str, &[&str])],
    files: &[&str],
) -> Option<String> {
    let mut made_from = vec![u8::from(big_endian)];
    let script = env::current_exe().and_then(fs::read).unwrap_or_default();
    made_from.extend_from_slice(&word_hash(&script).to_le_bytes());
    for (file, sources) in sources {
        made_from.extend_from_slice(file.as_bytes());
        for source in *sources {
            made_from.extend_from_slice(&(source.len() as u64).to_le_bytes());
            made_from.extend_from_slice(source.as_bytes());
        }
    }
    let stamp = format!("{:016x}\n", word_hash(&made_from));
    let made = fs::read_to_string(out.join(stamp_file)).is_ok_and(|old| old == stamp)
        && files.iter().all(|file| out.join(file).is_file());
    (!made).then_some(stamp)
}

/// The forward and reverse DFAs of each pattern of `PREBUILT_SOURCES`, minimized, as
/// `pattern-N.fwd.dfa` and `pattern-N.rev.dfa`, and `prebuilt_patterns.rs`, which embeds them
/// in the order of the list. About 3 seconds, nearly all for the street addresses; made again
/// only when the sources change (as the line scans are).
fn prebuilt_patterns(out: &Path) {
    use regex_automata::dfa::{dense, regex, StartKind};
    use regex_automata::nfa::thompson;

    let big_endian = env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let sources = &scans::PREBUILT_SOURCES;
    let mut files = Vec::new();
    let mut table = String::from(
        "// Written by build.rs: the DFAs of `scans::PREBUILT_SOURCES`, forward and reverse, in its order.\n",
    );
    table.push_str(&format!("static PREBUILT_DFAS: [DfaBytes; {}] = [\n", sources.len()));
    for index in 0..sources.len() {
        let (forward, reverse) = (format!("pattern-{index}.fwd.dfa"), format!("pattern-{index}.rev.dfa"));
        table.push_str(&format!(
            "    (&Aligned {{ _align: [], bytes: *include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{forward}\")) }}, &Aligned {{ _align: [], bytes: *include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{reverse}\")) }}),\n"
        ));
        files.push(forward);
        files.push(reverse);
    }
    table.push_str("];\n");
    write(&out.join("prebuilt_patterns.rs"), table.as_bytes());
    let file_names: Vec<&str> = files.iter().map(String::as_str).collect();
    let Some(stamp) = stale(
        out,
        "prebuilt.stamp",
        big_endian,
        &[("prebuilt", &sources[..])],
        &file_names,
    ) else {
        return;
    };
    for (index, source) in sources.iter().enumerate() {
        // What `Pattern` needs: the leftmost-first matches of `regex::Regex`, searched from
        // anywhere (unanchored), in the crate's syntax (UTF-8). A Unicode word boundary would
        // make the DFA give up on non-ASCII text; building one is refused (the patterns use
        // ASCII `(?-u:\b)`), so searches cannot fail.
        let dfas = regex::Builder::new()
            .dense(
                dense::Config::new()
                    .match_kind(regex_automata::MatchKind::LeftmostFirst)
                    .start_kind(StartKind::Unanchored)
                    .minimize(true),
            )
            .syntax(regex_automata::util::syntax::Config::new().utf8(true))
            .thompson(thompson::Config::new().which_captures(thompson::WhichCaptures::None))
            .build(source)
            .unwrap_or_else(|e| panic!("cannot compile the pattern {source}: {e}"));
        for (file, dfa) in [
            (&files[2 * index], dfas.forward()),
            (&files[2 * index + 1], dfas.reverse()),
        ] {
            write_dfa(&out.join(file), dfa, big_endian);
        }
    }
    write(&out.join("prebuilt.stamp"), stamp.as_bytes());
}

/// Writes `dfa` to `path` in the form `DFA::from_bytes` reads, in the target's byte order.
fn write_dfa(path: &Path, dfa: &regex_automata::dfa::dense::DFA<Vec<u32>>, big_endian: bool) {
    let (bytes, padding) = if big_endian {
        dfa.to_bytes_big_endian()
    } else {
        dfa.to_bytes_little_endian()
    };
    write(path, &bytes[padding..]);
}

/// A list's entries: its lines without their line ends, blank lines left out.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
        .filter(|line| !line.trim_end().is_empty())
        .map(|line| line.trim_end_matches(['\n', '\r']))
}

fn write(path: &Path, bytes: &[u8]) {
    // Rewriting an unchanged file would make cargo rebuild the library for nothing.
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
