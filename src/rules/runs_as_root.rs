//! WH130 `runs-as-root`: see `rules/WH130.md`.

use super::helpers::expose_ports::port_specs;
use super::helpers::run_commands::{
    RunCommand, ends_with_continuation, image_stages, instructions_in, run_commands,
};
use super::helpers::lines::{insert_lines_after, whole_lines};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::base_images;
use crate::diagnostic::Severity;
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword};

pub struct RunsAsRoot;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH130"),
    name: SharedStr::new("runs-as-root"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    aliases: &["DS-0002", "CKV_DOCKER_3"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH130.md")),
};

/// Programs that start as root on purpose and switch to their own user (nginx workers run as
/// `www-data`): a USER would stop them from starting.
pub(crate) const DROPS_PRIVILEGES: &[&str] = &[
    "nginx",
    "apache2",
    "apache2ctl",
    "apachectl",
    "httpd",
    "sshd",
    "haproxy",
    "supervisord",
    "dockerd",
    "systemd",
    "init",
    "tini",
    "dumb-init",
    "gosu",
    "su-exec",
];

/// The program the container starts: the first word of ENTRYPOINT, else of CMD.
pub(crate) fn program(
    file: &Dockerfile,
    stages: &[usize],
    sem: &crate::semantic::Semantic,
) -> Option<String> {
    let mut entry = None;
    let mut cmd = None;
    for (_, ins) in instructions_in(file, sem, stages) {
        let first = |body: &CommandBody| match body {
            CommandBody::Exec(args) => args.first().map(|a| a.value.to_string()),
            CommandBody::Shell(t) => t.text.split_whitespace().next().map(str::to_string),
        };
        match ins.view() {
            InstructionView::Entrypoint(v) => entry = first(&v.body),
            InstructionView::Cmd(v) => cmd = first(&v.body),
            _ => {}
        }
    }
    entry.or(cmd)
}

/// Commands that install into the invoking user's home (`/root` here) unless told otherwise:
/// another user cannot read them there.
fn installs_into_home(c: &RunCommand<'_>) -> bool {
    let words = c.words;
    let has = |flag: &str| words.iter().any(|w| w == flag);
    match c.name() {
        Some("pip" | "pip3") | Some("python" | "python3") => {
            has("--user") && words.iter().any(|w| w == "install")
        }
        Some("gem") => has("--user-install"),
        Some("cargo") => words.get(1).is_some_and(|w| w == "install") && !has("--root"),
        Some("go") => words.get(1).is_some_and(|w| w == "install"),
        Some("pipx" | "rustup" | "rustup-init" | "nvm" | "sdk" | "volta") => true,
        Some("poetry") => words.get(1).is_some_and(|w| w == "install"),
        Some("uv") => words.get(1).is_some_and(|w| w == "tool"),
        _ => false,
    }
}

/// Why the image needs root, when it does: an ONBUILD step (child builds run it as the image's
/// user, and it usually writes where root owns), an install into root's home, a path under
/// `/root` or `~` the image runs from, or a port below 1024.
fn needs_root(file: &Dockerfile, sem: &crate::semantic::Semantic, stages: &[usize]) -> bool {
    let mut root_home = false;
    for (i, ins) in instructions_in(file, sem, stages) {
        match ins.view() {
            InstructionView::Onbuild(_) => return true,
            InstructionView::Expose(expose) => {
                let low = expose.ports.iter().any(|w| {
                    port_specs(file, sem, w, i).iter().any(|p| {
                        p.container_port
                            .split('-')
                            .next()
                            .and_then(|n| n.parse::<u32>().ok())
                            .is_some_and(|n| n < 1024)
                    })
                });
                if low {
                    return true;
                }
            }
            InstructionView::Env(_)
            | InstructionView::Cmd(_)
            | InstructionView::Entrypoint(_)
            | InstructionView::Workdir(_) => {
                let text = file.text(ins.span);
                root_home |= text
                    .split(|c: char| c.is_whitespace() || "\"'=:,[]".contains(c))
                    .any(|w| {
                        w == "/root" || w.starts_with("/root/") || w == "~" || w.starts_with("~/")
                    });
            }
            _ => {}
        }
    }
    root_home
        || run_commands(sem)
            .iter()
            .any(|c| stages.contains(&c.stage) && installs_into_home(c))
}

/// System directories a fix must never hand to another user.
const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/media",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/local/share",
    "/usr/share",
    "/usr/src",
    "/var",
    "/var/lib",
    "/var/log",
    "/var/cache",
    "/var/tmp",
    "/var/run",
];

