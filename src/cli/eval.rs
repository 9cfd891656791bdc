//! `scrubs eval CORPUS.jsonl [--format json] [--misses]`: how well scrubs finds the identifiers
//! annotated in a corpus. Institutions use it to validate scrubs on their own notes.
//!
//! `--misses` lists every missed identifier and false alarm with its context. That quotes the
//! corpus, so it is output, on standard output (with `--format json`, the `misses` array, spans
//! in bytes), never on standard error, which carries no document text.

use crate::engine::Checker;
use crate::eval::{evaluate, fix_removal, parse_corpus, MissKind};

use super::{usage_error, EXIT_CLEAN, EXIT_ERROR};

pub fn run(args: &[String]) -> u8 {
    let mut json = false;
    let mut misses = false;
    let mut fix = false;
    let mut path = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => match args.next().map(String::as_str) {
                Some("json") => json = true,
                Some("human" | "text") => json = false,
                other => {
                    return usage_error(&format!(
                        "--format must be human or json, not `{}`",
                        other.unwrap_or("")
                    ))
                }
            },
            "--format=json" => json = true,
            "--format=human" => json = false,
            "--misses" => misses = true,
            "--fix" => fix = true,
            a if a.starts_with('-') => return usage_error(&format!("unknown option `{a}` for `scrubs eval`")),
            a if path.is_none() => path = Some(a.to_string()),
            a => return usage_error(&format!("`scrubs eval` takes one corpus file; `{a}` is one too many")),
        }
    }
    let Some(path) = path else {
        return usage_error("`scrubs eval` needs the corpus file to score, e.g. `scrubs eval corpus.jsonl`");
    };
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                eprintln!("scrubs: error: {path}: is not UTF-8 text. Save the corpus as UTF-8 JSON lines.");
                return EXIT_ERROR;
            }
        },
        Err(e) => {
            eprintln!("scrubs: error: {path}: could not be read ({e}). Check the path.");
            return EXIT_ERROR;
        }
    };
    let documents = match parse_corpus(&text) {
        Ok(documents) => documents,
        Err(e) => {
            eprintln!(
                "scrubs: error: {path}:{}: {}. Each line must be one JSON object with id, text and spans (see the README).",
                e.line, e.message
            );
            return EXIT_ERROR;
        }
    };
    let report = evaluate(&Checker::default(), &documents, misses);
    let tag = |kind: MissKind| match kind {
        MissKind::Missed => "missed",
        MissKind::FalseAlarm => "false alarm",
    };
    // The misses quote the corpus, so they are output (standard output), never log lines:
    // standard error carries no document text.
    if misses && !json {
        for (miss, context) in &report.misses {
            println!("{:11} {:10} {:24} {context}", tag(miss.kind), miss.what, miss.document);
        }
        println!();
    }
    let removal = fix.then(|| fix_removal(&Checker::default(), &documents));
    if json {
        let mut value = report.to_json();
        if let Some(object) = value.as_object_mut() {
            if let Some(removal) = &removal {
                object.insert("fix".to_string(), removal.to_json());
            }
            if misses {
                let listed: Vec<serde_json::Value> = report
                    .misses
                    .iter()
                    .map(|(miss, context)| {
                        serde_json::json!({
                            "kind": tag(miss.kind), "what": miss.what, "document": miss.document,
                            "span": {"start": miss.span.start, "end": miss.span.end}, "context": context,
                        })
                    })
                    .collect();
                object.insert("misses".to_string(), serde_json::Value::Array(listed));
            }
        }
        println!("{value}");
    } else {
        println!("{} documents", report.documents);
        println!(
            "{:10} {:>6} {:>6} {:>8} {:>8} {:>9} {:>6}",
            "label", "gold", "found", "recall", "findings", "precision", "f1"
        );
        let line = |name: &str, c: &crate::eval::Counts| {
            println!(
                "{name:10} {:>6} {:>6} {:>8.3} {:>8} {:>9.3} {:>6.3}",
                c.gold,
                c.found,
                c.recall(),
                c.findings,
                c.precision(),
                c.f1()
            );
        };
        for (label, counts) in report.labels.iter().filter(|(_, c)| c.gold > 0 || c.findings > 0) {
            line(label, counts);
        }
        line("overall", &report.overall);
        if let Some(removal) = &removal {
            println!();
            println!(
                "scrubs fix removes {} of {} annotated identifiers ({:.1}%)",
                removal.removed,
                removal.total,
                100.0 * removal.rate()
            );
            for (label, (removed, total)) in &removal.labels {
                println!("  {label:10} {removed:>5} of {total:>5}");
            }
            if removal.not_idempotent.is_empty() {
                println!("a second run changes nothing");
            } else {
                println!("a second run still changes: {}", removal.not_idempotent.join(", "));
            }
        }
    }
    EXIT_CLEAN
}
