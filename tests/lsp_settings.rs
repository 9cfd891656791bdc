//! Settings from the editor and from scrubs.toml, pulled diagnostics, and debouncing, against the
//! real binary over stdio.

mod common;

use common::LspClient;
use serde_json::{json, Value};

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Waits for diagnostics of `uri` at `version` with exactly these codes: a settings change
/// re-checks, and earlier publishes (with the old settings) may still be on their way.
fn expect_codes(client: &mut LspClient, uri: &str, version: i64, expected: &[&str]) -> Vec<Value> {
    let message = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"] == json!(version)
            && codes(m["params"]["diagnostics"].as_array().map_or(&[][..], |d| d.as_slice())) == expected
    });
    message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

const CASE: &str = "A 67-year-old man was seen on March 3, 2024 in Dayton.\n";

#[test]
fn editor_settings_come_from_workspace_configuration_and_reload() {
    let mut client = LspClient::spawn(&["lsp"]);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"workspace": {"configuration": true}}}),
    );
    client.notify("initialized", json!({}));
    // The server asks for the `scrubs` section; the editor switches ages off.
    let ask = client.wait_for(|m| m["method"] == "workspace/configuration");
    assert_eq!(ask["params"]["items"][0]["section"], "scrubs");
    client.respond(&ask["id"], json!([{"rules": {"phi/age": "off"}, "debounceMs": 0}]));
    client.open("untitled:case", "markdown", 1, CASE);
    // Diagnostics may first come with the defaults, before the answer was read; the settings
    // apply from then on.
    expect_codes(&mut client, "untitled:case", 1, &["phi/date", "phi/location"]);
    // A settings change is pushed by some editors with the values...
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"scrubs": {"rules": {"phi/location": "off", "phi/date": "hint"}}}}),
    );
    let diagnostics = expect_codes(&mut client, "untitled:case", 1, &["phi/age", "phi/date"]);
    assert_eq!(diagnostics[1]["severity"], 4, "phi/date is now a hint");
    // ...and announced by others, which are then asked.
    client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    let ask = client.wait_for(|m| m["method"] == "workspace/configuration");
    client.respond(
        &ask["id"],
        json!([{"allow": ["Dayton"], "rules": {"phi/nope": "error"}}]),
    );
    let warning = client.wait_for(|m| m["method"] == "window/showMessage");
    let text = warning["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("phi/nope") && text.contains("not a scrubs rule"),
        "{text}"
    );
    let diagnostics = expect_codes(&mut client, "untitled:case", 1, &["phi/age", "phi/date"]);
    assert_eq!(diagnostics[1]["severity"], 1, "the new settings replace the old");
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn initialization_options_carry_settings_for_editors_without_configuration() {
    let mut client = LspClient::spawn(&["lsp"]);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"allow": ["Dayton"], "fix": {"names": "patient"}}}),
    );
    client.notify("initialized", json!({}));
    client.open("untitled:case", "markdown", 1, CASE);
    assert_eq!(
        codes(&client.diagnostics("untitled:case", 1)),
        vec!["phi/age", "phi/date"]
    );
    client.shutdown();
}

#[test]
fn a_broken_scrubs_toml_is_a_diagnostic_on_the_file_until_it_is_mended() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("scrubs.toml");
    std::fs::write(
        &config,
        "[allow]\nwords = [\"Dayton\"]\n[rules]\n\"phi/agee\" = \"off\"\n",
    )
    .unwrap();
    let doc = dir.path().join("case.md");
    std::fs::write(&doc, CASE).unwrap();
    let (root, doc_uri, config_uri) = (file_uri(dir.path()), file_uri(&doc), file_uri(&config));
    let mut client = LspClient::spawn(&["lsp"]);
    client.initialize_in(&root, &["utf-16"]);
    client.open(&doc_uri, "markdown", 1, CASE);
    let problem =
        client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == config_uri);
    let diagnostics = problem["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0]["range"]["start"]["line"], 3,
        "the line of the unknown rule"
    );
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("phi/agee") && message.contains("default settings"),
        "{message}"
    );
    // The document is still checked, with the defaults.
    assert_eq!(
        codes(&client.diagnostics(&doc_uri, 1)),
        vec!["phi/age", "quasi/combination", "phi/date", "phi/location"]
    );
    // Mended on disk: the file's diagnostic goes and its allow-list applies.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&config, "[allow]\nwords = [\"Dayton\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let cleared =
        client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == config_uri);
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    expect_codes(&mut client, &doc_uri, 1, &["phi/age", "phi/date"]);
    client.shutdown();
}

