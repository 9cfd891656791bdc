//! Detection quality must not regress. The floors are the figures reached when they were set
//! (see the README); raise them when detection improves, never lower them to make a change pass.
//!
//! `tests/fixtures/hard_cases.jsonl` (written for scrubs) always runs. The shared development
//! corpora beside the project (`../shared/corpus/`) run when they are there, as in CI.

use std::path::{Path, PathBuf};

use scrubs::engine::Checker;
use scrubs::eval::{evaluate, fix_removal, parse_corpus, FixRemoval, Report};

fn report(path: &Path) -> Option<Report> {
    let text = std::fs::read_to_string(path).ok()?;
    let documents = parse_corpus(&text).unwrap_or_else(|e| panic!("{}:{}: {}", path.display(), e.line, e.message));
    Some(evaluate(&Checker::default(), &documents, false))
}

fn removal(path: &Path) -> Option<FixRemoval> {
    let text = std::fs::read_to_string(path).ok()?;
    let documents = parse_corpus(&text).unwrap_or_else(|e| panic!("{}:{}: {}", path.display(), e.line, e.message));
    Some(fix_removal(&Checker::default(), &documents))
}

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name)
}

fn assert_floor(what: &str, value: f64, floor: f64) {
    assert!(
        value >= floor,
        "{what} fell to {value:.3}, below the floor of {floor:.3}"
    );
}

#[test]
fn hard_cases_written_for_scrubs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hard_cases.jsonl");
    let report = report(&path).expect("the fixture file is part of the repository");
    assert!(report.documents >= 25);
    assert_floor("hard-case recall", report.overall.recall(), 1.0);
    assert_floor("hard-case precision", report.overall.precision(), 0.97);
}

#[test]
fn development_corpus_floors() {
    let Some(report) = report(&shared("dev.jsonl")) else {
        eprintln!("../shared/corpus/dev.jsonl is not here; skipping (CI has it)");
        return;
    };
    assert_floor("dev recall", report.overall.recall(), 0.985);
    assert_floor("dev precision", report.overall.precision(), 0.985);
    for (label, floor) in [
        ("NAME", 0.99),
        ("LOCATION", 0.98),
        ("DATE", 0.99),
        ("AGE", 0.99),
        ("CONTACT", 0.99),
        ("ID", 0.99),
    ] {
        assert_floor(&format!("dev {label} recall"), report.labels[label].recall(), floor);
    }
}

#[test]
fn real_nursing_notes_floors() {
    let Some(report) = report(&shared("physionet-dev.jsonl")) else {
        eprintln!("../shared/corpus/physionet-dev.jsonl is not here; skipping (CI has it)");
        return;
    };
    assert_floor("physionet recall", report.overall.recall(), 0.72);
    assert_floor("physionet precision", report.overall.precision(), 0.70);
}

#[test]
fn fix_removes_the_identifiers_and_a_second_run_changes_nothing() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hard_cases.jsonl");
    let hard = removal(&fixture).expect("the fixture file is part of the repository");
    assert_floor("hard-case fix removal", hard.rate(), 0.95);
    assert_eq!(hard.not_idempotent, Vec::<String>::new(), "a second fix changed these");
    let Some(dev) = removal(&shared("dev.jsonl")) else {
        eprintln!("../shared/corpus/dev.jsonl is not here; skipping (CI has it)");
        return;
    };
    assert_floor("dev fix removal", dev.rate(), 0.985);
    assert_eq!(dev.not_idempotent, Vec::<String>::new(), "a second fix changed these");
}
