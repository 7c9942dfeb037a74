//! Inline suppressions end to end, through the library's `lint` on real parses: every pragma form,
//! reasons, scope (next instruction vs whole file), and the unused-suppression rule.

use whittle::lint::{Settings, lint, lint_report};
use whittle::syntax::parse;

fn ids(src: &str, settings: &Settings) -> Vec<String> {
    lint(&parse(src), settings)
        .iter()
        .map(|d| d.rule_id.to_string())
        .collect()
}

const TWO_UNKNOWN: &str = "FROM alpine:3.20\nRUNN a\nRUNN b\n";

#[test]
fn baseline_reports_both() {
    assert_eq!(ids(TWO_UNKNOWN, &Settings::default()), ["WH002", "WH002"]);
}

#[test]
fn next_instruction_pragmas_hide_one_finding() {
    for pragma in [
        "# whittle ignore=WH002",
        "# whittle ignore=unknown-instruction -- vendored file",
        "#whittle ignore = wh002, WH008",
    ] {
        let src = format!("FROM alpine:3.20\n{pragma}\nRUNN a\nRUNN b\n");
        let file = parse(&src);
        let report = lint_report(&file, &Settings::default());
        assert_eq!(report.diagnostics.len(), 1, "{pragma}");
        assert_eq!(report.suppressed, 1, "{pragma}");
        // The one left is the second RUNN.
        let line = file.line_col(report.diagnostics[0].span.start).line;
        assert_eq!(line, 4, "{pragma}");
    }
}

#[test]
fn global_pragmas_hide_the_rule_everywhere() {
    for pragma in [
        "# whittle global ignore=WH002",
        "# whittle global ignore=unknown-instruction -- generated",
    ] {
        let src = format!("FROM alpine:3.20\nRUNN a\n{pragma}\nRUNN b\n");
        assert!(ids(&src, &Settings::default()).is_empty(), "{pragma}");
    }
}

#[test]
fn buildkit_check_skip_directive() {
    let body = "FROM alpine:3.20\nRUN echo a \\\n\n  b\n";
    assert_eq!(ids(body, &Settings::default()), ["WH008"]);
    let skipped = format!("# check=skip=NoEmptyContinuation\n{body}");
    assert!(ids(&skipped, &Settings::default()).is_empty());
    let all = format!("# check=skip=all\n{body}");
    assert!(ids(&all, &Settings::default()).is_empty());
    // `skip=all` is about Docker's checks: a whittle-only rule still reports.
    let unknown = "# check=skip=all\nFROM alpine:3.20\nRUNN a\n";
    assert_eq!(ids(unknown, &Settings::default()), ["WH002"]);
}

#[test]
fn hadolint_pragmas_match_aliases_and_shell_is_recorded() {
    // WH002 has no hadolint alias: a hadolint code does not hide it...
    let src = "FROM alpine:3.20\n# hadolint ignore=DL3008\nRUNN a\n";
    assert_eq!(ids(src, &Settings::default()), ["WH002"]);
    // ...but a hadolint pragma may name whittle rules too.
    let src = "FROM alpine:3.20\n# hadolint ignore=WH002\nRUNN a\n";
    assert!(ids(src, &Settings::default()).is_empty());
    let file = parse("# hadolint shell=bash\nFROM alpine:3.20\nRUN echo\n");
    let report = lint_report(&file, &Settings::default());
    assert_eq!(report.suppressions.shell.as_deref(), Some("bash"));
}

#[test]
fn unused_suppressions_are_reported_when_enabled() {
    let src = "FROM alpine:3.20\n# whittle ignore=WH002,WH008 -- why\nRUNN a\n";
    // Off by default.
    assert!(ids(src, &Settings::default()).is_empty());
    let mut settings = Settings::only(["WH002", "WH008", "WH590"]);
    let file = parse(src);
    let found = lint(&file, &settings);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule_id, "WH590");
    assert_eq!(found[0].span.text(src), "WH008");
    // The fix removes just that code and keeps the reason.
    let fixed = whittle::lint::fix_source(src, &settings, whittle::fix::Applicability::Safe);
    assert_eq!(
        fixed.text,
        "FROM alpine:3.20\n# whittle ignore=WH002 -- why\nRUNN a\n"
    );
    // A disabled rule's code is not "unused": it may matter under another configuration.
    settings = Settings::only(["WH002", "WH590"]);
    assert!(lint(&file, &settings).is_empty());
}
