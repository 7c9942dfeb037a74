//! The language server's latency: from a one-character change in a 300-line Dockerfile to the
//! diagnostics it sends back (the change applied, the file parsed and linted with every
//! default rule, the build context read, the diagnostics converted to UTF-16 ranges and
//! serialized). Target: under 5 ms.
//!
//! `cargo bench --bench server`. The server runs in-process (no pipe); the document lives in a
//! temporary directory with a few files in its build context. Two cases: diagnostics pushed
//! after `didChange`, and pulled with `textDocument/diagnostic` after it.

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::hint::black_box;
use whittle::server::Server;

/// A 300-line Dockerfile: the benchmark corpus as consecutive stages, then plain RUN lines.
fn large_dockerfile() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("benches/data")
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().contains("windows"))
        .collect();
    files.sort();
    let mut text = String::new();
    for f in files {
        text.push_str(&std::fs::read_to_string(f).expect("utf-8 Dockerfile"));
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let mut n = 0;
    while text.lines().count() < 300 {
        n += 1;
        text.push_str(&format!("RUN echo \"step {n}\" >> /var/log/steps\n"));
    }
    let lines: Vec<&str> = text.lines().take(300).collect();
    lines.join("\n") + "\n"
}

fn notification(method: &str, params: Value) -> Message {
    Message::Notification(Notification::new(method.to_string(), params))
}

/// A server with `text` open as `root/Dockerfile`; `pull`: the client pulls diagnostics.
fn open(root: &std::path::Path, text: &str, pull: bool) -> (Server, String) {
    let mut server = Server::new();
    let caps = if pull {
        json!({"textDocument": {"diagnostic": {}}})
    } else {
        json!({})
    };
    server.handle(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"processId": null, "rootUri": format!("file://{}", root.display()),
               "capabilities": caps}),
    )));
    server.handle(notification("initialized", json!({})));
    let uri = format!("file://{}/Dockerfile", root.display());
    server.handle(notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                 "text": text}}),
    ));
    server.take_outgoing();
    (server, uri)
}

/// Insert or delete one character on line 150 (alternately, so the text stays the same size).
fn change(uri: &str, version: i32) -> Message {
    let (range, text) = if version % 2 == 0 {
        (
            json!({"start": {"line": 150, "character": 4}, "end": {"line": 150, "character": 4}}),
            "x",
        )
    } else {
        (
            json!({"start": {"line": 150, "character": 4}, "end": {"line": 150, "character": 5}}),
            "",
        )
    };
    notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"range": range, "text": text}]}),
    )
}

fn bench_server(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    for f in [
        "go.mod",
        "go.sum",
        "pom.xml",
        "package.json",
        "main.go",
        ".env",
    ] {
        std::fs::write(root.join(f), "x\n").expect("write a context file");
    }
    std::fs::create_dir_all(root.join("src/app")).expect("mkdir");
    std::fs::create_dir_all(root.join("scripts")).expect("mkdir");
    std::fs::write(root.join("src/app/Main.java"), "class Main {}\n").expect("write");
    let text = large_dockerfile();
    assert_eq!(text.lines().count(), 300);

    let mut group = c.benchmark_group("server");
    let (mut server, uri) = open(root, &text, false);
    let mut version = 1;
    group.bench_function("change-to-published-diagnostics-300-lines", |b| {
        b.iter(|| {
            version += 1;
            server.handle(change(&uri, version));
            let out = server.take_outgoing();
            assert!(
                matches!(out.last(), Some(Message::Notification(n)) if n.method == "textDocument/publishDiagnostics")
            );
            black_box(out);
        })
    });

    let (mut server, uri) = open(root, &text, true);
    let mut version = 1;
    group.bench_function("change-then-pull-diagnostics-300-lines", |b| {
        b.iter(|| {
            version += 1;
            server.handle(change(&uri, version));
            server.handle(Message::Request(Request::new(
                RequestId::from(version),
                "textDocument/diagnostic".into(),
                json!({"textDocument": {"uri": uri}}),
            )));
            black_box(server.take_outgoing());
        })
    });
    group.finish();
}

criterion_group!(benches, bench_server);
criterion_main!(benches);
