//! WH304 `cleanup-in-separate-layer`: see `rules/WH304.md`.

use super::apt_lists_not_cleaned::LISTS;
use super::apt_lists_not_cleaned::reads_lists;
use super::helpers::run_commands::{RunCommand, image_stages, path_within, layer_commands};
use crate::placement::Follower;
use crate::semantic::RunScript;
use crate::syntax::shell::{Op, SimpleCommand};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::{self, Action, PackageManager};
use crate::syntax::{Dockerfile, Span};

pub struct CleanupInSeparateLayer;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH304"),
    name: SharedStr::new("cleanup-in-separate-layer"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH304.md")),
};

/// A late cleanup: its command index, the RUN that last used the manager, and the creating
/// command's index when the fix can move the cleanup there.
type LateCleanup = (usize, usize, Option<usize>, usize);

/// What a cleanup command removes.
#[derive(Debug)]
struct Cleanup {
    managers: Vec<&'static PackageManager>,
    /// `rm` paths (empty for a manager's own clean subcommand).
    paths: Vec<String>,
    /// The files come from an index refresh (`apt-get update`), not from an install.
    from_update: bool,
}

/// Two managers share a cache (`apt` and `apt-get`, `pip` and `pipenv`).
fn shares_cache(a: &PackageManager, b: &PackageManager) -> bool {
    a.name == b.name || a.cache_dirs.iter().any(|d| b.cache_dirs.contains(d))
}

fn cleanup_of(c: &RunCommand<'_>) -> Option<Cleanup> {
    if !c.flow.top_level {
        return None;
    }
    if let Some(inv) = c.package() {
        return (inv.action == Action::Clean).then(|| Cleanup {
            managers: vec![inv.manager],
            paths: Vec::new(),
            from_update: false,
        });
    }
    if c.name() != Some("rm") {
        return None;
    }
    let paths: Vec<&String> = c
        .words
        .iter()
        .skip(1)
        .filter(|w| !w.starts_with('-'))
        .collect();
    if paths.is_empty() || c.argv.iter().skip(1).any(|w| w.has_expansion) {
        return None;
    }
    let mut managers: Vec<&'static PackageManager> = Vec::new();
    for p in &paths {
        let m = package_managers::cache_owner(p)?;
        if !managers.iter().any(|x| x.name == m.name) {
            managers.push(m);
        }
    }
    Some(Cleanup {
        from_update: paths.iter().all(|p| path_within(p, LISTS)),
        paths: paths.into_iter().cloned().collect(),
        managers,
    })
}

/// Whether command `c` writes what the cleanup removes.
fn creates(c: &RunCommand<'_>, cleanup: &Cleanup) -> bool {
    let Some(inv) = c.package() else { return false };
    let wanted: &[Action] = if cleanup.from_update {
        &[Action::Update]
    } else {
        &[Action::Install, Action::Update, Action::Upgrade]
    };
    wanted.contains(&inv.action)
        && cleanup
            .managers
            .iter()
            .any(|m| shares_cache(m, inv.manager))
}

/// Whether command `o` reads what the cleanup removes: the manager's own commands (other than
/// a clean), and for the package lists any command that reads them (`apt-cache show`).
fn uses(o: &RunCommand<'_>, cleanup: &Cleanup) -> bool {
    if cleanup.from_update && reads_lists(o) {
        return true;
    }
    o.package().is_some_and(|p| {
        // Another cleanup before it is not a use.
        p.action != Action::Clean && cleanup.managers.iter().any(|m| shares_cache(m, p.manager))
    })
}

/// Whether command `c` (in the creating RUN, after the creator) already does this cleanup.
fn already_cleans(c: &RunCommand<'_>, cleanup: &Cleanup) -> bool {
    let Some(other) = cleanup_of(c) else {
        return false;
    };
    if cleanup.paths.is_empty() {
        return other.paths.is_empty()
            && other
                .managers
                .iter()
                .any(|m| cleanup.managers.iter().any(|n| m.name == n.name));
    }
    cleanup
        .paths
        .iter()
        .all(|p| other.paths.iter().any(|q| path_within(p, q)))
}

