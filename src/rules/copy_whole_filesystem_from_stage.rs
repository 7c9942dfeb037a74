//! WH352 `copy-whole-filesystem-from-stage`: see `rules/WH352.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyWholeFilesystemFromStage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH352"),
    name: SharedStr::new("copy-whole-filesystem-from-stage"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3067"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH352.md")),
};

impl Rule for CopyWholeFilesystemFromStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::Copy(copy) = ins.view() else {
                continue;
            };
            let Some(from) = copy.from.as_ref().and_then(|f| f.value.as_deref()) else {
                continue;
            };
            // Only stages: copying a whole *image* (`--from=some/tiny-image / /`) is a
            // deliberate way to layer a scratch-based image's files. So is copying a stage
            // that is only an image alias (`FROM tonistiigi/xx AS xx`) or that starts from
            // `scratch` (a stage holding only the artifacts).
            let Some(current) = sem.states.get(i).and_then(|s| s.stage) else {
                continue;
            };
            let Some(source) = sem
                .resolve_stage_ref(from, current)
                .and_then(|s| sem.stages.get(s))
            else {
                continue;
            };
            let from_scratch = sem
                .root_stage(source.index)
                .is_some_and(|r| r.base.is_scratch);
            if from_scratch || source.body.is_empty() {
                continue;
            }
            // (`.` is the source stage's WORKDIR, not its root.)
            let Some(root) = copy
                .sources
                .iter()
                .find(|s| matches!(s.value.as_str(), "/" | "/." | "/*"))
            else {
                continue;
            };
            cx.report(
                root.span,
                format!("`COPY --from={from} {}` copies the stage's whole filesystem (a second copy of its OS, its caches, its build tools): copy only the files the image needs", root.value),
            );
        }
    }
}
