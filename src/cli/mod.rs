//! The command line: `scrubs check`, `scrubs fix`, `scrubs eval`, `scrubs lsp`. A thin adapter over
//! the engine.
//!
//! Exit codes (documented in the README): 0 nothing found, 1 findings, 2 usage or I/O error.

mod eval;
mod fix;
mod human;
mod json;
mod sarif;
mod walk;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use crate::engine::{Checker, Finding, Format, NameStyle};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;
/// `scrubs lsp` ended by `exit` or a closed pipe without `shutdown` first (LSP 3.17).
pub const EXIT_LSP_WITHOUT_SHUTDOWN: u8 = 1;

const USAGE: &str = "\
scrubs — finds identifiable patient information and unprofessional language in clinical writing

Usage:
  scrubs check [OPTIONS] [PATH...]   Check files or folders (default: the current folder).
                                     Use - to read from standard input.
  scrubs fix [--write] PATH...       De-identify: apply every safe fix (names to [Name A],
                                     ages to ranges, dates to the year, numbers redacted).
                                     Prints a diff; --write changes the files (atomically).
                                     Use - to fix standard input (--write prints the result).
  scrubs eval CORPUS.jsonl           Measure recall and precision on an annotated corpus.
                                     --format json for a JSON report, --misses to list each
                                     missed identifier and false alarm with its context,
                                     --fix to also measure how much `scrubs fix` removes.
  scrubs rule [CODE]                 Explain a rule (what it flags, why, fixes); without a
                                     code, list the rules.
  scrubs lsp                         Start the language server for an editor (stdin/stdout).
  scrubs help                        Show this help.
  scrubs --version                   Show the version.

Options for check:
  --format human|json|sarif  How to print findings (default: human; sarif is SARIF 2.1.0
                             for code-scanning uploads).
  --stdin-format markdown|plaintext
                             How to read standard input (default: markdown).
  --color auto|always|never  Colour in human output (default: auto, only on a terminal).
  --jobs N                   Check at most N files at once (default: one per core).

Exit codes: 0 nothing found, 1 something found, 2 a usage or file error.
For fix: 0 nothing left to fix, 1 changes shown or findings that need your judgement remain.
Folders are searched for Markdown and text files (.md, .markdown, .txt), skipping what
.gitignore ignores.";

/// A problem running a command, shown once, in plain words.
#[derive(Debug)]
pub struct CliError(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Debug)]
pub struct CheckArgs {
    pub paths: Vec<PathBuf>,
    pub output: OutputFormat,
    pub stdin_format: Format,
    pub color: bool,
    /// How many files to check at once; `None`: one per core.
    pub jobs: Option<usize>,
}

/// Entry point for the binary; returns the process exit code.
pub fn main(args: Vec<String>) -> u8 {
    crate::log::init_from_env();
    // A panic's own message can quote the text it was looking at (a string-slicing panic shows
    // the string), and stderr is the editor's log: say where, never what.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(|| "an unknown place".to_string(), |l| l.to_string());
        eprintln!("scrubs: internal error at {place}. This is a bug in scrubs: please report it, without your text.");
    }));
    let mut args = args.into_iter().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    // `scrubs check --help` and the like: the usage, not an error.
    let asks_for_help = rest.iter().any(|a| a == "-h" || a == "--help");
    if asks_for_help && matches!(command.as_deref(), Some("check" | "fix" | "eval" | "rule" | "lsp")) {
        println!("{USAGE}");
        return EXIT_CLEAN;
    }
    match command.as_deref() {
        Some("check") => match parse_check_args(&rest) {
            Ok(check) => run_check(&check),
            Err(CliError(message)) => usage_error(&message),
        },
        Some("eval") => eval::run(&rest),
        Some("rule" | "explain") => explain(&rest),
        Some("fix") => match fix::parse_args(&rest) {
            Ok(args) => fix::run(&args),
            Err(CliError(message)) => usage_error(&message),
        },
        Some("lsp") | Some("server") | Some("--stdio") => {
            if let Some(unknown) = rest.iter().find(|a| a.as_str() != "--stdio") {
                return usage_error(&format!("`scrubs lsp` takes no argument `{unknown}`"));
            }
            match crate::lsp::run_stdio() {
                Ok(true) => EXIT_CLEAN,
                // LSP: an `exit` (or a closed pipe) without `shutdown` first ends with status 1.
                Ok(false) => EXIT_LSP_WITHOUT_SHUTDOWN,
                Err(error) => {
                    eprintln!("scrubs: error: could not start the language server: {error}");
                    EXIT_ERROR
                }
            }
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            EXIT_CLEAN
        }
        Some("--version" | "-V" | "version") => {
            println!("scrubs {}", env!("CARGO_PKG_VERSION"));
            EXIT_CLEAN
        }
        None => {
            eprintln!("{USAGE}");
            EXIT_ERROR
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
    }
}

