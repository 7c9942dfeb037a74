//! The fix-build suite's shape, without Docker: every case is complete and built on the sandbox's
//! Debian bases, and every rule with a fix is exercised by at least one case, or is listed here
//! with why it cannot be built and the static test that covers it instead.
//! `scripts/fix-builds.sh` (run by `.ci/run`) does the builds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use whittle::cli::context::build_context_for;
use whittle::fix::{Applicability, apply_once};
use whittle::lint::{Settings, lint};
use whittle::rules::{FixKind, all_rules};

const CASES: &str = "tests/fix-builds";

/// Fixes no case here can build, with why and the test that covers them instead.
const NOT_BUILDABLE: &[(&str, &str, &str)] = &[(
    "WH305",
    "`apk` is Alpine's, and no Alpine image can be pulled in the build sandbox",
    "rules/WH305.md examples (tests/rule_docs.rs) and tests/fixtures/WH305-*.Dockerfile (tests/fix_fixtures.rs)",
)];

fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(CASES)
        .expect("tests/fix-builds")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    out.sort();
    out
}

#[test]
fn cases_are_complete_and_on_the_sandbox_bases() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for case in &cases {
        let name = case.display();
        assert!(
            case.join("smoke").is_file() || case.join("expected").is_file(),
            "{name}: a smoke command or an expected output"
        );
        if case.join("repaired-from").is_file() {
            assert!(
                case.join("expected").is_file(),
                "{name}: repaired-from needs expected"
            );
            let v = std::fs::read_to_string(case.join("repaired-from")).expect("read");
            assert!(["fix", "unsafe", "all"].contains(&v.trim()), "{name}: {v}");
        }
        let src = std::fs::read_to_string(case.join("Dockerfile")).expect("read");
        assert!(
            src.starts_with('#'),
            "{name}: the first comment says what the case traps"
        );
        let file = whittle::syntax::parse(&src);
        let sem = whittle::semantic::Semantic::new(&file);
        for stage in &sem.stages {
            if stage.base.stage.is_some() {
                continue;
            }
            let image = stage.base.expanded.as_deref().unwrap_or(&stage.base.raw);
            assert!(
                matches!(
                    image.to_ascii_lowercase().as_str(),
                    "debian:bookworm" | "debian:bookworm-slim"
                ),
                "{name}: FROM {image}: only the sandbox's Debian images can be built"
            );
        }
        if case.join("child").exists() {
            let child = std::fs::read_to_string(case.join("child/Dockerfile")).expect("child");
            assert!(
                child.contains("ARG PARENT") && child.contains("${PARENT}"),
                "{name}"
            );
        }
    }
}

/// The rules whose fixes `--fix` at `level` (with `--select ALL` when `all`) applies to `case`,
/// pass by pass, with the case's build context as the CLI gives it.
fn applied_rules(case: &Path, level: Applicability, all: bool) -> BTreeSet<String> {
    let dockerfile = case.join("Dockerfile");
    let mut text = std::fs::read_to_string(&dockerfile).expect("read");
    let mut settings = if all {
        Settings {
            enabled: Some(
                all_rules()
                    .iter()
                    .map(|r| r.meta().id.to_string())
                    .collect(),
            ),
            ..Settings::default()
        }
    } else {
        Settings::default()
    };
    let mut out = BTreeSet::new();
    for _ in 0..10 {
        let file = whittle::syntax::parse(&text);
        settings.build_context = build_context_for(&dockerfile, &file, &settings).map(Arc::new);
        let diagnostics = lint(&file, &settings);
        let fixes: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applies_at(level)))
            .collect();
        let (next, n) = apply_once(&text, fixes.iter().filter_map(|d| d.fix.as_ref()), level);
        if n == 0 || next == text {
            break;
        }
        out.extend(fixes.iter().map(|d| d.rule_id.to_string()));
        text = next;
    }
    out
}

#[test]
fn every_fix_is_built_by_a_case() {
    let mut exercised: BTreeSet<String> = BTreeSet::new();
    for case in cases() {
        exercised.extend(applied_rules(&case, Applicability::Safe, false));
        exercised.extend(applied_rules(&case, Applicability::Unsafe, false));
        exercised.extend(applied_rules(&case, Applicability::Unsafe, true));
    }
    let mut missing = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        if meta.fix < FixKind::Unsafe {
            continue;
        }
        let excused = NOT_BUILDABLE.iter().any(|(id, _, _)| *id == &*meta.id);
        if excused {
            assert!(
                !exercised.contains(&*meta.id),
                "{} is built by a case now: take it off NOT_BUILDABLE",
                meta.id
            );
        } else if !exercised.contains(&*meta.id) {
            missing.push(meta.id.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "fixes no case in {CASES} applies (add a case, or a reason to NOT_BUILDABLE): {missing:?}"
    );
    for (id, why, instead) in NOT_BUILDABLE {
        assert!(!why.is_empty() && !instead.is_empty(), "{id}");
    }
}
