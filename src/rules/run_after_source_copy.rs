//! WH404 `run-after-source-copy`: see `rules/WH404.md`.
//!
//! A `RUN` that installs system packages, downloads a tool or creates a user, right after a
//! `COPY` of the build context whose files it never reads: every change to a copied file re-runs
//! it. The fix moves it above the `COPY` (and the other context copies right before it). The
//! analysis of what the `RUN` touches lives in `helpers::run_paths`.

use super::helpers::run_commands::{layer_commands, whole_lines};
use super::helpers::run_paths::{self, Reads};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::build_context::local_sources;
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::semantic::clean_path;
use crate::syntax::{Dockerfile, InstructionView, Keyword, Span};

pub struct RunAfterSourceCopy;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH404"),
    name: SharedStr::new("run-after-source-copy"),
    category: Category::BuildCache,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::SentFilesWhenCopyingDirectory,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH404.md")),
};

/// What one context COPY/ADD puts into the image: its destination and, per source, the context
/// path and where it lands.
struct Copied {
    index: usize,
    /// `(context path, image path, the source is a directory)`.
    sources: Vec<(String, String, bool)>,
}

/// A COPY/ADD from the build context whose sources and destination are all plain paths.
fn copied(file: &Dockerfile, sem: &crate::semantic::Semantic, i: usize) -> Option<Copied> {
    let ins = file.instructions.get(i)?;
    let view = match ins.view() {
        InstructionView::Copy(v) | InstructionView::Add(v) => v,
        _ => return None,
    };
    if view.from.is_some() || !ins.heredocs.is_empty() {
        return None;
    }
    let dest = view.dest.as_ref()?.value.to_string();
    if dest.contains('$') {
        return None;
    }
    let workdir = sem.states.get(i).and_then(|s| s.workdir.clone());
    let dest_abs = if dest.starts_with('/') {
        clean_path(&dest)
    } else {
        clean_path(&format!("{}/{dest}", workdir.as_deref()?))
    };
    let dir_dest = dest.ends_with('/') || dest == "." || view.sources.len() > 1;
    // The sources, read the way the context rules read them.
    let all = local_sources(file);
    let mine: Vec<_> = all
        .iter()
        .filter(|s| ins.span.contains(s.span.start))
        .collect();
    if mine.len() != view.sources.len() || mine.iter().any(|s| s.wildcard) {
        return None;
    }
    let mut sources = Vec::new();
    for s in mine {
        let is_dir = s.path == ".";
        let name = s.path.rsplit('/').next().unwrap_or(&s.path);
        let target = if is_dir {
            dest_abs.clone()
        } else if dir_dest {
            clean_path(&format!("{dest_abs}/{name}"))
        } else {
            dest_abs.clone()
        };
        sources.push((s.path.clone(), target, is_dir));
    }
    Some(Copied { index: i, sources })
}

/// The image paths the copies bring in: each sent file at its destination, or `None` when the
/// files sent are not known (the context was not walked). A source that is not `.` may be a
/// file or a directory: both its own path and what lies under it count.
fn brought_in(
    copies: &[Copied],
    bc: Option<&crate::build_context::BuildContext>,
) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for c in copies {
        for (src, target, is_dir) in &c.sources {
            let bc = bc?;
            let files: Vec<&str> = if *is_dir {
                bc.sent_files.as_ref()?.iter().map(String::as_str).collect()
            } else {
                bc.sent_under(src)?.collect()
            };
            let mut any = false;
            for f in files {
                any = true;
                let rel = if *is_dir {
                    f.to_string()
                } else {
                    f.strip_prefix(src.as_str())
                        .map(|r| r.trim_start_matches('/').to_string())
                        .unwrap_or_default()
                };
                out.push(if rel.is_empty() {
                    target.clone()
                } else {
                    clean_path(&format!("{target}/{rel}"))
                });
            }
            if !any && !is_dir {
                out.push(target.clone());
            }
        }
    }
    Some(out)
}

/// Whether `a` and `b` are the same path or one lies under the other.
fn overlaps(a: &str, b: &str) -> bool {
    let within = |p: &str, d: &str| {
        p == d || d == "/" || p.strip_prefix(d).is_some_and(|r| r.starts_with('/'))
    };
    within(a, b) || within(b, a)
}

