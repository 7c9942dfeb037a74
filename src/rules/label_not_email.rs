//! WH539 `label-not-email`: see `rules/WH539.md`.

use super::label_schema::check_type;
use super::label_values::email;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotEmail;

static META: RuleMeta = RuleMeta {
    id: "WH539",
    name: "label-not-email",
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3058"],
    default_enabled: true,
    doc: include_str!("../../rules/WH539.md"),
};

impl Rule for LabelNotEmail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(file, cx, "email", "an email address", email);
    }
}
