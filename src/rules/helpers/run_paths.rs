//! What the commands of one RUN read and write on the file system, for fixes that move a RUN
//! across a COPY (WH404) or into another stage (the fetch split of WH312): every path a command
//! names, made absolute, and whether every command is one whose file access is known.
//!
//! Known commands: system package installs, updates, cleans and removals with package names;
//! user and group creation; downloads (`curl`, `wget`, `git clone`), archive extraction (`tar`,
//! `unzip`, `dpkg -i`), the usual file commands and a few that print. Anything else (a build, a
//! script, an install of the project's own dependencies) may read any file: not understood.

use super::run_commands::RunCommand;
use crate::package_managers::{Action, Kind};
use crate::semantic::clean_path;

/// What a RUN names.
#[derive(Debug, Default)]
pub struct Reads {
    /// Every path a command reads or writes, absolute.
    pub paths: Vec<String>,
    /// The RUN installs packages, downloads something or creates users: worth keeping above
    /// the files that change often.
    pub worth_moving: bool,
    /// Every command's file access is known.
    pub understood: bool,
    /// The RUN's main command, for messages.
    pub shown: String,
    /// Paths the RUN leaves behind outside temporary locations (`mv`/`cp`/`install`
    /// destinations, `curl -o`, `tar -C`, `git clone` targets), in order.
    pub outputs: Vec<String>,
    /// The commands that download (`curl`, `wget`, `git`).
    pub downloaders: Vec<String>,
    /// Paths `rm` removes, in order.
    pub removed: Vec<String>,
    /// Paths `ln` creates (links).
    pub links: Vec<String>,
}

/// Commands that only print or test.
const PRINTS: &[&str] = &[
    "echo", "printf", "true", ":", "test", "[", "set", "export", "command", "which", "type",
];
/// Commands that only create users and groups.
const USERS: &[&str] = &["useradd", "adduser", "groupadd", "addgroup", "usermod"];
/// File commands: every operand is a path (for `chmod`/`chown` after the mode or owner).
const FILES: &[&str] = &[
    "mv",
    "cp",
    "ln",
    "rm",
    "rmdir",
    "mkdir",
    "touch",
    "install",
    "chmod",
    "chown",
    "chgrp",
    "sha256sum",
    "sha512sum",
    "md5sum",
    "gunzip",
    "gzip",
    "xz",
    "unxz",
    "bunzip2",
    "strip",
];

fn absolute(cwd: &str, p: &str) -> String {
    if p.starts_with('/') {
        clean_path(p)
    } else {
        clean_path(&format!("{cwd}/{p}"))
    }
}

/// The last path segment of a URL, without a query.
fn url_name(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    (!name.is_empty()).then_some(name)
}

/// The value of a flag among `words`: `-o X`, `-oX` (short), `--output X`, `--output=X`.
fn flag_value<'w>(words: &'w [String], short: &[&str], long: &[&str]) -> Option<&'w str> {
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        if short.contains(&w.as_str()) || long.contains(&w.as_str()) {
            return it.next().map(String::as_str);
        }
        for l in long {
            if let Some(v) = w.strip_prefix(&format!("{l}=")) {
                return Some(v);
            }
        }
        for s in short {
            if w.len() > s.len() && !w.starts_with("--") && w.starts_with(s) {
                return Some(&w[s.len()..]);
            }
        }
    }
    None
}

