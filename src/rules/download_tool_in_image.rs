//! WH312 `download-tool-in-image`: see `rules/WH312.md`.
//!
//! `curl`, `wget` or `git` installed in the image only to fetch something at build time. The
//! fix moves the fetch into a stage of its own (the same base, the same install, the fetching
//! `RUN`s) and copies only what the fetch leaves behind; the tool leaves the image's install.

use super::helpers::run_commands::{RunCommand, layer_commands, whole_lines};
use super::helpers::run_paths;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::build_context::{BuildContext, local_sources};
use crate::diagnostic::Severity;
use crate::fix::{Applicability, Edit};
use crate::package_managers::{Action, Kind};
use crate::semantic::{Semantic, clean_path};
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword, Span};

pub struct DownloadToolInImage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH312"),
    name: SharedStr::new("download-tool-in-image"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: false,
    context: ContextUse::SentFilesWhenCopyingDirectory,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH312.md")),
};

/// Download tools: the command, and the packages that bring it (the package the install names).
const TOOLS: &[(&str, &str)] = &[("curl", "curl"), ("wget", "wget"), ("git", "git")];

/// How many copied files are read to see whether the program runs the tool itself.
const SCAN_FILES: usize = 400;
const SCAN_BYTES: usize = 256 << 10;

/// The programs a CMD / ENTRYPOINT / HEALTHCHECK body starts (every word of a shell form: a
/// tool named anywhere counts).
fn body_mentions(body: &CommandBody, tool: &str) -> bool {
    let words: Vec<String> = match body {
        CommandBody::Exec(args) => args.iter().map(|a| a.value.to_string()).collect(),
        CommandBody::Shell(t) => t.text.split_whitespace().map(str::to_string).collect(),
    };
    words
        .iter()
        .any(|w| w.rsplit('/').next().unwrap_or(w).trim_matches(|c: char| !c.is_ascii_alphanumeric()) == tool)
}

/// Whether a copied file mentions `tool` as a word: `Some(true)` yes, `Some(false)` no file
/// does, `None` when the files copied are not known.
fn copied_files_mention(
    file: &Dockerfile,
    sem: &Semantic,
    stages: &[usize],
    bc: Option<&BuildContext>,
    tool: &str,
) -> Option<bool> {
    let sources = local_sources(file);
    let in_image: Vec<_> = sources
        .iter()
        .filter(|s| {
            file.instructions
                .iter()
                .position(|i| i.span.contains(s.span.start))
                .and_then(|i| sem.states.get(i))
                .and_then(|st| st.stage)
                .is_some_and(|st| stages.contains(&st))
        })
        .collect();
    if in_image.is_empty() {
        return Some(false);
    }
    let bc = bc?;
    bc.files.as_ref()?;
    let sent = bc.sent_files.as_ref();
    let mut names: Vec<String> = Vec::new();
    for s in &in_image {
        if s.wildcard {
            return None;
        }
        match sent {
            Some(list) if s.path == "." => names.extend(list.iter().cloned()),
            Some(_) => {
                let under: Vec<String> = bc.sent_under(&s.path)?.map(str::to_string).collect();
                if under.is_empty() {
                    names.push(s.path.clone());
                } else {
                    names.extend(under);
                }
            }
            // Not walked: a directory source cannot be listed.
            None if s.path == "." => return None,
            None => names.push(s.path.clone()),
        }
    }
    if names.len() > SCAN_FILES {
        return None;
    }
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    for n in names {
        // The build's own files are not the program's.
        let base = n.rsplit('/').next().unwrap_or(&n).to_ascii_lowercase();
        if base == ".dockerignore" || base.contains("dockerfile") || base.ends_with(".md") {
            continue;
        }
        let content = bc.read(&n);
        let bytes = match &content {
            crate::build_context::FileContent::Bytes(b) => b,
            crate::build_context::FileContent::Missing => continue,
            crate::build_context::FileContent::Unknown => return None,
        };
        let bytes = &bytes[..bytes.len().min(SCAN_BYTES)];
        let t = tool.as_bytes();
        let found = bytes.windows(t.len()).enumerate().any(|(k, w)| {
            w == t
                && (k == 0 || !is_word(bytes[k - 1]))
                && bytes.get(k + t.len()).is_none_or(|b| !is_word(*b))
        });
        if found {
            return Some(true);
        }
    }
    Some(false)
}

