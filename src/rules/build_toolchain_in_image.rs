//! WH307 `build-toolchain-in-image`: see `rules/WH307.md`.

use super::helpers::run_commands::{command_text, image_stages, layer_commands};
use super::helpers::stage_split;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::{self, Action, Kind};
use crate::syntax::Dockerfile;

pub struct BuildToolchainInImage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH307"),
    name: SharedStr::new("build-toolchain-in-image"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::Files,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH307.md")),
};

/// The package name of an install operand: `gcc=4:12.2.0-3` -> `gcc`, `gcc~12` -> `gcc`.
fn package_name(word: &str) -> &str {
    let end = word.find(['=', '<', '>', '~']).unwrap_or(word.len());
    let name = &word[..end];
    // `gcc/bookworm-backports` selects a release.
    name.split('/').next().unwrap_or(name)
}

impl Rule for BuildToolchainInImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        // A development, CI, test or build image is meant to have its toolchain.
        if super::helpers::image_purpose::toolchain_reason(file, sem, cx.dockerfile_path()).is_some() {
            return;
        }
        let bc = cx.build_context();
        // The split is offered once, on the first finding in the last stage.
        let last_stage = sem.stages.len().checked_sub(1);
        let mut split_offered = false;
        let stages = image_stages(sem);
        let cmds = layer_commands(sem);
        let table = package_managers::table();
        for c in &cmds {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            if inv.manager.kind != Kind::System || inv.action != Action::Install {
                continue;
            }
            // `apk add --virtual .build-deps ...` names the group a later `apk del` removes.
            let virtual_name = inv.options.iter().find_map(|o| {
                let w = c.words.get(o.index)?;
                (w == "--virtual" || w == "-t")
                    .then(|| o.value.and_then(|v| c.words.get(v)))
                    .flatten()
            });
            // Removed later in the same RUN (purge, remove, del): gone from this layer.
            let removed: Vec<&str> = cmds
                .iter()
                .filter(|o| o.instruction == c.instruction && o.position() > c.position())
                .filter_map(|o| o.package().map(|p| (o, p)))
                .filter(|(_, p)| p.action == Action::Remove)
                .flat_map(|(o, p)| {
                    p.operands
                        .iter()
                        .filter_map(|&i| o.words.get(i).map(String::as_str))
                        .collect::<Vec<_>>()
                })
                .collect();
            if virtual_name.is_some_and(|v| removed.contains(&v.as_str())) {
                continue;
            }
            // The official images' pattern: `apt-mark auto '.*'`, then `apt-mark manual` for
            // what the result needs, then `apt-get purge --auto-remove`: every package installed
            // only for the build goes away in the same RUN.
            let same_run_later = |o: &&super::helpers::run_commands::RunCommand<'_>| {
                o.instruction == c.instruction && o.position() > c.position()
            };
            let marks_auto = cmds
                .iter()
                .filter(same_run_later)
                .any(|o| o.name() == Some("apt-mark") && o.words.get(1).is_some_and(|w| w == "auto"));
            let auto_removes = cmds.iter().filter(same_run_later).any(|o| {
                o.words
                    .iter()
                    .any(|w| w == "--auto-remove" || w == "autoremove" || w == "--autoremove")
            });
            if marks_auto && auto_removes {
                continue;
            }
            let tools: Vec<&str> = inv
                .operand_words(c.words)
                .into_iter()
                .map(package_name)
                .filter(|p| table.is_build_toolchain(p) && !removed.contains(p))
                .collect();
            if tools.is_empty() {
                continue;
            }
            let shown = command_text(c, inv);
            let list = tools
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` puts build tools in the image ({list}); build in a separate stage and copy only the result"),
            );
            if !split_offered && Some(c.stage) == last_stage {
                split_offered = true;
                if let Some(fix) = stage_split::plan(file, sem, bc) {
                    builder.fix(fix.title, fix.applicability, fix.edits);
                }
            }
        }
    }
}
