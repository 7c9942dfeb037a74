//! Walk a build context as BuildKit does (tonistiigi/fsutil `filter.go`): each entry is tested
//! with the results of its parent directory; an excluded directory is skipped unless an exception
//! could re-include something inside it; symlinks are listed, never followed; a re-included
//! file brings its parent directories along.

use super::{Error, Matcher, ParentResults};
use std::fs;
use std::io;
use std::path::Path;

/// What kind of entry the walk found (symlinks are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Symlink,
    /// Sockets, FIFOs, devices.
    Other,
}

/// A non-directory entry Docker would send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the context, `/`-separated.
    pub path: String,
    pub kind: EntryKind,
    /// Bytes (for a symlink, the length of its target).
    pub size: u64,
}

/// An excluded directory, with what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludedDir {
    pub path: String,
    /// Total size of the files under it that are not sent.
    pub size: u64,
    pub files: usize,
}

/// The result of walking a context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextReport {
    /// Files, symlinks and special files sent, sorted by path.
    pub sent: Vec<Entry>,
    /// Directories sent (including parents of re-included files), sorted.
    pub sent_dirs: Vec<String>,
    /// Total size of `sent`.
    pub size: u64,
    /// Entries left out, and their size.
    pub excluded_files: usize,
    pub excluded_size: u64,
    /// Top-most excluded directories, largest first.
    pub excluded_dirs: Vec<ExcludedDir>,
}

impl ContextReport {
    pub fn file_count(&self) -> usize {
        self.sent.len()
    }
}

/// Walk `root` with `matcher` (None: no ignore file, everything is sent).
pub fn walk(root: &Path, matcher: Option<&Matcher>) -> Result<ContextReport, Error> {
    let empty = Matcher::default();
    let mut w = Walker {
        matcher: matcher.unwrap_or(&empty),
        report: ContextReport::default(),
    };
    w.dir(root, "", &ParentResults::default(), None)?;
    let r = &mut w.report;
    r.sent.sort_by(|a, b| a.path.cmp(&b.path));
    r.sent_dirs.sort();
    r.excluded_dirs
        .sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path)));
    Ok(w.report)
}

struct Walker<'m> {
    matcher: &'m Matcher,
    report: ContextReport,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Sorted entries of a directory (Go's WalkDir order: byte order of names).
fn read_sorted(dir: &Path) -> io::Result<Vec<fs::DirEntry>> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

impl Walker<'_> {
    /// Walk a directory that is not skipped. `bucket` is the index of the top-most excluded
    /// directory around it, if any. Returns whether anything inside was sent.
    fn dir(
        &mut self,
        abs: &Path,
        rel: &str,
        parent: &ParentResults,
        bucket: Option<usize>,
    ) -> Result<bool, Error> {
        let mut sent_any = false;
        for entry in read_sorted(abs).map_err(io_error(abs))? {
            let abs_child = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel_child = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let file_type = entry.file_type().map_err(io_error(&abs_child))?;
            let (excluded, info) = self
                .matcher
                .matches_using_parent_results(&rel_child, parent);
            if file_type.is_dir() {
                if excluded {
                    let bucket = bucket.or_else(|| {
                        self.report.excluded_dirs.push(ExcludedDir {
                            path: rel_child.clone(),
                            size: 0,
                            files: 0,
                        });
                        Some(self.report.excluded_dirs.len() - 1)
                    });
                    if self.matcher.may_reinclude_inside(&rel_child) {
                        match self.dir(&abs_child, &rel_child, &info, bucket) {
                            Ok(true) => {
                                self.report.sent_dirs.push(rel_child);
                                sent_any = true;
                            }
                            Ok(false) => {}
                            // fsutil ignores a permission error on an excluded entry.
                            Err(Error::Io { source, .. })
                                if source.kind() == io::ErrorKind::PermissionDenied => {}
                            Err(e) => return Err(e),
                        }
                    } else {
                        self.measure(&abs_child, bucket);
                    }
                } else {
                    self.dir(&abs_child, &rel_child, &info, bucket)?;
                    self.report.sent_dirs.push(rel_child);
                    sent_any = true;
                }
                continue;
            }
            let meta = fs::symlink_metadata(&abs_child).map_err(io_error(&abs_child))?;
            if excluded {
                self.exclude(meta.len(), bucket);
                continue;
            }
            let kind = if file_type.is_symlink() {
                EntryKind::Symlink
            } else if file_type.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            };
            self.report.size += meta.len();
            self.report.sent.push(Entry {
                path: rel_child,
                kind,
                size: meta.len(),
            });
            sent_any = true;
        }
        Ok(sent_any)
    }

    fn exclude(&mut self, size: u64, bucket: Option<usize>) {
        self.report.excluded_files += 1;
        self.report.excluded_size += size;
        if let Some(d) = bucket.and_then(|i| self.report.excluded_dirs.get_mut(i)) {
            d.files += 1;
            d.size += size;
        }
    }

    /// Count what a skipped directory holds (Docker never reads it: errors are ignored).
    fn measure(&mut self, abs: &Path, bucket: Option<usize>) {
        let Ok(entries) = read_sorted(abs) else {
            return;
        };
        for entry in entries {
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                self.measure(&entry.path(), bucket);
            } else {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                self.exclude(size, bucket);
            }
        }
    }
}

