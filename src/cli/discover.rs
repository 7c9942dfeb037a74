//! Which files `whittle check DIR` lints: a recursive walk that respects `.gitignore` (the
//! `ignore` crate; `--no-ignore` turns that off), picking up the usual Dockerfile names.

use std::path::{Path, PathBuf};

/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`,
/// `Containerfile.*`; not the per-Dockerfile ignore files (`Dockerfile.dev.dockerignore`) nor
/// templates that generate a Dockerfile (`Dockerfile.j2`), which are not Dockerfiles themselves.
pub fn is_dockerfile_name(name: &str) -> bool {
    let named = name == "Dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile");
    named && !is_generated_or_ignore_file(name)
}

/// Suffixes of files beside Dockerfiles that are not Dockerfiles: ignore files and the
/// templates of template engines (Jinja, Go templates, ERB, Mustache, Handlebars).
const NOT_DOCKERFILE_SUFFIXES: &[&str] = &[
    ".dockerignore",
    ".j2",
    ".jinja",
    ".jinja2",
    ".tpl",
    ".tmpl",
    ".gotmpl",
    ".erb",
    ".mustache",
    ".hbs",
];

fn is_generated_or_ignore_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    NOT_DOCKERFILE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// The Dockerfiles under `dir`, sorted (a stable report order). Hidden directories are walked
/// (`.devcontainer/Dockerfile`), `.git` is not. Symbolic links are followed (a linked service
/// directory is linted like a real one), so a link back to an ancestor is a loop: the walker
/// detects it and it is reported. Walk errors (a loop, an unreadable directory)
/// are returned with the path they concern so the caller can report them and go on.
pub fn dockerfiles_under(
    dir: &Path,
    respect_ignore: bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .git_ignore(respect_ignore)
        .git_global(respect_ignore)
        .git_exclude(respect_ignore)
        .ignore(respect_ignore)
        .parents(respect_ignore)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                if is_file && e.file_name().to_str().is_some_and(is_dockerfile_name) {
                    files.push(e.into_path());
                }
            }
            Err(err) => {
                let path = error_path(&err).unwrap_or(dir).to_path_buf();
                errors.push((path, err.to_string()));
            }
        }
    }
    files.sort();
    (files, errors)
}

/// The path a walk error is about (the link, for a loop).
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.arm",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile-old",
            "dockerfile.txt",
            "Makefile",
            "Containerfiles",
            ".dockerignore",
            "Dockerfile.dev.dockerignore",
            "Dockerfile.j2",
            "Dockerfile.alpine.tmpl",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
