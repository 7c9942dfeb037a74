//! The multi-stage split behind WH307's fix: turn the image's stage, which installs a build
//! toolchain, into a build stage and append a runtime stage that gets only what the program
//! needs at run time.
//!
//! The plan is deliberately narrow. It is applied (an unsafe fix) only when every RUN of the
//! stage is understood: package installs, a recognised build (`go build -o`, `make install`,
//! `cmake --install`, `gcc -o`, `pip install` into a virtualenv, `cargo install --root`),
//! user creation, and commands that only touch the build's own files. Anything else (a
//! `curl | sh`, a `sed -i` on a system file, an npm build) could have set up something the
//! program needs at run time that the plan would leave behind, so the proposed structure is
//! shown as a display-only suggestion and nothing changes.

use super::lines::insert_lines_after;
use super::run_commands::{
    RunCommand, ends_with_continuation, path_within, run_commands, whole_lines,
};
use crate::base_images::{self, SuggestionKind};
use crate::fix::{Applicability, Edit, Fix};
use crate::package_managers::{self, Action, Kind};
use crate::semantic::{Semantic, Stage, clean_path};
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword};

/// Where a Python build puts its virtualenv.
const VENV: &str = "/opt/venv";

/// Commands that leave nothing behind outside the paths they are given.
const NEUTRAL: &[&str] = &[
    "cd",
    "echo",
    "true",
    "false",
    "set",
    "export",
    ":",
    "printf",
    "test",
    "[",
    "ls",
    "pwd",
    "cat",
    "sleep",
    "env",
    "which",
    "command",
    "type",
    "rm",
    "du",
    "find",
    "file",
    "ldd",
    "grep",
    "head",
    "tail",
    "wc",
    "sha256sum",
    "md5sum",
];
/// File commands whose path operands must stay inside the build's own directories.
const FILE_COMMANDS: &[&str] = &[
    "cp", "mv", "mkdir", "ln", "chmod", "chown", "strip", "install", "touch", "tar",
];
/// Compiler drivers whose `-o` names an artifact.
const COMPILERS: &[&str] = &["gcc", "cc", "g++", "c++", "clang", "clang++"];
/// Commands that create users and groups: their RUN is repeated in the runtime stage.
const USER_COMMANDS: &[&str] = &["useradd", "adduser", "groupadd", "addgroup", "usermod"];
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

/// One path to copy from the build stage into the runtime stage.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Artifact {
    from: String,
    to: String,
}

/// What the analysis found out about the stage.
#[derive(Debug, Default)]
struct Findings {
    artifacts: Vec<Artifact>,
    /// Why the split cannot be applied with confidence (empty: it can).
    doubts: Vec<String>,
    /// System packages the stage installs (and does not remove), as written.
    packages: Vec<String>,
    /// Instruction indices of RUNs that only create users.
    user_runs: Vec<usize>,
    /// Python: the first RUN with a `pip install`, and the RUN installing `python3`.
    pip_run: Option<usize>,
    python_install: Option<usize>,
    /// The stage installs with pip.
    python: bool,
    /// A `pip install` of a local project (`.`): the program lives in the virtualenv.
    pip_installs_project: bool,
}

