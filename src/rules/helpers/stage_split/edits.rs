//! The split as edits: name the stage, append the runtime stage with what it copies, installs
//! and keeps of the image's description, and say how sure the plan is.

use super::analysis::{Artifact, VENV, absolute, analyse};
use super::runtime::{install_run, runtime_for, runtime_packages};
use crate::base_images;
use crate::build_context::BuildContext;
use crate::fix::{Applicability, Edit, Fix};
use crate::package_managers::{Action, path_within};
use crate::rules::helpers::lines::insert_lines_after;
use crate::rules::helpers::run_commands::{ends_with_continuation, layer_commands, whole_lines};
use crate::semantic::Semantic;
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword};

/// Instructions that describe the image, not the build: they move to the runtime stage.
fn moves_to_runtime(k: &Keyword) -> bool {
    matches!(
        k,
        Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Expose
            | Keyword::User
            | Keyword::Volume
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Label
            | Keyword::Maintainer
            | Keyword::Onbuild
    )
}

/// A word that looks like a file the program reads from its working directory.
fn looks_like_relative_file(w: &str) -> bool {
    if w.starts_with('-') || w.starts_with('/') || w.contains("://") || w.contains('=') {
        return false;
    }
    const EXTENSIONS: &[&str] = &[
        ".py", ".js", ".mjs", ".cjs", ".ts", ".rb", ".pl", ".php", ".sh", ".jar", ".lua", ".war",
        ".conf", ".toml", ".yaml", ".yml", ".json", ".ini",
    ];
    w.starts_with("./") || w.contains('/') || EXTENSIONS.iter().any(|e| w.ends_with(e))
}

/// Words of a CMD / ENTRYPOINT / HEALTHCHECK body (shell form split on whitespace).
fn body_words(body: &CommandBody) -> Vec<String> {
    match body {
        CommandBody::Exec(args) => args.iter().map(|a| a.value.to_string()).collect(),
        CommandBody::Shell(t) => t.text.split_whitespace().map(str::to_string).collect(),
    }
}

/// A name for the build stage that no other stage uses.
fn build_stage_name(sem: &Semantic) -> String {
    for candidate in ["build", "builder", "build-stage", "whittle-build"] {
        if !sem
            .stages
            .iter()
            .any(|s| s.name.as_deref() == Some(candidate))
        {
            return candidate.to_string();
        }
    }
    "whittle-build-1".to_string()
}

