//! WH401 `copy-before-dependency-install`: see `rules/WH401.md`.

use super::helpers::lines::insert_lines_after;
use super::helpers::run_commands::{RunCommand, layer_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::Action;
use crate::syntax::{Dockerfile, InstructionView, Keyword};

pub struct CopyBeforeDependencyInstall;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH401"),
    name: SharedStr::new("copy-before-dependency-install"),
    category: Category::BuildCache,
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::Files,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH401.md")),
};

/// A dependency install that reads only manifests, and the sources a `COPY` placed before it
/// needs (`None`: report without a fix, the install also needs other files).
struct DependencyInstall {
    shown: String,
    sources: Option<Vec<String>>,
}

/// The table's manifests: the first must exist, the others are copied when present (a `*`
/// pattern may match nothing when another source exists).
fn manifest_sources(manifests: &[&str], skip_patterns: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (k, m) in manifests.iter().enumerate() {
        if m.contains('*') {
            if !skip_patterns {
                out.push(m.to_string());
            }
        } else if k == 0 {
            out.push(m.to_string());
        } else {
            out.push(format!("{m}*"));
        }
    }
    out
}

fn dependency_install(c: &RunCommand<'_>) -> Option<DependencyInstall> {
    let inv = c.package()?;
    if inv.action != Action::Install {
        return None;
    }
    let pm = inv.manager;
    let sub = inv.subcommand_text(c.words);
    let shown = super::helpers::run_commands::command_text(c, inv);
    let no_operands = inv.operands.is_empty();
    let sources = match pm.name {
        "npm" if no_operands && sub.as_deref() != Some("add") => {
            Some(manifest_sources(&pm.manifests, false))
        }
        "yarn" if no_operands && matches!(sub.as_deref(), None | Some("install")) => {
            Some(manifest_sources(&pm.manifests, false))
        }
        "pnpm" if no_operands && matches!(sub.as_deref(), Some("install" | "i")) => {
            Some(manifest_sources(&pm.manifests, false))
        }
        // A gemspec usually loads lib/*/version.rb: leave it out.
        "bundler" if no_operands && matches!(sub.as_deref(), None | Some("install")) => {
            Some(manifest_sources(&pm.manifests, true))
        }
        "go" if sub.as_deref() == Some("mod download") && no_operands => {
            Some(manifest_sources(&pm.manifests, false))
        }
        // `uv sync` and `poetry install` also install the project itself (its sources), unless
        // told not to; `pipenv install`/`sync` install what the Pipfile lists.
        "uv" if sub.as_deref() == Some("sync") && no_operands => c
            .words
            .iter()
            .any(|w| w == "--no-install-project" || w == "--no-install-workspace")
            .then(|| manifest_sources(&pm.manifests, false)),
        "poetry" if matches!(sub.as_deref(), Some("install" | "sync")) && no_operands => c
            .words
            .iter()
            .any(|w| w == "--no-root")
            .then(|| manifest_sources(&pm.manifests, false)),
        "pipenv" if matches!(sub.as_deref(), Some("install" | "sync")) && no_operands => {
            Some(manifest_sources(&pm.manifests, false))
        }
        // The autoloader and the scripts read the project's sources.
        "composer" if sub.as_deref().is_some_and(|s| s == "install" || s == "i") && no_operands => c
            .words
            .iter()
            .any(|w| w == "--no-autoloader")
            .then_some(())
            .and(c.words.iter().any(|w| w == "--no-scripts").then_some(()))
            .map(|_| manifest_sources(&pm.manifests, false)),
        "pip" | "uv" | "conda" if no_operands || pm.name == "conda" => {
            // `pip install -r requirements.txt`, `conda env create -f environment.yml`:
            // exactly the files named.
            let files: Vec<String> = inv
                .options
                .iter()
                .filter(|o| {
                    pm.manifest_flags
                        .iter()
                        .any(|f| c.words.get(o.index).is_some_and(|w| w == f))
                })
                .filter_map(|o| o.value.and_then(|v| c.words.get(v)).cloned())
                .collect();
            if files.is_empty() {
                return None;
            }
            let plain = files.iter().all(|f| {
                !f.contains(['$', '*', '?', '[']) && !f.starts_with('/') && !f.contains("..")
            });
            return Some(DependencyInstall {
                shown,
                sources: plain.then_some(files),
            });
        }
        "cargo" if sub.as_deref() == Some("fetch") => None,
        _ => return None,
    };
    Some(DependencyInstall { shown, sources })
}

