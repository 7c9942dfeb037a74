//! WH502 `from-as-casing`: see `rules/WH502.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, InstructionView};

pub struct FromAsCasing;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH502"),
    name: SharedStr::new("from-as-casing"),
    category: Category::Style,
    severity: Severity::Style,
    fix: FixKind::Safe,
    aliases: &["buildkit:FromAsCasing"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH502.md")),
};

impl Rule for FromAsCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let Some(as_span) = from.as_span else {
                continue;
            };
            let keyword = file.text(ins.keyword_span);
            let as_text = file.text(as_span);
            // A mixed-case `From` is WH503's business.
            let wanted = if keyword == keyword.to_lowercase() {
                "as"
            } else if keyword == keyword.to_uppercase() {
                "AS"
            } else {
                continue;
            };
            if as_text == wanted {
                continue;
            }
            cx.report(
                as_span,
                format!("`{as_text}` does not match the casing of `{keyword}`"),
            )
            .safe_fix(
                format!("Write `{wanted}`"),
                vec![Edit::replace(as_span, wanted)],
            );
        }
    }
}
