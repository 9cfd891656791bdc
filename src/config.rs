//! `scrubs.toml`: the user's allow-list and rule settings.
//!
//! ```toml
//! [allow]
//! words = ["Dr. Jane Doe", "Mercy Clinic"]   # never reported (the author, the clinic's public name)
//!
//! [rules]
//! "phi/url" = "warning"                      # error | warning | info | hint | off
//!
//! [fix]
//! names = "placeholder"                      # placeholder | patient | initials | pseudonym
//!
//! [files]
//! extensions = ["md", "markdown", "txt"]     # which files are checked
//! ```
//!
//! The file is looked for in the folder of the document and each folder above it. A missing file
//! means defaults; an invalid one is reported once, clearly, and the defaults keep working.
//!
//! The same settings can come from the editor (LSP `workspace/configuration`, section `scrubs`:
//! `rules`, `allow`, `fix.names`, `files.extensions`). Editor settings are the base; a
//! `scrubs.toml` overrides the rule levels, name style and extensions it sets, and allow-lists
//! are combined ([`Config::over`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::{NameStyle, Options, Rule, Severity};

pub const FILE_NAME: &str = "scrubs.toml";

/// The Markdown and text files checked when no setting says otherwise.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mdx", "qmd", "rmd", "txt", "text"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    allow: RawAllow,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    fix: RawFix,
    #[serde(default)]
    files: RawFiles,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    extensions: Option<Vec<String>>,
}

/// Settings from one source (a `scrubs.toml` or the editor): only what that source sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Words never reported.
    pub allow: Vec<String>,
    /// Rule levels; `None` switches the rule off.
    pub rules: Vec<(Rule, Option<Severity>)>,
    pub name_style: Option<NameStyle>,
    /// File extensions (without the dot, lower case) of the files checked.
    pub extensions: Option<Vec<String>>,
}

impl Config {
    /// These settings laid over `base`: what this sets wins, allow-lists are combined.
    pub fn over(&self, base: &Config) -> Config {
        let mut rules: Vec<(Rule, Option<Severity>)> = base
            .rules
            .iter()
            .filter(|(rule, _)| !self.rules.iter().any(|(r, _)| r == rule))
            .copied()
            .collect();
        rules.extend(self.rules.iter().copied());
        let mut allow = base.allow.clone();
        allow.extend(self.allow.iter().filter(|w| !base.allow.contains(w)).cloned());
        Config {
            allow,
            rules,
            name_style: self.name_style.or(base.name_style),
            extensions: self.extensions.clone().or_else(|| base.extensions.clone()),
        }
    }

    /// The engine options these settings make.
    pub fn options(&self) -> Options {
        Options {
            disabled: self
                .rules
                .iter()
                .filter(|(_, s)| s.is_none())
                .map(|(r, _)| *r)
                .collect(),
            severities: self.rules.iter().filter_map(|(r, s)| s.map(|s| (*r, s))).collect(),
            allow: self.allow.clone(),
            name_style: self.name_style.unwrap_or_default(),
        }
    }

    /// Whether a file at `path` is one these settings check.
    pub fn checks_path(&self, path: &Path) -> bool {
        let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
            return false;
        };
        match &self.extensions {
            Some(list) => list.iter().any(|e| e.eq_ignore_ascii_case(extension)),
            None => DEFAULT_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(extension)),
        }
    }
}

/// A rule level as written in settings: a severity, or `off`.
pub fn parse_level(level: &str) -> Option<Option<Severity>> {
    if level.eq_ignore_ascii_case("off") {
        Some(None)
    } else {
        Severity::parse(level).map(Some)
    }
}

/// What went wrong with one rule setting, in words for the person who wrote it.
pub fn rule_setting_problem(code: &str, level: &str) -> Option<String> {
    if Rule::from_code(code).is_none() {
        let known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        return Some(format!(
            "names `{code}`, which is not a scrubs rule. Known rules: {}.",
            known.join(", ")
        ));
    }
    parse_level(level)
        .is_none()
        .then(|| format!("sets `{code}` to `{level}`; use error, warning, info, hint or off."))
}

/// Cleans a list of file extensions as written (`.md`, ` MD `) to `md`.
pub fn clean_extensions(list: impl IntoIterator<Item = String>) -> Vec<String> {
    list.into_iter()
        .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFix {
    names: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    #[serde(default)]
    words: Vec<String>,
}

/// A configuration problem, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Turns the text of a `scrubs.toml` into settings.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let error = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    // The line a key is written on, for problems found after parsing.
    let line_of = |needle: &str| text.find(needle).map(|at| text[..at].matches('\n').count() + 1);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        error(
            line,
            format!(
                "{}. scrubs is using its default settings until this is fixed.",
                e.message().trim_end_matches('.')
            ),
        )
    })?;
    let mut config = Config {
        allow: raw
            .allow
            .words
            .into_iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect(),
        extensions: raw.files.extensions.map(clean_extensions),
        ..Config::default()
    };
    if let Some(style) = raw.fix.names {
        config.name_style = Some(NameStyle::parse(&style).ok_or_else(|| {
            error(
                line_of("names"),
                format!(
                    "[fix] sets names to `{style}`; use placeholder, patient, initials or pseudonym. scrubs is using its default settings until this is fixed."
                ),
            )
        })?);
    }
    for (code, level) in raw.rules {
        if let Some(problem) = rule_setting_problem(&code, &level) {
            return Err(error(
                line_of(&code),
                format!("[rules] {problem} scrubs is using its default settings until this is fixed."),
            ));
        }
        if let (Some(rule), Some(level)) = (Rule::from_code(&code), parse_level(&level)) {
            config.rules.push((rule, level));
        }
    }
    Ok(config)
}