/// `scrubs rule CODE`: the rule's page; `scrubs rule`: every rule with its summary.
fn explain(args: &[String]) -> u8 {
    use crate::engine::Rule;
    match args {
        [] => {
            for &rule in Rule::ALL {
                println!(
                    "{:20} {:8} {}",
                    rule.code(),
                    rule.default_severity().as_str(),
                    rule.summary()
                );
            }
            EXIT_CLEAN
        }
        [code] => match Rule::from_code(code.trim()) {
            Some(rule) => {
                print!("{}", crate::docs::page(rule));
                EXIT_CLEAN
            }
            None => usage_error(&format!("`{code}` is not a scrubs rule; `scrubs rule` lists them")),
        },
        _ => usage_error("`scrubs rule` takes one rule code, for example `scrubs rule phi/date`"),
    }
}

pub(crate) fn usage_error(message: &str) -> u8 {
    eprintln!("scrubs: error: {message}\nRun `scrubs help` to see the commands and options.");
    EXIT_ERROR
}

pub fn parse_check_args(args: &[String]) -> Result<CheckArgs, CliError> {
    let mut check = CheckArgs {
        paths: Vec::new(),
        output: OutputFormat::Human,
        stdin_format: Format::Markdown,
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        jobs: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline_value
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| CliError(format!("{name} needs a value")))
        };
        match flag {
            "--format" | "--output-format" => {
                check.output = match value("--format")?.as_str() {
                    "human" | "text" => OutputFormat::Human,
                    "json" => OutputFormat::Json,
                    "sarif" => OutputFormat::Sarif,
                    other => {
                        return Err(CliError(format!(
                            "--format must be human, json or sarif, not `{other}`"
                        )))
                    }
                }
            }
            "--stdin-format" => {
                let v = value("--stdin-format")?;
                check.stdin_format = Format::parse(&v)
                    .ok_or_else(|| CliError(format!("--stdin-format must be markdown or plaintext, not `{v}`")))?;
            }
            "--color" | "--colour" => {
                check.color = match value("--color")?.as_str() {
                    "always" => true,
                    "never" => false,
                    "auto" => check.color,
                    other => {
                        return Err(CliError(format!(
                            "--color must be auto, always or never, not `{other}`"
                        )))
                    }
                }
            }
            "--jobs" | "-j" => {
                let v = value("--jobs")?;
                check.jobs = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| CliError(format!("--jobs must be a whole number of 1 or more, not `{v}`")))?,
                );
            }
            "-" => check.paths.push(PathBuf::from("-")),
            f if f.starts_with('-') => return Err(CliError(format!("unknown option `{f}` for `scrubs check`"))),
            path => check.paths.push(PathBuf::from(path)),
        }
    }
    if check.paths.is_empty() {
        check.paths.push(PathBuf::from("."));
    }
    Ok(check)
}

/// A document read for checking, or the reason it could not be.
pub struct Checked {
    pub display: String,
    pub source: String,
    pub format: Format,
    pub findings: Vec<Finding>,
    /// How fixes replace names for this file (from its scrubs.toml).
    pub name_style: NameStyle,
}

/// Reads the inputs named on the command line (folders walked), finds each one's scrubs.toml,
/// and runs `work` on every input on all cores, in input order. Problems reading inputs or
/// configuration go to `report_error`; an input whose work did not finish is reported as `what`.
fn for_each_input<T: Send>(
    paths: &[PathBuf],
    stdin_format: Format,
    jobs: Option<usize>,
    what: &str,
    report_error: &mut impl FnMut(String),
    work: impl Fn(&Checker, &str, &Input) -> Result<T, String> + Sync,
) -> Vec<Result<T, String>> {
    let inputs = gather_inputs(paths, stdin_format, report_error);
    let (checkers, assignment, config_errors) = checkers_for(&inputs);
    for error in config_errors {
        report_error(error);
    }
    in_parallel(&inputs, jobs, |i, display, input| {
        work(&checkers[assignment.get(i).copied().unwrap_or(0)], display, input)
    })
    .into_iter()
    .map(|result| result.unwrap_or_else(|| Err(format!("internal error: a file was not {what}"))))
    .collect()
}

