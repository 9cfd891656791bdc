//! Which settings apply to a document: the nearest `scrubs.toml` above it (else one at a
//! workspace root), read again when the file changes on disk.
//!
//! A broken file is reported once per version of it and the defaults keep working. Words added
//! through "add to allow-list" count at once, before the edited file is saved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config;
use crate::engine::{Checker, Options};

struct Entry {
    modified: Option<SystemTime>,
    options: Options,
    checker: Arc<Checker>,
    /// Words allowed in this session that the file on disk may not have yet.
    session_allow: Vec<String>,
}

/// Settings per configuration file, cached.
#[derive(Default)]
pub struct Settings {
    entries: HashMap<PathBuf, Entry>,
    default: Arc<Checker>,
}

/// The checker for a document, and a problem with its configuration file to show the user
/// (only the first time that version of the file is read).
pub struct Resolved {
    pub checker: Arc<Checker>,
    pub problem: Option<String>,
}

impl Settings {
    /// The configuration file for a document at `path` (or for an unsaved document, the one at
    /// the first workspace root).
    pub fn config_path(path: Option<&Path>, roots: &[PathBuf]) -> Option<PathBuf> {
        match path.and_then(Path::parent) {
            Some(dir) => config::find(dir),
            None => roots.iter().find_map(|root| config::find(root)),
        }
    }

    pub fn resolve(&mut self, path: Option<&Path>, roots: &[PathBuf]) -> Resolved {
        let Some(config_path) = Settings::config_path(path, roots) else {
            return Resolved {
                checker: Arc::clone(&self.default),
                problem: None,
            };
        };
        let modified = std::fs::metadata(&config_path).and_then(|m| m.modified()).ok();
        if let Some(entry) = self.entries.get(&config_path) {
            if entry.modified == modified {
                return Resolved {
                    checker: Arc::clone(&entry.checker),
                    problem: None,
                };
            }
        }
        let (options, problem) = match config::load_for(config_path.parent().unwrap_or(Path::new("."))) {
            Ok(Some((_, options))) => (options, None),
            Ok(None) => (Options::default(), None),
            Err(error) => (Options::default(), Some(error.to_string())),
        };
        // The file changed on disk: words allowed this session are in it now, or were removed
        // on purpose.
        let entry = Entry {
            modified,
            checker: Arc::new(Checker::new(options.clone())),
            options,
            session_allow: Vec::new(),
        };
        let checker = Arc::clone(&entry.checker);
        self.entries.insert(config_path.clone(), entry);
        Resolved { checker, problem }
    }

    /// Allows `word` for documents under `config_path` from now on, before the file is saved.
    pub fn allow_in_session(&mut self, config_path: &Path, word: &str) {
        let modified = std::fs::metadata(config_path).and_then(|m| m.modified()).ok();
        let entry = self.entries.entry(config_path.to_path_buf()).or_insert_with(|| Entry {
            modified,
            options: Options::default(),
            checker: Arc::new(Checker::default()),
            session_allow: Vec::new(),
        });
        entry.session_allow.push(word.to_string());
        let mut options = entry.options.clone();
        options.allow.extend(entry.session_allow.iter().cloned());
        entry.checker = Arc::new(Checker::new(options));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_file_applies_and_session_words_count_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("posts/case.md");
        std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
        std::fs::write(dir.path().join("scrubs.toml"), "[allow]\nwords = [\"Mercy Clinic\"]\n").unwrap();
        let mut settings = Settings::default();
        assert_eq!(
            Settings::config_path(Some(&doc), &[]),
            Some(dir.path().join("scrubs.toml"))
        );
        let resolved = settings.resolve(Some(&doc), &[]);
        assert_eq!(resolved.checker.options().allow, vec!["Mercy Clinic"]);
        settings.allow_in_session(&dir.path().join("scrubs.toml"), "Dr. Jane Doe");
        let resolved = settings.resolve(Some(&doc), &[]);
        assert_eq!(resolved.checker.options().allow, vec!["Mercy Clinic", "Dr. Jane Doe"]);
    }

    #[test]
    fn a_broken_file_is_reported_and_defaults_apply() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scrubs.toml"), "[allow\n").unwrap();
        let mut settings = Settings::default();
        let resolved = settings.resolve(Some(&dir.path().join("a.md")), &[]);
        assert!(resolved.problem.is_some_and(|p| p.contains("scrubs.toml")));
        assert!(resolved.checker.options().allow.is_empty());
        // Reported once: the same version of the file is not reported again.
        assert!(settings.resolve(Some(&dir.path().join("a.md")), &[]).problem.is_none());
    }
}
