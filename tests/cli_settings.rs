//! `whittle check`: fail level, `--select`/`--ignore`/`--config`, `exclude`, the configuration of
//! standard input, walk errors, and a stable report order with parallel linting.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// One style finding (WH502 from-as-casing) and nothing else.
const STYLE_ONLY: &str = "FROM alpine:3.20 as build\nRUN true\n";
/// WH301 apt-lists-not-cleaned (and nothing on the base image).
const APT: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

fn whittle() -> Command {
    Command::cargo_bin("whittle").unwrap()
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = whittle().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rules_reported(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut rules: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

fn files_reported(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn by_default_every_finding_fails_and_fail_level_raises_the_bar() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), STYLE_ONLY).unwrap();
    let (code, out, _) = run(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    assert_eq!(rules_reported(&out), ["WH502"], "{out}");
    assert_eq!(code, 1);
    let (code, out, _) = run(
        dir.path(),
        &["check", "--fail-level", "warning", "Dockerfile"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("WH502"), "still reported: {out}");
    let (code, _, _) = run(
        dir.path(),
        &["check", "--fail-level", "style", "Dockerfile"],
    );
    assert_eq!(code, 1);
    let (code, _, _) = run(dir.path(), &["check", "--fail-level", "none", "Dockerfile"]);
    assert_eq!(code, 0);
}

#[test]
fn configuration_fail_level_and_hadolint_failure_threshold_apply_and_the_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("w")).unwrap();
    fs::create_dir_all(dir.path().join("h")).unwrap();
    fs::write(dir.path().join("w/Dockerfile"), STYLE_ONLY).unwrap();
    fs::write(dir.path().join("h/Dockerfile"), STYLE_ONLY).unwrap();
    fs::write(dir.path().join("w/.whittle.yaml"), "fail-level: info\n").unwrap();
    fs::write(
        dir.path().join("h/.hadolint.yaml"),
        "failure-threshold: error\n",
    )
    .unwrap();
    assert_eq!(run(dir.path(), &["check", "w"]).0, 0);
    assert_eq!(run(dir.path(), &["check", "h"]).0, 0);
    assert_eq!(
        run(dir.path(), &["check", "--fail-level", "style", "w"]).0,
        1
    );
    // Each file is judged by its own configuration's level.
    fs::write(dir.path().join("Dockerfile"), STYLE_ONLY).unwrap();
    assert_eq!(run(dir.path(), &["check", "w", "h"]).0, 0);
    assert_eq!(run(dir.path(), &["check", "w", "h", "Dockerfile"]).0, 1);
}

#[test]
fn select_extend_select_and_ignore_flags() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        format!("FROM alpine:3.20 as x\nRUN true\n{APT}"),
    )
    .unwrap();
    let json = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        args.push("Dockerfile");
        rules_reported(&run(dir.path(), &args).1)
    };
    let all = json(&[]);
    assert!(
        all.contains(&"WH301".to_string()) && all.contains(&"WH502".to_string()),
        "{all:?}"
    );
    assert_eq!(json(&["--select", "WH301"]), ["WH301"]);
    assert_eq!(
        json(&["--select", "DL3009,from-as-casing"]),
        ["WH301", "WH502"]
    );
    let ignored = json(&["--ignore", "apt-lists-not-cleaned"]);
    assert!(!ignored.contains(&"WH301".to_string()) && ignored.contains(&"WH502".to_string()));
    assert_eq!(
        json(&["--select", "WH301", "--ignore", "WH301"]),
        Vec::<String>::new()
    );
    // The flags apply on top of a configuration file.
    fs::write(dir.path().join(".whittle.yaml"), "ignore: [WH502]\n").unwrap();
    assert!(!json(&[]).contains(&"WH502".to_string()));
    assert_eq!(json(&["--select", "WH3"]), ["WH301"]);
}

#[test]
fn an_unknown_selector_on_the_command_line_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), APT).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["check", "--ignore", "no-such-rule", "Dockerfile"],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("--ignore: ") && err.contains("no-such-rule"),
        "{err}"
    );
}

#[test]
fn config_flag_replaces_discovery_and_its_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), APT).unwrap();
    fs::write(dir.path().join(".whittle.yaml"), "ignore: [WH301]\n").unwrap();
    fs::write(dir.path().join("strict.yaml"), "select: [WH3]\n").unwrap();
    let (_, out, _) = run(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    assert!(!rules_reported(&out).contains(&"WH301".to_string()));
    let (code, out, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--config",
            "strict.yaml",
            "Dockerfile",
        ],
    );
    assert_eq!(rules_reported(&out), ["WH301"]);
    assert_eq!(code, 1);
    // A hadolint file given with --config is read as one.
    fs::write(dir.path().join("hadolint.yaml"), "ignored: [DL3009]\n").unwrap();
    let (_, out, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--config",
            "hadolint.yaml",
            "Dockerfile",
        ],
    );
    assert!(
        !rules_reported(&out).contains(&"WH301".to_string()),
        "{out}"
    );
    fs::write(
        dir.path().join("bad.yaml"),
        "select: [WH3]\nfail-levle: error\n",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), &["check", "--config", "bad.yaml", "Dockerfile"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.yaml:2:") && err.contains("fail-levle"),
        "{err}"
    );
    let (code, _, err) = run(
        dir.path(),
        &["check", "--config", "missing.yaml", "Dockerfile"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("missing.yaml"), "{err}");
}