/// The edits removing commands `removed` (indices into the script's `cmds`) from the `&&`
/// chains of their RUN: each run of consecutive removed commands is one deletion, from the end
/// of the kept command before it (or from its own start up to the kept command after it), so
/// that neighbouring removals never overlap. `None` when a removed command is not a top-level
/// command joined by `&&` to a kept one.
fn remove_from_lists(run: &RunScript, removed: &[usize]) -> Option<Vec<Edit>> {
    let script = run.script.as_ref().ok()?;
    let mut edits = Vec::new();
    let items: Vec<usize> = removed
        .iter()
        .filter_map(|&k| script.cmds.get(k).map(|c| c.item))
        .collect();
    let mut items_done: Vec<usize> = Vec::new();
    for item in items {
        if items_done.contains(&item) {
            continue;
        }
        items_done.push(item);
        // The item's top-level commands, each marked kept or removed.
        let top: Vec<(usize, &SimpleCommand)> = script
            .cmds
            .iter()
            .enumerate()
            .filter(|(_, c)| c.item == item && c.frames.is_empty())
            .collect();
        if script
            .cmds
            .iter()
            .any(|c| c.item == item && !c.frames.is_empty())
        {
            return None;
        }
        let gone = |k: usize| removed.contains(&k);
        let mut i = 0;
        while i < top.len() {
            if !gone(top[i].0) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < top.len() && gone(top[j + 1].0) {
                j += 1;
            }
            // Every operator touching the run must be `&&`.
            let chained = (i..=j).all(|x| {
                let c = top[x].1;
                (x == i || c.op_before.0 == Op::And) && (x == j || c.op_after.0 == Op::And)
            });
            let span = if i > 0 && top[i].1.op_before.0 == Op::And && chained {
                Span::new(top[i - 1].1.span.end, top[j].1.span.end)
            } else if j + 1 < top.len() && top[j].1.op_after.0 == Op::And && chained {
                Span::new(top[i].1.span.start, top[j + 1].1.span.start)
            } else {
                return None;
            };
            edits.push(Edit::delete(Span::new(
                run.map.to_file(span.start),
                run.map.to_file(span.end),
            )));
            i = j + 1;
        }
    }
    Some(edits)
}

/// The whole RUN with the comment lines right above it.
fn delete_instruction(file: &Dockerfile, instruction: usize) -> Option<Edit> {
    let ins = file.instructions.get(instruction)?;
    let start = ins
        .comments
        .first()
        .map_or(ins.span.start, |c| c.start.min(ins.span.start));
    let mut span = super::helpers::run_commands::whole_lines(file, Span::new(start, ins.span.end));
    // Between two blank lines, take one of them too.
    let src = file.source();
    let before = src.get(..span.start).unwrap_or("");
    let after = src.get(span.end..).unwrap_or("");
    let blank_before = before.ends_with("\n\n") || before.ends_with("\n\r\n");
    let next_line = after.split('\n').next().unwrap_or("");
    if blank_before && next_line.trim().is_empty() && !after.is_empty() {
        let cut = if before.ends_with("\r\n") { 2 } else { 1 };
        span = Span::new(span.start - cut, span.end);
    }
    Some(Edit::delete(span))
}

