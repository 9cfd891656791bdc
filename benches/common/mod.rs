//! The text both benchmarks measure on: the development corpus (`../shared/corpus/dev.jsonl`
//! beside the project) when it is there, else the bundled examples — the same bytes
//! `scripts/bench.sh` and `scripts/peer-bench.sh` use.

/// Every text of the corpus joined with blank lines, ending with one.
pub fn corpus_text() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = Vec::new();
    if let Ok(corpus) = std::fs::read_to_string(root.join("../shared/corpus/dev.jsonl")) {
        for line in corpus.lines() {
            if let Some(text) = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v["text"].as_str().map(String::from))
            {
                texts.push(text);
            }
        }
    }
    if texts.is_empty() {
        for name in ["vignette.md", "social-post.md", "clean.md"] {
            texts.push(std::fs::read_to_string(root.join("examples").join(name)).expect("examples"));
        }
    }
    texts.join("\n\n") + "\n\n"
}

/// The texts of the real nursing notes (`../shared/corpus/physionet-dev.jsonl`: PhysioNet's
/// de-identification corpus, its identifiers replaced by realistic surrogates) joined with blank
/// lines, when the corpus is there: real clinical prose at its real density of identifiers.
pub fn physionet_text() -> Option<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::fs::read_to_string(root.join("../shared/corpus/physionet-dev.jsonl")).ok()?;
    let texts: Vec<String> = corpus
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v["text"].as_str().map(String::from))
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n\n") + "\n\n")
}

/// `text` repeated until it holds at least `bytes` bytes.
pub fn repeated(text: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + text.len());
    while out.len() < bytes {
        out.push_str(text);
    }
    out
}
