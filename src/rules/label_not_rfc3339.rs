//! WH535 `label-not-rfc3339`: see `rules/WH535.md`.

use super::helpers::label_schema::{self, check_type};
use super::helpers::label_values::rfc3339;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotRfc3339;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH535"),
    name: SharedStr::new("label-not-rfc3339"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3053"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH535.md")),
};

impl Rule for LabelNotRfc3339 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(
            file,
            cx,
            "rfc3339",
            "an RFC 3339 time (`2024-05-01T12:00:00Z`)",
            rfc3339,
        );
    }
}
