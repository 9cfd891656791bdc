//! Which files a path means: a file is itself; a folder is its Markdown and text files, skipping
//! what .gitignore (and hidden-file conventions) exclude.

use std::path::{Path, PathBuf};

const EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mdx", "qmd", "rmd", "txt", "text"];

/// The files to check under `path`, and a message for each part that could not be read.
pub fn files(path: &Path) -> (Vec<PathBuf>, Vec<String>) {
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_dir() => (vec![path.to_path_buf()], Vec::new()),
        Ok(_) => walk(path),
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

fn walk(path: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for entry in ignore::WalkBuilder::new(path).require_git(false).build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                let wanted = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
                if is_file && wanted {
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