#[test]
fn exclude_drops_walked_files_but_not_files_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("vendor/x")).unwrap();
    fs::write(root.join("Dockerfile"), APT).unwrap();
    fs::write(root.join("vendor/x/Dockerfile"), APT).unwrap();
    fs::write(root.join("gen.Dockerfile"), APT).unwrap();
    fs::write(
        root.join(".whittle.yaml"),
        "exclude: [\"vendor/**\", \"*.Dockerfile\"]\n",
    )
    .unwrap();
    let (_, out, _) = run(root, &["check", "--format", "json"]);
    assert_eq!(files_reported(&out), ["./Dockerfile"]);
    let (_, out, _) = run(root, &["check", "--format", "json", "vendor/x/Dockerfile"]);
    assert_eq!(files_reported(&out), ["vendor/x/Dockerfile"]);
}

#[test]
fn standard_input_uses_the_configuration_of_its_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("svc")).unwrap();
    fs::write(dir.path().join("svc/.whittle.yaml"), "ignore: [WH301]\n").unwrap();
    let lint = |name: &str| {
        let out = whittle()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "--stdin-filename", name, "-"])
            .write_stdin(APT)
            .output()
            .unwrap();
        rules_reported(&String::from_utf8_lossy(&out.stdout))
    };
    assert!(!lint("svc/Dockerfile").contains(&"WH301".to_string()));
    assert!(lint("Dockerfile").contains(&"WH301".to_string()));
    // Without a name: the current directory's configuration.
    fs::write(dir.path().join(".whittle.yaml"), "select: [WH5]\n").unwrap();
    assert!(lint("-").is_empty());
}

#[test]
fn a_directory_loop_is_named_and_the_other_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::write(root.join("a/b/Dockerfile"), APT).unwrap();
    std::os::unix::fs::symlink("..", root.join("a/b/up")).unwrap();
    let (code, out, err) = run(root, &["check", "--format", "json", "a"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a/b/up") && err.contains("loop"), "{err}");
    let files = files_reported(&out);
    assert!(files.contains(&"a/b/Dockerfile".to_string()), "{files:?}");
}

#[test]
fn a_symlinked_directory_is_walked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("real")).unwrap();
    fs::create_dir_all(root.join("repo")).unwrap();
    fs::write(root.join("real/Dockerfile"), APT).unwrap();
    std::os::unix::fs::symlink("../real", root.join("repo/linked")).unwrap();
    let (_, out, _) = run(root, &["check", "--format", "json", "repo"]);
    assert_eq!(files_reported(&out), ["repo/linked/Dockerfile"]);
}

#[test]
fn permission_denied_is_named_and_the_other_files_are_still_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("Dockerfile"), APT).unwrap();
    let locked = root.join("locked.Dockerfile");
    fs::write(&locked, APT).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads, so there is nothing to observe.
        eprintln!("skipped: this user can read a mode-000 file");
        return;
    }
    let (code, out, err) = run(
        root,
        &[
            "check",
            "--format",
            "json",
            "Dockerfile",
            "locked.Dockerfile",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("locked.Dockerfile") && err.contains("ermission denied"),
        "{err}"
    );
    assert!(rules_reported(&out).contains(&"WH301".to_string()));
}

#[test]
fn many_files_are_reported_in_path_order_whatever_the_scheduling() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut expected = Vec::new();
    for i in 0..40 {
        let sub = format!("s{}/{}", i % 7, i);
        fs::create_dir_all(root.join(&sub)).unwrap();
        // Varying sizes so that the threads finish out of order.
        let body = format!("{APT}{}", "RUN echo hi\n".repeat(i * 13 % 50));
        fs::write(root.join(&sub).join("Dockerfile"), body).unwrap();
        expected.push(format!("./{sub}/Dockerfile"));
    }
    expected.sort();
    for _ in 0..3 {
        let (code, out, _) = run(root, &["check", "--format", "json"]);
        assert_eq!(code, 1);
        assert_eq!(files_reported(&out), expected);
    }
}

#[test]
fn a_configuration_warning_is_printed_once_for_many_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["Dockerfile", "a.Dockerfile", "b.Dockerfile"] {
        fs::write(dir.path().join(name), APT).unwrap();
    }
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored: [DL3009, DL9999]\n",
    )
    .unwrap();
    let (code, out, err) = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(err.matches("DL9999").count(), 1, "{err}");
    assert!(err.contains(".hadolint.yaml:1:"), "{err}");
    assert_eq!(files_reported(&out).len(), 3);
    assert!(!rules_reported(&out).contains(&"WH301".to_string()));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn every_command_help_has_examples() {
    for cmd in ["check", "fix", "rules", "explain"] {
        let out = whittle().args([cmd, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Examples:"), "{cmd}: {help}");
        assert!(help.contains("whittle "), "{cmd}: {help}");
    }
    let help = whittle().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--fail-level",
        "--select",
        "--ignore",
        "--config",
        "--no-ignore",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}
