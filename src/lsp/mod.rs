//! The language server: a thin adapter between the editor (LSP over stdio) and the engine.
//!
//! Invariants:
//! - every `didChange` is applied to the document store synchronously, before the handler first
//!   awaits, so edits are applied in the order the editor sent them even though the transport
//!   runs handlers concurrently;
//! - checking runs off the message loop (a checker task plus blocking threads), and diagnostics
//!   are published only for the version that is still current when the check ends;
//! - nothing logged contains document text.

mod actions;
mod diagnostics;
mod documents;
mod input;
mod output;
mod settings;

pub use diagnostics::{
    publish_notification, publish_params, pulled_report, to_diagnostics, to_diagnostics_in, unchanged_report,
    DocsLinks, PublishCache, Style,
};
pub use documents::{Change, ChangeError, ChangeReport, Document, DocumentStore};
pub use output::Body;
/// The URI type of the LSP types in use, for callers of [`publish_params`].
pub use tower_lsp_server::ls_types::Uri;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::{
    self as lsp, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, CodeActionResponse, Diagnostic,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, ExecuteCommandOptions, ExecuteCommandParams, InitializeParams, InitializeResult,
    InitializedParams, MessageType, NumberOrString, PositionEncodingKind, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::config::ConfigError;
use crate::engine::segment::Segment;
use crate::engine::{CheckCache, Checker, Finding, Findings, FixCache, FixContext, FixFacts, Format};
use crate::position::{LineCol, LineIndex, Near, PositionEncoding};
use crate::{log_debug, log_error, log_info, log_warn};

use self::settings::Settings;

/// How long to wait after a keystroke before checking, unless the editor's `debounceMs` or
/// `SCRUBS_DEBOUNCE_MS` says otherwise. Short: a re-check takes a few milliseconds, and waiting
/// lets a burst of keystrokes be checked once.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(30);

/// However fast the typing, a document is checked at least this often.
const MAX_DEBOUNCE_WAIT: Duration = Duration::from_millis(300);

/// One checked version of a document: what diagnostics, hovers and code actions come from.
pub struct Analysis {
    pub version: i32,
    pub text: Arc<str>,
    pub format: Format,
    /// As the cached check returns them: segment by segment, shared with the check cache.
    pub findings: Findings,
    /// The same findings in one list, made when first needed (code actions, hovers, pulled
    /// diagnostics), not on the way from a keystroke to its diagnostics.
    all: std::sync::OnceLock<Vec<Finding>>,
    /// The text's line starts, made when first needed (editors ask for code actions and hovers
    /// on every cursor move; a long document's lines are found once per version, not each time).
    lines: std::sync::OnceLock<LineIndex>,
    /// What the fixes read, made when code actions are first asked for, from the segments of
    /// the check (when this version was checked) and the document's segments prepared before.
    fix_facts: std::sync::OnceLock<FixFacts>,
    segments: Option<Vec<Segment>>,
    fix_cache: Arc<Mutex<FixCache>>,
    pub checker: Arc<Checker>,
    /// Tells analyses apart, as the `resultId` of pulled diagnostics.
    pub id: u64,
}

impl Analysis {
    /// Every finding, in order, in document offsets.
    pub fn all(&self) -> &[Finding] {
        self.all.get_or_init(|| self.findings.to_vec())
    }

    /// The line starts of the text.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The fixes of this version's findings.
    pub fn fixer(&self) -> FixContext<'_> {
        let facts = self.fix_facts.get_or_init(|| match &self.segments {
            Some(segments) => {
                let mut cache = lock(&self.fix_cache);
                FixFacts::assembled(&self.text, self.format, self.all(), segments, &mut cache)
            }
            None => FixFacts::new(&self.text, self.format, self.all()),
        });
        FixContext::with_facts(
            &self.text,
            self.format,
            self.all(),
            self.checker.options().name_style,
            facts,
        )
    }
}

/// What is kept per open document between checks. Checks of one document take turns (its
/// lock is held across the check), so the cache is always that of the latest check.
#[derive(Default)]
struct DocState {
    cache: CheckCache,
    analysis: Option<Arc<Analysis>>,
    /// The segments prepared for the fixes of an earlier version, shared by its analyses.
    fix_cache: Arc<Mutex<FixCache>>,
}

/// What the client told us about itself at initialize.
#[derive(Default)]
struct ClientInfo {
    /// Workspace folders, for finding a scrubs.toml for unsaved documents and for creating one.
    roots: Vec<PathBuf>,
    /// Whether a workspace edit may create a file (a new scrubs.toml).
    can_create_files: bool,
    /// The client asks for diagnostics (`textDocument/diagnostic`) instead of being sent them.
    pull_diagnostics: bool,
    /// The client can be asked to pull diagnostics again (`workspace/diagnostic/refresh`).
    diagnostic_refresh: bool,
    /// The client answers `workspace/configuration`.
    configuration: bool,
    /// The client can watch files for us (`workspace/didChangeWatchedFiles`, registered).
    watch_files: bool,
    /// The client asks for a code action's edit when the user chooses it (`codeAction/resolve`),
    /// sending back the action's `data`.
    resolves_edits: bool,
}

