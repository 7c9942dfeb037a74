//! WH531 `label-missing`: see `rules/WH531.md`.

use super::helpers::label_schema::{self, Options, image_labels};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelMissing;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH531"),
    name: SharedStr::new("label-missing"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3049"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH531.md")),
};

impl Rule for LabelMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let options: Options = cx.options();
        if options.label_schema.is_empty() {
            return;
        }
        let sem = cx.semantic();
        let Some(last) = sem.stages.last() else {
            return;
        };
        let Some(from) = last.from_view(file) else {
            return;
        };
        let present: Vec<String> = image_labels(file, sem).into_iter().map(|l| l.key).collect();
        for name in options.label_schema.keys() {
            if !present.contains(name) {
                cx.report(
                    from.image.span,
                    format!("the image has no label `{name}` (required by the label schema)"),
                );
            }
        }
    }
}
