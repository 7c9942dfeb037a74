//! WH214 `copy-from-later-stage`: see `rules/WH214.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyFromLaterStage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH214"),
    name: SharedStr::new("copy-from-later-stage"),
    category: Category::Correctness,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3022"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH214.md")),
};

impl Rule for CopyFromLaterStage {
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
            let Some(current) = sem.states.get(i).and_then(|s| s.stage) else {
                continue;
            };
            // Not this stage or one before it (by name, without case, or index), but a stage
            // after it.
            let earlier = sem.resolve_stage_ref(value, current + 1);
            let anywhere = sem.resolve_stage_ref(value, sem.stages.len());
            if earlier.is_some() || anywhere.is_none_or(|s| s <= current) {
                continue;
            }
            cx.report(
                from.span,
                format!("`COPY --from={value}` names a stage defined later in the file; BuildKit fails (a stage can only copy from stages before it)"),
            );
        }
    }
}
