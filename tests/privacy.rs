//! The privacy promise, as tests of the real binary (see SECURITY.md):
//!
//! - no document text in logs, at any `SCRUBS_LOG` level, for the server and every command,
//!   including the error paths (malformed edits, unreadable files, broken settings);
//! - `--format json` and `--format sarif` do not repeat the flagged text;
//! - no network: no socket other than a Unix one is ever created (strace), and everything
//!   works without a network at all (`unshare -n`);
//! - `scrubs fix --write` is atomic: killed at any moment, the file is the old one or the new
//!   one, never a mix, with its permissions kept;
//! - nothing is written except the file the user asked to change.
//!
//! strace and unshare come from the system (`.ci/privacy.sh` installs them). Without them these
//! tests say that they skipped, unless `SCRUBS_REQUIRE_TOOLS=1`, which makes a missing tool a
//! failure (CI sets it).

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::LspClient;
use serde_json::{json, Value};

const LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

/// Words and numbers that occur only in the test documents: identifiers of the made-up patient.
const IDENTIFIERS: &[&str] = &[
    "Zebulon", "Quixworth", "Marisol", "Thistlewaite", "Quillfeather", "Vexbury", "Wobblestone", "271-8493", "2718493",
    "zquix", "8827364", "57-2049",
];

/// Sentences of the test documents that identify no one but are still the physician's text.
const PROSE: &[&str] = &["marmalade kettle", "periwinkle lantern", "saffron umbrella"];

const CASE: &str = "# Case of Zebulon Quixworth\n\n\
Zebulon Quixworth, a 67-year-old man, was seen on March 3, 2024 at Quillfeather Memorial Hospital in Vexbury, Ohio.\n\
His wife, Marisol Quixworth, asked us to call 555-271-8493 or email zquix@example.org. MRN 8827364.\n\
He lives at 42 Wobblestone Road, Apt 3B. SSN 613-57-2049. See https://facebook.com/zquixworth.\n\
The marmalade kettle sang at dawn, and the periwinkle lantern stayed lit.\n";

const NOTES: &str = "Zebulon Quixworth called back from 555-271-8493 (MRN 8827364).\n\
The saffron umbrella was left in the waiting room.\n";

/// The text of a document must not be in `text`; `what` says where it came from.
fn assert_no_document_text(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for marker in IDENTIFIERS.iter().chain(PROSE) {
        assert!(
            !lower.contains(&marker.to_lowercase()),
            "{what} contains {marker:?} from a document:\n{text}"
        );
    }
}

/// A folder of posts that gives every command something to report and something to fail on.
struct Posts {
    dir: tempfile::TempDir,
}

impl Posts {
    fn new() -> Posts {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for folder in ["posts", "posts/broken", "posts/latin", "home"] {
            std::fs::create_dir_all(root.join(folder)).expect("create folder");
        }
        let write = |path: &str, bytes: &[u8]| std::fs::write(root.join(path), bytes).expect("write");
        write("posts/case.md", CASE.as_bytes());
        write("posts/notes.txt", NOTES.as_bytes());
        // Not UTF-8 (Latin-1), with identifiers in it: an unreadable file.
        write(
            "posts/latin1.md",
            b"Jos\xe9 Zebulon Quixworth, MRN 8827364, the marmalade kettle.\n",
        );
        // A link to nowhere: a file that cannot be opened.
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("posts/gone.md"), root.join("posts/dangling.md")).expect("symlink");
        // Settings that cannot be used: an unknown rule, and a file that is not UTF-8.
        write("posts/broken/scrubs.toml", b"[rules]\n\"phi/nope\" = \"error\"\n");
        write("posts/broken/case.md", CASE.as_bytes());
        write("posts/latin/scrubs.toml", b"[allow]\nwords = [\"Jos\xe9\"]\n");
        write("posts/latin/notes.txt", NOTES.as_bytes());
        Posts { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, relative: &str) -> String {
        self.root()
            .join(relative)
            .to_str()
            .expect("UTF-8 temp path")
            .to_string()
    }

    fn uri(&self, relative: &str) -> String {
        format!("file://{}", self.path(relative))
    }
}

/// Runs scrubs in `dir` with `SCRUBS_LOG=level` (none if empty) and `HOME` inside `dir`.
fn scrubs_in(dir: &Path, level: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scrubs"));
    command.args(args);
    run_in(dir, level, command, stdin)
}

