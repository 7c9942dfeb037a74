//! Fuzz the whole pipeline: every rule on, then `--fix --unsafe-fixes`. Linting never panics,
//! every diagnostic and edit span lies within the text on character boundaries, and fixing
//! converges without adding a syntax error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whittle::fix::Applicability;
use whittle::lint::{Settings, fix_source, lint_source};
use whittle::rules::all_rules;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let settings = Settings::only(all_rules().iter().map(|r| &r.meta().id));
    let linted = lint_source(src, &settings);
    for d in &linted.diagnostics {
        let s = d.span;
        assert!(s.start <= s.end && s.end <= src.len(), "{} {s:?}", d.rule_id);
        assert!(src.is_char_boundary(s.start) && src.is_char_boundary(s.end), "{}", d.rule_id);
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(e.span.end <= src.len() && src.is_char_boundary(e.span.start), "{}", d.rule_id);
            }
        }
    }
    let outcome = fix_source(src, &settings, Applicability::Unsafe);
    assert!(outcome.converged, "fixes did not converge: {:?}", outcome.error);
    let after = lint_source(&outcome.text, &settings);
    assert!(after.syntax_errors <= linted.syntax_errors, "a fix added a syntax error");
});
