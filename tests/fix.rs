//! The fix engine driven by fake lint closures (plain text "rules"), so that it is tested
//! independently of the Dockerfile parser and the real rules.

use whittle::diagnostic::{Diagnostic, Severity};
use whittle::fix::{
    Applicability, Edit, Fix, FixError, LintResult, MAX_PASSES, apply_once, fix_to_fixpoint,
    unified_diff,
};
use whittle::syntax::Span;

fn diag(rule_id: &'static str, span: Span, fix: Option<Fix>) -> Diagnostic {
    Diagnostic {
        rule_id: rule_id.into(),
        rule_name: "fake".into(),
        severity: Severity::Warning,
        span,
        message: "fake".to_string(),
        fix,
    }
}

/// Every occurrence of the word `foo` is reported, with a safe fix that uppercases it.
fn upper_foo(src: &str) -> Vec<Diagnostic> {
    src.match_indices("foo")
        .map(|(i, m)| {
            let span = Span::new(i, i + m.len());
            diag(
                "T001",
                span,
                Some(Fix::safe(
                    "Uppercase `foo`",
                    vec![Edit::replace(span, "FOO")],
                )),
            )
        })
        .collect()
}

/// Counts unbalanced parentheses as "syntax errors", like a parser would count errors.
fn paren_errors(src: &str) -> usize {
    let open = src.matches('(').count();
    let close = src.matches(')').count();
    open.abs_diff(close)
}

fn lint_with(rules: &[fn(&str) -> Vec<Diagnostic>]) -> impl Fn(&str) -> LintResult + '_ {
    move |src: &str| LintResult {
        diagnostics: rules.iter().flat_map(|r| r(src)).collect(),
        syntax_errors: paren_errors(src),
    }
}

#[test]
fn overlapping_fixes_wait_for_the_next_pass() {
    // Two fixes over the same bytes: the first (by position) wins, the other is skipped.
    let a = Fix::safe("a", vec![Edit::replace(Span::new(0, 4), "AAAA")]);
    let b = Fix::safe("b", vec![Edit::replace(Span::new(2, 6), "BBBB")]);
    let c = Fix::safe("c", vec![Edit::replace(Span::new(6, 7), "C")]);
    let (out, n) = apply_once("0123456789", [&b, &a, &c], Applicability::Safe);
    assert_eq!(out, "AAAA45C789");
    assert_eq!(n, 2);
}

#[test]
fn a_fix_applies_all_its_edits_or_none() {
    // `b` has one edit clear of `a` and one that overlaps it: none of `b` applies.
    let a = Fix::safe("a", vec![Edit::replace(Span::new(2, 4), "xx")]);
    let b = Fix::safe(
        "b",
        vec![
            Edit::replace(Span::new(8, 9), "Z"),
            Edit::replace(Span::new(3, 5), "yy"),
        ],
    );
    let (out, n) = apply_once("0123456789", [&a, &b], Applicability::Safe);
    assert_eq!(out, "01xx456789");
    assert_eq!(n, 1);
}

#[test]
fn identical_fixes_from_two_diagnostics_apply_once() {
    let a = Fix::safe("a", vec![Edit::insert(3, "!")]);
    let (out, n) = apply_once("abcdef", [&a, &a.clone()], Applicability::Safe);
    assert_eq!(out, "abc!def");
    assert_eq!(n, 2);
}

#[test]
fn insert_delete_and_applicability_levels() {
    let ins = Fix::safe("ins", vec![Edit::insert(0, ">")]);
    let del = Fix::unsafe_("del", vec![Edit::delete(Span::new(3, 5))]);
    let show = Fix::display_only("show", vec![Edit::insert(6, "?")]);
    let fixes = [&ins, &del, &show];
    assert_eq!(
        apply_once("abcdef", fixes, Applicability::Safe),
        (">abcdef".to_string(), 1)
    );
    assert_eq!(
        apply_once("abcdef", fixes, Applicability::Unsafe),
        (">abcf".to_string(), 2)
    );
}