/// The first build of `stage` after instruction `copy_at` that downloads the project's
/// dependencies itself, with no fetch step of its tool before it in the stage and no cache
/// mount over the tool's cache: the build as shown, and the fetch step to run first.
fn fetching_build(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    cmds: &[RunCommand<'_>],
    stage: &crate::semantic::Stage,
    copy_at: usize,
) -> Option<(String, &'static str)> {
    const FETCH_FIRST: &[(&str, &str)] = &[
        ("go", "go mod download"),
        ("cargo", "cargo fetch"),
        ("dotnet", "dotnet restore"),
        ("maven", "mvn dependency:go-offline"),
        ("gradle", "gradle dependencies"),
    ];
    let (k, c) = cmds.iter().enumerate().find(|(_, c)| {
        c.instruction > copy_at
            && stage.body.contains(&c.instruction)
            && c.package().is_some_and(|p| p.action == Action::Fetch)
    })?;
    // A build in a branch may not run (`if [ ! -f prebuilt ]; then go build ...`).
    if !c.flow.top_level {
        return None;
    }
    let inv = c.package()?;
    let pm = inv.manager;
    let first = FETCH_FIRST.iter().find(|(m, _)| *m == pm.name)?.1;
    let offline = c
        .words
        .iter()
        .any(|w| w == "--offline" || (pm.name == "maven" && w == "-o"));
    // A fetch step, or an earlier build that fetched (a dummy project built from the
    // manifests, `cargo chef cook`), in this stage or a stage it is built on.
    let mut chain = vec![stage.index];
    let mut base = stage.base.stage;
    while let Some(b) = base.filter(|b| !chain.contains(b)) {
        chain.push(b);
        base = sem.stages.get(b).and_then(|s| s.base.stage);
    }
    let fetched_before = cmds[..k].iter().any(|o| {
        chain.contains(&o.stage)
            && o.package().is_some_and(|p| {
                p.manager.name == pm.name && matches!(p.action, Action::Install | Action::Fetch)
            })
    });
    let cached = pm
        .cache_dirs
        .iter()
        .any(|d| super::helpers::run_commands::has_mount_over(file, c.instruction, d));
    if offline || fetched_before || cached {
        return None;
    }
    Some((super::helpers::run_commands::command_text(c, inv), first))
}

/// Copies of project files (not the whole context) above the COPY of the manifests that an npm,
/// yarn or pnpm install reads alone: `COPY src/ ./src/`, then `COPY package.json
/// package-lock.json ./` and `RUN npm ci`. Only when the build context shows a `package.json`
/// without install scripts, workspaces or local dependencies (the install then reads nothing
/// else), the install `RUN` does nothing else, and only copies and settings stand between the
/// early copy and the install. Reported without a fix: (copy, install, the install as shown).
fn sources_before_manifests(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    bc: Option<&crate::build_context::BuildContext>,
    cmds: &[RunCommand<'_>],
) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let Some(bc) = bc.filter(|b| b.files.is_some()) else {
        return out;
    };
    for c in cmds {
        let Some(inv) = c.package() else { continue };
        let pm = inv.manager;
        if !matches!(pm.name, "npm" | "yarn" | "pnpm")
            || dependency_install(c).is_none_or(|d| d.sources.is_none())
            || out.iter().any(|o| o.1 == c.instruction)
        {
            continue;
        }
        let Some(stage) = sem.stages.get(c.stage) else {
            continue;
        };
        let Some(workdir) = sem.states.get(c.instruction).and_then(|s| s.workdir.clone()) else {
            continue;
        };
        // The RUN does nothing but install (and clean), from the working directory.
        let run: Vec<&RunCommand<'_>> = cmds.iter().filter(|o| o.instruction == c.instruction).collect();
        if run.first().is_none_or(|o| o.script.cmds.len() != run.len())
            || !run.iter().all(|o| {
                o.package().is_some_and(|p| matches!(p.action, Action::Install | Action::Clean))
                    || o.name() == Some("rm")
            })
        {
            continue;
        }
        let manifest = format!("{}/package.json", workdir.trim_end_matches('/'));
        let Some(source) = super::helpers::run_commands::context_source(
            file,
            sem,
            c.stage,
            c.instruction,
            &manifest,
        ) else {
            continue;
        };
        let Some(p) = bc
            .read(&source)
            .text()
            .and_then(|t| crate::manifests::PackageJson::parse(&t))
        else {
            continue;
        };
        if !p.install_scripts().is_empty() || p.workspaces || !p.local_dependencies().is_empty() {
            continue;
        }
        // The COPY that brings the manifest, then the copies above it.
        let is_manifest = |s: &str| {
            let name = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s);
            pm.manifests.contains(&name)
                || name.starts_with(".yarn")
                || name.starts_with(".pnp")
                || name.contains("lock")
        };
        let manifest_copy = (stage.from + 1..c.instruction).rev().find(|&i| {
            file.instructions.get(i).is_some_and(|ins| match ins.view() {
                InstructionView::Copy(v) | InstructionView::Add(v) => {
                    v.from.is_none() && v.sources.iter().any(|s| s.value.ends_with("package.json"))
                }
                _ => false,
            })
        });
        let Some(m) = manifest_copy else { continue };
        let shown = super::helpers::run_commands::command_text(c, inv);
        for k in stage.from + 1..m {
            let Some(ins) = file.instructions.get(k) else { continue };
            let (InstructionView::Copy(v) | InstructionView::Add(v)) = ins.view() else {
                continue;
            };
            if v.from.is_some()
                || !ins.heredocs.is_empty()
                || copies_whole_context(file, k).is_some()
                || v.sources.iter().any(|s| s.value.contains("://") || is_manifest(&s.value))
            {
                continue;
            }
            // Only copies and settings between it and the install: nothing runs on them.
            let quiet = (k + 1..c.instruction).all(|i| {
                file.instructions.get(i).is_some_and(|x| {
                    matches!(
                        x.keyword,
                        Keyword::Copy
                            | Keyword::Add
                            | Keyword::Env
                            | Keyword::Arg
                            | Keyword::Label
                            | Keyword::Workdir
                            | Keyword::User
                            | Keyword::Expose
                    )
                })
            });
            if quiet {
                out.push((k, c.instruction, shown.clone()));
            }
        }
    }
    out
}

