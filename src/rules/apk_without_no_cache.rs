//! WH305 `apk-without-no-cache`: see `rules/WH305.md`.

use super::helpers::run_commands::{
    RunCommand, command_text, has_mount_over, image_stages, insert_after_subcommand,
    run_commands,
};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::{Action, PackageManager};
use crate::syntax::Dockerfile;

pub struct ApkWithoutNoCache;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH305"),
    name: SharedStr::new("apk-without-no-cache"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3019", "DS-0025"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH305.md")),
};

/// A later command of the same RUN removes the cache (`rm -rf /var/cache/apk/*`,
/// `apk cache clean`).
fn cleaned_later(cmds: &[RunCommand<'_>], c: &RunCommand<'_>, pm: &PackageManager) -> bool {
    cmds.iter()
        .filter(|o| o.instruction == c.instruction && o.position() > c.position())
        .any(|o| o.cleans_cache_of(pm))
}

impl Rule for ApkWithoutNoCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = run_commands(sem);
        for c in &cmds {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if pm.name != "apk" || inv.action != Action::Install {
                continue;
            }
            let Some(flag) = pm.no_cache_flags.first() else {
                continue;
            };
            if inv.has_flag(c.words, &pm.no_cache_flags)
                || pm
                    .cache_dirs
                    .iter()
                    .any(|d| has_mount_over(file, c.instruction, d))
                // apk's own cache directory, the usual target of a cache mount
                || has_mount_over(file, c.instruction, "/etc/apk/cache")
                || cleaned_later(&cmds, c, pm)
            {
                continue;
            }
            let shown = command_text(c, inv);
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` without `{flag}` keeps the package index in the layer"),
            );
            if let Some(edit) = insert_after_subcommand(c, inv, flag) {
                builder.safe_fix(format!("Add `{flag}`"), vec![edit]);
            }
        }
    }
}
