//! What the stage's RUN commands do, as far as the split needs to know: the artifacts a build
//! leaves, the packages it installs, the users it creates, and every reason for doubt.

use crate::base_images;
use crate::build_context::BuildContext;
use crate::package_managers::{Action, Kind, path_within};
use crate::rules::helpers::run_commands::{RunCommand, context_source, layer_commands};
use crate::semantic::{Semantic, Stage, clean_path};
use crate::syntax::Dockerfile;

/// Where a Python build puts its virtualenv.
pub(super) const VENV: &str = "/opt/venv";

/// Commands that leave nothing behind outside the paths they are given.
pub(super) const NEUTRAL: &[&str] = &[
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
pub(super) const FILE_COMMANDS: &[&str] = &[
    "cp", "mv", "mkdir", "ln", "chmod", "chown", "strip", "install", "touch", "tar",
];
/// Compiler drivers whose `-o` names an artifact.
pub(super) const COMPILERS: &[&str] = &["gcc", "cc", "g++", "c++", "clang", "clang++"];
/// Commands that create users and groups: their RUN is repeated in the runtime stage.
pub(super) const USER_COMMANDS: &[&str] =
    &["useradd", "adduser", "groupadd", "addgroup", "usermod"];
/// One path to copy from the build stage into the runtime stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Artifact {
    pub(super) from: String,
    pub(super) to: String,
}

/// What the analysis found out about the stage.
#[derive(Debug, Default)]
pub(super) struct Findings {
    pub(super) artifacts: Vec<Artifact>,
    /// Why the split cannot be applied with confidence (empty: it can).
    pub(super) doubts: Vec<String>,
    /// System packages the stage installs (and does not remove), as written.
    pub(super) packages: Vec<String>,
    /// Instruction indices of RUNs that only create users.
    pub(super) user_runs: Vec<usize>,
    /// Python: the first RUN with a `pip install`, and the RUN installing `python3`.
    pub(super) pip_run: Option<usize>,
    pub(super) python_install: Option<usize>,
    /// The stage installs with pip.
    pub(super) python: bool,
    /// A `pip install` of a local project (`.`): the program lives in the virtualenv.
    pub(super) pip_installs_project: bool,
}