/// State shared by the handlers and the checker task.
struct Shared {
    documents: Mutex<DocumentStore>,
    encoding: Mutex<PositionEncoding>,
    settings: Mutex<Settings>,
    states: Mutex<HashMap<String, Arc<tokio::sync::Mutex<DocState>>>>,
    client_info: Mutex<ClientInfo>,
    /// How diagnostics are written for this client.
    style: Mutex<Style>,
    /// The debounce in effect, and whether `SCRUBS_DEBOUNCE_MS` fixed it.
    debounce: Mutex<(Duration, bool)>,
    /// Configuration files with a problem shown as a diagnostic on them.
    config_problems: Mutex<HashSet<PathBuf>>,
    next_analysis: AtomicU64,
    /// One permit per core: checks of different documents run at most this many at a time.
    /// More would not finish sooner (a check keeps a core busy), and each check running at the
    /// same time as others keeps its own automata caches: ten documents opened at once could
    /// take ten sets of them.
    checking: tokio::sync::Semaphore,
    /// Whether `shutdown` came before the end: the exit status says so (LSP: 0, else 1).
    shutdown_requested: Arc<std::sync::atomic::AtomicBool>,
    /// Bytes of closed documents not yet given back to the system.
    freed: AtomicU64,
    /// The diagnostics last published for the document being edited, by URI, to be reused for
    /// its next publish (one document's only: they take about as much memory as its text).
    published: Mutex<Option<(String, PublishCache)>>,
}

/// Locks a mutex, reusing it if a panicking thread poisoned it: every value behind these locks
/// is replaced whole, never left half-updated by our code.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Locks the store. A handler that panicked while holding the lock cannot leave the rope
    /// half-edited (rope edits are not interrupted by our code), so a poisoned lock is reused.
    fn documents(&self) -> MutexGuard<'_, DocumentStore> {
        lock(&self.documents)
    }

    fn encoding(&self) -> PositionEncoding {
        *lock(&self.encoding)
    }

    fn debounce(&self) -> Duration {
        lock(&self.debounce).0
    }

    fn pull(&self) -> bool {
        lock(&self.client_info).pull_diagnostics
    }

    /// The settings for a document.
    fn resolve(&self, uri: &Uri) -> settings::Resolved {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let roots = lock(&self.client_info).roots.clone();
        lock(&self.settings).resolve(path.as_deref(), &roots)
    }

    fn state(&self, uri: &Uri) -> Arc<tokio::sync::Mutex<DocState>> {
        Arc::clone(lock(&self.states).entry(uri.as_str().to_string()).or_default())
    }
}

#[derive(Clone)]
pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
    check_queue: mpsc::UnboundedSender<Uri>,
    /// Where messages written as JSON text go (pulled reports, published diagnostics).
    output: Output,
}

use self::output::{error_response, Output};

