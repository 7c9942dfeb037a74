//! The build-context snapshot for the context rules (those whose descriptor says they read the
//! context, [`ContextUse`]): the CLI's only I/O for them. The context is the directory the
//! Dockerfile's COPY sources are read from: its own directory when they are there, else the
//! nearest ancestor where they all are (a `docker/Dockerfile` that copies `docker/start.sh` is
//! built from the repository root); when no directory has them, or the Dockerfile's directory
//! holds nothing but Dockerfiles and it only copies `.`, the context is not known and the
//! context rules stay silent. Reading the ignore file costs two `stat`s; a walk runs only when a
//! rule that needs the file list is on and the Dockerfile copies what that rule looks at (a
//! directory, an excluded wildcard), covers only those directories, and stops at
//! [`WALK_LIMIT`] entries. The snapshot also carries the Dockerfile's path, which the rules that
//! judge an image's purpose read.

use crate::build_context::{BuildContext, FileContent, SentFiles, local_sources};
use crate::descriptor::{ContextUse, RuleMeta};
use crate::dockerignore::{IgnoreFile, context};
use crate::rules::all_rules;
use crate::settings::Settings;
use crate::syntax::Dockerfile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Above this many entries (after the ignore file's exclusions) a walk stops and the rules that
/// need the file list stay silent: the linter must stay fast on monorepos.
pub const WALK_LIMIT: usize = 50_000;

/// The build context of the Dockerfile at `path` for the context rules, or `None` when they have
/// nothing to read (standard input has no path, a context given by the caller, no context rule
/// on, nothing copied from the context).
pub fn context_for_input(
    needs: ContextNeeds,
    settings: &Settings,
    path: Option<&Path>,
    file: &Dockerfile,
    walks: &WalkCache,
) -> Option<BuildContext> {
    let path = path?;
    if settings.build_context.is_some() {
        return None;
    }
    let name = Some(path.to_string_lossy().replace('\\', "/"));
    if !needs.any {
        return Some(BuildContext::path_only(name));
    }
    let mut bc = build_context_with(path, file, needs, walks)
        .unwrap_or_else(|| BuildContext::path_only(None));
    bc.dockerfile = name;
    Some(bc)
}

/// The context's files on disk, below the context directory.
#[derive(Debug)]
struct DiskFiles {
    root: PathBuf,
}

impl crate::build_context::ContextFiles for DiskFiles {
    fn read(&self, path: &str, limit: usize) -> FileContent {
        use std::io::Read;
        let full = self.root.join(path);
        match std::fs::metadata(&full) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return FileContent::Missing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileContent::Missing,
            Err(_) => return FileContent::Unknown,
        }
        let mut bytes = Vec::new();
        match std::fs::File::open(&full).and_then(|f| f.take(limit as u64).read_to_end(&mut bytes))
        {
            Ok(_) => FileContent::Bytes(bytes),
            Err(_) => FileContent::Unknown,
        }
    }
}

/// What the rules that run read of the build context, decided once per configuration from their
/// descriptors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContextNeeds {
    /// Some rule reads the context.
    pub any: bool,
    /// Some rule needs the file list when a directory of the context is copied.
    pub walk_for_directories: bool,
    /// Some rule needs the file list when a source has a wildcard.
    pub walk_for_wildcards: bool,
}

impl ContextNeeds {
    /// The needs of `rules` (the rules that run).
    pub fn of<'m>(rules: impl IntoIterator<Item = &'m RuleMeta>) -> ContextNeeds {
        let mut needs = ContextNeeds::default();
        for m in rules {
            needs.any |= m.context.reads_context();
            needs.walk_for_directories |= m.context == ContextUse::SentFilesWhenCopyingDirectory;
            needs.walk_for_wildcards |= m.context == ContextUse::SentFilesWhenCopyingWildcard;
        }
        needs
    }

    /// The needs of the built-in rules `settings` turns on.
    pub fn of_settings(settings: &Settings) -> ContextNeeds {
        ContextNeeds::of(
            all_rules()
                .iter()
                .map(|r| r.meta())
                .filter(|m| settings.is_enabled(m)),
        )
    }
}

/// The snapshot for `dockerfile` (its directory is the context), or `None` when it copies
/// nothing from the context or the ignore file cannot be read (the build would fail on an
/// invalid one before any COPY).
pub fn build_context_for(
    dockerfile: &Path,
    file: &Dockerfile,
    settings: &Settings,
) -> Option<BuildContext> {
    build_context_with(
        dockerfile,
        file,
        ContextNeeds::of_settings(settings),
        &WalkCache::default(),
    )
}

