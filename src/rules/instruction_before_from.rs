//! WH005 `instruction-before-from`: see `rules/WH005.md`.

use super::syntax_errors::report_owned;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct InstructionBeforeFrom;

static META: RuleMeta = RuleMeta {
    id: "WH005",
    name: "instruction-before-from",
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    doc: include_str!("../../rules/WH005.md"),
};

impl Rule for InstructionBeforeFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