/// `path` made absolute against `workdir` (`/` when none), `.` and `..` resolved; a trailing
/// `/` (a directory) is kept.
fn absolute(workdir: Option<&str>, path: &str) -> String {
    let mut out = if path.starts_with('/') {
        clean_path(path)
    } else {
        clean_path(&format!("{}/{path}", workdir.unwrap_or("/")))
    };
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

/// The value of `-o X` / `-oX` / `-o=X` in `words`.
fn output_flag(words: &[String]) -> Option<&str> {
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        if w == "-o" {
            return it.next().map(String::as_str);
        }
        if let Some(v) = w.strip_prefix("-o=") {
            return Some(v);
        }
    }
    None
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

/// `-e`/`--editable` installs link back to the source tree.
fn words_editable(words: &[String]) -> bool {
    words.iter().any(|w| w == "-e" || w == "--editable")
}

/// Words of a CMD / ENTRYPOINT / HEALTHCHECK body (shell form split on whitespace).
fn body_words(body: &CommandBody) -> Vec<String> {
    match body {
        CommandBody::Exec(args) => args.iter().map(|a| a.value.to_string()).collect(),
        CommandBody::Shell(t) => t.text.split_whitespace().map(str::to_string).collect(),
    }
}

/// The runtime base for the stage's base image, and the package-install command template of
/// its family; `None` when the family is not one whose packages the plan can install.
struct Runtime {
    image: String,
    family: &'static str,
    /// The base is an operating-system image whose `/usr/local` is empty.
    os_image: bool,
    /// The runtime base lacks a tool the original base had: the packages that add it.
    missing: Vec<(&'static str, &'static [String])>,
    python_image: bool,
    golang_image: bool,
}

fn runtime_for(file: &Dockerfile, stage: &Stage) -> Option<Runtime> {
    let base = &stage.base;
    if !base.is_external() || !base.unresolved.is_empty() {
        return None;
    }
    let repository = base.repository.as_deref()?;
    let full = match &base.registry {
        Some(r) => format!("{r}/{repository}"),
        None => repository.to_string(),
    };
    let tag = base.tag.clone().unwrap_or_default();
    let family = base_images::family(&full, &tag)?;
    let family_name: &'static str = match family.name.as_str() {
        "debian" => "debian",
        "alpine" => "alpine",
        _ => return None,
    };
    let name = full.rsplit('/').next().unwrap_or(&full);
    let as_written = stage
        .from_view(file)
        .map(|f| f.image.value.to_string())
        .unwrap_or_else(|| base.raw.clone());
    // A digest pins exactly one image: keep it (no slim variant can keep the pin).
    // A reference built from ARGs stays as written, so a `--build-arg` moves both stages.
    let suggestion = if base.digest.is_some() || as_written.contains('$') {
        None
    } else {
        base_images::slim_variant(&full, &tag)
    };
    let (image, missing) = match &suggestion {
        Some(s)
            if matches!(
                s.kind,
                SuggestionKind::Slim | SuggestionKind::BuildOnly | SuggestionKind::Replace
            ) =>
        {
            let missing = s
                .missing_tools
                .iter()
                .map(|t| (t.command.as_str(), t.packages.as_slice()))
                .collect();
            (s.image(), missing)
        }
        _ => (as_written, Vec::new()),
    };
    Some(Runtime {
        image,
        family: family_name,
        os_image: matches!(name, "debian" | "ubuntu" | "alpine"),
        missing,
        python_image: name == "python",
        golang_image: name == "golang",
    })
}

