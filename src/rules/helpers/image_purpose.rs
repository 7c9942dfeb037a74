//! What an image is for, as far as the Dockerfile and its path tell: a program the image runs
//! (ENTRYPOINT/CMD), a network service (EXPOSE, HEALTHCHECK), or a toolchain image whose
//! purpose is the tools themselves (a dev container, a CI or test image, a build or packaging
//! image). The size and security rules that would otherwise tell a dev container to drop its
//! compilers ask here first.

use super::run_commands::{image_stages, instructions_in};
use crate::semantic::Semantic;
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword};

/// Directory names under which Dockerfiles build images for development, tests, CI, examples
/// or benchmarks rather than the application's release image.
const TOOLCHAIN_DIRS: &[&str] = &[
    ".devcontainer",
    "devcontainer",
    ".github",
    ".gitlab",
    ".circleci",
    ".ci",
    "ci",
    "test",
    "tests",
    "testing",
    "e2e",
    "integration",
    "integration-tests",
    "smoke",
    "suites",
    "testdata",
    "fixtures",
    "example",
    "examples",
    "benchmark",
    "benchmarks",
    "hack",
    "dev",
    "devenv",
    "dev-env",
    "development",
    ".codesandbox",
    ".gitpod",
    "gitpod",
    "packaging",
    "dev-toolkit",
    "toolkit",
];

/// Words of a Dockerfile's name or of the final stage's name that say the same
/// (`Dockerfile.dev`, `test.Dockerfile`, `builder-go.dockerfile`, `FROM x AS debug`).
const TOOLCHAIN_WORDS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "devcontainer",
    "devenv",
    "test",
    "tests",
    "testing",
    "e2e",
    "ci",
    "cypress",
    "playwright",
    "build",
    "builder",
    "buildenv",
    "debug",
    "tilt",
    "toolkit",
    "tools",
    "lint",
    "bench",
    "benchmark",
    "docs",
    "gitpod",
    "codesandbox",
];

/// Base images that are development environments.
const TOOLCHAIN_BASE_PREFIXES: &[&str] = &[
    "mcr.microsoft.com/devcontainers/",
    "mcr.microsoft.com/vscode/devcontainers/",
    "gitpod/workspace-",
    "cypress/",
    "mcr.microsoft.com/playwright",
];

/// Why the image is a toolchain image (its purpose is its tools), or `None` when nothing says
/// so. `path` is the Dockerfile's path when known.
pub fn toolchain_reason(file: &Dockerfile, sem: &Semantic, path: Option<&str>) -> Option<String> {
    if let Some(path) = path {
        let path = path.replace('\\', "/");
        let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let name = parts.pop().unwrap_or("");
        if let Some(dir) = parts
            .iter()
            .find(|d| TOOLCHAIN_DIRS.contains(&d.to_ascii_lowercase().as_str()))
        {
            return Some(format!("it is built from `{dir}/`"));
        }
        let lower = name.to_ascii_lowercase();
        if let Some(w) = words(&lower)
            .find(|w| TOOLCHAIN_WORDS.contains(w) && *w != "dockerfile" && *w != "containerfile")
        {
            return Some(format!("its Dockerfile is named `{name}` ({w})"));
        }
    }
    let stages = image_stages(sem);
    let final_stage = stages.first().and_then(|&s| sem.stages.get(s))?;
    if let Some(name) = &final_stage.name {
        if let Some(w) = words(name).find(|w| TOOLCHAIN_WORDS.contains(w)) {
            return Some(format!("its final stage is named `{name}` ({w})"));
        }
    }
    let root = stages.last().and_then(|&s| sem.stages.get(s))?;
    if let Some(expanded) = &root.base.expanded {
        if TOOLCHAIN_BASE_PREFIXES
            .iter()
            .any(|p| expanded.starts_with(p))
        {
            return Some(format!("it is built on `{expanded}`"));
        }
    }
    if !has_program(file, sem) {
        return Some("it names no program to run (no ENTRYPOINT or CMD)".to_string());
    }
    None
}

/// The `.`/`-`/`_`-separated words of a name, lower case.
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(['.', '-', '_']).filter(|w| !w.is_empty())
}

/// Whether a stage of the image sets ENTRYPOINT or CMD.
pub fn has_program(file: &Dockerfile, sem: &Semantic) -> bool {
    let stages = image_stages(sem);
    instructions_in(file, sem, &stages)
        .any(|(_, ins)| matches!(ins.keyword, Keyword::Entrypoint | Keyword::Cmd))
}

/// Whether the image offers a network service: a stage of the image EXPOSEs a port or has a
/// HEALTHCHECK.
pub fn is_service(file: &Dockerfile, sem: &Semantic) -> bool {
    let stages = image_stages(sem);
    instructions_in(file, sem, &stages)
        .any(|(_, ins)| matches!(ins.keyword, Keyword::Expose | Keyword::Healthcheck))
}

/// The command words the container starts with: ENTRYPOINT then CMD (the last of each in the
/// image's stages), shell forms split on white space.
pub fn start_command(file: &Dockerfile, sem: &Semantic) -> Vec<String> {
    let stages = image_stages(sem);
    let mut entry: Vec<String> = Vec::new();
    let mut cmd: Vec<String> = Vec::new();
    let argv = |body: &CommandBody| -> Vec<String> {
        match body {
            CommandBody::Exec(args) => args.iter().map(|a| a.value.to_string()).collect(),
            CommandBody::Shell(t) => t.text.split_whitespace().map(str::to_string).collect(),
        }
    };
    for (_, ins) in instructions_in(file, sem, &stages) {
        match ins.view() {
            InstructionView::Entrypoint(v) => {
                entry = argv(&v.body);
                // A new ENTRYPOINT resets the CMD inherited so far.
                cmd.clear();
            }
            InstructionView::Cmd(v) => cmd = argv(&v.body),
            _ => {}
        }
    }
    entry.extend(cmd);
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn reason(src: &str, path: Option<&str>) -> Option<String> {
        let file = parse(src);
        let sem = Semantic::new(&file);
        toolchain_reason(&file, &sem, path)
    }

    #[test]
    fn toolchain_images() {
        let app = "FROM python:3.12-slim\nCMD [\"app\"]\n";
        assert_eq!(reason(app, Some("Dockerfile")), None);
        assert_eq!(reason(app, Some("docker/app/Dockerfile")), None);
        assert!(reason(app, Some(".devcontainer/Dockerfile")).is_some());
        assert!(reason(app, Some("./Dockerfile.dev")).is_some());
        assert!(reason(app, Some("docker/builder-go.dockerfile")).is_some());
        assert!(reason(app, Some("internal/suites/x/Dockerfile")).is_some());
        assert!(reason("FROM python:3.12-slim\nRUN pip install x\n", None).is_some());
        assert!(reason("FROM python:3.12-slim AS debug\nCMD [\"app\"]\n", None).is_some());
        assert!(
            reason(
                "FROM mcr.microsoft.com/devcontainers/python:3.12\nCMD [\"x\"]\n",
                None
            )
            .is_some()
        );
    }

    #[test]
    fn start_command_joins_entrypoint_and_cmd() {
        let file = parse("FROM a\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"s.js\"]\n");
        let sem = Semantic::new(&file);
        assert_eq!(start_command(&file, &sem), ["tini", "--", "node", "s.js"]);
    }
}