/// [`build_context_for`], reusing the walks already done in `walks`.
///
/// Only what the rules that run need is read: the ignore file, and the names of the files sent
/// from the directories the Dockerfile copies (for the secret check), or from the directory of a
/// wildcard source that the ignore file excludes (for the ignored-file check). Excluded
/// directories are not entered, files are not `stat`ed, and a walk stops at [`WALK_LIMIT`]
/// entries (the rules that needed it stay silent, and `walks` records a note).
pub fn build_context_with(
    dockerfile: &Path,
    file: &Dockerfile,
    needs: ContextNeeds,
    walks: &WalkCache,
) -> Option<BuildContext> {
    let sources = local_sources(file);
    if sources.is_empty() {
        return None;
    }
    let dir = match dockerfile.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let root = locate_context(dir, &sources)?;
    let root = root.as_path();
    let ignore = IgnoreFile::load_for(dockerfile, root).ok()?;
    let matcher = ignore.as_ref().map(|i| &i.matcher);
    let mut dirs: Vec<String> = Vec::new();
    for s in &sources {
        if s.wildcard {
            if needs.walk_for_wildcards && matcher.is_some_and(|m| m.is_excluded(&s.path)) {
                dirs.push(literal_prefix(&s.path));
            }
        } else if needs.walk_for_directories && (s.path == "." || root.join(&s.path).is_dir()) {
            dirs.push(s.path.clone());
        }
    }
    dirs.sort();
    dirs.dedup();
    let sent_files = if dirs.is_empty() {
        None
    } else {
        let key = (
            root.to_path_buf(),
            ignore.as_ref().map(|i| i.path.clone()),
            dirs.clone(),
        );
        walks.get_or_walk(key, || {
            let listing = context::list_sent(root, matcher, &dirs, walks.limit);
            if !listing.complete {
                walks.note(format!(
                    "{}: the build context has more than {} entries outside what the ignore \
                     file excludes; the checks that read it (secret files sent by COPY, COPY of \
                     ignored files) skipped it",
                    root.display(),
                    walks.limit
                ));
                return None;
            }
            Some(Arc::new(SentFiles::under(listing.files, dirs)))
        })
    };
    Some(BuildContext {
        ignore_name: ignore.as_ref().map(|i| {
            i.path
                .file_name()
                .map_or(".dockerignore".into(), |n| n.to_string_lossy().into_owned())
        }),
        ignore: ignore.map(|i| i.matcher),
        local_secrets: sent_files
            .as_deref()
            .and_then(|sent| local_secrets(root, sent)),
        sent_files,
        files: Some(Arc::new(DiskFiles {
            root: root.to_path_buf(),
        })),
        dockerfile: None,
        located: true,
    })
}

/// The secret-looking files of a walked context that git does not track, when the context is
/// inside a git repository with an index (`None` otherwise). Committed files are in the
/// repository for anyone with it already; the untracked ones (`.env`, keys) are what a `COPY`
/// would publish. `.git/` itself is always local.
fn local_secrets(root: &Path, sent: &SentFiles) -> Option<std::collections::BTreeSet<String>> {
    use crate::rules::secret_sent_by_copy::secret_name;
    let root = root.canonicalize().ok()?;
    let repo = root
        .ancestors()
        .take(MAX_CONTEXT_LEVELS * 2)
        .find(|d| d.join(".git").exists())?;
    let tracked = super::git_index::tracked_paths(repo)?;
    let prefix = root
        .strip_prefix(repo)
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    let mut out = std::collections::BTreeSet::new();
    for (i, name) in sent.secrets(secret_name) {
        if name.ends_with('/') {
            out.insert(name.clone());
            continue;
        }
        let Some(rel) = sent.files.get(*i) else {
            continue;
        };
        let in_repo = if prefix.is_empty() {
            rel.clone()
        } else {
            format!("{prefix}/{rel}")
        };
        if !tracked.contains(&in_repo) {
            out.insert(name.clone());
        }
    }
    Some(out)
}

/// How far up from the Dockerfile's directory the context is looked for.
const MAX_CONTEXT_LEVELS: usize = 6;