/// Read the stage's RUN commands.
fn analyse(sem: &Semantic, stage: &Stage, runtime: &Runtime) -> Findings {
    let mut f = Findings::default();
    let cmds: Vec<RunCommand<'_>> = run_commands(sem)
        .into_iter()
        .filter(|c| c.stage == stage.index)
        .collect();
    // RUNs of the stage that did not parse as shell (exec form, syntax errors) are unknown.
    for r in &sem.run_scripts {
        if stage.body.contains(&r.instruction) && r.script.is_err() {
            f.doubts
                .push("a RUN the shell parser could not read".into());
        }
    }
    let mut removed: Vec<String> = Vec::new();
    let mut prefix: Option<String> = None;
    // Per RUN: (only user commands and neutral ones, has a user command).
    let mut user_only: std::collections::BTreeMap<usize, (bool, bool)> = Default::default();
    for c in &cmds {
        let workdir = sem
            .states
            .get(c.instruction)
            .and_then(|s| s.workdir.clone());
        let Some(name) = c.name() else {
            f.doubts.push("a command whose name is a variable".into());
            continue;
        };
        let words = c.words;
        let is_user = USER_COMMANDS.contains(&name);
        let entry = user_only.entry(c.instruction).or_insert((true, false));
        if !is_user && !NEUTRAL.contains(&name) {
            entry.0 = false;
        }
        entry.1 |= is_user;
        if is_user {
            continue;
        }
        if let Some(inv) = c.package() {
            match (inv.manager.kind, inv.action) {
                (Kind::System, Action::Install) => {
                    for w in inv.operand_words(words) {
                        if w.contains('$') || w.ends_with(".deb") || w.ends_with(".rpm") {
                            f.doubts.push(format!("the package operand `{w}`"));
                        } else if !f.packages.iter().any(|p| p == w) {
                            if w == "python3" || w.starts_with("python3=") {
                                f.python_install = Some(c.instruction);
                            }
                            f.packages.push(w.to_string());
                        }
                    }
                    if f.python_install.is_none()
                        && inv
                            .operand_words(words)
                            .iter()
                            .any(|w| w.starts_with("python3"))
                    {
                        f.python_install = Some(c.instruction);
                    }
                    continue;
                }
                (Kind::System, Action::Remove) => {
                    removed.extend(inv.operand_words(words).into_iter().map(str::to_string));
                    continue;
                }
                (Kind::System, _) => continue,
                _ if inv.manager.name == "pip" && inv.action == Action::Install => {
                    let flags = ["--user", "--target", "-t", "--prefix", "--root"];
                    if words.iter().any(|w| flags.contains(&w.as_str())) {
                        f.doubts
                            .push("a `pip install` outside the default location".into());
                    }
                    if words[0].starts_with('/') && !words[0].starts_with(VENV) {
                        f.doubts
                            .push(format!("`{}` names the system pip", words[0]));
                    }
                    let local = |w: &str| w == "." || w.starts_with("./") || w.starts_with('/');
                    // An editable install links back to the source tree: that stays needed.
                    if inv.operand_words(words).iter().any(|w| local(w)) && !words_editable(words) {
                        f.pip_installs_project = true;
                    }
                    if runtime.os_image || runtime.python_image {
                        f.python = true;
                        f.pip_run.get_or_insert(c.instruction);
                    } else {
                        f.doubts
                            .push("a `pip install` on a base the plan does not know".into());
                    }
                    continue;
                }
                _ if inv.manager.name == "pip" => continue,
                _ if inv.manager.name == "go" || inv.manager.name == "cargo" => {}
                _ => {
                    f.doubts.push(format!(
                        "`{}` runs {}, whose output the plan does not follow",
                        words.join(" "),
                        inv.manager.name
                    ));
                    continue;
                }
            }
        }
        let sub = words.get(1).map(String::as_str).unwrap_or("");
        match name {
            "go" => match sub {
                "build" => match output_flag(words) {
                    Some(o) => f.artifacts.push(Artifact {
                        from: absolute(workdir.as_deref(), o),
                        to: absolute(workdir.as_deref(), o),
                    }),
                    None => f.doubts.push("`go build` without `-o`".into()),
                },
                "install" => {
                    let bin = if runtime.golang_image {
                        "/go/bin/"
                    } else {
                        "/root/go/bin/"
                    };
                    if sem.lookup("GOBIN", c.instruction).is_some()
                        || sem.lookup("GOPATH", c.instruction).is_some() && !runtime.golang_image
                    {
                        f.doubts
                            .push("`go install` with GOBIN or GOPATH set".into());
                    }
                    f.artifacts.push(Artifact {
                        from: bin.into(),
                        to: "/usr/local/bin/".into(),
                    });
                }
                _ => {}
            },
            "cargo" => match sub {
                "install" => match words.iter().position(|w| w == "--root") {
                    Some(i) if words.get(i + 1).is_some_and(|r| r.starts_with('/')) => {
                        f.artifacts.push(Artifact {
                            from: format!("{}/bin/", words[i + 1].trim_end_matches('/')),
                            to: "/usr/local/bin/".into(),
                        })
                    }
                    _ => f.doubts.push(
                        "`cargo install` without `--root`: the binary lands next to cargo itself"
                            .into(),
                    ),
                },
                "build" => f
                    .doubts
                    .push("`cargo build`: the binary's name is in Cargo.toml".into()),
                _ => {}
            },
            "make" | "gmake" | "ninja" | "meson" | "cmake" => {
                let installs = match name {
                    "cmake" => {
                        words.iter().any(|w| w == "--install")
                            || (words.iter().any(|w| w == "--build")
                                && words.iter().any(|w| w == "install"))
                    }
                    _ => words.iter().skip(1).any(|w| w == "install"),
                };
                let mut destdir = None;
                for w in words.iter() {
                    if let Some(v) = w.strip_prefix("DESTDIR=") {
                        destdir = Some(absolute(workdir.as_deref(), v));
                    }
                    for key in ["PREFIX=", "prefix=", "-DCMAKE_INSTALL_PREFIX="] {
                        if let Some(v) = w.strip_prefix(key) {
                            prefix = Some(v.to_string());
                        }
                    }
                }
                if name == "cmake" && words.iter().any(|w| w == "--prefix") {
                    f.doubts.push("`cmake --install --prefix`".into());
                }
                if !installs {
                    continue;
                }
                if let Some(d) = destdir {
                    // Staged install: the tree under DESTDIR mirrors the root.
                    let d = d.trim_end_matches('/').to_string();
                    if d.is_empty() {
                        f.doubts.push("`DESTDIR=/`".into());
                    } else {
                        f.artifacts.push(Artifact {
                            from: format!("{d}/"),
                            to: "/".into(),
                        });
                    }
                    continue;
                }
                match prefix.as_deref().map(|p| p.trim_end_matches('/')) {
                    None | Some("/usr/local") if runtime.os_image => f.artifacts.push(Artifact {
                        from: "/usr/local/".into(),
                        to: "/usr/local/".into(),
                    }),
                    None | Some("/usr/local") => f
                        .doubts
                        .push("`make install` into a base whose /usr/local is not empty".into()),
                    Some(p) if p.starts_with("/opt/") || p.starts_with("/app") => {
                        f.artifacts.push(Artifact {
                            from: format!("{p}/"),
                            to: format!("{p}/"),
                        })
                    }
                    Some(p) => f.doubts.push(format!("the install prefix `{p}`")),
                }
            }
            "configure" => {
                for w in words {
                    if let Some(v) = w.strip_prefix("--prefix=") {
                        prefix = Some(v.to_string());
                    }
                }
            }
            n if COMPILERS.contains(&n) => {
                if let Some(o) = output_flag(words) {
                    let p = absolute(workdir.as_deref(), o);
                    let wd = workdir.as_deref().unwrap_or("/");
                    // An object file or a binary left in the source tree is build input.
                    let in_tree = wd != "/" && path_within(&p, wd);
                    if !in_tree && !o.ends_with(".o") {
                        f.artifacts.push(Artifact {
                            from: p.clone(),
                            to: p,
                        });
                    }
                }
            }
            n if NEUTRAL.contains(&n) => {}
            n if FILE_COMMANDS.contains(&n) => {
                let wd = workdir.as_deref().unwrap_or("/");
                let outside = words
                    .iter()
                    .skip(1)
                    .filter(|w| !w.starts_with('-'))
                    .find(|w| {
                        let p = absolute(Some(wd), w);
                        let inside_build = (wd != "/" && path_within(&p, wd))
                            || path_within(&p, "/tmp")
                            || f.artifacts.iter().any(|a| path_within(&p, &a.from));
                        !inside_build
                    });
                if let Some(w) = outside {
                    f.doubts.push(format!(
                        "`{n}` writes `{w}`, which the runtime stage might need"
                    ));
                }
            }
            "python" | "python3"
                if words.get(1).is_some_and(|w| w == "-m")
                    && words.get(2).is_some_and(|w| w == "venv") =>
            {
                f.doubts
                    .push("the Dockerfile makes its own virtualenv".into());
            }
            other => f.doubts.push(format!(
                "`{other}` may set up something the program needs at run time"
            )),
        }
    }
    for (run, (only, has_user)) in user_only {
        if only && has_user {
            f.user_runs.push(run);
        }
    }
    f.packages.retain(|p| !removed.iter().any(|r| r == p));
    // `dev_to_runtime` names Debian packages; elsewhere a header package's library is unknown.
    if runtime.family != "debian" {
        let headers_only = ["musl-dev", "linux-headers", "libc-dev"];
        for p in &f.packages {
            if p.ends_with("-dev") && !headers_only.contains(&p.as_str()) {
                f.doubts.push(format!("the runtime library of `{p}`"));
            }
        }
    }
    // A compiler output inside an installed prefix is already copied.
    let dirs: Vec<String> = f
        .artifacts
        .iter()
        .filter(|a| a.from.ends_with('/'))
        .map(|a| a.from.clone())
        .collect();
    f.artifacts
        .retain(|a| a.from.ends_with('/') || !dirs.iter().any(|d| path_within(&a.from, d)));
    f.artifacts.dedup();
    f
}

