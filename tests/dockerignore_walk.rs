//! The context walk (fsutil `filter.go` behaviours) and the ignore-file choice, on temporary
//! directories.

use std::fs;
use std::path::{Path, PathBuf};
use whittle::dockerignore::context::{EntryKind, walk};
use whittle::dockerignore::{IgnoreFile, Matcher};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "whittle-walk-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn files(self, files: &[&str]) -> TempDir {
        for f in files {
            let path = self.0.join(f);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).expect("mkdir");
            }
            if f.ends_with('/') {
                fs::create_dir_all(&path).expect("mkdir");
            } else {
                fs::write(&path, f.as_bytes()).expect("write");
            }
        }
        self
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn sent(root: &Path, patterns: &[&str]) -> (Vec<String>, Vec<String>) {
    let matcher = Matcher::new(patterns).expect("valid patterns");
    let report = walk(root, Some(&matcher)).expect("walk");
    (
        report.sent.into_iter().map(|e| e.path).collect(),
        report.sent_dirs,
    )
}

#[test]
fn excluded_directory_keeps_reincluded_file_and_its_parent() {
    let t = TempDir::new("exclude").files(&["foo/bar1", "foo/bar2", "foo2", "other/x"]);
    let (files, dirs) = sent(&t.0, &["foo*", "!foo/bar2"]);
    assert_eq!(files, vec!["foo/bar2", "other/x"]);
    assert_eq!(dirs, vec!["foo", "other"]);
}

#[test]
fn excluded_directory_without_exceptions_is_not_sent_at_all() {
    let t = TempDir::new("skip").files(&["node_modules/a/b.js", "node_modules/c.js", "src/i.js"]);
    let matcher = Matcher::new(&["node_modules"]).expect("valid");
    let report = walk(&t.0, Some(&matcher)).expect("walk");
    let files: Vec<&str> = report.sent.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(files, vec!["src/i.js"]);
    assert_eq!(report.excluded_files, 2);
    assert_eq!(report.excluded_dirs.len(), 1);
    assert_eq!(report.excluded_dirs[0].path, "node_modules");
    assert_eq!(report.excluded_dirs[0].files, 2);
    let expected_size = ("node_modules/a/b.js".len() + "node_modules/c.js".len()) as u64;
    assert_eq!(report.excluded_dirs[0].size, expected_size);
    assert_eq!(report.size, "src/i.js".len() as u64);
}

#[test]
fn doublestar_and_wildcard_exceptions_reach_inside_excluded_dirs() {
    let t = TempDir::new("doublestar").files(&[
        "a/b/keep.txt",
        "a/b/drop.bin",
        "a/keep.txt",
        "c/d/e/keep.txt",
        "top.bin",
    ]);
    let (files, _) = sent(&t.0, &["**", "!**/keep.txt"]);
    assert_eq!(files, vec!["a/b/keep.txt", "a/keep.txt", "c/d/e/keep.txt"]);
}

#[test]
fn docker_26_walk_facts() {
    let t = TempDir::new("d26").files(&["tmp/a/f", "tmp/b", "logs/x.log", "logs/y.txt", "k"]);
    let (files, _) = sent(&t.0, &["tmp/**", "!tmp", "**/*.log", "!logs"]);
    assert_eq!(files, vec!["k", "logs/y.txt"]);
}

#[test]
fn empty_directories_are_sent_unless_excluded() {
    let t = TempDir::new("empty").files(&["empty/", "gone/", "f"]);
    let (files, dirs) = sent(&t.0, &["gone"]);
    assert_eq!(files, vec!["f"]);
    assert_eq!(dirs, vec!["empty"]);
}

#[cfg(unix)]
#[test]
fn symlinks_are_listed_not_followed() {
    let t = TempDir::new("links").files(&["real/file", "hidden/secret"]);
    std::os::unix::fs::symlink("real", t.0.join("link")).expect("symlink");
    std::os::unix::fs::symlink("nowhere", t.0.join("dangling")).expect("symlink");
    let matcher = Matcher::new(&["hidden"]).expect("valid");
    let report = walk(&t.0, Some(&matcher)).expect("walk");
    let got: Vec<(&str, EntryKind)> = report
        .sent
        .iter()
        .map(|e| (e.path.as_str(), e.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            ("dangling", EntryKind::Symlink),
            ("link", EntryKind::Symlink),
            ("real/file", EntryKind::File),
        ]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_directory_is_an_error_unless_excluded() {
    use std::os::unix::fs::PermissionsExt;
    let t = TempDir::new("perm").files(&["locked/f", "open/g"]);
    let locked = t.0.join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let still_readable = fs::read_dir(&locked).is_ok(); // root ignores permissions
    let plain = walk(&t.0, None);
    let excluded = walk(&t.0, Some(&Matcher::new(&["locked"]).expect("valid")));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");

    let excluded = excluded.expect("an excluded unreadable directory is not read");
    let files: Vec<&str> = excluded.sent.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(files, vec!["open/g"]);
    if still_readable {
        assert_eq!(plain.expect("readable as root").sent.len(), 2);
    } else {
        let err = plain.expect_err("unreadable directory must be an error");
        assert!(err.to_string().contains("locked"), "{err}");
    }
}

#[test]
fn dockerfile_specific_ignore_file_wins() {
    let t = TempDir::new("override").files(&["ctx/a", "ctx/b", "build/"]);
    let ctx = t.0.join("ctx");
    let dockerfile = t.0.join("build/app.Dockerfile");
    fs::write(&dockerfile, "FROM scratch\n").expect("write");

    assert!(
        IgnoreFile::load_for(&dockerfile, &ctx)
            .expect("ok")
            .is_none()
    );

    fs::write(ctx.join(".dockerignore"), "a\n").expect("write");
    let shared = IgnoreFile::load_for(&dockerfile, &ctx)
        .expect("ok")
        .expect("found");
    assert!(shared.is_excluded("a"));
    assert!(!shared.is_excluded("b"));

    fs::write(t.0.join("build/app.Dockerfile.dockerignore"), "b\n").expect("write");
    let specific = IgnoreFile::load_for(&dockerfile, &ctx)
        .expect("ok")
        .expect("found");
    assert!(specific.path.ends_with("app.Dockerfile.dockerignore"));
    assert!(!specific.is_excluded("a"));
    assert!(specific.is_excluded("b"));
}

#[test]
fn invalid_ignore_file_names_file_and_line() {
    let t = TempDir::new("invalid").files(&["x"]);
    fs::write(t.0.join(".dockerignore"), "ok\n!\n").expect("write");
    let err = IgnoreFile::load_for(&t.0.join("Dockerfile"), &t.0).expect_err("lone ! is invalid");
    let msg = err.to_string();
    assert!(
        msg.contains(".dockerignore") && msg.contains("line 2"),
        "{msg}"
    );
}