impl Backend {
    /// `debounce` is `SCRUBS_DEBOUNCE_MS` when set: it then wins over the editor's setting.
    fn new(
        client: Client,
        debounce: Option<Duration>,
        output: Output,
        shutdown_requested: Arc<std::sync::atomic::AtomicBool>,
    ) -> Backend {
        let shared = Arc::new(Shared {
            documents: Mutex::new(DocumentStore::default()),
            encoding: Mutex::new(PositionEncoding::Utf16),
            settings: Mutex::new(Settings::default()),
            states: Mutex::new(HashMap::new()),
            client_info: Mutex::new(ClientInfo::default()),
            style: Mutex::new(Style::default()),
            debounce: Mutex::new((debounce.unwrap_or(DEFAULT_DEBOUNCE), debounce.is_some())),
            config_problems: Mutex::new(HashSet::new()),
            next_analysis: AtomicU64::new(1),
            checking: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())),
            shutdown_requested,
            freed: AtomicU64::new(0),
            published: Mutex::new(None),
        });
        let (check_queue, requests) = mpsc::unbounded_channel();
        tokio::spawn(check_loop(
            requests,
            client.clone(),
            Arc::clone(&shared),
            output.clone(),
        ));
        Backend {
            client,
            shared,
            check_queue,
            output,
        }
    }

    /// Answers a `textDocument/diagnostic` request, which the input guard passes on as a
    /// notification carrying its id and parameters ([`input::PULL_DIAGNOSTICS`]), with the
    /// report written as JSON text from the diagnostics kept for the document.
    async fn pull_diagnostics(&self, request: serde_json::Value) {
        let id = request
            .get("id")
            .map_or_else(|| "null".to_string(), |id| id.to_string());
        let params = request
            .get("params")
            .and_then(|p| serde_json::from_value::<lsp::DocumentDiagnosticParams>(p.clone()).ok());
        let Some(params) = params else {
            log_warn!("answered a request for diagnostics it could not read with error -32602");
            self.output.send_body(error_response(
                &id,
                -32602,
                "the parameters are not those of textDocument/diagnostic",
            ));
            return;
        };
        let uri = params.text_document.uri;
        let previous = params.previous_result_id;
        let (on_thread, target, answer_id) = (Arc::clone(&self.shared), uri.clone(), id.clone());
        let done = analyze_then(&self.shared, &self.client, &uri, move |analysis| {
            pulled(&on_thread, &target, analysis, &answer_id, previous.as_deref())
        })
        .await;
        let body = match done {
            Some((_, body)) => body,
            // The check or the writing failed (and was logged).
            None if self.shared.documents().get(uri.as_str()).is_some() => error_response(
                &id,
                -32603,
                "scrubs could not check this document; its log says why. Edit it or reopen it to try again.",
            )
            .into(),
            // Not open: nothing to report.
            None => format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{{"kind":"full","items":[]}}}}"#).into(),
        };
        self.output.send_body(body);
    }

    /// Checks a document soon and publishes its diagnostics, unless the client pulls them.
    fn schedule_check(&self, uri: Uri) {
        if self.shared.pull() {
            return;
        }
        if self.check_queue.send(uri).is_err() {
            log_error!("the checker task has stopped; diagnostics will no longer update");
        }
    }

    /// Re-checks every open document (after a settings change).
    async fn recheck_all(&self) {
        let (pull, refresh) = {
            let info = lock(&self.shared.client_info);
            (info.pull_diagnostics, info.diagnostic_refresh)
        };
        if pull {
            if refresh {
                if let Err(error) = self.client.workspace_diagnostic_refresh().await {
                    log_warn!("the editor did not take the request to refresh diagnostics: {error}");
                }
            }
            return;
        }
        let uris: Vec<String> = self.shared.documents().uris().map(str::to_string).collect();
        for uri in uris {
            if let Ok(uri) = uri.parse::<Uri>() {
                self.schedule_check(uri);
            }
        }
    }

    /// The analysis of the document's current version, checking it now if the last check is
    /// out of date.
    async fn current_analysis(&self, uri: &Uri) -> Option<Arc<Analysis>> {
        analyze(&self.shared, &self.client, uri).await
    }

    /// Takes the editor's `scrubs` settings.
    async fn apply_editor_settings(&self, value: &serde_json::Value) {
        let read = settings::from_editor(value);
        if !read.problems.is_empty() {
            log_warn!("{} editor setting(s) could not be used", read.problems.len());
            let message = format!(
                "scrubs: some of your editor settings were not used: {}. The other settings apply.",
                read.problems.join("; ")
            );
            self.client.show_message(MessageType::WARNING, message).await;
        }
        {
            let mut debounce = lock(&self.shared.debounce);
            if !debounce.1 {
                debounce.0 = read.debounce_ms.map_or(DEFAULT_DEBOUNCE, Duration::from_millis);
            }
        }
        lock(&self.shared.settings).set_editor(read.config);
        log_info!("editor settings applied");
    }

    /// Asks the editor for the `scrubs` settings section, if it answers such requests.
    async fn fetch_editor_settings(&self) -> bool {
        if !lock(&self.shared.client_info).configuration {
            return false;
        }
        let item = lsp::ConfigurationItem {
            scope_uri: None,
            section: Some("scrubs".to_string()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(values) => {
                let value = values.into_iter().next().unwrap_or_default();
                self.apply_editor_settings(&value).await;
                true
            }
            Err(error) => {
                log_warn!("the editor did not send its settings: {error}");
                false
            }
        }
    }

    /// Adds `words` to the allow-list in the scrubs.toml that applies to `uri`, through an edit
    /// the editor applies (creating the file if there is none and the editor can).
    async fn allow_words(&self, uri: &Uri, words: &str) {
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
            self.client
                .show_message(
                    MessageType::WARNING,
                    "scrubs: save the document first; the allow-list lives in a scrubs.toml beside it.",
                )
                .await;
            return;
        };
        let (roots, can_create) = {
            let info = lock(&self.shared.client_info);
            (info.roots.clone(), info.can_create_files)
        };
        let config_path = Settings::config_path(Some(&path), &roots).unwrap_or_else(|| {
            let root = roots.iter().find(|r| path.starts_with(r));
            root.map_or_else(
                || path.with_file_name(crate::config::FILE_NAME),
                |r| r.join(crate::config::FILE_NAME),
            )
        });
        let Some(config_uri) = Uri::from_file_path(&config_path) else {
            return;
        };
        let open_text = self
            .shared
            .documents()
            .get(config_uri.as_str())
            .map(|d| d.rope.to_string());
        let existing = match open_text {
            Some(text) => Some(text),
            None => match std::fs::read_to_string(&config_path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    let message = format!(
                        "scrubs: could not read {} ({e}); the allow-list was not changed.",
                        config_path.display()
                    );
                    self.client.show_message(MessageType::ERROR, message).await;
                    return;
                }
            },
        };
        let Some((at, insert)) = crate::config::allow_word_insertion(existing.as_deref(), words) else {
            let message = format!(
                "scrubs: could not add the words to {} automatically. Add them under [allow] words = [...] yourself.",
                config_path.display()
            );
            self.client.show_message(MessageType::WARNING, message).await;
            return;
        };
        let encoding = self.shared.encoding();
        let edit = match &existing {
            Some(text) => {
                let index = LineIndex::new(text);
                let edits = actions::text_edits(
                    text,
                    &index,
                    &[crate::engine::Edit {
                        span: at..at,
                        replacement: insert,
                    }],
                    encoding,
                );
                lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(config_uri.clone(), edits)])),
                    ..lsp::WorkspaceEdit::default()
                }
            }
            None if can_create => lsp::WorkspaceEdit {
                document_changes: Some(lsp::DocumentChanges::Operations(vec![
                    lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(lsp::CreateFile {
                        uri: config_uri.clone(),
                        options: Some(lsp::CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    })),
                    lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                        text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                            uri: config_uri.clone(),
                            version: None,
                        },
                        edits: vec![lsp::OneOf::Left(lsp::TextEdit {
                            range: lsp::Range::default(),
                            new_text: insert,
                        })],
                    }),
                ])),
                ..lsp::WorkspaceEdit::default()
            },
            None => {
                let message = format!(
                    "scrubs: there is no scrubs.toml yet. Create {} containing:\n[allow]\nwords = [\"...\"]",
                    config_path.display()
                );
                self.client.show_message(MessageType::INFO, message).await;
                return;
            }
        };
        match self.client.apply_edit(edit).await {
            Ok(response) if response.applied => {
                lock(&self.shared.settings).allow_in_session(&config_path, words);
                log_info!("added an entry to the allow-list in a scrubs.toml");
                self.recheck_all().await;
            }
            Ok(response) => {
                let reason = response
                    .failure_reason
                    .unwrap_or_else(|| "the editor declined the edit".to_string());
                log_warn!("the allow-list edit was not applied: {reason}");
            }
            Err(error) => log_error!("the allow-list edit failed: {error}"),
        }
    }
}

