//! WH003 `invalid-flag`: see `rules/WH003.md`.

use super::syntax_errors::report_owned;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct InvalidFlag;

static META: RuleMeta = RuleMeta {
    id: "WH003",
    name: "invalid-flag",
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    doc: include_str!("../../rules/WH003.md"),
};

impl Rule for InvalidFlag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
