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
        // Late cleanups of what the creating RUN already removed: not reported (no layer keeps
        // the files), but removed with the reported ones of their RUN by its fix.
        let mut redundant: Vec<usize> = Vec::new();
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
            // The creating RUN already removed them: the late removal finds nothing, and no
            // layer keeps the files.
            if cmds.iter().any(|o| {
                o.instruction == cmds[creator].instruction
                    && o.position() > cmds[creator].position()
                    && already_cleans(o, &cleanup)
            }) {
                redundant.push(k);
                continue;
            }
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
        let mut reported: Vec<usize> = by_run
            .iter()
            .flat_map(|(_, found)| found.iter().map(|f| f.0))
            .collect();
        for late in later_removals(file, sem, &cmds, &stages) {
            if reported.contains(&late.command) {
                continue;
            }
            reported.push(late.command);
            let c = &cmds[late.command];
            let line = file.line_col(
                file.instructions
                    .get(late.added_by)
                    .map_or(0, |i| i.span.start),
            );
            let text = c.cmd.span.text(&c.run.text);
            let message = match late.kind {
                Added::Packages => format!(
                    "`{text}` runs in a later layer than the install (line {}); the packages' files stay in the image: remove them in the `RUN` that installs them",
                    line.line
                ),
                Added::Download => format!(
                    "`{text}` runs in a later layer than the one that created the files (line {}); they stay in the image",
                    line.line
                ),
                Added::Copy => {
                    let keyword = file
                        .instructions
                        .get(late.added_by)
                        .map_or("COPY", |i| i.keyword.as_str());
                    let advice = if keyword == "ADD" {
                        "download, use and remove it in one `RUN`"
                    } else {
                        "copy only what the image needs"
                    };
                    format!(
                        "`{text}` removes files the `{keyword}` at line {} added; they stay in that layer: {advice}",
                        line.line
                    )
                }
            };
            cx.report(c.file_span(), message);
        }
        for (instruction, found) in by_run {
            let run_cmds: Vec<&RunCommand<'_>> = cmds
                .iter()
                .filter(|c| c.instruction == instruction)
                .collect();
            let script_cmds = run_cmds.first().map_or(0, |c| c.script.cmds.len());
            let extra: Vec<usize> = redundant
                .iter()
                .filter(|&&k| cmds[k].instruction == instruction)
                .map(|&k| cmds[k].cmd_index)
                .collect();
            let all_moved = found.iter().all(|(_, _, m, _)| m.is_some())
                && found.len() + extra.len() == script_cmds
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
            if !all_moved && !removals.is_empty() {
                removals.extend(extra.iter().copied());
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

/// What an earlier instruction added that a later `RUN` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Added {
    /// Packages a manager installed (`apt-get purge`, `apk del` of a `--virtual` group, `pip
    /// uninstall`, `npm prune` after `npm ci`).
    Packages,
    /// A file or directory a download or a clone wrote (`curl -o`, `wget -O`, `git clone`).
    Download,
    /// A `COPY` or `ADD` destination.
    Copy,
}

/// A removal in a later layer: the command (an index into the commands), the instruction that
/// added what it removes, and what that was.
#[derive(Debug)]
struct LateRemoval {
    command: usize,
    added_by: usize,
    kind: Added,
}

/// Where a RUN's relative paths start when no `WORKDIR` is known: paths under it are dropped.
const UNKNOWN_DIR: &str = "/\u{0}unknown";

/// The name a package is installed and removed by: without a version (`curl=7.88`, `six==1.16`,
/// `express@4`), lower case.
fn package_name(word: &str) -> Option<String> {
    let name = word.split(['=', '<', '>', '~', '!', '[', ';']).next()?;
    let name = match name.strip_prefix('@') {
        // a scoped npm package: `@scope/name@1.2`
        Some(rest) => format!("@{}", rest.split('@').next()?),
        None => name.split('@').next()?.to_string(),
    };
    (!name.is_empty() && !name.starts_with('-') && !name.contains(['/', '$', '*']))
        .then(|| name.to_ascii_lowercase().replace('_', "-"))
}

/// A path whose name says archive, package or binary (`.tar.gz`, `.whl`, `.so` ...).
fn archive_or_binary(path: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".tar", ".tgz", ".gz", ".xz", ".bz2", ".zst", ".zip", ".whl", ".deb", ".rpm", ".apk",
        ".jar", ".war", ".so", ".bin", ".run", ".iso",
    ];
    let name = path.rsplit('/').next().unwrap_or(path).trim_end_matches('*');
    EXTENSIONS.iter().any(|e| name.ends_with(e))
}