/// A COPY or ADD of the whole build context (`COPY . .`, `ADD . /app`), not from a stage.
fn copies_whole_context(file: &Dockerfile, i: usize) -> Option<String> {
    let ins = file.instructions.get(i)?;
    let view = match ins.view() {
        InstructionView::Copy(v) | InstructionView::Add(v) => v,
        _ => return None,
    };
    if view.from.is_some() || view.sources.len() != 1 {
        return None;
    }
    let src = view.sources.first()?.value.as_str();
    if !matches!(src, "." | "./") {
        return None;
    }
    Some(view.dest.as_ref()?.value.to_string())
}

/// The sources the install needs once the manifests are read from the build context: the
/// files a requirements file includes (`-r base.txt`, recursively), or `None` when the install
/// also reads the project's own files (`-e .`, `file:` dependencies, workspaces, install
/// scripts, a `gemspec`, a local `replace`) or a manifest cannot be read.
fn complete_sources(
    bc: &crate::build_context::BuildContext,
    manager: &str,
    mut sources: Vec<String>,
) -> Option<Vec<String>> {
    match manager {
        "pip" => {
            let mut i = 0;
            while i < sources.len() {
                // A bounded walk: an include cycle stops at 64 files.
                if sources.len() > 64 {
                    return None;
                }
                let name = sources[i].clone();
                let text = bc.read(&name).text()?;
                let req = crate::manifests::parse_requirements(&text);
                if req.local_paths {
                    return None;
                }
                let dir = name.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                for inc in req.includes {
                    if inc.contains(['$', '*', '?', '['])
                        || inc.starts_with('/')
                        || inc.contains("://")
                    {
                        return None;
                    }
                    let path = crate::dockerignore::clean(&if dir.is_empty() {
                        inc
                    } else {
                        format!("{dir}/{inc}")
                    });
                    if path.starts_with("..") {
                        return None;
                    }
                    if !sources.contains(&path) {
                        sources.push(path);
                    }
                }
                i += 1;
            }
            Some(sources)
        }
        "npm" | "yarn" | "pnpm" => {
            let p = crate::manifests::PackageJson::parse(&bc.read("package.json").text()?)?;
            (p.local_dependencies().is_empty() && p.install_scripts().is_empty() && !p.workspaces)
                .then_some(sources)
        }
        "uv" | "poetry" => {
            // Path and editable dependencies read the project's own directories.
            let pyproject = bc.read("pyproject.toml").text()?;
            (!pyproject.contains("path =")
                && !pyproject.contains("path=")
                && !pyproject.contains("file:")
                && !pyproject.contains("workspace"))
            .then_some(sources)
        }
        "pipenv" => {
            let pipfile = bc.read("Pipfile").text()?;
            (!pipfile.contains("path =") && !pipfile.contains("editable")).then_some(sources)
        }
        "conda" => {
            for f in &sources {
                let text = bc.read(f).text()?;
                // `- -e .`, `- .` or a local path under `pip:`.
                let local = text.lines().any(|l| {
                    let t = l.trim().trim_start_matches('-').trim();
                    t == "." || t.starts_with("-e") || t.starts_with("./") || t.starts_with("file:")
                });
                if local {
                    return None;
                }
            }
            Some(sources)
        }
        "composer" => {
            let json = bc.read("composer.json").text()?;
            (!json.contains("\"path\"")).then_some(sources)
        }
        "bundler" => {
            let gemfile = bc.read("Gemfile").text()?;
            (!gemfile.contains("gemspec")
                && !gemfile.contains("path:")
                && !gemfile.contains(":path"))
            .then_some(sources)
        }
        "go" => {
            let gomod = bc.read("go.mod").text()?;
            let local_replace = gomod.lines().any(|l| {
                l.contains("=>")
                    && l.split("=>").nth(1).is_some_and(|t| {
                        let t = t.trim();
                        t.starts_with("./") || t.starts_with("../") || t.starts_with('/')
                    })
            });
            (!local_replace).then_some(sources)
        }
        _ => Some(sources),
    }
}

