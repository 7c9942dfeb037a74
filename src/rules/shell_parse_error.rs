//! WH009 `shell-parse-error`: see `rules/WH009.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, Span};

pub struct ShellParseError;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH009"),
    name: SharedStr::new("shell-parse-error"),
    category: Category::Syntax,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH009.md")),
};

impl Rule for ShellParseError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for run in &sem.run_scripts {
            let Err(e) = &run.script else { continue };
            let at = run.map.to_file_start(e.pos());
            let span = if e.span.is_empty() {
                Span::empty(at)
            } else {
                run.file_span(e.span)
            };
            cx.report(
                span,
                format!(
                    "The shell cannot parse this `RUN` ({}); shell rules skip it",
                    e.message
                ),
            );
        }
    }
}
