//! WH350 `copy-all-without-dockerignore`: see `rules/WH350.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::build_context::local_sources;
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct CopyAllWithoutDockerignore;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH350"),
    name: SharedStr::new("copy-all-without-dockerignore"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::IgnoreFile,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH350.md")),
};

impl Rule for CopyAllWithoutDockerignore {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let Some(bc) = cx.build_context() else {
            return;
        };
        if bc.ignore_name.is_some() {
            return;
        }
        for src in local_sources(file).into_iter().filter(|s| s.path == ".") {
            let verb = if src.is_add { "ADD" } else { "COPY" };
            cx.report(
                src.span,
                format!(
                    "`{verb} .` copies the whole build context and there is no .dockerignore: \
                     `.git`, dependencies and local files all go into the image; \
                     `whittle ignore --write` creates one"
                ),
            );
        }
    }
}
