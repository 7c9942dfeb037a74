//! The `.dockerignore` generator: detect ecosystems from the context's files, compose the
//! templates, keep every source a Dockerfile COPYs or ADDs, and merge the result into an
//! existing file as a marked block that re-running replaces in place.

use super::templates::template;
use super::{Error, Matcher, clean};
use std::path::Path;

/// First line of the generated block (column-0 `#`: a comment for Docker).
pub const BEGIN_MARKER: &str =
    "# >>> whittle generated: `whittle ignore --write` rewrites this block; edit outside it <<<";
/// Last line of the generated block.
pub const END_MARKER: &str = "# <<< whittle generated >>>";

/// Directories not searched for ecosystem markers (dependencies and VCS data).
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    "build",
    "dist",
];

/// How deep the marker search goes (monorepos keep projects a few levels down).
const MAX_DEPTH: usize = 4;

/// Which ecosystem a file name marks.
fn ecosystem_of(name: &str) -> Option<&'static str> {
    let eco = match name {
        "package.json" => "node",
        "pyproject.toml" | "setup.py" | "setup.cfg" | "Pipfile" => "python",
        "go.mod" => "go",
        "Cargo.toml" => "rust",
        "pom.xml" => "java-maven",
        "Gemfile" => "ruby",
        "composer.json" => "php",
        _ if name.starts_with("requirements") && name.ends_with(".txt") => "python",
        _ if name.starts_with("build.gradle") || name.starts_with("settings.gradle") => {
            "java-gradle"
        }
        _ if name.ends_with(".csproj")
            || name.ends_with(".sln")
            || name.ends_with(".fsproj")
            || name.ends_with(".vbproj") =>
        {
            "dotnet"
        }
        _ if name.ends_with(".tf") => "terraform",
        _ => return None,
    };
    Some(eco)
}

/// The ecosystems present in a context, `common` first, in template order.
pub fn detect(context: &Path) -> Result<Vec<&'static str>, Error> {
    let mut found = Vec::new();
    scan(context, 0, &mut found)?;
    Ok(detect_from_names(found.iter().map(String::as_str)))
}

/// Same as [`detect`], from file names (no I/O).
pub fn detect_from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut present: Vec<&'static str> = names.into_iter().filter_map(ecosystem_of).collect();
    present.push("common");
    super::templates::TEMPLATES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| present.contains(name))
        .collect()
}

fn scan(dir: &Path, depth: usize, found: &mut Vec<String>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if depth + 1 < MAX_DEPTH && !SKIP_DIRS.contains(&name.as_str()) {
                // Unreadable subdirectories are skipped: detection is best effort.
                let _ = scan(&entry.path(), depth + 1, found);
            }
        } else {
            found.push(name);
        }
    }
    Ok(())
}

/// One line of the composed block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Comment(String),
    Pattern(String),
}