/// The nearest `scrubs.toml` in `dir` or a folder above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads and parses the configuration that applies to files in `dir`. `Ok(None)` when there is
/// none.
pub fn load_for(dir: &Path) -> Result<Option<(PathBuf, Config)>, ConfigError> {
    let Some(path) = find(dir) else { return Ok(None) };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        path: path.clone(),
        line: None,
        message: format!("could not be read ({e}); scrubs is using its default settings."),
    })?;
    parse(&path, &text).map(|options| Some((path, options)))
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where the `words = [...]` array of `[allow]` closes, and what comes last before the close.
fn words_array_close(text: &str, from: usize) -> Option<(usize, Option<char>)> {
    let mut last = None;
    let mut chars = text[from..].char_indices().map(|(i, c)| (from + i, c)).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ']' => return Some((i, last)),
            '#' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                let quote = c;
                while let Some((_, c)) = chars.next() {
                    if c == '\\' && quote == '"' {
                        chars.next();
                    } else if c == quote {
                        break;
                    }
                }
                last = Some(quote);
            }
            c if c.is_whitespace() => {}
            c => last = Some(c),
        }
    }
    None
}

/// The insertion that adds `word` to `[allow] words` in the configuration text `existing` (or a
/// new file when `None`): a byte offset and the text to insert there. `None` when the file is
/// written in a shape this can't edit safely; the result is checked by parsing it.
pub fn allow_word_insertion(existing: Option<&str>, word: &str) -> Option<(usize, String)> {
    let quoted = toml_string(word);
    let Some(text) = existing else {
        return Some((0, format!("[allow]\nwords = [{quoted}]\n")));
    };
    let header = text.match_indices("[allow]").find(|(i, _)| {
        let line_start = text[..*i].rfind('\n').map_or(0, |n| n + 1);
        text[line_start..*i].trim().is_empty()
    });
    let insertion = match header {
        None => {
            let newline = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            (text.len(), format!("{newline}\n[allow]\nwords = [{quoted}]\n"))
        }
        Some((at, _)) => {
            let body_start = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
            let body_end = text[body_start..]
                .match_indices('\n')
                .map(|(n, _)| body_start + n + 1)
                .find(|&line| text[line..].trim_start().starts_with('['))
                .unwrap_or(text.len());
            let words = text[body_start..body_end].match_indices("words").find(|(n, _)| {
                let line_start = text[..body_start + n].rfind('\n').map_or(0, |l| l + 1);
                text[line_start..body_start + n].trim().is_empty()
                    && text[body_start + n + 5..].trim_start().starts_with('=')
            });
            match words {
                None => (body_start, format!("words = [{quoted}]\n")),
                Some((n, _)) => {
                    let open = text[body_start + n..].find('[')? + body_start + n;
                    let (close, last) = words_array_close(text, open + 1)?;
                    let before_close = text[..close].trim_end().len();
                    match last {
                        None => (open + 1, quoted),
                        Some(',') => (before_close, format!(" {quoted}")),
                        Some(_) => (before_close, format!(", {quoted}")),
                    }
                }
            }
        }
    };
    let mut edited = text.to_string();
    edited.insert_str(insertion.0, &insertion.1);
    let config = parse(Path::new(FILE_NAME), &edited).ok()?;
    config.allow.iter().any(|w| w == word.trim()).then_some(insertion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_allow_words_and_rule_levels() {
        let options = parse(
            Path::new("scrubs.toml"),
            "[allow]\nwords = [\"Dr. Jane Doe\", \" Mercy Clinic \", \"\"]\n[rules]\n\"phi/url\" = \"warning\"\n\"phi/age\" = \"off\"\n",
        )
        .unwrap()
        .options();
        assert_eq!(options.allow, vec!["Dr. Jane Doe", "Mercy Clinic"]);
        assert_eq!(options.severities, vec![(Rule::Url, Severity::Warning)]);
        assert_eq!(options.disabled, vec![Rule::Age]);
        assert_eq!(options.name_style, NameStyle::Placeholder);
        let options = parse(Path::new("scrubs.toml"), "[fix]\nnames = \"patient\"\n")
            .unwrap()
            .options();
        assert_eq!(options.name_style, NameStyle::Patient);
        let err = parse(Path::new("scrubs.toml"), "[fix]\nnames = \"nicknames\"\n").unwrap_err();
        assert!(
            err.message.contains("placeholder, patient, initials or pseudonym"),
            "{err}"
        );
    }

    #[test]
    fn mistakes_are_explained_with_the_file_and_line() {
        let err = parse(Path::new("a/scrubs.toml"), "[allow]\nwords = [\"x\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().starts_with("a/scrubs.toml:2:"), "{err}");
        assert!(err.message.contains("default settings"));
        let err = parse(Path::new("scrubs.toml"), "[rules]\n\"phi/nope\" = \"error\"\n").unwrap_err();
        assert!(
            err.message.contains("not a scrubs rule") && err.message.contains("phi/date"),
            "{err}"
        );
        let err = parse(Path::new("scrubs.toml"), "[rules]\n\"phi/date\" = \"loud\"\n").unwrap_err();
        assert!(err.message.contains("error, warning, info, hint or off"));
        assert_eq!(err.line, Some(2));
        let err = parse(Path::new("scrubs.toml"), "[alow]\nwords = []\n").unwrap_err();
        assert!(err.message.contains("alow"), "{err}");
    }

    #[test]
    fn a_file_overrides_the_editor_and_allow_lists_combine() {
        let editor = Config {
            allow: vec!["Mercy Clinic".into()],
            rules: vec![(Rule::Age, None), (Rule::Url, Some(Severity::Info))],
            name_style: Some(NameStyle::Patient),
            extensions: None,
        };
        let file = parse(
            Path::new("scrubs.toml"),
            "[allow]\nwords = [\"Dr. Jane Doe\", \"Mercy Clinic\"]\n[rules]\n\"phi/age\" = \"warning\"\n[files]\nextensions = [\".MD\", \"tex\"]\n",
        )
        .unwrap();
        let merged = file.over(&editor);
        assert_eq!(merged.allow, vec!["Mercy Clinic", "Dr. Jane Doe"]);
        let options = merged.options();
        assert!(options.disabled.is_empty());
        assert_eq!(
            options.severities,
            vec![(Rule::Url, Severity::Info), (Rule::Age, Severity::Warning)]
        );
        assert_eq!(options.name_style, NameStyle::Patient);
        assert!(merged.checks_path(Path::new("notes/case.tex")));
        assert!(merged.checks_path(Path::new("case.md")));
        assert!(!merged.checks_path(Path::new("case.txt")));
        assert!(Config::default().checks_path(Path::new("case.txt")));
        assert!(!Config::default().checks_path(Path::new("Cargo.toml")));
    }

    #[test]
    fn finds_the_nearest_file_upwards() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("posts/2024");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(find(&nested), None);
        std::fs::write(dir.path().join(FILE_NAME), "[allow]\nwords = [\"Mercy Clinic\"]\n").unwrap();
        let (path, config) = load_for(&nested).unwrap().unwrap();
        assert_eq!(path, dir.path().join(FILE_NAME));
        assert_eq!(config.allow, vec!["Mercy Clinic"]);
    }

    fn with_word(existing: Option<&str>, word: &str) -> Option<String> {
        let (at, insert) = allow_word_insertion(existing, word)?;
        let mut text = existing.unwrap_or("").to_string();
        text.insert_str(at, &insert);
        Some(text)
    }

    #[test]
    fn adds_words_to_the_allow_list_keeping_the_file() {
        assert_eq!(
            with_word(None, "Dr. Jane Doe").unwrap(),
            "[allow]\nwords = [\"Dr. Jane Doe\"]\n"
        );
        assert_eq!(
            with_word(Some("[rules]\n\"phi/age\" = \"off\""), "Mercy").unwrap(),
            "[rules]\n\"phi/age\" = \"off\"\n\n[allow]\nwords = [\"Mercy\"]\n"
        );
        assert_eq!(
            with_word(Some("[allow]\n# who we are\n[rules]\n"), "Mercy").unwrap(),
            "[allow]\nwords = [\"Mercy\"]\n# who we are\n[rules]\n"
        );
        assert_eq!(
            with_word(Some("[allow]\nwords = []\n"), "Mercy").unwrap(),
            "[allow]\nwords = [\"Mercy\"]\n"
        );
        assert_eq!(
            with_word(Some("[allow]\nwords = [\"A]\", # note ]\n  \"B\",\n]\n"), "C \"D\"").unwrap(),
            "[allow]\nwords = [\"A]\", # note ]\n  \"B\", \"C \\\"D\\\"\"\n]\n"
        );
        assert_eq!(
            with_word(Some("[allow]\nwords = [\"A\"] # keep\n"), "B").unwrap(),
            "[allow]\nwords = [\"A\", \"B\"] # keep\n"
        );
        // A shape it can't edit safely is left alone.
        assert_eq!(with_word(Some("allow = { words = [\"A\"] }\n"), "B"), None);
    }
}