fn run_in(dir: &Path, level: &str, mut command: Command, stdin: Option<&str>) -> Output {
    command
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("home/.config"))
        .env("XDG_CACHE_HOME", dir.join("home/.cache"))
        .env("TMPDIR", dir.join("home/tmp"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if level.is_empty() {
        command.env_remove("SCRUBS_LOG");
    } else {
        command.env("SCRUBS_LOG", level);
    }
    let mut child = command.spawn().expect("scrubs starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("scrubs finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A corpus for `scrubs eval`: the case with its identifiers annotated (code-point offsets).
fn corpus_line(id: &str, text: &str) -> String {
    let spans: Vec<Value> = [
        ("Zebulon Quixworth", "NAME"),
        ("March 3, 2024", "DATE"),
        ("555-271-8493", "CONTACT"),
        ("8827364", "ID"),
        ("Vexbury", "LOCATION"),
    ]
    .iter()
    .filter_map(|(needle, label)| {
        let at = text.find(needle)?;
        let start = text[..at].chars().count();
        Some(json!({"start": start, "end": start + needle.chars().count(), "label": label}))
    })
    .collect();
    json!({"id": id, "format": "markdown", "text": text, "spans": spans}).to_string()
}

// ---------------------------------------------------------------------------------------------
// No document text in logs
// ---------------------------------------------------------------------------------------------

/// One editor session that goes through every path that logs: opening, editing, edits clamped,
/// rejected, for unknown documents, versions going back, broken and unreadable settings, code
/// actions, an allow-list edit declined and one applied, saving, closing.
fn server_session(posts: &Posts, level: &str) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scrubs"));
    command
        .arg("lsp")
        .current_dir(posts.root())
        .env("HOME", posts.root().join("home"))
        .env("SCRUBS_LOG", level);
    let mut client = LspClient::spawn_command(command);
    client.initialize_in(&posts.uri(""), &["utf-16"]);
    let case = posts.uri("posts/case.md");
    let notes = posts.uri("posts/notes.txt");
    let broken = posts.uri("posts/broken/case.md");
    let latin = posts.uri("posts/latin/notes.txt");
    let never = posts.uri("posts/never-opened.md");
    let range = |sl: u64, sc: u64, el: u64, ec: u64| json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}});

    client.open(&case, "markdown", 1, CASE);
    let diagnostics = client.diagnostics(&case, 1);
    assert!(diagnostics.iter().any(|d| d["code"] == "phi/name"), "{diagnostics:?}");
    client.open(&notes, "plaintext", 1, NOTES);
    client.diagnostics(&notes, 1);
    client.open(&broken, "markdown", 1, CASE);
    client.diagnostics(&broken, 1);
    client.open(&latin, "plaintext", 1, NOTES);
    client.diagnostics(&latin, 1);

    // A valid edit, one far out of range (clamped), one inverted (rejected), a batch that stops
    // at an inverted change, a version going back, and changes to a document never opened.
    client.change(
        &case,
        2,
        json!([{"range": range(2, 0, 2, 0), "text": "Thistlewaite Quixworth visited. "}]),
    );
    client.diagnostics(&case, 2);
    client.change(
        &case,
        3,
        json!([{"range": range(900, 4, 999, 9), "text": "Call Thistlewaite on 555-271-8493."}]),
    );
    client.diagnostics(&case, 3);
    client.change(
        &case,
        4,
        json!([{"range": range(3, 9, 3, 2), "text": "Marisol Quixworth, the saffron umbrella"}]),
    );
    client.diagnostics(&case, 4);
    client.change(
        &case,
        5,
        json!([
            {"range": range(0, 0, 0, 0), "text": "Zebulon "},
            {"range": range(1, 5, 0, 1), "text": "periwinkle lantern 8827364"},
        ]),
    );
    client.diagnostics(&case, 5);
    client.change(&case, 2, json!([{"text": CASE}]));
    let diagnostics = client.diagnostics(&case, 2);
    client.change(&never, 7, json!([{"text": "Zebulon Quixworth, MRN 8827364."}]));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": never}}));
    let mut unreadable = json!({"textDocument": {"uri": case, "version": 9},
                                "contentChanges": [{"range": range(0, 0, 0, 0), "text": "Zebulon Quixworth"}]});
    unreadable["contentChanges"][0]["range"]["start"]["line"] = json!(-3);
    client.notify("textDocument/didChange", unreadable);

    // Hover and every kind of code action.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": case}, "position": {"line": 2, "character": 10}}),
    );
    assert!(hover["result"]["contents"]["value"].is_string(), "{hover}");
    let all = range(0, 0, 6, 0);
    for only in [
        json!(null),
        json!(["quickfix"]),
        json!(["refactor.rewrite"]),
        json!(["source.fixAll.scrubs"]),
    ] {
        let mut context = json!({"diagnostics": diagnostics});
        if !only.is_null() {
            context["only"] = only;
        }
        let response = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": case}, "range": all, "context": context}),
        );
        assert!(response.get("error").is_none(), "{response}");
    }

    // "Allow these words everywhere": the server asks the editor to edit scrubs.toml; the editor
    // declines once and applies once (in this test nothing is written: the editor is the test).
    for (applied, reason) in [(false, "the user cancelled"), (true, "")] {
        let id = client.send_request(
            "workspace/executeCommand",
            json!({"command": "scrubs.allowWord", "arguments": [case, "Zebulon Quixworth"]}),
        );
        let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit");
        let mut result = json!({"applied": applied});
        if !applied {
            result["failureReason"] = json!(reason);
        }
        client.respond(&apply["id"], result);
        let response = client.response_to(id, common::PATIENCE);
        assert!(response.get("error").is_none(), "{response}");
    }
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": case}}));
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": posts.uri("posts/broken/scrubs.toml")}}),
    );

    for uri in [&case, &notes, &broken, &latin] {
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": case}}));
    let (status, stderr) = client.shutdown();
    assert!(status.success(), "level {level}: {status:?}\n{stderr}");
    stderr
}

/// What each level must show at least, so that a quiet log cannot pass for a clean one.
fn expected_log_lines(level: &str) -> Vec<&'static str> {
    let mut lines = vec!["rejected an edit"];
    if level != "error" {
        lines.extend(["clamped", "never opened", "not newer", "could not be used"]);
    }
    if matches!(level, "info" | "debug" | "trace") {
        lines.extend(["initialize", "added an entry to the allow-list"]);
    }
    if matches!(level, "debug" | "trace") {
        lines.push("opened a markdown document");
    }
    lines
}

