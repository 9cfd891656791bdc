//! Everything the server writes to standard output goes through one thread, one whole message at a
//! time: the replies and notifications of the LSP framework, and diagnostics written as JSON text
//! by [`super::diagnostics::publish_notification`] and [`super::diagnostics::pulled_report`].
//!
//! Why: the framework turns a notification's parameters into a `serde_json::Value` tree before
//! writing it. For a long document that is ten thousand diagnostics, rebuilt after every
//! keystroke, and it costs more than checking the document. Here the framework writes into a
//! [`FrameSink`] that cuts its byte stream back into messages, and diagnostics join the same queue
//! already written, so messages never interleave and arrive in the order they were finished.
//!
//! A message body is a [`Body`]: text written for it and stretches of diagnostics kept written
//! from the publish before, which the writer hands to the system in one vectored write instead
//! of copying them into one string first (megabytes after every keystroke in a long document).

use std::io::{IoSlice, Write};
use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
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
    Parts(Vec<u8>, Body),
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
                        Frame::Parts(header, body) => write_message(&mut writer, &header, &body),
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
    pub fn send_body(&self, body: impl Into<Body>) {
        let body = body.into();
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        // A closed queue means the server is stopping; the message no longer matters.
        let _ = self.messages.send(Frame::Parts(header.into_bytes(), body));
    }
}

/// A message body in pieces: text written for this message, and stretches of text kept from
/// before (a segment's diagnostics, written at an earlier publish and still the same).
#[derive(Debug, Default)]
pub struct Body {
    /// All the text written for this message, in order: one string, so that writing grows one
    /// buffer rather than one per stretch.
    written: String,
    /// The body in order. The last piece, when written, reaches to the end of `written`.
    pieces: Vec<Piece>,
}

#[derive(Debug)]
enum Piece {
    /// Where a stretch of written text starts in `Body::written`, and (unless it is the last
    /// piece) where it ends.
    Written(Range<usize>),
    Kept(Arc<String>, Range<usize>),
}

/// Kept stretches shorter than this are copied: a system call takes at most 1,024 pieces, and
/// copying a few hundred bytes costs less than another piece.
const SHORTEST_KEPT: usize = 2048;

impl Body {
    /// An empty body with room for `written` bytes of written text.
    pub fn with_capacity(written: usize) -> Body {
        Body {
            written: String::with_capacity(written),
            pieces: Vec::new(),
        }
    }

    /// The text at the end of the body, to write more into. Only append to it: the text already
    /// there belongs to earlier pieces (use [`Body::drop_last_comma`] to take a comma back).
    pub fn end(&mut self) -> &mut String {
        if !matches!(self.pieces.last(), Some(Piece::Written(_))) {
            let at = self.written.len();
            self.pieces.push(Piece::Written(at..at));
        }
        &mut self.written
    }

    /// Adds the stretch `range` of `kept` (a char boundary at each end) without copying it.
    pub fn keep(&mut self, kept: &Arc<String>, range: Range<usize>) {
        if range.len() < SHORTEST_KEPT {
            self.end().push_str(&kept[range]);
        } else {
            if let Some(Piece::Written(last)) = self.pieces.last_mut() {
                last.end = self.written.len();
            }
            self.pieces.push(Piece::Kept(Arc::clone(kept), range));
        }
    }

    /// Removes a comma at the end of the body, if there is one.
    pub fn drop_last_comma(&mut self) {
        if let Some(Piece::Written(last)) = self.pieces.last() {
            if last.start == self.written.len() {
                self.pieces.pop();
            }
        }
        match self.pieces.last_mut() {
            Some(Piece::Written(_)) if self.written.ends_with(',') => {
                self.written.pop();
            }
            Some(Piece::Kept(text, range)) if text[range.clone()].ends_with(',') => range.end -= 1,
            _ => {}
        }
    }

    /// The bytes of written text, to size the next body like this one.
    pub fn written_len(&self) -> usize {
        self.written.len()
    }