impl Rule for RunAfterSourceCopy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = layer_commands(sem);
        for (j, ins) in file.instructions.iter().enumerate() {
            if ins.keyword != Keyword::Run || j == 0 {
                continue;
            }
            let Some(stage) = sem.stage_of(j) else {
                continue;
            };
            // The context copies right before the RUN.
            let mut copies: Vec<Copied> = Vec::new();
            let mut k = j;
            while k > stage.from + 1 {
                k -= 1;
                match file.instructions.get(k).map(|x| &x.keyword) {
                    Some(Keyword::Copy | Keyword::Add) => match copied(file, sem, k) {
                        Some(c) => copies.insert(0, c),
                        None => break,
                    },
                    _ => break,
                }
            }
            // A copy that cannot be read ends the block: the RUN stays below that one.
            if copies.is_empty() {
                continue;
            }
            let run_cmds: Vec<_> = cmds.iter().filter(|c| c.instruction == j).collect();
            let Some(run) = sem.run_script(j) else {
                continue;
            };
            let Ok(script) = &run.script else { continue };
            if run_cmds.len() != script.cmds.len() || !ins.heredocs.is_empty() {
                continue;
            }
            let workdir = sem.states.get(j).and_then(|s| s.workdir.clone());
            let Reads {
                paths,
                worth_moving,
                understood,
                shown,
                ..
            } = run_paths::analyse(&run_cmds, workdir.as_deref());
            if !understood || !worth_moving {
                continue;
            }
            // Paths the RUN names that a copy may bring in (or that hold what it brings in).
            let dests: Vec<&str> = copies
                .iter()
                .flat_map(|c| c.sources.iter().map(|(_, t, _)| t.as_str()))
                .collect();
            let near: Vec<&String> = paths
                .iter()
                .filter(|p| dests.iter().any(|d| overlaps(p, d)))
                .collect();
            // A path where a named source lands (`chmod +x /entrypoint.sh` after copying it),
            // or a directory holding where one lands (`chmod -R g=u /etc/nginx` after copying
            // into it): the RUN acts on what the copy brings in, whatever files are sent.
            let acts_on_copied = near.iter().any(|p| {
                copies.iter().flat_map(|c| c.sources.iter()).any(|(_, t, is_dir)| {
                    (!is_dir && overlaps(p, t))
                        || (t != p.as_str() && t.starts_with(p.as_str()) && overlaps(t, p))
                })
            });
            if acts_on_copied {
                continue;
            }
            let sure = if near.is_empty() {
                true
            } else {
                match brought_in(&copies, cx.build_context()) {
                    Some(files) => {
                        if near.iter().any(|p| files.iter().any(|f| overlaps(p, f))) {
                            // It reads or writes something the copy brings in: it must stay.
                            continue;
                        }
                        // A RUN naming a directory that holds a destination (`chown -R app /app`)
                        // acts on what lands there.
                        !near.iter().any(|p| dests.iter().any(|d| *d != p.as_str() && overlaps(d, p) && d.starts_with(p.as_str())))
                    }
                    None => false,
                }
            };
            let first = &copies[0];
            let Some(first_ins) = file.instructions.get(first.index) else {
                continue;
            };
            let copy_text = file.text(first_ins.span).to_string();
            let builder = cx.report(
                ins.span,
                format!(
                    "`{shown}` uses nothing that `{copy_text}` brings in, but comes after it: every change to the copied files re-runs it"
                ),
            );
            // Move the RUN (with the comment lines right above it) above the first copy (and
            // its comment lines).
            let with_comments = |x: &crate::syntax::Instruction| {
                let lines = whole_lines(file, x.span);
                let start = x
                    .comments
                    .first()
                    .map(|c| whole_lines(file, *c).start)
                    .unwrap_or(lines.start);
                Span::new(start.min(lines.start), lines.end)
            };
            let moved = with_comments(ins);
            let at = with_comments(first_ins).start;
            let mut text = file.text(moved).to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            // A blank line on both sides of the moved lines: one of them goes with it.
            let src = file.source();
            let blank_before = src.get(..moved.start).is_some_and(|s| s.ends_with("\n\n"));
            let rest = src.get(moved.end..).unwrap_or("");
            let blank_after = rest.starts_with('\n') || rest.starts_with("\r\n");
            let moved = if blank_before && blank_after {
                Span::new(moved.start, moved.end + if rest.starts_with('\n') { 1 } else { 2 })
            } else {
                moved
            };
            let edits = vec![Edit::delete(moved), Edit::insert(at, text)];
            let title = format!("Move `{shown}` above `{copy_text}`");
            if sure {
                builder.unsafe_fix(title, edits);
            } else {
                builder.display_only_fix(
                    format!("{title} (check it: the files the copy sends are not known here, and the `RUN` names paths where they land)"),
                    edits,
                );
            }
        }
    }
}
