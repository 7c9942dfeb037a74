//! The language server's document sync, fuzzed: random sequences of opens, incremental and
//! full changes (valid and made-up ranges), hovers, code actions applied, pulls, saves, closes
//! and settings, over Dockerfile-like text with multi-byte characters and every kind of line
//! end. Nothing may panic, the server's text must follow the edits, and every range it sends
//! must lie within the document (see `tests/support/server_ops.rs`).

#[path = "support/server_ops.rs"]
mod server_ops;

use proptest::prelude::*;
use serde_json::json;
use server_ops::{Op, Session};

/// Pieces of Dockerfiles, chosen to meet the parser's and the rules' edge cases.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM debian:bookworm as build\n".to_string()),
        Just("FROM alpine\n".to_string()),
        Just("RUN apt-get update && apt-get install -y curl\n".to_string()),
        Just("RUN <<EOF\necho hi\nEOF\n".to_string()),
        Just("COPY . /app\n".to_string()),
        Just("# whittle ignore=WH301,WH9\n".to_string()),
        Just("# hadolint ignore=DL3008\n".to_string()),
        Just("# syntax=docker/dockerfile:1\n".to_string()),
        Just("# escape=`\n".to_string()),
        Just("\\\n".to_string()),
        Just("`\r\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("é😀".to_string()),
        Just("\u{feff}".to_string()),
        Just("ENV A=$B ${C:-d}\n".to_string()),
        Just("USER root\n".to_string()),
        "[ -~]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..12).prop_map(|v| v.concat())
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => text().prop_map(Op::Open),
        6 => (any::<usize>(), any::<usize>(), text())
            .prop_map(|(start, end, text)| Op::Edit { start, end, text }),
        2 => (0u32..12, 0u32..40, 0u32..12, 0u32..40, text())
            .prop_map(|(a, b, c, d, text)| Op::Wild { start: (a, b), end: (c, d), text }),
        1 => (any::<u32>(), any::<u32>(), text())
            .prop_map(|(a, b, text)| Op::Wild { start: (a, b), end: (b, a), text }),
        1 => text().prop_map(Op::Full),
        2 => any::<usize>().prop_map(Op::Hover),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Actions(a, b)),
        1 => Just(Op::Pull),
        1 => Just(Op::Save),
        1 => Just(Op::Close),
        1 => prop_oneof![
            Just(json!({"ignore": ["WH301"]})),
            Just(json!({"select": ["ALL"], "unsafeFixes": true})),
            Just(json!({"select": ["nonsense"]})),
            Just(json!({"extendSelect": 3})),
            Just(json!(null)),
        ]
        .prop_map(Op::Settings),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn document_sync_never_breaks(first in text(), ops in prop::collection::vec(op(), 1..25)) {
        let dir = tempfile::tempdir().unwrap();
        let mut session = Session::new(dir.path());
        session.run(Op::Open(first));
        for op in ops {
            session.run(op);
        }
    }
}

/// A few sequences that once needed care, kept as plain tests.
#[test]
fn carriage_returns_and_wide_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(dir.path());
    s.run(Op::Open("FROM a\r\nRUN é😀 x\rEND\n".into()));
    for (start, end) in [(7, 8), (0, 100), (13, 14), (6, 6)] {
        s.run(Op::Edit {
            start,
            end,
            text: "\r".into(),
        });
        s.run(Op::Edit {
            start: end,
            end: start,
            text: "\n😀".into(),
        });
    }
    s.run(Op::Wild {
        start: (0, 99),
        end: (99, 0),
        text: "x".into(),
    });
    s.run(Op::Actions(0, 1000));
    s.run(Op::Hover(3));
}
