//! WH007 `invalid-parser-directive`: see `rules/WH007.md`.

use super::syntax_errors::report_owned;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct InvalidParserDirective;

static META: RuleMeta = RuleMeta {
    id: "WH007",
    name: "invalid-parser-directive",
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    doc: include_str!("../../rules/WH007.md"),
};

impl Rule for InvalidParserDirective {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