#[test]
fn the_server_logs_no_document_text_at_any_level() {
    let posts = Posts::new();
    for level in LEVELS {
        let stderr = server_session(&posts, level);
        for line in expected_log_lines(level) {
            assert!(
                stderr.contains(line),
                "SCRUBS_LOG={level}: expected {line:?} in the log:\n{stderr}"
            );
        }
        assert_no_document_text(&format!("the server's log at SCRUBS_LOG={level}"), &stderr);
    }
}

#[test]
fn the_commands_log_no_document_text_at_any_level() {
    let posts = Posts::new();
    let corpus = posts.root().join("corpus.jsonl");
    std::fs::write(
        &corpus,
        format!("{}\n{}\n", corpus_line("case", CASE), corpus_line("notes", NOTES)),
    )
    .expect("write corpus");
    // A corpus whose second line is not JSON, and one whose span lies outside its text.
    let bad_corpus = posts.root().join("bad.jsonl");
    std::fs::write(
        &bad_corpus,
        format!("{}\nZebulon Quixworth, MRN 8827364 {{\n", corpus_line("case", CASE)),
    )
    .expect("write corpus");
    let bad_span = posts.root().join("bad-span.jsonl");
    std::fs::write(
        &bad_span,
        "{\"id\": \"Quixworth\", \"text\": \"Zebulon Quixworth\", \"spans\": [{\"start\": 0, \"end\": 99, \"label\": \"NAME\"}]}\n",
    )
    .expect("write corpus");
    let copy = posts.root().join("posts/copy.md");

    for level in LEVELS {
        std::fs::write(&copy, CASE).expect("write copy");
        let runs: Vec<(&str, Vec<String>, Option<&str>)> = vec![
            (
                "check",
                vec![
                    "check".into(),
                    "posts".into(),
                    "posts/missing.md".into(),
                    "posts/dangling.md".into(),
                ],
                None,
            ),
            (
                "check --format json",
                vec!["check".into(), "--format".into(), "json".into(), "posts".into()],
                None,
            ),
            (
                "check --format sarif",
                vec!["check".into(), "--format=sarif".into(), "posts".into()],
                None,
            ),
            ("check -", vec!["check".into(), "-".into()], Some(CASE)),
            (
                "check --stdin-format plaintext -",
                vec!["check".into(), "--stdin-format".into(), "plaintext".into(), "-".into()],
                Some(NOTES),
            ),
            ("fix", vec!["fix".into(), "posts".into()], None),
            (
                "fix --write",
                vec![
                    "fix".into(),
                    "--write".into(),
                    posts.path("posts/copy.md"),
                    posts.path("posts/latin1.md"),
                ],
                None,
            ),
            (
                "fix --write -",
                vec!["fix".into(), "--write".into(), "-".into()],
                Some(CASE),
            ),
            ("eval", vec!["eval".into(), corpus.display().to_string()], None),
            (
                "eval --format json --fix",
                vec![
                    "eval".into(),
                    "--format".into(),
                    "json".into(),
                    "--fix".into(),
                    corpus.display().to_string(),
                ],
                None,
            ),
            (
                "eval --misses",
                vec!["eval".into(), "--misses".into(), corpus.display().to_string()],
                None,
            ),
            (
                "eval of a corpus that is not JSON",
                vec!["eval".into(), bad_corpus.display().to_string()],
                None,
            ),
            (
                "eval of a span outside its text",
                vec!["eval".into(), bad_span.display().to_string()],
                None,
            ),
        ];
        for (what, args, stdin) in runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = scrubs_in(posts.root(), level, &args, stdin);
            assert!(out.status.code().is_some(), "{what}: {:?}", out.status);
            let stderr = text(&out.stderr);
            assert_no_document_text(&format!("stderr of `scrubs {what}` at SCRUBS_LOG={level}"), &stderr);
        }
    }

    // The error paths did run: each names its file and says what to do.
    let out = scrubs_in(
        posts.root(),
        "",
        &["check", "posts", "posts/missing.md", "posts/dangling.md"],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for expected in [
        "latin1.md: is not UTF-8 text", "dangling.md: no such file or folder", "missing.md: no such file or folder",
        "broken/scrubs.toml", "latin/scrubs.toml",
    ] {
        assert!(stderr.contains(expected), "expected {expected:?} in:\n{stderr}");
    }
    let out = scrubs_in(posts.root(), "", &["eval", bad_corpus.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.jsonl:2:"), "{}", text(&out.stderr));
    // Human output quotes the flagged lines on purpose, on standard output: the documents were
    // read, so the markers above would have been found if they had leaked.
    let stdout = text(&out_of(posts.root(), &["check", "posts/case.md"]).stdout);
    assert!(
        stdout.contains("Zebulon Quixworth") && stdout.contains("555-271-8493"),
        "{stdout}"
    );
}

fn out_of(dir: &Path, args: &[&str]) -> Output {
    scrubs_in(dir, "", args, None)
}

/// Every string in a JSON value, with where it is, for checking what output repeats.
fn strings<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::String(s) => out.push((at, s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{at}[{i}]"), out);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                strings(item, format!("{at}.{key}"), out);
            }
        }
        _ => {}
    }
}

