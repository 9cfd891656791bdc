//! Whole-process figures of the language server, driven over stdio like an editor would:
//!
//! - start-up: from spawning `scrubs lsp` to the first diagnostics of a small document;
//! - keystroke latency: from sending a `didChange` at a random place in a 1 MB document to
//!   receiving the `publishDiagnostics` for that version, over many edits, with the debounce
//!   off and with the default debounce; and for an editor that pulls diagnostics (VS Code),
//!   from sending the `didChange` and a `textDocument/diagnostic` request to its answer; and,
//!   debounce off, in the real nursing notes pasted as one line of a megabyte;
//! - memory: the server's peak resident memory with ten 1 MB documents open.
//!
//! Run with `cargo bench --bench lsp` (see BENCHMARKS.md); `SCRUBS_BENCH_EDITS` sets the number
//! of edits (default 500), `SCRUBS_BENCH_DOC` a Markdown file to use instead of the built one,
//! `SCRUBS_BIN` another build of scrubs to time (to compare two builds, run them alternately),
//! `SCRUBS_BENCH_LOG` a file to append the server's debug log to.
//! Not a test: it asserts nothing about speed, it measures and prints.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A message from the server: when its last byte arrived, and its raw body.
struct Received {
    at: Instant,
    body: Vec<u8>,
}

impl Received {
    /// The JSON-RPC method, read from the raw text (diagnostic bodies are megabytes: parsing
    /// them whole would measure the client, not the server).
    fn method(&self) -> Option<&str> {
        let head = &self.body[..self.body.len().min(200)];
        let text = std::str::from_utf8(head).ok().or_else(|| {
            // A cut inside a multibyte character: back off to a boundary.
            (1..4).find_map(|cut| std::str::from_utf8(&head[..head.len().saturating_sub(cut)]).ok())
        })?;
        let start = text.find("\"method\":\"")? + 10;
        let end = text[start..].find('"')? + start;
        Some(&text[start..end])
    }

    /// The `version` of a publishDiagnostics, from the end of the body.
    fn version(&self) -> Option<i64> {
        let tail = &self.body[self.body.len().saturating_sub(200)..];
        let text = String::from_utf8_lossy(tail);
        let at = text.rfind("\"version\":")? + 10;
        let digits: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        digits.parse().ok()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Received>,
    next_id: i64,
}

impl Server {
    fn spawn(debounce_ms: Option<u64>) -> Server {
        // `SCRUBS_BIN` times another build (an older one, to compare), else this one.
        let binary = std::env::var_os("SCRUBS_BIN")
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_scrubs").into());
        let mut command = Command::new(binary);
        command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // `SCRUBS_BENCH_LOG` keeps the server's debug log (segments checked, times; never text).
        if let Some(path) = std::env::var_os("SCRUBS_BENCH_LOG") {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("log file opens");
            command.env("SCRUBS_LOG", "debug").stderr(log);
        }
        if let Some(ms) = debounce_ms {
            command.env("SCRUBS_DEBOUNCE_MS", ms.to_string());
        }
        let mut child = command.spawn().expect("scrubs starts");
        let stdout = child.stdout.take().expect("piped");
        let stdin = child.stdin.take().expect("piped");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 20, stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        length = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap_or(0)];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if sender
                    .send(Received {
                        at: Instant::now(),
                        body,
                    })
                    .is_err()
                {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn wait(&mut self, pred: impl Fn(&Received) -> bool) -> Received {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(120))
                .expect("the server answers (120 s hang guard)");
            if pred(&message) {
                return message;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.answer(method, params).json()
    }

    /// Sends a request and waits for its answer, unparsed.
    fn answer(&mut self, method: &str, params: Value) -> Received {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let needle = format!("\"id\":{id}");
        self.wait(|m| m.method().is_none() && String::from_utf8_lossy(&m.body).contains(&needle))
    }

    fn initialize(&mut self) {
        self.initialize_as(Diagnostics::Pushed);
    }

    fn initialize_as(&mut self, diagnostics: Diagnostics) {
        // As VS Code and Neovim declare: rule links and related details, code actions resolved
        // when chosen; VS Code also pulls.
        let mut text_document = json!({"publishDiagnostics": {
            "relatedInformation": true, "codeDescriptionSupport": true},
            "codeAction": {"dataSupport": true, "resolveSupport": {"properties": ["edit"]}}});
        if diagnostics == Diagnostics::Pulled {
            text_document["diagnostic"] = json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
        }
        self.request(
            "initialize",
            json!({"processId": null, "rootUri": null,
                   "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                                    "textDocument": text_document}}),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}));
    }

    fn diagnostics(&mut self, version: i64) -> Received {
        self.wait(|m| m.method() == Some("textDocument/publishDiagnostics") && m.version() == Some(version))
    }

    /// Asks for a document's diagnostics and waits for the answer (read from its start, where
    /// scrubs writes the id).
    fn pull(&mut self, uri: &str) -> Received {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/diagnostic",
                          "params": {"textDocument": {"uri": uri}}}));
        let needle = format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},");
        self.wait(|m| m.body.starts_with(needle.as_bytes()))
    }

