//! WH006 `unterminated-heredoc`: see `rules/WH006.md`.

use super::helpers::syntax_errors::report_owned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct UnterminatedHeredoc;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH006"),
    name: SharedStr::new("unterminated-heredoc"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH006.md")),
};

impl Rule for UnterminatedHeredoc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
