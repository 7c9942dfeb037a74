//! WH002 `unknown-instruction`: see `rules/WH002.md`.

use super::syntax_errors::report_owned;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct UnknownInstruction;

static META: RuleMeta = RuleMeta {
    id: "WH002",
    name: "unknown-instruction",
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    doc: include_str!("../../rules/WH002.md"),
};

impl Rule for UnknownInstruction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
