//! Every `tests/fixtures/*.Dockerfile`: an insta snapshot of what the default rules report
//! (line:column, rule, fix applicability, message) and of the whole-file diff that
//! `--fix --unsafe-fixes` makes, plus the fix invariants: it converges, adds no syntax error, a
//! second run changes nothing, and a BOM and the line endings survive.
//!
//! Name fixtures `<ID>-<what>.Dockerfile`. A new fixture needs its snapshot accepted once
//! (`INSTA_UPDATE=always cargo test --test fix_fixtures`, then review `tests/snapshots/`).

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use whittle::diagnostic::Locator;
use whittle::fix::{Applicability, line_ending, unified_diff};
use whittle::lint::{Settings, fix_source, lint_source};

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

/// Diagnostics one per line, then the fix as a diff (with `\r` made visible).
fn report(name: &str, src: &str) -> String {
    let settings = Settings::default();
    let linted = lint_source(src, &settings);
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
    let fixed = fix_source(src, &settings, Applicability::Unsafe);
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
    let settings = Settings::default();
    for path in files {
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
        insta::assert_snapshot!(format!("fixture-{stem}"), report(&name, &src));
    }
}
