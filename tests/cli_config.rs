//! `whittle check` reads the configuration nearest to each file: `.whittle.yaml`, or else
//! `.hadolint.yaml` through the rules' aliases.

use assert_cmd::Command;
use std::fs;

const DOCKERFILE: &str = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

fn check(dir: &std::path::Path, file: &str) -> (i32, String, String) {
    let out = Command::cargo_bin("whittle")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(dir.join(file))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn without_configuration_the_defaults_apply() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    let (code, out, _) = check(dir.path(), "Dockerfile");
    assert_eq!(code, 1);
    assert!(out.contains("WH301"));
}

#[test]
fn hadolint_yaml_ignored_codes_turn_off_the_aliased_rule() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    fs::write(dir.path().join(".hadolint.yaml"), "ignored:\n  - DL3009\n").unwrap();
    let (code, out, err) = check(dir.path(), "Dockerfile");
    assert!(!out.contains("WH301"), "{out}\n{err}");
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn nearest_whittle_yaml_wins_for_files_in_nested_directories() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("svc/api")).unwrap();
    fs::write(dir.path().join("svc/api/Dockerfile"), DOCKERFILE).unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    fs::write(
        dir.path().join("svc/.whittle.yaml"),
        "ignore:\n  - apt-lists-not-cleaned\n",
    )
    .unwrap();
    let (_, nested, _) = check(dir.path(), "svc/api/Dockerfile");
    assert!(!nested.contains("WH301"));
    let (_, top, _) = check(dir.path(), "Dockerfile");
    assert!(top.contains("WH301"));
}

#[test]
fn a_bad_configuration_is_an_error_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    fs::write(
        dir.path().join(".whittle.yaml"),
        "ignore:\n  - WH301\nunknown-key: 1\n",
    )
    .unwrap();
    let (code, _, err) = check(dir.path(), "Dockerfile");
    assert_eq!(code, 2);
    assert!(
        err.contains(".whittle.yaml") && err.contains("unknown-key"),
        "{err}"
    );
    assert!(err.contains(":3"), "line number in {err}");
}

#[test]
fn a_bad_configuration_prints_no_verdict_about_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    fs::write(dir.path().join(".whittle.yaml"), "unknown-key: 1\n").unwrap();
    let out = Command::cargo_bin("whittle")
        .unwrap()
        .arg("check")
        .arg(dir.path().join("Dockerfile"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("unknown-key"), "{stderr}");
    assert!(
        !stdout.contains("No problems") && !stderr.contains("No problems"),
        "a file that was not checked must not be called clean:\n{stdout}\n{stderr}"
    );
}

const PRAGMA_DOCKERFILE: &str = "FROM debian:bookworm-slim\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

#[test]
fn inline_pragmas_apply_by_default() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), PRAGMA_DOCKERFILE).unwrap();
    let (code, out, err) = check(dir.path(), "Dockerfile");
    assert!(!out.contains("WH301"), "{out}\n{err}");
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn disable_inline_ignores_makes_pragmas_inert() {
    for (name, text) in [
        (".whittle.yaml", "disable-inline-ignores: true\n"),
        (".hadolint.yaml", "disable-ignore-pragma: true\n"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Dockerfile"), PRAGMA_DOCKERFILE).unwrap();
        fs::write(dir.path().join(name), text).unwrap();
        let (code, out, err) = check(dir.path(), "Dockerfile");
        assert!(out.contains("WH301"), "{name}: {out}\n{err}");
        assert_eq!(code, 1, "{name}: {out}\n{err}");
    }
}

#[test]
fn disable_inline_ignores_keeps_buildkit_check_directive() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "# check=skip=StageNameCasing\nFROM scratch AS Build\n",
    )
    .unwrap();
    fs::write(
        dir.path().join(".whittle.yaml"),
        "disable-inline-ignores: true\n",
    )
    .unwrap();
    let (_, out, err) = check(dir.path(), "Dockerfile");
    assert!(!out.contains("WH501"), "{out}\n{err}");
}

#[test]
fn hadolint_yaml_label_schema_and_trusted_registries_reach_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM ghcr.io/example/base:1.0\nLABEL org.example.url=\"not a url\" org.example.extra=1\n",
    )
    .unwrap();
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "trustedRegistries:\n  - docker.io\nlabel-schema:\n  org.example.url: url\n  org.example.version: semver\nstrict-labels: true\n",
    )
    .unwrap();
    let (_, out, err) = check(dir.path(), "Dockerfile");
    for id in ["WH110", "WH534", "WH531", "WH532"] {
        assert!(out.contains(id), "{id} missing:\n{out}\n{err}");
    }
    // Without the configuration the same file reports none of them.
    fs::remove_file(dir.path().join(".hadolint.yaml")).unwrap();
    let (_, out, err) = check(dir.path(), "Dockerfile");
    for id in ["WH110", "WH534", "WH531", "WH532"] {
        assert!(!out.contains(id), "{id} without config:\n{out}\n{err}");
    }
}

#[test]
fn a_misspelt_rule_option_is_a_configuration_error_naming_file_line_and_option() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "FROM quay.io/x/y:1\n").unwrap();
    fs::write(
        dir.path().join(".whittle.yaml"),
        "rules:\n  untrusted-registry:\n    options:\n      trusted-registry: [docker.io]\n",
    )
    .unwrap();
    let (code, _, err) = check(dir.path(), "Dockerfile");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".whittle.yaml:4:7"), "{err}");
    assert!(
        err.contains(
            "unknown option `trusted-registry` of rule `WH110`, expected `trusted-registries`"
        ),
        "{err}"
    );
    // spelt right, it applies
    fs::write(
        dir.path().join(".whittle.yaml"),
        "rules:\n  untrusted-registry:\n    options:\n      trusted-registries: [docker.io]\n",
    )
    .unwrap();
    let (code, out, err) = check(dir.path(), "Dockerfile");
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("WH110"), "{out}");
}
