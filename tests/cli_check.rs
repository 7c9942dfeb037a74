//! `whittle check` / `whittle fix` as a user runs them: exit codes, formats, stdin, and fixes on
//! disk (line endings, BOM, permissions kept; `--diff` writes nothing).

use assert_cmd::Command;
use std::fs;
use std::path::Path;

const CLEAN: &str = "FROM alpine:3.20\nRUN echo hi\n";
/// WH002 (no fix).
const UNKNOWN: &str = "FROM alpine:3.20\nRUNN echo hi\n";
/// WH008 with a safe fix: the blank line inside the continuation.
const BLANK_IN_CONTINUATION: &str = "FROM alpine:3.20\nRUN echo a \\\n\n  b\n";
const BLANK_FIXED: &str = "FROM alpine:3.20\nRUN echo a \\\n  b\n";

fn whittle() -> Command {
    let mut cmd = Command::cargo_bin("whittle").expect("binary");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).expect("write fixture");
    path.to_string_lossy().into_owned()
}

#[test]
fn a_clean_file_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "Dockerfile", CLEAN);
    let out = whittle().args(["check", &f]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("No problems found"));
}

#[test]
fn unreadable_files_exit_2_and_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "Dockerfile", CLEAN);
    let missing = dir.path().join("missing.Dockerfile");
    let latin1 = dir.path().join("latin1.Dockerfile");
    fs::write(&latin1, b"FROM alpine\nLABEL x=\xe9\n").unwrap();
    let utf16 = dir.path().join("utf16.Dockerfile");
    fs::write(&utf16, b"\xff\xfeF\0R\0O\0M\0").unwrap();
    let binary = dir.path().join("binary.Dockerfile");
    fs::write(&binary, b"FROM a\0\x01\x02").unwrap();
    let out = whittle()
        .args(["check", &good])
        .arg(&missing)
        .arg(&latin1)
        .arg(&utf16)
        .arg(&binary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("utf16.Dockerfile: is UTF-16 encoded"), "{err}");
    assert!(err.contains("binary.Dockerfile: is a binary file"), "{err}");
    assert!(err.contains("missing.Dockerfile: cannot read"), "{err}");
    // Not UTF-8 is read as Docker reads it: a warning at the byte, not an error.
    assert!(
        err.contains("latin1.Dockerfile:2:9: byte 0xE9 is not UTF-8"),
        "{err}"
    );
    assert!(
        !err.contains("error: ") || !err.contains("latin1.Dockerfile: "),
        "{err}"
    );
}

#[test]
fn unknown_option_is_a_usage_error() {
    let out = whittle().args(["check", "--frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn findings_exit_1_and_other_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.Dockerfile", UNKNOWN);
    let out = whittle()
        .args(["check", "--color", "never", &bad])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("WH002"), "{text}");
    assert!(text.contains("unknown-instruction"), "{text}");
    assert!(text.contains("Found 1 problem"), "{text}");
    assert!(!text.contains('\u{1b}'));

    // A missing file next to it: exit 2, and the finding is still reported.
    let out = whittle()
        .args(["check", "--color", "never", "nope.Dockerfile", &bad])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("WH002"));
}

#[test]
fn every_format_reports_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "Dockerfile", UNKNOWN);
    for format in ["json", "sarif", "github", "checkstyle", "gitlab", "text"] {
        let out = whittle()
            .args(["check", "--format", format, &bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("WH002"), "{format}: {text}");
    }
    let out = whittle()
        .args(["check", "--format", "json", &bad])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["files"][0]["diagnostics"][0]["start"]["line"], 2);
}

#[test]
fn stdin_is_linted_under_its_given_name() {
    let out = whittle()
        .args([
            "check",
            "--format",
            "github",
            "--stdin-filename",
            "app/Dockerfile",
            "-",
        ])
        .write_stdin(UNKNOWN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("::error file=app/Dockerfile,line=2,col=1"),
        "{text}"
    );
}

#[cfg(unix)]
fn mode(path: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn fix_writes_in_place_keeping_crlf_bom_and_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = format!("\u{feff}{}", BLANK_IN_CONTINUATION.replace('\n', "\r\n"));
    let f = write(dir.path(), "Dockerfile", &crlf);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = whittle().args(["check", "--fix", &f]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let after = fs::read_to_string(&f).unwrap();
    assert_eq!(
        after,
        format!("\u{feff}{}", BLANK_FIXED.replace('\n', "\r\n"))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Fixed 1 problem in 1 file"));
    #[cfg(unix)]
    assert_eq!(mode(&f), 0o640);
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);

    // A second run changes nothing and is clean.
    let out = whittle().args(["fix", &f]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&f).unwrap(), after);
}

