//! Fuzz the language server's document sync: the input is read as a sequence of editor
//! operations (open, incremental edits with valid and made-up ranges, full changes, hovers,
//! code actions applied, pulls, saves, closes, settings) run against `whittle::server::Server`
//! in-process. Nothing may panic, the server's text follows the edits, and every range it sends
//! lies within the document (the checks are in `tests/support/server_ops.rs`).
#![no_main]

#[path = "../../tests/support/server_ops.rs"]
mod server_ops;

use libfuzzer_sys::fuzz_target;
use server_ops::{Op, Session};
use std::sync::OnceLock;

/// One directory for every run (the document is never written to it).
fn root() -> &'static std::path::Path {
    static ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();
    ROOT.get_or_init(|| tempfile::tempdir().expect("temporary directory")).path()
}

/// Reads the input front to back: a byte chooses the operation, the bytes after it its
/// arguments; texts are length-prefixed and taken as UTF-8 (lossily).
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn num(&mut self) -> usize {
        let hi = self.byte().unwrap_or(0) as usize;
        let lo = self.byte().unwrap_or(0) as usize;
        hi << 8 | lo
    }
    fn text(&mut self) -> String {
        let n = (self.byte().unwrap_or(0) as usize).min(self.0.len());
        let (t, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(t).into_owned()
    }
    fn op(&mut self) -> Option<Op> {
        Some(match self.byte()? % 11 {
            0 => Op::Open(self.text()),
            1..=3 => Op::Edit { start: self.num(), end: self.num(), text: self.text() },
            4 => Op::Wild {
                start: (self.num() as u32, self.num() as u32),
                end: (self.num() as u32, self.num() as u32),
                text: self.text(),
            },
            5 => Op::Full(self.text()),
            6 => Op::Hover(self.num()),
            7 => Op::Actions(self.num(), self.num()),
            8 => Op::Pull,
            9 => Op::Save,
            _ => match self.byte()? % 3 {
                0 => Op::Close,
                1 => Op::Settings(serde_json::json!({"select": ["ALL"], "unsafeFixes": true})),
                _ => Op::Settings(serde_json::json!({"ignore": [self.text()]})),
            },
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let mut r = Reader(data);
    let mut session = Session::new(root());
    let first = r.text();
    session.run(Op::Open(first));
    while let Some(op) = r.op() {
        session.run(op);
    }
});
