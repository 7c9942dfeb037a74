//! `.dockerignore`: Docker's exact reading and matching, the build-context walk, and the
//! generator behind `whittle ignore`.
//!
//! Docker's rules (parser-spec.md §3) are not gitignore's: every pattern is anchored at the
//! context root, `**` is special anywhere, `[!a]` is a literal class, and a `!` exception can
//! re-include files under an excluded directory. This module reimplements moby/patternmatcher and
//! the context walk of tonistiigi/fsutil as Docker Engine 26 runs them.
//!
//! # API for rules and tools
//!
//! * [`Matcher`]: compile patterns without any I/O. [`Matcher::from_ignore_text`] reads the text
//!   of an ignore file; [`Matcher::new`] takes already-read patterns (patternmatcher's `New`).
//!   [`Matcher::is_excluded`] answers "would `docker build` leave this path out?" with the
//!   walk's semantics and [`Matcher::excluded_by`] names the deciding pattern (and its line);
//!   [`Matcher::matches_or_parent_matches`] and
//!   [`Matcher::matches_using_parent_results`] are patternmatcher's two evaluation modes.
//! * [`IgnoreFile::load_for`]: which ignore file applies to a Dockerfile and a context
//!   (`<Dockerfile>.dockerignore` next to the Dockerfile wins over `<context>/.dockerignore`),
//!   `Ok(None)` when there is none. [`IgnoreFile::is_excluded`] delegates to its matcher.
//! * [`context::walk`]: the files `docker build` would send, their size, and what the ignore
//!   file removed. The lint rules that need the context (a COPY of an ignored path, a secret sent
//!   by `COPY .`, `COPY . .` without an ignore file) combine these three.
//! * [`generate`]: ecosystem detection and the merged `.dockerignore` text.
//!
//! Invalid patterns are [`PatternError`]s naming the line, as `docker build` would fail on them.

mod clean;
pub mod context;
pub mod generate;
mod goregex;
pub mod patterns;
pub mod templates;

pub use clean::clean;
pub use patterns::{Matcher, ParentResults, Pattern, PatternError, read_ignore_file};

use std::path::{Path, PathBuf};

/// What can go wrong reading an ignore file or a build context.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Pattern { path: PathBuf, source: PatternError },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An ignore file that applies to a build, read and compiled.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its text as read (for the generator's merge).
    pub text: String,
    pub matcher: Matcher,
}

impl IgnoreFile {
    /// The ignore file BuildKit would use for `dockerfile` with build context `context`:
    /// `<dockerfile>.dockerignore` if it exists, else `<context>/.dockerignore`, else `None`.
    pub fn load_for(dockerfile: &Path, context: &Path) -> Result<Option<IgnoreFile>, Error> {
        match ignore_file_path(Some(dockerfile), context) {
            Some(path) => IgnoreFile::load(&path).map(Some),
            None => Ok(None),
        }
    }

    /// Read and compile one ignore file.
    pub fn load(path: &Path) -> Result<IgnoreFile, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let matcher = Matcher::from_ignore_text(&text).map_err(|source| Error::Pattern {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(IgnoreFile {
            path: path.to_path_buf(),
            text,
            matcher,
        })
    }

    /// Whether `docker build` leaves `rel_path` (relative to the context, `/`-separated) out.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.matcher.is_excluded(rel_path)
    }
}

/// Path of the ignore file that applies, if any exists.
pub fn ignore_file_path(dockerfile: Option<&Path>, context: &Path) -> Option<PathBuf> {
    if let Some(df) = dockerfile {
        let mut name = df.as_os_str().to_os_string();
        name.push(".dockerignore");
        let specific = PathBuf::from(name);
        if specific.is_file() {
            return Some(specific);
        }
    }
    let shared = context.join(".dockerignore");
    shared.is_file().then_some(shared)
}