/// The directories the image creates for its program, which stay root's unless handed over:
/// the final WORKDIR, VOLUME paths and `mkdir` targets. `None` when one of them is not known
/// here (a variable, a relative path under an unknown WORKDIR): then the fix is not offered.
fn created_dirs(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    stages: &[usize],
) -> Option<Vec<String>> {
    let mut dirs: Vec<String> = Vec::new();
    let add = |d: String, dirs: &mut Vec<String>| {
        let d = crate::semantic::clean_path(&d);
        if !SYSTEM_DIRS.contains(&d.as_str()) && !dirs.contains(&d) {
            dirs.push(d);
        }
    };
    let final_stage = *stages.first()?;
    for (i, ins) in instructions_in(file, sem, stages) {
        if let InstructionView::Volume(v) = ins.view() {
            for w in &v.paths {
                let value = sem.expand(file, &w.value, i);
                if !value.unresolved.is_empty() || !value.value.starts_with('/') {
                    return None;
                }
                add(value.value, &mut dirs);
            }
        }
    }
    // The WORKDIR the program starts in (set by this file: the base image's is not created
    // here).
    if let Some(last) = sem
        .stages
        .get(final_stage)
        .and_then(|st| st.body.end.checked_sub(1))
        .and_then(|i| sem.states.get(i))
        && last.workdir.is_some()
    {
        let st = sem.stages.get(final_stage)?;
        let set_here = (st.from..st.body.end).any(|i| {
            file.instructions
                .get(i)
                .is_some_and(|x| x.keyword == Keyword::Workdir)
        });
        if set_here && let Some(w) = &last.workdir {
            add(w.clone(), &mut dirs);
        }
    }
    for c in run_commands(sem) {
        if !stages.contains(&c.stage) || c.name() != Some("mkdir") {
            continue;
        }
        let mut skip_value = false;
        for (k, w) in c.words.iter().enumerate().skip(1) {
            if skip_value {
                skip_value = false;
                continue;
            }
            if w == "-m" || w == "--mode" {
                skip_value = true;
                continue;
            }
            if w.starts_with('-') {
                continue;
            }
            if c.argv.get(k).is_some_and(|a| a.has_expansion) {
                return None;
            }
            let path = if w.starts_with('/') {
                w.clone()
            } else {
                let wd = sem.states.get(c.instruction)?.workdir.clone()?;
                format!("{wd}/{w}")
            };
            add(path, &mut dirs);
        }
    }
    Some(dirs)
}

