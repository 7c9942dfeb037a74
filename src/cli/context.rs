//! The build-context snapshot for the context rules (those whose descriptor says they read the
//! context, [`ContextUse`]): the CLI's only I/O for them. The context is the Dockerfile's
//! directory. Reading the ignore file costs two `stat`s; the walk runs only when a rule that needs
//! the file list is on and the Dockerfile copies what that rule looks at (a directory, a
//! wildcard), and is skipped for contexts over [`WALK_LIMIT`] entries.

use crate::build_context::{BuildContext, FileContent, SentFiles, local_sources};
use crate::descriptor::{ContextUse, RuleMeta};
use crate::dockerignore::{IgnoreFile, Matcher, context};
use crate::rules::all_rules;
use crate::settings::Settings;
use crate::syntax::Dockerfile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Above this many entries (after the ignore file's exclusions) the context is not walked and
/// the rules that need the file list stay silent: the linter must stay fast on monorepos.
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
    if settings.build_context.is_some() || !needs.any {
        return None;
    }
    build_context_with(path, file, needs, walks)
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
    let root = match dockerfile.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let ignore = IgnoreFile::load_for(dockerfile, root).ok()?;
    let matcher = ignore.as_ref().map(|i| &i.matcher);
    let copies_dir = sources
        .iter()
        .any(|s| !s.wildcard && (s.path == "." || root.join(&s.path).is_dir()));
    let needs_walk = (copies_dir && needs.walk_for_directories)
        || (sources.iter().any(|s| s.wildcard) && needs.walk_for_wildcards);
    let sent_files = if needs_walk {
        let key = (root.to_path_buf(), ignore.as_ref().map(|i| i.path.clone()));
        walks.get_or_walk(key, || {
            if !within_limit(root, matcher) {
                return None;
            }
            context::walk(root, matcher)
                .ok()
                .map(|r| Arc::new(SentFiles::new(r.sent.into_iter().map(|e| e.path).collect())))
        })
    } else {
        None
    };
    Some(BuildContext {
        ignore_name: ignore.as_ref().map(|i| {
            i.path
                .file_name()
                .map_or(".dockerignore".into(), |n| n.to_string_lossy().into_owned())
        }),
        ignore: ignore.map(|i| i.matcher),
        sent_files,
        files: Some(Arc::new(DiskFiles {
            root: root.to_path_buf(),
        })),
    })
}

/// The walks of one `whittle check` run: a context (root directory, ignore file) -> the files it
/// sends. Every Dockerfile of a directory shares its context, so a directory of 4,616 Dockerfiles
/// is walked once, not 4,616 times (0.3 s -> 7.8 s without it). Per run, not global: the files
/// may change between runs of a long-lived caller.
#[derive(Debug, Default)]
pub struct WalkCache {
    walks: Mutex<Walks>,
}

type Walks = HashMap<(PathBuf, Option<PathBuf>), Option<Arc<SentFiles>>>;

impl WalkCache {
    fn get_or_walk(
        &self,
        key: (PathBuf, Option<PathBuf>),
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
}

/// Whether the context has at most [`WALK_LIMIT`] entries outside the directories the ignore
/// file drops whole. Stops counting at the limit; symlinks are not followed.
fn within_limit(root: &Path, matcher: Option<&Matcher>) -> bool {
    let mut stack = vec![(root.to_path_buf(), String::new())];
    let mut count = 0usize;
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            count += 1;
            if count > WALK_LIMIT {
                return false;
            }
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let dropped =
                matcher.is_some_and(|m| m.is_excluded(&child) && !m.may_reinclude_inside(&child));
            if !dropped {
                stack.push((entry.path(), child));
            }
        }
    }
    true
}