pub fn run_check(args: &CheckArgs) -> u8 {
    let mut had_error = false;
    let mut report_error = |message: String| {
        had_error = true;
        eprintln!("scrubs: error: {message}");
    };
    let results = for_each_input(
        &args.paths, args.stdin_format, args.jobs, "checked", &mut report_error, check_one,
    );
    let mut checked = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(doc) => checked.push(doc),
            Err(message) => report_error(message),
        }
    }

    let stdout = std::io::stdout();
    // A report can be tens of megabytes (`--format json` of a long document full of findings:
    // 28 MB for 1 MB): written 64 KB at a time, not in 6,500 writes of 8 KB.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match args.output {
        OutputFormat::Human => human::write(&mut out, &checked, args.color, had_error),
        OutputFormat::Json => json::write(&mut out, &checked),
        OutputFormat::Sarif => sarif::write(&mut out, &checked),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("scrubs: error: could not write the results: {e}");
            return EXIT_ERROR;
        }
    }
    let any_findings = checked.iter().any(|c| !c.findings.is_empty());
    if had_error {
        EXIT_ERROR
    } else if any_findings {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

enum Input {
    File(PathBuf),
    Bytes(Vec<u8>, Format),
}

/// One checker per `scrubs.toml` in use (index 0: the defaults), which checker each input uses,
/// and a message for each configuration file that could not be used.
fn checkers_for(inputs: &[(String, Input)]) -> (Vec<Checker>, Vec<usize>, Vec<String>) {
    let mut checkers = vec![Checker::default()];
    let mut by_config: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let assignment = inputs
        .iter()
        .map(|(_, input)| {
            let dir = match input {
                Input::File(path) => path
                    .parent()
                    .map(|p| {
                        if p.as_os_str().is_empty() {
                            cwd.clone()
                        } else {
                            cwd.join(p)
                        }
                    })
                    .unwrap_or_else(|| cwd.clone()),
                Input::Bytes(..) => cwd.clone(),
            };
            let Some(config_path) = crate::config::find(&dir) else {
                return 0;
            };
            if let Some(&index) = by_config.get(&config_path) {
                return index;
            }
            let index = match crate::config::load_for(&dir) {
                Ok(Some((_, config))) => {
                    checkers.push(Checker::new(config.options()));
                    checkers.len() - 1
                }
                Ok(None) => 0,
                Err(error) => {
                    errors.push(error.to_string());
                    0
                }
            };
            by_config.insert(config_path, index);
            index
        })
        .collect();
    (checkers, assignment, errors)
}

/// The files (and standard input) named on the command line, with folders walked.
fn gather_inputs(
    paths: &[PathBuf],
    stdin_format: Format,
    report_error: &mut impl FnMut(String),
) -> Vec<(String, Input)> {
    let mut inputs: Vec<(String, Input)> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => inputs.push(("<stdin>".to_string(), Input::Bytes(bytes, stdin_format))),
                Err(e) => report_error(format!("<stdin>: could not be read ({e}).")),
            }
            continue;
        }
        let (files, errors) = walk::files(path);
        errors.into_iter().for_each(&mut *report_error);
        if files.is_empty() && path.is_dir() {
            eprintln!(
                "scrubs: warning: {}: no Markdown or text files found in this folder.",
                path.display()
            );
        }
        for file in files {
            inputs.push((file.display().to_string(), Input::File(file)));
        }
    }
    inputs
}

/// Runs `work` on every input, on all cores (or `jobs` threads), keeping the input order.
fn in_parallel<T: Send>(
    inputs: &[(String, Input)],
    jobs: Option<usize>,
    work: impl Fn(usize, &str, &Input) -> T + Sync,
) -> Vec<Option<T>> {
    let threads = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(inputs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<T>>> = inputs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((display, input)) = inputs.get(i) else {
                    break;
                };
                let result = work(i, display, input);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    slots.into_iter().map(|slot| slot.into_inner().ok().flatten()).collect()
}

fn check_one(checker: &Checker, display: &str, input: &Input) -> Result<Checked, String> {
    let (source, format) = read_input(display, input)?;
    let findings = checker.check(&source, format);
    Ok(Checked {
        display: display.to_string(),
        source,
        format,
        findings,
        name_style: checker.options().name_style,
    })
}

/// The text of an input and how to read it, or a message saying why it can't be read.
fn read_input(display: &str, input: &Input) -> Result<(String, Format), String> {
    let (bytes, format) = match input {
        Input::Bytes(bytes, format) => (bytes.clone(), *format),
        Input::File(path) => (
            std::fs::read(path).map_err(|e| describe_read_error(display, &e))?,
            Format::from_path(path),
        ),
    };
    let source = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!(
            "{display}: is not UTF-8 text (the first unreadable byte is at offset {at}). \
             scrubs checks UTF-8 text files: open the file in your editor, save it with UTF-8 encoding, and run scrubs again."
        )
    })?;
    Ok((source, format))
}

fn describe_read_error(display: &str, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            format!("{display}: no such file or folder. Check the spelling of the path.")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("{display}: permission denied. Check that you are allowed to read this file.")
        }
        _ if std::path::Path::new(display).is_dir() => {
            format!("{display}: is a folder that could not be read ({error}).")
        }
        _ => format!("{display}: could not be read ({error})."),
    }
}