/// What [`list_sent`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentListing {
    /// The files (and symlinks, special files) sent from the directories asked for: relative
    /// to the context, `/`-separated, sorted.
    pub files: Vec<String>,
    /// False when the walk stopped at the limit (`files` is then incomplete).
    pub complete: bool,
    /// Directory entries read.
    pub entries: usize,
}

/// The files `docker build` sends from the directories `dirs` of the context at `root`
/// (relative and cleaned; `.` is the whole context), by name only. The decisions are
/// [`walk`]'s: an excluded directory is skipped unless an exception may re-include something
/// inside it, a re-included file is sent. But nothing is read inside a skipped directory, no
/// file is `stat`ed (the directory entry says what it is), and the walk stops after `limit`
/// entries. For the lint rules, which need names, not sizes.
pub fn list_sent(
    root: &Path,
    matcher: Option<&Matcher>,
    dirs: &[String],
    limit: usize,
) -> SentListing {
    let empty = Matcher::default();
    let m = matcher.unwrap_or(&empty);
    let plain = m.patterns().is_empty();
    let mut out = SentListing {
        complete: true,
        ..SentListing::default()
    };
    for dir in outermost(dirs) {
        // The walk's results for the directory's ancestors (it may be excluded whole).
        let mut info = ParentResults::default();
        let mut skipped = false;
        let mut end = 0;
        while !plain && dir != "." && end < dir.len() {
            end = dir[end..].find('/').map_or(dir.len(), |i| end + i);
            let prefix = &dir[..end];
            let (excluded, next) = m.matches_using_parent_results(prefix, &info);
            info = next;
            if excluded && !m.may_reinclude_inside(prefix) {
                skipped = true;
                break;
            }
            end += 1;
        }
        if skipped {
            continue;
        }
        let (abs, rel) = if dir == "." {
            (root.to_path_buf(), String::new())
        } else {
            (root.join(dir), dir.to_string())
        };
        let mut stack = vec![(abs, rel, info)];
        while let Some((abs, rel, info)) = stack.pop() {
            let Ok(entries) = fs::read_dir(&abs) else {
                continue;
            };
            for entry in entries.flatten() {
                out.entries += 1;
                if out.entries > limit {
                    out.complete = false;
                    out.files.sort_unstable();
                    return out;
                }
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let child = if rel.is_empty() {
                    name.into_owned()
                } else {
                    format!("{rel}/{name}")
                };
                let (excluded, child_info) = if plain {
                    (false, ParentResults::default())
                } else {
                    m.matches_using_parent_results(&child, &info)
                };
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    if !excluded || m.may_reinclude_inside(&child) {
                        stack.push((entry.path(), child, child_info));
                    }
                } else if !excluded {
                    out.files.push(child);
                }
            }
        }
    }
    out.files.sort_unstable();
    out.files.dedup();
    out
}

/// `dirs` without those inside another of them (`.` covers everything).
fn outermost(dirs: &[String]) -> Vec<&str> {
    if dirs.iter().any(|d| d == ".") {
        return vec!["."];
    }
    let mut sorted: Vec<&str> = dirs.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<&str> = Vec::new();
    for d in sorted {
        let inside = out
            .last()
            .is_some_and(|o| d.strip_prefix(o).is_some_and(|r| r.starts_with('/')));
        if !inside {
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        dir
    }

    #[test]
    fn listing_agrees_with_the_full_walk() {
        let dir = tree(&[
            "a.txt",
            "src/main.go",
            "src/.env",
            "node_modules/x/index.js",
            "node_modules/keep/README",
            "build/out.o",
            "docs/guide.md",
        ]);
        for ignore in [
            "",
            "node_modules\nbuild\n",
            "node_modules\n!node_modules/keep\n*.md\n",
        ] {
            let m = Matcher::from_ignore_text(ignore).unwrap();
            let full: Vec<String> = walk(dir.path(), Some(&m))
                .unwrap()
                .sent
                .into_iter()
                .map(|e| e.path)
                .collect();
            let listed = list_sent(dir.path(), Some(&m), &[".".into()], usize::MAX);
            assert!(listed.complete);
            assert_eq!(listed.files, full, "{ignore:?}");
            if ignore.starts_with("node_modules\nbuild") {
                // Excluded directories are not read: the 8 entries of the root, src/ and docs/.
                assert_eq!(listed.entries, 8);
            }
            // A part of the context: what the full walk sends under it.
            for part in ["src", "node_modules", "node_modules/keep", "missing"] {
                let listed = list_sent(dir.path(), Some(&m), &[part.into()], usize::MAX);
                let expected: Vec<&String> = full
                    .iter()
                    .filter(|f| f.starts_with(&format!("{part}/")))
                    .collect();
                assert_eq!(
                    listed.files.iter().collect::<Vec<_>>(),
                    expected,
                    "{ignore:?} {part}"
                );
            }
        }
    }

    #[test]
    fn listing_stops_at_the_limit_and_skips_nested_dirs() {
        let dir = tree(&["a/1", "a/2", "a/b/3", "c/4"]);
        let l = list_sent(dir.path(), None, &[".".into()], 3);
        assert!(!l.complete);
        let l = list_sent(dir.path(), None, &["a".into(), "a/b".into()], 100);
        assert!(l.complete);
        assert_eq!(l.files, ["a/1", "a/2", "a/b/3"]);
        assert_eq!(
            outermost(&["a/b".into(), "a".into(), "ab".into()]),
            ["a", "ab"]
        );
    }
}
