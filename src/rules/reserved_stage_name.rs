//! WH202 `reserved-stage-name`: see `rules/WH202.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct ReservedStageName;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH202"),
    name: SharedStr::new("reserved-stage-name"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["buildkit:ReservedStageName", "DL3063"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH202.md")),
};

/// Names BuildKit gives a meaning of their own.
const RESERVED: &[&str] = &["context", "scratch"];

impl Rule for ReservedStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let Some(alias) = &from.alias else {
                continue;
            };
            let name = alias.value.to_lowercase();
            if RESERVED.contains(&name.as_str()) {
                cx.report(
                    alias.span,
                    format!("Stage name `{name}` is reserved and should not name a stage"),
                );
            }
        }
    }
}
