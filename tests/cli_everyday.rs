//! The command line as people meet it every day: mistakes that must not pass silently, files
//! Docker reads that are not UTF-8, the terse and counting outputs, `whittle init`, reviewdog's
//! format and the links to rule pages.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn whittle() -> Command {
    let mut cmd = Command::cargo_bin("whittle").expect("binary");
    cmd.env_remove("NO_COLOR");
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = whittle().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// WH502 (safe fix) and WH250 (no fix).
const AS_CASING: &str = "FROM alpine as build\nRUN true\n";

#[test]
fn a_directory_without_dockerfiles_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::write(dir.path().join("empty/README.md"), "hi\n").unwrap();
    let r = run(dir.path(), &["check", "empty"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("empty: holds no Dockerfile"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("No problems found"), "{}", r.stdout);
    // The current directory, implied.
    let r = run(&dir.path().join("empty"), &["check"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    // A directory whose Dockerfiles the configuration excludes is not an error.
    fs::write(dir.path().join("empty/Dockerfile"), "FROM alpine:3.20\n").unwrap();
    fs::write(
        dir.path().join("empty/.whittle.yaml"),
        "exclude: [Dockerfile]\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check", "empty"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("leaves out all 1 Dockerfiles"),
        "{}",
        r.stderr
    );
}

#[test]
fn rule_codes_that_match_nothing_are_errors_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), AS_CASING).unwrap();
    for (args, flag, code) in [
        (&["--select", "WH9999"][..], "--select", "WH9999"),
        (&["--select", "DL9999"][..], "--select", "DL9999"),
        (
            &["--extend-select", "WH3O1"][..],
            "--extend-select",
            "WH3O1",
        ),
        (&["--ignore", "DL3999"][..], "--ignore", "DL3999"),
        (
            &["--ignore", "apt-list-not-cleaned"][..],
            "--ignore",
            "apt-list",
        ),
    ] {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.push("Dockerfile");
        let r = run(dir.path(), &all);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{flag}: ")) && r.stderr.contains(code),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    // Known codes still work, hadolint's included.
    let r = run(
        dir.path(),
        &["check", "--ignore", "DL3008,WH250", "Dockerfile"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
}

#[test]
fn warnings_name_their_source() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), AS_CASING).unwrap();
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored:\n  - DL9999\nno-color: true\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check", "Dockerfile"]);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("whittle: warning:"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", r.stderr);
    for w in warnings {
        let source = w["whittle: warning: ".len()..].split(':').next().unwrap();
        assert!(source.ends_with(".hadolint.yaml"), "{w}");
    }
    assert!(!r.stderr.contains("warning: :"), "{}", r.stderr);
}

