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
            if anywhere.is_none() && earlier.is_none() {
                // No stage: an index past the last one, or a bare name one typo away from a
                // stage before this one (BuildKit would pull `docker.io/library/<name>`).
                // Other names may be images or named build contexts: left alone.
                if value.chars().all(|c| c.is_ascii_digit()) {
                    cx.report(
                        from.span,
                        format!(
                            "`COPY --from={value}` names stage {value}, but the file has {} (counted from 0): BuildKit fails with `invalid stage index {value}`",
                            sem.stages.len()
                        ),
                    );
                    continue;
                }
                let bare = !value.contains(['/', ':', '@', '$', '.']);
                let lower = value.to_ascii_lowercase();
                let names: Vec<String> = sem.stages[..current]
                    .iter()
                    .filter_map(|s| s.name.as_ref().map(|n| n.to_ascii_lowercase()))
                    .collect();
                if let Some(s) = bare
                    .then(|| crate::syntax::suggest::closest(&lower, names.iter().map(String::as_str)))
                    .flatten()
                {
                    cx.report(
                        from.span,
                        format!("`COPY --from={value}` names no stage: BuildKit pulls it as the image `docker.io/library/{lower}` (did you mean `{s}`?)"),
                    );
                }
                continue;
            }
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
