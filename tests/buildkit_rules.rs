//! Docker's build checks (WH101, WH2xx, WH5xx): every fixture `tests/fixtures/<ID>*.Dockerfile`
//! of these rules is linted with only its rule on.
//!
//! - `agrees_with_buildkit`: the lines reported are the ones BuildKit's own lint code reports for
//!   the same file (its `dockerfile2llb.DockerfileLint`, run on each fixture while writing them),
//!   except where whittle is deliberately more precise; those cases are listed with the reason.
//! - `fixing_converges_and_leaves_nothing_fixable`: the rule's own fixes reach a fixpoint.
//! - `clean_files_stay_clean`: files BuildKit is silent on give no diagnostic of these rules.
//!
//! The snapshots of these fixtures (all default rules, and the fix diff) are in
//! `tests/fix_fixtures.rs`.

use std::fs;
use std::path::PathBuf;
use whittle::fix::Applicability;
use whittle::lint::{Settings, fix_source, lint};
use whittle::syntax::parse;

/// The rules that mirror `docker build --check`.
const RULES: &[&str] = &[
    "WH101", "WH201", "WH202", "WH203", "WH204", "WH205", "WH206", "WH207", "WH208", "WH209",
    "WH210", "WH501", "WH502", "WH503", "WH504", "WH505", "WH506", "WH507", "WH508",
];

/// Fixture -> the 1-based lines its rule reports.
const EXPECTED_LINES: &[(&str, &[usize])] = &[
    ("WH101-secret-in-arg-or-env.Dockerfile", &[4, 5, 5, 6, 7]),
    ("WH201-clean-multistage.Dockerfile", &[]),
    ("WH201-duplicate-stage-name.Dockerfile", &[4, 8]),
    ("WH202-reserved-stage-name.Dockerfile", &[1, 2]),
    ("WH203-misspelt-platform-arg.Dockerfile", &[1]),
    ("WH203-undefined-arg-in-from.Dockerfile", &[4, 5, 8, 11]),
    (
        "WH204-invalid-default-arg-in-from.Dockerfile",
        &[8, 9, 11, 15, 17],
    ),
    // BuildKit: also 34 and 38, and 18 instead of 19 (see DIFFERENCES).
    (
        "WH205-undefined-variable.Dockerfile",
        &[6, 7, 8, 9, 11, 12, 14, 15, 19, 19, 31, 35, 40, 43],
    ),
    ("WH206-relative-workdir.Dockerfile", &[2, 21]),
    (
        "WH207-multiple-cmd-entrypoint-healthcheck.Dockerfile",
        &[2, 4, 5, 9],
    ),
    ("WH208-shell-form-cmd.Dockerfile", &[2, 3, 8, 9, 10]),
    ("WH209-expose-host-mapping.Dockerfile", &[2, 2, 2, 3, 5]),
    ("WH210-constant-from-platform.Dockerfile", &[1, 2, 6]),
    ("WH501-stage-name-casing.Dockerfile", &[1, 4]),
    ("WH502-from-as-casing.Dockerfile", &[1, 2, 3]),
    (
        "WH503-inconsistent-instruction-casing.Dockerfile",
        &[3, 4, 5],
    ),
    ("WH503-lower-case-majority.Dockerfile", &[2]),
    ("WH503-tie-goes-upper.Dockerfile", &[1]),
    ("WH504-backtick-escape.Dockerfile", &[3]),
    ("WH504-maintainer-deprecated.Dockerfile", &[2, 4]),
    ("WH505-crlf-backtick-escape.Dockerfile", &[3, 4, 7, 8]),
    (
        "WH505-legacy-key-value-format.Dockerfile",
        &[2, 3, 4, 7, 8, 9],
    ),
    ("WH505-unquotable-value.Dockerfile", &[2]),
    ("WH506-expose-proto-casing.Dockerfile", &[2, 2, 3, 5]),
    ("WH507-redundant-target-platform.Dockerfile", &[1, 2, 3, 4]),
    // BuildKit: also 12 and 16 (see DIFFERENCES).
    (
        "WH508-invalid-definition-description.Dockerfile",
        &[5, 9, 20, 22],
    ),
];

/// Where whittle differs from BuildKit on purpose (documentation for the table above).
#[allow(dead_code)]
const DIFFERENCES: &[&str] = &[
    "WH205 line 19: a heredoc's variable is reported on its body line; BuildKit points at the COPY (18)",
    "WH205 line 34: `$GOPATH` is set by the golang image (BuildKit knows it from the pulled image)",
    "WH205 line 38: an unknown registry image may set `$SET_BY_THE_IMAGE`: only near misses are reported",
    "WH208 line 24: a Windows base image often sets SHELL in its own config, which silences Docker; unknown here",
    "WH508 line 12: an empty line separates the comment (as Docker's documentation says it should)",
    "WH508 line 16: a `# hadolint ignore=` pragma is not a description",
];

