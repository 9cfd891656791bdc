//! The real binary over stdio: initialize, open a Markdown document with emoji and CRLF line
//! ends, edit it incrementally, and check the exact diagnostic ranges after each edit, in both
//! UTF-16 and UTF-8 position encodings.

mod common;

use common::{ranges, units_of, LspClient};
use scrubs::engine::text::{ceil_boundary, floor_boundary};
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

/// The LSP position of byte `at` of `text`, counting columns in `encoding`.
fn position_of(text: &str, at: usize, encoding: &str) -> serde_json::Value {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..at].chars().map(|c| units_of(c, encoding)).sum();
    json!({"line": line, "character": character})
}

/// Byte offsets of LSP positions in `text` (columns counted in `encoding`), counted once for
/// the whole text as `common::offset_of` counts them for one position.
fn offsets(text: &str, encoding: &str) -> impl Fn(&serde_json::Value) -> usize {
    // Each line's characters: (units before it on its line, its byte offset), then its end.
    let mut lines = vec![Vec::new()];
    let mut units = 0;
    for (i, c) in text.char_indices() {
        let line = lines.last_mut().expect("a line");
        line.push((units, i));
        if c == '\n' {
            lines.push(Vec::new());
            units = 0;
        } else {
            units += units_of(c, encoding);
        }
    }
    lines.last_mut().expect("a line").push((units, text.len()));
    move |position| {
        let line = &lines[position["line"].as_u64().expect("line") as usize];
        let character = position["character"].as_u64().expect("character") as usize;
        line.get(line.partition_point(|&(u, _)| u < character))
            .map_or(line.last().map_or(0, |l| l.1), |l| l.1)
    }
}

/// A document pasted as one line of 150 KB is cut into segments inside the line, whose
/// diagnostics are counted from the line's start. After edits anywhere in it (a letter, an
/// emoji, a sentence end, a line break, a deletion, a name), the editor is sent exactly what a
/// fresh open of the same text gets, in both encodings.
#[test]
fn edits_in_a_very_long_line_give_the_diagnostics_of_a_fresh_open() {
    for encoding in ["utf-16", "utf-8"] {
        let mut client = LspClient::spawn(&["lsp"]);
        client.initialize(&[encoding]);
        let uri = "file:///tmp/scrubs-test/pasted.md";
        let mut text: String = (0..1500)
            .map(|i| {
                format!(
                    "Seen {i} times 🙂 by Dr. Lee, Maria Lopez called 555-123-{:04} on 3/{}/2024. It hurt. ",
                    i,
                    i % 28 + 1
                )
            })
            .collect();
        client.open(uri, "markdown", 1, &text);
        let first = client.diagnostics(uri, 1);
        assert!(first.len() > 4000, "{} diagnostics", first.len());
        let edits: &[(usize, usize, &str)] = &[
            (500, 0, "x"),
            (700, 0, "🙂"),
            (300, 0, ". Then"),
            (900, 0, "\n"),
            (600, 40, ""),
            (100, 0, "Ethan Brooks "),
            (999, 0, "Dr. "),
            (450, 3, "\u{e9}"),
        ];
        for (i, &(permille, remove, insert)) in edits.iter().enumerate() {
            let version = i as i64 + 2;
            let from = floor_boundary(&text, text.len() * permille / 1000);
            let to = ceil_boundary(&text, from + remove);
            let range = json!({"start": position_of(&text, from, encoding), "end": position_of(&text, to, encoding)});
            client.change(uri, version, json!([{"range": range, "text": insert}]));
            text.replace_range(from..to, insert);
            let typed = client.diagnostics(uri, version);
            // The ranges cover what was found, read with the test's own position counting.
            let offset = offsets(&text, encoding);
            for diagnostic in &typed {
                let (start, end) = (&diagnostic["range"]["start"], &diagnostic["range"]["end"]);
                let found = &text[offset(start)..offset(end)];
                match diagnostic["code"].as_str() {
                    Some("phi/phone") => assert!(found.starts_with("555-123-"), "{encoding}: phone {found:?}"),
                    Some("phi/date") => assert!(found.ends_with("/2024"), "{encoding}: date {found:?}"),
                    _ => {}
                }
            }
            let fresh_uri = format!("file:///tmp/scrubs-test/fresh-{version}.md");
            client.open(&fresh_uri, "markdown", 1, &text);
            let fresh = client.diagnostics(&fresh_uri, 1);
            let fresh = serde_json::to_string(&fresh).unwrap().replace(&fresh_uri, uri);
            assert_eq!(
                serde_json::to_string(&typed).unwrap(),
                fresh,
                "{encoding}, after edit {i}"
            );
            client.notify("textDocument/didClose", json!({"textDocument": {"uri": fresh_uri}}));
        }
        client.shutdown();
    }
}
