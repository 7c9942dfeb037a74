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
        let Some(bc) = cx.build_context().and_then(|b| b.located()) else {
            return;
        };
        if bc.ignore_name.is_some() {
            return;
        }
        // The secret-looking files it sends, named here (WH150 leaves this COPY to this rule).
        let secrets: Vec<String> = bc
            .secrets_under(".", super::secret_sent_by_copy::secret_name)
            .map(|it| {
                let mut names: Vec<String> = it
                    .filter(|(_, n)| bc.local_secrets.as_ref().is_none_or(|l| l.contains(*n)))
                    .map(|(_, n)| format!("`{n}`"))
                    .collect();
                names.sort();
                names.dedup();
                names
            })
            .unwrap_or_default();
        for src in local_sources(file).into_iter().filter(|s| s.path == ".") {
            let verb = if src.is_add { "ADD" } else { "COPY" };
            let sent = if secrets.is_empty() {
                "`.git`, dependencies and local files all go into the image".to_string()
            } else {
                let mut list: Vec<String> = secrets.iter().take(3).cloned().collect();
                if secrets.len() > 3 {
                    list.push(format!("and {} more", secrets.len() - 3));
                }
                format!(
                    "dependencies, local files and secret-looking files ({}) all go into the image",
                    list.join(", ")
                )
            };
            cx.report(
                src.span,
                format!(
                    "`{verb} .` copies the whole build context and there is no .dockerignore: \
                     {sent}; `whittle ignore --write` creates one"
                ),
            );
        }
    }
}