/// README: `--format json` "does not repeat the flagged text, so CI logs don't"; the SARIF output
/// makes the same promise. Checked on every string of the output, fixes included.
#[test]
fn json_and_sarif_output_do_not_repeat_the_flagged_text() {
    let posts = Posts::new();
    let out = out_of(
        posts.root(),
        &["check", "--format", "json", "posts/case.md", "posts/notes.txt"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let findings: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let rules: Vec<&str> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for rule in [
        "phi/name", "phi/phone", "phi/email", "phi/id", "phi/location", "phi/address", "phi/ssn", "phi/url",
    ] {
        assert!(rules.contains(&rule), "{rule} is reported: {rules:?}");
    }
    let mut found = Vec::new();
    strings(&findings, String::new(), &mut found);
    for (at, s) in &found {
        assert_no_document_text(&format!("JSON output at {at}"), s);
    }

    let out = out_of(
        posts.root(),
        &["check", "--format", "sarif", "posts/case.md", "posts/notes.txt"],
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF output");
    let results = &sarif["runs"][0]["results"];
    assert!(results.as_array().is_some_and(|r| r.len() >= 8), "{results}");
    let mut found = Vec::new();
    strings(&sarif, String::new(), &mut found);
    for (at, s) in &found {
        assert_no_document_text(&format!("SARIF output at {at}"), s);
    }
}

/// An age over 89 is itself a Safe Harbor identifier, so the promise covers it too.
#[test]
fn json_and_sarif_output_do_not_repeat_an_age_over_89() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("home")).expect("home");
    std::fs::write(dir.path().join("case.md"), "His mother, still sharp at 97, visited.\n").expect("write");
    for format in ["json", "sarif"] {
        let out = out_of(dir.path(), &["check", "--format", format, "case.md"]);
        let value: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let results = if format == "json" {
            value.clone()
        } else {
            value["runs"][0]["results"].clone()
        };
        assert!(results.as_array().is_some_and(|r| !r.is_empty()), "{format}: {results}");
        let mut found = Vec::new();
        strings(&results, String::new(), &mut found);
        for (at, s) in found {
            assert!(!s.contains("97"), "{format} output at {at} repeats the age: {s}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// System tools: strace and unshare
// ---------------------------------------------------------------------------------------------

/// Whether `program` runs here (`probe` must succeed). If it does not, the test says that it
/// skipped, or fails when `SCRUBS_REQUIRE_TOOLS=1` (CI).
fn tool_works(program: &str, probe: &[&str], what_for: &str) -> bool {
    let works = Command::new(program)
        .args(probe)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        let required = std::env::var("SCRUBS_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "`{}` does not work here, and SCRUBS_REQUIRE_TOOLS=1 requires it ({what_for}). Run .ci/privacy.sh to install it.",
            std::iter::once(program).chain(probe.iter().copied()).collect::<Vec<_>>().join(" ")
        );
        eprintln!(
            "skipped: `{program}` is not available here, so {what_for} is not tested. .ci/privacy.sh installs it."
        );
    }
    works
}

fn strace_works() -> bool {
    tool_works(
        "strace",
        &["-f", "-qq", "-e", "trace=%network", "-o", "/dev/null", "true"],
        "watching the system calls scrubs makes",
    )
}

/// A command that runs scrubs under strace, writing the trace of `calls` to `trace`.
fn traced(trace: &Path, calls: &str, args: &[&str]) -> Command {
    let mut command = Command::new("strace");
    command
        .args(["-f", "-qq", "-s", "256", "-e"])
        .arg(format!("trace={calls}"))
        .arg("-o")
        .arg(trace)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_scrubs"))
        .args(args);
    command
}

/// The system calls in a trace (not the exit and signal lines), without the process id.
fn calls(trace: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(trace).expect("read the trace");
    text.lines()
        .map(|line| {
            line.split_once(' ')
                .filter(|(pid, _)| pid.chars().all(|c| c.is_ascii_digit()))
                .map_or(line, |(_, rest)| rest)
                .trim_start()
                .to_string()
        })
        .filter(|call| !call.starts_with("+++") && !call.starts_with("---") && !call.is_empty())
        .collect()
}

/// No socket of any family but AF_UNIX, and no address of another family anywhere. Returns how
/// many network calls there were (ideally none).
fn assert_no_network(what: &str, trace: &Path) -> usize {
    let calls = calls(trace);
    for call in &calls {
        if call.starts_with("socket(") || call.starts_with("socketpair(") {
            let domain = call.split(['(', ',']).nth(1).unwrap_or_default().trim();
            assert_eq!(domain, "AF_UNIX", "{what} created a network socket: {call}");
        }
        for family in ["AF_INET", "AF_INET6", "AF_PACKET", "AF_NETLINK", "AF_BLUETOOTH"] {
            assert!(!call.contains(family), "{what} used {family}: {call}");
        }
    }
    calls.len()
}

/// A short editor session: open, edit, hover, every code action, close, shut down.
fn editor_session(mut client: LspClient, posts: &Posts) -> (std::process::ExitStatus, String) {
    let case = posts.uri("posts/case.md");
    client.initialize_in(&posts.uri(""), &["utf-16"]);
    client.open(&case, "markdown", 1, CASE);
    let diagnostics = client.diagnostics(&case, 1);
    assert!(diagnostics.iter().any(|d| d["code"] == "phi/phone"), "{diagnostics:?}");
    client.change(
        &case,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "text": "Seen 4/5/2024. "}]),
    );
    let diagnostics = client.diagnostics(&case, 2);
    assert!(diagnostics.iter().any(|d| d["code"] == "phi/date"), "{diagnostics:?}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": case}, "position": {"line": 0, "character": 7}}),
    );
    assert!(hover["result"]["contents"]["value"].is_string(), "{hover}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": case},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 6, "character": 0}},
               "context": {"diagnostics": diagnostics}}),
    );
    assert!(actions["result"].as_array().is_some_and(|a| !a.is_empty()), "{actions}");
    let fix_all = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": case},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll.scrubs"]}}),
    );
    assert!(fix_all["result"].as_array().is_some_and(|a| !a.is_empty()), "{fix_all}");
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": case}}));
    client.shutdown()
}

