//! The language server: a thin adapter between the editor (LSP over stdio) and the engine.
//!
//! Invariants:
//! - every `didChange` is applied to the document store synchronously, before the handler first
//!   awaits, so edits are applied in the order the editor sent them even though the transport
//!   runs handlers concurrently;
//! - checking runs off the message loop (a checker task plus blocking threads), and diagnostics
//!   are published only for the version that is still current when the check ends;
//! - nothing logged contains document text.

mod documents;

pub use documents::{Change, ChangeError, ChangeReport, Document, DocumentStore};

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::{
    self as lsp, Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, InitializeParams, InitializeResult, InitializedParams,
    NumberOrString, PositionEncodingKind, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::engine::{Checker, Finding, Format, Severity};
use crate::position::{LineCol, LineIndex, PositionEncoding};
use crate::{log_debug, log_error, log_info, log_warn};

/// State shared by the handlers and the checker task.
struct Shared {
    documents: Mutex<DocumentStore>,
    encoding: Mutex<PositionEncoding>,
    checker: Checker,
}

impl Shared {
    /// Locks the store. A handler that panicked while holding the lock cannot leave the rope
    /// half-edited (rope edits are not interrupted by our code), so a poisoned lock is reused.
    fn documents(&self) -> MutexGuard<'_, DocumentStore> {
        self.documents.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn encoding(&self) -> PositionEncoding {
        *self.encoding.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
    check_queue: mpsc::UnboundedSender<Uri>,
}

impl Backend {
    fn new(client: Client, debounce: Duration) -> Backend {
        let shared = Arc::new(Shared {
            documents: Mutex::new(DocumentStore::default()),
            encoding: Mutex::new(PositionEncoding::Utf16),
            checker: Checker::default(),
        });
        let (check_queue, requests) = mpsc::unbounded_channel();
        tokio::spawn(check_loop(requests, client.clone(), Arc::clone(&shared), debounce));
        Backend {
            client,
            shared,
            check_queue,
        }
    }

    fn schedule_check(&self, uri: Uri) {
        if self.check_queue.send(uri).is_err() {
            log_error!("the checker task has stopped; diagnostics will no longer update");
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
        *self.shared.encoding.lock().unwrap_or_else(|p| p.into_inner()) = encoding;
        log_info!("initialize: position encoding {}", encoding.as_str());
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                })),
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
    }

    async fn shutdown(&self) -> RpcResult<()> {
        log_info!("shutdown requested");
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
        self.schedule_check(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.shared.documents().close(uri.as_str()) {
            log_warn!("closed a document that was not open");
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}

fn line_col(p: lsp::Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

/// Takes documents off the queue, checks them on a blocking thread, and publishes the results if
/// the document has not changed meanwhile. Requests that arrive while a check runs are coalesced.
async fn check_loop(mut queue: mpsc::UnboundedReceiver<Uri>, client: Client, shared: Arc<Shared>, debounce: Duration) {
    while let Some(first) = queue.recv().await {
        if !debounce.is_zero() {
            tokio::time::sleep(debounce).await;
        }
        let mut pending = vec![first];
        while let Ok(uri) = queue.try_recv() {
            pending.push(uri);
        }
        let mut seen = HashSet::new();
        pending.retain(|uri| seen.insert(uri.as_str().to_string()));
        for uri in pending {
            let snapshot = shared
                .documents()
                .get(uri.as_str())
                .map(|d| (d.rope.to_string(), d.version, d.format));
            let Some((text, version, format)) = snapshot else {
                continue;
            };
            let encoding = shared.encoding();
            let worker = Arc::clone(&shared);
            let checked = tokio::task::spawn_blocking(move || {
                let findings = worker.checker.check(&text, format);
                to_diagnostics(&text, &findings, encoding)
            })
            .await;
            let diagnostics = match checked {
                Ok(diagnostics) => diagnostics,
                Err(error) => {
                    log_error!("checking a document failed ({error}); its diagnostics were not updated");
                    continue;
                }
            };
            let current = shared.documents().get(uri.as_str()).map(|d| d.version);
            if current != Some(version) {
                log_debug!("dropped diagnostics for version {version}: the document changed or closed meanwhile");
                continue;
            }
            client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        }
    }
}

/// Engine findings to LSP diagnostics, with ranges in the negotiated encoding.
pub fn to_diagnostics(text: &str, findings: &[Finding], encoding: PositionEncoding) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    findings
        .iter()
        .map(|f| {
            let start = index.position(text, f.span.start, encoding);
            let end = index.position(text, f.span.end, encoding);
            Diagnostic {
                range: lsp::Range {
                    start: lsp::Position::new(start.line, start.col),
                    end: lsp::Position::new(end.line, end.col),
                },
                severity: Some(match f.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Info => DiagnosticSeverity::INFORMATION,
                    Severity::Hint => DiagnosticSeverity::HINT,
                }),
                code: Some(NumberOrString::String(f.rule.code().to_string())),
                source: Some("scrubs".to_string()),
                message: f.message.clone(),
                ..Diagnostic::default()
            }
        })
        .collect()
}

/// Runs the server on stdin/stdout until the editor says `exit` or closes the pipe.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let debounce = std::env::var("SCRUBS_DEBOUNCE_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(Duration::ZERO, Duration::from_millis);
        let (service, socket) = LspService::new(|client| Backend::new(client, debounce));
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // The stdin reader is a blocking thread that may sit in `read` forever; don't wait for it.
    runtime.shutdown_timeout(Duration::from_millis(200));
    log_info!("server stopped");
    Ok(())
}
