//! `--format json` validated against its published JSON Schema (`src/output/json-schema-v1.json`,
//! `whittle::output::json::SCHEMA`) with Python's `jsonschema`. Without Python or `jsonschema`
//! the validation says SKIPPED on stderr (or fails with `WHITTLE_REQUIRE_SCHEMAS=1`); the schema's
//! own well-formedness and version are always checked.

use std::path::PathBuf;
use std::process::Command;
use whittle::lint::{Settings, lint};
use whittle::output::{FileReport, json};
use whittle::syntax::parse;

const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = list(cls(schema).iter_errors(doc))
for e in errors[:20]:
    print("/".join(str(p) for p in e.path), ":", e.message[:300])
sys.exit(1 if errors else 0)
"#;

/// Some(true) valid, Some(false) invalid, None when Python or jsonschema is missing.
fn validate(doc: &str) -> Option<(bool, String)> {
    let tmp = tempfile::tempdir().ok()?;
    let schema_path = tmp.path().join("schema.json");
    let doc_path = tmp.path().join("doc.json");
    std::fs::write(&schema_path, json::SCHEMA).ok()?;
    std::fs::write(&doc_path, doc).ok()?;
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(&schema_path)
        .arg(&doc_path)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'jsonschema'") {
        return None;
    }
    Some((
        out.status.success(),
        format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)),
    ))
}

fn skip(what: &str) {
    let msg = format!("SKIPPED: {what} (pip install jsonschema)");
    assert!(
        std::env::var("WHITTLE_REQUIRE_SCHEMAS").as_deref() != Ok("1"),
        "{msg}"
    );
    eprintln!("{msg}");
}

#[test]
fn the_schema_is_json_for_this_version() {
    let schema: serde_json::Value = serde_json::from_str(json::SCHEMA).expect("schema is JSON");
    assert_eq!(
        schema["properties"]["version"]["const"],
        json::SCHEMA_VERSION
    );
}

#[test]
fn json_output_validates_against_its_schema() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), text))
        })
        .collect();
    files.sort();
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
        path: "missing",
        source: "",
        diagnostics: &[],
        errors: &errors,
    });
    assert!(
        reports
            .iter()
            .any(|r| r.diagnostics.iter().any(|d| d.fix.is_some()))
    );
    let Some((ok, log)) = validate(&json::render(&reports)) else {
        return skip("Python's jsonschema is not installed");
    };
    assert!(ok, "JSON output does not validate:\n{log}");
}

#[test]
fn the_schema_rejects_a_broken_document() {
    let broken = r#"{"version":1,"files":[{"file":"x","errors":[],"diagnostics":[{"rule":"WH1","name":"x","severity":"fatal","message":"m","start":{"line":0,"column":1,"column_utf16":1,"offset":0},"end":{"line":1,"column":1,"column_utf16":1,"offset":0},"fix":null}]}]}"#;
    let Some((ok, log)) = validate(broken) else {
        return skip("Python's jsonschema is not installed");
    };
    assert!(!ok);
    for what in ["rule", "severity", "line"] {
        assert!(log.contains(what), "{what} in {log}");
    }
}