fn all_commands(posts: &Posts) -> Vec<(&'static str, Vec<String>)> {
    let corpus = posts.root().join("corpus.jsonl");
    std::fs::write(&corpus, format!("{}\n", corpus_line("case", CASE))).expect("write corpus");
    std::fs::write(posts.root().join("posts/copy.md"), CASE).expect("write copy");
    vec![
        ("check", vec!["check".into(), "posts".into()]),
        (
            "check --format sarif",
            vec!["check".into(), "--format".into(), "sarif".into(), "posts".into()],
        ),
        ("fix", vec!["fix".into(), "posts".into()]),
        (
            "fix --write",
            vec!["fix".into(), "--write".into(), posts.path("posts/copy.md")],
        ),
        (
            "eval --fix",
            vec!["eval".into(), "--fix".into(), corpus.display().to_string()],
        ),
        ("rule phi/name", vec!["rule".into(), "phi/name".into()]),
    ]
}

// ---------------------------------------------------------------------------------------------
// No network
// ---------------------------------------------------------------------------------------------

#[test]
fn no_command_and_no_editor_session_opens_a_network_socket() {
    if !strace_works() {
        return;
    }
    let posts = Posts::new();
    let trace = posts.root().join("home/trace.txt");
    let mut network_calls = 0;
    for (what, args) in all_commands(&posts) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_in(posts.root(), "", traced(&trace, "%network", &args), None);
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "`scrubs {what}` under strace: {:?}\n{}",
            out.status,
            text(&out.stderr)
        );
        assert!(
            !out.stdout.is_empty() || !out.stderr.is_empty(),
            "`scrubs {what}` printed nothing under strace"
        );
        network_calls += assert_no_network(&format!("`scrubs {what}`"), &trace);
    }
    let mut command = traced(&trace, "%network", &["lsp"]);
    command.current_dir(posts.root()).env("HOME", posts.root().join("home"));
    let (status, stderr) = editor_session(LspClient::spawn_command(command), &posts);
    assert!(status.success(), "{status:?}\n{stderr}");
    network_calls += assert_no_network("the language server", &trace);
    eprintln!("network system calls made, all of them AF_UNIX: {network_calls}");
}

#[test]
fn every_command_and_the_server_work_without_any_network() {
    if !tool_works("unshare", &["-n", "true"], "running without a network") {
        return;
    }
    let posts = Posts::new();
    // Each command gives the same output and exit status with and without a network.
    for (what, args) in all_commands(&posts) {
        std::fs::write(posts.root().join("posts/copy.md"), CASE).expect("reset copy");
        let mut command = Command::new(env!("CARGO_BIN_EXE_scrubs"));
        command.args(&args);
        let online = run_in(posts.root(), "", command, None);
        std::fs::write(posts.root().join("posts/copy.md"), CASE).expect("reset copy");
        let mut command = Command::new("unshare");
        command.args(["-n", "--", env!("CARGO_BIN_EXE_scrubs")]).args(&args);
        let offline = run_in(posts.root(), "", command, None);
        assert_eq!(
            offline.status.code(),
            online.status.code(),
            "`scrubs {what}` without a network"
        );
        assert!(
            !offline.stdout.is_empty() || !offline.stderr.is_empty(),
            "`scrubs {what}` printed nothing without a network"
        );
        assert_eq!(
            text(&offline.stdout),
            text(&online.stdout),
            "`scrubs {what}` prints something else without a network"
        );
    }

    let mut command = Command::new("unshare");
    command
        .args(["-n", "--", env!("CARGO_BIN_EXE_scrubs"), "lsp"])
        .current_dir(posts.root())
        .env("HOME", posts.root().join("home"));
    let (status, stderr) = editor_session(LspClient::spawn_command(command), &posts);
    assert!(status.success(), "{status:?}\n{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Nothing is written but the file the user asked to change
// ---------------------------------------------------------------------------------------------

/// What a file looked like: kind, size, modification time, permissions and a hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    kind: &'static str,
    len: u64,
    modified: Option<SystemTime>,
    mode: u32,
    content: u64,
}

/// Every file, folder and link under `root` (links not followed).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Seen> {
    use std::hash::{Hash, Hasher};
    let mut seen = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read folder") {
            let path = entry.expect("folder entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            let kind = if meta.file_type().is_symlink() {
                std::fs::read_link(&path).expect("link").hash(&mut hasher);
                "link"
            } else if meta.is_dir() {
                folders.push(path.clone());
                "folder"
            } else {
                std::fs::read(&path).expect("read file").hash(&mut hasher);
                "file"
            };
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = u32::from(meta.permissions().readonly());
            seen.insert(
                path,
                Seen {
                    kind,
                    len: meta.len(),
                    modified: meta.modified().ok(),
                    mode,
                    content: hasher.finish(),
                },
            );
        }
    }
    seen
}

