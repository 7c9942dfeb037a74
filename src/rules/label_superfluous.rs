//! WH532 `label-superfluous`: see `rules/WH532.md`.

use super::helpers::label_schema::{self, Options, image_labels};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelSuperfluous;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH532"),
    name: SharedStr::new("label-superfluous"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3050"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA_AND_STRICT,
    doc: SharedStr::new(include_str!("../../rules/WH532.md")),
};

impl Rule for LabelSuperfluous {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let options: Options = cx.options();
        if !options.strict_labels || options.label_schema.is_empty() {
            return;
        }
        for label in image_labels(file, cx.semantic()) {
            if !options.label_schema.contains_key(&label.key) {
                cx.report(
                    label.key_span,
                    format!(
                        "label `{}` is not in the label schema (strict labels)",
                        label.key
                    ),
                );
            }
        }
    }
}
