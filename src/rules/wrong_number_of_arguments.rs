//! WH004 `wrong-number-of-arguments`: see `rules/WH004.md`.

use super::syntax_errors::report_owned;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct WrongNumberOfArguments;

static META: RuleMeta = RuleMeta {
    id: "WH004",
    name: "wrong-number-of-arguments",
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    doc: include_str!("../../rules/WH004.md"),
};

impl Rule for WrongNumberOfArguments {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
