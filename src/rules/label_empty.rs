//! WH533 `label-empty`: see `rules/WH533.md`.

use super::helpers::label_schema::{self, Options, image_labels};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelEmpty;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH533"),
    name: SharedStr::new("label-empty"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3051"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH533.md")),
};

impl Rule for LabelEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let options: Options = cx.options();
        if options.label_schema.is_empty() {
            return;
        }
        for label in image_labels(file, cx.semantic()) {
            if !label.dynamic
                && label.value.trim().is_empty()
                && options.label_schema.contains_key(&label.key)
            {
                cx.report(label.key_span, format!("label `{}` is empty", label.key));
            }
        }
    }
}
