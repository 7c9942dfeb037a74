//! WH536 `label-not-spdx`: see `rules/WH536.md`.

use super::helpers::label_schema::{self, check_type};
use super::helpers::label_values::spdx;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotSpdx;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH536"),
    name: SharedStr::new("label-not-spdx"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3054"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH536.md")),
};

impl Rule for LabelNotSpdx {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(
            file,
            cx,
            "spdx",
            "an SPDX license expression (`MIT`, `Apache-2.0 OR MIT`)",
            spdx,
        );
    }
}
