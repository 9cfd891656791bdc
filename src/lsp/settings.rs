//! Which settings apply to a document: the editor's (`workspace/configuration`, section
//! `scrubs`) as the base, and over them the nearest `scrubs.toml` above the document (else one
//! at a workspace root), read again when the file changes on disk.
//!
//! A broken file is reported once per version of it (as a diagnostic on the file) and the
//! editor's settings keep working. Words added through "add to allow-list" count at once, before
//! the edited file is saved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{self, Config, ConfigError};
use crate::engine::Checker;

struct Entry {
    modified: Option<SystemTime>,
    /// The editor settings generation the checker was made with.
    generation: u64,
    /// What the file says (empty when it could not be used).
    file: Config,
    merged: Arc<Config>,
    checker: Arc<Checker>,
    /// Words allowed in this session that the file on disk may not have yet.
    session_allow: Vec<String>,
}

/// Settings per configuration file, cached.
pub struct Settings {
    entries: HashMap<PathBuf, Entry>,
    editor: Config,
    generation: u64,
    default: (Arc<Config>, Arc<Checker>),
}

impl Default for Settings {
    fn default() -> Settings {
        let editor = Config::default();
        Settings {
            default: (Arc::new(editor.clone()), Arc::new(Checker::new(editor.options()))),
            editor,
            entries: HashMap::new(),
            generation: 0,
        }
    }
}

/// What applies to one document.
pub struct Resolved {
    pub checker: Arc<Checker>,
    /// The merged settings (for which files are checked).
    pub config: Arc<Config>,
    /// When a configuration file was (re)read for this document: its path and its problem, if
    /// any. `None` when nothing was read this time.
    pub config_read: Option<(PathBuf, Option<ConfigError>)>,
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

    /// Takes new settings from the editor; documents resolve against them from now on.
    pub fn set_editor(&mut self, editor: Config) {
        if editor == self.editor {
            return;
        }
        self.generation += 1;
        self.default = (Arc::new(editor.clone()), Arc::new(Checker::new(editor.options())));
        self.editor = editor;
    }

    pub fn resolve(&mut self, path: Option<&Path>, roots: &[PathBuf]) -> Resolved {
        let Some(config_path) = Settings::config_path(path, roots) else {
            return Resolved {
                checker: Arc::clone(&self.default.1),
                config: Arc::clone(&self.default.0),
                config_read: None,
            };
        };
        let modified = std::fs::metadata(&config_path).and_then(|m| m.modified()).ok();
        let generation = self.generation;
        if let Some(entry) = self.entries.get_mut(&config_path) {
            if entry.modified == modified {
                if entry.generation != generation {
                    // The editor's settings changed: lay the same file over the new ones.
                    let session = entry.session_allow.clone();
                    *entry = Settings::entry(&self.editor, entry.file.clone(), modified, generation, session);
                }
                return Resolved {
                    checker: Arc::clone(&entry.checker),
                    config: Arc::clone(&entry.merged),
                    config_read: None,
                };
            }
        }
        let (file, problem) = match config::load_for(config_path.parent().unwrap_or(Path::new("."))) {
            Ok(Some((_, file))) => (file, None),
            Ok(None) => (Config::default(), None),
            Err(error) => (Config::default(), Some(error)),
        };
        // The file changed on disk: words allowed this session are in it now, or were removed
        // on purpose.
        let entry = Settings::entry(&self.editor, file, modified, generation, Vec::new());
        let resolved = Resolved {
            checker: Arc::clone(&entry.checker),
            config: Arc::clone(&entry.merged),
            config_read: Some((config_path.clone(), problem)),
        };
        self.entries.insert(config_path, entry);
        resolved
    }

    fn entry(
        editor: &Config,
        file: Config,
        modified: Option<SystemTime>,
        generation: u64,
        session_allow: Vec<String>,
    ) -> Entry {
        let mut merged = file.over(editor);
        merged.allow.extend(
            session_allow
                .iter()
                .filter(|w| !merged.allow.contains(w))
                .cloned()
                .collect::<Vec<_>>(),
        );
        Entry {
            modified,
            generation,
            checker: Arc::new(Checker::new(merged.options())),
            merged: Arc::new(merged),
            file,
            session_allow,
        }
    }

    /// Allows `word` for documents under `config_path` from now on, before the file is saved.
    pub fn allow_in_session(&mut self, config_path: &Path, word: &str) {
        let modified = std::fs::metadata(config_path).and_then(|m| m.modified()).ok();
        let generation = self.generation;
        let (file, mut session) = match self.entries.remove(config_path) {
            Some(entry) => (entry.file, entry.session_allow),
            None => (Config::default(), Vec::new()),
        };
        session.push(word.to_string());
        let entry = Settings::entry(&self.editor, file, modified, generation, session);
        self.entries.insert(config_path.to_path_buf(), entry);
    }
}

/// The editor's `scrubs` settings section, read.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EditorSettings {
    pub config: Config,
    /// `debounceMs`: how long to wait after a keystroke before checking.
    pub debounce_ms: Option<u64>,
    /// What could not be used, in words for the user (each names the setting).
    pub problems: Vec<String>,
}

