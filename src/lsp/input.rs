//! What the editor sends, checked before the LSP framework reads it.
//!
//! The framework stops reading at the first message it cannot decode, which would end the
//! session (and lose the unsaved drafts' diagnostics) over one bad message. Here each message
//! is read whole first. A broken header is skipped up to the next one; a body that is not JSON
//! gets a parse error, one that is not a JSON-RPC message gets an invalid-request error (JSON-RPC
//! 2.0, both with a null id), and an unknown request whose method starts with `$/` gets "method
//! not found", as LSP asks (the framework answers only the notifications). Everything else goes
//! on to the framework unchanged. Nothing here logs the content of a message.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use super::output::{error_response, Output};
use crate::log_warn;

/// What a `textDocument/diagnostic` request becomes on its way to the framework: a
/// notification carrying the request's id and parameters, which the server answers itself with
/// the report written as JSON text ([`super::diagnostics::pulled_report`]). The framework would
/// turn a report's ten thousand diagnostics into a `serde_json::Value` tree first, which for a
/// long document takes ten times as long as checking it. The request keeps its place among the
/// other messages, so it is answered for the text as its earlier changes left it. A cancelled
/// pull is still answered in full (LSP allows it; the editor drops the answer).
pub const PULL_DIAGNOSTICS: &str = "scrubs/pullDiagnostics";

/// Largest header block accepted: real headers are a few dozen bytes.
const MAX_HEADER: usize = 8 * 1024;

const PARSE_ERROR: i64 = -32700;
const SERVER_NOT_INITIALIZED: i64 = -32002;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;

/// What to do with one framed message.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Pass it on; a request that moves the session to `Phase` says so.
    Forward(Option<Phase>),
    /// Forward this message instead (see [`PULL_DIAGNOSTICS`]).
    Replace(Vec<u8>),
    /// Answer with this error (and this id, `null` when there is none) and drop the message.
    Reject {
        code: i64,
        id: String,
        message: &'static str,
    },
}

/// Where the session is, as far as the messages passed on tell: requests that become
/// notifications ([`PULL_DIAGNOSTICS`]) are answered here when the framework would refuse them,
/// since it drops a notification it refuses without a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    BeforeInitialize,
    Running,
    ShutDown,
}

impl Phase {
    /// The phase after passing on a request for `method`.
    fn after(self, method: &str) -> Phase {
        match (self, method) {
            (Phase::BeforeInitialize, "initialize") => Phase::Running,
            (Phase::Running, "shutdown") => Phase::ShutDown,
            (phase, _) => phase,
        }
    }
}

fn judge(body: &[u8], phase: Phase) -> Verdict {
    let reject = |code, id: &str, message| Verdict::Reject {
        code,
        id: id.to_string(),
        message,
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return reject(PARSE_ERROR, "null", "the message is not valid JSON");
    };
    let Some(object) = value.as_object() else {
        return reject(INVALID_REQUEST, "null", "the message is not a JSON-RPC object");
    };
    if object.get("jsonrpc").and_then(|v| v.as_str()) != Some("2.0") {
        return reject(INVALID_REQUEST, "null", "the message is not JSON-RPC 2.0");
    }
    match object.get("method") {
        None => Verdict::Forward(None),
        Some(serde_json::Value::String(method)) => match object.get("id") {
            Some(id) if method.starts_with("$/") => reject(METHOD_NOT_FOUND, &id.to_string(), "unknown method"),
            Some(id) if method == "textDocument/diagnostic" && phase == Phase::BeforeInitialize => reject(
                SERVER_NOT_INITIALIZED,
                &id.to_string(),
                "the server is not initialized yet",
            ),
            Some(id) if method == "textDocument/diagnostic" && phase == Phase::ShutDown => {
                reject(INVALID_REQUEST, &id.to_string(), "the server is shutting down")
            }
            Some(id) if method == "textDocument/diagnostic" => {
                let params = object.get("params").cloned().unwrap_or(serde_json::Value::Null);
                let notification = serde_json::json!({
                    "jsonrpc": "2.0",
                    "method": PULL_DIAGNOSTICS,
                    "params": { "id": id, "params": params },
                });
                Verdict::Replace(notification.to_string().into_bytes())
            }
            Some(_) => Verdict::Forward(Some(phase.after(method))),
            None => Verdict::Forward(None),
        },
        Some(_) => reject(INVALID_REQUEST, "null", "the message's method is not a string"),
    }
}

/// Where a message's header ends and how long its body is, if the header can be used. `Err`
/// with the number of bytes to skip when it cannot.
fn header(buffer: &[u8]) -> Option<Result<(usize, usize), usize>> {
    let Some(end) = memchr::memmem::find(buffer, b"\r\n\r\n") else {
        // No complete header yet; one that keeps growing is not a header.
        return (buffer.len() > MAX_HEADER).then(|| Err(skip_to_next_header(buffer)));
    };
    let block = &buffer[..end];
    let mut length = None;
    let mut usable = true;
    for line in block.split(|&b| b == b'\n') {
        let line = std::str::from_utf8(line).unwrap_or("").trim_end_matches('\r');
        let Some((name, value)) = line.split_once(':') else {
            usable = false;
            continue;
        };
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = value.parse::<usize>().ok();
            usable &= length.is_some();
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            let charset = value
                .split(';')
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"));
            usable &= charset.is_none_or(|(_, c)| {
                let c = c.trim().trim_matches('"');
                c.eq_ignore_ascii_case("utf-8") || c.eq_ignore_ascii_case("utf8")
            });
        }
    }
    match length {
        Some(length) if usable => Some(Ok((end + 4, length))),
        // The body can be skipped when its length is known.
        Some(length) => Some(Err(end + 4 + length)),
        None => Some(Err(skip_to_next_header(buffer))),
    }
}

