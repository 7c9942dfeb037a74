//! `--format rdjson`: reviewdog's Diagnostic Format (a `DiagnosticResult` object), so that
//! reviewdog posts whittle's findings as review comments and its fixes as suggested changes.
//!
//! Positions are 1-based lines and 1-based columns counted in UTF-8 bytes, ends exclusive (the
//! format's convention). Each safe or unsafe fix becomes the diagnostic's `suggestions`, its
//! edits exactly as `--fix` applies them (the file's line endings); display-only fixes are not
//! suggested. Files that could not be read are reported as diagnostics without a range.

use super::{FileReport, rule_url};
use crate::diagnostic::{Applicability, Diagnostic, Locator, Severity};
use crate::fix::edits_as_applied;
use crate::syntax::Span;
use serde_json::{Value, json};

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Style => "INFO",
    }
}

fn range(loc: &Locator<'_>, span: Span) -> Value {
    let l = loc.location(span);
    json!({
        "start": { "line": l.start.line, "column": l.start.column_byte },
        "end": { "line": l.end.line, "column": l.end.column_byte },
    })
}

fn diagnostic(d: &Diagnostic, path: &str, src: &str, loc: &Locator<'_>) -> Value {
    let mut code = json!({ "value": d.rule_id });
    if let Some(url) = rule_url(&d.rule_id) {
        code["url"] = json!(url);
    }
    let mut out = json!({
        "message": format!("{} ({})", d.message, d.rule_name),
        "location": { "path": path, "range": range(loc, d.span) },
        "severity": severity(d.severity),
        "code": code,
    });
    let suggestions: Vec<Value> = d
        .fix
        .as_ref()
        .filter(|f| f.applies_at(Applicability::Unsafe))
        .and_then(|f| edits_as_applied(src, f))
        .unwrap_or_default()
        .iter()
        .map(|e| json!({ "range": range(loc, e.span), "text": e.text }))
        .collect();
    if !suggestions.is_empty() {
        out["suggestions"] = json!(suggestions);
    }
    out
}

/// The `DiagnosticResult` as a JSON value.
pub fn to_value(reports: &[FileReport<'_>]) -> Value {
    let mut diagnostics = Vec::new();
    for r in reports {
        for e in r.errors {
            diagnostics.push(json!({
                "message": e,
                "location": { "path": r.path },
                "severity": "ERROR",
            }));
        }
        let loc = Locator::new(r.source);
        diagnostics.extend(
            r.diagnostics
                .iter()
                .map(|d| diagnostic(d, r.path, r.source, &loc)),
        );
    }
    json!({
        "source": { "name": "whittle", "url": env!("CARGO_PKG_REPOSITORY") },
        "diagnostics": diagnostics,
    })
}

/// Pretty-printed, with a final newline.
pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(reports)).unwrap_or_default();
    s.push('\n');
    s
}