/// Picks UTF-8 when the client offers it (no conversion needed), else the mandatory UTF-16.
pub fn negotiate_encoding(params: &InitializeParams) -> PositionEncoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let encoding = negotiate_encoding(&params);
        *lock(&self.shared.encoding) = encoding;
        log_info!("initialize: position encoding {}", encoding.as_str());
        let docs_url = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("docsUrl"))
            .and_then(|v| v.as_str());
        let published = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.publish_diagnostics.as_ref());
        let pulled = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref());
        // Links to rule pages and the details of a combination go only to clients that show
        // them (either way of receiving diagnostics says so).
        let links = published.and_then(|p| p.code_description_support).unwrap_or(false)
            || pulled.and_then(|p| p.code_description_support).unwrap_or(false);
        let related = published.and_then(|p| p.related_information).unwrap_or(false)
            || pulled.and_then(|p| p.related_information).unwrap_or(false);
        *lock(&self.shared.style) = Style {
            encoding,
            docs: if links {
                DocsLinks::new(docs_url)
            } else {
                DocsLinks::default()
            },
            related,
        };
        {
            let mut info = lock(&self.shared.client_info);
            #[allow(deprecated)]
            let root_uri = params.root_uri.clone();
            info.roots = params
                .workspace_folders
                .iter()
                .flatten()
                .map(|f| f.uri.clone())
                .chain(root_uri)
                .filter_map(|uri| uri.to_file_path().map(|p| p.into_owned()))
                .collect();
            let workspace_edit = params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.workspace_edit.as_ref());
            info.can_create_files = workspace_edit.is_some_and(|w| {
                w.document_changes == Some(true)
                    && w.resource_operations
                        .as_ref()
                        .is_some_and(|ops| ops.contains(&lsp::ResourceOperationKind::Create))
            });
            let workspace = params.capabilities.workspace.as_ref();
            let text_document = params.capabilities.text_document.as_ref();
            info.pull_diagnostics = text_document.is_some_and(|t| t.diagnostic.is_some());
            info.diagnostic_refresh = workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
            info.configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
            // Resolving needs the action's `data` back as it was sent.
            let code_action = text_document.and_then(|t| t.code_action.as_ref());
            info.resolves_edits = code_action.is_some_and(|c| {
                c.data_support == Some(true)
                    && c.resolve_support
                        .as_ref()
                        .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
            });
            info.watch_files = workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            log_info!(
                "initialize: diagnostics {}, settings {}",
                if info.pull_diagnostics {
                    "pulled by the editor"
                } else {
                    "pushed"
                },
                if info.configuration {
                    "asked of the editor"
                } else {
                    "from initializationOptions"
                }
            );
        }
        // Editors without workspace/configuration (Helix, Zed, eglot, Sublime) can pass the same
        // settings as initialization options.
        if let Some(options) = params.initialization_options.as_ref().filter(|o| o.is_object()) {
            let settings = options.get("settings").and_then(|s| s.get("scrubs")).unwrap_or(options);
            self.apply_editor_settings(settings).await;
        }
        let pull = self.shared.pull();
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::REFACTOR_REWRITE,
                        actions::fix_all_kind(),
                    ]),
                    resolve_provider: Some(true),
                    ..CodeActionOptions::default()
                })),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                diagnostic_provider: pull.then(|| {
                    lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                        identifier: Some("scrubs".to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..lsp::DiagnosticOptions::default()
                    })
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![actions::ALLOW_COMMAND.to_string()],
                    ..ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "scrubs".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        log_info!("initialized");
        let watch = lock(&self.shared.client_info).watch_files;
        let backend = self.clone();
        // Not awaited here: the editor answers these while it goes on sending us documents.
        tokio::spawn(async move {
            if watch {
                let options = lsp::DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![lsp::FileSystemWatcher {
                        glob_pattern: lsp::GlobPattern::String(format!("**/{}", crate::config::FILE_NAME)),
                        kind: None,
                    }],
                };
                let registration = lsp::Registration {
                    id: "scrubs-config-watcher".to_string(),
                    method: "workspace/didChangeWatchedFiles".to_string(),
                    register_options: serde_json::to_value(options).ok(),
                };
                if let Err(error) = backend.client.register_capability(vec![registration]).await {
                    log_warn!("the editor cannot watch scrubs.toml for changes ({error}); save it to apply changes");
                }
            }
            if backend.fetch_editor_settings().await {
                backend.recheck_all().await;
            }
        });
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let backend = self.clone();
        tokio::spawn(async move {
            // Clients that push settings send them here; others are asked.
            let pushed = params.settings.get("scrubs").filter(|s| s.is_object());
            match pushed {
                Some(settings) => backend.apply_editor_settings(settings).await,
                None => {
                    backend.fetch_editor_settings().await;
                }
            }
            backend.recheck_all().await;
        });
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let config_changed = params
            .changes
            .iter()
            .any(|c| c.uri.as_str().ends_with(crate::config::FILE_NAME));
        if config_changed {
            log_info!("a scrubs.toml changed on disk; checking again");
            self.recheck_all().await;
        }
    }

    async fn shutdown(&self) -> RpcResult<()> {
        log_info!("shutdown requested");
        self.shared.shutdown_requested.store(true, Ordering::Relaxed);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let format = Format::from_language_id(&doc.language_id);
        self.shared
            .documents()
            .open(doc.uri.as_str(), &doc.text, doc.version, format);
        log_debug!(
            "opened a {} document, version {}, {} bytes",
            format.as_str(),
            doc.version,
            doc.text.len()
        );
        self.schedule_check(doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let changes: Vec<Change<'_>> = params
            .content_changes
            .iter()
            .map(|c| Change {
                range: c.range.map(|r| (line_col(r.start), line_col(r.end))),
                text: &c.text,
            })
            .collect();
        let encoding = self.shared.encoding();
        let result = self
            .shared
            .documents()
            .change(uri.as_str(), version, &changes, encoding);
        match result {
            Ok(report) => {
                if report.clamped > 0 {
                    log_warn!(
                        "version {version}: {} edit(s) had positions outside the document and were clamped to it",
                        report.clamped
                    );
                }
                if report.version_went_back {
                    log_warn!("version {version} is not newer than the previous one; applied anyway");
                }
                self.schedule_check(uri);
            }
            Err(ChangeError::UnknownDocument) => {
                log_warn!("ignored a change to a document that was never opened (version {version})");
            }
            Err(error) => {
                log_error!("rejected an edit at version {version}: {error}; close and reopen the document to resync");
                self.schedule_check(uri);
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if params.text_document.uri.as_str().ends_with(crate::config::FILE_NAME) {
            // Settings changed: every open document may read differently now.
            self.recheck_all().await;
        } else {
            self.schedule_check(params.text_document.uri);
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.current_analysis(&uri).await else {
            return Ok(None);
        };
        let encoding = self.shared.encoding();
        let index = analysis.lines();
        let (start, _) = index.offset(&analysis.text, line_col(params.range.start), encoding);
        let (end, _) = index.offset(&analysis.text, line_col(params.range.end), encoding);
        let range = start.min(end)..start.max(end);
        let only = params.context.only.clone();
        let diagnostics = params.context.diagnostics.clone();
        let automatic = params.context.trigger_kind == Some(lsp::CodeActionTriggerKind::AUTOMATIC);
        let resolves_edits = lock(&self.shared.client_info).resolves_edits;
        let actions = tokio::task::spawn_blocking(move || {
            let asked = actions::Asked {
                range,
                only: only.as_deref(),
                diagnostics: &diagnostics,
                encoding,
                automatic,
                resolves_edits,
            };
            actions::code_actions(&uri, &analysis, &asked)
        })
        .await
        .unwrap_or_default();
        Ok(Some(actions))
    }

    async fn code_action_resolve(&self, action: lsp::CodeAction) -> RpcResult<lsp::CodeAction> {
        let failed = |message: String| tower_lsp_server::jsonrpc::Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
            message: message.into(),
            data: None,
        };
        // Only the gender rewrites are sent without their edit; the rest already have theirs.
        if action.edit.is_some() || action.data.is_none() {
            return Ok(action);
        }
        let Some((uri, change)) = actions::rewrite_asked(&action) else {
            return Err(failed(actions::NOT_OURS.to_string()));
        };
        let Some(analysis) = self.current_analysis(&uri).await else {
            return Err(failed(
                "scrubs: the document is no longer open; open it and ask for the action again.".to_string(),
            ));
        };
        let encoding = self.shared.encoding();
        tokio::task::spawn_blocking(move || actions::resolve_rewrite(action, &uri, change, &analysis, encoding))
            .await
            .unwrap_or_else(|_| Err("scrubs: the rewrite could not be made; ask for the action again.".to_string()))
            .map_err(failed)
    }

    async fn hover(&self, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let position = params.text_document_position_params.position;
        let Some(analysis) = self.current_analysis(&uri).await else {
            return Ok(None);
        };
        let encoding = self.shared.encoding();
        let index = analysis.lines();
        let (at, _) = index.offset(&analysis.text, line_col(position), encoding);
        let Some(finding) = analysis.all().iter().find(|f| f.span.start <= at && at <= f.span.end) else {
            return Ok(None);
        };
        Ok(Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: format!("{}\n\n---\n\n{}", finding.message, crate::docs::summary(finding.rule)),
            }),
            range: Some(lsp_range(&analysis.text, index, &finding.span, encoding)),
        }))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> RpcResult<Option<serde_json::Value>> {
        if params.command != actions::ALLOW_COMMAND {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "scrubs has no command `{}`",
                params.command
            )));
        }
        let (Some(uri), Some(words)) = (
            params
                .arguments
                .first()
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse::<Uri>().ok()),
            params.arguments.get(1).and_then(|v| v.as_str()),
        ) else {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(
                "scrubs.allowWord takes the document URI and the words to allow",
            ));
        };
        self.allow_words(&uri, words).await;
        Ok(None)
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (size, none_left) = {
            let mut documents = self.shared.documents();
            let size = documents.get(uri.as_str()).map(|d| d.rope.len_bytes());
            documents.close(uri.as_str());
            (size, documents.is_empty())
        };
        let Some(size) = size else {
            log_warn!("closed a document that was not open");
            return;
        };
        lock(&self.shared.states).remove(uri.as_str());
        {
            let mut published = lock(&self.shared.published);
            if published.as_ref().is_some_and(|(u, _)| u == uri.as_str()) {
                *published = None;
            }
        }
        // Editor sessions last hours: give what closed documents took back to the system, once
        // a few megabytes are free or nothing is open.
        let freed = self.shared.freed.fetch_add(size as u64, Ordering::Relaxed) + size as u64;
        if none_left || freed >= 4 << 20 {
            self.shared.freed.store(0, Ordering::Relaxed);
            tokio::task::spawn_blocking(give_back_memory);
        }
        if !self.shared.pull() {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
}

