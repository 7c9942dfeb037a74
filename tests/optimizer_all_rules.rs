//! Every fixture with every rule on, the off-by-default ones included (WH130 runs-as-root and
//! WH402 no-cache-mount add users and mounts on top of the other fixes): fixing converges, adds
//! no syntax error, and a second fix changes nothing.

use std::fs;
use std::path::PathBuf;
use whittle::fix::Applicability;
use whittle::lint::{Settings, fix_source, lint_source};
use whittle::rules::all_rules;

#[test]
fn all_rules_on_every_fixture_converge_and_are_idempotent() {
    let settings = Settings::only(all_rules().iter().map(|r| &r.meta().id));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = 0;
    for entry in fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".Dockerfile") {
            continue;
        }
        let src = fs::read_to_string(&path).expect("UTF-8");
        let before = lint_source(&src, &settings);
        let fixed = fix_source(&src, &settings, Applicability::Unsafe);
        assert!(fixed.converged, "{}: {:?}", path.display(), fixed.error);
        assert!(
            fixed.remaining.syntax_errors <= before.syntax_errors,
            "{}: a syntax error appeared",
            path.display()
        );
        let again = fix_source(&fixed.text, &settings, Applicability::Unsafe);
        assert_eq!(again.text, fixed.text, "{}: not idempotent", path.display());
        seen += 1;
    }
    assert!(seen > 10);
}
