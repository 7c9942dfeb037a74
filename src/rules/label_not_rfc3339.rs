//! WH535 `label-not-rfc3339`: see `rules/WH535.md`.

use super::label_schema::check_type;
use super::label_values::rfc3339;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotRfc3339;

static META: RuleMeta = RuleMeta {
    id: "WH535",
    name: "label-not-rfc3339",
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3053"],
    default_enabled: true,
    doc: include_str!("../../rules/WH535.md"),
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