    /// Peak and current resident memory, in KiB, from /proc.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

/// About `bytes` of clinical Markdown: the corpus text repeated, or `SCRUBS_BENCH_DOC`.
fn document(bytes: usize) -> String {
    if let Ok(path) = std::env::var("SCRUBS_BENCH_DOC") {
        return std::fs::read_to_string(path).expect("SCRUBS_BENCH_DOC is readable");
    }
    common::repeated(&common::corpus_text(), bytes)
}

/// A small deterministic random number generator (xorshift), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A random place in `text`, at a character boundary.
    fn place_in(&mut self, text: &str) -> usize {
        let mut at = self.below(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// The LSP position (UTF-16 columns) of byte `at`.
fn position(text: &str, at: usize) -> Value {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// How the editor gets diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Diagnostics {
    /// Sent by the server after each check (Neovim and most editors).
    Pushed,
    /// Asked for after each change (`textDocument/diagnostic`: VS Code).
    Pulled,
}

/// Typing at random places: mostly a letter or a space, sometimes a deletion or a new line.
fn keystroke_latency(text: &str, edits: usize, debounce_ms: Option<u64>, diagnostics: Diagnostics) -> Vec<Duration> {
    let mut server = Server::spawn(debounce_ms);
    server.initialize_as(diagnostics);
    let uri = "file:///bench/long.md";
    let mut text = text.to_string();
    server.open(uri, &text);
    match diagnostics {
        Diagnostics::Pushed => server.diagnostics(1),
        Diagnostics::Pulled => server.pull(uri),
    };
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut latencies = Vec::with_capacity(edits);
    for version in 2..edits as i64 + 2 {
        let at = rng.place_in(&text);
        let kind = rng.below(100);
        let (end, insert) = if kind < 15 && at < text.len() {
            let len = text[at..].chars().next().map_or(0, char::len_utf8);
            (at + len, String::new())
        } else if kind < 20 {
            (at, "\n".to_string())
        } else {
            let letters = b"etaoinshrdlu ETAOIN";
            (at, (letters[rng.below(letters.len())] as char).to_string())
        };
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": position(&text, at), "end": position(&text, end)}, "text": insert}]}});
        text.replace_range(at..end, &insert);
        let sent = Instant::now();
        server.send(&change);
        let answer = match diagnostics {
            Diagnostics::Pushed => server.diagnostics(version),
            Diagnostics::Pulled => server.pull(uri),
        };
        latencies.push(answer.at.duration_since(sent));
    }
    server.stop();
    latencies.sort();
    latencies
}

/// Moving the cursor: VS Code asks for the code actions at the cursor (trigger "automatic") on
/// every move, to show the light bulb. From the request to its answer, at random places of an
/// open, checked document; with `typing`, each request follows a letter typed at that place, as
/// VS Code asks after every keystroke, and is timed from the change (the answer waits for the
/// check of the new version).
fn code_action_latency(text: &str, requests: usize, typing: bool) -> Vec<Duration> {
    let mut server = Server::spawn(Some(0));
    server.initialize();
    let uri = "file:///bench/long.md";
    let mut text = text.to_string();
    server.open(uri, &text);
    server.diagnostics(1);
    let mut rng = Rng(0x0c0d_e0ac_7105_5eed);
    let mut latencies = Vec::with_capacity(requests);
    for version in 2..requests as i64 + 2 {
        let mut at = rng.place_in(&text);
        let sent = Instant::now();
        if typing {
            let letter = (b"etaoinshrdlu"[rng.below(12)] as char).to_string();
            let place = position(&text, at);
            server.send(
                &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": place, "end": place}, "text": letter}]}}),
            );
            text.insert_str(at, &letter);
            at += 1;
        }
        let cursor = position(&text, at);
        let answer = server.answer(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": cursor, "end": cursor},
                   "context": {"diagnostics": [], "triggerKind": 2}}),
        );
        latencies.push(answer.at.duration_since(sent));
    }
    server.stop();
    latencies.sort();
    latencies
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let edits: usize = std::env::var("SCRUBS_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let doc = document(1_000_000);
    println!("document: {} bytes, {} lines", doc.len(), doc.lines().count());

    // d. Start-up to first diagnostics, on a small document.
    let small = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/vignette.md")).expect("example");
    let mut startups = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut server = Server::spawn(Some(0));
        server.initialize();
        server.open("file:///bench/vignette.md", &small);
        let first = server.diagnostics(1);
        startups.push(first.at.duration_since(started));
        server.stop();
    }
    startups.sort();
    println!(
        "start-up to first diagnostics (spawn, initialize, open the vignette), 20 runs: median {}, max {}",
        ms(percentile(&startups, 0.5)),
        ms(*startups.last().unwrap_or(&Duration::ZERO))
    );

    // b. Keystroke to publishDiagnostics: on the dense corpus, on real nursing notes, and on
    // the notes pasted without line breaks (one line of a megabyte).
    let notes = common::physionet_text().map(|text| common::repeated(&text, 1_000_000));
    let one_line = notes.as_ref().unwrap_or(&doc).replace(['\n', '\r'], " ");
    let documents = [
        ("1 MB dense corpus", Some(&doc), true),
        ("1 MB real nursing notes", notes.as_ref(), true),
        ("1 MB pasted as one line", Some(&one_line), false),
    ];
    for (name, text, every_way) in documents {
        let Some(text) = text else {
            println!("{name}: not measured (../shared/corpus/physionet-dev.jsonl is not there)");
            continue;
        };
        let ways = [
            ("publishDiagnostics", "no debounce", Some(0), Diagnostics::Pushed),
            ("publishDiagnostics", "default debounce", None, Diagnostics::Pushed),
            (
                "pulled report",
                "pulled after each change, as VS Code does",
                None,
                Diagnostics::Pulled,
            ),
        ];
        let ways = if every_way { &ways[..] } else { &ways[..1] };
        for &(answer, label, debounce, diagnostics) in ways {
            let latencies = keystroke_latency(text, edits, debounce, diagnostics);
            println!(
                "keystroke -> {answer}, {name} ({} bytes), {} edits, {label}: p50 {}, p99 {}, max {}",
                text.len(),
                latencies.len(),
                ms(percentile(&latencies, 0.5)),
                ms(percentile(&latencies, 0.99)),
                ms(*latencies.last().unwrap_or(&Duration::ZERO))
            );
        }
        if !every_way {
            continue;
        }
        for (what, typing) in [("cursor move", false), ("keystroke (no debounce)", true)] {
            let latencies = code_action_latency(text, edits.min(200), typing);
            println!(
                "{what} -> codeAction answer, {name}, {} places: p50 {}, p99 {}, max {}",
                latencies.len(),
                ms(percentile(&latencies, 0.5)),
                ms(percentile(&latencies, 0.99)),
                ms(*latencies.last().unwrap_or(&Duration::ZERO))
            );
        }
    }

    // c. Memory with ten 1 MB documents open (each a little different, as real ones would be).
    let mut server = Server::spawn(Some(0));
    server.initialize();
    for i in 0..10 {
        let text = format!("# Draft {i}\n\n{doc}");
        server.open(&format!("file:///bench/draft-{i}.md"), &text);
        server.diagnostics(1);
    }
    let (peak, now) = server.memory();
    println!(
        "memory with 10 open 1 MB documents: peak {:.1} MB, now {:.1} MB (resident)",
        peak as f64 / 1024.0,
        now as f64 / 1024.0
    );
    server.stop();
}