/// Returns memory the allocator holds but no longer uses to the system. glibc keeps freed
/// memory for reuse (resident memory would stay at its peak after closing documents);
/// `malloc_trim` hands back what it can.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_back_memory() {
    extern "C" {
        fn malloc_trim(pad: usize) -> std::os::raw::c_int;
    }
    // SAFETY: malloc_trim takes no pointers and only releases free memory; glibc makes it safe
    // to call from any thread at any time.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back_memory() {}

/// Caps glibc's allocator at one arena per core. By default it makes up to eight per core, one
/// for each thread that allocates while the others hold theirs, and each arena keeps the memory
/// freed in it: with ten open 1 MB documents the server's resident memory varied from 115 to 145
/// MB with how the checks happened to overlap; capped, 106 to 111 MB (`cargo bench --bench lsp`).
/// Called before any other thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fewer_allocator_arenas() {
    extern "C" {
        fn mallopt(param: std::os::raw::c_int, value: std::os::raw::c_int) -> std::os::raw::c_int;
    }
    const M_ARENA_MAX: std::os::raw::c_int = -8;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cores = std::os::raw::c_int::try_from(cores).unwrap_or(std::os::raw::c_int::MAX);
    // SAFETY: mallopt takes two ints, touches no memory of ours and only changes a setting of
    // the allocator; an unknown setting or value is refused with 0, which changes nothing.
    unsafe {
        mallopt(M_ARENA_MAX, cores);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fewer_allocator_arenas() {}

/// Standard output without the standard library's line buffering, which would search every
/// message (megabytes of diagnostics) for a line end before writing it. Messages are written
/// whole, so no buffer is needed.
#[cfg(unix)]
fn raw_stdout() -> Box<dyn std::io::Write + Send> {
    use std::os::fd::AsFd;
    match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(std::io::stdout()),
    }
}

