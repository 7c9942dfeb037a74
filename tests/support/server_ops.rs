//! A session of editor operations run against `whittle::server::Server` in-process, with the
//! invariants checked after every step. Shared by the property test (`tests/server_sync.rs`)
//! and the fuzz target (`fuzz/fuzz_targets/server.rs`).
//!
//! Invariants: nothing panics; after every edit given as a valid range the server holds exactly
//! the text an independent model holds; every published diagnostic and every code-action edit
//! lies within the document; applying a code action's edits works.

#![allow(dead_code)]

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use whittle::server::Server;

/// One thing an editor does.
#[derive(Debug, Clone)]
pub enum Op {
    /// Open (or re-open) the document with this text.
    Open(String),
    /// Replace the bytes between two offsets of the current text (taken modulo its length and
    /// moved onto character boundaries).
    Edit {
        start: usize,
        end: usize,
        text: String,
    },
    /// An edit with made-up positions (maybe past the end, backwards, inside a character).
    Wild {
        start: (u32, u32),
        end: (u32, u32),
        text: String,
    },
    /// Replace the whole text.
    Full(String),
    Hover(usize),
    /// Code actions for a range (offsets as for `Edit`), then apply the first one.
    Actions(usize, usize),
    /// Pull diagnostics.
    Pull,
    Save,
    Close,
    /// New editor settings.
    Settings(Value),
}

/// LSP position (UTF-16) of a byte offset, counting `\n`, `\r\n` and `\r` as line ends.
pub fn position(text: &str, offset: usize) -> (u32, u32) {
    let (mut line, mut col) = (0u32, 0u32);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                col = 0;
            }
            c => col += c.len_utf16() as u32,
        }
    }
    (line, col)
}

/// Lines and their UTF-16 lengths, as the protocol counts them.
fn line_lengths(text: &str) -> Vec<u32> {
    let mut out = vec![0];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push(0),
            c => *out.last_mut().unwrap() += c.len_utf16() as u32,
        }
    }
    out
}

