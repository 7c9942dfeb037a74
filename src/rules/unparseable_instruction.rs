//! WH001 `unparseable-instruction`: see `rules/WH001.md`.

use super::helpers::syntax_errors::report_owned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct UnparseableInstruction;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH001"),
    name: SharedStr::new("unparseable-instruction"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3043"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH001.md")),
};

impl Rule for UnparseableInstruction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
