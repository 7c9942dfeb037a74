//! WH534 `label-not-url`: see `rules/WH534.md`.

use super::label_schema::check_type;
use super::label_values::url;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotUrl;

static META: RuleMeta = RuleMeta {
    id: "WH534",
    name: "label-not-url",
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3052"],
    default_enabled: true,
    doc: include_str!("../../rules/WH534.md"),
};

impl Rule for LabelNotUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(file, cx, "url", "a URL (scheme://host...)", url);
    }
}
