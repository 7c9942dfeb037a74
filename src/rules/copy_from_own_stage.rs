//! WH215 `copy-from-own-stage`: see `rules/WH215.md`.

use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyFromOwnStage;

static META: RuleMeta = RuleMeta {
    id: "WH215",
    name: "copy-from-own-stage",
    category: Category::Correctness,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3023", "DS-0006"],
    default_enabled: true,
    doc: include_str!("../../rules/WH215.md"),
};

impl Rule for CopyFromOwnStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::Copy(copy) = &ins.view else {
                continue;
            };
            let Some(from) = &copy.from else { continue };
            let Some(value) = &from.value else { continue };
            let Some(stage) = sem.states.get(i).and_then(|s| s.stage) else {
                continue;
            };
            let Some(current) = sem.stages.get(stage) else {
                continue;
            };
            // BuildKit matches stage names case-insensitively, and takes a number as an index.
            let own_name = current
                .name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(value));
            let own_index = value.parse::<usize>().is_ok_and(|n| n == stage);
            if own_name || own_index {
                cx.report(
                    from.span,
                    format!("`COPY --from={value}` names the stage it is in; the build fails (a stage cannot copy from itself)"),
                );
            }
        }
    }
}