impl Rule for CopyBeforeDependencyInstall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = layer_commands(sem);
        for (k, install_at, shown) in sources_before_manifests(file, sem, cx.build_context(), &cmds) {
            let Some(copy) = file.instructions.get(k) else {
                continue;
            };
            let line = file.line_col(file.instructions.get(install_at).map_or(0, |i| i.span.start));
            cx.report(
                copy.span,
                format!(
                    "`{}` comes before `{shown}` (line {}), which reads only the manifests: a change in these files re-runs the install; copy them after it",
                    file.text(copy.span),
                    line.line
                ),
            );
        }
        for stage in &sem.stages {
            // The first whole-context COPY of the stage.
            let Some((copy_at, dest)) = stage
                .body
                .clone()
                .find_map(|i| copies_whole_context(file, i).map(|d| (i, d)))
            else {
                continue;
            };
            // The first dependency install after it, in the same stage.
            let Some((install_at, install)) = cmds
                .iter()
                .filter(|c| c.instruction > copy_at && stage.body.contains(&c.instruction))
                .find_map(|c| dependency_install(c).map(|d| (c.instruction, d)))
            else {
                // No install: a build that downloads the dependencies itself (`go build`,
                // `cargo build`, `mvn package`, `gradle build`, `dotnet publish`) with no
                // fetch step before it. Reported without a fix.
                if let Some((build, first)) = fetching_build(file, sem, &cmds, stage, copy_at)
                    && let Some(copy) = file.instructions.get(copy_at)
                {
                    let copy_text = file.text(copy.span).to_string();
                    cx.report(
                        copy.span,
                        format!(
                            "`{copy_text}` copies the whole build context before `{build}`, which downloads the dependencies: any source change downloads them again; copy the manifests and run `{first}` first"
                        ),
                    );
                }
                continue;
            };
            let Some(copy) = file.instructions.get(copy_at) else {
                continue;
            };
            // What the manifests pull in, when the build context can be read.
            let manager = cmds
                .iter()
                .find(|c| c.instruction == install_at && dependency_install(c).is_some())
                .and_then(|c| c.package())
                .map(|p| p.manager.name);
            let sources = match (install.sources, cx.build_context()) {
                (Some(s), Some(bc)) if bc.files.is_some() => {
                    manager.and_then(|m| complete_sources(bc, m, s))
                }
                (s, _) => s,
            };
            let copy_text = file.text(copy.span).to_string();
            let builder = cx.report(
                copy.span,
                format!(
                    "`{copy_text}` copies the whole build context before `{}`: any source change re-runs the install",
                    install.shown
                ),
            );
            let Some(sources) = sources else {
                continue;
            };
            // Only instructions that cannot read the sources may sit between the two.
            let between_ok = (copy_at + 1..install_at).all(|i| {
                file.instructions.get(i).is_some_and(|x| {
                    matches!(
                        x.keyword,
                        Keyword::Env | Keyword::Arg | Keyword::Label | Keyword::Expose
                    )
                })
            });
            // The install RUN must do nothing but package-manager work, so it needs no sources.
            let run_cmds: Vec<&RunCommand<'_>> = cmds
                .iter()
                .filter(|c| c.instruction == install_at)
                .collect();
            let only_installs = run_cmds
                .first()
                .is_some_and(|c| c.script.cmds.len() == run_cmds.len())
                && run_cmds.iter().all(|c| {
                    c.package().is_some_and(|p| {
                        matches!(p.action, Action::Install | Action::Clean | Action::Remove)
                    }) || c.name() == Some("rm")
                });
            // Relative manifests land where the install looks: the working directory.
            let workdir = sem.states.get(copy_at).and_then(|s| s.workdir.clone());
            let dest_is_workdir = matches!(dest.as_str(), "." | "./")
                || workdir.as_deref().map(|w| w.trim_end_matches('/'))
                    == Some(dest.trim_end_matches('/'));
            let Some(run) = file.instructions.get(install_at) else {
                continue;
            };
            if !between_ok || !only_installs || !dest_is_workdir || !copy.heredocs.is_empty() {
                continue;
            }
            // `COPY [flags] manifests dest/` in place of the whole-context COPY, which moves
            // below the install (flags kept as written).
            let flags: Vec<&str> = copy.flags.iter().map(|f| file.text(f.span)).collect();
            let dir = if dest.ends_with('/') {
                dest.clone()
            } else {
                format!("{dest}/")
            };
            let mut line = vec!["COPY"];
            line.extend(flags.iter().copied());
            line.extend(sources.iter().map(String::as_str));
            line.push(&dir);
            builder.unsafe_fix(
                "Copy the dependency manifests first and the rest after the install",
                vec![
                    Edit::replace(copy.span, line.join(" ")),
                    insert_lines_after(file, run.span, &copy_text),
                ],
            );
        }
    }
}