/// The paths that were added, removed or changed between two snapshots.
fn differences(before: &BTreeMap<PathBuf, Seen>, after: &BTreeMap<PathBuf, Seen>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, was) in before {
        match after.get(path) {
            None => out.push(format!("removed {}", path.display())),
            Some(now) if now != was => out.push(format!("changed {}: {was:?} -> {now:?}", path.display())),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("added {}", path.display()));
    }
    out
}

/// The paths a traced run opened for writing, created, renamed, removed or changed the mode of.
fn written_paths(trace: &Path) -> Vec<String> {
    const CHANGING: [&str; 16] = [
        "creat(", "rename(", "renameat(", "renameat2(", "unlink(", "unlinkat(", "mkdir(", "mkdirat(", "rmdir(",
        "link(", "linkat(", "symlink(", "symlinkat(", "truncate(", "chmod(", "fchmodat(",
    ];
    let mut paths = Vec::new();
    for call in calls(trace) {
        let opens = call.starts_with("open(") || call.starts_with("openat(") || call.starts_with("openat2(");
        let writes = opens
            && ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"]
                .iter()
                .any(|f| call.contains(f));
        if writes || CHANGING.iter().any(|c| call.starts_with(c)) {
            // Every quoted argument is a path (or the data of none of these calls).
            let quoted: Vec<&str> = call.split('"').skip(1).step_by(2).collect();
            paths.extend(quoted.iter().map(|p| p.to_string()));
        }
    }
    paths
}

#[test]
fn only_the_file_named_to_fix_write_is_ever_changed() {
    let posts = Posts::new();
    let root = posts.root();
    std::fs::write(root.join(".gitignore"), "drafts/\n").expect("write");
    std::fs::create_dir_all(root.join("drafts")).expect("drafts");
    std::fs::write(root.join("drafts/secret.md"), CASE).expect("write");
    std::fs::write(root.join("posts/second.md"), CASE).expect("write");
    let corpus = root.join("corpus.jsonl");
    std::fs::write(&corpus, format!("{}\n", corpus_line("case", CASE))).expect("write corpus");
    // Modification times have a coarse resolution on some file systems: let them tick over.
    std::thread::sleep(Duration::from_millis(50));
    let before = snapshot(root);

    let corpus_arg = corpus.display().to_string();
    let read_only: [(&str, Vec<&str>, Option<&str>); 7] = [
        ("check", vec!["check"], None),
        ("check posts", vec!["check", "posts", "posts/case.md"], None),
        ("check --format json", vec!["check", "--format", "json", "posts"], None),
        ("check -", vec!["check", "-"], Some(CASE)),
        ("fix (a diff)", vec!["fix", "posts"], None),
        ("fix --write -", vec!["fix", "--write", "-"], Some(CASE)),
        ("eval --fix", vec!["eval", "--fix", &corpus_arg], None),
    ];
    for (what, args, stdin) in &read_only {
        let out = scrubs_in(root, "debug", args, *stdin);
        assert!(out.status.code().is_some(), "{what}");
        assert_eq!(
            differences(&before, &snapshot(root)),
            Vec::<String>::new(),
            "`scrubs {what}` wrote"
        );
    }

    let out = scrubs_in(root, "debug", &["fix", "--write", "posts/case.md"], None);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    let after_fix = snapshot(root);
    let case = root.join("posts/case.md");
    // The file, and its folder's modification time (a file in it was replaced by a rename).
    let folder = root.join("posts");
    let mut expected = before.clone();
    expected.insert(case.clone(), after_fix[&case].clone());
    if let (Some(was), Some(now)) = (before.get(&folder), after_fix.get(&folder)) {
        assert_eq!((was.kind, was.mode), (now.kind, now.mode), "the folder itself changed");
        expected.insert(folder.clone(), now.clone());
    }
    assert_eq!(
        differences(&expected, &after_fix),
        Vec::<String>::new(),
        "`scrubs fix --write` wrote"
    );
    assert_ne!(before[&case], after_fix[&case], "the named file was rewritten");
    let fixed = std::fs::read_to_string(&case).expect("read fixed");
    assert!(!fixed.contains("555-271-8493") && fixed.contains("[phone]"), "{fixed}");

    // An editor session, the allow-list command included: the server writes nothing (the editor
    // applies edits, here the test, which declines).
    let mut command = Command::new(env!("CARGO_BIN_EXE_scrubs"));
    command
        .arg("lsp")
        .current_dir(root)
        .env("HOME", root.join("home"))
        .env("SCRUBS_LOG", "debug");
    let mut client = LspClient::spawn_command(command);
    client.initialize_in(&posts.uri(""), &["utf-16"]);
    let second = posts.uri("posts/second.md");
    client.open(&second, "markdown", 1, CASE);
    client.diagnostics(&second, 1);
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": "scrubs.allowWord", "arguments": [second, "Quixworth"]}),
    );
    let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    client.respond(&apply["id"], json!({"applied": false, "failureReason": "declined"}));
    client.response_to(id, common::PATIENCE);
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": second}}));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": second}}));
    let (status, _) = client.shutdown();
    assert!(status.success());
    let (status, _) = editor_session_in(&posts);
    assert!(status.success());
    assert_eq!(
        differences(&after_fix, &snapshot(root)),
        Vec::<String>::new(),
        "the server wrote"
    );

    // Beyond this folder: strace sees every file the process opens for writing, anywhere.
    if !strace_works() {
        return;
    }
    let trace = std::env::temp_dir().join(format!("scrubs-privacy-trace-{}.txt", std::process::id()));
    std::fs::write(root.join("posts/second.md"), CASE).expect("reset");
    let target = std::fs::canonicalize(root.join("posts/second.md")).expect("canonical path");
    let out = run_in(
        root,
        "",
        traced(&trace, "%file", &["fix", "--write", "posts/second.md"]),
        None,
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    let written = written_paths(&trace);
    assert!(!written.is_empty(), "strace saw the file being written");
    let temporary = ".second.md.scrubs-";
    for path in &written {
        let path = Path::new(path);
        let allowed = path == target
            || (path.parent() == target.parent()
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(temporary)));
        assert!(allowed, "`scrubs fix --write` wrote {}: {written:#?}", path.display());
    }
    for (what, args) in [("check", vec!["check", "posts"]), ("fix", vec!["fix", "posts"])] {
        let out = run_in(root, "", traced(&trace, "%file", &args), None);
        assert!(out.status.code().is_some());
        assert_eq!(written_paths(&trace), Vec::<String>::new(), "`scrubs {what}` wrote");
    }
    let mut command = traced(&trace, "%file", &["lsp"]);
    command.current_dir(root).env("HOME", root.join("home"));
    let (status, _) = editor_session(LspClient::spawn_command(command), &posts);
    assert!(status.success());
    assert_eq!(written_paths(&trace), Vec::<String>::new(), "the server wrote");
    let _ = std::fs::remove_file(&trace);
}