/// How many bytes to drop to reach the next thing that looks like the start of a message.
fn skip_to_next_header(buffer: &[u8]) -> usize {
    memchr::memmem::find(&buffer[1..], b"Content-").map_or(buffer.len(), |i| i + 1)
}

/// Reads messages from `input`, answers the broken ones through `output`, and writes the good
/// ones, framed again, to `forward` (the framework's input). Ends when `input` ends.
pub async fn guard(mut input: impl AsyncRead + Unpin, mut forward: impl tokio::io::AsyncWrite + Unpin, output: Output) {
    let mut buffer: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut phase = Phase::BeforeInitialize;
    loop {
        // Take every complete message in the buffer.
        loop {
            match header(&buffer) {
                None => break,
                Some(Err(skip)) => {
                    log_warn!(
                        "skipped {} bytes of input that were not a readable message header",
                        skip.min(buffer.len())
                    );
                    buffer.drain(..skip.min(buffer.len()));
                }
                Some(Ok((body_start, length))) => {
                    if buffer.len() < body_start + length {
                        break;
                    }
                    let body = &buffer[body_start..body_start + length];
                    let verdict = judge(body, phase);
                    let forwarded = match &verdict {
                        Verdict::Forward(next) => {
                            phase = next.unwrap_or(phase);
                            Some(body)
                        }
                        Verdict::Replace(replacement) => Some(replacement.as_slice()),
                        Verdict::Reject { .. } => None,
                    };
                    if let Some(body) = forwarded {
                        let framed = format!("Content-Length: {}\r\n\r\n", body.len());
                        if forward.write_all(framed.as_bytes()).await.is_err() || forward.write_all(body).await.is_err()
                        {
                            return;
                        }
                    }
                    match verdict {
                        Verdict::Forward(_) | Verdict::Replace(_) => {}
                        Verdict::Reject { code, id, message } => {
                            log_warn!("answered a message it could not use with error {code} ({message})");
                            output.send_body(error_response(&id, code, message));
                        }
                    }
                    buffer.drain(..body_start + length);
                }
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let _ = forward.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_judged_as_json_rpc() {
        let running = Phase::Running;
        assert_eq!(
            judge(
                br#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#,
                Phase::BeforeInitialize
            ),
            Verdict::Forward(Some(Phase::Running))
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":1,"result":null}"#, running),
            Verdict::Forward(None)
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","method":"$/cancelRequest"}"#, running),
            Verdict::Forward(None)
        );
        assert_eq!(
            judge(br#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#, running),
            Verdict::Forward(Some(Phase::ShutDown))
        );
        let code = |body: &[u8]| match judge(body, running) {
            Verdict::Reject { code, id, .. } => (code, id),
            Verdict::Forward(_) | Verdict::Replace(_) => (0, String::new()),
        };
        assert_eq!(code(b"{not json"), (PARSE_ERROR, "null".into()));
        assert_eq!(code(b"{\"a\":\"\xff\"}"), (PARSE_ERROR, "null".into()));
        assert_eq!(code(b"[]"), (INVALID_REQUEST, "null".into()));
        assert_eq!(code(br#"{"hello":1}"#), (INVALID_REQUEST, "null".into()));
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":7,"method":42}"#),
            (INVALID_REQUEST, "null".into())
        );
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":"a","method":"$/x"}"#),
            (METHOD_NOT_FOUND, "\"a\"".into())
        );
    }

    #[test]
    fn diagnostic_requests_become_notifications_with_their_id() {
        let pull = br#"{"jsonrpc":"2.0","id":"r-9","method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///a.md"}}}"#;
        let Verdict::Replace(body) = judge(pull, Phase::Running) else {
            panic!("a pull request is passed on as a notification");
        };
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"jsonrpc": "2.0", "method": PULL_DIAGNOSTICS,
                "params": {"id": "r-9", "params": {"textDocument": {"uri": "file:///a.md"}}}})
        );
        assert_eq!(
            judge(
                br#"{"jsonrpc":"2.0","method":"textDocument/diagnostic"}"#,
                Phase::Running
            ),
            Verdict::Forward(None),
            "not a request: the framework deals with it"
        );
        // Where the framework would refuse the request, it is refused here, with its id.
        let refused = |phase| match judge(pull, phase) {
            Verdict::Reject { code, id, .. } => (code, id),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(Phase::BeforeInitialize),
            (SERVER_NOT_INITIALIZED, "\"r-9\"".into())
        );
        assert_eq!(refused(Phase::ShutDown), (INVALID_REQUEST, "\"r-9\"".into()));
    }

    #[test]
    fn headers_are_read_or_skipped() {
        assert_eq!(header(b"Content-Length: 2\r\n\r\n{}"), Some(Ok((21, 2))));
        assert_eq!(
            header(b"content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}")
                .map(|r| r.map(|(_, l)| l)),
            Some(Ok(2))
        );
        assert_eq!(header(b"Content-Length: 2\r\n"), None, "not complete yet");
        // A header that cannot be used is skipped up to the next one.
        let bad = b"Content-Length: abc\r\n\r\n{}Content-Length: 2\r\n\r\n{}";
        assert_eq!(header(bad), Some(Err(25)));
        assert_eq!(
            header(b"Content-Length: 2\r\nContent-Type: x; charset=latin-1\r\n\r\n{}"),
            Some(Err(57))
        );
        assert_eq!(header(&[b'x'; MAX_HEADER + 1]), Some(Err(MAX_HEADER + 1)));
    }
}
