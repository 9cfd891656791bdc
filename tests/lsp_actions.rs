//! Quick fixes over stdio: the real binary is asked for code actions, the test applies the edits
//! the way an editor does, sends them back as changes, and checks the text and the diagnostics.

mod common;

use common::{apply_edits, LspClient};
use serde_json::{json, Value};

const URI: &str = "file:///tmp/scrubs-test/case.md";
const TEXT: &str = "# Case 🫀\r\n\r\nMaria Lopez 🫀 is a 45-year-old woman seen on March 3, 2024.\r\nMaria's husband called 555-201-4477. Ms. Lopez is well.\r\n";

fn start(encoding: &str) -> LspClient {
    let mut client = LspClient::spawn(&["lsp"]);
    let response = client.initialize(&[encoding]);
    assert_eq!(response["result"]["capabilities"]["positionEncoding"], encoding);
    let kinds = &response["result"]["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert!(
        kinds
            .as_array()
            .is_some_and(|k| k.contains(&json!("source.fixAll.scrubs"))),
        "{kinds}"
    );
    client
}

fn code_actions(
    client: &mut LspClient,
    uri: &str,
    range: &Value,
    diagnostics: Vec<Value>,
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
    );
    response["result"].as_array().cloned().unwrap_or_default()
}

/// Applies an action's edit and sends the new text as version `version`; returns the new text.
fn apply(client: &mut LspClient, text: &str, action: &Value, version: i64, encoding: &str) -> String {
    let edits = action["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .expect("edits for the document");
    let new_text = apply_edits(text, &edits, encoding);
    client.change(URI, version, json!([{"text": new_text}]));
    new_text
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn age_quick_fix(encoding: &str) {
    let mut client = start(encoding);
    client.open(URI, "markdown", 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    let age = diagnostics
        .iter()
        .find(|d| d["code"] == "phi/age")
        .cloned()
        .expect("an age diagnostic");
    let actions = code_actions(&mut client, URI, &age["range"], vec![age.clone()], None);
    let preferred = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred fix among {actions:#?}"));
    assert_eq!(preferred["kind"], "quickfix");
    assert_eq!(preferred["diagnostics"][0]["code"], "phi/age");
    assert!(
        preferred["title"].as_str().unwrap().contains("woman in her 40s"),
        "{preferred}"
    );
    let text = apply(&mut client, TEXT, preferred, 2, encoding);
    assert_eq!(
        text,
        TEXT.replace("is a 45-year-old woman seen", "is a woman in her 40s seen")
    );
    let after = client.diagnostics(URI, 2);
    assert!(!codes(&after).contains(&"phi/age".to_string()), "{after:#?}");
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn an_age_quick_fix_edits_the_document_in_utf16() {
    age_quick_fix("utf-16");
}

#[test]
fn an_age_quick_fix_edits_the_document_in_utf8() {
    age_quick_fix("utf-8");
}

#[test]
fn a_name_fix_replaces_every_mention_and_other_fixes_are_offered() {
    let mut client = start("utf-16");
    client.open(URI, "markdown", 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    let name = diagnostics
        .iter()
        .find(|d| d["code"] == "phi/name")
        .cloned()
        .expect("a name diagnostic");
    let actions = code_actions(
        &mut client,
        URI,
        &name["range"],
        vec![name.clone()],
        Some(&["quickfix"]),
    );
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.iter().any(|t| t.contains("initials")), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("Ignore phi/name")), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("Allow these words")), "{titles:?}");
    let placeholder = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.contains("[Name A]")))
        .expect("a placeholder fix");
    let text = apply(&mut client, TEXT, placeholder, 2, "utf-16");
    assert_eq!(
        text,
        TEXT.replace("Maria Lopez", "[Name A]")
            .replace("Maria's", "[Name A]'s")
            .replace("Ms. Lopez", "Ms. [Name A]")
    );
    let after = client.diagnostics(URI, 2);
    assert!(!codes(&after).contains(&"phi/name".to_string()), "{after:#?}");

    // On a gendered word, the gender rewrites are offered.
    let husband = json!({"start": {"line": 3, "character": 12}, "end": {"line": 3, "character": 12}});
    let actions = code_actions(&mut client, URI, &husband, vec![], None);
    let swap = actions
        .iter()
        .find(|a| a["kind"] == "refactor.rewrite" && a["title"].as_str().is_some_and(|t| t.starts_with("Swap")))
        .unwrap_or_else(|| panic!("a gender swap among {actions:#?}"));
    let swapped = apply(&mut client, &text, swap, 3, "utf-16");
    assert!(
        swapped.contains("[Name A]'s wife called") && swapped.contains("Mr. [Name A] is well"),
        "{swapped}"
    );
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn de_identify_document_applies_every_safe_fix_in_one_edit() {
    let mut client = start("utf-16");
    client.open(URI, "markdown", 1, TEXT);
    let before = client.diagnostics(URI, 1);
    assert!(before.len() >= 5, "{before:#?}");
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let actions = code_actions(&mut client, URI, &whole, vec![], Some(&["source.fixAll"]));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.scrubs");
    let text = apply(&mut client, TEXT, &actions[0], 2, "utf-16");
    assert_eq!(
        text,
        "# Case 🫀\r\n\r\n[Name A] 🫀 is a woman in her 40s seen in 2024.\r\n[Name A]'s husband called [phone]. Ms. [Name A] is well.\r\n"
    );
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());
    // Nothing safe is left: no second "De-identify" is offered.
    let again = code_actions(&mut client, URI, &whole, vec![], Some(&["source.fixAll"]));
    assert_eq!(again, Vec::<Value>::new());
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn add_to_allow_list_creates_scrubs_toml_through_the_editor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = format!("file://{}", dir.path().display());
    let doc_path = dir.path().join("case.md");
    let doc_uri = format!("file://{}", doc_path.display());
    let text = "Seen by Dr. Jane Doe today.\n";
    std::fs::write(&doc_path, text).expect("write the document");
    let mut client = LspClient::spawn(&["lsp"]);
    client.initialize_in(&root, &["utf-16"]);
    client.open(&doc_uri, "markdown", 1, text);
    let diagnostics = client.diagnostics(&doc_uri, 1);
    let name = diagnostics
        .iter()
        .find(|d| d["code"] == "phi/name")
        .cloned()
        .expect("a name diagnostic");
    let actions = code_actions(&mut client, &doc_uri, &name["range"], vec![name.clone()], None);
    let allow = actions
        .iter()
        .find(|a| a["command"]["command"] == "scrubs.allowWord")
        .expect("an allow-list action");
    let command = allow["command"].clone();
    let id = 1000;
    let body = json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
        "params": {"command": command["command"], "arguments": command["arguments"]}});
    client.send_raw(&body.to_string());
    // The server asks the editor to create scrubs.toml; the "editor" does so.
    let request = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    let changes = request["params"]["edit"]["documentChanges"]
        .as_array()
        .cloned()
        .expect("document changes");
    assert_eq!(changes[0]["kind"], "create");
    let config_uri = changes[0]["uri"].as_str().expect("a uri").to_string();
    assert_eq!(config_uri, format!("{root}/scrubs.toml"));
    let content = apply_edits("", changes[1]["edits"].as_array().expect("edits"), "utf-16");
    std::fs::write(dir.path().join("scrubs.toml"), &content).expect("write scrubs.toml");
    client.respond(&request["id"], json!({"applied": true}));
    client.wait_for(|m| m["id"] == json!(id));
    assert!(content.contains("[allow]") && content.contains("Jane Doe"), "{content}");
    // The document is checked again with the new allow-list.
    let after = client.diagnostics(&doc_uri, 1);
    assert!(!codes(&after).contains(&"phi/name".to_string()), "{after:#?}");
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn every_diagnostic_offers_a_preferred_fix_that_removes_it() {
    let mut client = start("utf-16");
    client.open(URI, "markdown", 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    let kinds: Vec<String> = codes(&diagnostics);
    for expected in ["phi/name", "phi/age", "phi/date", "phi/phone"] {
        assert!(kinds.contains(&expected.to_string()), "{kinds:?}");
    }
    let mut version = 1;
    for diagnostic in &diagnostics {
        let actions = code_actions(
            &mut client,
            URI,
            &diagnostic["range"],
            vec![diagnostic.clone()],
            Some(&["quickfix"]),
        );
        let preferred = actions
            .iter()
            .find(|a| a["isPreferred"] == true)
            .unwrap_or_else(|| panic!("no preferred fix for {diagnostic}"));
        // Each fix is tried on the original text, then the original is restored.
        version += 1;
        apply(&mut client, TEXT, preferred, version, "utf-16");
        let after = client.diagnostics(URI, version);
        let still_there = after
            .iter()
            .any(|d| d["range"] == diagnostic["range"] && d["code"] == diagnostic["code"]);
        assert!(
            !still_there,
            "{} is still reported after {}",
            diagnostic["code"], preferred["title"]
        );
        version += 1;
        client.change(URI, version, json!([{"text": TEXT}]));
        client.diagnostics(URI, version);
    }
    let (status, _) = client.shutdown();
    assert!(status.success());
}

#[test]
fn combinations_point_at_their_details_and_hover_explains_the_rule() {
    let mut client = start("utf-16");
    let post = "Thinking of the 17-year-old driver from last night's crash on Route 9 \u{2014} the star point guard at the high school.\n";
    client.open(URI, "markdown", 1, post);
    let diagnostics = client.diagnostics(URI, 1);
    let combination = diagnostics
        .iter()
        .find(|d| d["code"] == "quasi/combination")
        .unwrap_or_else(|| panic!("a combination among {diagnostics:#?}"));
    let related = combination["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let what: Vec<&str> = related.iter().filter_map(|r| r["message"].as_str()).collect();
    assert_eq!(
        what,
        vec!["an exact age", "a date or time", "a newsworthy event", "a place", "a role or occupation"]
    );
    assert!(related.iter().all(|r| r["location"]["uri"] == URI));
    // "crash" starts at character 53 of the first line.
    assert_eq!(
        related[2]["location"]["range"]["start"],
        json!({"line": 0, "character": 53})
    );
    let href = combination["codeDescription"]["href"].as_str().unwrap_or_default();
    assert!(href.ends_with("docs/rules/quasi-combination.md"), "{href}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 20}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.contains("Exact age") && value.contains("## Why it matters"),
        "{value}"
    );
    let (status, _) = client.shutdown();
    assert!(status.success());
}

/// An editor that resolves actions (VS Code, Neovim) gets the whole-document gender rewrites
/// without their edits, which can be thousands in a long document and would be sent on every
/// cursor move over a gendered word; the edit comes when the user chooses the rewrite.
#[test]
fn gender_rewrites_get_their_edit_when_chosen() {
    let mut client = LspClient::spawn(&["lsp"]);
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"codeAction": {"dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}}}),
    );
    assert_eq!(
        response["result"]["capabilities"]["codeActionProvider"]["resolveProvider"], true,
        "{response}"
    );
    client.notify("initialized", json!({}));
    client.open(URI, "markdown", 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    let husband = json!({"start": {"line": 3, "character": 12}, "end": {"line": 3, "character": 12}});
    let actions = code_actions(&mut client, URI, &husband, vec![], None);
    let rewrites: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "refactor.rewrite").collect();
    assert_eq!(rewrites.len(), 2, "{actions:#?}");
    for rewrite in &rewrites {
        assert!(rewrite.get("edit").is_none(), "{rewrite}");
        assert!(rewrite["data"].is_object(), "{rewrite}");
    }
    // Quick fixes keep their edits: they are small.
    let name = diagnostics.iter().find(|d| d["code"] == "phi/name").expect("a name");
    let fixes = code_actions(&mut client, URI, &name["range"], vec![name.clone()], None);
    assert!(
        fixes.iter().any(|a| a["kind"] == "quickfix" && a["edit"].is_object()),
        "{fixes:#?}"
    );

    let swap = rewrites
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Swap")))
        .expect("the swap");
    let resolved = client.request("codeAction/resolve", (*swap).clone());
    let action = &resolved["result"];
    assert_eq!(action["title"], swap["title"], "{resolved}");
    let swapped = apply(&mut client, TEXT, action, 2, "utf-16");
    assert!(
        swapped.contains("Maria's wife called") && swapped.contains("Mr. Lopez is well"),
        "{swapped}"
    );

    // Made for the text as it is now: after the swap, swapping again gives the first text back.
    let again = code_actions(&mut client, URI, &husband, vec![], None);
    let swap = again
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Swap")))
        .unwrap_or_else(|| panic!("the swap among {again:#?}"));
    let resolved = client.request("codeAction/resolve", swap.clone());
    let back = apply(&mut client, &swapped, &resolved["result"], 3, "utf-16");
    assert!(
        back.contains("Maria's husband called") && back.contains("Ms. Lopez is well"),
        "{back}"
    );

    // An action scrubs did not make, or for a closed document, is a clear error, not a panic.
    let odd = client.request(
        "codeAction/resolve",
        json!({"title": "Rotate", "data": {"uri": URI, "rewrite": "sideways"}}),
    );
    let message = odd["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("ask for the actions again"), "{odd}");
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": URI}}));
    let closed = client.request("codeAction/resolve", (*swap).clone());
    let message = closed["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("no longer open"), "{closed}");
    let (status, _) = client.shutdown();
    assert!(status.success());
}
