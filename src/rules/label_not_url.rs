//! WH534 `label-not-url`: see `rules/WH534.md`.

use super::helpers::label_schema::{self, check_type};
use super::helpers::label_values::url;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotUrl;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH534"),
    name: SharedStr::new("label-not-url"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3052"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH534.md")),
};

impl Rule for LabelNotUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(file, cx, "url", "a URL (scheme://host...)", url);
    }
}
