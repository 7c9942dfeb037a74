//! WH402 `no-cache-mount`: see `rules/WH402.md`.

use super::apt_lists_not_cleaned::{LISTS, reads_lists};
use super::helpers::run_commands::{RunCommand, has_mount_over, path_within, run_commands};
use crate::package_managers::CacheMount;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::Action;
use crate::syntax::{Dockerfile, InstructionView};

pub struct NoCacheMount;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH402"),
    name: SharedStr::new("no-cache-mount"),
    category: Category::BuildCache,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH402.md")),
};

impl Rule for NoCacheMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = run_commands(sem);
        let mut done: Vec<usize> = Vec::new();
        for c in &cmds {
            if done.contains(&c.instruction) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if inv.action != Action::Install || pm.cache_mounts.is_empty() {
                continue;
            }
            // Already mounted, or told to keep no cache: a mount would stay empty.
            if pm
                .cache_dirs
                .iter()
                .any(|d| has_mount_over(file, c.instruction, d))
                || pm
                    .cache_mounts
                    .iter()
                    .any(|m| has_mount_over(file, c.instruction, m.target))
                || inv.has_flag(c.words, &pm.no_cache_flags)
            {
                continue;
            }
            // The table's targets are the root user's cache directories.
            let user = sem.states.get(c.instruction).and_then(|s| s.user.clone());
            if user.as_deref().is_some_and(|u| {
                let name = u.split(':').next().unwrap_or(u);
                name != "root" && name != "0"
            }) {
                continue;
            }
            done.push(c.instruction);
            let Some(ins) = file.instructions.get(c.instruction) else {
                continue;
            };
            let shown = super::helpers::run_commands::command_text(c, inv);
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` downloads everything again on each rebuild; a BuildKit cache mount keeps its downloads between builds"),
            );
            // A mount hides what the directory held from earlier layers and keeps what this
            // RUN writes there out of the image: never over state another layer relies on.
            let targets: Vec<&CacheMount> = pm
                .cache_mounts
                .iter()
                .filter(|m| !holds_needed_state(&cmds, c, m.target))
                .collect();
            if targets.is_empty() {
                continue;
            }
            let mounts: String = targets
                .iter()
                .map(|m| {
                    format!(
                        " --mount=type=cache,target={},sharing={}",
                        m.target,
                        m.sharing.as_str()
                    )
                })
                .collect();
            let mut edits = vec![Edit::insert(ins.keyword_span.end, mounts)];
            // apt deletes what it downloaded unless told to keep it: the table's setup command
            // goes first in the script (not into heredoc bodies).
            if let Some(setup) = &pm.cache_mount_setup {
                let InstructionView::Run(_) = ins.view() else {
                    continue;
                };
                if !ins.heredocs.is_empty() {
                    continue;
                }
                let Some(first) = first_item_start(c) else {
                    continue;
                };
                edits.push(Edit::insert(first, format!("{setup}; ")));
            }
            builder.unsafe_fix("Add a cache mount", edits);
        }
    }
}

/// Whether a cache mount on `target` for install `c` would hide state another layer relies
/// on: package lists (under `/var/lib/apt`) that this RUN reads without updating them first
/// (an earlier layer wrote them) or that a later RUN of the stage reads; a package cache that
/// this or a later RUN installs from offline (`npm ci --offline`).
fn holds_needed_state(cmds: &[RunCommand<'_>], c: &RunCommand<'_>, target: &str) -> bool {
    let pm = c.package().map(|p| p.manager.name);
    let later = |o: &&RunCommand<'_>| o.stage == c.stage && o.instruction > c.instruction;
    if path_within(LISTS, target) {
        let updates_first = cmds.iter().any(|o| {
            o.instruction == c.instruction
                && o.position() < c.position()
                && o.package().is_some_and(|p| p.action == Action::Update)
        });
        // A later RUN reading the lists before its own update.
        let later_reads = cmds.iter().filter(later).try_fold((), |(), o| {
            if o.package().is_some_and(|p| p.action == Action::Update) {
                Err(false)
            } else if reads_lists(o) {
                Err(true)
            } else {
                Ok(())
            }
        }) == Err(true);
        return !updates_first || later_reads;
    }
    let offline = |o: &RunCommand<'_>| {
        o.package().map(|p| p.manager.name) == pm
            && o.words.iter().skip(1).any(|w| {
                matches!(
                    w.as_str(),
                    "--offline" | "--prefer-offline" | "-C" | "--cacheonly"
                )
            })
    };
    offline(c) || cmds.iter().filter(later).any(offline)
}

/// File offset of the first statement of the command's RUN script.
fn first_item_start(c: &RunCommand<'_>) -> Option<usize> {
    let item = c.script.items.first()?;
    Some(c.run.map.to_file(item.span.start))
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::lint::{Settings, fix_source, lint_source};

    #[test]
    fn adds_the_table_mount_for_pip_and_converges() {
        let out = fix_source(
            "FROM python:3.12-slim\nRUN pip install flask\n",
            &Settings::only(["WH402"]),
            Applicability::Unsafe,
        );
        assert!(out.converged);
        assert_eq!(
            out.text,
            "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip,sharing=shared pip install flask\n"
        );
    }

    #[test]
    fn silent_under_a_non_root_user_or_with_no_cache_flags() {
        let settings = Settings::only(["WH402"]);
        for src in [
            "FROM python:3.12-slim\nUSER app\nRUN pip install flask\n",
            "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
        ] {
            assert!(lint_source(src, &settings).diagnostics.is_empty(), "{src}");
        }
    }
}