/// The split of the last stage, as a fix: unsafe when the analysis is sure of every RUN,
/// display-only otherwise. `None` when the file's shape does not allow one (the last stage is
/// not an image stage with a known base, the parser had to guess, ...).
pub fn plan(file: &Dockerfile, sem: &Semantic, bc: Option<&BuildContext>) -> Option<Fix> {
    if !file.diagnostics.is_empty() {
        return None;
    }
    let stage = sem.stages.last()?;
    let runtime = runtime_for(file, stage)?;
    let from = file.instructions.get(stage.from)?;
    let from_view = stage.from_view(file)?;
    let mut f = analyse(file, sem, bc, stage, &runtime);
    // An instruction ending in a line continuation would swallow the text after it.
    let last = file.instructions.len().checked_sub(1)?;
    if stage.body.end != file.instructions.len() {
        return None;
    }
    if ends_with_continuation(file, last) || ends_with_continuation(file, stage.from) {
        return None;
    }

    let final_workdir = sem.states.get(last).and_then(|s| s.workdir.clone());
    let mut moved: Vec<usize> = Vec::new();
    let mut repeated: Vec<usize> = Vec::new(); // ARG, ENV
    let mut copies_out: Vec<usize> = Vec::new(); // COPY/ADD outside the build directory
    let mut program_words: Vec<String> = Vec::new();
    let mut saw_program = false;
    let mut user: Option<String> = None;
    let mut last_build_step = stage.from;
    for i in stage.body.clone() {
        let Some(ins) = file.instructions.get(i) else {
            continue;
        };
        if matches!(ins.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) {
            last_build_step = i;
        }
    }
    for i in stage.body.clone() {
        let Some(ins) = file.instructions.get(i) else {
            continue;
        };
        let workdir = sem.states.get(i).and_then(|s| s.workdir.clone());
        match &ins.keyword {
            k if moves_to_runtime(k) => {
                if *k == Keyword::User {
                    if i < last_build_step {
                        f.doubts.push("a `USER` before the build steps".into());
                    }
                    user = Some(file.text(ins.rest_span).trim().to_string());
                }
                match ins.view() {
                    InstructionView::Cmd(v) | InstructionView::Entrypoint(v) => {
                        saw_program = true;
                        program_words.extend(body_words(&v.body));
                    }
                    _ => {}
                }
                moved.push(i);
            }
            Keyword::Arg | Keyword::Env => repeated.push(i),
            Keyword::Shell => f.doubts.push("a `SHELL` instruction".into()),
            Keyword::Copy | Keyword::Add => {
                let dest = match ins.view() {
                    InstructionView::Copy(v) | InstructionView::Add(v) => {
                        v.dest.as_ref().map(|d| d.value.clone())
                    }
                    _ => None,
                };
                let Some(dest) = dest else { continue };
                if dest.contains('$') {
                    f.doubts.push(format!("a copy to `{dest}`"));
                    continue;
                }
                let p = absolute(workdir.as_deref(), &dest);
                let build_dir = workdir.as_deref().filter(|w| *w != "/");
                let inside = build_dir.is_some_and(|w| path_within(&p, w))
                    || f.artifacts.iter().any(|a| path_within(&p, &a.from));
                if !inside {
                    copies_out.push(i);
                }
            }
            Keyword::Unknown(_) => f.doubts.push("an unknown instruction".into()),
            _ => {}
        }
    }
    // A named user must exist in the runtime stage.
    if let Some(u) = &user {
        let name = u.split(':').next().unwrap_or("");
        let numeric = name.chars().all(|c| c.is_ascii_digit());
        let known = matches!(name, "root" | "nobody")
            || base_images::existing_user(stage.base.repository.as_deref().unwrap_or(""))
                .is_some_and(|e| e.user == name);
        if !numeric && !known && f.user_runs.is_empty() {
            f.doubts.push(format!(
                "the user `{name}` is created in a way the plan does not follow"
            ));
        }
        if name.contains('$') {
            f.doubts.push("a `USER` with a variable".into());
        }
    }
    // The program reads files from its working directory: copy the directory.
    let needs_workdir = !saw_program
        || f.python && !f.pip_installs_project
        || program_words.iter().enumerate().any(|(k, w)| {
            // A file the build made and the runtime stage copies anyway.
            let copied = final_workdir.as_deref().is_some_and(|wd| {
                let p = absolute(Some(wd), w);
                f.artifacts
                    .iter()
                    .any(|a| p == a.from || path_within(&p, &a.from))
            });
            !copied
                && ((k == 0 && (w.starts_with("./") || (!w.starts_with('/') && w.contains('/'))))
                    || (k > 0 && looks_like_relative_file(w)))
        });
    if needs_workdir {
        match final_workdir.as_deref() {
            Some(w) if w != "/" && !w.contains('$') => f.artifacts.push(Artifact {
                from: w.to_string(),
                to: w.to_string(),
            }),
            _ => f.doubts.push(
                "the program may need files from the build directory, and there is no WORKDIR"
                    .into(),
            ),
        }
    }
    if f.python {
        f.artifacts.insert(
            0,
            Artifact {
                from: VENV.into(),
                to: VENV.into(),
            },
        );
        if runtime.os_image && f.python_install.is_none() {
            f.doubts
                .push("`pip install` with no `python3` installed by the stage".into());
        }
        if f.pip_run.is_some_and(|r| f.python_install == Some(r)) {
            f.doubts
                .push("python3 and the `pip install` share one RUN".into());
        }
    }

    // --- the edits ------------------------------------------------------------------------
    let src = file.source();
    let mut edits = Vec::new();
    let build = match &from_view.alias {
        Some(a) => a.value.to_string(),
        None => {
            let name = build_stage_name(sem);
            let end = from.span.end;
            edits.push(Edit::insert(end, format!(" AS {name}")));
            name
        }
    };
    // A moved instruction takes the comment lines right above it along.
    let with_comments = |i: usize| {
        file.instructions.get(i).map(|ins| {
            let lines = whole_lines(file, ins.span);
            let start = ins
                .comments
                .first()
                .map(|c| whole_lines(file, *c).start)
                .unwrap_or(lines.start);
            crate::syntax::Span::new(start.min(lines.start), lines.end)
        })
    };
    let mut deleted = Vec::new();
    for &i in &moved {
        if let Some(span) = with_comments(i) {
            deleted.push(span);
            edits.push(Edit::delete(span));
        }
    }
    if f.python {
        // Install into a virtualenv: a directory the runtime stage can copy whole.
        let venv_lines = format!("RUN python3 -m venv {VENV}\nENV PATH=\"{VENV}/bin:$PATH\"\n");
        let anchor = if runtime.os_image {
            f.python_install
        } else {
            Some(stage.from)
        };
        if let Some(ins) = anchor.and_then(|i| file.instructions.get(i)) {
            edits.push(insert_lines_after(file, ins.span, venv_lines.trim_end()));
        }
        if runtime.os_image
            && runtime.family == "debian"
            && !f.packages.iter().any(|p| p == "python3-venv")
        {
            // `python3 -m venv` needs Debian's python3-venv (ensurepip).
            let cmd = layer_commands(sem).into_iter().find(|c| {
                Some(c.instruction) == f.python_install
                    && c.package().is_some_and(|p| p.action == Action::Install)
                    && c.words.iter().any(|w| w.starts_with("python3"))
            });
            match cmd.and_then(|c| {
                let k = c.words.iter().rposition(|w| w.starts_with("python3"))?;
                c.word_file_span(k)
            }) {
                Some(span) => edits.push(Edit::insert(span.end, " python3-venv")),
                None => f.doubts.push("no place to add python3-venv".into()),
            }
        }
    }

    // The runtime stage.
    let mut rt = String::new();
    rt.push_str(&format!("\nFROM {}\n", runtime.image));
    let mut packages = runtime_packages(&f, &runtime);
    // Tools the slimmer runtime base lacks that a moved instruction runs.
    for &i in &moved {
        let Some(ins) = file.instructions.get(i) else {
            continue;
        };
        let words = match ins.view() {
            InstructionView::Cmd(v) | InstructionView::Entrypoint(v) => body_words(&v.body),
            InstructionView::Healthcheck(h) => h.body.as_ref().map(body_words).unwrap_or_default(),
            _ => continue,
        };
        for w in words {
            let base = w.rsplit('/').next().unwrap_or(&w);
            if let Some((_, pkgs)) = runtime.missing.iter().find(|(c, _)| *c == base) {
                for p in pkgs.iter() {
                    if !packages.contains(p) {
                        packages.push(p.clone());
                    }
                }
            }
        }
    }
    // Repeat instructions of the stage, as written, one per line.
    let repeat = |rt: &mut String, indices: &[usize], keep: &dyn Fn(&Keyword) -> bool| {
        for ins in indices.iter().filter_map(|&i| file.instructions.get(i)) {
            if keep(&ins.keyword) {
                rt.push_str(file.text(ins.span));
                rt.push('\n');
            }
        }
    };
    repeat(&mut rt, &repeated, &|k| *k == Keyword::Arg);
    if !packages.is_empty() {
        rt.push_str(&install_run(runtime.family, &packages));
    }
    if user.is_some() {
        repeat(&mut rt, &f.user_runs, &|_| true);
    }
    repeat(&mut rt, &repeated, &|k| *k == Keyword::Env);
    if let Some(w) = &final_workdir {
        rt.push_str(&format!("WORKDIR {w}\n"));
    }
    if f.artifacts.is_empty() {
        rt.push_str(&format!(
            "# COPY --from={build} <what the program needs> <where it runs from>\n"
        ));
    }
    for a in &f.artifacts {
        rt.push_str(&format!("COPY --from={build} {} {}\n", a.from, a.to));
    }
    repeat(&mut rt, &copies_out, &|_| true);
    if f.python {
        rt.push_str(&format!("ENV PATH=\"{VENV}/bin:$PATH\"\n"));
    }
    let mut moved_names: Vec<String> = Vec::new();
    for &i in &moved {
        if let (Some(ins), Some(span)) = (file.instructions.get(i), with_comments(i)) {
            rt.push_str(file.text(span).trim_end_matches(['\r', '\n']));
            rt.push('\n');
            let kw = file.text(ins.keyword_span).to_ascii_uppercase();
            if !moved_names.contains(&kw) {
                moved_names.push(kw);
            }
        }
    }
    // One blank line between the stages, whatever the deletions leave at the end.
    let mut kept = String::new();
    let mut at = 0;
    for d in &deleted {
        kept.push_str(src.get(at..d.start).unwrap_or(""));
        at = d.end.max(at);
    }
    kept.push_str(src.get(at..).unwrap_or(""));
    let kept = kept.replace("\r\n", "\n");
    let lead = if kept.ends_with("\n\n") {
        ""
    } else if kept.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let mut rt = rt.strip_prefix('\n').unwrap_or(&rt);
    // A file without a final line ending keeps that shape.
    if !src.ends_with('\n') {
        rt = rt.strip_suffix('\n').unwrap_or(rt);
    }
    edits.push(Edit::insert(src.len(), format!("{lead}{rt}")));

    let copied: Vec<String> = f
        .artifacts
        .iter()
        .map(|a| format!("`{}`", a.from))
        .collect();
    let mut title = format!(
        "Split into a `{build}` stage and a `{}` runtime stage",
        runtime.image
    );
    if !copied.is_empty() {
        title.push_str(&format!(" that copies {}", copied.join(", ")));
    }
    if !packages.is_empty() {
        title.push_str(&format!(", installs {}", packages.join(" ")));
    }
    if !moved_names.is_empty() {
        title.push_str(&format!("; moves {} there", moved_names.join(", ")));
    }
    // Every doubt is in by now (the edits above can add one).
    if f.doubts.is_empty() && !f.artifacts.is_empty() {
        Some(Fix::new(title, Applicability::Unsafe, edits))
    } else {
        let why = if f.doubts.is_empty() {
            "no build output found".to_string()
        } else {
            f.doubts.join("; ")
        };
        Some(Fix::new(
            format!("{title} (check it: {why})"),
            Applicability::DisplayOnly,
            edits,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn plan_of(src: &str) -> Option<Fix> {
        let file = parse(src);
        let sem = Semantic::new(&file);
        plan(&file, &sem, None)
    }

    #[test]
    fn a_go_build_splits_with_confidence() {
        let fix = plan_of(
            "FROM debian:bookworm\nRUN apt-get install -y golang-go\nWORKDIR /s\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nCMD [\"app\"]\n",
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert!(fix.title.contains("debian:bookworm-slim"), "{}", fix.title);
        let appended = &fix.edits.last().expect("edits").text;
        assert!(appended.contains("COPY --from=build /usr/local/bin/app /usr/local/bin/app"));
        assert!(appended.ends_with("CMD [\"app\"]\n"), "{appended}");
    }

    #[test]
    fn an_unknown_command_makes_it_display_only() {
        let fix = plan_of(
            "FROM debian:bookworm\nRUN apt-get install -y gcc\nRUN sed -i s/a/b/ /etc/app.conf\nWORKDIR /s\nRUN gcc -o /usr/local/bin/app a.c\nCMD [\"app\"]\n",
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::DisplayOnly);
        assert!(fix.title.contains("`sed`"), "{}", fix.title);
    }

    #[test]
    fn no_plan_when_the_last_stage_builds_on_another_stage() {
        assert!(
            plan_of("FROM debian:bookworm AS base\nRUN apt-get install -y gcc\nFROM base\nRUN gcc -o /app a.c\n")
                .is_none()
        );
    }

    #[test]
    fn a_used_build_name_is_not_reused() {
        let fix = plan_of(
            "FROM debian:bookworm AS build\nRUN true\nFROM debian:bookworm\nRUN apt-get install -y gcc\nWORKDIR /s\nRUN gcc -o /usr/local/bin/app a.c\nCMD [\"app\"]\n",
        )
        .expect("a plan");
        assert!(fix.title.contains("`builder` stage"), "{}", fix.title);
    }
}