fn fixtures() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for entry in fs::read_dir(&dir).expect("tests/fixtures exists").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".Dockerfile") && RULES.iter().any(|r| name.starts_with(r)) {
            let text = fs::read_to_string(entry.path()).expect("fixture is UTF-8");
            out.push((name, text));
        }
    }
    out.sort();
    out
}

fn rule_of(fixture: &str) -> &str {
    fixture.get(..5).unwrap_or(fixture)
}

fn reported_lines(text: &str, rule: &str) -> Vec<usize> {
    let file = parse(text);
    let mut lines: Vec<usize> = lint(&file, &Settings::only([rule]))
        .iter()
        .filter(|d| d.rule_id == rule)
        .map(|d| file.line_col(d.span.start).line)
        .collect();
    lines.sort_unstable();
    lines
}

#[test]
fn agrees_with_buildkit() {
    let all = fixtures();
    assert!(all.len() >= EXPECTED_LINES.len(), "fixtures are missing");
    let mut errors = Vec::new();
    for (name, text) in &all {
        let Some((_, expected)) = EXPECTED_LINES.iter().find(|(n, _)| n == name) else {
            errors.push(format!("{name}: no expected lines in EXPECTED_LINES"));
            continue;
        };
        let got = reported_lines(text, rule_of(name));
        if got != *expected {
            errors.push(format!("{name}: expected lines {expected:?}, got {got:?}"));
        }
    }
    assert!(errors.is_empty(), "\n{}\n", errors.join("\n"));
}

#[test]
fn fixing_converges_and_leaves_nothing_fixable() {
    for (name, text) in fixtures() {
        let rule = rule_of(&name);
        let settings = Settings::only([rule]);
        let once = fix_source(&text, &settings, Applicability::Unsafe);
        assert!(once.error.is_none(), "{name}: {:?}", once.error);
        let twice = fix_source(&once.text, &settings, Applicability::Unsafe);
        assert_eq!(
            twice.text, once.text,
            "{name}: a second fix pass changed the text"
        );
        let left = lint(&parse(&once.text), &settings);
        assert!(
            left.iter().all(|d| d.fix.is_none()),
            "{name}: fixable diagnostics left after fixing: {left:?}"
        );
    }
}

#[test]
fn clean_files_stay_clean() {
    // Files `docker build --check` is silent on (checked with BuildKit's lint code).
    let clean = fixtures()
        .into_iter()
        .filter(|(name, _)| name.contains("-clean"))
        .collect::<Vec<_>>();
    assert!(!clean.is_empty());
    let settings = Settings::only(RULES.iter().copied());
    for (name, text) in clean {
        let found = lint(&parse(&text), &settings);
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

/// The values BuildKit computes for every ENV and LABEL pair (and the MAINTAINER text), in order:
/// what the WH504 and WH505 fixes must not change.
fn key_values(text: &str) -> Vec<(String, String)> {
    use whittle::syntax::InstructionView;
    use whittle::syntax::words::expand_with;
    let file = parse(text);
    let mut out = Vec::new();
    for ins in &file.instructions {
        match ins.view() {
            InstructionView::Env(kv) | InstructionView::Label(kv) => {
                for pair in &kv.pairs {
                    let key = expand_with(&pair.key, file.escape, &|_| None).value;
                    let value = expand_with(&pair.value, file.escape, &|_| None).value;
                    out.push((key, value));
                }
            }
            InstructionView::Maintainer(v) => {
                let value = v
                    .value
                    .as_ref()
                    .map(|w| w.value.clone())
                    .unwrap_or_default();
                out.push((
                    "org.opencontainers.image.authors".to_string(),
                    value.to_string(),
                ));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn key_value_fixes_keep_every_value() {
    let mut checked = 0;
    for (name, text) in fixtures() {
        let rule = rule_of(&name);
        if rule != "WH504" && rule != "WH505" {
            continue;
        }
        let fixed = fix_source(&text, &Settings::only([rule]), Applicability::Unsafe);
        assert_eq!(key_values(&fixed.text), key_values(&text), "{name}");
        checked += usize::from(fixed.text != text);
    }
    assert!(
        checked >= 2,
        "the WH504 and WH505 fixtures have fixes to check"
    );
}
