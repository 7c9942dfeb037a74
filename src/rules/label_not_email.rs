//! WH539 `label-not-email`: see `rules/WH539.md`.

use super::helpers::label_schema::{self, check_type};
use super::helpers::label_values::email;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotEmail;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH539"),
    name: SharedStr::new("label-not-email"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3058"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH539.md")),
};

impl Rule for LabelNotEmail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(file, cx, "email", "an email address", email);
    }
}
