//! `whittle server` driven over a real JSON-RPC session: the built binary on the other end of
//! a pipe, every message framed and read back as an editor would.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

const WHITTLE: &str = env!("CARGO_BIN_EXE_whittle");
const TIMEOUT: Duration = Duration::from_secs(20);

/// The editor's end of the session.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for another one.
    queued: Vec<Value>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(WHITTLE)
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start whittle server");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (k, v) = line.split_once(':').expect("header");
                    if k.eq_ignore_ascii_case("content-length") {
                        length = Some(v.trim().parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming: rx,
            next_id: 0,
            queued: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (other messages are queued).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message (queued first) that `pred` accepts.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.queued.iter().position(&pred) {
            return self.queued.remove(i);
        }
        loop {
            let m = self
                .incoming
                .recv_timeout(TIMEOUT)
                .expect("the server answers in time");
            if pred(&m) {
                return m;
            }
            self.queued.push(m);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Answer the server's request for `method` with `result`.
    fn answer(&mut self, method: &str, result: Value) -> Value {
        let req = self.wait(|m| m["method"] == method && m.get("id").is_some());
        self.send(json!({"jsonrpc": "2.0", "id": req["id"], "result": result}));
        req
    }
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Offset of an LSP position (UTF-16 columns) in `text`: the editor's side, written separately
/// from the server's conversion.
fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let character = pos["character"].as_u64().unwrap() as usize;
    let mut at = 0;
    for _ in 0..line {
        at += text[at..].find('\n').map_or(text.len() - at, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[at..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return at + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Apply a code action's workspace edit to `text`.
fn apply(text: &str, action: &Value) -> String {
    let changes = &action["edit"]["documentChanges"][0]["edits"];
    let mut edits: Vec<(usize, usize, String)> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

/// What `whittle check --fix [extra]` writes for `text` (in a copy of `dir`'s setting).
fn fixed_by_cli(dir: &Path, text: &str, extra: &[&str]) -> String {
    let path = dir.join("Fixme.Dockerfile");
    std::fs::write(&path, text).unwrap();
    Command::new(WHITTLE)
        .args(["check", "--fix"])
        .args(extra)
        .arg(&path)
        .output()
        .unwrap();
    let fixed = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    fixed
}

fn initialize(client: &mut Client, dir: &Path, capabilities: Value, options: Value) -> Value {
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri_of(dir),
            "capabilities": capabilities,
            "initializationOptions": options,
        }),
    );
    client.notify("initialized", json!({}));
    init
}

const DOCKERFILE: &str = "FROM debian:bookworm as build\n\
# é😀 wide characters before the findings\n\
RUN apt-get update && apt-get install -y curl\n\
COPY . /app\n";

#[test]
fn a_full_editing_session() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(root.join(".env"), "TOKEN=x\n").unwrap();
    // An ignore file that leaves `.env` in (with none at all, WH350 reports the `COPY .`).
    std::fs::write(root.join(".dockerignore"), "node_modules\n").unwrap();
    let uri = uri_of(&root.join("Dockerfile"));

    let mut c = Client::start(&root);
    let init = initialize(
        &mut c,
        &root,
        json!({"workspace": {"configuration": true}}),
        json!({"whittle": {"unsafeFixes": false}}),
    );
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["hoverProvider"], true);
    assert!(
        caps.get("diagnosticProvider").is_none(),
        "push: the client cannot pull"
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "whittle");
    // The server asks for the `whittle` section of the editor's settings.
    let req = c.answer("workspace/configuration", json!([{}]));
    assert_eq!(req["params"]["items"][0]["section"], "whittle");

    // didOpen -> publishDiagnostics, with the build context read from disk (WH150: .env).
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                 "text": DOCKERFILE}}),
    );
    let diags = c.diagnostics(&uri);
    let found = codes(&diags);
    for code in ["WH502", "WH301", "WH150"] {
        assert!(found.contains(&code.to_string()), "{code} in {found:?}");
    }
    let as_casing = diags.iter().find(|d| d["code"] == "WH502").unwrap();
    assert_eq!(
        as_casing["range"],
        json!({"start": {"line": 0, "character": 21}, "end": {"line": 0, "character": 23}})
    );
    assert_eq!(as_casing["source"], "whittle");
    assert_eq!(as_casing["severity"], 3);
    assert!(
        as_casing["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/rules/WH502.md")
    );
    assert_eq!(as_casing["data"]["name"], "from-as-casing");
    assert_eq!(as_casing["data"]["aliases"][0], "buildkit:FromAsCasing");

    // codeAction on the finding: its fix, an ignore pragma, and fix all.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": as_casing["range"],
               "context": {"diagnostics": [as_casing]}}),
    )["result"]
        .as_array()
        .unwrap()
        .clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let quick = actions
        .iter()
        .find(|a| a["title"] == "Write `AS`")
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(quick["kind"], "quickfix");
    assert_eq!(quick["isPreferred"], true);
    assert_eq!(
        apply(DOCKERFILE, quick),
        fixed_by_cli(&root, DOCKERFILE, &["--select", "WH502"]),
        "the quick fix gives what --fix gives"
    );
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.whittle")
        .unwrap_or_else(|| panic!("{titles:?}"));
    let all_fixed = apply(DOCKERFILE, fix_all);
    assert_eq!(
        all_fixed,
        fixed_by_cli(&root, DOCKERFILE, &[]),
        "fix all gives what --fix gives"
    );
    let ignore = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Ignore WH502"))
        .unwrap_or_else(|| panic!("{titles:?}"));
    let ignored = apply(DOCKERFILE, ignore);
    assert!(
        ignored.starts_with("# whittle ignore=WH502\nFROM"),
        "{ignored}"
    );

    // Unsafe fixes are offered one by one, labelled.
    let recommends = diags.iter().find(|d| d["code"] == "WH302").unwrap();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": recommends["range"],
               "context": {"diagnostics": [recommends], "only": ["quickfix"]}}),
    )["result"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().contains("(unsafe fix")),
        "{actions:?}"
    );
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));

    // didChange (incremental): apply the ignore pragma as the editor would; WH502 goes away,
    // and the ranges below the new line move down.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                             "end": {"line": 0, "character": 0}},
                                   "text": "# whittle ignore=WH502\n"}]}),
    );
    let diags = c.diagnostics(&uri);
    assert!(!codes(&diags).contains(&"WH502".to_string()), "{diags:?}");
    let apt = diags.iter().find(|d| d["code"] == "WH301").unwrap();
    assert_eq!(apt["range"]["start"]["line"], 3);

    // hover on a finding, and on a rule code in a pragma.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": apt["range"]["start"]}),
    );
    let page = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(page.starts_with("# WH301: apt-lists-not-cleaned"), "{page}");
    assert!(page.contains("DL3009"), "aliases are shown");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 19}}),
    );
    let page = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(page.starts_with("# WH502: from-as-casing"), "{page}");

    // Settings from the editor: ignore a rule.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"whittle": {"ignore": ["WH301"]}}}),
    );
    let diags = c.diagnostics(&uri);
    assert!(!codes(&diags).contains(&"WH301".to_string()), "{diags:?}");
    assert!(codes(&diags).contains(&"WH150".to_string()));

    // A configuration file written on disk is picked up without a restart.
    std::fs::write(root.join(".whittle.yaml"), "ignore: [WH150]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&root.join(".whittle.yaml")), "type": 1}]}),
    );
    let diags = c.diagnostics(&uri);
    assert!(!codes(&diags).contains(&"WH150".to_string()), "{diags:?}");
    // ... and so is a change the editor does not report (the next edit notices it).
    std::fs::write(root.join(".whittle.yaml"), "ignore: [WH150, WH302]\n").unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"text": all_fixed}]}),
    );
    let diags = c.diagnostics(&uri);
    assert!(!codes(&diags).contains(&"WH302".to_string()), "{diags:?}");

    // A `.dockerignore` open in the editor: invalid patterns are reported on their line.
    let ignore_uri = uri_of(&root.join(".dockerignore"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": ignore_uri, "languageId": "ignore", "version": 1,
                                 "text": "node_modules\n[z-a]\n"}}),
    );
    let diags = c.diagnostics(&ignore_uri);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    assert_eq!(diags[0]["severity"], 1);

    // Unknown methods are an error, not a crash.
    let unknown = c.request("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // Bad parameters too.
    let bad = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);

    // didClose clears the diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(c.diagnostics(&uri).is_empty());

    // shutdown, exit: exit status 0.
    let shutdown = c.request("shutdown", Value::Null);
    assert!(shutdown["result"].is_null() && shutdown.get("error").is_none());
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn diagnostics_are_pulled_when_the_client_can_pull() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let uri = uri_of(&root.join("Dockerfile"));
    let mut c = Client::start(&root);
    let init = initialize(
        &mut c,
        &root,
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
        Value::Null,
    );
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"]["identifier"],
        "whittle"
    );
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                 "text": "FROM alpine as x\n"}}),
    );
    let report = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["result"]["kind"], "full");
    let items = report["result"]["items"].as_array().unwrap();
    assert!(codes(items).contains(&"WH502".to_string()), "{items:?}");
    // Nothing was pushed.
    assert!(
        c.queued
            .iter()
            .all(|m| m["method"] != "textDocument/publishDiagnostics")
    );
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());
}

