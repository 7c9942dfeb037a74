//! `--format sarif`: SARIF 2.1.0 for code-scanning services (GitHub code scanning and others).
//!
//! One run; `tool.driver.rules` lists the rules that have results in it (not every rule: a log
//! of one file stays small), each with its page as `help` and its link as `helpUri`;
//! each result points at its rule by `ruleId` and `ruleIndex`, has a region with 1-based lines
//! and UTF-16 columns (`columnKind: utf16CodeUnits`, the SARIF default), and carries the rule's
//! fix as `fixes` (empty regions insert). Per-file errors become tool execution notifications.

use super::{FileReport, RuleCatalog, path_to_uri, rule_url};
use crate::descriptor::RuleMeta;
use crate::diagnostic::{Diagnostic, Locator, Severity};
use crate::syntax::Span;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const SARIF_VERSION: &str = "2.1.0";
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF `level` for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn region(loc: &Locator<'_>, span: Span) -> Value {
    let l = loc.location(span);
    json!({
        "startLine": l.start.line,
        "startColumn": l.start.column_utf16,
        "endLine": l.end.line,
        "endColumn": l.end.column_utf16,
    })
}

fn result(d: &Diagnostic, uri: &str, loc: &Locator<'_>, index: &BTreeMap<&str, usize>) -> Value {
    let mut r = json!({
        "ruleId": d.rule_id,
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": region(loc, d.span),
            }
        }],
    });
    if let Some(i) = index.get(d.rule_id.as_str()) {
        r["ruleIndex"] = json!(i);
    }
    if let Some(fix) = d.fix.as_ref().filter(|f| !f.edits.is_empty()) {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(loc, e.span),
                    "insertedContent": { "text": e.text },
                })
            })
            .collect();
        r["fixes"] = json!([{
            "description": { "text": fix.title },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri },
                "replacements": replacements,
            }],
            "properties": { "applicability": fix.applicability.as_str() },
        }]);
    }
    r
}

/// The SARIF log as a JSON value.
pub fn to_value(reports: &[FileReport<'_>], catalog: &RuleCatalog, version: &str) -> Value {
    // The rules of the results, in ID order; `ruleIndex` points into this list.
    let used: std::collections::BTreeSet<&str> = reports
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| d.rule_id.as_str()))
        .collect();
    let listed: Vec<&RuleMeta> = catalog
        .rules()
        .iter()
        .filter(|r| used.contains(r.id.as_str()))
        .collect();
    let index: BTreeMap<&str, usize> = listed
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = listed
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.summary() },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.severity) },
            });
            if let Some(url) = rule_url(&r.id) {
                rule["helpUri"] = json!(url);
            }
            rule
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in reports {
        let uri = path_to_uri(report.path);
        let loc = Locator::new(report.source);
        results.extend(
            report
                .diagnostics
                .iter()
                .map(|d| result(d, &uri, &loc, &index)),
        );
        notifications.extend(report.errors.iter().map(|e| {
            json!({
                "level": "error",
                "message": { "text": e },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            })
        }));
    }
    let mut driver = json!({
        "name": "whittle",
        "rules": rules,
    });
    if !version.is_empty() {
        driver["version"] = json!(version);
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "utf16CodeUnits",
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

/// Pretty-printed, with a final newline.
pub fn render(reports: &[FileReport<'_>], catalog: &RuleCatalog, version: &str) -> String {
    let mut s =
        serde_json::to_string_pretty(&to_value(reports, catalog, version)).unwrap_or_default();
    s.push('\n');
    s
}
