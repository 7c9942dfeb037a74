//! The build-context rules (WH150, WH211, WH350) on real contexts in temporary directories:
//! through the CLI's snapshot (`cli::context::build_context_for`) and through `whittle check`.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use whittle::cli::context::build_context_for;
use whittle::lint::{Settings, lint};
use whittle::syntax::parse;

fn tree(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).unwrap();
        }
        fs::write(p, text).unwrap();
    }
}

/// The (rule ID, message) pairs of the context rules for `dockerfile` in `root`.
fn findings(root: &Path, dockerfile: &str) -> Vec<(String, String)> {
    let path = root.join("Dockerfile");
    fs::write(&path, dockerfile).unwrap();
    let file = parse(dockerfile);
    let mut settings = Settings::default();
    settings.build_context = build_context_for(&path, &file, &settings).map(Arc::new);
    lint(&file, &settings)
        .into_iter()
        .filter(|d| ["WH150", "WH211", "WH350"].contains(&d.rule_id.as_str()))
        .map(|d| (d.rule_id.to_string(), d.message))
        .collect()
}

fn ids(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(id, _)| id.as_str()).collect()
}

#[test]
fn copy_all_without_ignore_file_and_secrets() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            ("main.go", ""),
            (".env", "TOKEN=x"),
            (".git/HEAD", "ref"),
            ("certs/a.pem", ""),
            ("certs/b.key", ""),
            (".env.example", ""),
        ],
    );
    let found = findings(dir.path(), "FROM golang:1.23\nCOPY . /src\n");
    // One finding for the one COPY: WH350's, naming the secrets (WH150 leaves it to WH350).
    assert_eq!(ids(&found), ["WH350"], "{found:?}");
    let secret = &found[0].1;
    // Sorted names, three listed, the fourth counted; the template is not a secret.
    assert!(
        secret.contains("`.env`, `.git/`, `certs/a.pem`, and 1 more"),
        "{secret}"
    );
    assert!(!secret.contains(".env.example"), "{secret}");
}

#[test]
fn the_ignore_file_silences_both_and_flags_an_excluded_copy() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            ("main.go", ""),
            (".env", ""),
            (".git/HEAD", ""),
            ("docs/a.md", ""),
            (".dockerignore", ".git\n.env\ndocs\n"),
        ],
    );
    let found = findings(dir.path(), "FROM golang:1.23\nCOPY . /src\n");
    assert!(found.is_empty(), "{found:?}");
    let found = findings(
        dir.path(),
        "FROM golang:1.23\nCOPY docs/a.md main.go /src/\n",
    );
    assert_eq!(ids(&found), ["WH211"], "{found:?}");
    assert!(found[0].1.contains("line 3: `docs`"), "{}", found[0].1);
}

#[test]
fn dockerfile_specific_ignore_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            ("app/id_rsa", ""),
            ("app/main.py", ""),
            (".dockerignore", "**/id_rsa\n"),
            ("Dockerfile.dockerignore", "*.md\n"),
        ],
    );
    let found = findings(dir.path(), "FROM python:3.13\nCOPY app/ /app/\n");
    assert_eq!(ids(&found), ["WH150"], "{found:?}");
    assert!(found[0].1.contains("`app/id_rsa`"), "{}", found[0].1);
    assert!(
        found[0].1.contains("Dockerfile.dockerignore"),
        "{}",
        found[0].1
    );
}

#[test]
fn wildcards_exclusions_and_copy_exclude() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            ("a.pem", ""),
            ("keep/b.txt", ""),
            ("keep/c.key", ""),
            (".dockerignore", "*.pem\nkeep\n!keep/b.txt\n"),
        ],
    );
    // `*.pem` matches only excluded files; `keep` is excluded but re-includes b.txt.
    let found = findings(dir.path(), "FROM alpine\nCOPY *.pem /x/\nCOPY keep /k/\n");
    assert_eq!(ids(&found), ["WH211"], "{found:?}");
    // --exclude drops the key that the `.` copy would send.
    tree(dir.path(), &[(".dockerignore", "*.pem\n")]);
    let found = findings(dir.path(), "FROM alpine\nCOPY --exclude=*.key keep /k/\n");
    assert!(found.is_empty(), "{found:?}");
    let found = findings(dir.path(), "FROM alpine\nCOPY keep /k/\n");
    assert_eq!(ids(&found), ["WH150"], "{found:?}");
}

#[test]
fn no_copy_from_the_context_means_no_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), &[(".env", "")]);
    let path = dir.path().join("Dockerfile");
    let file = parse("FROM alpine\nCOPY --from=build /out /out\n");
    assert!(build_context_for(&path, &file, &Settings::default()).is_none());
}

#[test]
fn whittle_check_uses_the_dockerfile_directory_but_not_stdin() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), &[(".env", ""), ("app.js", "")]);
    let df = dir.path().join("Dockerfile");
    let text = "FROM node:22\nCOPY . /app\n";
    fs::write(&df, text).unwrap();
    let out = Command::cargo_bin("whittle")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(&df)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("WH350") && stdout.contains("`.env`"),
        "{stdout}"
    );
    let out = Command::cargo_bin("whittle")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("WH150") && !stdout.contains("WH350"),
        "{stdout}"
    );
}
