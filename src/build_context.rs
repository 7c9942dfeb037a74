//! What the context rules know about the build context: a snapshot the CLI takes (reading the
//! ignore file, walking the context when needed) and hands to the linter through
//! [`crate::settings::Settings::build_context`]. The rules stay pure: they read this snapshot only.
//!
//! Also the local sources of COPY/ADD ([`local_sources`]), which both the rules and the CLI (to
//! decide whether the context walk is worth its I/O) need.

use crate::dockerignore::{Matcher, clean};
use crate::syntax::{Dockerfile, InstructionView, Span};
use std::sync::{Arc, OnceLock};

/// The build context as the linter sees it.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    /// The ignore file's patterns, when there is one.
    pub ignore: Option<Matcher>,
    /// How messages name the ignore file (`.dockerignore`, `app.Dockerfile.dockerignore`).
    pub ignore_name: Option<String>,
    /// The files `docker build` would send from the parts of the context that were walked
    /// (relative, `/`-separated, sorted); `None` when nothing was walked (not needed, or too
    /// large). Shared: the Dockerfiles of one directory have the same context.
    pub sent_files: Option<Arc<SentFiles>>,
    /// The context's files, for the fixes that must know what they copy or install (the
    /// files a requirements file includes, package.json's scripts, whether an `ADD` source is
    /// an archive). `None`: their contents are not known here.
    pub files: Option<Arc<dyn ContextFiles>>,
    /// The Dockerfile's path as the caller named it (`/`-separated), when it has one: the
    /// rules that judge what an image is for read it (`.devcontainer/Dockerfile`,
    /// `Dockerfile.dev`).
    pub dockerfile: Option<String>,
    /// Inside a git repository: the secret-looking files of the context that git does not track
    /// (the local ones: a committed file is in the repository for anyone to read already),
    /// named as the secret rule names them. `None` outside a repository or when not computed.
    pub local_secrets: Option<std::collections::BTreeSet<String>>,
    /// Whether the context itself was read (its ignore file, and its files when walked).
    /// `false` for a snapshot that only carries the Dockerfile's path: the context could not be
    /// located (its sources resolve in no directory) or no context rule needs it.
    pub located: bool,
}

/// What is known about one file of the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    /// Its first bytes (up to the limit asked for).
    Bytes(Vec<u8>),
    /// There is no regular file at that path.
    Missing,
    /// It could not be read, or the context's contents are not known.
    Unknown,
}

impl FileContent {
    /// The content as text (invalid UTF-8 replaced), when it was read.
    pub fn text(&self) -> Option<String> {
        match self {
            FileContent::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }
}

/// Reads files of the build context. The CLI gives one that reads the disk below the context
/// directory; tests give one from a listing ([`BuildContext::with_contents`]).
pub trait ContextFiles: std::fmt::Debug + Send + Sync {
    /// The first `limit` bytes of `path` (relative to the context root, `/`-separated, already
    /// cleaned).
    fn read(&self, path: &str, limit: usize) -> FileContent;
}

/// Files given in memory (tests, rule pages).
#[derive(Debug, Default)]
pub struct ListedContents {
    pub files: std::collections::HashMap<String, Vec<u8>>,
}

impl ContextFiles for ListedContents {
    fn read(&self, path: &str, limit: usize) -> FileContent {
        match self.files.get(path) {
            Some(b) => FileContent::Bytes(b[..b.len().min(limit)].to_vec()),
            None => FileContent::Missing,
        }
    }
}

/// What fixes read of a context file at most: manifests and lock files are far smaller.
pub const READ_LIMIT: usize = 4 << 20;

/// The sent files of the walked parts of a context (relative, `/`-separated, sorted), shared by
/// every Dockerfile of that context, with what a rule derives from all of them computed once per
/// context instead of once per Dockerfile (a directory of 6,000 Dockerfiles copying `.` made
/// WH150 quadratic: 8.6% of a corpus run).
#[derive(Debug, Default)]
pub struct SentFiles {
    pub files: Vec<String>,
    /// The directories that were walked (`.`: the whole context); only files under them are
    /// listed, and questions about other directories have no answer.
    pub walked: Vec<String>,
    secrets: OnceLock<Vec<(usize, String)>>,
}

impl SentFiles {
    /// The files of a whole context.
    pub fn new(files: Vec<String>) -> Self {
        SentFiles::under(files, vec![".".to_string()])
    }

