//! Everything the server writes to standard output goes through one task, one whole message at a
//! time: the replies and notifications of the LSP framework, and diagnostics written as JSON text
//! by [`super::diagnostics::publish_params`].
//!
//! Why: the framework turns a notification's parameters into a `serde_json::Value` tree before
//! writing it. For a long document that is ten thousand diagnostics, rebuilt after every
//! keystroke, and it costs more than checking the document. Here the framework writes into a
//! [`FrameSink`] that cuts its byte stream back into messages, and diagnostics join the same queue
//! already written, so messages never interleave and arrive in the order they were finished.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// A handle for sending whole messages to standard output.
#[derive(Clone)]
pub struct Output {
    messages: mpsc::UnboundedSender<Vec<u8>>,
}

impl Output {
    /// Starts the writing task on `writer`. It ends once every handle and sink is dropped, or
    /// [`Output::close`] is called, and what was queued before is written.
    pub fn spawn(mut writer: impl AsyncWrite + Unpin + Send + 'static) -> (Output, tokio::task::JoinHandle<()>) {
        let (messages, mut queue) = mpsc::unbounded_channel::<Vec<u8>>();
        let task = tokio::spawn(async move {
            while let Some(message) = queue.recv().await {
                if message.is_empty() {
                    break;
                }
                if writer.write_all(&message).await.is_err() || writer.flush().await.is_err() {
                    // The editor closed our output; nothing more can reach it.
                    break;
                }
            }
        });
        (Output { messages }, task)
    }

    /// Ends the writing task once what is queued now is written.
    pub fn close(&self) {
        let _ = self.messages.send(Vec::new());
    }

    /// A writer for the framework's output.
    pub fn sink(&self) -> FrameSink {
        FrameSink {
            messages: self.messages.clone(),
            pending: Vec::new(),
        }
    }

    /// Sends a notification whose parameters are already JSON text.
    pub fn notify_raw(&self, method: &str, params_json: &str) {
        let mut body = String::with_capacity(params_json.len() + method.len() + 48);
        // Method names are ASCII identifiers with slashes: nothing to escape.
        body.push_str(r#"{"jsonrpc":"2.0","method":""#);
        body.push_str(method);
        body.push_str(r#"","params":"#);
        body.push_str(params_json);
        body.push('}');
        self.send_raw(&body);
    }

    /// Sends a message already written as JSON text.
    pub fn send_raw(&self, body: &str) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let mut message = Vec::with_capacity(header.len() + body.len());
        message.extend_from_slice(header.as_bytes());
        message.extend_from_slice(body.as_bytes());
        // A closed queue means the server is stopping; the message no longer matters.
        let _ = self.messages.send(message);
    }
}

/// An `AsyncWrite` that collects the framework's bytes and forwards each complete message
/// (`Content-Length` header and body) to the output queue as one piece.
pub struct FrameSink {
    messages: mpsc::UnboundedSender<Vec<u8>>,
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
            if sink.messages.send(message).is_err() {
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

    #[tokio::test]
    async fn framework_bytes_are_cut_into_whole_messages_and_raw_ones_join_in_order() {
        let (reader, writer) = tokio::io::duplex(1 << 20);
        let (output, task) = Output::spawn(writer);
        let mut sink = output.sink();
        // The framework may write a message in pieces, and two messages in one write.
        sink.write_all(b"Content-Length: 7\r\n\r\n{\"a\"").await.unwrap();
        output.notify_raw("x/y", r#"{"n":1}"#);
        sink.write_all(b":1}Content-Length: 2\r\n\r\n{}").await.unwrap();
        output.close();
        output.notify_raw("too/late", "{}");
        task.await.unwrap();
        let mut written = String::new();
        let mut reader = reader;
        tokio::io::AsyncReadExt::read_to_string(&mut reader, &mut written)
            .await
            .unwrap();
        let raw = r#"{"jsonrpc":"2.0","method":"x/y","params":{"n":1}}"#;
        assert_eq!(
            written,
            format!(
                "Content-Length: {}\r\n\r\n{raw}Content-Length: 7\r\n\r\n{{\"a\":1}}Content-Length: 2\r\n\r\n{{}}",
                raw.len()
            )
        );
    }
}
