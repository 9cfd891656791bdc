//! The `scrubs check` command as a user runs it: real binary, real files, exit codes and output.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn scrubs(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scrubs"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scrubs starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("scrubs finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_bundled_vignette_reports_dates_ages_and_contacts_and_exits_1() {
    let out = scrubs(&["check", "examples/vignette.md"], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for expected in [
        "examples/vignette.md:8:3: warning[phi/age]",
        "examples/vignette.md:8:62: error[phi/date]",
        "error[phi/phone]",
        "error[phi/email]",
        "error[phi/address]",
        "error[phi/id]",
        "error[phi/url]",
        "examples/vignette.md:14:28: error[phi/age] An age over 89",
        "examples/vignette.md:11:5: error[phi/name]",
        "examples/vignette.md:11:53: error[phi/location]",
        "examples/vignette.md:11:78: error[phi/name]",
        "examples/vignette.md:8:3: warning[quasi/combination] Identifiable without a name",
        "= note: a place at 11:20",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    // The source line is shown with the finding underlined.
    assert!(stdout.contains("8 | A 67-year-old man presented"), "{stdout}");
    assert!(stdout.contains("  |   ^^^^^^^^^^^\n"), "{stdout}");
    assert!(!stdout.contains("\x1b["), "no colour when not on a terminal");
    assert!(stdout.contains("Found 15 problems"), "{stdout}");
    // examples/scrubs.toml allows the author's own name in the front matter.
    assert!(!stdout.contains("vignette.md:3:"), "{stdout}");
}

#[test]
fn clean_clinical_prose_exits_0() {
    let out = scrubs(
        &["check", "-"],
        Some("BP 120/80, 3/4 strength, improved over 2 weeks\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("No problems found in 1 file."));
    assert!(!text(&out.stdout).contains("Not everything"), "{}", text(&out.stdout));
    let out = scrubs(&["check", "examples/clean.md"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// Documents without findings add nothing to the JSON array, before or after one with findings.
#[test]
fn json_output_of_clean_documents_is_an_empty_array() {
    let out = scrubs(&["check", "--format", "json", "examples/clean.md"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "[]");
    let out = scrubs(
        &[
            "check", "--format", "json", "examples/clean.md", "examples/social-post.md", "examples/clean.md",
        ],
        None,
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let findings = findings.as_array().expect("an array");
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["path"] == "examples/social-post.md"),
        "{findings:?}"
    );
}

#[test]
fn json_output_has_one_object_per_finding() {
    let out = scrubs(
        &["check", "--format", "json", "-"],
        Some("Seen on 3/4/2024.\nCall 555-201-4477\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let findings = findings.as_array().expect("an array");
    assert_eq!(findings.len(), 2);
    let date = &findings[0];
    assert_eq!(date["path"], "<stdin>");
    assert_eq!(date["rule"], "phi/date");
    assert_eq!(date["category"], "phi");
    assert_eq!(date["severity"], "error");
    assert_eq!(date["span"], serde_json::json!({"start": 8, "end": 16}));
    assert_eq!(
        date["range"],
        serde_json::json!({"start": {"line": 1, "column": 9}, "end": {"line": 1, "column": 17}})
    );
    assert!(date["message"].as_str().is_some_and(|m| m.contains("year")));
    assert_eq!(findings[1]["rule"], "phi/phone");
    assert_eq!(
        findings[1]["range"]["start"],
        serde_json::json!({"line": 2, "column": 6})
    );
    assert!(
        !text(&out.stdout).contains("555-201"),
        "the flagged text itself is not repeated"
    );
}

#[test]
fn a_bad_file_is_reported_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.md");
    std::fs::write(&good, "Seen on 3/4/2024.\n").expect("write");
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Jos\xe9 seen 3/4/2024\n").expect("write");
    let missing = dir.path().join("missing.md");
    let args = [
        "check",
        missing.to_str().unwrap(),
        latin1.to_str().unwrap(),
        good.to_str().unwrap(),
    ];
    let out = scrubs(&args, None);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "I/O errors win over findings");
    assert!(stderr.contains("missing.md: no such file or folder"), "{stderr}");
    assert!(
        stderr.contains("latin1.txt: is not UTF-8 text (the first unreadable byte is at offset 3)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("save it with UTF-8 encoding"),
        "says what to do: {stderr}"
    );
    assert!(stdout.contains("good.md:1:9: error[phi/date]"), "{stdout}");
    assert!(
        stdout.contains("Not everything was checked as you asked: see the errors above"),
        "the summary says not all was checked: {stdout}"
    );
}

/// A mistyped path is an error, and the summary never reads as if the post were clean.
#[test]
fn a_mistyped_path_is_never_summed_up_as_no_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("mistyped.md");
    let out = scrubs(&["check", missing.to_str().unwrap()], None);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("mistyped.md: no such file or folder"), "{stderr}");
    assert!(!stdout.contains("No problems found in 0 files."), "{stdout}");
    assert!(stdout.contains("No problems found in the 0 files checked."), "{stdout}");
    assert!(
        stdout.contains(
            "Not everything was checked as you asked: see the errors above, fix them and run the check again."
        ),
        "{stdout}"
    );
}

#[test]
fn folders_are_walked_for_markdown_and_text_respecting_gitignore() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "drafts/\n").expect("write");
    std::fs::create_dir_all(root.join("posts")).expect("mkdir");
    std::fs::create_dir_all(root.join("drafts")).expect("mkdir");
    std::fs::write(root.join("posts/one.md"), "Seen 3/4/2024\n").expect("write");
    std::fs::write(root.join("posts/two.txt"), "Nothing here.\n").expect("write");
    std::fs::write(root.join("posts/image.png"), "Seen 3/4/2024\n").expect("write");
    std::fs::write(root.join("drafts/secret.md"), "Seen 3/4/2024\n").expect("write");
    let out = scrubs(&["check", "--format", "json", root.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(Path::new(paths[0]).ends_with("posts/one.md"));
}

#[test]
fn usage_mistakes_exit_2_with_a_hint() {
    for args in [
        vec!["check", "--format", "xml"],
        vec!["frobnicate"],
        vec!["check", "--nope"],
        vec![],
    ] {
        let out = scrubs(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("scrubs help") || stderr.contains("Usage"),
            "{args:?}: {stderr}"
        );
    }
    let out = scrubs(&["help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("scrubs check"));
}

#[test]
fn the_allow_list_in_scrubs_toml_applies_and_a_broken_one_is_explained() {
    let dir = tempfile::tempdir().expect("temp dir");
    let post = dir.path().join("post.md");
    std::fs::write(
        &post,
        "Written by Dr. Jane Doe after a visit to Mercy Clinic on 3/4/2024.\n",
    )
    .expect("write");
    let out = scrubs(&["check", "--format", "json", post.to_str().unwrap()], None);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        rules.contains(&"phi/name") && rules.contains(&"phi/location"),
        "{rules:?}"
    );

    let config = dir.path().join("scrubs.toml");
    std::fs::write(&config, "[allow]\nwords = [\"Dr. Jane Doe\", \"Mercy Clinic\"]\n").expect("write");
    let out = scrubs(&["check", "--format", "json", post.to_str().unwrap()], None);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, vec!["phi/date"]);
    assert_eq!(out.status.code(), Some(1));

    std::fs::write(&config, "[allow]\nwords = \"Dr. Jane Doe\"\n").expect("write");
    let out = scrubs(&["check", post.to_str().unwrap()], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "a broken configuration is an error to fix");
    assert!(stderr.contains("scrubs.toml:2:"), "names the file and line: {stderr}");
    assert!(
        stderr.contains("default settings"),
        "says the defaults are in use: {stderr}"
    );
    assert!(
        text(&out.stdout).contains("error[phi/date]"),
        "and the check still ran with the defaults"
    );
}

#[test]
fn fix_prints_a_diff_and_changes_nothing_without_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let post = dir.path().join("post.md");
    let original = "Maria Lopez, a 45-year-old woman, was seen on March 3, 2024.\nCall 555-201-4477.\n";
    std::fs::write(&post, original).expect("write");
    let out = scrubs(&["fix", post.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        diff.contains("-Maria Lopez, a 45-year-old woman, was seen on March 3, 2024.\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+[Name A], a woman in her 40s, was seen in 2024.\n"),
        "{diff}"
    );
    assert!(diff.contains("+Call [phone].\n"), "{diff}");
    assert!(
        text(&out.stderr).contains("would replace 4 identifier(s)"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&post).expect("read"),
        original,
        "the file is untouched"
    );
}

#[test]
fn fix_write_rewrites_in_place_keeps_permissions_and_a_second_run_is_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let post = dir.path().join("post.md");
    std::fs::write(&post, "Seen on 3/4/2024 by Dr. Okonkwo.\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&post, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let path = post.to_str().expect("utf-8 path");
    let out = scrubs(&["fix", "--write", path], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"", "nothing on stdout when writing files");
    assert_eq!(
        std::fs::read_to_string(&post).expect("read"),
        "Seen in 2024 by Dr. [Name A].\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&post).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(entries.len(), 1, "no temporary file is left behind");
    let again = scrubs(&["fix", path], None);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(again.stdout, b"");
    assert!(text(&again.stderr).contains("nothing to fix"));
}

#[test]
fn fix_leaves_unreadable_files_alone_and_fixes_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, b"Seen on 3/4/2024 \xff\xfe\n").expect("write");
    let good = dir.path().join("good.md");
    std::fs::write(&good, "Seen on 3/4/2024.\n").expect("write");
    let out = scrubs(&["fix", "--write", dir.path().to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.md: is not UTF-8"), "{stderr}");
    assert_eq!(std::fs::read(&bad).expect("read"), b"Seen on 3/4/2024 \xff\xfe\n");
    assert_eq!(std::fs::read_to_string(&good).expect("read"), "Seen in 2024.\n");
}

#[test]
fn fix_reads_standard_input_and_writes_the_result() {
    let out = scrubs(&["fix", "--write", "-"], Some("A 94-year-old man, MRN 4478123.\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "A man over 89, MRN [ID].\n");
}

#[test]
fn the_guidance_examples_are_flagged_with_plain_messages() {
    let out = scrubs(&["check", "--format", "json", "examples/social-post.md"], None);
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let rules: Vec<&str> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(
        rules,
        vec![
            "phi/age", "quasi/combination", "lang/derogatory", "lang/derogatory", "lang/derogatory",
            "lang/stigmatizing", "lang/stigmatizing", "lang/stigmatizing", "phi/photo",
        ]
    );
    let combination = &findings[1];
    assert_eq!(
        combination["related"].as_array().map(Vec::len),
        Some(5),
        "{combination}"
    );
    assert!(combination["message"]
        .as_str()
        .is_some_and(|m| m.contains("a newsworthy event")));
    // The de-identified teaching case raises nothing, not even the combination warning.
    let clean = scrubs(&["check", "examples/clean.md"], None);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    // Every rule has a page.
    let page = scrubs(&["rule", "quasi/combination"], None);
    assert!(text(&page.stdout).contains("## Why it matters"));
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_rules_and_utf16_regions() {
    let out = scrubs(&["check", "--format", "sarif", "-"], Some("🫀 Seen on 3/4/2024.\n"));
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "scrubs");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "phi/date"));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "phi/date");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().expect("index") as usize]["id"],
        "phi/date"
    );
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // The emoji is two UTF-16 code units: the date starts at column 12.
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], 12);
    assert_eq!(region["endColumn"], 20);
    assert!(
        !text(&out.stdout).contains("3/4/2024"),
        "the flagged text is not repeated"
    );
}
