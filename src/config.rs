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
//! ```
//!
//! The file is looked for in the folder of the document and each folder above it. A missing file
//! means defaults; an invalid one is reported once, clearly, and the defaults keep working.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::{NameStyle, Options, Rule, Severity};

pub const FILE_NAME: &str = "scrubs.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    allow: RawAllow,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    fix: RawFix,
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

/// Turns the text of a `scrubs.toml` into engine options.
pub fn parse(path: &Path, text: &str) -> Result<Options, ConfigError> {
    let error = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
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
    let mut options = Options {
        allow: raw
            .allow
            .words
            .into_iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect(),
        ..Options::default()
    };
    if let Some(style) = raw.fix.names {
        options.name_style = NameStyle::parse(&style).ok_or_else(|| {
            error(
                None,
                format!("[fix] sets names to `{style}`; use placeholder, patient, initials or pseudonym."),
            )
        })?;
    }
    for (code, level) in raw.rules {
        let Some(rule) = Rule::from_code(&code) else {
            let known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
            return Err(error(
                None,
                format!(
                    "[rules] names `{code}`, which is not a scrubs rule. Known rules: {}.",
                    known.join(", ")
                ),
            ));
        };
        if level.eq_ignore_ascii_case("off") {
            options.disabled.push(rule);
        } else if let Some(severity) = Severity::parse(&level) {
            options.severities.push((rule, severity));
        } else {
            return Err(error(
                None,
                format!("[rules] sets `{code}` to `{level}`; use error, warning, info, hint or off."),
            ));
        }
    }
    Ok(options)
}

/// The nearest `scrubs.toml` in `dir` or a folder above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads and parses the configuration that applies to files in `dir`. `Ok(None)` when there is
/// none.
pub fn load_for(dir: &Path) -> Result<Option<(PathBuf, Options)>, ConfigError> {
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
    let options = parse(Path::new(FILE_NAME), &edited).ok()?;
    options.allow.iter().any(|w| w == word.trim()).then_some(insertion)
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
        .unwrap();
        assert_eq!(options.allow, vec!["Dr. Jane Doe", "Mercy Clinic"]);
        assert_eq!(options.severities, vec![(Rule::Url, Severity::Warning)]);
        assert_eq!(options.disabled, vec![Rule::Age]);
        assert_eq!(options.name_style, NameStyle::Placeholder);
        let options = parse(Path::new("scrubs.toml"), "[fix]\nnames = \"patient\"\n").unwrap();
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
        let err = parse(Path::new("scrubs.toml"), "[alow]\nwords = []\n").unwrap_err();
        assert!(err.message.contains("alow"), "{err}");
    }

    #[test]
    fn finds_the_nearest_file_upwards() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("posts/2024");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(find(&nested), None);
        std::fs::write(dir.path().join(FILE_NAME), "[allow]\nwords = [\"Mercy Clinic\"]\n").unwrap();
        let (path, options) = load_for(&nested).unwrap().unwrap();
        assert_eq!(path, dir.path().join(FILE_NAME));
        assert_eq!(options.allow, vec!["Mercy Clinic"]);
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