    /// The files sent from the directories `walked` of a context.
    pub fn under(files: Vec<String>, walked: Vec<String>) -> Self {
        SentFiles {
            files,
            walked,
            secrets: OnceLock::new(),
        }
    }

    /// Whether every file sent under `dir` is listed (`dir` is at or under a walked directory).
    pub fn covers(&self, dir: &str) -> bool {
        self.walked.iter().any(|w| w == dir || is_under(dir, w))
    }

    /// The files `secret_name` names (index into `files`, name to report), computed on the
    /// first call: WH150's only, so the memo holds its classification.
    pub fn secrets(&self, secret_name: fn(&str) -> Option<String>) -> &[(usize, String)] {
        self.secrets.get_or_init(|| {
            self.files
                .iter()
                .enumerate()
                .filter_map(|(i, f)| secret_name(f).map(|n| (i, n)))
                .collect()
        })
    }
}

impl std::ops::Deref for SentFiles {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.files
    }
}

impl BuildContext {
    /// A context from a list of files and the text of its `.dockerignore` (`None`: no ignore
    /// file), without touching the disk: for tests and rule-page examples. Files the ignore
    /// file excludes are not sent. `Err` names an invalid pattern.
    pub fn from_listing<S: AsRef<str>>(
        files: &[S],
        dockerignore: Option<&str>,
    ) -> Result<BuildContext, String> {
        let ignore = dockerignore
            .map(Matcher::from_ignore_text)
            .transpose()
            .map_err(|e| e.to_string())?;
        let mut sent: Vec<String> = files
            .iter()
            .map(|f| clean(f.as_ref()))
            .filter(|f| f != "." && !ignore.as_ref().is_some_and(|m| m.is_excluded(f)))
            .collect();
        sent.sort();
        sent.dedup();
        Ok(BuildContext {
            ignore_name: ignore.as_ref().map(|_| ".dockerignore".to_string()),
            ignore,
            sent_files: Some(Arc::new(SentFiles::new(sent))),
            files: None,
            dockerfile: None,
            local_secrets: None,
            located: true,
        })
    }

    /// The context with these files' contents known (paths relative to the context root); the
    /// others are missing.
    pub fn with_contents<P: AsRef<str>, C: AsRef<[u8]>>(mut self, files: &[(P, C)]) -> Self {
        let files = files
            .iter()
            .map(|(p, c)| (clean(p.as_ref()), c.as_ref().to_vec()))
            .collect();
        self.files = Some(Arc::new(ListedContents { files }));
        self
    }

    /// What is known of the context file at `path` (a COPY source as written: cleaned here).
    pub fn read(&self, path: &str) -> FileContent {
        let path = clean(path.trim_start_matches('/'));
        if path == ".." || path.starts_with("../") {
            return FileContent::Unknown;
        }
        match &self.files {
            Some(f) => f.read(&path, READ_LIMIT),
            None => FileContent::Unknown,
        }
    }

    /// A snapshot that carries only the Dockerfile's path (the context was not read).
    pub fn path_only(dockerfile: Option<String>) -> BuildContext {
        BuildContext {
            dockerfile,
            ..BuildContext::default()
        }
    }

    /// The snapshot when the context was read, for the rules that inspect it.
    pub fn located(&self) -> Option<&BuildContext> {
        self.located.then_some(self)
    }

    /// How messages name the ignore file.
    pub fn ignore_name(&self) -> &str {
        self.ignore_name.as_deref().unwrap_or(".dockerignore")
    }

    /// The sent files at or under `dir` (cleaned, `.` for the whole context), when known.
    pub fn sent_under<'s>(&'s self, dir: &'s str) -> Option<impl Iterator<Item = &'s str> + 's> {
        let files = self.sent_files.as_ref().filter(|f| f.covers(dir))?;
        Some(
            files
                .iter()
                .map(String::as_str)
                .filter(move |f| is_under(f, dir)),
        )
    }

    /// The sent files at or under `dir` that `secret_name` names, with those names, when the
    /// context was walked (see [`SentFiles::secrets`]).
    pub fn secrets_under<'s>(
        &'s self,
        dir: &'s str,
        secret_name: fn(&str) -> Option<String>,
    ) -> Option<impl Iterator<Item = (&'s str, &'s str)> + 's> {
        let sent = self.sent_files.as_ref().filter(|f| f.covers(dir))?;
        Some(
            sent.secrets(secret_name)
                .iter()
                .map(|(i, name)| (sent.files[*i].as_str(), name.as_str()))
                .filter(move |(f, _)| is_under(f, dir)),
        )
    }
}

