//! `--format json`: whittle's own schema for editors and scripts, versioned so that consumers
//! can rely on it.
//!
//! ```text
//! { "version": 1,
//!   "files": [ { "file": "path",
//!                "diagnostics": [ { "rule": "WH301", "name": "apt-lists-not-cleaned",
//!                                   "url": "<the rule's page>" (built-in rules),
//!                                   "severity": "warning", "message": "...",
//!                                   "start": Position, "end": Position,
//!                                   "fix": { "title", "applicability", "edits": [ { "start", "end", "text" } ] } | null } ],
//!                "errors": [ { "message": "..." } ] } ] }
//! Position = { "line": 1-based, "column": 1-based chars, "column_utf16": 1-based UTF-16 units,
//!              "offset": 0-based byte offset }
//! ```
//! `end` is exclusive. Edits are on the file as read; apply them from the last to the first.

use super::FileReport;
use crate::diagnostic::{Diagnostic, Locator, Position};
use serde::Serialize;
use std::borrow::Cow;

/// Bump when a field changes meaning or disappears (adding fields does not bump it).
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Schema (draft 7) of this output, for editors and tests.
pub const SCHEMA: &str = include_str!("json-schema-v1.json");

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    name: &'a str,
    /// The rule's page (built-in rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    severity: &'a str,
    message: &'a str,
    start: JsonPosition,
    end: JsonPosition,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    column_utf16: usize,
    offset: usize,
}

impl From<Position> for JsonPosition {
    fn from(p: Position) -> Self {
        JsonPosition {
            line: p.line,
            column: p.column,
            column_utf16: p.column_utf16,
            offset: p.offset,
        }
    }
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: JsonPosition,
    end: JsonPosition,
    text: &'a str,
}

fn diagnostic<'a>(d: &'a Diagnostic, loc: &Locator<'_>) -> JsonDiagnostic<'a> {
    let l = loc.location(d.span);
    JsonDiagnostic {
        rule: &d.rule_id,
        name: &d.rule_name,
        url: super::rule_url(&d.rule_id),
        severity: d.severity.as_str(),
        message: &d.message,
        start: l.start.into(),
        end: l.end.into(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability.as_str(),
            edits: f
                .edits
                .iter()
                .map(|e| {
                    let el = loc.location(e.span);
                    JsonEdit {
                        start: el.start.into(),
                        end: el.end.into(),
                        text: &e.text,
                    }
                })
                .collect(),
        }),
    }
}

fn file<'a>(r: &FileReport<'a>) -> JsonFile<'a> {
    let loc = Locator::new(r.source);
    JsonFile {
        file: r.path,
        diagnostics: r.diagnostics.iter().map(|d| diagnostic(d, &loc)).collect(),
        errors: r.errors.iter().map(|m| JsonError { message: m }).collect(),
    }
}

fn build<'a>(reports: &[FileReport<'a>]) -> Output<'a> {
    let files = reports.iter().map(file).collect();
    Output {
        version: SCHEMA_VERSION,
        files,
    }
}

/// The JSON value (for callers that embed it).
pub fn to_value(reports: &[FileReport<'_>]) -> serde_json::Value {
    serde_json::to_value(build(reports)).unwrap_or(serde_json::Value::Null)
}

/// Pretty-printed in schema order, with a final newline: byte for byte what
/// `serde_json::to_string_pretty` gives for the whole document (a test holds it to that).
pub fn render(reports: &[FileReport<'_>]) -> String {
    render_chunks(reports).concat()
}

/// [`render`] as pieces to write one after the other. Each file is rendered on its own, in
/// parallel, and the pieces are never joined: a large run prints tens of MB, and rendering them
/// on one thread, then copying them into one string, was a fifth of a 6,000-file run.
pub fn render_chunks(reports: &[FileReport<'_>]) -> Vec<Cow<'static, str>> {
    use rayon::prelude::*;
    if reports.is_empty() {
        let mut s = serde_json::to_string_pretty(&build(reports)).unwrap_or_default();
        s.push('\n');
        return vec![Cow::Owned(s)];
    }
    let files: Vec<String> = reports
        .par_iter()
        .map(|r| {
            // Each file object sits two levels deep (`{ "files": [ ... ] }`).
            let mut out = b"    ".to_vec();
            let mut ser = serde_json::Serializer::with_formatter(&mut out, Nested::at_depth(2));
            // Serializing plain structs into memory cannot fail.
            let _ = file(r).serialize(&mut ser);
            // serde_json writes UTF-8; checked here, in parallel.
            String::from_utf8(out).unwrap_or_default()
        })
        .collect();
    let mut chunks = Vec::with_capacity(2 * files.len() + 1);
    chunks.push(Cow::Owned(format!(
        "{{\n  \"version\": {SCHEMA_VERSION},\n  \"files\": [\n"
    )));
    for (i, f) in files.into_iter().enumerate() {
        if i > 0 {
            chunks.push(Cow::Borrowed(",\n"));
        }
        chunks.push(Cow::Owned(f));
    }
    chunks.push(Cow::Borrowed("\n  ]\n}\n"));
    chunks
}

/// serde_json's pretty layout (two-space indent, `": "` after keys, empty arrays and objects
/// as `[]`/`{}`) starting `depth` levels deep, so that a fragment fits into the document.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at_depth(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(c)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(c)
    }

    fn item<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Settings, lint};
    use crate::syntax::parse;

    /// The per-file parallel rendering gives exactly serde's rendering of the whole document.
    #[test]
    fn render_is_serdes_pretty_document() {
        let texts = [
            "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
            "FROM alpine:3.19\nRUN apk add git\nUSER 0\nCMD [\"sh\", \"-c\", \"echo \\\"é\\\"\"]\n",
            "FROM scratch\nCOPY a /a\n",
        ];
        let diagnostics: Vec<_> = texts
            .iter()
            .map(|t| lint(&parse(t), &Settings::default()))
            .collect();
        assert!(diagnostics.iter().flatten().any(|d| d.fix.is_some()));
        let errors = vec!["cannot read: \"x\"\nsecond line".to_string()];
        let names = ["a", "b/Dockerfile", "c"];
        let mut reports: Vec<FileReport<'_>> = texts
            .iter()
            .zip(&diagnostics)
            .zip(names)
            .map(|((t, d), name)| FileReport::new(name, t, d))
            .collect();
        reports.push(FileReport {
            path: "missing",
            source: "",
            diagnostics: &[],
            errors: &errors,
        });
        for n in 0..=reports.len() {
            let whole = serde_json::to_string_pretty(&build(&reports[..n])).unwrap() + "\n";
            assert_eq!(render(&reports[..n]), whole, "first {n} reports");
        }
    }
}
