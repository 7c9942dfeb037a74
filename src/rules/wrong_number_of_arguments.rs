//! WH004 `wrong-number-of-arguments`: see `rules/WH004.md`.

use super::helpers::syntax_errors::report_owned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct WrongNumberOfArguments;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH004"),
    name: SharedStr::new("wrong-number-of-arguments"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH004.md")),
};

impl Rule for WrongNumberOfArguments {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