/// Read the commands of one RUN (all of them: `cmds` is every command of the RUN in order).
pub fn analyse(cmds: &[&RunCommand<'_>], workdir: Option<&str>) -> Reads {
    let mut r = Reads {
        understood: true,
        ..Reads::default()
    };
    let mut cwd = workdir.unwrap_or("/").to_string();
    for c in cmds {
        // Loops, branches, subshells and substitutions: not followed.
        if !c.cmd.frames.is_empty() {
            r.understood = false;
        }
        let words = c.words;
        if words.iter().any(|w| w.contains('$') || w.contains('`')) {
            r.understood = false;
        }
        for rd in &c.cmd.redirects {
            let t = rd.target.raw(&c.run.text);
            if rd.heredoc.is_none() && !t.starts_with('&') && t != "/dev/null" {
                r.paths.push(absolute(&cwd, t));
            }
        }
        let Some(name) = c.name() else {
            r.understood = false;
            continue;
        };
        if r.shown.is_empty() || (c.package().is_some() && !r.worth_moving) {
            r.shown = words.iter().take(4).cloned().collect::<Vec<_>>().join(" ");
            if words.len() > 4 {
                r.shown.push_str(" ...");
            }
        }
        let operands: Vec<&String> = words
            .iter()
            .skip(1)
            .filter(|w| !w.starts_with('-'))
            .collect();
        if let Some(inv) = c.package() {
            if inv.manager.kind == Kind::System {
                match inv.action {
                    Action::Install | Action::Remove => {
                        for w in inv.operand_words(words) {
                            if w.contains('/') || w.ends_with(".deb") || w.ends_with(".rpm") {
                                r.paths.push(absolute(&cwd, w));
                            }
                        }
                        r.worth_moving |= inv.action == Action::Install;
                    }
                    _ => {}
                }
                continue;
            }
            // Language packages by name, installed globally: nothing of the project is read.
            let global = words.iter().any(|w| w == "-g" || w == "--global");
            let by_name = !inv.operands.is_empty()
                && inv
                    .operand_words(words)
                    .iter()
                    .all(|w| !w.starts_with('.') && !w.starts_with('/') && !w.contains("file:"))
                && inv
                    .manager
                    .manifest_flags
                    .iter()
                    .all(|f| !words.iter().any(|w| w == f))
                && !words.iter().any(|w| w == "-e" || w == "--editable");
            let ok = inv.action == Action::Install
                && by_name
                && match inv.manager.name {
                    "npm" | "pnpm" | "yarn" => global,
                    "pip" | "gem" => true,
                    _ => false,
                };
            if ok {
                r.worth_moving = true;
            } else {
                r.understood = false;
            }
            continue;
        }
        match name {
            "cd" => match operands.first() {
                Some(d) => cwd = absolute(&cwd, d),
                None => cwd = "/root".into(),
            },
            n if PRINTS.contains(&n) => {}
            n if USERS.contains(&n) => {
                r.worth_moving = true;
                // A home directory or a skeleton: paths.
                r.paths.extend(
                    words
                        .iter()
                        .filter(|w| w.starts_with('/'))
                        .map(|w| clean_path(w)),
                );
            }
            "curl" | "wget" => {
                r.worth_moving = true;
                r.downloaders.push(name.to_string());
                let url = operands.iter().find(|w| w.contains("://"));
                let out = if name == "curl" {
                    flag_value(words, &["-o"], &["--output"])
                        .map(str::to_string)
                        .or_else(|| {
                            words
                                .iter()
                                .any(|w| w == "-O" || w == "--remote-name")
                                .then(|| url.and_then(|u| url_name(u)).map(str::to_string))
                                .flatten()
                        })
                } else {
                    match flag_value(words, &["-O"], &["--output-document"]) {
                        Some("-") => None,
                        Some(o) => Some(o.to_string()),
                        None => url.and_then(|u| url_name(u)).map(|n| {
                            match flag_value(words, &["-P"], &["--directory-prefix"]) {
                                Some(d) => format!("{d}/{n}"),
                                None => n.to_string(),
                            }
                        }),
                    }
                };
                let dir = if name == "curl" {
                    flag_value(words, &[], &["--output-dir"])
                } else {
                    None
                };
                if let Some(o) = out.filter(|o| o != "-") {
                    let p = match dir {
                        Some(d) => absolute(&absolute(&cwd, d), &o),
                        None => absolute(&cwd, &o),
                    };
                    r.paths.push(p.clone());
                    r.outputs.push(p);
                }
                // Options that read local files (a config, a netrc, an upload).
                if words.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "-K" | "--config"
                            | "-T"
                            | "--upload-file"
                            | "--netrc-file"
                            | "-d"
                            | "--data"
                            | "-F"
                            | "--form"
                            | "-i"
                            | "--input-file"
                    ) || w.starts_with("--data")
                        || w.starts_with("--input-file")
                }) {
                    r.understood = false;
                }
            }
            "git" => {
                r.downloaders.push("git".into());
                if words.get(1).map(String::as_str) != Some("clone") {
                    r.understood = false;
                    continue;
                }
                r.worth_moving = true;
                let url = operands
                    .iter()
                    .find(|w| w.contains("://") || w.starts_with("git@"))
                    .map(|s| s.as_str())
                    .unwrap_or("");
                if !url.contains("://") && !url.starts_with("git@") {
                    r.understood = false;
                    continue;
                }
                // Options with a value would be taken for the directory: only `--depth N`,
                // `-b NAME`, `--branch NAME` are followed.
                let mut it = words.iter().skip(2);
                let mut positional = Vec::new();
                while let Some(w) = it.next() {
                    if matches!(
                        w.as_str(),
                        "--depth" | "-b" | "--branch" | "--origin" | "-o"
                    ) {
                        it.next();
                    } else if w.starts_with('-') {
                        if !(w.starts_with("--depth=")
                            || w.starts_with("--branch=")
                            || matches!(
                                w.as_str(),
                                "-q" | "--quiet"
                                    | "--single-branch"
                                    | "--recursive"
                                    | "--recurse-submodules"
                                    | "--no-tags"
                            ))
                        {
                            r.understood = false;
                        }
                    } else {
                        positional.push(w.clone());
                    }
                }
                let dir = match positional.get(1) {
                    Some(d) => d.clone(),
                    None => url_name(url)
                        .map(|n| n.trim_end_matches(".git").to_string())
                        .unwrap_or_default(),
                };
                if dir.is_empty() {
                    r.understood = false;
                } else {
                    let p = absolute(&cwd, &dir);
                    r.paths.push(p.clone());
                    r.outputs.push(p);
                }
            }
            "tar" => {
                let file = flag_value(words, &["-f"], &["--file"]).or_else(|| {
                    // `tar -xzf x.tgz` / `tar xzf x.tgz`: the file follows the bundle.
                    let bundle = words.get(1)?;
                    let letters = bundle.trim_start_matches('-');
                    (!bundle.starts_with("--") && letters.ends_with('f'))
                        .then(|| words.get(2).map(String::as_str))
                        .flatten()
                });
                let bundle = words.get(1).map(String::as_str).unwrap_or("");
                let extract = bundle.trim_start_matches('-').contains('x')
                    && !bundle.starts_with("--")
                    || words.iter().any(|w| w == "--extract" || w == "--get");
                if !extract {
                    r.understood = false;
                    continue;
                }
                if let Some(f) = file.filter(|f| *f != "-") {
                    r.paths.push(absolute(&cwd, f));
                }
                let dir = flag_value(words, &["-C"], &["--directory"])
                    .map(|d| absolute(&cwd, d))
                    .unwrap_or_else(|| cwd.clone());
                // Members named on the command line land under the directory; without them,
                // the archive's own names do, which only the directory can stand for.
                let mut members = 0;
                let mut skip_next = false;
                for (k, w) in words.iter().enumerate().skip(2) {
                    if skip_next {
                        skip_next = false;
                        continue;
                    }
                    if matches!(w.as_str(), "-C" | "--directory" | "-f" | "--file") {
                        skip_next = true;
                        continue;
                    }
                    if w.starts_with('-')
                        || Some(w.as_str()) == file
                        || (k == 2
                            && bundle.trim_start_matches('-').ends_with('f')
                            && !bundle.starts_with("--"))
                    {
                        continue;
                    }
                    r.paths.push(absolute(&dir, w));
                    r.outputs.push(absolute(&dir, w));
                    members += 1;
                }
                if members == 0 {
                    r.outputs.push(dir);
                }
            }
            "unzip" => {
                let dir = flag_value(words, &["-d"], &[]).map(|d| absolute(&cwd, d));
                match operands
                    .iter()
                    .find(|w| dir.as_deref() != Some(absolute(&cwd, w).as_str()))
                {
                    Some(f) => r.paths.push(absolute(&cwd, f)),
                    None => r.understood = false,
                }
                if let Some(d) = dir {
                    r.paths.push(d.clone());
                    r.outputs.push(d);
                }
            }
            "dpkg" if words.iter().any(|w| w == "-i" || w == "--install") => {
                r.worth_moving = true;
                for w in &operands {
                    r.paths.push(absolute(&cwd, w));
                }
            }
            n if FILES.contains(&n) => {
                let skip = usize::from(matches!(n, "chmod" | "chown" | "chgrp"));
                let paths: Vec<String> = operands
                    .iter()
                    .skip(skip)
                    .map(|w| absolute(&cwd, w))
                    .collect();
                if matches!(n, "mv" | "cp" | "install" | "ln") {
                    if let Some(last) = paths.last() {
                        r.outputs.push(last.clone());
                        if n == "ln" {
                            r.links.push(last.clone());
                        }
                    }
                }
                if n == "rm" || n == "rmdir" {
                    r.removed.extend(paths.iter().cloned());
                }
                if words
                    .iter()
                    .any(|w| w == "-t" || w.starts_with("--target-directory"))
                {
                    r.understood = false;
                }
                r.paths.extend(paths);
            }
            _ => r.understood = false,
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::helpers::run_commands::run_commands;
    use crate::semantic::Semantic;
    use crate::syntax::parse;

    fn reads(run: &str) -> Reads {
        let file = parse(&format!("FROM debian\nWORKDIR /w\n{run}\n"));
        let sem = Semantic::new(&file);
        let cmds = run_commands(&sem);
        let refs: Vec<_> = cmds.iter().collect();
        analyse(&refs, Some("/w"))
    }

    #[test]
    fn apt_install_names_no_path() {
        let r =
            reads("RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
        assert!(r.understood && r.worth_moving);
        assert_eq!(r.paths, ["/var/lib/apt/lists/*"]);
    }

    #[test]
    fn a_download_names_its_files() {
        let r = reads(
            "RUN curl -fsSL -o t.tgz https://x.org/t.tgz && tar -xzf t.tgz && mv package/bin/t /usr/local/bin/t && rm -rf package t.tgz",
        );
        assert!(r.understood && r.worth_moving);
        assert!(r.paths.contains(&"/w/t.tgz".to_string()));
        assert!(r.paths.contains(&"/w/package".to_string()));
        assert_eq!(r.outputs, ["/w/t.tgz", "/w", "/usr/local/bin/t"]);
        assert_eq!(r.downloaders, ["curl"]);
    }

    #[test]
    fn a_build_is_not_understood() {
        assert!(!reads("RUN apt-get install -y gcc && make").understood);
        assert!(!reads("RUN npm ci").understood);
        assert!(!reads("RUN curl -fsSL https://x.org/i.sh | sh").understood);
        assert!(!reads("RUN if true; then apt-get install -y jq; fi").understood);
        assert!(reads("RUN npm install -g typescript@5").understood);
    }

    #[test]
    fn git_clone_and_wget_targets() {
        let r = reads(
            "RUN git clone --depth 1 https://h.org/a/tool.git && wget -q https://h.org/x.tar.gz",
        );
        assert!(r.understood);
        assert_eq!(r.outputs, ["/w/tool", "/w/x.tar.gz"]);
        let r = reads("RUN curl -fsSL https://h.org/t.tgz | tar -xz -C /opt package/bin/t");
        assert!(r.understood);
        assert!(r.paths.contains(&"/opt/package/bin/t".to_string()));
        assert_eq!(r.outputs, ["/opt/package/bin/t"]);
    }
}
