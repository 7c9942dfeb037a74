//! WH007 `invalid-parser-directive`: see `rules/WH007.md`.

use super::helpers::syntax_errors::report_owned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct InvalidParserDirective;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH007"),
    name: SharedStr::new("invalid-parser-directive"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH007.md")),
};

impl Rule for InvalidParserDirective {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        report_owned(file, cx);
    }
}
