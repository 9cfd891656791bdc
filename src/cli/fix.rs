//! `scrubs fix PATH... [--write | --diff]`: applies every safe de-identifying fix.
//!
//! By default nothing is written: the changes are printed as a unified diff. `--write` replaces
//! each changed file atomically (a temporary file beside it, then a rename), keeping its
//! permissions; a file that can't be read, isn't UTF-8 or needs no change is never touched.
//!
//! Exit codes: 0 nothing left to fix, 1 changes shown (diff) or findings that need a person's
//! judgement remain, 2 a usage or file error.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{for_each_input, read_input, CliError, Input, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::engine::{fix_all, Checker, Edit, Format};

#[derive(Debug)]
pub struct FixArgs {
    pub paths: Vec<PathBuf>,
    pub write: bool,
    pub stdin_format: Format,
}

pub fn parse_args(args: &[String]) -> Result<FixArgs, CliError> {
    let mut fix = FixArgs {
        paths: Vec::new(),
        write: false,
        stdin_format: Format::Markdown,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--write" | "-w" => fix.write = true,
            "--diff" => fix.write = false,
            "--stdin-format" => {
                let v = inline
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| CliError("--stdin-format needs a value".to_string()))?;
                fix.stdin_format = Format::parse(&v)
                    .ok_or_else(|| CliError(format!("--stdin-format must be markdown or plaintext, not `{v}`")))?;
            }
            "-" => fix.paths.push(PathBuf::from("-")),
            f if f.starts_with('-') => return Err(CliError(format!("unknown option `{f}` for `scrubs fix`"))),
            path => fix.paths.push(PathBuf::from(path)),
        }
    }
    if fix.paths.is_empty() {
        return Err(CliError(
            "`scrubs fix` needs the files or folders to fix, for example `scrubs fix post.md`".to_string(),
        ));
    }
    Ok(fix)
}

/// What fixing one input came to.
struct Fixed {
    display: String,
    path: Option<PathBuf>,
    before: String,
    after: String,
    edits: Vec<Edit>,
    applied: usize,
    /// Findings still reported after the safe fixes: they need a person to decide.
    remaining: usize,
}

fn fix_one(checker: &Checker, display: &str, input: &Input) -> Result<Fixed, String> {
    let (before, format) = read_input(display, input)?;
    let outcome = fix_all(checker, &before, format);
    Ok(Fixed {
        display: display.to_string(),
        path: match input {
            Input::File(path) => Some(path.clone()),
            Input::Bytes(..) => None,
        },
        before,
        after: outcome.text,
        edits: outcome.edits,
        applied: outcome.applied,
        remaining: outcome.remaining.len(),
    })
}

pub fn run(args: &FixArgs) -> u8 {
    let mut had_error = false;
    let mut report_error = |message: String| {
        had_error = true;
        eprintln!("scrubs: error: {message}");
    };
    let results = for_each_input(
        &args.paths, args.stdin_format, None, "fixed", &mut report_error, fix_one,
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut changed, mut remaining) = (false, false);
    for result in results {
        let fixed = match result {
            Ok(fixed) => fixed,
            Err(message) => {
                report_error(message);
                continue;
            }
        };
        remaining |= fixed.remaining > 0;
        let differs = fixed.after != fixed.before;
        changed |= differs;
        let written = if args.write {
            match &fixed.path {
                Some(path) if differs => match write_atomically(path, &fixed.after) {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        report_error(format!(
                            "{}: could not be rewritten ({e}); the file was left as it was.",
                            fixed.display
                        ));
                        continue;
                    }
                },
                Some(_) => Ok(()),
                // Standard input: the fixed text goes to standard output.
                None => out.write_all(fixed.after.as_bytes()),
            }
        } else {
            out.write_all(unified_diff(&fixed.display, &fixed.before, &fixed.edits).as_bytes())
        };
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return if had_error { EXIT_ERROR } else { EXIT_FINDINGS };
            }
            report_error(format!("could not write the output: {e}"));
        }
        summarize(&fixed, args.write);
    }
    if out.flush().is_err() {
        had_error = true;
    }
    if had_error {
        EXIT_ERROR
    } else if remaining || (changed && !args.write) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// One line per file on standard error, so the diff on standard output stays a clean patch.
fn summarize(fixed: &Fixed, wrote: bool) {
    if fixed.applied == 0 && fixed.remaining == 0 {
        eprintln!("{}: nothing to fix.", fixed.display);
        return;
    }
    let verb = if wrote { "replaced" } else { "would replace" };
    let mut line = format!("{}: {verb} {} identifier(s)", fixed.display, fixed.applied);
    if fixed.remaining > 0 {
        line.push_str(&format!(
            "; {} finding(s) need your judgement (see `scrubs check {}`)",
            fixed.remaining, fixed.display
        ));
    }
    eprintln!("{line}.");
}

/// Replaces `path` with `contents` so that a crash leaves either the old or the new file: write
/// a temporary file in the same folder, flush it to disk, give it the old permissions, rename.
///
/// The temporary file is readable by its owner only until it gets the old permissions, so a
/// file kept private (0640, 0600) is never copied where others can read it. A run that is killed
/// (power cut, `kill -9`) leaves its temporary file, `.NAME.scrubs-PID-N.tmp`, beside the
/// original; the next run on the same file removes it once that process is gone.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    // Write through a symbolic link to its target rather than replacing the link.
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let permissions = std::fs::metadata(&target)?.permissions();
    remove_stale_temporaries(dir, &name);
    let mut attempt = 0u32;
    let (temp_path, mut temp) = loop {
        let candidate = dir.join(temporary_name(&name, std::process::id(), attempt));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&candidate) {
            Ok(file) => break (candidate, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        temp.write_all(contents.as_bytes())?;
        temp.sync_all()?;
        drop(temp);
        std::fs::set_permissions(&temp_path, permissions)?;
        std::fs::rename(&temp_path, &target)?;
        // Make the rename itself durable where the platform allows opening a folder.
        if let Ok(folder) = std::fs::File::open(dir) {
            let _ = folder.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp_path);
    }
    result
}

