//! Which files a path means: a file is itself; a folder is its Markdown and text files, skipping
//! what .gitignore (and hidden-file conventions) exclude.

use std::path::{Path, PathBuf};

use crate::config::Config;

/// The files to check under `path`, and a message for each part that could not be read. In a
/// folder, the files with the extensions of the `scrubs.toml` that applies to it (by default
/// Markdown and text).
pub fn files(path: &Path) -> (Vec<PathBuf>, Vec<String>) {
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_dir() => (vec![path.to_path_buf()], Vec::new()),
        Ok(_) => {
            // A broken scrubs.toml is reported when its files are checked; walk with defaults.
            let config = crate::config::load_for(path).ok().flatten().map(|(_, c)| c);
            walk(path, &config.unwrap_or_default())
        }
        Err(e) => (Vec::new(), vec![describe(path, &e)]),
    }
}

fn describe(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!(
                "{}: no such file or folder. Check the spelling of the path.",
                path.display()
            )
        }
        std::io::ErrorKind::PermissionDenied => {
            format!(
                "{}: permission denied. Check that you are allowed to read it.",
                path.display()
            )
        }
        _ => format!("{}: could not be read ({e}).", path.display()),
    }
}

fn walk(path: &Path, config: &Config) -> (Vec<PathBuf>, Vec<String>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for entry in ignore::WalkBuilder::new(path).require_git(false).build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && config.checks_path(entry.path()) {
                    found.push(entry.into_path());
                }
            }
            Err(e) => errors.push(format!(
                "{}: part of this folder could not be read ({e}).",
                path.display()
            )),
        }
    }
    found.sort();
    (found, errors)
}
