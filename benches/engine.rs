//! Engine throughput and the work behind one keystroke, on one thread (divan).
//!
//! `cargo bench --bench engine`. The documents are the development corpus (when present beside
//! the project, else the bundled examples) joined and repeated to 1 MB and 10 MB: clinical
//! Markdown prose, dense with identifiers. `clean` is a de-identified teaching case repeated to
//! 1 MB: ordinary prose with almost nothing to report.

mod common;

use common::{corpus_text, physionet_text, repeated};
use divan::counter::BytesCount;
use divan::Bencher;
use scrubs::engine::{CheckCache, Checker, Format};
use scrubs::lsp::{publish_notification, publish_params, DocsLinks, PublishCache, Style};

fn main() {
    divan::main();
}

fn document(bytes: usize) -> String {
    repeated(&corpus_text(), bytes)
}

fn clean(bytes: usize) -> String {
    let case = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/clean.md")).expect("example");
    repeated(&(case + "\n"), bytes)
}

#[divan::bench(args = [1_000_000, 10_000_000], sample_count = 5)]
fn check(bencher: Bencher, bytes: usize) {
    let text = document(bytes);
    let checker = Checker::default();
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| checker.check(divan::black_box(&text), Format::Markdown));
}

#[divan::bench(sample_count = 5)]
fn check_clean_prose(bencher: Bencher) {
    let text = clean(1_000_000);
    let checker = Checker::default();
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| checker.check(divan::black_box(&text), Format::Markdown));
}

/// Real nursing notes (the PhysioNet corpus beside the project, else the bundled examples)
/// repeated to 1 MB: clinical prose at its real density of identifiers.
#[divan::bench(sample_count = 5)]
fn check_real_notes(bencher: Bencher) {
    let text = repeated(&physionet_text().unwrap_or_else(corpus_text), 1_000_000);
    let checker = Checker::default();
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| checker.check(divan::black_box(&text), Format::Markdown));
}

/// One keystroke in the middle of a 1 MB document: the cached re-check.
#[divan::bench(sample_count = 20)]
fn recheck_after_keystroke(bencher: Bencher) {
    let text = document(1_000_000);
    let checker = Checker::default();
    let mut cache = CheckCache::default();
    checker.check_cached(&text, Format::Markdown, &mut cache);
    let mut edited = text.clone();
    let mut at = text.len() / 2;
    while !edited.is_char_boundary(at) {
        at += 1;
    }
    edited.insert(at, 'x');
    let mut flip = false;
    bencher.bench_local(|| {
        // Alternate between the two versions, as typing and undoing would.
        flip = !flip;
        let version = if flip { &edited } else { &text };
        checker.check_cached(version, Format::Markdown, &mut cache)
    });
}

/// Writing the publishDiagnostics notification for all the findings of a 1 MB document, from
/// nothing.
#[divan::bench(sample_count = 20)]
fn publish_all_findings(bencher: Bencher) {
    let text = document(1_000_000);
    let findings = Checker::default().check(&text, Format::Markdown);
    let uri: scrubs::lsp::Uri = "file:///bench/long.md".parse().expect("uri");
    let style = Style::default();
    bencher.bench(|| publish_params(&uri, 2, &text, &findings, &style));
}

/// The publishDiagnostics notification after one keystroke in the middle of a 1 MB document,
/// written from the previous publish's per-segment pieces (what the server does), for an editor
/// that shows rule links and a combination's details (VS Code and Neovim declare both).
#[divan::bench(sample_count = 50)]
fn publish_after_keystroke(bencher: Bencher) {
    let text = document(1_000_000);
    let checker = Checker::default();
    let mut cache = CheckCache::default();
    let uri: scrubs::lsp::Uri = "file:///bench/long.md".parse().expect("uri");
    let style = Style {
        docs: DocsLinks::new(None),
        related: true,
        ..Style::default()
    };
    let mut published = PublishCache::default();
    let before = checker.check_cached(&text, Format::Markdown, &mut cache);
    let shared: std::sync::Arc<str> = text.as_str().into();
    publish_notification(&uri, 1, &shared, &before, &style, &mut published);
    let mut edited = text.clone();
    let mut at = text.len() / 2;
    while !edited.is_char_boundary(at) {
        at += 1;
    }
    edited.insert(at, 'x');
    let after = checker.check_cached(&edited, Format::Markdown, &mut cache);
    let edited: std::sync::Arc<str> = edited.into();
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        let (version, findings) = if flip { (&edited, &after) } else { (&shared, &before) };
        publish_notification(&uri, 2, version, findings, &style, &mut published)
    });
}