    /// The pieces' text, in order.
    fn texts(&self) -> impl Iterator<Item = &str> {
        let last = self.pieces.len().saturating_sub(1);
        self.pieces.iter().enumerate().map(move |(i, piece)| match piece {
            Piece::Written(range) if i == last => &self.written[range.start..],
            Piece::Written(range) => &self.written[range.clone()],
            Piece::Kept(text, range) => &text[range.clone()],
        })
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.texts().map(str::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole text, copied into one string.
    pub fn to_text(&self) -> String {
        let mut text = String::with_capacity(self.len());
        for piece in self.texts() {
            text.push_str(piece);
        }
        text
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body {
            pieces: vec![Piece::Written(0..text.len())],
            written: text,
        }
    }
}

/// Writes a header and a body with vectored writes, as many pieces at a time as the system
/// takes (1,024 on Linux and macOS), until all is written.
fn write_message(writer: &mut impl Write, header: &[u8], body: &Body) -> std::io::Result<()> {
    const AT_ONCE: usize = 1024;
    let mut slices: Vec<IoSlice<'_>> = std::iter::once(header)
        .chain(body.texts().map(str::as_bytes))
        .filter(|bytes| !bytes.is_empty())
        .map(IoSlice::new)
        .collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        let at_once = rest.len().min(AT_ONCE);
        match writer.write_vectored(&rest[..at_once]) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut rest, written),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
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

    /// A writer that takes a few bytes per call, across as many slices as they span, and
    /// remembers the most slices it was given at once.
    #[derive(Default)]
    struct Trickle {
        written: Vec<u8>,
        most_slices: usize,
    }

    impl std::io::Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.write_vectored(&[IoSlice::new(bytes)])
        }

        fn write_vectored(&mut self, slices: &[IoSlice<'_>]) -> std::io::Result<usize> {
            self.most_slices = self.most_slices.max(slices.len());
            let mut left = 5000;
            for slice in slices {
                let take = slice.len().min(left);
                self.written.extend_from_slice(&slice[..take]);
                left -= take;
                if left == 0 {
                    break;
                }
            }
            Ok(5000 - left)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn bodies_of_kept_and_written_pieces_are_written_whole_in_order() {
        let kept = Arc::new((0..4000).map(|i| format!("{{\"n\":{i}}},")).collect::<String>());
        let mut body = Body::from("[".to_string());
        let mut expected = "[".to_string();
        // Many kept stretches, short ones (copied) and long ones (shared), between written text.
        let mut at = 0;
        for i in 0..1500 {
            let len = if i % 3 == 0 { 10 } else { SHORTEST_KEPT + i % 7 };
            let end = (at + len).min(kept.len());
            let end = (end..).find(|&e| kept.is_char_boundary(e)).unwrap();
            body.keep(&kept, at..end);
            expected.push_str(&kept[at..end]);
            at = if end == kept.len() { 0 } else { end };
            if i % 5 == 0 {
                body.end().push_str("é,");
                expected.push_str("é,");
            }
        }
        // Last, a long kept stretch that ends with a comma.
        let end = SHORTEST_KEPT + kept[SHORTEST_KEPT..].find(',').unwrap() + 1;
        body.keep(&kept, 0..end);
        expected.push_str(&kept[..end]);
        assert!(body.pieces.len() > 1024, "{} pieces", body.pieces.len());
        assert_eq!(body.to_text(), expected);
        assert_eq!(body.len(), expected.len());
        body.drop_last_comma();
        expected.pop();
        body.end().push(']');
        expected.push(']');
        assert_eq!(body.to_text(), expected);

        let mut trickle = Trickle::default();
        write_message(&mut trickle, b"Content-Length: 9\r\n\r\n", &body).unwrap();
        assert_eq!(
            String::from_utf8(trickle.written).unwrap(),
            format!("Content-Length: 9\r\n\r\n{expected}")
        );
        assert!(trickle.most_slices <= 1024, "{} slices at once", trickle.most_slices);
        // A writer without vectored writes (the standard one writes the first slice only).
        let mut plain = Memory::default();
        write_message(&mut plain, b"", &body).unwrap();
        assert_eq!(String::from_utf8(plain.0.lock().unwrap().clone()).unwrap(), expected);
    }

    #[test]
    fn the_last_comma_is_dropped_from_written_or_kept_text() {
        let kept = Arc::new("x".repeat(SHORTEST_KEPT) + ",");
        let mut body = Body::default();
        body.keep(&kept, 0..kept.len());
        body.end();
        body.drop_last_comma();
        assert_eq!(body.to_text(), "x".repeat(SHORTEST_KEPT));
        body.drop_last_comma();
        assert_eq!(body.len(), SHORTEST_KEPT, "only a comma is dropped");
        let mut body = Body::from("[{},".to_string());
        body.drop_last_comma();
        assert_eq!(body.to_text(), "[{}");
        assert!(!body.is_empty());
        assert!(Body::default().is_empty());
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
