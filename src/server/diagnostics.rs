//! whittle's findings as LSP diagnostics: UTF-16 ranges, severities, the rule id as `code` with
//! a link to its page, and the rule's name, aliases and fix in `data`.

use super::analysis::{Analysis, Problem};
use super::convert::LineTable;
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::rule_url;
use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticSeverity, DiagnosticTag,
    NumberOrString, Uri,
};
use serde_json::json;

/// What the server calls itself in diagnostics.
pub const SOURCE: &str = "whittle";

/// The protocol's severity for a whittle severity. Style findings are information, not hints:
/// they fail `whittle check` by default, and editors hide hints.
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info | Severity::Style => DiagnosticSeverity::INFORMATION,
    }
}

fn link(id: &str) -> Option<CodeDescription> {
    let href: Uri = rule_url(id)?.parse().ok()?;
    Some(CodeDescription { href })
}

/// One finding as an LSP diagnostic (`analysis` names its rule's aliases).
pub fn to_lsp(d: &Diagnostic, analysis: &Analysis, text: &str, lines: &LineTable) -> LspDiagnostic {
    let aliases: Vec<&str> = analysis
        .rule(&d.rule_id)
        .map(|m| m.aliases.to_vec())
        .unwrap_or_default();
    let tags =
        (d.rule_name.as_str() == "unused-suppression").then(|| vec![DiagnosticTag::UNNECESSARY]);
    LspDiagnostic {
        range: lines.range(text, d.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule_id.to_string())),
        code_description: link(&d.rule_id),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: None,
        tags,
        data: Some(json!({
            "name": d.rule_name.as_str(),
            "aliases": aliases,
            "severity": d.severity.as_str(),
            "fix": d.fix.as_ref().map(|f| json!({
                "title": f.title,
                "applicability": f.applicability.as_str(),
            })),
        })),
    }
}

fn problem_to_lsp(p: &Problem, text: &str, lines: &LineTable) -> LspDiagnostic {
    LspDiagnostic {
        range: lines.range(text, p.span),
        severity: Some(severity(p.severity)),
        code: Some(NumberOrString::String(p.code.to_string())),
        source: Some(SOURCE.to_string()),
        message: p.message.clone(),
        ..LspDiagnostic::default()
    }
}

/// Every diagnostic of an analysis of `text`.
pub fn all(analysis: &Analysis, text: &str) -> Vec<LspDiagnostic> {
    let lines = LineTable::new(text);
    analysis
        .problems
        .iter()
        .map(|p| problem_to_lsp(p, text, &lines))
        .chain(
            analysis
                .diagnostics
                .iter()
                .map(|d| to_lsp(d, analysis, text, &lines)),
        )
        .collect()
}