/// `file` is inside the context directory `dir` (`.` is the whole context).
fn is_under(file: &str, dir: &str) -> bool {
    dir == "."
        || file
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// One source of a COPY/ADD that is read from the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalSource {
    /// The source cleaned like a path in the context (`.` for the root).
    pub path: String,
    /// The source word in the file.
    pub span: Span,
    /// The instruction is ADD (for messages).
    pub is_add: bool,
    /// The instruction's keyword, for reports about the whole instruction.
    pub keyword_span: Span,
    /// Whether the source has a wildcard (`*`, `?`, `[`).
    pub wildcard: bool,
    /// The instruction's `--exclude` patterns.
    pub excludes: Vec<String>,
}

/// The context sources of every COPY/ADD: without `--from`, no heredoc, no URL or git source,
/// no variable (its value is not known here). Quotes around a whole word are dropped.
pub fn local_sources(file: &Dockerfile) -> Vec<LocalSource> {
    let mut out = Vec::new();
    for inst in &file.instructions {
        let (view, is_add) = match inst.view() {
            InstructionView::Copy(v) => (v, false),
            InstructionView::Add(v) => (v, true),
            _ => continue,
        };
        if view.from.is_some() || view.dest.is_none() {
            continue;
        }
        let excludes: Vec<String> = view
            .exclude
            .iter()
            .filter_map(|f| f.value.as_ref().map(|v| v.to_string()))
            .collect();
        for word in &view.sources {
            let Some(raw) = plain_path(&word.value) else {
                continue;
            };
            let path = clean(raw.trim_start_matches('/'));
            if path == ".." || path.starts_with("../") {
                continue;
            }
            out.push(LocalSource {
                wildcard: path.contains(['*', '?', '[']),
                path,
                span: word.span,
                is_add,
                keyword_span: inst.keyword_span,
                excludes: excludes.clone(),
            });
        }
    }
    out
}

/// The word as a path, or `None` when it is not a plain context path.
fn plain_path(word: &str) -> Option<&str> {
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| word.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(word);
    let remote = unquoted.contains("://") || unquoted.starts_with("git@");
    if unquoted.is_empty()
        || unquoted.starts_with("<<")
        || remote
        || unquoted.contains(['$', '"', '\'', '\\'])
    {
        return None;
    }
    Some(unquoted)
}

impl BuildContext {
    /// Whether the JSON manifest `name` of the context (`composer.json`) declares a non-empty
    /// `key` object (`require-dev`): `None` when its content is not known or not JSON.
    pub fn manifest_has(&self, name: &str, key: &str) -> Option<bool> {
        let text = self.read(name).text()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        Some(
            json.get(key)
                .is_some_and(|v| v.as_object().is_some_and(|o| !o.is_empty())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(src: &str) -> Vec<String> {
        local_sources(&crate::syntax::parse(src))
            .into_iter()
            .map(|s| s.path)
            .collect()
    }

    #[test]
    fn local_sources_skip_stages_urls_heredocs_and_variables() {
        let src = "FROM alpine\nCOPY ./a/ \"b\" /x/\nCOPY --from=build /out /out\n\
                   ADD https://example.com/f /f\nCOPY <<EOF /h\nhi\nEOF\nCOPY $SRC /s\n\
                   ADD . /app\nCOPY ../up /u\n";
        assert_eq!(paths(src), ["a", "b", "."]);
    }

    #[test]
    fn listing_applies_the_ignore_file() {
        let cx =
            BuildContext::from_listing(&["a.txt", "./secret.pem", "d/b"], Some("*.pem\n")).unwrap();
        assert_eq!(
            cx.sent_files.as_deref().unwrap().as_slice(),
            ["a.txt", "d/b"]
        );
        let under: Vec<&str> = cx.sent_under("d").unwrap().collect();
        assert_eq!(under, ["d/b"]);
        assert!(BuildContext::from_listing(&["a"], Some("!\n")).is_err());
    }
}