/// `path` made absolute against `workdir` (`/` when none), `.` and `..` resolved; a trailing
/// `/` (a directory) is kept.
pub(super) fn absolute(workdir: Option<&str>, path: &str) -> String {
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
pub(super) fn output_flag(words: &[String]) -> Option<&str> {
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

/// `-e`/`--editable` installs link back to the source tree.
pub(super) fn words_editable(words: &[String]) -> bool {
    words.iter().any(|w| w == "-e" || w == "--editable")
}

/// The runtime base for the stage's base image, and the package-install command template of
/// its family; `None` when the family is not one whose packages the plan can install.
pub(super) struct Runtime {
    pub(super) image: String,
    pub(super) family: &'static str,
    /// The base is an operating-system image whose `/usr/local` is empty.
    pub(super) os_image: bool,
    /// The runtime base lacks a tool the original base had: the packages that add it.
    pub(super) missing: Vec<(&'static str, &'static [String])>,
    pub(super) python_image: bool,
    pub(super) golang_image: bool,
}

/// Read the stage's RUN commands.
pub(super) fn analyse(
    file: &Dockerfile,
    sem: &Semantic,
    bc: Option<&BuildContext>,
    stage: &Stage,
    runtime: &Runtime,
) -> Findings {
    let mut f = Findings::default();
    let cmds: Vec<RunCommand<'_>> = layer_commands(sem)
        .into_iter()
        .filter(|c| c.stage == stage.index)
        .collect();
    // RUNs of the stage that did not parse as shell (exec form, syntax errors) are unknown.
    for r in &sem.run_scripts {
        if stage.body.contains(&r.instruction) && !r.onbuild && r.script.is_err() {
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
                // Builds whose output the match on the command's name follows (the table
                // also lists them because they download dependencies first).
                _ if matches!(
                    inv.manager.name,
                    "go" | "cargo" | "maven" | "gradle" | "dotnet"
                ) => {}
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
                "build" => match cargo_binaries(file, sem, bc, c, workdir.as_deref()) {
                    Ok(bins) => f.artifacts.extend(bins.into_iter().map(|b| Artifact {
                        from: b.clone(),
                        to: b,
                    })),
                    Err(e) => f.doubts.push(e),
                },
                _ => {}
            },
            // javac -d DIR: the classes; jar: the archive it writes.
            "javac" => match words.iter().position(|w| w == "-d") {
                Some(k) if words.get(k + 1).is_some() => {
                    let d = absolute(workdir.as_deref(), &words[k + 1]);
                    f.artifacts.push(Artifact {
                        from: d.clone(),
                        to: d,
                    });
                }
                _ => f
                    .doubts
                    .push("`javac` without `-d`: the classes lie next to the sources".into()),
            },
            "jar" => match jar_file(words) {
                Some(Some(j)) => {
                    let j = absolute(workdir.as_deref(), &j);
                    f.artifacts.push(Artifact {
                        from: j.clone(),
                        to: j,
                    });
                }
                Some(None) => {}
                None => f.doubts.push(format!("`{}`", words.join(" "))),
            },
            // Maven and Gradle write under the project: target/ and build/.
            "mvn" | "mvnw" | "gradle" | "gradlew" => {
                let maven = name.starts_with("mvn");
                let builds = words.iter().skip(1).any(|w| {
                    if maven {
                        matches!(w.as_str(), "package" | "install" | "verify")
                    } else {
                        matches!(
                            w.as_str(),
                            "build" | "assemble" | "jar" | "bootJar" | "shadowJar" | "installDist"
                        )
                    }
                });
                let elsewhere = words.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "-f" | "--file" | "-p" | "--project-dir" | "-b" | "--build-file"
                    ) || w.starts_with("--file=")
                        || w.starts_with("--project-dir=")
                });
                match workdir.as_deref() {
                    Some(wd) if builds && !elsewhere && wd != "/" => {
                        let out = format!(
                            "{}/{}/",
                            wd.trim_end_matches('/'),
                            if maven { "target" } else { "build" }
                        );
                        f.artifacts.push(Artifact {
                            from: out.clone(),
                            to: out,
                        });
                    }
                    _ if !builds => {}
                    _ => f.doubts.push(format!(
                        "`{}`: where it writes is not known",
                        words.join(" ")
                    )),
                }
            }
            "dotnet" => match sub {
                "publish" => match output_flag(words).or_else(|| {
                    words
                        .iter()
                        .position(|w| w == "--output")
                        .and_then(|k| words.get(k + 1))
                        .map(String::as_str)
                }) {
                    Some(o) => {
                        let o =
                            format!("{}/", absolute(workdir.as_deref(), o).trim_end_matches('/'));
                        f.artifacts.push(Artifact {
                            from: o.clone(),
                            to: o,
                        });
                    }
                    None => f.doubts.push(
                        "`dotnet publish` without `-o`: the output's path depends on the project"
                            .into(),
                    ),
                },
                "restore" | "build" | "test" | "--info" | "--version" => {}
                _ => f.doubts.push(format!("`{}`", words.join(" "))),
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
            // What a slim base strips that an install needs (`mkdir -p /usr/share/man/man1`):
            // the runtime stage's install adds the step again where it needs it.
            "mkdir"
                if words
                    .iter()
                    .skip(1)
                    .filter(|w| !w.starts_with('-'))
                    .all(|w| {
                        base_images::table()
                            .fix_facts
                            .slim_needs
                            .iter()
                            .any(|n| clean_path(w) == clean_path(&n.path))
                    }) => {}
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

/// The file `jar` writes: `Some(Some(path))` for `jar cf x.jar ...` / `--create --file x.jar`,
/// `Some(None)` when it only lists or extracts, `None` when the command is not read.
fn jar_file(words: &[String]) -> Option<Option<String>> {
    let first = words.get(1)?;
    if first.starts_with("--") || first.len() == 2 && first.starts_with('-') {
        // Long options: --create --file X (or --file=X).
        let create = words.iter().any(|w| w == "--create" || w == "-c");
        if !create {
            return Some(None);
        }
        for (k, w) in words.iter().enumerate() {
            if w == "--file" || w == "-f" {
                return words.get(k + 1).map(|f| Some(f.clone()));
            }
            if let Some(v) = w.strip_prefix("--file=") {
                return Some(Some(v.to_string()));
            }
        }
        return None;
    }
    // A bundle of letters (`cfe`, `-cvf`): `f`, `m` and `e` take the next operands, in order.
    let letters = first.trim_start_matches('-');
    if !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    if !letters.contains('c') && !letters.contains('u') {
        return Some(None);
    }
    let mut operand = 2;
    for ch in letters.chars() {
        match ch {
            'f' => return words.get(operand).map(|f| Some(f.clone())),
            'm' | 'e' => operand += 1,
            _ => {}
        }
    }
    // No `f`: the archive goes to standard output.
    None
}

/// The binaries `cargo build` writes, from Cargo.toml in the build context: the `[[bin]]`
/// names, else the package's name.
fn cargo_binaries(
    file: &Dockerfile,
    sem: &Semantic,
    bc: Option<&BuildContext>,
    c: &RunCommand<'_>,
    workdir: Option<&str>,
) -> Result<Vec<String>, String> {
    let words = c.words;
    if words.iter().any(|w| {
        matches!(
            w.as_str(),
            "--target-dir" | "--manifest-path" | "--target" | "--out-dir" | "--artifact-dir" | "-Z"
        ) || w.starts_with("--target-dir=")
            || w.starts_with("--manifest-path=")
            || w.starts_with("--target=")
    }) || sem.lookup("CARGO_TARGET_DIR", c.instruction).is_some()
        || sem.lookup("CARGO_BUILD_TARGET", c.instruction).is_some()
    {
        return Err("`cargo build` into another target directory".into());
    }
    let wd = workdir
        .filter(|w| *w != "/" && !w.contains('$'))
        .ok_or("`cargo build` without a WORKDIR")?;
    let profile = if words.iter().any(|w| w == "--release" || w == "-r") {
        "release".to_string()
    } else if let Some(k) = words.iter().position(|w| w == "--profile") {
        words.get(k + 1).cloned().ok_or("`cargo build --profile`")?
    } else {
        "debug".to_string()
    };
    if profile == "dev" || profile == "test" || profile == "bench" {
        return Err(format!("`cargo build --profile {profile}`"));
    }
    let dir = format!("{}/target/{profile}", wd.trim_end_matches('/'));
    let named: Vec<String> = words
        .windows(2)
        .filter(|p| p[0] == "--bin")
        .map(|p| p[1].clone())
        .collect();
    if !named.is_empty() {
        return Ok(named.into_iter().map(|n| format!("{dir}/{n}")).collect());
    }
    let manifest = format!("{}/Cargo.toml", wd.trim_end_matches('/'));
    let text = bc
        .filter(|b| b.files.is_some())
        .and_then(|b| {
            let src = context_source(file, sem, c.stage, c.instruction, &manifest)?;
            b.read(&src).text()
        })
        .ok_or("`cargo build`: the binary's name is in Cargo.toml, which could not be read")?;
    let bins = crate::manifests::cargo_binaries(&text)
        .ok_or("`cargo build`: Cargo.toml names no binary this reader follows (a workspace, `[lib]` only, a renamed path)")?;
    Ok(bins.into_iter().map(|n| format!("{dir}/{n}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package_managers::path_within;

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
}