#[test]
fn inserted_newlines_follow_crlf_files() {
    let src = "FROM x\r\nRUN foo\r\n";
    let f = Fix::safe(
        "add",
        vec![Edit::insert(src.len(), "USER app\nCMD [\"x\"]\n")],
    );
    let (out, _) = apply_once(src, [&f], Applicability::Safe);
    assert_eq!(out, "FROM x\r\nRUN foo\r\nUSER app\r\nCMD [\"x\"]\r\n");
    // An LF file keeps LF.
    let lf = "FROM x\nRUN foo\n";
    let f = Fix::safe("add", vec![Edit::insert(lf.len(), "USER app\n")]);
    assert_eq!(
        apply_once(lf, [&f], Applicability::Safe).0,
        "FROM x\nRUN foo\nUSER app\n"
    );
}

#[test]
fn a_bom_is_never_edited_and_stays_first() {
    let src = "\u{feff}foo\n";
    // An insertion at the very start goes after the BOM.
    let top = Fix::safe("top", vec![Edit::insert(0, "# syntax\n")]);
    assert_eq!(
        apply_once(src, [&top], Applicability::Safe).0,
        "\u{feff}# syntax\nfoo\n"
    );
    // An edit that would replace the BOM's bytes is refused.
    let eat = Fix::safe("eat", vec![Edit::delete(Span::new(0, 4))]);
    assert_eq!(apply_once(src, [&eat], Applicability::Safe).1, 0);
    // The fixpoint keeps the BOM and the missing final newline.
    let src = "\u{feff}foo bar foo";
    let lint = lint_with(&[upper_foo]);
    let out = fix_to_fixpoint(src, &lint, Applicability::Safe);
    assert_eq!(out.text, "\u{feff}FOO bar FOO");
}

#[test]
fn fixpoint_converges_and_a_second_run_changes_nothing() {
    let lint = lint_with(&[upper_foo]);
    let src = "foo\r\nbar foo\r\nfoofoo";
    let out = fix_to_fixpoint(src, &lint, Applicability::Safe);
    assert_eq!(out.text, "FOO\r\nbar FOO\r\nFOOFOO");
    assert_eq!(out.applied, 4);
    assert!(out.converged);
    assert_eq!(out.passes, 1);
    assert!(out.error.is_none());
    assert!(out.remaining.diagnostics.is_empty());
    let again = fix_to_fixpoint(&out.text, &lint, Applicability::Safe);
    assert_eq!(again.text, out.text);
    assert_eq!((again.applied, again.passes), (0, 0));
}

/// `ab` -> `b`, one fix per occurrence, reported over the whole run of `a`s before a `b`: the
/// fixes of one run overlap, so a run of n `a`s needs n passes.
fn shrink_runs(src: &str) -> Vec<Diagnostic> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    for (i, _) in src.match_indices("ab") {
        let mut start = i;
        while start > 0 && bytes.get(start - 1) == Some(&b'a') {
            start -= 1;
        }
        out.push(diag(
            "T002",
            Span::new(start, i + 2),
            Some(Fix::safe(
                "Drop one `a`",
                vec![Edit::replace(
                    Span::new(start, i + 2),
                    src[start + 1..i + 2].to_string(),
                )],
            )),
        ));
    }
    out
}

#[test]
fn fixpoint_takes_several_passes_for_overlapping_fixes() {
    let lint = lint_with(&[shrink_runs]);
    let out = fix_to_fixpoint("aaab x ab", &lint, Applicability::Safe);
    assert_eq!(out.text, "b x b");
    assert_eq!(out.passes, 3);
    assert!(out.converged);
}

/// Reports `x` with a fix that wraps it in an unbalanced parenthesis.
fn breaks_syntax(src: &str) -> Vec<Diagnostic> {
    src.match_indices('x')
        .map(|(i, _)| {
            let span = Span::new(i, i + 1);
            diag(
                "T003",
                span,
                Some(Fix::safe(
                    "Open a parenthesis",
                    vec![Edit::replace(span, "(x")],
                )),
            )
        })
        .collect()
}