/// A valid offset near `n`: within the text, on a character boundary, not inside `\r\n`.
fn valid_offset(text: &str, n: usize) -> usize {
    let mut at = n % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

fn offset_of(text: &str, line: u32, character: u32) -> usize {
    // The inverse of `position` for positions inside the text (used to apply server edits).
    let (mut l, mut c) = (0u32, 0u32);
    let mut iter = text.char_indices().peekable();
    while let Some((i, ch)) = iter.next() {
        if l == line && (c >= character || ch == '\n' || ch == '\r') {
            return i;
        }
        match ch {
            '\r' if iter.peek().map(|p| p.1) == Some('\n') => {}
            '\n' | '\r' => {
                if l == line {
                    return i;
                }
                l += 1;
                c = 0;
            }
            ch => {
                if l == line {
                    c += ch.len_utf16() as u32;
                }
            }
        }
    }
    text.len()
}

fn in_bounds(lines: &[u32], range: &Value) -> bool {
    ["start", "end"].iter().all(|k| {
        let line = range[k]["line"].as_u64().unwrap_or(u64::MAX) as usize;
        let ch = range[k]["character"].as_u64().unwrap_or(u64::MAX) as u32;
        lines.get(line).is_some_and(|len| ch <= *len)
    })
}

/// The session: the server, and the model of the document.
pub struct Session {
    server: Server,
    uri: String,
    model: Option<String>,
    version: i32,
    next_id: i32,
}

impl Session {
    /// A server initialized in `root` (a directory without configuration).
    pub fn new(root: &std::path::Path) -> Session {
        let mut s = Session {
            server: Server::new(),
            uri: format!("file://{}/Dockerfile", root.display()),
            model: None,
            version: 0,
            next_id: 0,
        };
        s.request(
            "initialize",
            json!({"processId": null, "rootUri": format!("file://{}", root.display()),
                   "capabilities": {"workspace": {"configuration": true}}}),
        );
        s.notify("initialized", json!({}));
        s
    }

    fn notify(&mut self, method: &str, params: Value) -> Vec<Message> {
        self.server.handle(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
        self.check_outgoing()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.server.handle(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        let out = self.check_outgoing();
        out.into_iter()
            .find_map(|m| match m {
                Message::Response(r) if r.id == id => Some(
                    r.response_result
                        .unwrap_or_else(|e| json!({"error": e.message})),
                ),
                _ => None,
            })
            .unwrap_or(Value::Null)
    }

    /// Check what the server sent: published diagnostics lie within the document.
    fn check_outgoing(&mut self) -> Vec<Message> {
        let out = self.server.take_outgoing();
        for m in &out {
            if let Message::Notification(n) = m
                && n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == self.uri.as_str()
            {
                let text = self.text();
                let lines = line_lengths(&text);
                for d in n.params["diagnostics"].as_array().unwrap() {
                    assert!(in_bounds(&lines, &d["range"]), "{d} outside {text:?}");
                }
            }
        }
        out
    }

    fn text(&self) -> String {
        self.server
            .document_text(&self.uri.parse().unwrap())
            .unwrap_or_default()
            .to_string()
    }

    fn change(&mut self, change: Value) {
        self.version += 1;
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri, "version": self.version},
                   "contentChanges": [change]}),
        );
    }

    fn assert_in_step(&self) {
        if let Some(model) = &self.model {
            assert_eq!(&self.text(), model, "the server's text left the model's");
        }
    }

    pub fn run(&mut self, op: Op) {
        let open = self.model.is_some();
        match op {
            Op::Open(text) => {
                self.version += 1;
                self.notify(
                    "textDocument/didOpen",
                    json!({"textDocument": {"uri": self.uri, "languageId": "dockerfile",
                                             "version": self.version, "text": text}}),
                );
                self.model = Some(text);
            }
            Op::Edit { start, end, text } if open => {
                let model = self.model.clone().unwrap();
                let (a, b) = (valid_offset(&model, start), valid_offset(&model, end));
                let (a, b) = (a.min(b), a.max(b));
                let (s, e) = (position(&model, a), position(&model, b));
                self.change(json!({"range": {"start": {"line": s.0, "character": s.1},
                                             "end": {"line": e.0, "character": e.1}},
                                   "text": text}));
                let mut next = model;
                next.replace_range(a..b, &text);
                // Joining a `\r` and a `\n` into one line end is what the text now says; the
                // model is the text itself.
                self.model = Some(next);
            }
            Op::Wild { start, end, text } if open => {
                self.change(
                    json!({"range": {"start": {"line": start.0, "character": start.1},
                                             "end": {"line": end.0, "character": end.1}},
                                   "text": text}),
                );
                // Made-up positions are clamped by the server; the model follows it.
                self.model = Some(self.text());
            }
            Op::Full(text) if open => {
                self.change(json!({"text": text}));
                self.model = Some(text);
            }
            Op::Hover(at) if open => {
                let model = self.model.clone().unwrap();
                let (l, c) = position(&model, valid_offset(&model, at));
                let h = self.request(
                    "textDocument/hover",
                    json!({"textDocument": {"uri": self.uri},
                           "position": {"line": l, "character": c}}),
                );
                if !h.is_null() {
                    assert!(h["contents"]["value"].is_string(), "{h}");
                }
            }
            Op::Actions(a, b) if open => {
                let model = self.model.clone().unwrap();
                let (a, b) = (valid_offset(&model, a), valid_offset(&model, b));
                let (s, e) = (position(&model, a.min(b)), position(&model, a.max(b)));
                let actions = self.request(
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": self.uri},
                           "range": {"start": {"line": s.0, "character": s.1},
                                     "end": {"line": e.0, "character": e.1}},
                           "context": {"diagnostics": []}}),
                );
                let lines = line_lengths(&model);
                let Some(first) = actions.as_array().and_then(|a| a.first()) else {
                    return;
                };
                let edits = first["edit"]["documentChanges"][0]["edits"]
                    .as_array()
                    .unwrap();
                let mut spans = Vec::new();
                for e in edits {
                    assert!(in_bounds(&lines, &e["range"]), "{e}");
                    let r = &e["range"];
                    let at = |k: &str| {
                        offset_of(
                            &model,
                            r[k]["line"].as_u64().unwrap() as u32,
                            r[k]["character"].as_u64().unwrap() as u32,
                        )
                    };
                    spans.push((at("start"), at("end"), e["newText"].as_str().unwrap()));
                }
                spans.sort_by_key(|s| std::cmp::Reverse(s.0));
                let mut next = model.clone();
                for (s, e, t) in spans {
                    next.replace_range(s..e, t);
                }
                self.run(Op::Full(next));
            }
            Op::Pull if open => {
                let r = self.request(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": self.uri}}),
                );
                let lines = line_lengths(&self.text());
                for d in r["items"].as_array().into_iter().flatten() {
                    assert!(in_bounds(&lines, &d["range"]), "{d}");
                }
            }
            Op::Save if open => {
                self.notify(
                    "textDocument/didSave",
                    json!({"textDocument": {"uri": self.uri}}),
                );
            }
            Op::Close if open => {
                self.notify(
                    "textDocument/didClose",
                    json!({"textDocument": {"uri": self.uri}}),
                );
                self.model = None;
            }
            Op::Settings(v) => {
                self.notify(
                    "workspace/didChangeConfiguration",
                    json!({"settings": {"whittle": v}}),
                );
            }
            // An operation on a closed document: what a confused client might send.
            _ => {
                self.change(json!({"text": "FROM x\n"}));
            }
        }
        self.assert_in_step();
    }
}
