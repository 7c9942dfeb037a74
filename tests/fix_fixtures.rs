//! Every `tests/fixtures/*.Dockerfile`: an insta snapshot of what the default rules report
//! (line:column, rule, fix applicability, message) and of the whole-file diff that
//! `--fix --unsafe-fixes` makes, plus the fix invariants: it converges, adds no syntax error, a
//! second run changes nothing, and a BOM and the line endings survive.
//!
//! Name fixtures `<ID>-<what>.Dockerfile`. A new fixture needs its snapshot accepted once
//! (`INSTA_UPDATE=always cargo test --test fix_fixtures`, then review `tests/snapshots/`).
//!
//! Rules that are off by default or need options get a sibling `<fixture>.settings.json`:
//! `{"enable": ["WH118"], "options": {"WH110": {"trusted-registries": ["..."]}}}` is added to the
//! default rule set for that fixture.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use whittle::diagnostic::Locator;
use whittle::fix::{Applicability, line_ending, unified_diff};
use whittle::lint::{Settings, fix_source, lint_source};
use whittle::rules::all_rules;

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".Dockerfile"))
        .collect();
    files.sort();
    files
}

/// The default rules, plus what `<fixture>.settings.json` enables and configures.
fn settings_for(fixture: &std::path::Path) -> Settings {
    let extra = fixture.with_extension("settings.json");
    let Ok(text) = fs::read_to_string(&extra) else {
        return Settings::default();
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", extra.display()));
    let mut ids: Vec<String> = all_rules()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.default_enabled)
        .map(|m| m.id.to_string())
        .collect();
    for id in json["enable"].as_array().into_iter().flatten() {
        ids.push(id.as_str().expect("rule IDs are strings").to_string());
    }
    let mut settings = Settings::only(ids);
    for (id, options) in json["options"].as_object().into_iter().flatten() {
        settings.options.insert(id.clone(), options.clone());
    }
    settings
}

/// Diagnostics one per line, then the fix as a diff (with `\r` made visible).
fn report(name: &str, src: &str, settings: &Settings) -> String {
    let linted = lint_source(src, settings);
    let locator = Locator::new(src);
    let mut out = String::new();
    for d in &linted.diagnostics {
        let p = locator.position(d.span.start);
        let fix = match &d.fix {
            Some(f) => format!(" [{}: {}]", f.applicability, f.title),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{}:{} {} {}{fix}: {}",
            p.line, p.column, d.rule_id, d.rule_name, d.message
        );
    }
    let fixed = fix_source(src, settings, Applicability::Unsafe);
    let diff = unified_diff(name, src, &fixed.text);
    if !diff.is_empty() {
        let _ = write!(
            out,
            "\n--- fix: {} applied in {} passes ---\n{}",
            fixed.applied,
            fixed.passes,
            diff.replace('\r', "\\r")
        );
    }
    out
}

#[test]
fn fixtures_snapshot_and_fix_invariants() {
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures found");
    for path in files {
        let settings = settings_for(&path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let src = fs::read_to_string(&path).expect("fixtures are UTF-8");

        let before = lint_source(&src, &settings);
        let fixed = fix_source(&src, &settings, Applicability::Unsafe);
        assert!(fixed.converged, "{name}: {:?}", fixed.error);
        assert!(fixed.error.is_none(), "{name}: {:?}", fixed.error);
        assert!(
            fixed.remaining.syntax_errors <= before.syntax_errors,
            "{name}: fixing added a syntax error"
        );
        assert_eq!(
            fixed.text.starts_with('\u{feff}'),
            src.starts_with('\u{feff}'),
            "{name}: BOM"
        );
        assert_eq!(line_ending(&fixed.text), line_ending(&src), "{name}");
        assert_eq!(
            fixed.text.ends_with('\n'),
            src.ends_with('\n'),
            "{name}: final newline"
        );
        let again = fix_source(&fixed.text, &settings, Applicability::Unsafe);
        assert_eq!(again.text, fixed.text, "{name}: a second --fix changed it");

        let stem = name.trim_end_matches(".Dockerfile").to_string();
        insta::assert_snapshot!(format!("fixture-{stem}"), report(&name, &src, &settings));
    }
}
