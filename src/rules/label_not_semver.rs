//! WH538 `label-not-semver`: see `rules/WH538.md`.

use super::helpers::label_schema::{self, check_type};
use super::helpers::label_values::semver;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotSemver;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH538"),
    name: SharedStr::new("label-not-semver"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3056"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH538.md")),
};

impl Rule for LabelNotSemver {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(
            file,
            cx,
            "semver",
            "a semantic version (`1.2.3`, `1.2.3-rc.1`)",
            semver,
        );
    }
}
