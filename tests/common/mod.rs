//! A real LSP client for tests: spawns the scrubs binary and speaks JSON-RPC over its stdio.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long to wait for a reply before deciding the server is stuck. Not a performance
/// assertion: only a guard so a broken server fails the test instead of hanging it.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// What VS Code and Neovim say they show of pushed diagnostics: links to a rule's page and
/// related information.
pub static EDITOR_DIAGNOSTICS: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| json!({"relatedInformation": true, "codeDescriptionSupport": true}));

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for something else, in arrival order.
    pub backlog: Vec<Value>,
    /// Everything the server writes to stderr, read as it comes so that a chatty log level
    /// can never fill the pipe and stall the server.
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl LspClient {
    pub fn spawn(args: &[&str]) -> LspClient {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scrubs"));
        command.args(args);
        LspClient::spawn_command(command)
    }

    /// Spawns `command` (the scrubs binary, or a program such as strace that runs it) with its
    /// standard streams piped to this client.
    pub fn spawn_command(mut command: Command) -> LspClient {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the scrubs binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = child.stderr.take().map(|mut err| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = err.read_to_string(&mut text);
                text
            })
        });
        let stdin = child.stdin.take();
        LspClient {
            child,
            stdin,
            messages,
            next_id: 1,
            backlog: Vec::new(),
            stderr,
        }
    }

    pub fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).expect("write to server");
        stdin.flush().expect("flush to server");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string();
        self.send_raw(&body);
    }

    /// Sends a request and waits for its response, keeping other messages in the backlog.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        self.send_raw(&body);
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Waits for the first message matching `pred` (looking at the backlog first).
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(PATIENCE, pred)
    }

    /// Like `wait_for`, with a longer hang guard for work that is slow by design (a 50 MB
    /// document in a debug build). Still only a guard, never a performance assertion.
    pub fn wait_for_within(&mut self, patience: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + patience;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if pred(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no matching message; got {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => panic!("server closed its output; got {:#?}", self.backlog),
            }
        }
    }

    /// Waits for diagnostics of `uri` at exactly `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn initialize(&mut self, encodings: &[&str]) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "textDocument": {"publishDiagnostics": EDITOR_DIAGNOSTICS.clone()},
                },
            }),
        );
        self.notify("initialized", json!({}));
        response
    }

    pub fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Shuts down politely and returns the exit status and everything the server logged.
    pub fn shutdown(mut self) -> (std::process::ExitStatus, String) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "shutdown failed: {response}");
        self.notify("exit", Value::Null);
        self.close_stdin();
        self.finish()
    }

    /// Waits for the process to end and returns its status and stderr.
    pub fn finish(mut self) -> (std::process::ExitStatus, String) {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for server") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let stderr = self
            .stderr
            .take()
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default();
        (status, stderr)
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// `(code, start line, start char, end line, end char)` of each diagnostic, for exact comparison.
pub fn ranges(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                r["start"]["line"].as_u64().unwrap_or(u64::MAX),
                r["start"]["character"].as_u64().unwrap_or(u64::MAX),
                r["end"]["line"].as_u64().unwrap_or(u64::MAX),
                r["end"]["character"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect()
}

impl LspClient {
    /// Answers a request the server sent us.
    pub fn respond(&mut self, id: &Value, result: Value) {
        let body = json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string();
        self.send_raw(&body);
    }

    /// Initializes with a workspace folder and the ability to apply workspace edits that
    /// create files, as VS Code and Neovim do.
    pub fn initialize_in(&mut self, root_uri: &str, encodings: &[&str]) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "posts"}],
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "textDocument": {"publishDiagnostics": EDITOR_DIAGNOSTICS.clone()},
                    "workspace": {"applyEdit": true, "workspaceEdit": {
                        "documentChanges": true, "resourceOperations": ["create", "rename", "delete"]
                    }},
                },
            }),
        );
        self.notify("initialized", json!({}));
        response
    }
}

/// The byte offset of an LSP position in `text`, counting characters in `encoding`
/// ("utf-8" or "utf-16"). Written independently of the server's own conversion.
pub fn offset_of(text: &str, position: &Value, encoding: &str) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').map_or(text.len() - start, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += units_of(c, encoding);
    }
    text.len()
}

/// How many units `c` counts for in an LSP column, in `encoding` ("utf-8" or "utf-16").
pub fn units_of(c: char, encoding: &str) -> usize {
    if encoding == "utf-8" {
        c.len_utf8()
    } else {
        c.len_utf16()
    }
}

/// Applies LSP text edits (all against the same original text) the way an editor does.
pub fn apply_edits(text: &str, edits: &[Value], encoding: &str) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"], encoding),
                offset_of(text, &e["range"]["end"], encoding),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// For abuse and privacy tests: raw bytes, requests answered later, the process itself.
impl LspClient {
    /// The server's process id (for /proc/<pid>/status).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes bytes exactly as given, framing and all (for malformed headers).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush to server");
    }

    /// Frames `body` with a correct Content-Length, whatever bytes it holds.
    pub fn send_body_bytes(&mut self, body: &[u8]) {
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        self.send_bytes(&framed);
    }

    /// Sends a request without waiting; returns its id for `response_to`.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string();
        self.send_raw(&body);
        id
    }

    /// Waits for the response to the request with `id`.
    pub fn response_to(&mut self, id: i64, patience: Duration) -> Value {
        self.wait_for_within(patience, |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        })
    }

    /// Waits for diagnostics of `uri` at exactly `version`, with a longer hang guard.
    pub fn diagnostics_within(&mut self, uri: &str, version: i64, patience: Duration) -> Vec<Value> {
        let message = self.wait_for_within(patience, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Whether the server process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Every message not yet consumed, up to the moment the server closes its output (it has
    /// exited). The hang guard fails the test if the output stays open.
    pub fn messages_until_closed(&mut self) -> Vec<Value> {
        let mut all = std::mem::take(&mut self.backlog);
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => all.push(message),
                Err(RecvTimeoutError::Disconnected) => return all,
                Err(RecvTimeoutError::Timeout) => panic!("the server kept its output open; got {all:#?}"),
            }
        }
    }
}
