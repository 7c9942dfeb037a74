//! WH590 `unused-suppression`: see `rules/WH590.md`.
//!
//! The work happens in [`crate::lint`], after every other rule ran and the suppressions were
//! applied: only then is it known which codes suppressed nothing. [`unused_suppressions`] builds
//! the diagnostics; the rule's own `check` does nothing.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr, all_rules};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Edit, Fix};
use crate::settings::Settings;
use crate::suppress::{Pragma, SuppressedCode, Suppressions};
use crate::syntax::{Dockerfile, Span};

pub struct UnusedSuppression;

pub static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH590"),
    name: SharedStr::new("unused-suppression"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::Safe,
    aliases: &[],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH590.md")),
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, _cx: &mut Context<'_>) {}
}

/// Diagnostics for the codes of whittle and hadolint pragmas that name an enabled rule but
/// suppressed nothing. Codes naming no rule (a hadolint check whittle does not have) or a disabled
/// one are left alone: the suppression may matter elsewhere.
pub fn unused_suppressions(
    file: &Dockerfile,
    suppressions: &Suppressions,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let severity = settings.severity_of(&META);
    let mut out = Vec::new();
    for (pragma, code) in suppressions.unused() {
        let builtin = all_rules().iter().map(|r| r.meta());
        let custom = settings.custom_rules.iter().map(|r| &r.meta);
        let Some(rule) = builtin.chain(custom).find(|m| m.is_named(&code.code)) else {
            continue;
        };
        if !settings.is_enabled(rule) || rule.id == META.id {
            continue;
        }
        let edits = removal(file, pragma, code);
        out.push(Diagnostic {
            rule_id: META.id.clone(),
            rule_name: META.name.clone(),
            severity,
            span: code.span,
            message: format!("Suppression of `{}` matches no diagnostic", code.code),
            fix: Some(Fix::safe("Remove the unused suppression", vec![edits])),
        });
    }
    out
}

/// The edit that removes `code` from its pragma: the whole comment line when it is the only
/// code, otherwise the code and the comma that joins it to a neighbour.
pub(crate) fn removal(file: &Dockerfile, pragma: &Pragma, code: &SuppressedCode) -> Edit {
    let src = file.source();
    if pragma.codes.len() == 1 {
        let index = file.line_index();
        let line = index.line_of(pragma.span.start);
        let start = index.line_start(line);
        let end = index.line_start(line + 1).max(start);
        return Edit::delete(Span::new(start, end));
    }
    let bytes = src.as_bytes();
    let skip_blanks = |mut i: usize| {
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        i
    };
    let after = skip_blanks(code.span.end);
    if bytes.get(after) == Some(&b',') {
        return Edit::delete(Span::new(code.span.start, skip_blanks(after + 1)));
    }
    // The last code of the list: remove the comma before it.
    let mut before = code.span.start;
    while before > pragma.span.start
        && bytes
            .get(before - 1)
            .is_some_and(|b| *b == b' ' || *b == b'\t')
    {
        before -= 1;
    }
    if before > pragma.span.start && bytes.get(before - 1) == Some(&b',') {
        before -= 1;
    }
    Edit::delete(Span::new(before, code.span.end))
}
