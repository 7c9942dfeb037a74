//! WH130 `runs-as-root`: see `rules/WH130.md`.

use super::helpers::expose_ports::port_specs;
use super::helpers::run_commands::{
    RunCommand, ends_with_continuation, image_stages, instructions_in, layer_commands,
};
use super::helpers::image_purpose;
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
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH130.md")),
};

/// Programs that start as root on purpose and switch to their own user (nginx workers run as
/// `www-data`), or switch the process they start (`gosu app cmd`): a USER would stop them from
/// starting.
pub(crate) const DROPS_PRIVILEGES: &[&str] = &[
    "nginx",
    "apache2",
    "apache2ctl",
    "apachectl",
    "apache2-foreground",
    "httpd",
    "httpd-foreground",
    "php-fpm",
    "sshd",
    "haproxy",
    "supervisord",
    "dockerd",
    "systemd",
    "init",
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "chpst",
    "s6-setuidgid",
    "s6-svscan",
];

/// Init wrappers that only reap and forward signals: the program after them is what runs.
const INIT_WRAPPERS: &[&str] = &["tini", "tini-static", "dumb-init", "catatonit"];

/// Whether the start command switches user: a privilege-dropping program anywhere in it
/// (after init wrappers and scripts, `CMD ["apache2-foreground"]` after an entrypoint script).
fn start_drops_privileges(start: &[String]) -> bool {
    start.iter().any(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        DROPS_PRIVILEGES.contains(&base)
    }) || start_names_a_user(start)
}

/// Whether the start command gives a server the user to run as: `--user www-data`,
/// `--uid=1000`, `--setuid app`, or `-u memcache` (not for interpreters, where `-u` means
/// unbuffered output: `python -u app.py`).
fn start_names_a_user(start: &[String]) -> bool {
    const INTERPRETERS: &[&str] = &["python", "python2", "python3", "node", "ruby", "perl", "php"];
    let user_like = |w: &str| {
        !w.is_empty()
            && !w.starts_with('-')
            && !w.contains(['.', '/', '$'])
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
    };
    let mut program = "";
    start.iter().enumerate().any(|(i, w)| {
        if !w.starts_with('-') {
            program = w.rsplit('/').next().unwrap_or(w);
            return false;
        }
        let next = start.get(i + 1).map(String::as_str).unwrap_or("");
        match w.split_once('=') {
            Some(("--user" | "--uid" | "--setuid", v)) => user_like(v),
            Some(_) => false,
            None => match w.as_str() {
                "--user" | "--uid" | "--setuid" => user_like(next),
                "-u" => {
                    user_like(next)
                        && !INTERPRETERS.iter().any(|p| {
                            program == *p
                                || program
                                    .strip_prefix(p)
                                    .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
                        })
                }
                _ => false,
            },
        }
    })
}

/// Whether a stage of the image creates a user (`useradd`, `adduser`) or hands files to one
/// (`chown www-data ...`) and never switches to it with `USER`: the entrypoint or the server
/// switches to it at run time (`uwsgi --uid`, `su app -c`), as the database images do with
/// theirs.
fn creates_a_user(file: &Dockerfile, sem: &crate::semantic::Semantic, stages: &[usize]) -> bool {
    layer_commands(sem).iter().any(|c| {
        if !stages.contains(&c.stage) || file.instructions.get(c.instruction).is_none() {
            return false;
        }
        match c.name() {
            Some("useradd" | "adduser") => true,
            Some("chown") => c.words.iter().skip(1).find(|w| !w.starts_with('-')).is_some_and(|owner| {
                let user = owner.split([':', '.']).next().unwrap_or("");
                !user.is_empty() && user != "root" && user != "0" && !user.starts_with('$')
            }),
            _ => false,
        }
    })
}