/// Reads the editor's settings: `{"rules": {"phi/age": "off"}, "allow": [...], "fix": {"names":
/// "patient"}, "files": {"extensions": [...]}, "debounceMs": 30}`. Anything else is ignored;
/// a value of the wrong kind is reported and skipped, never fatal.
pub fn from_editor(value: &serde_json::Value) -> EditorSettings {
    use serde_json::Value;
    let mut settings = EditorSettings::default();
    let Some(object) = value.as_object() else {
        if !value.is_null() {
            settings
                .problems
                .push("the `scrubs` settings should be an object of settings".to_string());
        }
        return settings;
    };
    match object.get("rules") {
        None | Some(Value::Null) => {}
        Some(Value::Object(rules)) => {
            for (code, level) in rules {
                let level = level.as_str().unwrap_or("");
                match config::rule_setting_problem(code, level) {
                    Some(problem) => settings.problems.push(format!("scrubs.rules {problem}")),
                    None => {
                        if let (Some(rule), Some(level)) =
                            (crate::engine::Rule::from_code(code), config::parse_level(level))
                        {
                            settings.config.rules.push((rule, level));
                        }
                    }
                }
            }
        }
        Some(_) => settings
            .problems
            .push("scrubs.rules should map rule codes to error, warning, info, hint or off".to_string()),
    }
    let strings = |value: &Value| -> Option<Vec<String>> {
        value
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    match object.get("allow") {
        None | Some(Value::Null) => {}
        Some(value) => match strings(value) {
            Some(words) => {
                settings.config.allow = words
                    .into_iter()
                    .map(|w| w.trim().to_string())
                    .filter(|w| !w.is_empty())
                    .collect()
            }
            None => settings
                .problems
                .push("scrubs.allow should be a list of words and phrases".to_string()),
        },
    }
    if let Some(style) = object.get("fix").and_then(|f| f.get("names")).filter(|v| !v.is_null()) {
        match style.as_str().and_then(crate::engine::NameStyle::parse) {
            Some(style) => settings.config.name_style = Some(style),
            None => settings
                .problems
                .push("scrubs.fix.names should be placeholder, patient, initials or pseudonym".to_string()),
        }
    }
    if let Some(list) = object
        .get("files")
        .and_then(|f| f.get("extensions"))
        .filter(|v| !v.is_null())
    {
        match strings(list) {
            Some(list) => settings.config.extensions = Some(config::clean_extensions(list)),
            None => settings
                .problems
                .push("scrubs.files.extensions should be a list of file extensions such as \"md\"".to_string()),
        }
    }
    match object.get("debounceMs") {
        None | Some(Value::Null) => {}
        Some(value) => match value.as_u64() {
            Some(ms) => settings.debounce_ms = Some(ms.min(10_000)),
            None => settings
                .problems
                .push("scrubs.debounceMs should be a whole number of milliseconds".to_string()),
        },
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{NameStyle, Rule, Severity};

    #[test]
    fn editor_settings_are_read_and_mistakes_named() {
        let read = from_editor(&serde_json::json!({
            "rules": {"phi/age": "off", "phi/url": "info", "phi/nope": "error", "phi/date": "loud"},
            "allow": ["Dr. Jane Doe", " "],
            "fix": {"names": "patient"},
            "files": {"extensions": [".MD"]},
            "debounceMs": 50,
            "somethingElse": true
        }));
        assert_eq!(
            read.config.rules,
            vec![(Rule::Age, None), (Rule::Url, Some(Severity::Info))]
        );
        assert_eq!(read.config.allow, vec!["Dr. Jane Doe"]);
        assert_eq!(read.config.name_style, Some(NameStyle::Patient));
        assert_eq!(read.config.extensions, Some(vec!["md".to_string()]));
        assert_eq!(read.debounce_ms, Some(50));
        assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
        assert!(read.problems.iter().any(|p| p.contains("phi/nope")));
        let read = from_editor(&serde_json::json!({"allow": "Jane", "debounceMs": -1}));
        assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
        assert_eq!(from_editor(&serde_json::Value::Null), EditorSettings::default());
    }

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
        assert!(matches!(resolved.config_read, Some((_, None))));
        settings.allow_in_session(&dir.path().join("scrubs.toml"), "Dr. Jane Doe");
        let resolved = settings.resolve(Some(&doc), &[]);
        assert_eq!(resolved.checker.options().allow, vec!["Mercy Clinic", "Dr. Jane Doe"]);
        assert!(resolved.config_read.is_none());
    }

    #[test]
    fn a_broken_file_is_reported_and_the_editor_settings_apply() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scrubs.toml"), "[allow\n").unwrap();
        let mut settings = Settings::default();
        settings.set_editor(Config {
            allow: vec!["Mercy Clinic".into()],
            ..Config::default()
        });
        let resolved = settings.resolve(Some(&dir.path().join("a.md")), &[]);
        let (path, problem) = resolved.config_read.unwrap();
        assert_eq!(path, dir.path().join("scrubs.toml"));
        assert_eq!(problem.unwrap().line, Some(1));
        assert_eq!(resolved.checker.options().allow, vec!["Mercy Clinic"]);
        // Reported once: the same version of the file is not read again.
        assert!(settings
            .resolve(Some(&dir.path().join("a.md")), &[])
            .config_read
            .is_none());
    }

    #[test]
    fn editor_settings_are_the_base_and_the_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scrubs.toml"), "[rules]\n\"phi/age\" = \"error\"\n").unwrap();
        let mut settings = Settings::default();
        let doc = dir.path().join("a.md");
        let before = settings.resolve(Some(&doc), &[]).checker;
        settings.set_editor(Config {
            rules: vec![(Rule::Age, None), (Rule::Url, None)],
            ..Config::default()
        });
        let after = settings.resolve(Some(&doc), &[]).checker;
        assert!(!Arc::ptr_eq(&before, &after), "new editor settings make a new checker");
        assert_eq!(after.options().disabled, vec![Rule::Url]);
        assert_eq!(after.options().severities, vec![(Rule::Age, Severity::Error)]);
        // Documents without a file get the editor's settings alone.
        let elsewhere = tempfile::tempdir().unwrap();
        let alone = settings.resolve(Some(&elsewhere.path().join("b.md")), &[]).checker;
        assert_eq!(alone.options().disabled, vec![Rule::Age, Rule::Url]);
    }
}