#[test]
fn requests_before_initialize_and_exit_without_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(dir.path());
    let early = c.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "server not initialized");
    // A body that is not JSON is skipped; the session goes on.
    write!(c.stdin, "Content-Length: 8\r\n\r\nnot json").unwrap();
    initialize(&mut c, dir.path(), json!({}), Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "exit without shutdown");
}

#[test]
fn custom_rules_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config = r#"custom-rules:
  - id: ACME001
    name: approved-base-image
    severity: error
    message: "base image {image} is not from registry.acme.io"
    description: Images come from the company mirror.
    when:
      from:
        not-image: "registry.acme.io/**"
  - id: ACME002
    name: curl-without-fail
    message: "curl without --fail"
    when:
      run:
        command: curl
        missing-flag: ["-f", "--fail"]
    fix:
      add-flag: "--fail"
      applicability: safe
select: [ACME]
"#;
    std::fs::write(root.join(".whittle.yaml"), config).unwrap();
    let text = "FROM debian:bookworm-slim\nRUN curl -sSL https://example.com/x -o /x\n";
    std::fs::write(root.join("Dockerfile"), text).unwrap();
    let uri = uri_of(&root.join("Dockerfile"));
    let mut c = Client::start(&root);
    initialize(&mut c, &root, json!({}), Value::Null);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                 "text": text}}),
    );
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["ACME001", "ACME002"], "{diags:?}");
    // The image reference and the command word, exactly; no web page for a custom rule.
    let image = &diags[0];
    assert_eq!(
        image["range"],
        json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 25}})
    );
    assert_eq!(image["severity"], 1);
    assert_eq!(image["data"]["name"], "approved-base-image");
    assert_eq!(
        image["message"],
        "base image debian:bookworm-slim is not from registry.acme.io"
    );
    assert!(image.get("codeDescription").is_none(), "{image}");
    let curl = &diags[1];
    assert_eq!(
        curl["range"],
        json!({"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 8}})
    );
    // Hover: the rule's page, made from its YAML.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}}),
    );
    let page = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(page.starts_with("# ACME001: approved-base-image"), "{page}");
    assert!(
        page.contains("Images come from the company mirror."),
        "{page}"
    );
    // The quick fix gives what `whittle check --fix` gives.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": curl["range"],
               "context": {"diagnostics": [curl], "only": ["quickfix"]}}),
    )["result"]
        .as_array()
        .unwrap()
        .clone();
    let quick = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("{actions:?}"));
    let fixed = apply(text, quick);
    assert!(fixed.contains("RUN curl --fail -sSL"), "{fixed}");
    assert_eq!(fixed, fixed_by_cli(&root, text, &["--select", "ACME002"]));
    // An ignore pragma by the rule's name is honoured as you type.
    let with_pragma = format!("# whittle ignore=approved-base-image\n{text}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": with_pragma}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), ["ACME002"]);
    // Editing the rules on disk takes effect without a restart; a broken rule is a
    // configuration problem shown in the document.
    std::fs::write(
        root.join(".whittle.yaml"),
        config.replace("missing-flag", "mising-flag"),
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&root.join(".whittle.yaml")), "type": 2}]}),
    );
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["configuration"], "{diags:?}");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("mising-flag"),
        "{diags:?}"
    );
    std::fs::write(
        root.join(".whittle.yaml"),
        config.replace("select: [ACME]", "select: [ACME002]"),
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&root.join(".whittle.yaml")), "type": 2}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), ["ACME002"]);
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());
}