#[cfg(not(unix))]
fn raw_stdout() -> Box<dyn std::io::Write + Send> {
    Box::new(std::io::stdout())
}

/// Asks for a larger pipe on standard output when it is one (Linux: 64 KB by default, and a
/// long document's diagnostics are megabytes, so the editor and the server would take turns
/// 100 times per publish). Nothing happens when it is not a pipe or the system says no.
#[cfg(target_os = "linux")]
fn widen_output_pipe() {
    extern "C" {
        fn fcntl(fd: std::os::raw::c_int, cmd: std::os::raw::c_int, ...) -> std::os::raw::c_int;
    }
    const F_SETPIPE_SZ: std::os::raw::c_int = 1031;
    // SAFETY: fcntl on file descriptor 1 with F_SETPIPE_SZ takes an int and touches no memory
    // of ours; on a descriptor that is not a pipe it fails with an error code, which is ignored.
    unsafe {
        fcntl(1, F_SETPIPE_SZ, 1 << 20);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_output_pipe() {}

fn line_col(p: lsp::Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

/// Checks the current version of a document (on a blocking thread, re-checking only what
/// changed since its last check) unless its last analysis is still current.
async fn analyze(shared: &Arc<Shared>, client: &Client, uri: &Uri) -> Option<Arc<Analysis>> {
    match check_unless_current(shared, client, uri, |_| ()).await? {
        Analyzed::Checked(analysis, ()) | Analyzed::Current(analysis, _) => Some(analysis),
    }
}

/// [`analyze`], then `then` with the analysis on a blocking thread: right after the check, on
/// the same thread (writing the diagnostics there saves two trips between threads on the way
/// from a keystroke to them), or on its own when the last analysis was still current. `None`
/// when the check or `then` failed (logged).
async fn analyze_then<R: Send + 'static, F: FnOnce(&Arc<Analysis>) -> R + Send + 'static>(
    shared: &Arc<Shared>,
    client: &Client,
    uri: &Uri,
    then: F,
) -> Option<(Arc<Analysis>, R)> {
    match check_unless_current(shared, client, uri, then).await? {
        Analyzed::Checked(analysis, after) => Some((analysis, after)),
        Analyzed::Current(analysis, then) => {
            let current = Arc::clone(&analysis);
            match tokio::task::spawn_blocking(move || then(&current)).await {
                Ok(after) => Some((analysis, after)),
                Err(error) => {
                    log_error!("writing the diagnostics failed ({error}); they were not sent");
                    None
                }
            }
        }
    }
}

/// What [`check_unless_current`] did.
enum Analyzed<F, R> {
    /// Checked the document, and ran `then` right after: its result.
    Checked(Arc<Analysis>, R),
    /// The last analysis was current; `then` was not run and is given back.
    Current(Arc<Analysis>, F),
}

/// Checks the current version of a document on a blocking thread, running `then` there right
/// after the check, unless the last analysis is still current.
async fn check_unless_current<R: Send + 'static, F: FnOnce(&Arc<Analysis>) -> R + Send + 'static>(
    shared: &Arc<Shared>,
    client: &Client,
    uri: &Uri,
    then: F,
) -> Option<Analyzed<F, R>> {
    let state = shared.state(uri);
    let mut state = state.lock().await;
    let (text, version, format) = {
        let documents = shared.documents();
        let doc = documents.get(uri.as_str())?;
        (Arc::<str>::from(doc.rope.to_string()), doc.version, doc.format)
    };
    let resolved = shared.resolve(uri);
    if let Some((path, problem)) = resolved.config_read {
        report_config(shared, client, path, problem).await;
    }
    if let Some(analysis) = &state.analysis {
        if analysis.version == version && Arc::ptr_eq(&analysis.checker, &resolved.checker) && *analysis.text == *text {
            return Some(Analyzed::Current(Arc::clone(analysis), then));
        }
    }
    // A file whose type the settings leave out is not checked (unsaved documents always are).
    let checked =
        !uri.as_str().starts_with("file:") || uri.to_file_path().is_none_or(|path| resolved.config.checks_path(&path));
    let checker = resolved.checker;
    let id = shared.next_analysis.fetch_add(1, Ordering::Relaxed);
    let mut cache = std::mem::take(&mut state.cache);
    let fix_cache = Arc::clone(&state.fix_cache);
    // The semaphore is never closed; should it be, the check runs without a permit.
    let permit = shared.checking.acquire().await.ok();
    let started = Instant::now();
    let done = tokio::task::spawn_blocking(move || {
        let findings = if checked {
            checker.check_shared(Arc::clone(&text), format, &mut cache)
        } else {
            Findings::default()
        };
        let analysis = Arc::new(Analysis {
            version,
            text,
            format,
            findings,
            all: std::sync::OnceLock::new(),
            lines: std::sync::OnceLock::new(),
            fix_facts: std::sync::OnceLock::new(),
            segments: checked.then(|| cache.segments().to_vec()),
            fix_cache,
            checker,
            id,
        });
        let checked_in = started.elapsed();
        let after = then(&analysis);
        (analysis, cache, checked_in, after)
    })
    .await;
    drop(permit);
    let (analysis, cache, checked_in, after) = match done {
        Ok(done) => done,
        Err(error) => {
            log_error!("checking a document failed ({error}); its diagnostics were not updated");
            return None;
        }
    };
    log_debug!(
        "checked version {version}: {} of {} segments again, {} findings, {} µs",
        cache.last.checked,
        cache.last.segments,
        analysis.findings.len(),
        checked_in.as_micros()
    );
    state.cache = cache;
    state.analysis = Some(Arc::clone(&analysis));
    Some(Analyzed::Checked(analysis, after))
}

/// Shows a problem with a scrubs.toml as a diagnostic on that file, or clears it once the file
/// reads well again.
async fn report_config(shared: &Shared, client: &Client, path: PathBuf, problem: Option<ConfigError>) {
    let had_problem = lock(&shared.config_problems).contains(&path);
    let Some(uri) = Uri::from_file_path(&path) else {
        return;
    };
    match problem {
        Some(problem) => {
            log_warn!("a scrubs.toml could not be used; the editor's settings apply");
            lock(&shared.config_problems).insert(path);
            let line = problem.line.map_or(0, |l| l.saturating_sub(1)) as u32;
            let diagnostic = Diagnostic {
                range: lsp::Range::new(lsp::Position::new(line, 0), lsp::Position::new(line + 1, 0)),
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String("config".to_string())),
                source: Some("scrubs".to_string()),
                message: format!("This scrubs.toml could not be used: {}", problem.message),
                ..Diagnostic::default()
            };
            client.publish_diagnostics(uri, vec![diagnostic], None).await;
        }
        None if had_problem => {
            lock(&shared.config_problems).remove(&path);
            client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        None => {}
    }
}

/// Takes documents off the queue, waits until the typing pauses (the debounce), checks them and
/// publishes the results if the document has not changed meanwhile. Requests that arrive while
/// waiting or checking are coalesced.
async fn check_loop(mut queue: mpsc::UnboundedReceiver<Uri>, client: Client, shared: Arc<Shared>, output: Output) {
    while let Some(first) = queue.recv().await {
        let mut pending = vec![first];
        let debounce = shared.debounce();
        if !debounce.is_zero() {
            let give_up = Instant::now() + MAX_DEBOUNCE_WAIT.max(debounce);
            loop {
                match tokio::time::timeout(debounce, queue.recv()).await {
                    Ok(Some(uri)) => pending.push(uri),
                    Ok(None) => return,
                    Err(_) => break,
                }
                if Instant::now() >= give_up {
                    break;
                }
            }
        }
        while let Ok(uri) = queue.try_recv() {
            pending.push(uri);
        }
        let mut seen = HashSet::new();
        pending.retain(|uri| seen.insert(uri.as_str().to_string()));
        for uri in pending {
            // Published on the checking thread, right after the check.
            let (on_thread, to) = (Arc::clone(&shared), output.clone());
            let target = uri.clone();
            analyze_then(&shared, &client, &uri, move |analysis| {
                publish(&on_thread, &target, analysis, &to);
            })
            .await;
        }
    }
}

/// Sends an analysis's diagnostics to the editor, unless the document changed or closed since
/// it was checked (a newer check is then on its way). Blocks while writing them.
fn publish(shared: &Shared, uri: &Uri, analysis: &Analysis, output: &Output) {
    let current = shared.documents().get(uri.as_str()).map(|d| d.version);
    if current != Some(analysis.version) {
        log_debug!(
            "dropped diagnostics for version {}: the document changed or closed meanwhile",
            analysis.version
        );
        return;
    }
    let started = Instant::now();
    let body = write_with_cache(shared, uri, |uri, style, cache| {
        publish_notification(uri, analysis.version, &analysis.text, &analysis.findings, style, cache)
    });
    log_debug!(
        "diagnostics written: {} bytes, {} µs",
        body.len(),
        started.elapsed().as_micros()
    );
    output.send_body(body);
}

/// The answer to a request for an analysis's diagnostics (the JSON-RPC `id` given as JSON):
/// "unchanged" when the editor has the report of this analysis (`previous`), else the report.
/// Blocks while writing it.
fn pulled(shared: &Shared, uri: &Uri, analysis: &Analysis, id: &str, previous: Option<&str>) -> Body {
    if previous == Some(analysis.id.to_string().as_str()) {
        return unchanged_report(id, analysis.id).into();
    }
    let started = Instant::now();
    let body = write_with_cache(shared, uri, |uri, style, cache| {
        pulled_report(id, analysis.id, uri, &analysis.text, &analysis.findings, style, cache)
    });
    log_debug!(
        "pulled diagnostics written: {} bytes, {} µs",
        body.len(),
        started.elapsed().as_micros()
    );
    body
}

/// Writes a document's diagnostics as JSON text with the diagnostics written for it last time
/// (one document's are kept: the one being edited).
fn write_with_cache(shared: &Shared, uri: &Uri, write: impl FnOnce(&Uri, &Style, &mut PublishCache) -> Body) -> Body {
    let style = lock(&shared.style).clone();
    let mut cache = match lock(&shared.published).take() {
        Some((published, cache)) if published == uri.as_str() => cache,
        _ => PublishCache::default(),
    };
    let body = write(uri, &style, &mut cache);
    *lock(&shared.published) = Some((uri.as_str().to_string(), cache));
    body
}

/// A byte span of `text` as an LSP range in `encoding`.
pub(crate) fn lsp_range(
    text: &str,
    index: &LineIndex,
    span: &std::ops::Range<usize>,
    encoding: PositionEncoding,
) -> lsp::Range {
    lsp_range_near(text, index, span, encoding, &mut Near::default())
}

/// [`lsp_range`], starting from the last position found with `near` (which it then holds):
/// spans taken in text order cost the text between them, however long their lines.
pub(crate) fn lsp_range_near(
    text: &str,
    index: &LineIndex,
    span: &std::ops::Range<usize>,
    encoding: PositionEncoding,
    near: &mut Near,
) -> lsp::Range {
    let (start, end) = index.range_near(text, (span.start, span.end), encoding, near);
    lsp::Range {
        start: lsp::Position::new(start.line, start.col),
        end: lsp::Position::new(end.line, end.col),
    }
}

/// Runs the server on stdin/stdout until the editor says `exit` or closes the pipe. `Ok(true)`
/// when the editor asked for `shutdown` first (the LSP's orderly end).
pub fn run_stdio() -> std::io::Result<bool> {
    fewer_allocator_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let shutdown_requested = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let requested = Arc::clone(&shutdown_requested);
    widen_output_pipe();
    let (output, writer) = Output::spawn_thread(raw_stdout())?;
    runtime.block_on(async {
        let debounce = std::env::var("SCRUBS_DEBOUNCE_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_millis);
        let sink = output.sink();
        // The editor's messages pass a guard that answers the broken ones, so that one bad
        // message cannot end the session.
        let (framework_input, guarded) = tokio::io::duplex(1 << 20);
        tokio::spawn(input::guard(tokio::io::stdin(), guarded, output.clone()));
        let (service, socket) =
            LspService::build(|client| Backend::new(client, debounce, output.clone(), Arc::clone(&requested)))
                .custom_method(input::PULL_DIAGNOSTICS, Backend::pull_diagnostics)
                .finish();
        Server::new(framework_input, sink, socket).serve(service).await;
        // Write what is queued (the reply to `shutdown`, a last publish), then stop.
        output.close();
        if tokio::time::timeout(Duration::from_secs(2), writer).await.is_err() {
            log_warn!("the editor did not read the last messages");
        }
    });
    // The stdin reader is a blocking thread that may sit in `read` forever; don't wait for it.
    runtime.shutdown_timeout(Duration::from_millis(200));
    log_info!("server stopped");
    Ok(shutdown_requested.load(Ordering::Relaxed))
}
