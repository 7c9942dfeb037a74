//! WH309 `gem-docs-installed`: see `rules/WH309.md`.

use super::helpers::run_commands::{command_text, image_stages, insert_after_subcommand, run_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::Action;
use crate::syntax::Dockerfile;

pub struct GemDocsInstalled;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH309"),
    name: SharedStr::new("gem-docs-installed"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Safe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH309.md")),
};

impl Rule for GemDocsInstalled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        // A gemrc written by the image (`gem: --no-document`) turns documentation off for all.
        let gemrc = sem.run_scripts.iter().any(|r| {
            sem.states
                .get(r.instruction)
                .and_then(|s| s.stage)
                .is_some_and(|s| stages.contains(&s))
                && r.text.contains("gemrc")
        });
        for c in run_commands(sem) {
            if !stages.contains(&c.stage) || gemrc {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if pm.name != "gem" || !matches!(inv.action, Action::Install | Action::Upgrade) {
                continue;
            }
            // `--document=` chooses what to generate: the user asked for it.
            if inv.has_flag(c.words, &pm.no_docs_flags)
                || c.words.iter().any(|w| w.starts_with("--document"))
            {
                continue;
            }
            let Some(flag) = pm.no_docs_flags.first() else {
                continue;
            };
            let shown = command_text(&c, inv);
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` also generates documentation for every gem; add `{flag}`"),
            );
            if let Some(edit) = insert_after_subcommand(&c, inv, flag) {
                builder.safe_fix(format!("Add `{flag}`"), vec![edit]);
            }
        }
    }
}
