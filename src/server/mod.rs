//! `whittle server`: a language server (LSP over stdio) on the same engine, configuration and
//! suppressions as `whittle check`.
//!
//! The message types are `lsp-server`'s and the protocol types `lsp-types`'s; the framing is
//! [`transport`]'s. The server is one loop on one thread: linting a Dockerfile takes about a
//! millisecond, so each message is handled to the end before the next is read, and [`Server`]
//! is a plain state machine (message in, messages out) that tests and the fuzzer drive directly.
//!
//! - documents: full and incremental sync, positions in UTF-16 ([`convert`], [`documents`]);
//! - diagnostics: pushed on open, change and save, or pulled when the client asks for them
//!   (`textDocument/diagnostic`), for Dockerfiles and for `.dockerignore` files
//!   ([`analysis`], [`diagnostics`]);
//! - code actions ([`actions`]) and hover ([`hover`]);
//! - settings: `initializationOptions`, `workspace/didChangeConfiguration` and
//!   `workspace/configuration` (section `whittle`); configuration files on disk are re-read
//!   when they change ([`workspace`]).

pub mod actions;
pub mod analysis;
pub mod convert;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod transport;
pub mod workspace;

use analysis::{Analysis, analyze};
use documents::{Document, Kind};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, DocumentDiagnosticRequest, HoverRequest, RegisterCapability, Request as _,
    WorkspaceConfiguration, WorkspaceDiagnosticRefresh,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, ConfigurationItem,
    ConfigurationParams, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeWatchedFilesRegistrationOptions, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, FileSystemWatcher, FullDocumentDiagnosticReport, GlobPattern,
    HoverProviderCapability, InitializeParams, InitializeResult, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, Registration, RegistrationParams,
    RelatedFullDocumentDiagnosticReport, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, BufReader};
use workspace::{ClientSettings, Workspace};

/// Run the server on stdin/stdout until the client says `exit` (or closes the stream).
/// Returns the process exit code: 0 after `shutdown` then `exit`, 1 otherwise.
pub fn run() -> u8 {
    let stdin = io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let stdout = io::stdout();
    let mut output = stdout.lock();
    let mut server = Server::new();
    loop {
        let message = match transport::read_message(&mut input) {
            Ok(transport::Incoming::Message(m)) => m,
            Ok(transport::Incoming::Skipped(why)) => {
                eprintln!("whittle server: skipped a message: {why}");
                continue;
            }
            Ok(transport::Incoming::Closed) => return server.exit_code(),
            Err(e) => {
                eprintln!("whittle server: cannot read from the client: {e}");
                return 1;
            }
        };
        let flow = server.handle(message);
        for out in server.take_outgoing() {
            if let Err(e) = transport::write_message(&mut output, &out) {
                eprintln!("whittle server: cannot write to the client: {e}");
                return 1;
            }
        }
        if flow == Flow::Exit {
            return server.exit_code();
        }
    }
}

/// Whether the loop goes on after a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Exit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Uninitialized,
    Running,
    /// `shutdown` was received: only `exit` is expected.
    ShuttingDown,
}

/// What a request the server sent to the client was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Configuration,
    Other,
}

/// What the client can do, from `initialize`.
#[derive(Debug, Clone, Copy, Default)]
struct ClientCaps {
    /// `textDocument/diagnostic`: the client pulls diagnostics, so none are pushed.
    pull_diagnostics: bool,
    /// `workspace/diagnostic/refresh`: the client re-pulls when asked.
    diagnostic_refresh: bool,
    /// `workspace/configuration`.
    configuration: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    watch_files: bool,
}

/// The language server's state: open documents, their analyses, the workspace.
pub struct Server {
    state: State,
    caps: ClientCaps,
    documents: HashMap<String, Document>,
    analyses: HashMap<String, Analysis>,
    workspace: Workspace,
    outgoing: Vec<Message>,
    pending: HashMap<RequestId, Pending>,
    next_id: i32,
    /// Configuration warnings already shown, so each is shown once.
    shown: BTreeSet<String>,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    pub fn new() -> Self {
        Server {
            state: State::Uninitialized,
            caps: ClientCaps::default(),
            documents: HashMap::new(),
            analyses: HashMap::new(),
            workspace: Workspace::new(None),
            outgoing: Vec::new(),
            pending: HashMap::new(),
            next_id: 0,
            shown: BTreeSet::new(),
        }
    }

