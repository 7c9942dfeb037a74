//! WH538 `label-not-semver`: see `rules/WH538.md`.

use super::label_schema::check_type;
use super::label_values::semver;
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotSemver;

static META: RuleMeta = RuleMeta {
    id: "WH538",
    name: "label-not-semver",
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3056"],
    default_enabled: true,
    doc: include_str!("../../rules/WH538.md"),
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