/// The build context directory of a Dockerfile in `dir` with these COPY sources: `dir` when
/// its named sources (not `.`, not wildcards) are all there, else the nearest ancestor where
/// they are (up to the repository root, the directory holding `.git`). With no named source,
/// `dir` unless it holds nothing but Dockerfiles and ignore files (then the build names another
/// directory). `None`: not known.
fn locate_context(dir: &Path, sources: &[crate::build_context::LocalSource]) -> Option<PathBuf> {
    // A wildcard source names the directory before its first wildcard (`docker/*.conf`).
    let named: Vec<&str> = sources
        .iter()
        .filter(|s| s.path != ".")
        .filter_map(|s| {
            if !s.wildcard {
                return Some(s.path.as_str());
            }
            let cut = s.path.find(['*', '?', '['])?;
            let dir = s.path[..cut].rsplit_once('/')?.0;
            (!dir.is_empty()).then_some(dir)
        })
        .collect();
    if named.is_empty() {
        // Only `COPY .`: the Dockerfile's directory, unless it holds nothing to copy or an
        // ancestor has the ignore file (the build most likely runs there): not known.
        if only_dockerfiles(dir) || ancestor_has_ignore_file(dir) {
            return None;
        }
        return Some(dir.to_path_buf());
    }
    let mut candidate = dir.to_path_buf();
    for _ in 0..=MAX_CONTEXT_LEVELS {
        if named.iter().all(|p| candidate.join(p).exists()) {
            return Some(candidate);
        }
        if candidate.join(".git").exists() {
            return None;
        }
        // `a/b` -> `a` -> `.` (a relative path stops at the directory it was given from).
        let parent = match candidate.parent() {
            Some(p) if p.as_os_str().is_empty() => PathBuf::from("."),
            Some(p) => p.to_path_buf(),
            None => return None,
        };
        if parent == candidate || candidate == Path::new(".") {
            return None;
        }
        candidate = parent;
    }
    None
}

/// Whether `dir` has no `.dockerignore` but a directory above it (up to the repository root)
/// has one.
fn ancestor_has_ignore_file(dir: &Path) -> bool {
    if dir.join(".dockerignore").exists() || dir.join(".git").exists() {
        return false;
    }
    let mut d = dir.to_path_buf();
    for _ in 0..MAX_CONTEXT_LEVELS {
        let parent = match d.parent() {
            Some(p) if p.as_os_str().is_empty() => PathBuf::from("."),
            Some(p) => p.to_path_buf(),
            None => return false,
        };
        if parent == d {
            return false;
        }
        if parent.join(".dockerignore").exists() {
            return true;
        }
        if parent.join(".git").exists() || parent == Path::new(".") {
            return false;
        }
        d = parent;
    }
    false
}

/// Whether `dir` holds only Dockerfiles and ignore files (nothing a `COPY .` would want).
fn only_dockerfiles(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().all(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        super::discover::is_dockerfile_name(&name)
            || name == ".dockerignore"
            || name.ends_with(".dockerignore")
    })
}

/// The directory part of a wildcard source before its first wildcard (`src/*.pem` -> `src`,
/// `*.pem` -> `.`): every file the wildcard can match is under it.
fn literal_prefix(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        if part.contains(['*', '?', '[', '\\']) {
            break;
        }
        out.push(part);
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}

/// The walks of one `whittle check` run: a context (root directory, ignore file, directories
/// walked) -> the files it sends. Every Dockerfile of a directory shares its context, so a
/// directory of 4,616 Dockerfiles is walked once, not 4,616 times (0.3 s -> 7.8 s without it).
/// Per run, not global: the files may change between runs of a long-lived caller.
#[derive(Debug)]
pub struct WalkCache {
    walks: Mutex<Walks>,
    notes: Mutex<Vec<String>>,
    limit: usize,
}

impl Default for WalkCache {
    fn default() -> Self {
        WalkCache::with_limit(WALK_LIMIT)
    }
}

type Walks = HashMap<(PathBuf, Option<PathBuf>, Vec<String>), Option<Arc<SentFiles>>>;

impl WalkCache {
    /// Walks that stop after `limit` entries instead of [`WALK_LIMIT`].
    pub fn with_limit(limit: usize) -> Self {
        WalkCache {
            walks: Mutex::default(),
            notes: Mutex::default(),
            limit,
        }
    }

    fn get_or_walk(
        &self,
        key: (PathBuf, Option<PathBuf>, Vec<String>),
        walk: impl FnOnce() -> Option<Arc<SentFiles>>,
    ) -> Option<Arc<SentFiles>> {
        if let Some(found) = self.walks.lock().ok().and_then(|w| w.get(&key).cloned()) {
            return found;
        }
        let found = walk();
        if let Ok(mut w) = self.walks.lock() {
            w.insert(key, found.clone());
        }
        found
    }

    fn note(&self, note: String) {
        if let Ok(mut notes) = self.notes.lock()
            && !notes.contains(&note)
        {
            notes.push(note);
        }
    }

    /// Why some walks were cut short (each once).
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }
}