/// The packages the runtime stage installs: what the stage installed minus compilers, headers
/// and build-only helpers, plus the runtime library of each `-dev` package.
fn runtime_packages(f: &Findings, runtime: &Runtime) -> Vec<String> {
    let table = package_managers::table();
    // `pkg=1.2`, `pkg>=1`, `pkg/bookworm` -> `pkg`.
    fn name(w: &str) -> &str {
        let end = w.find(['=', '<', '>', '~']).unwrap_or(w.len());
        w[..end].split('/').next().unwrap_or("")
    }
    let mut out: Vec<String> = Vec::new();
    // Names already listed: a set, not a scan of `out` per package (quadratic on long lists).
    let mut listed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut push = |p: &str, out: &mut Vec<String>| {
        if !listed.contains(name(p)) {
            listed.insert(name(p).to_string());
            out.push(p.to_string());
        }
    };
    for p in &f.packages {
        let n = name(p);
        if runtime.family != "debian" && (table.is_build_toolchain(n) || table.is_build_only(n)) {
            continue;
        }
        if let Some(libs) = table.dev_to_runtime.get(n) {
            for l in libs {
                push(l, &mut out);
            }
        } else if table.is_build_toolchain(n) || table.is_build_only(n) {
            continue;
        } else {
            push(p, &mut out);
        }
    }
    if f.python && runtime.os_image {
        push("python3", &mut out);
    }
    out
}

