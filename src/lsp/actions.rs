//! Code actions: the engine's fixes as LSP quick fixes, gender rewrites, "add to allow-list"
//! and "De-identify document" (`source.fixAll.scrubs`).

use std::collections::HashMap;
use std::ops::Range;

use serde_json::Value;
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic, TextEdit, Uri, WorkspaceEdit,
};

use super::{lsp_range, lsp_range_near, Analysis};
use crate::engine::{fix_all, Applicability, Category, Edit, Fix, GenderChange, Scope};
use crate::position::{LineIndex, Near, PositionEncoding};

/// The command "add to allow-list" runs: arguments are the document URI and the words.
pub const ALLOW_COMMAND: &str = "scrubs.allowWord";

/// The code action kind of "De-identify document".
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.scrubs")
}

/// Whether the client asked for actions of `kind` (`only` absent means all; a requested
/// `source` covers `source.fixAll.scrubs`).
fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let (k, kind) = (k.as_str(), kind.as_str());
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

pub fn text_edits(text: &str, index: &LineIndex, edits: &[Edit], encoding: PositionEncoding) -> Vec<TextEdit> {
    // Edits come in text order: "de-identify the whole document" may make a hundred thousand
    // of them in one long line.
    let mut near = Near::default();
    edits
        .iter()
        .map(|e| TextEdit {
            range: lsp_range_near(text, index, &e.span, encoding, &mut near),
            new_text: e.replacement.clone(),
        })
        .collect()
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// What the editor asked for.
pub struct Asked<'a> {
    /// The selection or cursor, as byte offsets.
    pub range: Range<usize>,
    /// The kinds of action wanted (`None`: all).
    pub only: Option<&'a [CodeActionKind]>,
    /// The editor's diagnostics there.
    pub diagnostics: &'a [Diagnostic],
    pub encoding: PositionEncoding,
    /// Asked on a cursor move ("automatic"), not by the user.
    pub automatic: bool,
    /// The editor resolves an action's edit when it is chosen (`codeAction/resolve`).
    pub resolves_edits: bool,
}

/// What a gender rewrite sent without its edit carries, to be resolved when chosen.
#[derive(serde::Serialize, serde::Deserialize)]
struct RewriteData {
    uri: String,
    rewrite: String,
}

/// The answer to a resolve request for an action scrubs did not make (or no longer knows).
pub const NOT_OURS: &str = "scrubs: this action is not one scrubs can complete; ask for the actions again.";

fn change_name(change: GenderChange) -> &'static str {
    match change {
        GenderChange::Swap => "swap",
        GenderChange::Neutral => "neutral",
    }
}

/// The document and the gender rewrite a resolve request names, when it is one scrubs sent.
pub fn rewrite_asked(action: &CodeAction) -> Option<(Uri, GenderChange)> {
    let data: RewriteData = serde_json::from_value(action.data.clone()?).ok()?;
    let change = [GenderChange::Swap, GenderChange::Neutral]
        .into_iter()
        .find(|c| change_name(*c) == data.rewrite)?;
    Some((data.uri.parse().ok()?, change))
}

/// `action` with the edit of the gender rewrite `change` of `uri` as analysed, or why it
/// cannot be made.
pub fn resolve_rewrite(
    mut action: CodeAction,
    uri: &Uri,
    change: GenderChange,
    analysis: &Analysis,
    encoding: PositionEncoding,
) -> Result<CodeAction, String> {
    let fix = analysis
        .fixer()
        .gender_rewrite(change)
        .ok_or("scrubs: the document has no gendered words left to rewrite.")?;
    let text: &str = &analysis.text;
    action.edit = Some(workspace_edit(
        uri,
        text_edits(text, analysis.lines(), &fix.edits, encoding),
    ));
    Ok(action)
}