/// The temporary file `write_atomically` writes beside the file `name`.
fn temporary_name(name: &str, pid: u32, attempt: u32) -> String {
    format!(".{name}.scrubs-{pid}-{attempt}.tmp")
}

/// Removes the temporary files that earlier runs on the file `name` left in `dir` when they were
/// killed before renaming them: those named by `temporary_name` whose process no longer runs.
/// Only where `/proc` tells which processes run (Linux); elsewhere they stay, hidden and harmless.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.scrubs-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((Ok(pid), Ok(_attempt))) = rest.split_once('-').map(|(p, a)| (p.parse::<u32>(), a.parse::<u32>()))
        else {
            continue;
        };
        let running = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !running && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Lines of `text` with their endings, and the byte offset each starts at.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    lines
}

const CONTEXT: usize = 3;

/// A unified diff of the edits (sorted, non-overlapping) against `before`, labelled with `name`.
pub fn unified_diff(name: &str, before: &str, edits: &[Edit]) -> String {
    if edits.is_empty() {
        return String::new();
    }
    let lines = lines_with_offsets(before);
    let line_of = |offset: usize| lines.partition_point(|(start, _)| *start <= offset).saturating_sub(1);
    // Changed line ranges (inclusive), one per run of edits that share or touch lines.
    let mut changes: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for edit in edits {
        let first = line_of(edit.span.start);
        let last = line_of(edit.span.end.saturating_sub(1).max(edit.span.start));
        match changes.last_mut() {
            Some((_, end, group)) if first <= *end + 1 => {
                *end = (*end).max(last);
                group.push(edit);
            }
            _ => changes.push((first, last, vec![edit])),
        }
    }
    // Hunks: changes whose context would overlap are shown together.
    let mut hunks: Vec<Vec<(usize, usize, Vec<&Edit>)>> = Vec::new();
    for change in changes {
        match hunks.last_mut() {
            Some(hunk) if hunk.last().is_some_and(|(_, end, _)| change.0 <= end + 2 * CONTEXT + 1) => hunk.push(change),
            _ => hunks.push(vec![change]),
        }
    }
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    let mut shift: isize = 0;
    for hunk in hunks {
        let first = hunk[0].0.saturating_sub(CONTEXT);
        let last = hunk
            .last()
            .map_or(0, |(_, end, _)| (end + CONTEXT).min(lines.len() - 1));
        let mut body = String::new();
        let (mut old_count, mut new_count) = (0usize, 0usize);
        let mut line = first;
        for (start, end, group) in &hunk {
            for context in &lines[line..*start] {
                push_line(&mut body, ' ', context.1);
                old_count += 1;
                new_count += 1;
            }
            let from = lines[*start].0;
            let to = lines[*end].0 + lines[*end].1.len();
            let mut replaced = String::new();
            let mut at = from;
            for edit in group {
                replaced.push_str(&before[at..edit.span.start]);
                replaced.push_str(&edit.replacement);
                at = edit.span.end;
            }
            replaced.push_str(&before[at..to]);
            for old in &lines[*start..=*end] {
                push_line(&mut body, '-', old.1);
                old_count += 1;
            }
            for new in replaced.split_inclusive('\n') {
                push_line(&mut body, '+', new);
                new_count += 1;
            }
            line = end + 1;
        }
        if line <= last {
            for context in &lines[line..=last] {
                push_line(&mut body, ' ', context.1);
                old_count += 1;
                new_count += 1;
            }
        }
        let new_start = (first as isize + shift).max(0) as usize;
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            first + 1,
            old_count,
            new_start + 1,
            new_count
        ));
        out.push_str(&body);
        shift += new_count as isize - old_count as isize;
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: std::ops::Range<usize>, replacement: &str) -> Edit {
        Edit {
            span,
            replacement: replacement.to_string(),
        }
    }

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let before = "one\ntwo\nthree Maria\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\ntwelve Maria\n";
        let maria = before.find("Maria").unwrap();
        let second = before.rfind("Maria").unwrap();
        let diff = unified_diff(
            "post.md",
            before,
            &[edit(maria..maria + 5, "[Name A]"), edit(second..second + 5, "[Name A]")],
        );
        assert_eq!(
            diff,
            "--- a/post.md\n+++ b/post.md\n\
             @@ -1,6 +1,6 @@\n one\n two\n-three Maria\n+three [Name A]\n four\n five\n six\n\
             @@ -9,4 +9,4 @@\n nine\n ten\n eleven\n-twelve Maria\n+twelve [Name A]\n"
        );
    }

    #[test]
    fn diff_marks_a_missing_final_newline_and_merged_hunks() {
        let before = "a Maria\nb\nc Maria";
        let diff = unified_diff("x.txt", before, &[edit(2..7, "[Name A]"), edit(12..17, "[Name A]")]);
        assert_eq!(
            diff,
            "--- a/x.txt\n+++ b/x.txt\n@@ -1,3 +1,3 @@\n-a Maria\n+a [Name A]\n b\n-c Maria\n\\ No newline at end of file\n+c [Name A]\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn atomic_write_keeps_permissions_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("post.md");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomically(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("post.md")]);
    }
}