/// The text that installs `packages` on the runtime base.
fn install_run(family: &str, packages: &[String]) -> String {
    let list = packages.join(" ");
    match family {
        "alpine" => format!("RUN apk add --no-cache {list}\n"),
        _ => format!(
            "RUN apt-get update \\\n && apt-get install -y --no-install-recommends {list} \\\n && rm -rf /var/lib/apt/lists/*\n"
        ),
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
pub fn plan(file: &Dockerfile, sem: &Semantic) -> Option<Fix> {
    if !file.diagnostics.is_empty() {
        return None;
    }
    let stage = sem.stages.last()?;
    let runtime = runtime_for(file, stage)?;
    let from = file.instructions.get(stage.from)?;
    let from_view = stage.from_view(file)?;
    let mut f = analyse(sem, stage, &runtime);
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
            (k == 0 && (w.starts_with("./") || (!w.starts_with('/') && w.contains('/'))))
                || (k > 0 && looks_like_relative_file(w))
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
            let cmd = run_commands(sem).into_iter().find(|c| {
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
        plan(&file, &sem)
    }

    #[test]
    fn paths_resolve_against_the_workdir() {
        assert_eq!(absolute(Some("/src"), "out/app"), "/src/out/app");
        assert_eq!(absolute(Some("/src"), "../bin/"), "/bin/");
        assert_eq!(absolute(None, "./app"), "/app");
        assert_eq!(
            absolute(Some("/src"), "/usr/local/bin/x"),
            "/usr/local/bin/x"
        );
        assert!(path_within("/usr/local/bin/x", "/usr/local/"));
        assert!(!path_within("/usr/localx", "/usr/local"));
    }

    #[test]
    fn output_flag_forms() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(output_flag(&w("go build -o /out/app .")), Some("/out/app"));
        assert_eq!(output_flag(&w("go build -o=bin/x")), Some("bin/x"));
        assert_eq!(output_flag(&w("go build .")), None);
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