fn editor_session_in(posts: &Posts) -> (std::process::ExitStatus, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scrubs"));
    command
        .arg("lsp")
        .current_dir(posts.root())
        .env("HOME", posts.root().join("home"));
    editor_session(LspClient::spawn_command(command), posts)
}

// ---------------------------------------------------------------------------------------------
// `scrubs fix --write` is atomic
// ---------------------------------------------------------------------------------------------

/// A small, seeded random number generator (xorshift64*), so a failing run can be repeated with
/// `SCRUBS_TEST_SEED`.
struct Random(u64);

impl Random {
    fn from_env_or_clock() -> Random {
        let seed = std::env::var("SCRUBS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("random seed {seed} (set SCRUBS_TEST_SEED={seed} to repeat)");
        Random(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A case series of about `size` bytes, with names, ages, dates and phone numbers throughout.
fn case_series(size: usize) -> String {
    let first = ["Maria", "John", "Aisha", "Wei", "Olga", "Pedro", "Fatima", "Tomas"];
    let last = ["Lopez", "Smith", "Khan", "Chen", "Ivanova", "Silva", "Okafor", "Novak"];
    let mut text = String::with_capacity(size + 400);
    let mut n = 0usize;
    while text.len() < size {
        text.push_str(&format!(
            "## Case {n}\n\n{} {}, a {}-year-old, was seen on March {}, 2024 and asked us to call 555-201-{:04}. \
             The team reviewed the imaging and discussed the options with the family, who agreed with the plan.\n\n",
            first[n % first.len()],
            last[(n / first.len()) % last.len()],
            20 + n % 69,
            1 + n % 28,
            n % 10_000
        ));
        n += 1;
    }
    text
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// When to kill a run.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// After this long, wherever the run is (reading, checking, fixing, writing, or done).
    After(Duration),
    /// This long after its temporary file appears: while it writes, flushes or renames.
    WhileWriting(Duration),
}

#[derive(Debug, Default)]
struct Outcomes {
    old: usize,
    new: usize,
    temporaries_left: usize,
}

/// Runs `scrubs fix --write post.md` in `folder` on a fresh copy of `original`, kills it as
/// `kill` says, and checks what is left: the old file or the new one, with its permissions, and
/// at most the killed run's own temporary file, readable only by its owner.
#[cfg(unix)]
fn killed_run(folder: &Path, original: &str, fixed: &str, kill: Kill, outcomes: &mut Outcomes) {
    let post = folder.join("post.md");
    std::fs::write(&post, original).expect("write the original");
    set_mode(&post, 0o640);
    let mut child = Command::new(env!("CARGO_BIN_EXE_scrubs"))
        .args(["fix", "--write", "post.md"])
        .current_dir(folder)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("scrubs starts");
    let pid = child.id();
    let temporary_prefix = ".post.md.scrubs-";
    match kill {
        Kill::After(delay) => std::thread::sleep(delay),
        Kill::WhileWriting(delay) => {
            // Hang guard only: a run that never writes ends by itself, and then we stop looking.
            let deadline = Instant::now() + Duration::from_secs(600);
            loop {
                let writing = std::fs::read_dir(folder)
                    .expect("read folder")
                    .flatten()
                    .any(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(temporary_prefix)));
                if writing || matches!(child.try_wait(), Ok(Some(_))) || Instant::now() > deadline {
                    break;
                }
                std::thread::yield_now();
            }
            std::thread::sleep(delay);
        }
    }
    let _ = child.kill(); // SIGKILL; fails only if the run already ended
    let _ = child.wait();

    let now = std::fs::read(&post).expect("the file is still there");
    if now == original.as_bytes() {
        outcomes.old += 1;
    } else if now == fixed.as_bytes() {
        outcomes.new += 1;
    } else {
        panic!(
            "torn file after {kill:?}: {} bytes, neither the original ({}) nor the fixed text ({})",
            now.len(),
            original.len(),
            fixed.len()
        );
    }
    assert_eq!(mode_of(&post), 0o640, "permissions after {kill:?}");
    let others: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("read folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p != &post)
        .collect();
    assert!(others.len() <= 1, "more than one file left after {kill:?}: {others:?}");
    for other in others {
        let name = other
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let expected = format!("{temporary_prefix}{pid}-");
        assert!(
            name.starts_with(&expected) && name.ends_with(".tmp"),
            "a file that is not the killed run's temporary file: {name}"
        );
        assert_eq!(
            mode_of(&other) & 0o077,
            0,
            "the temporary file {name} can be read by others: {:o}",
            mode_of(&other)
        );
        outcomes.temporaries_left += 1;
        std::fs::remove_file(&other).expect("remove the temporary file");
    }
}

/// Killed with SIGKILL at random moments (anywhere in the run, and while it writes), the file is
/// always byte for byte the original or the fully fixed text, never a mix, with its permissions.
#[cfg(unix)]
#[test]
fn fix_write_killed_at_random_moments_leaves_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = case_series(2_000_000);

    // The fully fixed text, from a run that is not interrupted; its duration sets the delays.
    let reference = dir.path().join("reference");
    std::fs::create_dir_all(&reference).expect("folder");
    std::fs::write(reference.join("post.md"), &original).expect("write");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_scrubs"))
        .args(["fix", "--write", "post.md"])
        .current_dir(&reference)
        .output()
        .expect("scrubs runs");
    let full_run = started.elapsed();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    let fixed = std::fs::read_to_string(reference.join("post.md")).expect("read fixed");
    assert_ne!(fixed, original);
    assert!(!fixed.contains("555-201-"), "the fixed text has no phone numbers left");

    let mut random = Random::from_env_or_clock();
    let full_ms = full_run.as_millis() as u64;
    let plan: Vec<Kill> = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                Kill::After(Duration::from_millis(random.below(full_ms * 6 / 5 + 1)))
            } else if i % 6 == 1 {
                Kill::WhileWriting(Duration::ZERO)
            } else {
                Kill::WhileWriting(Duration::from_micros(random.below(20_000)))
            }
        })
        .collect();
    // Two runs at a time, in folders of their own: the machine has two cores.
    let outcomes: Vec<Outcomes> = std::thread::scope(|scope| {
        let workers: Vec<_> = plan
            .chunks(plan.len() / 2)
            .enumerate()
            .map(|(w, kills)| {
                let folder = dir.path().join(format!("worker-{w}"));
                std::fs::create_dir_all(&folder).expect("folder");
                let (original, fixed) = (&original, &fixed);
                scope.spawn(move || {
                    let mut outcomes = Outcomes::default();
                    for &kill in kills {
                        killed_run(&folder, original, fixed, kill, &mut outcomes);
                    }
                    outcomes
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).collect()
    });
    let total = Outcomes {
        old: outcomes.iter().map(|o| o.old).sum(),
        new: outcomes.iter().map(|o| o.new).sum(),
        temporaries_left: outcomes.iter().map(|o| o.temporaries_left).sum(),
    };
    eprintln!("20 killed runs (an uninterrupted one took {full_run:?}): {total:?}");
    assert_eq!(total.old + total.new, 20);
    assert!(
        total.old > 0,
        "no run was killed before it replaced the file: {total:?}"
    );
    assert!(
        total.temporaries_left > 0,
        "no kill landed while the temporary file existed, so the test proved nothing: {total:?}"
    );
}

/// A run killed while writing leaves its temporary file; the next run on the same file removes
/// it (its process is gone) and leaves only the fixed file.
#[cfg(unix)]
#[test]
fn fix_write_removes_the_temporary_file_a_killed_run_left() {
    let dir = tempfile::tempdir().expect("temp dir");
    let post = dir.path().join("post.md");
    std::fs::write(&post, CASE).expect("write");
    set_mode(&post, 0o600);
    // The process id of a process that has ended.
    let mut ended = Command::new("true").spawn().expect("true runs");
    let gone = ended.id();
    ended.wait().expect("true ends");
    let stale = dir.path().join(format!(".post.md.scrubs-{gone}-0.tmp"));
    std::fs::write(&stale, "half of a fixed text").expect("write");
    // One of a run that is still going (this test), and a file that only looks similar.
    let live = dir.path().join(format!(".post.md.scrubs-{}-0.tmp", std::process::id()));
    std::fs::write(&live, "still being written").expect("write");
    let unrelated = dir.path().join(".post.md.scrubs-notes.tmp");
    std::fs::write(&unrelated, "mine").expect("write");

    let out = scrubs_in(dir.path(), "", &["fix", "--write", "post.md"], None);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(live.exists(), "a running process's temporary file was removed");
    assert!(
        unrelated.exists(),
        "a file that is not a scrubs temporary file was removed"
    );
    assert_eq!(mode_of(&post), 0o600);
    assert!(std::fs::read_to_string(&post).expect("read").contains("[phone]"));
}
