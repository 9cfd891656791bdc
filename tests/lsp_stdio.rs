//! The real binary over stdio: initialize, open a Markdown document with emoji and CRLF line
//! ends, edit it incrementally, and check the exact diagnostic ranges after each edit, in both
//! UTF-16 and UTF-8 position encodings.

mod common;

use common::{ranges, LspClient};
use serde_json::json;

const URI: &str = "file:///tmp/scrubs-test/visit.md";
const TEXT: &str = "# Visit 🙂\r\n\r\nSeen on 3/4/2024 by 🩺 team.\r\nCall 555-201-4477.\r\n";

fn range(sl: u64, sc: u64, el: u64, ec: u64) -> serde_json::Value {
    json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}})
}

fn d(code: &str, sl: u64, sc: u64, el: u64, ec: u64) -> (String, u64, u64, u64, u64) {
    (code.to_string(), sl, sc, el, ec)
}

/// Columns that differ between encodings, as (utf-16, utf-8).
struct Cols {
    utf8: bool,
}

impl Cols {
    fn c(&self, utf16: u64, utf8: u64) -> u64 {
        if self.utf8 {
            utf8
        } else {
            utf16
        }
    }
}

fn edit_sequence(encodings: &[&str], expect_utf8: bool) {
    let cols = Cols { utf8: expect_utf8 };
    let mut client = LspClient::spawn(&["lsp"]);
    let init = client.initialize(encodings);
    let negotiated = init["result"]["capabilities"]["positionEncoding"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(negotiated, if expect_utf8 { "utf-8" } else { "utf-16" });
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        json!(2),
        "incremental sync"
    );

    client.open(URI, "markdown", 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(
        ranges(&diagnostics),
        vec![d("phi/date", 2, 8, 2, 16), d("phi/phone", 3, 5, 3, 17)]
    );
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["source"], "scrubs");
        assert_eq!(diagnostic["severity"], json!(1));
        assert!(diagnostic["message"].as_str().is_some_and(|m| m.len() > 20));
    }

    // A: two emoji typed at the start of the date's line move the date by 4 UTF-16 units + 1 or
    // by 8 bytes + 1.
    client.change(URI, 2, json!([{"range": range(2, 0, 2, 0), "text": "🙂🙂 "}]));
    assert_eq!(
        ranges(&client.diagnostics(URI, 2)),
        vec![
            d("phi/date", 2, cols.c(13, 17), 2, cols.c(21, 25)),
            d("phi/phone", 3, 5, 3, 17)
        ]
    );

    // B: the phone number is rewritten in a different shape.
    client.change(URI, 3, json!([{"range": range(3, 5, 3, 17), "text": "(555) 201-9999"}]));
    assert_eq!(
        ranges(&client.diagnostics(URI, 3)),
        vec![
            d("phi/date", 2, cols.c(13, 17), 2, cols.c(21, 25)),
            d("phi/phone", 3, 5, 3, 19)
        ]
    );

    // C: the CRLF between the two lines is replaced by a space, joining them.
    client.change(URI, 4, json!([{"range": range(2, cols.c(33, 39), 3, 0), "text": " "}]));
    assert_eq!(
        ranges(&client.diagnostics(URI, 4)),
        vec![
            d("phi/date", 2, cols.c(13, 17), 2, cols.c(21, 25)),
            d("phi/phone", 2, cols.c(39, 45), 2, cols.c(53, 59))
        ]
    );

    // D: two changes in one notification, applied in order: an emoji on the first line, then
    // a new date typed over the old one.
    client.change(
        URI,
        5,
        json!([
            {"range": range(0, 0, 0, 0), "text": "🏥"},
            {"range": range(2, cols.c(13, 17), 2, cols.c(21, 25)), "text": "4/5/2024"},
        ]),
    );
    assert_eq!(
        ranges(&client.diagnostics(URI, 5)),
        vec![
            d("phi/date", 2, cols.c(13, 17), 2, cols.c(21, 25)),
            d("phi/phone", 2, cols.c(39, 45), 2, cols.c(53, 59))
        ]
    );

    // E: an emoji typed inside the line, before "Seen".
    client.change(
        URI,
        6,
        json!([{"range": range(2, cols.c(5, 9), 2, cols.c(5, 9)), "text": "🩺"}]),
    );
    assert_eq!(
        ranges(&client.diagnostics(URI, 6)),
        vec![
            d("phi/date", 2, cols.c(15, 21), 2, cols.c(23, 29)),
            d("phi/phone", 2, cols.c(41, 49), 2, cols.c(55, 63))
        ]
    );

    // F: "on 4/5/2024" is deleted; only the phone number remains.
    client.change(
        URI,
        7,
        json!([{"range": range(2, cols.c(12, 18), 2, cols.c(23, 29)), "text": ""}]),
    );
    assert_eq!(
        ranges(&client.diagnostics(URI, 7)),
        vec![d("phi/phone", 2, cols.c(30, 38), 2, cols.c(44, 52))]
    );

    let (status, stderr) = client.shutdown();
    assert!(status.success(), "exit status {status:?}; stderr: {stderr}");
    assert!(
        !stderr.contains("555") && !stderr.contains("Seen"),
        "document text leaked into the log: {stderr}"
    );
}