/// Whether a stage of the image installs or copies in a privilege-dropping tool (its
/// entrypoint script then steps down, as the database images do with gosu).
fn ships_privilege_dropper(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    stages: &[usize],
) -> bool {
    const TOOLS: &[&str] = &[
        "gosu",
        "su-exec",
        "setpriv",
        "s6-setuidgid",
        "chpst",
        "runuser",
        "s6",
        "s6-overlay",
    ];
    instructions_in(file, sem, stages).any(|(_, ins)| {
        let text = file.text(ins.span);
        text.split(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == ',')
            .any(|w| TOOLS.contains(&w))
    })
}

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
        || layer_commands(sem)
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
    for c in layer_commands(sem) {
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
        // Only images that serve: a development, test, CI or build image, a tool run by hand
        // and an image without a program are left alone (they run as whoever starts them).
        if image_purpose::toolchain_reason(file, sem, cx.dockerfile_path()).is_some()
            || !image_purpose::is_service(file, sem)
        {
            return;
        }
        let start = image_purpose::start_command(file, sem);
        // Windows images have no POSIX root (their RUNs and programs go to cmd or PowerShell).
        let windows = |w: &str| {
            let w = w.to_ascii_lowercase();
            w.contains("powershell") || w.contains("pwsh") || w == "cmd" || w.ends_with(".exe")
        };
        let final_shell = sem
            .stages
            .get(final_stage)
            .and_then(|s| sem.states.get(s.from))
            .and_then(|st| st.shell.first().cloned())
            .unwrap_or_default();
        if windows(&final_shell) || start.first().is_some_and(|w| windows(w)) {
            return;
        }
        let program = start
            .iter()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .find(|w| !INIT_WRAPPERS.contains(w) && !w.starts_with('-'));
        if program.is_some_and(|p| DROPS_PRIVILEGES.contains(&p))
            || start_drops_privileges(&start)
            || ships_privilege_dropper(file, sem, &stages)
            || creates_a_user(file, sem, &stages)
        {
            return;
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
        if !base.is_external() {
            return;
        }
        let tag_now = base.tag.clone().unwrap_or_default();
        match base_images::image_config(&full) {
            Some(c) if c.drops_privileges || !c.runs_as_root(&tag_now) => return,
            Some(_) => {}
            None if base_images::runs_as_root(&full) != Some(true) => return,
            None => {}
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
                let creates_users = layer_commands(sem).iter().any(|c| {
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
            fixed("FROM alpine:3.20\nEXPOSE 8080\nCMD [\"/run.sh\"]\nCOPY run.sh /run.sh"),
            "FROM alpine:3.20\nRUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app\nEXPOSE 8080\nCMD [\"/run.sh\"]\nCOPY run.sh /run.sh\nUSER app"
        );
    }

    #[test]
    fn node_uses_its_own_user_and_crlf_survives() {
        assert_eq!(
            fixed(
                "FROM node:20-slim\r\nCOPY . /srv\r\nEXPOSE 3000\r\nCMD [\"node\", \"/srv\"]\r\n"
            ),
            "FROM node:20-slim\r\nCOPY . /srv\r\nUSER node\r\nEXPOSE 3000\r\nCMD [\"node\", \"/srv\"]\r\n"
        );
    }

    #[test]
    fn silent_for_unknown_bases_a_user_or_a_privilege_dropping_server() {
        let settings = Settings::only(["WH130"]);
        for src in [
            "FROM registry.example.com/base:1\nCOPY x /x\nEXPOSE 80\nCMD [\"x\"]\n",
            "FROM debian:bookworm-slim\nUSER nobody\nEXPOSE 80\nCMD [\"x\"]\n",
            "FROM debian:bookworm-slim\nEXPOSE 80\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
            "FROM debian:bookworm-slim AS a\nFROM a\nUSER 1000\nEXPOSE 80\nCMD [\"x\"]\n",
            // no program, or not a service
            "FROM debian:bookworm-slim\nCOPY x /x\n",
            "FROM debian:bookworm-slim\nENTRYPOINT [\"trivy\"]\n",
            // a debug stage, a base image that runs as non-root, an entrypoint that drops
            "FROM debian:bookworm-slim AS debug\nEXPOSE 80\nCMD [\"x\"]\n",
            "FROM haproxy:2.9\nEXPOSE 80\nCMD [\"haproxy\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nEXPOSE 8080\nENTRYPOINT [\"dotnet\", \"app.dll\"]\n",
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nEXPOSE 80\nENTRYPOINT [\"/entrypoint.sh\"]\n",
            "FROM php:8.3-apache\nEXPOSE 80\nENTRYPOINT [\"entrypoint.sh\"]\nCMD [\"apache2-foreground\"]\n",
            // servers told which user to run as
            "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"gunicorn\", \"--user\", \"www-data\", \"app:app\"]\n",
            "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"uwsgi\", \"--uid=1000\", \"--http\", \":8000\"]\n",
            "FROM debian:bookworm-slim\nEXPOSE 11211\nCMD [\"memcached\", \"-u\", \"memcache\"]\n",
            "FROM debian:bookworm-slim\nEXPOSE 80\nCMD [\"su-exec\", \"app\", \"server\"]\n",
        ] {
            assert!(lint_source(src, &settings).diagnostics.is_empty(), "{src}");
        }
        for src in [
            "FROM debian:bookworm-slim AS a\nFROM a\nCOPY x /x\nEXPOSE 80\nCMD [\"x\"]\n",
            // tini only forwards signals
            "FROM node:20-slim\nEXPOSE 80\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n",
            "FROM haproxy:2.2\nEXPOSE 80\nCMD [\"x\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nEXPOSE 8080\nENTRYPOINT [\"dotnet\", \"app.dll\"]\n",
            "FROM eclipse-temurin:21-jre\nHEALTHCHECK CMD curl -f localhost\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
            // `-u` of an interpreter is unbuffered output, not a user
            "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"python3\", \"-u\", \"main\"]\n",
            "FROM python:3.12-slim\nEXPOSE 8000\nCMD python -u server\n",
        ] {
            assert_eq!(lint_source(src, &settings).diagnostics.len(), 1, "{src}");
        }
    }
}
