//! Runs the VS Code extension's own tests (editors/vscode, `npm test`: its program lookup,
//! document selector, manifest, and a session with this real server binary), so that
//! `cargo test` runs every test of the project.
//!
//! The extension's packages must be installed first (`npm ci` in editors/vscode, as `.ci/run`
//! and `.ci/vscode.sh` do). Without them this test says so and passes — unless
//! `SCRUBS_REQUIRE_VSCODE=1`, which CI sets, so that there it always runs.

use std::path::Path;
use std::process::Command;

#[test]
fn the_vscode_extension_tests_pass() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let required = std::env::var("SCRUBS_REQUIRE_VSCODE").is_ok_and(|v| v == "1");
    let installed = folder.join("node_modules").is_dir();
    let npm = Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(installed && npm) {
        let why = if npm {
            "its packages are not installed (run `npm ci` in editors/vscode)"
        } else {
            "npm is not installed"
        };
        assert!(!required, "SCRUBS_REQUIRE_VSCODE=1 but {why}");
        eprintln!("skipped: the VS Code extension's tests need npm, and {why}");
        return;
    }
    let output = Command::new("npm")
        .arg("test")
        .current_dir(&folder)
        .env("SCRUBS_BIN", env!("CARGO_BIN_EXE_scrubs"))
        .env("CI", "true")
        .output()
        .expect("npm runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the extension's tests failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("# fail 0"), "no test summary in:\n{stdout}");
}