#[test]
fn a_latin1_dockerfile_is_linted_as_docker_reads_it_and_fixed_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(
        &path,
        b"FROM alpine:3.20 as build\nRUN echo caf\xe9 \xe9t\xe9\n",
    )
    .unwrap();
    let r = run(dir.path(), &["check", "--format", "concise", "Dockerfile"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Dockerfile:1:18: WH502 `as` does not match the casing of `FROM`\n"
    );
    assert!(
        r.stderr.contains(
            "whittle: warning: Dockerfile:2:13: byte 0xE9 is not UTF-8 (and 2 more such bytes): \
             Docker reads it as U+FFFD"
        ),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["check", "--fix", "Dockerfile"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        fs::read(&path).unwrap(),
        b"FROM alpine:3.20 AS build\nRUN echo caf\xe9 \xe9t\xe9\n"
    );
    // --diff shows the file's own bytes.
    fs::write(&path, b"FROM alpine:3.20 as build\nRUN echo caf\xe9\n").unwrap();
    let out = whittle()
        .current_dir(dir.path())
        .args(["check", "--diff", "Dockerfile"])
        .output()
        .unwrap();
    assert!(
        out.stdout.windows(2).any(|w| w == b"f\xe9"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn concise_statistics_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.Dockerfile"), AS_CASING).unwrap();
    fs::write(dir.path().join("b.Dockerfile"), "FROM alpine\n").unwrap();
    fs::write(dir.path().join("c.Dockerfile"), "FROM alpine:3.20\n").unwrap();

    let r = run(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(r.code, Some(1));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "./a.Dockerfile:1:6: WH250 `FROM alpine` has no tag: it means `latest`, which changes under you; name a version",
            "./a.Dockerfile:1:13: WH502 `as` does not match the casing of `FROM`",
            "./b.Dockerfile:1:6: WH250 `FROM alpine` has no tag: it means `latest`, which changes under you; name a version",
        ]
    );

    let r = run(dir.path(), &["check", "--statistics", "."]);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stdout,
        "2  WH250  image-without-tag\n1  WH502  from-as-casing [*]\n\
         Found 3 problems (1 fixable with --fix)\n"
    );
    let r = run(
        dir.path(),
        &["check", "--statistics", "--format", "json", "."],
    );
    let stats: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(stats[1]["rule"], "WH502");
    assert_eq!(stats[1]["count"], 1);
    assert_eq!(stats[1]["fixable"], true);

    // --quiet: the findings, no summary; nothing at all for a clean file.
    let r = run(dir.path(), &["check", "--quiet", "a.Dockerfile"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout.contains("WH502") && !r.stdout.contains("Found"),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), &["check", "-q", "c.Dockerfile"]);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), ""));
    let r = run(dir.path(), &["check", "-q", "--fix", "a.Dockerfile"]);
    assert!(!r.stderr.contains("Fixed"), "{}", r.stderr);
}