/// `wget -O-`, `wget -qO-`, `wget -O -`: the download goes to standard output.
fn to_stdout(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        let short = w.starts_with('-') && !w.starts_with("--");
        (short && w.ends_with("O-"))
            || (short && w.ends_with('O') && words.get(i + 1).is_some_and(|n| n == "-"))
            || w == "--output-document=-"
    })
}

/// The `--virtual`/`-t` group of an `apk add`.
fn apk_virtual(words: &[String]) -> Option<String> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if w == "-t" || w == "--virtual" {
            return it.next().cloned();
        }
        if let Some(v) = w.strip_prefix("--virtual=") {
            return Some(v.to_string());
        }
    }
    None
}

/// What each command of the image's stages adds (packages by manager family and name, paths
/// written by downloads and clones) and each `COPY`/`ADD` (its destination), then the later
/// `RUN`s that remove it: a removal in a later layer hides the files without taking them out of
/// the image. `rm` of package-manager caches and lists is the table's (above); these are the
/// rest, reported without a fix (what the removal undoes is the author's to move).
fn later_removals(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    cmds: &[RunCommand<'_>],
    stages: &[usize],
) -> Vec<LateRemoval> {
    // (stage, instruction, family or "path", name or path, kind)
    let mut added: Vec<(usize, usize, &'static str, String, Added)> = Vec::new();
    let mut out = Vec::new();
    let workdir = |i: usize| {
        sem.states
            .get(i)
            .and_then(|s| s.workdir.clone())
            .unwrap_or_else(|| UNKNOWN_DIR.to_string())
    };
    let known = |p: &String| !p.starts_with(UNKNOWN_DIR) && p != "/" && !p.contains(['$', '`']);
    for (i, ins) in file.instructions.iter().enumerate() {
        let Some(stage) = sem.states.get(i).and_then(|s| s.stage) else {
            continue;
        };
        if !stages.contains(&stage) {
            continue;
        }
        if let crate::syntax::InstructionView::Copy(v) | crate::syntax::InstructionView::Add(v) =
            ins.view()
        {
            // Files from another stage or image, or downloaded by `ADD`: what the build
            // context sends is the ignore file's to trim (WH350), and a later `RUN` may have
            // made what is removed under a copied directory.
            let remote = ins.keyword == crate::syntax::Keyword::Add
                && v.sources.iter().any(|s| s.value.contains("://"));
            if v.from.is_none() && !remote {
                continue;
            }
            if let Some(dest) = &v.dest {
                let d = dest.value.to_string();
                let p = if d.starts_with('/') {
                    crate::semantic::clean_path(&d)
                } else {
                    crate::semantic::clean_path(&format!("{}/{d}", workdir(i)))
                };
                if known(&p) {
                    added.push((stage, i, "path", p, Added::Copy));
                }
            }
            continue;
        }
        let mine: Vec<(usize, &RunCommand<'_>)> = cmds
            .iter()
            .enumerate()
            .filter(|(_, c)| c.instruction == i)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let refs: Vec<&RunCommand<'_>> = mine.iter().map(|(_, c)| *c).collect();
        let cwd = workdir(i);
        let whole = super::helpers::run_paths::analyse(&refs, Some(&cwd));
        // Removals first (against what earlier instructions added), then what this RUN adds.
        for (n, (k, c)) in mine.iter().enumerate() {
            if !c.flow.top_level || cleanup_of(c).is_some() {
                continue;
            }
            let before: Vec<(usize, Added)> = if let Some(inv) = c.package() {
                let npm_prune = inv.manager.name == "npm"
                    && inv.subcommand_text(c.words).as_deref() == Some("prune");
                if npm_prune {
                    added
                        .iter()
                        .filter(|a| a.0 == stage && a.2 == "npm-dev")
                        .map(|a| (a.1, a.4))
                        .collect()
                } else if inv.action == Action::Remove {
                    let names: Vec<String> = inv
                        .operand_words(c.words)
                        .iter()
                        .filter_map(|w| package_name(w))
                        .collect();
                    added
                        .iter()
                        .filter(|a| {
                            a.0 == stage
                                && a.2 == inv.manager.family
                                && names.contains(&a.3)
                        })
                        .map(|a| (a.1, a.4))
                        .collect()
                } else {
                    Vec::new()
                }
            } else if c.name() == Some("rm")
                && !c.argv.iter().skip(1).any(|w| w.has_expansion)
                // A package manager earlier in the RUN may have written what is removed.
                && !refs[..n].iter().any(|o| o.package().is_some())
            {
                let upto: Vec<&RunCommand<'_>> = refs[..=n].to_vec();
                let removed = super::helpers::run_paths::analyse(&upto, Some(&cwd)).removed;
                let prior = super::helpers::run_paths::analyse(&refs[..n], Some(&cwd)).removed;
                let removed: Vec<String> = removed
                    .into_iter()
                    .skip(prior.len())
                    .filter(|p| known(p))
                    .collect();
                // Copied files count when the removal is a tree or an archive or binary: a
                // single small file removed after a copy is tidying, not size.
                let recursive = c.words.iter().skip(1).any(|w| {
                    w == "--recursive" || (w.starts_with('-') && !w.starts_with("--") && w.contains(['r', 'R']))
                });
                added
                    .iter()
                    .filter(|a| {
                        a.0 == stage
                            && a.2 == "path"
                            && removed.iter().any(|r| {
                                (path_within(r, &a.3) || path_within(&a.3, r))
                                    && (a.4 != Added::Copy || recursive || archive_or_binary(r))
                            })
                    })
                    .map(|a| (a.1, a.4))
                    .collect()
            } else {
                Vec::new()
            };
            if let Some(&(added_by, kind)) = before.iter().filter(|(j, _)| *j < i).max_by_key(|(j, _)| *j) {
                out.push(LateRemoval {
                    command: *k,
                    added_by,
                    kind,
                });
            }
        }
        for (n, (_, c)) in mine.iter().enumerate() {
            if let Some(inv) = c.package() {
                if inv.action == Action::Install {
                    for w in inv.operand_words(c.words) {
                        if let Some(name) = package_name(w) {
                            added.push((stage, i, inv.manager.family, name, Added::Packages));
                        }
                    }
                    if inv.manager.name == "apk"
                        && let Some(v) = apk_virtual(c.words)
                    {
                        added.push((stage, i, inv.manager.family, v.to_ascii_lowercase(), Added::Packages));
                    }
                    if inv.manager.name == "npm" && inv.operands.is_empty() {
                        added.push((stage, i, "npm-dev", String::new(), Added::Packages));
                    }
                }
                continue;
            }
            if !matches!(c.name(), Some("curl" | "wget" | "git"))
                || (c.name() == Some("wget") && to_stdout(c.words))
            {
                continue;
            }
            let upto: Vec<&RunCommand<'_>> = refs[..=n].to_vec();
            let outputs = super::helpers::run_paths::analyse(&upto, Some(&cwd)).outputs;
            let prior = super::helpers::run_paths::analyse(&refs[..n], Some(&cwd)).outputs.len();
            for p in outputs.into_iter().skip(prior).filter(|p| known(p)) {
                // Removed again in the same RUN, or written into a mount: not in the layer.
                if whole.removed.iter().any(|r| path_within(&p, r))
                    || super::helpers::run_commands::has_mount_over(file, i, &p)
                {
                    continue;
                }
                added.push((stage, i, "path", p, Added::Download));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, lint_source};

    fn found(src: &str) -> Vec<(String, bool)> {
        lint_source(src, &Settings::only(["WH304"]))
            .diagnostics
            .into_iter()
            .map(|d| (d.message, d.fix.is_some()))
            .collect()
    }

    #[test]
    fn later_removals_name_the_layer_and_offer_no_fix() {
        let d = found(
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc=12.2.0-14 && rm -rf /var/lib/apt/lists/*\nRUN gcc --version\nRUN apt-get purge -y gcc\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].0.contains("(line 2)") && !d[0].1, "{d:?}");
        let d = found(
            "FROM debian:bookworm-slim\nWORKDIR /w\nRUN wget -q https://example.com/a.tgz\nRUN rm a.tgz\n",
        );
        assert!(d.len() == 1 && d[0].0.contains("(line 3)"), "{d:?}");
        // Written to standard output, or into a mount: nothing stays.
        for src in [
            "FROM debian:bookworm-slim\nWORKDIR /tmp\nRUN wget -qO- https://example.com/setup | sh\nRUN rm -rf /tmp/*\n",
            "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/tmp/dl curl -fsSL -o /tmp/dl/a.tgz https://example.com/a.tgz\nRUN rm -rf /tmp/dl\n",
            // the relative path of an unknown working directory
            "FROM example.com/base:1\nRUN curl -fsSL -o a.tgz https://example.com/a.tgz\nRUN rm -f /a.tgz\n",
            // a removal in a build stage only copied from
            "FROM debian:bookworm-slim AS b\nRUN apt-get install -y gcc\nRUN apt-get purge -y gcc\nFROM debian:bookworm-slim\nCOPY --from=b /etc/hostname /x\n",
        ] {
            assert!(found(src).is_empty(), "{src}");
        }
    }
}