#[test]
fn a_fix_that_adds_a_syntax_error_is_discarded_and_the_others_kept() {
    let lint = lint_with(&[upper_foo, breaks_syntax]);
    let src = "foo x foo\n";
    let out = fix_to_fixpoint(src, &lint, Applicability::Safe);
    assert_eq!(out.text, "FOO x FOO\n");
    assert_eq!(out.applied, 2);
    assert!(out.converged);
    assert_eq!(out.remaining.syntax_errors, 0);
    match out.error {
        Some(FixError::IntroducedSyntaxError { fixes }) => {
            assert_eq!(
                fixes,
                vec![("T003".to_string(), "Open a parenthesis".to_string())]
            );
        }
        other => panic!("expected a discarded fix, got {other:?}"),
    }
}

/// Two rules that undo each other: `on` <-> `off`.
fn flip(src: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, _) in src.match_indices("on") {
        let span = Span::new(i, i + 2);
        out.push(diag(
            "T004",
            span,
            Some(Fix::safe("Turn off", vec![Edit::replace(span, "off")])),
        ));
    }
    for (i, _) in src.match_indices("off") {
        let span = Span::new(i, i + 3);
        out.push(diag(
            "T005",
            span,
            Some(Fix::safe("Turn on", vec![Edit::replace(span, "on")])),
        ));
    }
    out
}

#[test]
fn non_convergence_is_reported_with_the_last_text() {
    let lint = lint_with(&[flip]);
    let out = fix_to_fixpoint("on\n", &lint, Applicability::Safe);
    assert!(!out.converged);
    assert_eq!(out.passes, MAX_PASSES);
    assert_eq!(
        out.error,
        Some(FixError::DidNotConverge { passes: MAX_PASSES })
    );
    // MAX_PASSES is even, so the text flipped back to where it started.
    assert_eq!(out.text, if MAX_PASSES % 2 == 0 { "on\n" } else { "off\n" });
}

/// A rule with an unsafe fix: counted as remaining when only safe fixes apply.
fn unsafe_bar(src: &str) -> Vec<Diagnostic> {
    src.match_indices("bar")
        .map(|(i, _)| {
            let span = Span::new(i, i + 3);
            diag(
                "T006",
                span,
                Some(Fix::unsafe_(
                    "Rename `bar`",
                    vec![Edit::replace(span, "baz")],
                )),
            )
        })
        .collect()
}

#[test]
fn unsafe_fixes_are_counted_but_only_applied_on_request() {
    let lint = lint_with(&[upper_foo, unsafe_bar]);
    let safe = fix_to_fixpoint("foo bar bar", &lint, Applicability::Safe);
    assert_eq!(safe.text, "FOO bar bar");
    assert_eq!((safe.applied, safe.remaining_unsafe), (1, 2));
    let all = fix_to_fixpoint("foo bar bar", &lint, Applicability::Unsafe);
    assert_eq!(all.text, "FOO baz baz");
    assert_eq!((all.applied, all.remaining_unsafe), (3, 0));
}

#[test]
fn unified_diff_of_a_fix() {
    let lint = lint_with(&[upper_foo]);
    let src = "one\ntwo\nthree\nfoo\nfive\nsix\nseven\neight\n";
    let out = fix_to_fixpoint(src, &lint, Applicability::Safe);
    let diff = unified_diff("dir/Dockerfile", src, &out.text);
    assert_eq!(
        diff,
        "--- a/dir/Dockerfile\n+++ b/dir/Dockerfile\n@@ -1,7 +1,7 @@\n one\n two\n three\n-foo\n+FOO\n five\n six\n seven\n"
    );
}

#[test]
fn unified_diff_marks_a_missing_final_newline() {
    let diff = unified_diff("Dockerfile", "a\nfoo", "a\nFOO");
    assert!(diff.contains("-foo\n\\ No newline at end of file\n+FOO\n"));
}