#[test]
fn init_writes_a_starter_and_converts_hadolint() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run(d, &["init"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let starter = fs::read_to_string(d.join(".whittle.yaml")).unwrap();
    assert!(starter.contains("fail-level: style"));
    // It reads back, and means the defaults.
    fs::write(d.join("Dockerfile"), AS_CASING).unwrap();
    let with = run(d, &["check", "--format", "json", "Dockerfile"]);
    let without = run(
        d,
        &[
            "check",
            "--format",
            "json",
            "--config",
            "/dev/null",
            "Dockerfile",
        ],
    );
    assert_eq!(with.stdout, without.stdout);
    // It is not overwritten by accident.
    let r = run(d, &["init"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("exists"), "{}", r.stderr);

    // --from-hadolint: the same findings and exit code as with the hadolint file.
    let sample = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n\
                  LABEL author=me\nFROM gcr.io/distroless/static\n";
    fs::remove_file(d.join(".whittle.yaml")).unwrap();
    fs::write(d.join("Dockerfile"), sample).unwrap();
    fs::write(
        d.join(".hadolint.yaml"),
        "ignored: [DL3008, DL3059]\noverride:\n  error: [DL3009]\n  info: [DL3015]\n\
         trustedRegistries: [docker.io]\nlabel-schema:\n  author: text\n  version: semver\n\
         failure-threshold: error\n",
    )
    .unwrap();
    let hadolint = run(d, &["check", "--format", "json", "Dockerfile"]);
    let r = run(d, &["init", "--from-hadolint"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let converted = fs::read_to_string(d.join(".whittle.yaml")).unwrap();
    assert!(
        converted.contains("# DL3009 apt-lists-not-cleaned"),
        "{converted}"
    );
    let whittle_cfg = run(d, &["check", "--format", "json", "Dockerfile"]);
    assert_eq!(hadolint.stdout, whittle_cfg.stdout, "{converted}");
    assert_eq!(hadolint.code, whittle_cfg.code);
    assert!(hadolint.stdout.contains("WH110"), "{}", hadolint.stdout);
}

/// Apply rdjson suggestions (1-based lines, byte columns, exclusive ends) to `text`.
fn apply_suggestions(text: &str, suggestions: &[Value]) -> String {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |p: &Value| {
        line_starts[p["line"].as_u64().unwrap() as usize - 1]
            + p["column"].as_u64().unwrap() as usize
            - 1
    };
    let mut edits: Vec<(usize, usize, &str)> = suggestions
        .iter()
        .map(|s| {
            (
                offset(&s["range"]["start"]),
                offset(&s["range"]["end"]),
                s["text"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, t);
    }
    out
}

#[test]
fn rdjson_suggestions_are_the_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM alpine:3.20 as é\r\nRUN apt-get update && apt-get install -y curl\r\n";
    fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let r = run(dir.path(), &["check", "--format", "rdjson", "Dockerfile"]);
    assert_eq!(r.code, Some(1));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["source"]["name"], "whittle");
    let diags = doc["diagnostics"].as_array().unwrap();
    for d in diags {
        assert_eq!(d["location"]["path"], "Dockerfile");
        assert!(d["code"]["url"].as_str().unwrap().contains("/rules/WH"));
    }
    // Each rule's suggestions, applied alone, give what --fix with that rule alone writes.
    for code in ["WH502", "WH301"] {
        let d = diags.iter().find(|d| d["code"]["value"] == code).unwrap();
        let fixed = apply_suggestions(text, d["suggestions"].as_array().unwrap());
        let copy = dir.path().join("copy.Dockerfile");
        fs::write(&copy, text).unwrap();
        run(
            dir.path(),
            &["check", "--fix", "--select", code, "copy.Dockerfile"],
        );
        assert_eq!(fixed, fs::read_to_string(&copy).unwrap(), "{code}");
    }
    let casing = diags
        .iter()
        .find(|d| d["code"]["value"] == "WH502")
        .unwrap();
    assert_eq!(
        casing["location"]["range"]["start"],
        serde_json::json!({"line": 1, "column": 18})
    );
    assert_eq!(casing["severity"], "INFO");
}

#[test]
fn findings_link_to_their_rule_pages() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), AS_CASING).unwrap();
    let r = run(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &doc["files"][0]["diagnostics"][0];
    let url = d["url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/rules/{}.md", d["rule"].as_str().unwrap())),
        "{url}"
    );

    let r = run(dir.path(), &["check", "--format", "sarif", "Dockerfile"]);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["WH250", "WH502"],
        "only the rules of the run's results"
    );
    for (i, result) in run0["results"].as_array().unwrap().iter().enumerate() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "result {i}");
    }
    for rule in rules {
        let help = rule["helpUri"].as_str().unwrap();
        assert!(help.ends_with(&format!("/rules/{}.md", rule["id"].as_str().unwrap())));
    }
    assert!(
        r.stdout.len() < 30_000,
        "a one-file log is small: {} bytes",
        r.stdout.len()
    );
}

#[test]
fn suppressions_that_name_no_rule_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM alpine:3.20\n\
                # whittle ignore=WH9999,WH250\n\
                RUN echo a\n\
                # hadolint ignore=DL3059,SC2086,DL9999\n\
                RUN echo b\n\
                # whittle ignore WH301\n\
                RUN echo c\n";
    fs::write(dir.path().join("Dockerfile"), text).unwrap();
    let r = run(dir.path(), &["check", "--format", "concise", "Dockerfile"]);
    assert_eq!(
        r.stdout,
        "Dockerfile:2:18: WH592 `WH9999` in this `whittle ignore=` names no rule, so it \
         suppresses nothing\n\
         Dockerfile:4:33: WH592 `DL9999` in this `hadolint ignore=` names no rule, so it \
         suppresses nothing\n\
         Dockerfile:6:1: WH592 malformed `whittle` pragma: expected `ignore=CODE,...`, so it \
         suppresses nothing\n",
        "{}",
        r.stderr
    );
    let r = run(dir.path(), &["check", "--fix", "Dockerfile"]);
    assert_eq!(r.code, Some(1), "the malformed pragma has no fix");
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(fixed.contains("# whittle ignore=WH250\n"), "{fixed}");
    assert!(
        fixed.contains("# hadolint ignore=DL3059,SC2086\n"),
        "{fixed}"
    );
}