impl Rule for DownloadToolInImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let Some(stage) = sem.stages.last() else {
            return;
        };
        // Development, test, CI and build images keep their tools on purpose: they are what
        // the image is for.
        if super::helpers::image_purpose::toolchain_reason(file, sem, cx.dockerfile_path())
            .is_some()
        {
            return;
        }
        let stages = super::helpers::run_commands::image_stages(sem);
        let cmds = layer_commands(sem);
        for (tool, package) in TOOLS {
            // The install that names the package, in the final stage.
            let Some(install) = cmds.iter().find(|c| {
                c.stage == stage.index
                    && c.package().is_some_and(|p| {
                        p.manager.kind == Kind::System
                            && p.action == Action::Install
                            && p.operand_words(c.words).iter().any(|w| {
                                w.split(['=', '/']).next() == Some(*package)
                            })
                    })
            }) else {
                continue;
            };
            let inv = install.package().expect("checked above");
            // Every command of the image that runs the tool, and where.
            let users: Vec<&RunCommand<'_>> = cmds
                .iter()
                .filter(|c| stages.contains(&c.stage) && c.name() == Some(*tool))
                .collect();
            if users.is_empty() || users.iter().any(|c| c.stage != stage.index || c.instruction <= install.instruction) {
                continue;
            }
            let described = stage.body.clone().any(|i| {
                file.instructions.get(i).is_some_and(|ins| match ins.view() {
                    InstructionView::Cmd(v) | InstructionView::Entrypoint(v) => body_mentions(&v.body, tool),
                    InstructionView::Healthcheck(h) => h.body.as_ref().is_some_and(|b| body_mentions(b, tool)),
                    _ => false,
                })
            });
            if described {
                continue;
            }
            let mut runs: Vec<usize> = users.iter().map(|c| c.instruction).collect();
            runs.dedup();
            // Each fetching RUN: understood, and leaving known paths behind.
            let mut doubts: Vec<String> = Vec::new();
            let mut outputs: Vec<(usize, Vec<String>)> = Vec::new();
            for &r in &runs {
                let rc: Vec<&RunCommand<'_>> = cmds.iter().filter(|c| c.instruction == r).collect();
                let workdir = sem.states.get(r).and_then(|s| s.workdir.clone());
                let reads = run_paths::analyse(&rc, workdir.as_deref());
                if !reads.understood || rc.iter().any(|c| c.package().is_some()) {
                    doubts.push(format!("`{}` does more than fetch", reads.shown));
                }
                if !reads.links.is_empty() {
                    doubts.push("a link made next to the download".into());
                }
                let tmp = |p: &str| p == "/tmp" || p.starts_with("/tmp/");
                let mut left: Vec<String> = Vec::new();
                for o in &reads.outputs {
                    let removed = reads.removed.iter().any(|d| {
                        o == d || o.strip_prefix(d.as_str()).is_some_and(|x| x.starts_with('/'))
                    });
                    // A later mv of this path moves it away.
                    let moved_on = reads.outputs.iter().skip_while(|x| *x != o).skip(1).count() > 0
                        && rc.iter().any(|c| {
                            c.name() == Some("mv")
                                && c.words.iter().skip(1).any(|w| {
                                    let wd = workdir.as_deref().unwrap_or("/");
                                    clean_path(&if w.starts_with('/') { w.clone() } else { format!("{wd}/{w}") }) == *o
                                })
                        });
                    if !removed && !moved_on && !tmp(o) && !left.contains(o) {
                        left.push(o.clone());
                    }
                }
                // What lies inside another output is copied with it.
                let all = left.clone();
                left.retain(|o| {
                    !all.iter().any(|d| d != o && o.strip_prefix(d.as_str()).is_some_and(|x| x.starts_with('/')))
                });
                // A directory the operating system's packages also fill cannot be copied whole.
                const SYSTEM: &[&str] = &["/", "/usr", "/usr/bin", "/usr/lib", "/usr/share", "/usr/sbin", "/etc", "/var", "/bin", "/lib", "/sbin", "/root", "/home"];
                if let Some(o) = left.iter().find(|o| SYSTEM.contains(&o.as_str())) {
                    doubts.push(format!("the fetch writes into `{o}`, which the system's packages also fill"));
                }
                if left.is_empty() {
                    doubts.push(format!("`{}` leaves nothing the plan can name", reads.shown));
                }
                outputs.push((r, left));
            }
            // Before the fetch, the stage only installs packages and creates users; no copy
            // of the context (the fetch would run without it).
            let first_run = runs[0];
            for i in stage.body.start..first_run {
                let Some(ins) = file.instructions.get(i) else { continue };
                match ins.keyword {
                    Keyword::Run => {
                        let ok = cmds.iter().filter(|c| c.instruction == i).all(|c| {
                            c.package().is_some_and(|p| p.manager.kind == Kind::System)
                                || matches!(c.name(), Some("rm" | "useradd" | "groupadd" | "adduser" | "addgroup"))
                        });
                        if !ok {
                            doubts.push("a RUN before the fetch the plan does not follow".into());
                        }
                    }
                    Keyword::Copy | Keyword::Add => {
                        doubts.push("files copied before the fetch".into())
                    }
                    Keyword::Arg | Keyword::Env | Keyword::Shell | Keyword::User => {
                        doubts.push(format!(
                            "a `{}` before the fetch",
                            file.text(ins.keyword_span).to_ascii_uppercase()
                        ))
                    }
                    _ => {}
                }
            }
            let mention = copied_files_mention(file, sem, &stages, cx.build_context(), tool);
            if mention == Some(true) {
                continue;
            }
            if mention.is_none() {
                doubts.push(format!("the copied files could not be read to see whether the program runs `{tool}`"));
            }
            let Some(first_ins) = file.instructions.get(first_run) else { continue };
            let builder = cx.report(
                install.file_span(),
                format!(
                    "`{tool}` is installed only to fetch something at build time (line {}): it stays in the image; fetch in a separate stage and copy only the result",
                    file.line_index().line_of(first_ins.span.start) + 1
                ),
            );
            if stage.body.end != file.instructions.len() || !file.diagnostics.is_empty() {
                continue;
            }
            // --- the edits -------------------------------------------------------------------
            let Some(from) = file.instructions.get(stage.from) else { continue };
            let Some(from_view) = stage.from_view(file) else { continue };
            if from_view.image.value.contains('$') {
                continue;
            }
            let name = ["fetch", "download", "fetch-tools"]
                .into_iter()
                .find(|n| !sem.stages.iter().any(|s| s.name.as_deref() == Some(*n)))
                .unwrap_or("whittle-fetch");
            let with_comments = |ins: &crate::syntax::Instruction| {
                let lines = whole_lines(file, ins.span);
                let start = ins
                    .comments
                    .first()
                    .map(|c| whole_lines(file, *c).start)
                    .unwrap_or(lines.start);
                Span::new(start.min(lines.start), lines.end)
            };
            let line = |s: &str| {
                let mut t = s.trim_end_matches(['\r', '\n']).to_string();
                t.push('\n');
                t
            };
            let Some(install_ins) = file.instructions.get(install.instruction) else { continue };
            let mut fetch = format!("FROM {} AS {name}\n", from_view.image.value);
            fetch.push_str(&line(file.text(install_ins.span)));
            let mut last_workdir: Option<String> = None;
            let mut edits: Vec<Edit> = Vec::new();
            for (r, left) in &outputs {
                let Some(ins) = file.instructions.get(*r) else { continue };
                let wd = sem.states.get(*r).and_then(|s| s.workdir.clone());
                if wd != last_workdir {
                    if let Some(w) = &wd {
                        fetch.push_str(&format!("WORKDIR {w}\n"));
                    }
                    last_workdir = wd.clone();
                }
                let span = with_comments(ins);
                fetch.push_str(&line(file.text(span)));
                let copies: String = left
                    .iter()
                    .map(|o| format!("COPY --from={name} {o} {o}\n"))
                    .collect();
                // The comment lines stay with the COPY that replaces the RUN.
                let run_lines = whole_lines(file, ins.span);
                edits.push(Edit::replace(run_lines, copies));
            }
            fetch.push('\n');
            edits.push(Edit::insert(with_comments(from).start, fetch));
            // The tool (and what it alone needed) leaves the image's install.
            let apt = inv.manager.needed_recommends.get(package).cloned().unwrap_or_default();
            let others: Vec<&str> = inv
                .operand_words(install.words)
                .into_iter()
                .filter(|w| w.split(['=', '/']).next() != Some(*package))
                .collect();
            let still_needed = |dep: &str| {
                others.iter().any(|o| {
                    let n = o.split(['=', '/']).next().unwrap_or(o);
                    inv.manager.needed_recommends.get(n).is_some_and(|v| v.contains(&dep))
                })
            };
            let drop: Vec<&str> = std::iter::once(*package)
                .chain(apt.iter().copied().filter(|d| !still_needed(d)))
                .collect();
            let mut removed_all = true;
            for (k, w) in install.words.iter().enumerate() {
                if !inv.operands.contains(&k) {
                    continue;
                }
                if drop.contains(&w.split(['=', '/']).next().unwrap_or(w)) {
                    let Some(ws) = install.word_file_span(k) else { continue };
                    // The word and the blank before it.
                    let start = file.source()[..ws.start].trim_end_matches([' ', '\t']).len();
                    edits.push(Edit::delete(Span::new(start, ws.end)));
                } else {
                    removed_all = false;
                }
            }
            if removed_all {
                // Nothing left to install: the RUN goes when it only ran the package manager.
                let only_pm = cmds.iter().filter(|c| c.instruction == install.instruction).all(|c| {
                    c.package().is_some_and(|p| p.manager.kind == Kind::System) || c.name() == Some("rm")
                });
                edits.retain(|e| !install_ins.span.contains(e.span.start));
                if only_pm {
                    let span = whole_lines(file, install_ins.span);
                    let src = file.source();
                    let blank_before = src.get(..span.start).is_some_and(|s| s.ends_with("\n\n"));
                    let blank_after = src.get(span.end..).is_some_and(|s| s.starts_with('\n'));
                    let end = if blank_before && blank_after { span.end + 1 } else { span.end };
                    edits.push(Edit::delete(Span::new(span.start, end)));
                } else {
                    doubts.push("the install RUN does more than install".into());
                }
            }
            let title = format!(
                "Fetch in a `{name}` stage and copy {} into the image, without `{tool}`",
                outputs
                    .iter()
                    .flat_map(|(_, l)| l.iter().map(|o| format!("`{o}`")))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if doubts.is_empty() {
                builder.fix(title, Applicability::Unsafe, edits);
            } else {
                builder.fix(
                    format!("{title} (check it: {})", doubts.join("; ")),
                    Applicability::DisplayOnly,
                    edits,
                );
            }
        }
    }
}