/// Resolve the sources a Dockerfile copies (as written: may be `./x`, `/x`, `dir/`, wildcards)
/// to paths of the context. `context_paths` are every file and directory of the context.
pub fn resolve_needed(needed: &[String], context_paths: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for src in needed {
        let cleaned = clean(src.trim_start_matches('/'));
        if cleaned == "." || cleaned.starts_with("..") {
            continue;
        }
        if cleaned.contains(['*', '?', '[']) {
            // COPY wildcards are filepath.Match per name: a single-pattern matcher agrees on
            // the simple forms used in Dockerfiles.
            if let Ok(m) = Matcher::new(&[cleaned.as_str()]) {
                let hits = context_paths.iter().filter(|p| {
                    m.patterns()
                        .first()
                        .is_some_and(|pat| pat.matches(p.as_str()))
                });
                out.extend(hits.cloned());
            }
        } else {
            out.push(cleaned);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The generated block (markers included) for `ecosystems`, keeping `needed` context paths
/// (already resolved with [`resolve_needed`]).
pub fn generate_block(ecosystems: &[&str], needed: &[String]) -> String {
    let mut lines: Vec<Line> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for eco in ecosystems {
        let Some(text) = template(eco) else {
            continue;
        };
        lines.push(Line::Comment(format!("# --- {eco} ---")));
        // A comment group belongs to the patterns below it: it is dropped when all of them
        // were already emitted by an earlier template.
        let mut pending_comments = Vec::new();
        let mut after_pattern = false;
        for raw in text.lines() {
            if raw.starts_with('#') {
                if after_pattern {
                    pending_comments.clear();
                    after_pattern = false;
                }
                pending_comments.push(raw.to_string());
            } else if !raw.trim().is_empty() {
                after_pattern = true;
                let pattern = raw.trim().to_string();
                if seen.contains(&pattern) {
                    continue;
                }
                seen.push(pattern.clone());
                lines.extend(pending_comments.drain(..).map(Line::Comment));
                lines.push(Line::Pattern(pattern));
            }
        }
    }

    // Keep what the Dockerfiles need: drop a pattern that names a needed path exactly, else
    // re-include the path with an exception at the end of the block.
    let mut exceptions: Vec<(String, String)> = Vec::new();
    for path in needed {
        let mut culprits = Vec::new();
        lines.retain(|line| match line {
            Line::Pattern(p) if clean(p) == *path => {
                culprits.push(format!("{p} (dropped)"));
                false
            }
            _ => true,
        });
        let patterns: Vec<&str> = lines
            .iter()
            .filter_map(|l| match l {
                Line::Pattern(p) => Some(p.as_str()),
                Line::Comment(_) => None,
            })
            .collect();
        let Ok(m) = Matcher::new(&patterns) else {
            continue;
        };
        if m.is_excluded(path) {
            let by: Vec<&str> = m
                .patterns()
                .iter()
                .filter(|p| Matcher::new(&[p.as_str()]).is_ok_and(|one| one.is_excluded(path)))
                .map(|p| p.as_str())
                .collect();
            exceptions.push((path.clone(), by.join(", ")));
        } else if !culprits.is_empty() {
            lines.push(Line::Comment(format!(
                "# not excluded: {path} is copied by a Dockerfile ({})",
                culprits.join(", ")
            )));
        }
    }
    if !exceptions.is_empty() {
        lines.push(Line::Comment("# --- needed by the Dockerfiles ---".into()));
        for (path, by) in exceptions {
            lines.push(Line::Comment(format!(
                "# {path} is copied by a Dockerfile but matches {by}"
            )));
            lines.push(Line::Pattern(format!("!{path}")));
        }
    }

    let mut out = String::new();
    out.push_str(BEGIN_MARKER);
    out.push('\n');
    for line in &lines {
        match line {
            Line::Comment(c) | Line::Pattern(c) => out.push_str(c),
        }
        out.push('\n');
    }
    out.push_str(END_MARKER);
    out.push('\n');
    out
}

/// Merge a generated block into an existing ignore file: an existing block is replaced in
/// place; otherwise the block goes first, so the user's lines (and their `!` exceptions) keep
/// the last word. The user's lines are never changed.
pub fn merge(existing: Option<&str>, block: &str) -> String {
    let Some(existing) = existing.filter(|e| !e.is_empty()) else {
        return block.to_string();
    };
    let lines: Vec<&str> = existing.split_inclusive('\n').collect();
    let begin = lines
        .iter()
        .position(|l| l.starts_with("# >>> whittle generated"));
    let end = begin.and_then(|b| {
        lines
            .iter()
            .skip(b)
            .position(|l| l.starts_with("# <<< whittle generated"))
            .map(|i| b + i)
    });
    match (begin, end) {
        (Some(b), Some(e)) => {
            let mut out: String = lines[..b].concat();
            out.push_str(block);
            out.push_str(&lines[e + 1..].concat());
            out
        }
        _ => {
            let mut out = block.to_string();
            out.push('\n');
            out.push_str(existing);
            if !existing.ends_with('\n') {
                out.push('\n');
            }
            out
        }
    }
}
