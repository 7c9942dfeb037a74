//! Properties of lint + fix on arbitrary Dockerfile-like text: never panics, fixing converges,
//! adds no syntax error, a second run changes nothing, every fix has a title and stays within its
//! rule's declared fix kind, and every span fits the text.

use proptest::prelude::*;
use whittle::fix::Applicability;
use whittle::lint::{Settings, fix_source, lint_source};
use whittle::rules::find_rule;

/// Lines that exercise the parser and the rules: valid and broken instructions, continuations
/// (with blank lines inside), heredocs, directives, pragmas, odd characters.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM alpine:3.20".to_string()),
        Just("FROM alpine AS build".to_string()),
        Just("RUN echo a \\".to_string()),
        Just("  && echo b".to_string()),
        Just("".to_string()),
        Just("   ".to_string()),
        Just("RUNN x".to_string()),
        Just("COPY a".to_string()),
        Just("COPY --own=1 a b".to_string()),
        Just("ENV A=1 B 2".to_string()),
        Just("RUN <<EOF".to_string()),
        Just("EOF".to_string()),
        Just("# escape=`".to_string()),
        Just("# escape=/".to_string()),
        Just("# whittle ignore=WH008".to_string()),
        Just("# hadolint global ignore=DL3008".to_string()),
        Just("LABEL x=\"é😀\"".to_string()),
        Just("CMD [\"a\", 1]".to_string()),
        Just("\\".to_string()),
        "[ -~]{0,12}",
    ]
}

fn dockerfile() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..12),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, bom, final_newline)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            s.push_str(&lines.join(eol));
            if final_newline && !lines.is_empty() {
                s.push_str(eol);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn lint_and_fix_invariants(src in dockerfile()) {
        let settings = Settings::default();
        let linted = lint_source(&src, &settings);
        for d in &linted.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= src.len(), "{d:?}");
            if let Some(fix) = &d.fix {
                prop_assert!(!fix.title.trim().is_empty(), "{d:?}");
                let meta = find_rule(&d.rule_id).expect("registered").meta();
                let max = meta.fix.max_applicability();
                prop_assert!(max.is_some_and(|m| fix.applicability <= m), "{d:?}");
            }
        }
        let out = fix_source(&src, &settings, Applicability::Unsafe);
        prop_assert!(out.converged, "{:?}", out.error);
        prop_assert!(out.remaining.syntax_errors <= linted.syntax_errors);
        // Style survives: a BOM and line endings as they were.
        prop_assert_eq!(out.text.starts_with('\u{feff}'), src.starts_with('\u{feff}'));
        if src.contains("\r\n") {
            prop_assert!(!out.text.replace("\r\n", "").contains('\n'));
        }
        let again = fix_source(&out.text, &settings, Applicability::Unsafe);
        prop_assert_eq!(&again.text, &out.text);
        prop_assert_eq!(again.applied, 0);
    }

    /// Arbitrary text, not only Dockerfile-like lines: linting and fixing never panic and every
    /// diagnostic points inside the text.
    #[test]
    fn arbitrary_text_never_panics(src in "(?s).{0,200}") {
        let settings = Settings::default();
        let linted = lint_source(&src, &settings);
        for d in &linted.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= src.len(), "{d:?}");
            prop_assert!(src.is_char_boundary(d.span.start) && src.is_char_boundary(d.span.end));
        }
        let out = fix_source(&src, &settings, Applicability::Unsafe);
        prop_assert!(out.remaining.syntax_errors <= linted.syntax_errors);
    }
}