impl Rule for CleanupInSeparateLayer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = layer_commands(sem);
        // Late cleanups of one RUN: (command index, creating RUN, the creator's index).
        let mut by_run: Vec<(usize, Vec<LateCleanup>)> = Vec::new();
        for (k, c) in cmds.iter().enumerate() {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(cleanup) = cleanup_of(c) else {
                continue;
            };
            // The RUN cleans up after itself: not a late cleanup.
            if cmds[..k]
                .iter()
                .any(|o| o.instruction == c.instruction && uses(o, &cleanup))
            {
                continue;
            }
            // The last earlier RUN of the stage that used the files (a clean reads nothing: it
            // does not hold the files in place).
            let Some(last_use) = cmds[..k].iter().rposition(|o| {
                o.stage == c.stage && o.instruction < c.instruction && uses(o, &cleanup)
            }) else {
                continue;
            };
            let target = cmds[last_use].instruction;
            // Who created the files: the last creator before the cleanup, in an earlier RUN.
            let Some(creator) = cmds[..k].iter().rposition(|o| {
                o.stage == c.stage && o.instruction < c.instruction && creates(o, &cleanup)
            }) else {
                continue;
            };
            // A fix moves the cleanup into the creating RUN, which must be the last RUN using
            // the manager (moving it earlier would pull the files from under a later install).
            let movable = cmds[creator].instruction == target;
            let entry = (
                k,
                target,
                movable.then_some(creator),
                cmds[creator].instruction,
            );
            match by_run.iter_mut().find(|(i, _)| *i == c.instruction) {
                Some((_, v)) => v.push(entry),
                None => by_run.push((c.instruction, vec![entry])),
            }
        }
        for (instruction, found) in by_run {
            let run_cmds: Vec<&RunCommand<'_>> = cmds
                .iter()
                .filter(|c| c.instruction == instruction)
                .collect();
            let script_cmds = run_cmds.first().map_or(0, |c| c.script.cmds.len());
            let all_moved = found.iter().all(|(_, _, m, _)| m.is_some())
                && found.len() == script_cmds
                && run_cmds.len() == script_cmds;
            // One fix per RUN: the appends to each creating RUN, then the removals.
            let mut edits: Vec<Edit> = Vec::new();
            let mut appends: Vec<(usize, usize, Vec<String>)> = Vec::new();
            let mut removals: Vec<usize> = Vec::new();
            let mut fixable = true;
            for &(k, target, creator, _) in &found {
                let c = &cmds[k];
                let Some(creator) = creator else {
                    fixable = false;
                    continue;
                };
                let Some(cleanup) = cleanup_of(c) else {
                    continue;
                };
                let done = cmds.iter().any(|o| {
                    o.instruction == target
                        && o.position() > cmds[creator].position()
                        && already_cleans(o, &cleanup)
                });
                if !done {
                    let text = c.cmd.span.text(&c.run.text).to_string();
                    // After the last command of the creating RUN that uses the files, on its
                    // path (see `placement`).
                    let anchor = cmds
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.instruction == target && uses(o, &cleanup))
                        .map(|(i, _)| i)
                        .next_back()
                        .unwrap_or(creator);
                    match appends.iter_mut().find(|(t, _, _)| *t == target) {
                        Some((_, a, v)) => {
                            *a = (*a).max(anchor);
                            v.push(text)
                        }
                        None => appends.push((target, anchor, vec![text])),
                    }
                }
                if !all_moved {
                    removals.push(c.cmd_index);
                }
            }
            if !removals.is_empty() {
                match sem
                    .run_script(instruction)
                    .and_then(|run| remove_from_lists(run, &removals))
                {
                    Some(e) => edits.extend(e),
                    None => fixable = false,
                }
            }
            if all_moved {
                match delete_instruction(file, instruction) {
                    Some(e) => edits.push(e),
                    None => fixable = false,
                }
            }
            for (_, anchor, texts) in &appends {
                // `rm -rf` cannot fail; a manager's clean command needs the manager.
                let follower = if texts.iter().all(|t| t.starts_with("rm ")) {
                    Follower::CannotFail
                } else {
                    Follower::MayFail
                };
                match cmds[*anchor].follow_with(file, &texts.join(" && "), follower) {
                    Ok(e) => edits.extend(e),
                    Err(_) => fixable = false,
                }
            }
            let mut first = true;
            for &(k, _, _, created) in &found {
                let c = &cmds[k];
                let line =
                    file.line_col(file.instructions.get(created).map_or(0, |i| i.span.start));
                let text = c.cmd.span.text(&c.run.text);
                let builder = cx.report(
                    c.file_span(),
                    format!(
                        "`{text}` runs in a later layer than the one that created the files (line {}); they stay in the image",
                        line.line
                    ),
                );
                if first && fixable && !edits.is_empty() {
                    first = false;
                    builder.unsafe_fix(
                        "Move the cleanup into the `RUN` that created the files",
                        std::mem::take(&mut edits),
                    );
                }
            }
        }
    }
}
