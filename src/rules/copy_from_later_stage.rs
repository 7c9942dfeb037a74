//! WH214 `copy-from-later-stage`: see `rules/WH214.md`.

use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyFromLaterStage;

static META: RuleMeta = RuleMeta {
    id: "WH214",
    name: "copy-from-later-stage",
    category: Category::Correctness,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3022"],
    default_enabled: true,
    doc: include_str!("../../rules/WH214.md"),
};

impl Rule for CopyFromLaterStage {
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
            let Some(current) = sem.states.get(i).and_then(|s| s.stage) else {
                continue;
            };
            // A later stage by name (BuildKit matches names case-insensitively) or by index.
            let later = sem
                .stages
                .iter()
                .skip(current + 1)
                .find(|s| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(value))
                })
                .map(|s| s.index)
                .or_else(|| value.parse::<usize>().ok().filter(|&n| n > current));
            // An earlier stage of the same name wins: then it is not a forward reference.
            let earlier = sem.stages.iter().take(current).any(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(value))
            });
            if later.is_none() || earlier {
                continue;
            }
            cx.report(
                from.span,
                format!("`COPY --from={value}` names a stage defined later in the file; BuildKit fails (a stage can only copy from stages before it)"),
            );
        }
    }
}
