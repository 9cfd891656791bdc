//! scrubs in a real editor: runs `tests/nvim/e2e.lua` in a headless Neovim with the config
//! shipped in `editors/nvim`, against the scrubs binary built for this test run.
//!
//! Neovim is looked up as `$SCRUBS_NVIM`, else `nvim` on `PATH`. Without it the test is skipped
//! with a note, unless `SCRUBS_REQUIRE_NVIM=1` (CI sets it, after `.ci/nvim.sh`), which makes a
//! missing or too old Neovim a failure.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest the whole Neovim run may take before it is killed: a hang guard, not a speed check.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn nvim_required() -> bool {
    std::env::var("SCRUBS_REQUIRE_NVIM").is_ok_and(|v| v == "1")
}

/// Skips the test (returns from it) with a note, or fails it when Neovim is required.
macro_rules! skip_or_fail {
    ($($why:tt)*) => {{
        let why = format!($($why)*);
        if nvim_required() {
            panic!("{why}\nSCRUBS_REQUIRE_NVIM=1 is set, so this is a failure: run .ci/nvim.sh to install Neovim.");
        }
        // Straight to stderr, past the test harness's capture, so the skip is seen.
        let _ = writeln!(std::io::stderr(), "note: skipping the Neovim end-to-end test: {why}");
        return;
    }};
}

fn find_nvim() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SCRUBS_NVIM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("nvim"))
        .find(|candidate| candidate.is_file())
}

/// The (major, minor) of `nvim --version`'s first line, `NVIM v0.11.4`.
fn nvim_version(nvim: &Path) -> Result<(u32, u32), String> {
    let output = Command::new(nvim)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run {} --version: {e}", nvim.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let first = text.lines().next().unwrap_or_default();
    let parse = || {
        let version = first.strip_prefix("NVIM v")?;
        let mut parts = version.split(['.', '-']);
        Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
    };
    parse().ok_or_else(|| format!("{} --version printed {first:?}, not a Neovim version", nvim.display()))
}

fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A Neovim 0.11 or newer to run the scripts with, or why there is none.
fn recent_nvim() -> Result<PathBuf, String> {
    let nvim = find_nvim().ok_or("no `nvim` on PATH (or set SCRUBS_NVIM to its path)")?;
    match nvim_version(&nvim)? {
        (major, minor) if (major, minor) >= (0, 11) => Ok(nvim),
        (major, minor) => Err(format!(
            "{} is Neovim {major}.{minor}; 0.11 or newer is needed",
            nvim.display()
        )),
    }
}

/// Runs `tests/nvim/{script}` in a headless Neovim against this build's scrubs and fails the
/// test, with everything Neovim printed and its LSP log, unless the script reports success.
fn run_script(nvim: &Path, script: &str) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Neovim's own state (LSP log, shada) goes to a folder of this test, not the user's home.
    let home = tempfile::tempdir().expect("a temporary folder for Neovim's state");
    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", "-l"])
        .arg(repo.join("tests/nvim").join(script))
        .env("SCRUBS_BIN", env!("CARGO_BIN_EXE_scrubs"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("SCRUBS_LOG")
        .current_dir(repo)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", nvim.display()));
    let stdout = read_all(child.stdout.take().expect("piped stdout"));
    let stderr = read_all(child.stderr.take().expect("piped stderr"));

    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("waiting for Neovim") {
            Some(status) => break Some(status),
            None if started.elapsed() > HANG_GUARD => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let (stdout, stderr) = (stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default());
    let log = std::fs::read_to_string(home.path().join("state/nvim/lsp.log")).unwrap_or_default();
    let report = format!("--- Neovim's output ---\n{stdout}\n--- its errors ---\n{stderr}\n--- its LSP log ---\n{log}");
    match status {
        None => panic!(
            "{script}: Neovim was still running after {} s and was stopped\n{report}",
            HANG_GUARD.as_secs()
        ),
        Some(status) if !status.success() => panic!("{script} failed in Neovim ({status})\n{report}"),
        Some(_) => {
            assert!(
                stdout
                    .lines()
                    .any(|line| line.starts_with("scrubs Neovim") && line.ends_with("checks passed")),
                "{script}: Neovim exited successfully but the script did not report its checks\n{report}"
            );
            println!("{stdout}");
        }
    }
}

#[test]
fn neovim_shows_diagnostics_and_applies_quick_fixes_and_de_identify_document() {
    match recent_nvim() {
        Ok(nvim) => run_script(&nvim, "e2e.lua"),
        Err(why) => skip_or_fail!("{why}"),
    }
}

#[test]
fn neovim_setup_helper_starts_the_server_and_passes_its_settings() {
    match recent_nvim() {
        Ok(nvim) => run_script(&nvim, "setup.lua"),
        Err(why) => skip_or_fail!("{why}"),
    }
}