#[test]
fn files_left_out_by_extension_are_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scrubs.toml"), "[files]\nextensions = [\"md\"]\n").unwrap();
    let (md, txt) = (dir.path().join("a.md"), dir.path().join("b.txt"));
    let mut client = LspClient::spawn(&["lsp"]);
    client.initialize_in(&file_uri(dir.path()), &["utf-16"]);
    client.open(&file_uri(&txt), "plaintext", 1, CASE);
    client.open(&file_uri(&md), "markdown", 1, CASE);
    assert!(client.diagnostics(&file_uri(&txt), 1).is_empty());
    assert_eq!(client.diagnostics(&file_uri(&md), 1).len(), 4);
    client.shutdown();
}

#[test]
fn clients_that_pull_diagnostics_get_reports_and_unchanged_results() {
    let mut client = LspClient::spawn(&["lsp"]);
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
               "capabilities": {"textDocument": {"diagnostic": {"dynamicRegistration": false}}}}),
    );
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["identifier"],
        "scrubs"
    );
    client.notify("initialized", json!({}));
    client.open("untitled:case", "markdown", 1, CASE);
    let pull = |client: &mut LspClient, previous: Value| {
        client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": "untitled:case"}, "previousResultId": previous}),
        )
    };
    let first = pull(&mut client, Value::Null);
    assert_eq!(first["result"]["kind"], "full");
    let items = first["result"]["items"].as_array().unwrap().clone();
    assert_eq!(
        codes(&items),
        vec!["phi/age", "quasi/combination", "phi/date", "phi/location"]
    );
    let id = first["result"]["resultId"].clone();
    let again = pull(&mut client, id.clone());
    assert_eq!(again["result"], json!({"kind": "unchanged", "resultId": id}));
    // After an edit the report is new: "67-year-old" becomes "older".
    client.change(
        "untitled:case",
        2,
        json!([{"range": {"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": 13}}, "text": "older"}]),
    );
    let after = pull(&mut client, id);
    assert_eq!(after["result"]["kind"], "full");
    let items = after["result"]["items"].as_array().unwrap().clone();
    assert_eq!(codes(&items), vec!["phi/date", "phi/location"]);
    // A request with a string id, for a document that is not open: an empty report.
    client.send_raw(
        &json!({"jsonrpc": "2.0", "id": "pull-9", "method": "textDocument/diagnostic",
                "params": {"textDocument": {"uri": "untitled:other"}}})
        .to_string(),
    );
    let other = client.wait_for(|m| m["id"] == "pull-9");
    assert_eq!(other["result"], json!({"kind": "full", "items": []}));
    // Parameters that are not a document's get an error naming the problem, and the session
    // goes on.
    client.send_raw(
        &json!({"jsonrpc": "2.0", "id": 900, "method": "textDocument/diagnostic", "params": {"x": 1}}).to_string(),
    );
    let refused = client.wait_for(|m| m["id"] == 900);
    assert_eq!(refused["error"]["code"], -32602, "{refused}");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("textDocument/diagnostic"));
    let last = pull(&mut client, Value::Null);
    assert_eq!(
        codes(last["result"]["items"].as_array().unwrap()),
        vec!["phi/date", "phi/location"]
    );
    // Pulling clients are not also pushed to.
    assert!(!client
        .backlog
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics"));
    client.shutdown();
}

#[test]
fn rapid_edits_are_coalesced_and_no_stale_version_is_published() {
    let mut client = LspClient::spawn(&["lsp"]);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"debounceMs": 200}}),
    );
    client.notify("initialized", json!({}));
    client.open("untitled:case", "plaintext", 1, "");
    let mut text = String::new();
    for (i, c) in "Seen on 3/4/2024 by Mr. Okafor".chars().enumerate() {
        let column = text.chars().count();
        client.change(
            "untitled:case",
            i as i64 + 2,
            json!([{"range": {"start": {"line": 0, "character": column}, "end": {"line": 0, "character": column}},
                    "text": c.to_string()}]),
        );
        text.push(c);
    }
    let last = text.chars().count() as i64 + 1;
    let diagnostics = client.diagnostics("untitled:case", last);
    assert_eq!(codes(&diagnostics), vec!["phi/date", "phi/name"]);
    // Whatever was published before the last version was for an older version, in order,
    // and typing faster than the debounce was checked far fewer times than it was edited.
    let versions: Vec<i64> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(versions.iter().all(|&v| v < last));
    assert!(
        versions.len() < 10,
        "{} publishes for {} edits",
        versions.len() + 1,
        last - 1
    );
    client.shutdown();
}
