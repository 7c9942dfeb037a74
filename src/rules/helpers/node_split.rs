//! The multi-stage split of a Node project with a build step (WH311's fix): the stage that
//! installs every dependency and runs `npm run build` keeps doing that as a `build` stage; a
//! `prod-deps` stage installs only the production dependencies from the same manifests; the new
//! final stage gets the runtime packages (node, not npm), `package.json`, the production
//! `node_modules` and the build output.
//!
//! The plan reads the project from the build context: `package.json` (the build and start
//! scripts, `main`, install scripts), `tsconfig.json` (`outDir`) and which bundler config files
//! exist. It is an unsafe fix only when every step is understood; otherwise it is shown.
//!
//! The shape it needs: the stage's manifests are copied on their own right before the install
//! (WH401's fix gives that shape), the install `RUN` does nothing else, and everything after it
//! is source copies, the build script, and instructions that describe the image.

use super::run_commands::{RunCommand, context_source, ends_with_continuation, whole_lines};
use crate::base_images::{self, SuggestionKind};
use crate::build_context::BuildContext;
use crate::fix::{Applicability, Edit, Fix};
use crate::manifests::PackageJson;
use crate::package_managers::{self, Action, Kind};
use crate::semantic::{Semantic, clean_path};
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword, Span};
use serde_json::Value;

/// Instructions that describe the image, not the build: they move to the runtime stage.
fn describes_image(k: &Keyword) -> bool {
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
    )
}

/// System packages a Node build needs and the program does not.
const BUILD_ONLY_NODE: &[&str] = &["npm", "yarnpkg", "node-gyp", "node-typescript"];

/// JSON with the comments and trailing commas tsconfig files allow.
pub fn parse_jsonc(text: &str) -> Option<Value> {
    // Pass 1: comments out (strings kept byte for byte).
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            out.push(c);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1]);
                i += 2;
                continue;
            }
            in_string = c != b'"';
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else {
            in_string = c == b'"';
            out.push(c);
            i += 1;
        }
    }
    // Pass 2: trailing commas out.
    let mut clean: Vec<u8> = Vec::with_capacity(out.len());
    let mut in_string = false;
    let mut k = 0;
    while k < out.len() {
        let c = out[k];
        if in_string {
            clean.push(c);
            if c == b'\\' && k + 1 < out.len() {
                clean.push(out[k + 1]);
                k += 2;
                continue;
            }
            in_string = c != b'"';
            k += 1;
            continue;
        }
        if c == b',' {
            let next = out[k + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if matches!(next, Some(b'}') | Some(b']')) {
                k += 1;
                continue;
            }
        }
        in_string = c == b'"';
        clean.push(c);
        k += 1;
    }
    serde_json::from_slice(&clean).ok()
}