#[test]
fn incremental_edits_with_emoji_and_crlf_in_utf16() {
    edit_sequence(&["utf-16"], false);
}

#[test]
fn incremental_edits_with_emoji_and_crlf_in_utf8() {
    edit_sequence(&["utf-8", "utf-16"], true);
}

#[test]
fn a_client_that_offers_no_encoding_gets_utf16() {
    let mut client = LspClient::spawn(&["--stdio"]);
    let init = client.request("initialize", json!({"processId": null, "capabilities": {}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["result"]["serverInfo"]["name"], "scrubs");
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn bad_ranges_are_clamped_or_rejected_and_the_server_keeps_going() {
    let uri = "file:///tmp/scrubs-test/notes.txt";
    let mut client = LspClient::spawn(&["lsp"]);
    client.initialize(&["utf-16"]);
    client.open(uri, "plaintext", 1, "Seen 3/4/2024.\n");
    assert_eq!(ranges(&client.diagnostics(uri, 1)), vec![d("phi/date", 0, 5, 0, 13)]);

    // Far past the end of the document: clamped to the end, so the text is appended.
    client.change(
        uri,
        2,
        json!([{"range": range(40, 7, 99, 0), "text": "Call 555-201-4477"}]),
    );
    assert_eq!(
        ranges(&client.diagnostics(uri, 2)),
        vec![d("phi/date", 0, 5, 0, 13), d("phi/phone", 1, 5, 1, 17)]
    );

    // Inverted: rejected, the document is unchanged, diagnostics are still published.
    client.change(uri, 3, json!([{"range": range(0, 9, 0, 2), "text": "oops"}]));
    assert_eq!(
        ranges(&client.diagnostics(uri, 3)),
        vec![d("phi/date", 0, 5, 0, 13), d("phi/phone", 1, 5, 1, 17)]
    );

    // A change for a document that was never opened is ignored.
    client.change("file:///never/opened.md", 1, json!([{"text": "x"}]));

    // Closing clears the diagnostics.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let cleared = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"].as_array().is_some_and(|a| a.is_empty())
    });
    assert!(cleared["params"]["version"].is_null());

    let (status, stderr) = client.shutdown();
    assert!(status.success());
    assert!(stderr.contains("clamped"), "the clamp is logged: {stderr}");
    assert!(stderr.contains("rejected an edit"), "the rejection is logged: {stderr}");
    assert!(
        !stderr.contains("oops") && !stderr.contains("555"),
        "no document text in logs: {stderr}"
    );
}

#[test]
fn the_server_exits_when_the_editor_closes_the_pipe() {
    let mut client = LspClient::spawn(&["lsp"]);
    client.initialize(&[]);
    client.close_stdin();
    let (status, _) = client.finish();
    assert!(status.code().is_some(), "exited rather than being killed");
}
