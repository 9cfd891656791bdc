//! Everything the server writes to standard output goes through one thread, one whole message at a
//! time: the replies and notifications of the LSP framework, and diagnostics written as JSON text
//! by [`super::diagnostics::publish_notification`] and [`super::diagnostics::pulled_report`].
//!
//! Why: the framework turns a notification's parameters into a `serde_json::Value` tree before
//! writing it. For a long document that is ten thousand diagnostics, rebuilt after every
//! keystroke, and it costs more than checking the document. Here the framework writes into a
//! [`FrameSink`] that cuts its byte stream back into messages, and diagnostics join the same queue
//! already written, so messages never interleave and arrive in the order they were finished.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;
use tokio::sync::mpsc;

/// A handle for sending whole messages to standard output.
#[derive(Clone)]
pub struct Output {
    messages: mpsc::UnboundedSender<Frame>,
}

/// What the writer is asked to do.
enum Frame {
    /// Write one whole message.
    Whole(Vec<u8>),
    /// Write one message given as its header and its body.
    Parts(Vec<u8>, Vec<u8>),
    /// Stop, once what came before is written.
    Close,
}

impl Output {
    /// Starts the writer on a thread of its own, with blocking writes: standard output through
    /// the runtime's asynchronous writer would copy every message into buffers of its own first,
    /// and a long document's diagnostics are megabytes. The writer stops once every handle and
    /// sink is dropped, or [`Output::close`] is called, and what was queued before is written;
    /// the receiver hears when it has stopped.
    pub fn spawn_thread(
        mut writer: impl std::io::Write + Send + 'static,
    ) -> std::io::Result<(Output, tokio::sync::oneshot::Receiver<()>)> {
        let (messages, mut queue) = mpsc::unbounded_channel::<Frame>();
        let (done, stopped) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("scrubs-output".into())
            .spawn(move || {
                while let Some(frame) = queue.blocking_recv() {
                    let written = match frame {
                        Frame::Whole(message) => writer.write_all(&message),
                        Frame::Parts(header, body) => writer.write_all(&header).and_then(|()| writer.write_all(&body)),
                        Frame::Close => break,
                    };
                    if written.and_then(|()| writer.flush()).is_err() {
                        // The editor closed our output; nothing more can reach it.
                        break;
                    }
                }
                let _ = done.send(());
            })?;
        Ok((Output { messages }, stopped))
    }

    /// Ends the writing task once what is queued now is written.
    pub fn close(&self) {
        let _ = self.messages.send(Frame::Close);
    }

    /// A writer for the framework's output.
    pub fn sink(&self) -> FrameSink {
        FrameSink {
            messages: self.messages.clone(),
            pending: Vec::new(),
        }
    }

    /// Sends a whole message body, framed with its header, without copying it.
    pub fn send_body(&self, body: String) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        // A closed queue means the server is stopping; the message no longer matters.
        let _ = self.messages.send(Frame::Parts(header.into_bytes(), body.into_bytes()));
    }
}

/// The JSON-RPC body of an error answer to the request `id` (given as JSON).
pub fn error_response(id: &str, code: i64, message: &str) -> String {
    let message = serde_json::Value::from(message);
    format!(r#"{{"jsonrpc":"2.0","id":{id},"error":{{"code":{code},"message":{message}}}}}"#)
}

/// An `AsyncWrite` that collects the framework's bytes and forwards each complete message
/// (`Content-Length` header and body) to the output queue as one piece.
pub struct FrameSink {
    messages: mpsc::UnboundedSender<Frame>,
    pending: Vec<u8>,
}

impl FrameSink {
    /// The length of the first complete message in `pending`, if there is one.
    fn complete(&self) -> Option<usize> {
        let header_end = self.pending.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let header = std::str::from_utf8(&self.pending[..header_end]).ok()?;
        let length: usize = header
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        (self.pending.len() >= header_end + length).then_some(header_end + length)
    }
}

impl AsyncWrite for FrameSink {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, bytes: &[u8]) -> Poll<std::io::Result<usize>> {
        let sink = self.get_mut();
        sink.pending.extend_from_slice(bytes);
        while let Some(len) = sink.complete() {
            let rest = sink.pending.split_off(len);
            let message = std::mem::replace(&mut sink.pending, rest);
            if sink.messages.send(Frame::Whole(message)).is_err() {
                return Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::BrokenPipe,
                    "the output task has stopped",
                )));
            }
        }
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tokio::io::AsyncWriteExt;

    #[test]
    fn error_answers_are_json_rpc_with_the_id_and_an_escaped_message() {
        let body = error_response(r#""a-1""#, -32602, r#"bad "params""#);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"jsonrpc": "2.0", "id": "a-1", "error": {"code": -32602, "message": "bad \"params\""}})
        );
    }

    /// A writer into memory the test can read afterwards.
    #[derive(Clone, Default)]
    struct Memory(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Memory {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn framework_bytes_are_cut_into_whole_messages_and_raw_ones_join_in_order() {
        let memory = Memory::default();
        let (output, stopped) = Output::spawn_thread(memory.clone()).unwrap();
        let mut sink = output.sink();
        // The framework may write a message in pieces, and two messages in one write.
        sink.write_all(b"Content-Length: 7\r\n\r\n{\"a\"").await.unwrap();
        let raw = r#"{"jsonrpc":"2.0","method":"x/y","params":{"n":1}}"#;
        output.send_body(raw.to_string());
        sink.write_all(b":1}Content-Length: 2\r\n\r\n{}").await.unwrap();
        output.send_body("[]".to_string());
        output.close();
        output.send_body("{}".to_string());
        stopped.await.unwrap();
        let written = String::from_utf8(memory.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            written,
            format!(
                "Content-Length: {}\r\n\r\n{raw}Content-Length: 7\r\n\r\n{{\"a\":1}}Content-Length: 2\r\n\r\n{{}}Content-Length: 2\r\n\r\n[]",
                raw.len()
            )
        );
    }
}
