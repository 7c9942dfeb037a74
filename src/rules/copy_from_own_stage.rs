//! WH215 `copy-from-own-stage`: see `rules/WH215.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyFromOwnStage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH215"),
    name: SharedStr::new("copy-from-own-stage"),
    category: Category::Correctness,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3023", "DS-0006"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH215.md")),
};

impl Rule for CopyFromOwnStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::Copy(copy) = ins.view() else {
                continue;
            };
            let Some(from) = &copy.from else { continue };
            let Some(value) = &from.value else { continue };
            let Some(stage) = sem.states.get(i).and_then(|s| s.stage) else {
                continue;
            };
            // The stages up to and including this one, as BuildKit resolves names (without
            // case) and indices.
            if sem.resolve_stage_ref(value, stage + 1) == Some(stage) {
                cx.report(
                    from.span,
                    format!("`COPY --from={value}` names the stage it is in; the build fails (a stage cannot copy from itself)"),
                );
            }
        }
    }
}