    /// The messages to send, in order.
    pub fn take_outgoing(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.outgoing)
    }

    /// 0 when the client shut the server down properly, 1 when it exited without `shutdown`.
    pub fn exit_code(&self) -> u8 {
        if self.state == State::ShuttingDown {
            0
        } else {
            1
        }
    }

    /// Handle one message from the client.
    pub fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(req) => {
                self.request(req);
                Flow::Continue
            }
            Message::Notification(n) => self.notification(n),
            Message::Response(resp) => {
                self.response(resp);
                Flow::Continue
            }
        }
    }

    fn respond(&mut self, id: RequestId, result: Result<Value, (ErrorCode, String)>) {
        let response = match result {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.outgoing.push(Message::Response(response));
    }

    fn notify<N: lsp_types::notification::Notification>(&mut self, params: N::Params) {
        self.outgoing.push(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    fn send_request<R: lsp_types::request::Request>(
        &mut self,
        params: R::Params,
        pending: Pending,
    ) {
        self.next_id += 1;
        let id = RequestId::from(format!("whittle-{}", self.next_id));
        self.pending.insert(id.clone(), pending);
        self.outgoing.push(Message::Request(Request::new(
            id,
            R::METHOD.to_string(),
            params,
        )));
    }

    fn show(&mut self, typ: MessageType, message: String) {
        self.notify::<lsp_types::notification::ShowMessage>(ShowMessageParams { typ, message });
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        match self.state {
            State::Uninitialized if req.method != "initialize" => {
                return self.respond(
                    id,
                    Err((ErrorCode::ServerNotInitialized, "not initialized".into())),
                );
            }
            State::ShuttingDown => {
                return self.respond(
                    id,
                    Err((
                        ErrorCode::InvalidRequest,
                        "the server is shutting down".into(),
                    )),
                );
            }
            State::Running if req.method == "initialize" => {
                return self.respond(
                    id,
                    Err((ErrorCode::InvalidRequest, "already initialized".into())),
                );
            }
            _ => {}
        }
        let result = match req.method.as_str() {
            "initialize" => params(req.params).map(|p| self.initialize(p)),
            "shutdown" => {
                self.state = State::ShuttingDown;
                Ok(Value::Null)
            }
            CodeActionRequest::METHOD => {
                params(lenient_code_action(req.params)).map(|p| self.code_action(p))
            }
            HoverRequest::METHOD => params(req.params).map(|p| self.hover(p)),
            DocumentDiagnosticRequest::METHOD => {
                params(req.params).map(|p| self.document_diagnostic(p))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("whittle does not handle `{other}`"),
            )),
        };
        self.respond(id, result);
    }

    fn notification(&mut self, n: Notification) -> Flow {
        if n.method == "exit" {
            return Flow::Exit;
        }
        if self.state != State::Running {
            return Flow::Continue;
        }
        let outcome = match n.method.as_str() {
            "initialized" => {
                self.initialized();
                Ok(())
            }
            DidOpenTextDocument::METHOD => params(n.params).map(|p| self.did_open(p)),
            DidChangeTextDocument::METHOD => params(n.params).map(|p| self.did_change(p)),
            DidSaveTextDocument::METHOD => params(n.params).map(|p| self.did_save(p)),
            DidCloseTextDocument::METHOD => params(n.params).map(|p| self.did_close(p)),
            DidChangeConfiguration::METHOD => {
                params(n.params).map(|p| self.did_change_configuration(p))
            }
            DidChangeWatchedFiles::METHOD => {
                params::<lsp_types::DidChangeWatchedFilesParams>(n.params).map(|_| {
                    self.workspace.reload();
                    self.relint_all();
                })
            }
            // `$/cancelRequest`, `$/setTrace` and the rest: nothing to do.
            _ => Ok(()),
        };
        if let Err((_, message)) = outcome {
            eprintln!("whittle server: ignored `{}`: {message}", n.method);
        }
        Flow::Continue
    }

    fn response(&mut self, resp: Response) {
        let Some(pending) = self.pending.remove(&resp.id) else {
            return;
        };
        if pending == Pending::Configuration
            && let Ok(Value::Array(items)) = resp.response_result
            && let Some(settings) = items.into_iter().next()
        {
            self.use_client_settings(&settings);
            self.relint_all();
        }
    }

    fn initialize(&mut self, p: InitializeParams) -> Value {
        let text_caps = p.capabilities.text_document.as_ref();
        let ws_caps = p.capabilities.workspace.as_ref();
        self.caps = ClientCaps {
            pull_diagnostics: text_caps.is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: ws_caps
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            configuration: ws_caps.and_then(|w| w.configuration).unwrap_or(false),
            watch_files: ws_caps
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        };
        #[allow(deprecated)]
        let root = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(p.root_uri.clone())
            .and_then(|u| documents::uri_to_path(&u));
        self.workspace = Workspace::new(root);
        if let Some(options) = &p.initialization_options {
            self.use_client_settings(options);
        }
        self.state = State::Running;
        let capabilities = ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(actions::FIX_ALL),
                ]),
                resolve_provider: Some(false),
                ..CodeActionOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            diagnostic_provider: self.caps.pull_diagnostics.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("whittle".into()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    ..DiagnosticOptions::default()
                })
            }),
            ..ServerCapabilities::default()
        };
        serde_json::to_value(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "whittle".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
        .unwrap_or(Value::Null)
    }

    fn initialized(&mut self) {
        if self.caps.watch_files {
            let globs = [
                "**/.whittle.yaml",
                "**/.whittle.yml",
                "**/.hadolint.yaml",
                "**/.hadolint.yml",
                "**/.dockerignore",
                "**/*.dockerignore",
            ];
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: globs
                    .iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .collect(),
            };
            self.send_request::<RegisterCapability>(
                RegistrationParams {
                    registrations: vec![Registration {
                        id: "whittle-watch".into(),
                        method: DidChangeWatchedFiles::METHOD.into(),
                        register_options: serde_json::to_value(options).ok(),
                    }],
                },
                Pending::Other,
            );
        }
        self.ask_configuration();
    }

    fn ask_configuration(&mut self) {
        if self.caps.configuration {
            self.send_request::<WorkspaceConfiguration>(
                ConfigurationParams {
                    items: vec![ConfigurationItem {
                        scope_uri: None,
                        section: Some("whittle".into()),
                    }],
                },
                Pending::Configuration,
            );
        }
    }

    /// Take the editor's settings; a problem is shown to the user and leaves the rest in
    /// place.
    fn use_client_settings(&mut self, value: &Value) {
        let (settings, problems) = ClientSettings::from_json(value);
        for p in problems {
            self.show(MessageType::WARNING, format!("whittle: settings: {p}"));
        }
        if &settings == self.workspace.client() {
            return;
        }
        if let Err(e) = self.workspace.set_client(settings) {
            self.show(MessageType::ERROR, format!("whittle: settings: {e}"));
        }
    }

    fn did_change_configuration(&mut self, p: lsp_types::DidChangeConfigurationParams) {
        // Clients either send the settings along or expect the server to ask for them.
        let has_settings = match &p.settings {
            Value::Object(o) => !o.is_empty(),
            _ => false,
        };
        if has_settings {
            self.use_client_settings(&p.settings);
            self.relint_all();
        } else {
            self.ask_configuration();
        }
    }

    fn did_open(&mut self, p: lsp_types::DidOpenTextDocumentParams) {
        let d = p.text_document;
        let doc = Document::new(d.uri, &d.language_id, d.version, d.text);
        let key = doc.uri.as_str().to_string();
        self.documents.insert(key.clone(), doc);
        self.analyses.remove(&key);
        self.publish(&key);
    }

    fn did_change(&mut self, p: lsp_types::DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let Some(doc) = self.documents.get_mut(&key) else {
            return;
        };
        doc.apply_changes(p.text_document.version, p.content_changes);
        self.analyses.remove(&key);
        self.publish(&key);
    }

    fn did_save(&mut self, p: lsp_types::DidSaveTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let saved_config = documents::uri_to_path(&p.text_document.uri)
            .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .is_some_and(|name| {
                crate::config::CONFIG_FILE_NAMES.contains(&name.as_str())
                    || name.ends_with(".dockerignore")
            });
        if saved_config {
            self.workspace.reload();
            self.relint_all();
            return;
        }
        // A saved file may be one the build context holds.
        self.workspace.forget_contexts();
        self.analyses.remove(&key);
        self.publish(&key);
    }

    fn did_close(&mut self, p: lsp_types::DidCloseTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        self.analyses.remove(&key);
        if let Some(doc) = self.documents.remove(&key)
            && !self.caps.pull_diagnostics
            && doc.kind != Kind::Other
        {
            self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                uri: doc.uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    /// The analysis of the document's current version (computed when missing or stale).
    fn analysis(&mut self, key: &str) -> Option<&Analysis> {
        let doc = self.documents.get(key)?;
        let path = self.workspace.lookup_path(doc.path.as_deref());
        let stale = self
            .analyses
            .get(key)
            .is_none_or(|a| a.version != doc.version);
        if doc.kind == Kind::Dockerfile && self.workspace.refresh(&path) {
            // A configuration file changed on disk: every analysis is out of date.
            self.analyses.clear();
            self.relint_others(key);
        } else if !stale {
            return self.analyses.get(key);
        }
        let doc = self.documents.get(key)?;
        let analysis = analyze(doc, &self.workspace);
        self.show_new_warnings();
        self.analyses.insert(key.to_string(), analysis);
        self.analyses.get(key)
    }

    fn show_new_warnings(&mut self) {
        for w in self.workspace.warnings() {
            if self.shown.insert(w.clone()) {
                self.show(MessageType::WARNING, format!("whittle: {w}"));
            }
        }
    }

    /// Push the document's diagnostics (unless the client pulls them).
    fn publish(&mut self, key: &str) {
        if self.caps.pull_diagnostics {
            return;
        }
        let Some(doc) = self.documents.get(key) else {
            return;
        };
        if doc.kind == Kind::Other {
            return;
        }
        let (uri, version) = (doc.uri.clone(), doc.version);
        let Some(analysis) = self.analysis(key).cloned() else {
            return;
        };
        let Some(doc) = self.documents.get(key) else {
            return;
        };
        let diagnostics = diagnostics::all(&analysis, &doc.text);
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: Some(version),
        });
    }

    /// Re-lint every open document (settings or configuration changed).
    fn relint_all(&mut self) {
        self.analyses.clear();
        if self.caps.pull_diagnostics {
            if self.caps.diagnostic_refresh {
                self.send_request::<WorkspaceDiagnosticRefresh>((), Pending::Other);
            }
            return;
        }
        let keys: Vec<String> = self.documents.keys().cloned().collect();
        for key in keys {
            self.publish(&key);
        }
    }

    /// Re-publish the open documents other than `key` (which the caller is analysing).
    fn relint_others(&mut self, key: &str) {
        if self.caps.pull_diagnostics {
            if self.caps.diagnostic_refresh {
                self.send_request::<WorkspaceDiagnosticRefresh>((), Pending::Other);
            }
            return;
        }
        let keys: Vec<String> = self
            .documents
            .keys()
            .filter(|k| k.as_str() != key)
            .cloned()
            .collect();
        for k in keys {
            self.publish(&k);
        }
    }

    fn document_diagnostic(&mut self, p: lsp_types::DocumentDiagnosticParams) -> Value {
        let key = p.text_document.uri.as_str().to_string();
        let items = match self.analysis(&key).cloned() {
            Some(analysis) => self
                .documents
                .get(&key)
                .map(|doc| diagnostics::all(&analysis, &doc.text))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let report = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            },
        ));
        serde_json::to_value(report).unwrap_or(Value::Null)
    }

    fn code_action(&mut self, p: lsp_types::CodeActionParams) -> Value {
        let key = p.text_document.uri.as_str().to_string();
        let Some(analysis) = self.analysis(&key).cloned() else {
            return Value::Null;
        };
        let Some(doc) = self.documents.get(&key) else {
            return Value::Null;
        };
        if doc.kind != Kind::Dockerfile {
            return Value::Array(Vec::new());
        }
        let list = actions::code_actions(
            doc,
            &analysis,
            p.range,
            p.context.only.as_deref(),
            self.workspace.client().unsafe_fixes,
        );
        serde_json::to_value(list).unwrap_or(Value::Null)
    }

    fn hover(&mut self, p: lsp_types::HoverParams) -> Value {
        let pos = p.text_document_position_params;
        let key = pos.text_document.uri.as_str().to_string();
        let Some(analysis) = self.analysis(&key).cloned() else {
            return Value::Null;
        };
        let Some(doc) = self.documents.get(&key) else {
            return Value::Null;
        };
        hover::hover(doc, &analysis, pos.position)
            .and_then(|h| serde_json::to_value(h).ok())
            .unwrap_or(Value::Null)
    }

    /// The text the server holds for a document (for tests and the fuzzer).
    pub fn document_text(&self, uri: &Uri) -> Option<&str> {
        self.documents.get(uri.as_str()).map(|d| d.text.as_str())
    }
}

/// `context.only` as one string (Neovim 0.7 sends it so) becomes the list the protocol says.
fn lenient_code_action(mut params: Value) -> Value {
    if let Some(only) = params.pointer_mut("/context/only")
        && only.is_string()
    {
        *only = Value::Array(vec![only.take()]);
    }
    params
}

/// Decode a message's parameters.
fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}