/// What the build script writes, relative to the project directory; `Err` says why it is not
/// known.
fn build_outputs(
    scripts: &serde_json::Map<String, Value>,
    script: &str,
    read: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Result<Vec<String>, String> {
    let text = scripts
        .get(script)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("package.json has no `{script}` script"))?;
    if depth > 3 {
        return Err(format!("the `{script}` script runs scripts too deep"));
    }
    if text.contains(['$', '`', '|', ';', '>', '<', '(']) {
        return Err(format!("the `{script}` script `{text}`"));
    }
    let mut out: Vec<String> = Vec::new();
    for part in text.split("&&") {
        let words: Vec<&str> = part.split_whitespace().collect();
        let Some(&first) = words.first() else {
            continue;
        };
        let tool = first.rsplit('/').next().unwrap_or(first);
        let value = |flags: &[&str]| -> Option<String> {
            for (k, w) in words.iter().enumerate() {
                for f in flags {
                    if *w == *f {
                        return words.get(k + 1).map(|s| s.to_string());
                    }
                    if let Some(v) = w.strip_prefix(&format!("{f}=")) {
                        return Some(v.to_string());
                    }
                }
            }
            None
        };
        let found: Vec<String> = match tool {
            "npm" | "yarn" | "pnpm" if words.get(1).is_some_and(|w| *w == "run") => {
                let s = words
                    .get(2)
                    .ok_or_else(|| format!("the `{script}` script `{text}`"))?;
                build_outputs(scripts, s, read, depth + 1)?
            }
            "rimraf" | "del-cli" => continue,
            "rm" if words
                .get(1)
                .is_some_and(|w| w.starts_with("-r") || *w == "-f") =>
            {
                continue;
            }
            "tsc" => {
                if words
                    .iter()
                    .any(|w| matches!(*w, "--noEmit" | "-b" | "--build"))
                {
                    return Err("`tsc --build` or `--noEmit`".into());
                }
                match value(&["--outDir"]).or_else(|| value(&["--outFile"])) {
                    Some(d) => vec![d],
                    None => {
                        let project = value(&["-p", "--project"])
                            .unwrap_or_else(|| "tsconfig.json".to_string());
                        let project = if project.ends_with(".json") {
                            project
                        } else {
                            format!("{}/tsconfig.json", project.trim_end_matches('/'))
                        };
                        let cfg = read(&project)
                            .and_then(|t| parse_jsonc(&t))
                            .ok_or_else(|| format!("`{project}` could not be read"))?;
                        if cfg.get("extends").is_some() {
                            return Err(format!("`{project}` extends another configuration"));
                        }
                        let opts = cfg.get("compilerOptions");
                        if opts.and_then(|o| o.get("noEmit")).and_then(Value::as_bool) == Some(true)
                        {
                            return Err(format!("`{project}` sets noEmit"));
                        }
                        let dir = project.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                        let o = opts
                            .and_then(|o| o.get("outDir").or_else(|| o.get("outFile")))
                            .and_then(Value::as_str)
                            .ok_or_else(|| {
                                format!(
                                    "`{project}` has no outDir: the output lies next to the sources"
                                )
                            })?;
                        vec![if dir.is_empty() {
                            o.to_string()
                        } else {
                            format!("{dir}/{o}")
                        }]
                    }
                }
            }
            "vite" if words.get(1).is_some_and(|w| *w == "build") => match value(&["--outDir"]) {
                Some(d) => vec![d],
                None if [
                    "vite.config.js",
                    "vite.config.ts",
                    "vite.config.mjs",
                    "vite.config.mts",
                ]
                .iter()
                .any(|f| read(f).is_some()) =>
                {
                    return Err("a vite config may set another output directory".into());
                }
                None => vec!["dist".into()],
            },
            "esbuild" => match value(&["--outdir"]).or_else(|| value(&["--outfile"])) {
                Some(d) => vec![d],
                None => return Err("`esbuild` writing to standard output".into()),
            },
            "babel" => match value(&["-d", "--out-dir"]).or_else(|| value(&["-o", "--out-file"])) {
                Some(d) => vec![d],
                None => return Err("`babel` writing to standard output".into()),
            },
            "parcel" if words.get(1).is_some_and(|w| *w == "build") => {
                vec![value(&["--dist-dir"]).unwrap_or_else(|| "dist".into())]
            }
            "webpack" => {
                if [
                    "webpack.config.js",
                    "webpack.config.ts",
                    "webpack.config.cjs",
                    "webpack.config.mjs",
                ]
                .iter()
                .any(|f| read(f).is_some())
                    || value(&["--config", "-c"]).is_some()
                {
                    return Err("a webpack config may set another output directory".into());
                }
                vec![value(&["-o", "--output-path"]).unwrap_or_else(|| "dist".into())]
            }
            _ => return Err(format!("the `{script}` script runs `{tool}`")),
        };
        for f in found {
            let f = clean_path(&format!("/{}", f.trim_start_matches("./")))
                .trim_start_matches('/')
                .to_string();
            if f.is_empty() || f.starts_with("..") {
                return Err(format!("the build output `{f}`"));
            }
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    if out.is_empty() && depth == 0 {
        return Err(format!("no build output found in the `{script}` script"));
    }
    Ok(out)
}

/// A name no stage has yet.
fn unused_name(sem: &Semantic, taken: &[String], candidates: &[&str]) -> String {
    let free = |n: &str| {
        !sem.stages.iter().any(|s| s.name.as_deref() == Some(n)) && !taken.iter().any(|t| t == n)
    };
    for c in candidates {
        if free(c) {
            return c.to_string();
        }
    }
    let mut k = 1;
    loop {
        let n = format!("{}-{k}", candidates[0]);
        if free(&n) {
            return n;
        }
        k += 1;
    }
}

/// The words of a CMD / ENTRYPOINT.
fn body_words(body: &CommandBody) -> Option<Vec<String>> {
    match body {
        CommandBody::Exec(args) => Some(args.iter().map(|a| a.value.to_string()).collect()),
        CommandBody::Shell(t) => {
            let text = t.text.trim();
            if text.contains(['$', '`', '|', ';', '&', '>', '<', '"', '\'', '\\']) {
                None
            } else {
                Some(text.split_whitespace().map(str::to_string).collect())
            }
        }
    }
}

/// The split, for the dependency install `install` (a command of `cmds`) that a later build
/// step of its stage needs. `None` when the file does not have the shape the split needs.
pub fn plan(
    file: &Dockerfile,
    sem: &Semantic,
    bc: Option<&BuildContext>,
    cmds: &[RunCommand<'_>],
    install: &RunCommand<'_>,
    production_flag: Option<&'static str>,
) -> Option<Fix> {
    if !file.diagnostics.is_empty() {
        return None;
    }
    let stage = sem.stages.last()?;
    if install.stage != stage.index || stage.body.end != file.instructions.len() {
        return None;
    }
    let last = file.instructions.len().checked_sub(1)?;
    if ends_with_continuation(file, last) || ends_with_continuation(file, stage.from) {
        return None;
    }
    let inv = install.package()?;
    let manager = inv.manager;
    let at = install.instruction;
    let workdir = sem.states.get(at).and_then(|s| s.workdir.clone())?;
    if workdir == "/" || workdir.contains('$') {
        return None;
    }
    let mut doubts: Vec<String> = Vec::new();

    // The manifests are copied on their own right before the install.
    let copy_at = at.checked_sub(1)?;
    let copy = file.instructions.get(copy_at)?;
    let InstructionView::Copy(copy_view) = copy.view() else {
        return None;
    };
    if copy_view.from.is_some() || !stage.body.contains(&copy_at) {
        return None;
    }
    let manifest_like = |w: &str| {
        let w = w.trim_end_matches('*');
        manager.manifests.contains(&w)
    };
    if !copy_view
        .sources
        .iter()
        .all(|s| manifest_like(s.value.trim_start_matches("./")))
    {
        return None;
    }
    // The install RUN runs the install and cache cleanups only.
    let run_cmds: Vec<&RunCommand<'_>> = cmds.iter().filter(|c| c.instruction == at).collect();
    let only_install = run_cmds.iter().all(|c| {
        c.position() == install.position()
            || c.package()
                .is_some_and(|p| p.manager.name == manager.name && p.action == Action::Clean)
            || c.name() == Some("rm")
    }) && run_cmds
        .first()
        .is_some_and(|c| c.script.cmds.len() == run_cmds.len());
    if !only_install {
        doubts.push("the install's RUN runs other commands".into());
    }
    let Some(flag) = production_flag else {
        doubts.push(format!(
            "the {} version (and so its production switch) is not known",
            manager.name
        ));
        return display(file, doubts);
    };

    // package.json and what the build writes.
    let manifest_path = format!("{}/package.json", workdir.trim_end_matches('/'));
    let read_project = |rel: &str| -> Option<String> {
        let image_path = clean_path(&format!("{workdir}/{rel}"));
        let source = context_source(file, sem, stage.index, file.instructions.len(), &image_path)?;
        bc?.read(&source).text()
    };
    let Some(pkg_text) = bc
        .filter(|b| b.files.is_some())
        .and_then(|_| context_source(file, sem, stage.index, at, &manifest_path))
        .and_then(|s| bc?.read(&s).text())
    else {
        doubts.push("package.json could not be read from the build context".into());
        return display(file, doubts);
    };
    let Some(pkg) = PackageJson::parse(&pkg_text) else {
        doubts.push("package.json could not be read".into());
        return display(file, doubts);
    };
    let pkg_value: Value = serde_json::from_str(&pkg_text).ok()?;
    let scripts = pkg_value
        .get("scripts")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if !pkg.install_scripts().is_empty() {
        doubts.push(format!(
            "package.json runs `{}` on install, which may need the devDependencies",
            pkg.install_scripts().join("`, `")
        ));
    }
    if pkg.workspaces || !pkg.local_dependencies().is_empty() {
        doubts.push("package.json has workspaces or local dependencies".into());
    }

    // Everything after the install: source copies and the build, then the image's description.
    let mut outputs: Vec<String> = Vec::new();
    let mut moved: Vec<usize> = Vec::new();
    let mut env: Vec<usize> = Vec::new();
    let mut program: Option<(usize, Vec<String>, bool)> = None; // (instruction, words, exec form)
    let mut user: Option<String> = None;
    let mut builds = 0;
    // `RUN chown` of the project's directory (as giving the image to a non-root user leaves
    // it): repeated in the runtime stage, where the same paths exist. One that changes only the
    // directory itself (not what is in it) and runs before any `USER` goes right after the
    // runtime stage's `WORKDIR`: the same result, and a source change does not re-run it.
    let mut ownership: Vec<(String, Vec<String>, bool)> = Vec::new();
    let mut early: Vec<usize> = Vec::new();
    let project_dir = clean_path(&workdir);
    for i in at + 1..stage.body.end {
        let ins = file.instructions.get(i)?;
        if ins.keyword == Keyword::Run
            && let Some(chowns) = chown_only(cmds, i, &workdir)
        {
            if user.is_none()
                && chowns.iter().all(|(_, paths, recursive)| {
                    !recursive && paths.iter().all(|p| *p == project_dir)
                })
            {
                early.push(i);
            }
            ownership.extend(chowns);
            moved.push(i);
            continue;
        }
        match &ins.keyword {
            k if describes_image(k) => {
                if *k == Keyword::User {
                    user = Some(file.text(ins.rest_span).trim().to_string());
                }
                if let InstructionView::Cmd(v) | InstructionView::Entrypoint(v) = ins.view() {
                    match body_words(&v.body) {
                        Some(w) => {
                            if program.is_some() {
                                doubts.push("both CMD and ENTRYPOINT".into());
                            }
                            program = Some((i, w, matches!(v.body, CommandBody::Exec(_))));
                        }
                        None => doubts.push("a shell-form command the plan does not read".into()),
                    }
                }
                moved.push(i);
            }
            Keyword::Env => env.push(i),
            Keyword::Copy | Keyword::Add => {
                let from_context = matches!(ins.view(), InstructionView::Copy(v) | InstructionView::Add(v) if v.from.is_none());
                if !from_context {
                    doubts.push("a COPY from another stage after the install".into());
                }
            }
            Keyword::Run => {
                for c in cmds.iter().filter(|c| c.instruction == i) {
                    let words = c.words;
                    let name = c.name().unwrap_or("");
                    let script = match name {
                        "npm" | "pnpm" | "yarn"
                            if words
                                .get(1)
                                .is_some_and(|w| w == "run" || w == "run-script") =>
                        {
                            words.get(2).cloned()
                        }
                        "yarn" | "pnpm" if words.get(1).is_some_and(|w| w == "build") => {
                            Some("build".to_string())
                        }
                        _ => None,
                    };
                    match script {
                        Some(s) if words.len() == 3 || (words.len() == 2 && s == "build") => {
                            builds += 1;
                            let read = |p: &str| read_project(p);
                            match build_outputs(&scripts, &s, &read, 0) {
                                Ok(o) => {
                                    for x in o {
                                        if !outputs.contains(&x) {
                                            outputs.push(x);
                                        }
                                    }
                                }
                                Err(e) => doubts.push(e),
                            }
                        }
                        _ => doubts.push(format!(
                            "`{}` after the install, which the plan does not follow",
                            words.join(" ")
                        )),
                    }
                }
                if sem.run_script(i).is_some_and(|r| r.script.is_err()) {
                    doubts.push("a RUN the shell parser could not read".into());
                }
            }
            _ => doubts.push(format!(
                "a `{}` after the install",
                file.text(ins.keyword_span).to_ascii_uppercase()
            )),
        }
    }
    if builds == 0 {
        return None;
    }

    // Before the manifests: package installs, users and what only prints; nothing that sets
    // up the program some other way.
    let mut packages: Vec<String> = Vec::new();
    let mut user_runs: Vec<usize> = Vec::new();
    let table = package_managers::table();
    for i in stage.body.start..copy_at {
        let ins = file.instructions.get(i)?;
        match ins.keyword {
            Keyword::Arg => doubts.push("an ARG, which the new stages would not see".into()),
            Keyword::Run => {
                let mut only_users = true;
                for c in cmds.iter().filter(|c| c.instruction == i) {
                    let name = c.name().unwrap_or("");
                    if let Some(p) = c.package().filter(|p| p.manager.kind == Kind::System) {
                        only_users = false;
                        if p.action == Action::Install {
                            for w in p.operand_words(c.words) {
                                let n = w.split(['=', '/']).next().unwrap_or(w);
                                if w.contains('$') || w.ends_with(".deb") {
                                    doubts.push(format!("the package operand `{w}`"));
                                } else if !BUILD_ONLY_NODE.contains(&n)
                                    && !table.is_build_toolchain(n)
                                    && !table.is_build_only(n)
                                    && !packages.iter().any(|p| p == w)
                                {
                                    packages.push(w.to_string());
                                }
                            }
                        }
                        continue;
                    }
                    match name {
                        "useradd" | "adduser" | "groupadd" | "addgroup" => {}
                        "echo" | "true" | "mkdir" | "rm" => only_users = false,
                        other => {
                            only_users = false;
                            doubts.push(format!(
                                "`{other}` may set up something the program needs at run time"
                            ));
                        }
                    }
                }
                if only_users {
                    user_runs.push(i);
                }
            }
            Keyword::User => doubts.push("a `USER` before the build".into()),
            Keyword::Env | Keyword::Workdir | Keyword::Label | Keyword::Expose => {}
            Keyword::Copy | Keyword::Add => doubts.push("files copied before the manifests".into()),
            _ => doubts.push(format!(
                "a `{}` before the install",
                file.text(ins.keyword_span).to_ascii_uppercase()
            )),
        }
    }
    // What the runtime stage has of the project: package.json, node_modules, the outputs.
    let w = workdir.trim_end_matches('/');
    for (owner, paths, _) in &ownership {
        for p in paths {
            let in_runtime = p == w
                || ["package.json", "node_modules"]
                    .iter()
                    .map(|x| x.to_string())
                    .chain(outputs.iter().cloned())
                    .any(|o| {
                        let o = clean_path(&format!("{w}/{o}"));
                        *p == o || p.strip_prefix(&o).is_some_and(|r| r.starts_with('/'))
                    });
            if !in_runtime {
                doubts.push(format!(
                    "`chown` of `{p}`, which the runtime stage does not have"
                ));
            }
        }
        let name = owner.split(':').next().unwrap_or("");
        let numeric = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
        if !(numeric(name) || name == "root" || (user.is_some() && !user_runs.is_empty())) {
            doubts.push(format!(
                "`chown` to `{owner}`, a user the runtime stage would not have"
            ));
        }
    }
    if let Some(u) = &user {
        let name = u.split(':').next().unwrap_or("");
        if !name.chars().all(|c| c.is_ascii_digit()) && user_runs.is_empty() && name != "root" {
            doubts.push(format!(
                "the user `{name}` is created in a way the plan does not follow"
            ));
        }
    }

    // The program: `npm start` runs the start script; `node <entry>` the entry.
    let mut new_program: Option<String> = None;
    let mut needs_npm = false;
    match &program {
        Some((_, words, _)) => {
            let tool = words
                .first()
                .map(|w| w.rsplit('/').next().unwrap_or(w))
                .unwrap_or("");
            let is_start = matches!(tool, "npm" | "yarn" | "pnpm")
                && (words.get(1..) == Some(&["start".to_string()][..])
                    || words.get(1..) == Some(&["run".to_string(), "start".to_string()][..]));
            let entry_words: Vec<String> = if is_start {
                let start = scripts.get("start").and_then(Value::as_str).unwrap_or("");
                let sw: Vec<&str> = start.split_whitespace().collect();
                if sw.len() == 2
                    && sw[0] == "node"
                    && !sw[1].starts_with('-')
                    && !start.contains(['$', '`', '|', ';', '&', '>', '<', '"', '\''])
                {
                    new_program = Some(format!("[\"node\", \"{}\"]", sw[1]));
                    vec!["node".into(), sw[1].to_string()]
                } else {
                    needs_npm = true;
                    if tool != "npm" {
                        doubts.push(format!("`{tool} start` needs {tool} in the image"));
                    }
                    sw.iter().map(|s| s.to_string()).collect()
                }
            } else {
                words.clone()
            };
            // Every file the program names must be in the build output (or package.json).
            let main = pkg_value
                .get("main")
                .and_then(Value::as_str)
                .unwrap_or("index.js");
            for (k, w) in entry_words.iter().enumerate().skip(1) {
                if w.starts_with('-') {
                    continue;
                }
                let w = if w == "." { main } else { w.as_str() };
                let looks_like_file = w.contains('/')
                    || w.ends_with(".js")
                    || w.ends_with(".mjs")
                    || w.ends_with(".cjs");
                if !looks_like_file && k > 1 {
                    continue;
                }
                let p = if w.starts_with('/') {
                    clean_path(w)
                } else {
                    clean_path(&format!("{workdir}/{w}"))
                };
                let inside = outputs.iter().any(|o| {
                    let o = clean_path(&format!("{workdir}/{o}"));
                    p == o || p.strip_prefix(&o).is_some_and(|r| r.starts_with('/'))
                });
                if !inside && !p.ends_with("/package.json") {
                    doubts.push(format!(
                        "the program runs `{w}`, which is not in the build output"
                    ));
                }
            }
        }
        None => doubts.push("no CMD or ENTRYPOINT: what runs is not known".into()),
    }
    if needs_npm {
        packages.push("npm".into());
    }

    // The runtime base: the stage's base, slimmer when it has a slim variant.
    let base = &stage.base;
    if !base.is_external() || !base.unresolved.is_empty() {
        return None;
    }
    let from_view = stage.from_view(file)?;
    let as_written = from_view.image.value.to_string();
    let repository = base.repository.as_deref()?;
    let full = match &base.registry {
        Some(r) => format!("{r}/{repository}"),
        None => repository.to_string(),
    };
    let tag = base.tag.clone().unwrap_or_default();
    let family = base_images::family(&full, &tag)?;
    let runtime_image = match base_images::slim_variant(&full, &tag) {
        Some(s)
            if s.kind == SuggestionKind::Slim
                && base.digest.is_none()
                && !as_written.contains('$') =>
        {
            s.image()
        }
        _ => as_written.clone(),
    };
    let os_image = matches!(full.rsplit('/').next().unwrap_or(""), "debian" | "ubuntu");
    if os_image
        && !packages
            .iter()
            .any(|p| p == "nodejs" || p.starts_with("nodejs="))
    {
        doubts.push("node is not installed from the distribution's packages".into());
    }

    // --- the edits -------------------------------------------------------------------------
    let src = file.source();
    let mut edits = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let base_name = match &from_view.alias {
        Some(a) => a.value.to_string(),
        None => {
            let n = unused_name(sem, &taken, &["base", "node-base"]);
            edits.push(Edit::insert(from_view.image.span.end, format!(" AS {n}")));
            n
        }
    };
    taken.push(base_name.clone());
    let deps = unused_name(sem, &taken, &["prod-deps", "production-deps"]);
    taken.push(deps.clone());
    let build = unused_name(sem, &taken, &["build", "builder"]);
    // The production install: the install RUN as written, with the production switch.
    let run = file.instructions.get(at)?;
    let run_span = run.span;
    let flag_edit = super::run_commands::insert_after_subcommand(install, inv, flag)?;
    let mut prod_run = file.text(run_span).to_string();
    let rel = flag_edit.span.start.checked_sub(run_span.start)?;
    if rel > prod_run.len() {
        return None;
    }
    prod_run.insert_str(rel, &flag_edit.text);
    let copy_end = whole_lines(file, copy.span).end;
    let lead = if src.get(..copy_end).unwrap_or("").ends_with('\n') {
        ""
    } else {
        "\n"
    };
    edits.push(Edit::insert(
        copy_end,
        format!("{lead}\nFROM {base_name} AS {deps}\n{prod_run}\n\nFROM {base_name} AS {build}\n"),
    ));
    // Moved instructions take their comment lines along.
    let with_comments = |i: usize| {
        file.instructions.get(i).map(|ins| {
            let lines = whole_lines(file, ins.span);
            let start = ins
                .comments
                .first()
                .map(|c| whole_lines(file, *c).start)
                .unwrap_or(lines.start);
            Span::new(start.min(lines.start), lines.end)
        })
    };
    let mut deleted = Vec::new();
    for &i in &moved {
        if let Some(span) = with_comments(i) {
            deleted.push(span);
            edits.push(Edit::delete(span));
        }
    }
    let mut rt = format!("FROM {runtime_image}\n");
    if !packages.is_empty() {
        let list = packages.join(" ");
        match family.package_manager.as_deref() {
            Some("apt-get") => rt.push_str(&format!(
                "RUN apt-get update \\\n && apt-get install -y --no-install-recommends {list} \\\n && rm -rf /var/lib/apt/lists/*\n"
            )),
            Some("apk") => rt.push_str(&format!("RUN apk add --no-cache {list}\n")),
            _ => doubts.push("packages on a base the plan cannot install on".into()),
        }
    }
    if user.is_some() {
        for &i in &user_runs {
            if let Some(ins) = file.instructions.get(i) {
                rt.push_str(file.text(ins.span));
                rt.push('\n');
            }
        }
    }
    for i in stage.body.start..stage.body.end {
        let Some(ins) = file.instructions.get(i) else {
            continue;
        };
        if ins.keyword == Keyword::Env {
            rt.push_str(file.text(ins.span));
            rt.push('\n');
        }
    }
    rt.push_str(&format!("WORKDIR {w}\n"));
    for &i in &early {
        if let Some(ins) = file.instructions.get(i) {
            rt.push_str(file.text(ins.span).trim_end_matches(['\r', '\n']));
            rt.push('\n');
        }
    }
    rt.push_str(&format!("COPY --from={build} {w}/package.json ./\n"));
    rt.push_str(&format!(
        "COPY --from={deps} {w}/node_modules ./node_modules\n"
    ));
    for o in &outputs {
        rt.push_str(&format!("COPY --from={build} {w}/{o} ./{o}\n"));
    }
    for &i in moved.iter().filter(|i| !early.contains(i)) {
        let (Some(ins), Some(span)) = (file.instructions.get(i), with_comments(i)) else {
            continue;
        };
        match (&new_program, &program) {
            (Some(p), Some((pi, _, _))) if *pi == i => {
                let head = file.text(Span::new(span.start, ins.keyword_span.end));
                rt.push_str(&format!("{head} {p}\n"));
            }
            _ => {
                rt.push_str(file.text(span).trim_end_matches(['\r', '\n']));
                rt.push('\n');
            }
        }
    }
    let mut kept = String::new();
    let mut pos = 0;
    for d in &deleted {
        kept.push_str(src.get(pos..d.start).unwrap_or(""));
        pos = d.end.max(pos);
    }
    kept.push_str(src.get(pos..).unwrap_or(""));
    let lead = if kept.ends_with("\n\n") {
        ""
    } else if kept.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let rt = if src.ends_with('\n') {
        rt
    } else {
        rt.trim_end_matches('\n').to_string()
    };
    edits.push(Edit::insert(src.len(), format!("{lead}{rt}")));

    let title = format!(
        "Split into a `{build}` stage (every dependency and the build), a `{deps}` stage (`{}` with `{flag}`) and a `{runtime_image}` runtime stage with `node_modules`, {}{}",
        crate::rules::helpers::run_commands::command_text(install, inv),
        outputs
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", "),
        match &new_program {
            Some(p) => format!("; runs {p}"),
            None => String::new(),
        }
    );
    if doubts.is_empty() {
        Some(Fix::new(title, Applicability::Unsafe, edits))
    } else {
        Some(Fix::new(
            format!("{title} (check it: {})", doubts.join("; ")),
            Applicability::DisplayOnly,
            edits,
        ))
    }
}

/// The `chown`s of a `RUN` that runs nothing else (owner, the paths it changes made absolute
/// against `workdir`, whether it recurses); `None` for any other `RUN`.
fn chown_only(
    cmds: &[RunCommand<'_>],
    at: usize,
    workdir: &str,
) -> Option<Vec<(String, Vec<String>, bool)>> {
    let run: Vec<&RunCommand<'_>> = cmds.iter().filter(|c| c.instruction == at).collect();
    if run.first()?.script.cmds.len() != run.len() {
        return None;
    }
    let mut out = Vec::new();
    for c in run {
        if c.name() != Some("chown") || c.argv.len() != c.words.len() {
            return None;
        }
        let mut operands = Vec::new();
        let mut recursive = false;
        for w in c.words.iter().skip(1) {
            match w.as_str() {
                "-R" | "--recursive" => recursive = true,
                "-h" | "--no-dereference" => {}
                w if w.starts_with('-') => return None,
                w if w.contains(['$', '*', '?', '[', '`', '~']) => return None,
                w => operands.push(w.to_string()),
            }
        }
        let (owner, paths) = operands.split_first()?;
        if paths.is_empty() {
            return None;
        }
        let paths = paths
            .iter()
            .map(|p| {
                if p.starts_with('/') {
                    clean_path(p)
                } else {
                    clean_path(&format!("{workdir}/{p}"))
                }
            })
            .collect();
        out.push((owner.clone(), paths, recursive));
    }
    Some(out)
}

/// A suggestion without edits, saying why the split is not offered.
fn display(_file: &Dockerfile, doubts: Vec<String>) -> Option<Fix> {
    Some(Fix::new(
        format!(
            "Split into a build stage and a runtime stage with the production dependencies and the build output (not offered: {})",
            doubts.join("; ")
        ),
        Applicability::DisplayOnly,
        Vec::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        let v = parse_jsonc(
            "{\n  // the output\n  \"compilerOptions\": { \"outDir\": \"build\", /* x */ },\n  \"include\": [\"src\",],\n  \"s\": \"a // b\"\n}",
        )
        .expect("parses");
        assert_eq!(v["compilerOptions"]["outDir"], "build");
        assert_eq!(v["s"], "a // b");
    }

    fn split(dockerfile: &str, package_json: &str) -> Option<Fix> {
        let file = crate::syntax::parse(dockerfile);
        let sem = Semantic::new(&file);
        let mut bc = BuildContext::from_listing(
            &["package.json", "yarn.lock", "pnpm-lock.yaml", "src/a.ts"],
            None,
        )
        .expect("listing");
        let mut files = std::collections::HashMap::new();
        files.insert("package.json".to_string(), package_json.as_bytes().to_vec());
        bc.files = Some(std::sync::Arc::new(crate::build_context::ListedContents {
            files,
        }));
        let cmds = super::super::run_commands::run_commands(&sem);
        let install = cmds.iter().find(|c| {
            c.package().is_some_and(|p| {
                matches!(p.manager.name, "yarn" | "pnpm" | "npm") && p.action == Action::Install
            })
        })?;
        let flag = match install.package()?.manager.name {
            "pnpm" => "--prod",
            "yarn" => "--production",
            _ => "--omit=dev",
        };
        plan(&file, &sem, Some(&bc), &cmds, install, Some(flag))
    }

    #[test]
    fn yarn_and_pnpm_install_production_dependencies_with_their_switch() {
        let pkg = r#"{"scripts": {"build": "vite build", "start": "node dist/server.js"}}"#;
        let fix = split(
            "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\nCMD [\"yarn\", \"start\"]\n",
            pkg,
        )
        .expect("a plan");
        // `yarn start` runs exactly `node dist/server.js`: that becomes the command.
        assert_eq!(fix.applicability, Applicability::Unsafe, "{}", fix.title);
        let text: String = fix.edits.iter().map(|e| e.text.as_str()).collect();
        assert!(
            text.contains("RUN yarn install --production --frozen-lockfile"),
            "{text}"
        );
        assert!(
            text.contains("CMD [\"node\", \"dist/server.js\"]"),
            "{text}"
        );
        let fix = split(
            "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nRUN pnpm run build\nCMD [\"node\", \"dist/server.js\"]\n",
            pkg,
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::Unsafe, "{}", fix.title);
        let text: String = fix.edits.iter().map(|e| e.text.as_str()).collect();
        assert!(
            text.contains("RUN pnpm install --prod --frozen-lockfile"),
            "{text}"
        );
        assert!(text.contains("FROM node:20-slim"), "{text}");
        assert!(
            text.contains("COPY --from=build /app/dist ./dist"),
            "{text}"
        );
    }

    #[test]
    fn a_program_outside_the_build_output_is_only_shown() {
        let pkg = r#"{"scripts": {"build": "tsc --outDir lib", "start": "node server.js"}}"#;
        let fix = split(
            "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"npm\", \"start\"]\n",
            pkg,
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::DisplayOnly);
        assert!(
            fix.title
                .contains("`server.js`, which is not in the build output"),
            "{}",
            fix.title
        );
    }

    #[test]
    fn the_project_directory_given_to_a_user_is_given_in_the_runtime_stage_too() {
        let pkg = r#"{"scripts": {"build": "vite build", "start": "node dist/server.js"}}"#;
        let users = "RUN groupadd --system app && useradd --system --gid app app\n";
        let fix = split(
            &format!("FROM node:20\n{users}WORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nRUN pnpm run build\nRUN chown app:app /app\nUSER app\nCMD [\"node\", \"dist/server.js\"]\n"),
            pkg,
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::Unsafe, "{}", fix.title);
        let text: String = fix.edits.iter().map(|e| e.text.as_str()).collect();
        let runtime = &text[text.rfind("FROM node:20-slim").expect("a runtime stage")..];
        assert!(runtime.contains(users), "{runtime}");
        // The directory alone: right after WORKDIR, where a source change does not re-run it.
        assert!(
            runtime.contains(
                "WORKDIR /app\nRUN chown app:app /app\nCOPY --from=build /app/package.json ./\n"
            ),
            "{runtime}"
        );
        assert!(
            runtime.contains("COPY --from=build /app/dist ./dist\nUSER app\n"),
            "{runtime}"
        );
        // What is in it too: after the copies, as in the original.
        let fix = split(
            &format!("FROM node:20\n{users}WORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nRUN pnpm run build\nRUN chown -R app:app /app/dist\nUSER app\nCMD [\"node\", \"dist/server.js\"]\n"),
            pkg,
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::Unsafe, "{}", fix.title);
        let text: String = fix.edits.iter().map(|e| e.text.as_str()).collect();
        assert!(
            text.contains(
                "COPY --from=build /app/dist ./dist\nRUN chown -R app:app /app/dist\nUSER app\n"
            ),
            "{text}"
        );
        // A path the runtime stage does not have, or a user it does not create: shown only.
        for (chown, doubt) in [
            (
                "RUN chown -R app:app /app/src",
                "`/app/src`, which the runtime stage does not have",
            ),
            (
                "RUN chown -R app:app /srv",
                "`/srv`, which the runtime stage does not have",
            ),
        ] {
            let fix = split(
                &format!("FROM node:20\n{users}WORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nRUN pnpm run build\n{chown}\nUSER app\nCMD [\"node\", \"dist/server.js\"]\n"),
                pkg,
            )
            .expect("a plan");
            assert_eq!(fix.applicability, Applicability::DisplayOnly, "{chown}");
            assert!(fix.title.contains(doubt), "{}", fix.title);
        }
        let fix = split(
            "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nRUN pnpm run build\nRUN chown node /app\nCMD [\"node\", \"dist/server.js\"]\n",
            pkg,
        )
        .expect("a plan");
        assert_eq!(fix.applicability, Applicability::DisplayOnly);
        assert!(fix.title.contains("`chown` to `node`"), "{}", fix.title);
    }

    #[test]
    fn build_outputs_follow_the_scripts() {
        let scripts: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"build": "npm run clean && npm run compile", "clean": "rimraf build", "compile": "tsc -p tsconfig.build.json",
                "bundle": "esbuild src/x.ts --bundle --outfile=out/x.js", "web": "vite build", "odd": "gulp"}"#,
        )
        .unwrap();
        let read = |p: &str| {
            (p == "tsconfig.build.json")
                .then(|| "{\"compilerOptions\": {\"outDir\": \"./build\"}}".to_string())
        };
        assert_eq!(
            build_outputs(&scripts, "build", &read, 0),
            Ok(vec!["build".to_string()])
        );
        assert_eq!(
            build_outputs(&scripts, "bundle", &read, 0),
            Ok(vec!["out/x.js".to_string()])
        );
        assert_eq!(
            build_outputs(&scripts, "web", &read, 0),
            Ok(vec!["dist".to_string()])
        );
        assert!(build_outputs(&scripts, "odd", &read, 0).is_err());
        assert!(build_outputs(&scripts, "missing", &read, 0).is_err());
    }
}
