//! WH402 `no-cache-mount`: see `rules/WH402.md`.

use super::apt_lists_not_cleaned::{LISTS, reads_lists};
use super::helpers::run_commands::{RunCommand, has_mount_over, path_within, layer_commands};
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
    default_enabled: true,
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
        let cmds = layer_commands(sem);
        let mut done: Vec<usize> = Vec::new();
        for c in &cmds {
            if done.contains(&c.instruction) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if !matches!(inv.action, Action::Install | Action::Fetch) || pm.cache_mounts.is_empty()
            {
                continue;
            }
            // Where a cache mount pays: the layer reruns whenever the project's files change
            // (the RUN follows a COPY or bind mount from the build context). An install right
            // after FROM reruns only when the line or the base changes: the layer cache
            // already covers it. A RUN that already mounts a cache chose where its caches go.
            if !follows_context_files(file, sem, c.instruction)
                || has_any_cache_mount(file, c.instruction)
                || is_self_upgrade(c.words, inv)
                || installs_local_files_only(c.words, inv)
            {
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
            let what = if inv.action == Action::Fetch {
                "downloads the project's dependencies"
            } else {
                "downloads everything"
            };
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` {what} again each time the project's files change; a BuildKit cache mount keeps its downloads between builds"),
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

/// Whether the RUN at `at` comes after files from the build context in its stage or the stages
/// it is built on: a COPY/ADD without `--from` before it, or a bind mount of the context on it.
fn follows_context_files(file: &Dockerfile, sem: &crate::semantic::Semantic, at: usize) -> bool {
    if let Some(InstructionView::Run(run)) = file.instructions.get(at).map(|i| i.view()) {
        if run
            .mounts
            .iter()
            .any(|m| m.kind().eq_ignore_ascii_case("bind") && m.from().is_none())
        {
            return true;
        }
    }
    let Some(stage) = sem.stage_of(at) else {
        return false;
    };
    stage_reads_context(file, sem, stage.index, at, 0)
}

/// Whether the instructions of stage `s` before `end` (and of the stages it is built on or
/// copies from) take files from the build context: then a layer after them reruns when the
/// project's files change (`COPY --from=planner recipe.json` reruns with the recipe).
fn stage_reads_context(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    s: usize,
    end: usize,
    depth: usize,
) -> bool {
    let Some(stage) = sem.stages.get(s) else {
        return false;
    };
    if depth > sem.stages.len() {
        return false;
    }
    for i in stage.from..end.min(stage.body.end) {
        let view = file.instructions.get(i).map(|x| x.view());
        let Some(InstructionView::Copy(v) | InstructionView::Add(v)) = view else {
            continue;
        };
        match &v.from {
            None => return true,
            Some(from) => {
                let name = from.value.as_deref().unwrap_or("");
                if let Some(src) = sem.resolve_stage_ref(name, s) {
                    if src < s && stage_reads_context(file, sem, src, usize::MAX, depth + 1) {
                        return true;
                    }
                }
            }
        }
    }
    match stage.base.stage {
        Some(parent) if parent < s => stage_reads_context(file, sem, parent, usize::MAX, depth + 1),
        _ => false,
    }
}

/// `pip install --no-deps /wheels/*.whl`: every package is a local file or directory and no
/// requirements file is read, so nothing is downloaded.
fn installs_local_files_only(words: &[String], inv: &crate::package_managers::Invocation) -> bool {
    inv.action == Action::Install
        && !inv.operands.is_empty()
        && inv.operands.iter().all(|&i| {
            words
                .get(i)
                .is_some_and(|w| crate::package_managers::is_local_artifact(w))
        })
        && !inv
            .options
            .iter()
            .any(|o| words.get(o.index).is_some_and(|w| inv.manager.manifest_flags.contains(&w.as_str())))
}

/// Whether the RUN mounts any cache.
fn has_any_cache_mount(file: &Dockerfile, at: usize) -> bool {
    matches!(
        file.instructions.get(at).map(|i| i.view()),
        Some(InstructionView::Run(run)) if run.mounts.iter().any(|m| m.kind().eq_ignore_ascii_case("cache"))
    )
}

/// `pip install -U pip setuptools wheel`, `npm install -g npm`: the tool updating itself, a
/// download of a few files.
fn is_self_upgrade(words: &[String], inv: &crate::package_managers::Invocation) -> bool {
    const TOOLS: &[&str] = &[
        "pip",
        "setuptools",
        "wheel",
        "npm",
        "yarn",
        "pnpm",
        "corepack",
        "uv",
    ];
    !inv.operands.is_empty()
        && inv.operands.iter().all(|&i| {
            words.get(i).is_some_and(|w| {
                let name = w.split(['=', '<', '>', '@', '~']).next().unwrap_or(w);
                TOOLS.contains(&name)
            })
        })
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
            "FROM python:3.12-slim\nCOPY . .\nRUN pip install flask\n",
            &Settings::only(["WH402"]),
            Applicability::Unsafe,
        );
        assert!(out.converged);
        assert_eq!(
            out.text,
            "FROM python:3.12-slim\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pip,sharing=shared pip install flask\n"
        );
    }

    #[test]
    fn silent_under_a_non_root_user_or_with_no_cache_flags() {
        let settings = Settings::only(["WH402"]);
        for src in [
            "FROM python:3.12-slim\nCOPY . .\nUSER app\nRUN pip install flask\n",
            "FROM alpine:3.20\nCOPY . .\nRUN apk add --no-cache curl\n",
            "FROM alpine:3.20\nCOPY . .\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
            // right after FROM: the layer cache covers it
            "FROM python:3.12-slim\nRUN pip install flask\n",
            // a RUN that mounts some cache chose where its caches go
            "FROM node:20\nCOPY . .\nRUN --mount=type=cache,target=/cache npm install --cache /cache\n",
            "FROM node:20\nCOPY . .\nRUN yarn --version\n",
        ] {
            assert!(lint_source(src, &settings).diagnostics.is_empty(), "{src}");
        }
    }
}