/// Everything the editor may offer for `range` of the analysed document.
pub fn code_actions(uri: &Uri, analysis: &Analysis, asked: &Asked<'_>) -> Vec<CodeActionOrCommand> {
    let Asked {
        ref range,
        only,
        diagnostics,
        encoding,
        automatic,
        resolves_edits,
    } = *asked;
    let text: &str = &analysis.text;
    let index = analysis.lines();
    let fixer = analysis.fixer();
    let mut actions = Vec::new();
    let to_action = |fix: Fix, kind: CodeActionKind, diagnostic: Option<Diagnostic>, preferred: bool| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title: fix.title,
            kind: Some(kind),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit: Some(workspace_edit(uri, text_edits(text, index, &fix.edits, encoding))),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        })
    };
    if wanted(only, &CodeActionKind::QUICKFIX) {
        for (i, finding) in analysis.all().iter().enumerate() {
            if finding.span.start > range.end || range.start > finding.span.end {
                continue;
            }
            let finding_range = lsp_range(text, index, &finding.span, encoding);
            let code = finding.rule.code();
            // The editor's own diagnostic when it sent it, so it can tie the fix to it.
            let diagnostic = diagnostics
                .iter()
                .find(|d| {
                    d.range == finding_range && matches!(&d.code, Some(lsp::NumberOrString::String(c)) if c == code)
                })
                .cloned()
                .or_else(|| {
                    let style = super::Style {
                        encoding,
                        ..super::Style::default()
                    };
                    super::to_diagnostics_in(uri, text, index, std::slice::from_ref(finding), &style).pop()
                });
            for (k, fix) in fixer.fixes(i, Scope::Document).into_iter().enumerate() {
                let preferred = k == 0 && fix.applicability == Applicability::Safe;
                actions.push(to_action(fix, CodeActionKind::QUICKFIX, diagnostic.clone(), preferred));
            }
            if finding.rule.category() == Category::Phi {
                let words = text[finding.span.clone()].trim().to_string();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Allow these words everywhere (adds them to [allow] in scrubs.toml)".to_string(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostic.map(|d| vec![d]),
                    command: Some(Command {
                        title: "Add to the scrubs allow-list".to_string(),
                        command: ALLOW_COMMAND.to_string(),
                        arguments: Some(vec![Value::String(uri.as_str().to_string()), Value::String(words)]),
                    }),
                    ..CodeAction::default()
                }));
            }
        }
    }
    if wanted(only, &CodeActionKind::REFACTOR_REWRITE) {
        // Each rewrites the whole document: thousands of edits in a long one, sent on every
        // cursor move over a gendered word unless the editor asks for them when chosen.
        if resolves_edits {
            for (change, title) in fixer.gender_titles(range) {
                let data = RewriteData {
                    uri: uri.as_str().to_string(),
                    rewrite: change_name(change).to_string(),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::REFACTOR_REWRITE),
                    data: serde_json::to_value(data).ok(),
                    ..CodeAction::default()
                }));
            }
        } else {
            for (_, fix) in fixer.gender_fixes(range) {
                actions.push(to_action(fix.clone(), CodeActionKind::REFACTOR_REWRITE, None, false));
            }
        }
    }
    // De-identifying the whole document re-checks it; editors ask for actions on every cursor
    // move (trigger kind "automatic"), so it is worked out only when asked for.
    if wanted(only, &fix_all_kind()) && (only.is_some() || !automatic) {
        let fixed = fix_all(&analysis.checker, text, analysis.format);
        if !fixed.edits.is_empty() {
            let fix = Fix {
                title: format!(
                    "De-identify document ({} safe fix{})",
                    fixed.applied,
                    if fixed.applied == 1 { "" } else { "es" }
                ),
                edits: fixed.edits,
                applicability: Applicability::Safe,
            };
            actions.push(to_action(fix, fix_all_kind(), None, false));
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requested_kinds_cover_their_sub_kinds() {
        let source = [CodeActionKind::SOURCE];
        assert!(wanted(Some(&source), &fix_all_kind()));
        assert!(!wanted(Some(&source), &CodeActionKind::QUICKFIX));
        assert!(wanted(Some(&[CodeActionKind::SOURCE_FIX_ALL]), &fix_all_kind()));
        assert!(wanted(None, &CodeActionKind::QUICKFIX));
        assert!(!wanted(Some(&[CodeActionKind::new("sourcery")]), &fix_all_kind()));
    }
}