impl Rule for RunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let Some(&final_stage) = stages.first() else {
            return;
        };
        let Some(root_stage) = stages.last().and_then(|&s| sem.stages.get(s)) else {
            return;
        };
        if let Some(p) = program(file, &stages, sem) {
            let base = p.rsplit('/').next().unwrap_or(&p);
            if DROPS_PRIVILEGES.contains(&base) {
                return;
            }
        }
        // The last USER of the image's stages.
        let last_user = instructions_in(file, sem, &stages)
            .filter(|(_, ins)| ins.keyword == Keyword::User)
            .last();
        // A USER decides (an explicit root is WH132's).
        if last_user.is_some() {
            return;
        }
        // No USER: root only when the base image is known to default to it.
        let base = &root_stage.base;
        let Some(repository) = base.repository.as_deref() else {
            return;
        };
        let full = match &base.registry {
            Some(r) => format!("{r}/{repository}"),
            None => repository.to_string(),
        };
        if !base.is_external() || base_images::runs_as_root(&full) != Some(true) {
            return;
        }
        let tag = base.tag.clone().unwrap_or_default();
        let Some(final_st) = sem.stages.get(final_stage) else {
            return;
        };
        let Some(from) = file.instructions.get(final_st.from) else {
            return;
        };
        let builder = cx.report(
            from.span,
            format!(
                "The image runs as root: `{repository}` defaults to root and no `USER` follows"
            ),
        );
        // Switch user after the last instruction that builds the image's files.
        let last_build = (final_st.from..final_st.body.end)
            .rfind(|&i| {
                file.instructions.get(i).is_some_and(|x| {
                    matches!(
                        x.keyword,
                        Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::From
                    )
                })
            })
            .unwrap_or(final_st.from);
        // Text added to a file the parser had to guess about may land in the wrong place
        // (inside an unterminated heredoc): report only.
        if !file.diagnostics.is_empty() {
            return;
        }
        // What another user could not do: report only (docs/fix-safety.md).
        if needs_root(file, sem, &stages) {
            return;
        }
        // The directories the image creates for the program become the new user's.
        let Some(writable) = created_dirs(file, sem, &stages) else {
            return;
        };
        // An instruction that ends in a line continuation would swallow the next line.
        if ends_with_continuation(file, last_build) || ends_with_continuation(file, final_st.from) {
            return;
        }
        let Some(anchor) = file.instructions.get(last_build) else {
            return;
        };
        // Create the user right after FROM (a layer no source change invalidates), switch to
        // it after the last instruction that builds the image's files.
        let mut edits = Vec::new();
        let user = match base_images::existing_user(&full) {
            Some(u) => u.user.clone(),
            None => {
                // The family's own way to create the user `app`.
                let Some(create) =
                    base_images::family(&full, &tag).and_then(|f| f.create_user.as_deref())
                else {
                    return;
                };
                let create = format!("RUN {create}");
                // Users and groups the image creates itself get the next free ids after the
                // highest one in use: creating `app` (10001) first would shift theirs. Then it
                // is created last, with the switch.
                let creates_users = run_commands(sem).iter().any(|c| {
                    stages.contains(&c.stage)
                        && matches!(
                            c.name(),
                            Some("useradd" | "adduser" | "groupadd" | "addgroup" | "newusers")
                        )
                });
                let from_is_anchor =
                    whole_lines(file, from.span).end == whole_lines(file, anchor.span).end;
                if from_is_anchor || creates_users {
                    let chown = if writable.is_empty() {
                        String::new()
                    } else {
                        format!("RUN chown app:app {}\n", writable.join(" "))
                    };
                    builder.unsafe_fix(
                        "Run as a non-root user",
                        vec![insert_lines_after(
                            file,
                            anchor.span,
                            &format!("{create}\n{chown}USER app"),
                        )],
                    );
                    return;
                }
                edits.push(insert_lines_after(file, from.span, &create));
                "app".to_string()
            }
        };
        let mut switch = String::new();
        if !writable.is_empty() {
            switch.push_str(&format!("RUN chown {user}:{user} {}\n", writable.join(" ")));
        }
        switch.push_str(&format!("USER {user}"));
        edits.push(insert_lines_after(file, anchor.span, &switch));
        builder.unsafe_fix("Run as a non-root user", edits);
    }
}

#[cfg(test)]
mod tests {
    use crate::fix::Applicability;
    use crate::lint::{Settings, fix_source, lint_source};

    fn fixed(src: &str) -> String {
        let out = fix_source(src, &Settings::only(["WH130"]), Applicability::Unsafe);
        assert!(out.converged);
        out.text
    }

    #[test]
    fn alpine_without_final_newline_keeps_it_missing() {
        assert_eq!(
            fixed("FROM alpine:3.20\nCOPY run.sh /run.sh"),
            "FROM alpine:3.20\nRUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app\nCOPY run.sh /run.sh\nUSER app"
        );
    }

    #[test]
    fn node_uses_its_own_user_and_crlf_survives() {
        assert_eq!(
            fixed("FROM node:20-slim\r\nCOPY . /srv\r\nCMD [\"node\", \"/srv\"]\r\n"),
            "FROM node:20-slim\r\nCOPY . /srv\r\nUSER node\r\nCMD [\"node\", \"/srv\"]\r\n"
        );
    }

    #[test]
    fn silent_for_unknown_bases_a_user_or_a_privilege_dropping_server() {
        let settings = Settings::only(["WH130"]);
        for src in [
            "FROM registry.example.com/base:1\nCOPY x /x\n",
            "FROM debian:bookworm-slim\nUSER nobody\n",
            "FROM debian:bookworm-slim\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
            "FROM debian:bookworm-slim AS a\nFROM a\nUSER 1000\n",
        ] {
            assert!(lint_source(src, &settings).diagnostics.is_empty(), "{src}");
        }
        assert_eq!(
            lint_source(
                "FROM debian:bookworm-slim AS a\nFROM a\nCOPY x /x\n",
                &settings
            )
            .diagnostics
            .len(),
            1
        );
    }
}
