//! WH304 `cleanup-in-separate-layer`: see `rules/WH304.md`.

use super::apt_lists_not_cleaned::LISTS;
use super::helpers::run_commands::{RunCommand, append_to_item, image_stages, path_within, run_commands};
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

/// An absolute path deep enough to name a cache, not a system directory (`/`, `/var`).
fn cache_path(word: &str) -> Option<&'static PackageManager> {
    let depth = word
        .trim_matches(|c| c == '/' || c == '*')
        .split('/')
        .count();
    if !word.starts_with('/') || depth < 2 {
        return None;
    }
    package_managers::table().managers.iter().find(|m| {
        m.cache_dirs
            .iter()
            .any(|d| path_within(word, d) || path_within(d, word))
    })
}

fn cleanup_of(c: &RunCommand<'_>) -> Option<Cleanup> {
    if !c.cmd.frames.is_empty() {
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
        let m = cache_path(p)?;
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

/// The edit removing command `c` from its RUN when it is joined by `&&` to a neighbour.
fn remove_from_list(c: &RunCommand<'_>) -> Option<Edit> {
    let script = c.script;
    let idx = script.cmds.iter().position(|x| x.span == c.cmd.span)?;
    let top =
        |x: &&crate::syntax::shell::SimpleCommand| x.frames.is_empty() && x.item == c.cmd.item;
    if c.cmd.op_before.0 == crate::syntax::shell::Op::And {
        let prev = script.cmds[..idx].iter().rev().find(top)?;
        return Some(Edit::delete(Span::new(
            c.run.map.to_file(prev.span.end),
            c.run.map.to_file(c.cmd.span.end),
        )));
    }
    if c.cmd.op_after.0 == crate::syntax::shell::Op::And {
        let next = script.cmds.get(idx + 1..)?.iter().find(top)?;
        return Some(Edit::delete(Span::new(
            c.run.map.to_file(c.cmd.span.start),
            c.run.map.to_file(next.span.start),
        )));
    }
    None
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
        let cmds = run_commands(sem);
        // Late cleanups of one RUN: (command index, creating RUN, the creator's index).
        let mut by_run: Vec<(usize, Vec<LateCleanup>)> = Vec::new();
        for (k, c) in cmds.iter().enumerate() {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(cleanup) = cleanup_of(c) else {
                continue;
            };
            let uses = |o: &RunCommand<'_>| {
                o.package().is_some_and(|p| {
                    // Another cleanup before it is not a use.
                    p.action != Action::Clean
                        && cleanup.managers.iter().any(|m| shares_cache(m, p.manager))
                })
            };
            // The RUN cleans up after itself: not a late cleanup.
            if cmds[..k]
                .iter()
                .any(|o| o.instruction == c.instruction && uses(o))
            {
                continue;
            }
            // The last earlier RUN of the stage that used the manager.
            let Some(last_use) = cmds[..k].iter().rposition(|o| {
                o.stage == c.stage
                    && o.instruction < c.instruction
                    && o.package().is_some_and(|p| {
                        // A clean reads nothing: it does not hold the files in place.
                        p.action != Action::Clean
                            && cleanup.managers.iter().any(|m| shares_cache(m, p.manager))
                    })
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
                    // After the last command of the creating RUN that uses the manager.
                    let item = cmds
                        .iter()
                        .filter(|o| o.instruction == target)
                        .filter(|o| {
                            o.package().is_some_and(|p| {
                                cleanup.managers.iter().any(|m| shares_cache(m, p.manager))
                            })
                        })
                        .map(|o| o.cmd.item)
                        .next_back()
                        .unwrap_or(cmds[creator].cmd.item);
                    match appends.iter_mut().find(|(t, _, _)| *t == target) {
                        Some((_, _, v)) => v.push(text),
                        None => appends.push((target, item, vec![text])),
                    }
                }
                if !all_moved {
                    match remove_from_list(c) {
                        Some(e) => edits.push(e),
                        None => fixable = false,
                    }
                }
            }
            if all_moved {
                match delete_instruction(file, instruction) {
                    Some(e) => edits.push(e),
                    None => fixable = false,
                }
            }
            for (target, item, texts) in &appends {
                let Some(run) = sem.run_script(*target) else {
                    fixable = false;
                    continue;
                };
                match append_to_item(file, run, *item, &texts.join(" && ")) {
                    Some(e) => edits.push(e),
                    None => fixable = false,
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
