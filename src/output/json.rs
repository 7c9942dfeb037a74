//! `--format json`: whittle's own schema for editors and scripts, versioned so that consumers
//! can rely on it.
//!
//! ```text
//! { "version": 1,
//!   "files": [ { "file": "path",
//!                "diagnostics": [ { "rule": "WH301", "name": "apt-lists-not-cleaned",
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
        rule: d.rule_id,
        name: d.rule_name,
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

fn build<'a>(reports: &[FileReport<'a>]) -> Output<'a> {
    let files = reports
        .iter()
        .map(|r| {
            let loc = Locator::new(r.source);
            JsonFile {
                file: r.path,
                diagnostics: r.diagnostics.iter().map(|d| diagnostic(d, &loc)).collect(),
                errors: r.errors.iter().map(|m| JsonError { message: m }).collect(),
            }
        })
        .collect();
    Output {
        version: SCHEMA_VERSION,
        files,
    }
}

/// The JSON value (for callers that embed it).
pub fn to_value(reports: &[FileReport<'_>]) -> serde_json::Value {
    serde_json::to_value(build(reports)).unwrap_or(serde_json::Value::Null)
}

/// Pretty-printed in schema order, with a final newline.
pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&build(reports)).unwrap_or_default();
    s.push('\n');
    s
}