#[test]
fn fix_keeps_a_missing_final_newline() {
    let dir = tempfile::tempdir().unwrap();
    let src = BLANK_IN_CONTINUATION.trim_end_matches('\n');
    let f = write(dir.path(), "Dockerfile", src);
    let out = whittle().args(["fix", &f]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        BLANK_FIXED.trim_end_matches('\n')
    );
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "Dockerfile", BLANK_IN_CONTINUATION);
    let out = whittle()
        .args(["check", "--diff", "Dockerfile"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,4 +1,3 @@\n FROM alpine:3.20\n RUN echo a \\\n-\n   b\n"
    );
    assert_eq!(fs::read_to_string(&f).unwrap(), BLANK_IN_CONTINUATION);

    // Nothing to fix: empty diff, exit 0.
    let clean = write(dir.path(), "clean.Dockerfile", CLEAN);
    let out = whittle()
        .args(["check", "--diff", &clean])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn fix_on_stdin_prints_the_fixed_text() {
    let out = whittle()
        .args(["fix", "-"])
        .write_stdin(BLANK_IN_CONTINUATION)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), BLANK_FIXED);
}

#[test]
fn remaining_findings_after_fix_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let both = format!("{BLANK_IN_CONTINUATION}RUNN x\n");
    let f = write(dir.path(), "Dockerfile", &both);
    let out = whittle()
        .args(["check", "--fix", "--color", "never", &f])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        format!("{BLANK_FIXED}RUNN x\n")
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("WH002") && !text.contains("WH008"), "{text}");
}

#[test]
fn output_file_and_colour() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "Dockerfile", UNKNOWN);
    let report = dir.path().join("report.sarif");
    let out = whittle()
        .args(["check", "--format", "sarif", "--output"])
        .arg(&report)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "WH002");

    let out = whittle()
        .args(["check", "--color", "always", &bad])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    // NO_COLOR is honoured when colour is automatic (stdout is not a terminal here either).
    let out = whittle()
        .args(["check", &bad])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn unsafe_fixes_flag_and_fix_counts() {
    // WH008's fix is safe, so `--unsafe-fixes` changes nothing here, but it must be accepted with
    // --fix and --diff and report the same counts.
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "Dockerfile", BLANK_IN_CONTINUATION);
    let out = whittle()
        .args(["check", "--diff", "--unsafe-fixes", &f])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Would fix 1 problem in 1 file"));
    let out = whittle()
        .args(["check", "--fix", "--unsafe-fixes", &f])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&f).unwrap(), BLANK_FIXED);
}

#[cfg(unix)]
#[test]
fn fix_through_a_symlink_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "real.Dockerfile", BLANK_IN_CONTINUATION);
    let link = dir.path().join("Dockerfile");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = whittle().arg("fix").arg(&link).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), BLANK_FIXED);
}

/// A directory argument (or none: the current directory) is searched recursively for
/// Dockerfiles, respecting .gitignore unless `--no-ignore`; unreadable ones are still named.
#[test]
fn directories_are_searched_for_dockerfiles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("svc/.devcontainer")).unwrap();
    fs::create_dir_all(root.join("build")).unwrap();
    fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
    fs::write(root.join("svc/api.Dockerfile"), "FROM scratch\n").unwrap();
    fs::write(
        root.join("svc/.devcontainer/Containerfile"),
        "FROM scratch\n",
    )
    .unwrap();
    fs::write(root.join("svc/notes.txt"), "FROM scratch\n").unwrap();
    fs::write(root.join("build/Dockerfile.gen"), "FROM scratch\n").unwrap();
    fs::write(root.join(".gitignore"), "build/\n").unwrap();
    let files = |extra: &[&str]| -> Vec<String> {
        let out = whittle()
            .current_dir(root)
            .args(["check", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        files(&[]),
        [
            "./Dockerfile",
            "./svc/.devcontainer/Containerfile",
            "./svc/api.Dockerfile"
        ]
    );
    assert_eq!(files(&["--no-ignore", "."]).len(), 4);
    assert_eq!(
        files(&["svc"]),
        ["svc/.devcontainer/Containerfile", "svc/api.Dockerfile"]
    );
}
