//! Fixes: edits on the original text, applied in passes to a fixpoint, and the unified diff of the
//! result.
//!
//! A rule describes a fix as byte edits on the text it linted ([`Edit`]), never as a re-print of
//! the syntax tree, so comments, indentation, line endings, a BOM and a missing final newline
//! survive untouched unless an edit targets them. [`apply_once`] applies the non-overlapping fixes
//! of one lint run; [`fix_to_fixpoint`] re-lints and repeats until nothing is left to fix.

pub use crate::diagnostic::{Applicability, Edit, Fix};

use crate::diagnostic::Diagnostic;
use crate::syntax::Span;
use std::collections::HashSet;
use std::fmt;

/// At most this many lint-and-fix passes; a file that still has fixes after them did not
/// converge (a rule bug: two fixes undoing each other, or a fix that does not remove its cause).
pub const MAX_PASSES: usize = 10;

const BOM: &str = "\u{feff}";

/// The line ending a file uses, judged by its first line break (no line break: LF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub const fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

pub fn line_ending(src: &str) -> LineEnding {
    match src.find('\n') {
        Some(i) if i > 0 && src.as_bytes().get(i - 1) == Some(&b'\r') => LineEnding::CrLf,
        _ => LineEnding::Lf,
    }
}

/// `text` with every bare `\n` turned into `ending` (an existing `\r\n` stays as it is).
fn with_line_ending(text: &str, ending: LineEnding) -> String {
    if ending == LineEnding::Lf || !text.contains('\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A fix's edits sorted and checked against `src`: within bounds, on character boundaries,
/// not overlapping each other, and not touching a BOM (an insertion at offset 0 of a file with a
/// BOM goes after it). `None` when the fix cannot be applied as a whole.
fn normalized_edits(src: &str, fix: &Fix, ending: LineEnding) -> Option<Vec<Edit>> {
    if fix.edits.is_empty() {
        return None;
    }
    let bom_len = if src.starts_with(BOM) { BOM.len() } else { 0 };
    let mut edits = Vec::with_capacity(fix.edits.len());
    for e in &fix.edits {
        let mut span = e.span;
        if span.start > span.end
            || span.end > src.len()
            || !src.is_char_boundary(span.start)
            || !src.is_char_boundary(span.end)
        {
            return None;
        }
        if bom_len > 0 && span.start < bom_len {
            if span == Span::empty(0) {
                span = Span::empty(bom_len);
            } else {
                return None;
            }
        }
        edits.push(Edit {
            span,
            text: with_line_ending(&e.text, ending),
        });
    }
    // Stable: insertions at one point keep the order the rule gave them.
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in edits.windows(2) {
        if let [a, b] = pair
            && overlaps(a.span, b.span)
            && !(a.span.is_empty() && b.span.is_empty())
        {
            return None;
        }
    }
    Some(edits)
}

/// Why a fix cannot be applied to `src` as a whole, when it cannot: its edits overlap each
/// other (a rule bug), one lies outside the text or inside a character, it touches a BOM, or
/// it has no edits. `None` when [`apply_once`] can apply it (alone).
pub fn invalid_edits(src: &str, fix: &Fix) -> Option<&'static str> {
    if fix.edits.is_empty() {
        return Some("it has no edits");
    }
    let bom_len = if src.starts_with(BOM) { BOM.len() } else { 0 };
    for e in &fix.edits {
        let span = e.span;
        if span.start > span.end
            || span.end > src.len()
            || !src.is_char_boundary(span.start)
            || !src.is_char_boundary(span.end)
        {
            return Some("an edit lies outside the file or inside a character");
        }
        if bom_len > 0 && span.start < bom_len && span != Span::empty(0) {
            return Some("an edit touches the byte-order mark");
        }
    }
    normalized_edits(src, fix, line_ending(src))
        .is_none()
        .then_some("its edits overlap each other")
}

/// A fix's edits as `--fix` applies them to `src`: sorted, `\n` in the new text turned into the
/// file's line ending, an insertion at the start of a file with a BOM moved after it. `None` when
/// the fix cannot apply (an edit out of bounds, inside a character, overlapping another).
pub fn edits_as_applied(src: &str, fix: &Fix) -> Option<Vec<Edit>> {
    normalized_edits(src, fix, line_ending(src))
}

/// Two edit spans conflict when they share a byte, or an insertion falls strictly inside a
/// replaced range. Touching ranges do not conflict. Two insertions at one point conflict (their
/// order would be arbitrary); within one fix that is checked separately.
fn overlaps(a: Span, b: Span) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Apply, in order of their first edit, every fix at or above `min` that does not overlap a fix
/// already applied in this pass (a skipped fix is retried after the next lint). All edits of a
/// fix apply or none does. Identical fixes (two diagnostics, one remedy) apply once and count
/// for both. Returns the new text and the number of fixes applied.
pub fn apply_once<'a>(
    src: &str,
    fixes: impl IntoIterator<Item = &'a Fix>,
    min: Applicability,
) -> (String, usize) {
    let ending = line_ending(src);
    let mut candidates: Vec<(&Fix, Vec<Edit>)> = fixes
        .into_iter()
        .filter(|f| f.applies_at(min))
        .filter_map(|f| normalized_edits(src, f, ending).map(|e| (f, e)))
        .collect();
    candidates.sort_by_key(|(_, edits)| {
        edits
            .first()
            .map(|e| (e.span.start, e.span.end))
            .unwrap_or((0, 0))
    });

    let mut accepted: Vec<Edit> = Vec::new();
    let mut seen: HashSet<&[Edit]> = HashSet::new();
    let mut applied = 0;
    for (_, edits) in &candidates {
        if seen.contains(edits.as_slice()) {
            applied += 1;
            continue;
        }
        let conflicts = edits
            .iter()
            .any(|e| accepted.iter().any(|a| overlaps(a.span, e.span)));
        if conflicts {
            continue;
        }
        accepted.extend(edits.iter().cloned());
        seen.insert(edits.as_slice());
        applied += 1;
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));

    let mut out = String::with_capacity(src.len() + 64);
    let mut at = 0;
    for e in &accepted {
        // Checked by normalized_edits; `get` keeps a logic slip from panicking.
        out.push_str(src.get(at..e.span.start).unwrap_or(""));
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(src.get(at..).unwrap_or(""));
    (out, applied)
}

/// What one lint run says about a text, as the fix loop needs it.
#[derive(Debug, Clone, Default)]
pub struct LintResult {
    pub diagnostics: Vec<Diagnostic>,
    /// Syntax errors the parser found, counted whether or not their rules are enabled or
    /// suppressed: a fix must never add one.
    pub syntax_errors: usize,
}

/// Why fixing stopped short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixError {
    /// These fixes (rule id, title) made the file fail to parse; they were not applied.
    IntroducedSyntaxError { fixes: Vec<(String, String)> },
    /// Still fixes to apply after [`MAX_PASSES`] passes; the text is the last pass's.
    DidNotConverge { passes: usize },
}

impl fmt::Display for FixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixError::IntroducedSyntaxError { fixes } => {
                write!(f, "discarded fixes that introduced a syntax error: ")?;
                for (i, (rule, title)) in fixes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{rule} ({title})")?;
                }
                Ok(())
            }
            FixError::DidNotConverge { passes } => write!(
                f,
                "fixes did not converge after {passes} passes (a bug in whittle; please report it)"
            ),
        }
    }
}

/// A fix that applies at the level used but is still there at the end, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unapplied {
    pub rule: String,
    pub title: String,
    /// The diagnostic's span in the final text.
    pub span: Span,
    pub reason: String,
}

/// The result of [`fix_to_fixpoint`].
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (the input when nothing applied).
    pub text: String,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// Diagnostics of the final text whose fix would apply with `--unsafe-fixes` but not at the
    /// level used.
    pub remaining_unsafe: usize,
    /// Passes that changed the text.
    pub passes: usize,
    /// False when fixes were still being produced after [`MAX_PASSES`].
    pub converged: bool,
    /// The first problem met, if any (a discarded fix, non-convergence).
    pub error: Option<FixError>,
    /// The lint of the final text: what is left to report.
    pub remaining: LintResult,
    /// Fixes of the final text that apply at the level used but were not applied, with why:
    /// nothing is dropped without a word.
    pub unapplied: Vec<Unapplied>,
}

impl FixOutcome {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// A fix's identity independent of where it sits (offsets shift between passes): the rule, the
/// title and each edit's replaced text and new text.
fn fix_identity(src: &str, d: &Diagnostic, fix: &Fix) -> String {
    let mut key = format!("{}\u{0}{}", d.rule_id, fix.title);
    for e in &fix.edits {
        key.push('\u{0}');
        key.push_str(e.span.text(src));
        key.push('\u{1}');
        key.push_str(&e.text);
    }
    key
}

/// Lint, apply the fixes at `level`, re-lint, and repeat until no fix applies (at most
/// [`MAX_PASSES`] passes). A pass that increases the number of syntax errors is discarded; its
/// fixes are then tried one at a time and those that break the file are dropped for good.
pub fn fix_to_fixpoint(
    src: &str,
    lint: &dyn Fn(&str) -> LintResult,
    level: Applicability,
) -> FixOutcome {
    let mut text = src.to_string();
    let mut current = lint(&text);
    let mut applied = 0;
    let mut passes = 0;
    let mut converged = false;
    let mut rejected: HashSet<String> = HashSet::new();
    let mut rejected_named: Vec<(String, String)> = Vec::new();

    // Passes that only reject fixes do not count, but still end: each rejects at least one.
    let mut rounds = 0;
    while rounds <= 2 * MAX_PASSES + 1 {
        rounds += 1;
        let fixes: Vec<(&Diagnostic, &Fix)> = current
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref().map(|f| (d, f)))
            .filter(|(_, f)| f.applies_at(level))
            .filter(|(d, f)| !rejected.contains(&fix_identity(&text, d, f)))
            .collect();
        if fixes.is_empty() {
            converged = true;
            break;
        }
        if passes == MAX_PASSES {
            break;
        }
        let (candidate, n) = apply_once(&text, fixes.iter().map(|(_, f)| *f), level);
        if n == 0 || candidate == text {
            // Nothing applicable (bad spans) or only no-op edits: a stable state.
            converged = true;
            break;
        }
        let next = lint(&candidate);
        if next.syntax_errors <= current.syntax_errors {
            text = candidate;
            current = next;
            applied += n;
            passes += 1;
            continue;
        }

        // Find the culprits: try each fix of the pass alone on `text`; drop for good those that
        // break the file, then apply the rest together (or, if they only break in combination,
        // the first of them alone).
        let mut good: Vec<&Fix> = Vec::new();
        for (d, f) in &fixes {
            let (one, n1) = apply_once(&text, [*f], level);
            if n1 == 0 || one == text {
                continue;
            }
            if lint(&one).syntax_errors > current.syntax_errors {
                rejected.insert(fix_identity(&text, d, f));
                rejected_named.push((d.rule_id.to_string(), f.title.clone()));
            } else {
                good.push(f);
            }
        }
        let Some(first) = good.first().copied() else {
            continue;
        };
        let (together, n_together) = apply_once(&text, good.iter().copied(), level);
        let after = lint(&together);
        if n_together > 0 && after.syntax_errors <= current.syntax_errors {
            text = together;
            current = after;
            applied += n_together;
        } else {
            let (alone, _) = apply_once(&text, [first], level);
            current = lint(&alone);
            text = alone;
            applied += 1;
        }
        passes += 1;
    }

    let remaining_unsafe = current
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applies_at(Applicability::Unsafe) && !f.applies_at(level))
        .count();
    let mut unapplied = Vec::new();
    for d in &current.diagnostics {
        let Some(f) = d.fix.as_ref().filter(|f| f.applies_at(level)) else {
            continue;
        };
        let reason = if rejected.contains(&fix_identity(&text, d, f)) {
            "it made the file fail to parse".to_string()
        } else if let Some(why) = invalid_edits(&text, f) {
            format!("{why} (a bug in whittle; please report it)")
        } else if !converged {
            format!("the fixes did not converge after {MAX_PASSES} passes")
        } else {
            "applying it changes nothing (a bug in whittle; please report it)".to_string()
        };
        unapplied.push(Unapplied {
            rule: d.rule_id.to_string(),
            title: f.title.clone(),
            span: d.span,
            reason,
        });
    }
    let error = if !rejected_named.is_empty() {
        Some(FixError::IntroducedSyntaxError {
            fixes: rejected_named,
        })
    } else if !converged {
        Some(FixError::DidNotConverge { passes })
    } else {
        None
    };
    FixOutcome {
        text,
        applied,
        remaining_unsafe,
        passes,
        converged,
        error,
        remaining: current,
        unapplied,
    }
}

/// A git-style unified diff (`--- a/path`, `+++ b/path`, 3 lines of context) from `old` to
/// `new`; empty when they are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    // git-style headers: `a/path`, also for absolute paths (no `a//tmp/x`)
    let path = path.trim_start_matches("./").trim_start_matches('/');
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix::safe(
            "t",
            edits
                .iter()
                .map(|(s, e, t)| Edit::replace(Span::new(*s, *e), *t))
                .collect(),
        )
    }

    #[test]
    fn overlap_rules() {
        assert!(overlaps(Span::new(0, 5), Span::new(4, 6)));
        assert!(!overlaps(Span::new(0, 5), Span::new(5, 6)));
        assert!(overlaps(Span::empty(3), Span::new(0, 5)));
        assert!(!overlaps(Span::empty(5), Span::new(0, 5)));
        assert!(!overlaps(Span::empty(0), Span::new(0, 5)));
        assert!(overlaps(Span::empty(2), Span::empty(2)));
        assert!(!overlaps(Span::empty(2), Span::empty(3)));
    }

    #[test]
    fn edits_in_one_fix_apply_in_offset_order() {
        let f = fix(&[(6, 7, "Y"), (0, 1, "X")]);
        let (out, n) = apply_once("abcdefg", [&f], Applicability::Safe);
        assert_eq!((out.as_str(), n), ("XbcdefY", 1));
    }

    #[test]
    fn a_fix_with_self_overlapping_or_out_of_range_edits_is_skipped() {
        let bad = fix(&[(0, 3, "x"), (2, 4, "y")]);
        let far = fix(&[(0, 1, "x"), (10, 20, "y")]);
        let (out, n) = apply_once("abcdef", [&bad, &far], Applicability::Safe);
        assert_eq!((out.as_str(), n), ("abcdef", 0));
    }

    #[test]
    fn an_edit_inside_a_character_is_skipped() {
        let f = fix(&[(1, 2, "x")]);
        let (out, n) = apply_once("é", [&f], Applicability::Safe);
        assert_eq!((out.as_str(), n), ("é", 0));
    }

    #[test]
    fn line_ending_detection() {
        assert_eq!(line_ending("a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(line_ending("a\nb\r\n"), LineEnding::Lf);
        assert_eq!(line_ending("abc"), LineEnding::Lf);
        assert_eq!(line_ending("\n"), LineEnding::Lf);
        assert_eq!(
            with_line_ending("a\nb\r\nc", LineEnding::CrLf),
            "a\r\nb\r\nc"
        );
    }

    #[test]
    fn applicability_order() {
        assert!(Applicability::DisplayOnly < Applicability::Unsafe);
        assert!(Applicability::Unsafe < Applicability::Safe);
        let f = Fix::unsafe_("t", vec![]);
        assert!(f.applies_at(Applicability::Unsafe));
        assert!(!f.applies_at(Applicability::Safe));
        assert!(!Fix::display_only("t", vec![]).applies_at(Applicability::DisplayOnly));
    }

    /// Two fixes that conflict: the second is applied on the next pass, after the re-lint.
    #[test]
    fn conflicting_fixes_apply_on_the_next_pass() {
        use crate::diagnostic::{Diagnostic, Severity};
        let diag = |rule: &'static str, f: Fix| Diagnostic {
            rule_id: rule.into(),
            rule_name: "demo".into(),
            severity: Severity::Warning,
            span: Span::new(0, 1),
            message: "m".into(),
            fix: Some(f),
        };
        let lint = |text: &str| {
            let mut diagnostics = Vec::new();
            if text.starts_with("ab") {
                diagnostics.push(diag("WH598", fix(&[(0, 2, "xy")])));
            }
            if !text.contains('Z') {
                diagnostics.push(diag("WH599", fix(&[(1, 1, "Z")])));
            }
            LintResult {
                diagnostics,
                syntax_errors: 0,
            }
        };
        let out = fix_to_fixpoint("ab", &lint, Applicability::Safe);
        assert_eq!(out.text, "xZy");
        assert_eq!((out.applied, out.passes), (2, 2));
        assert!(out.unapplied.is_empty() && out.converged);
    }

    /// A fix that cannot be applied is reported with why, never dropped without a word.
    #[test]
    fn unapplied_fixes_are_listed_with_why() {
        use crate::diagnostic::{Diagnostic, Severity};
        let src = "abcdef";
        let lint = |text: &str| {
            let bad = fix(&[(0, 3, "x"), (2, 4, "y")]);
            LintResult {
                diagnostics: vec![Diagnostic {
                    rule_id: "WH599".into(),
                    rule_name: "demo".into(),
                    severity: Severity::Warning,
                    span: Span::new(0, text.len().min(1)),
                    message: "m".into(),
                    fix: Some(bad),
                }],
                syntax_errors: 0,
            }
        };
        let out = fix_to_fixpoint(src, &lint, Applicability::Safe);
        assert_eq!(out.text, src);
        assert_eq!(out.unapplied.len(), 1);
        assert!(
            out.unapplied[0].reason.contains("overlap each other"),
            "{:?}",
            out.unapplied
        );
        assert_eq!(invalid_edits(src, &fix(&[(0, 1, "x")])), None);
        assert!(invalid_edits(src, &fix(&[(5, 9, "x")])).is_some());
    }

    #[test]
    fn diff_has_git_headers_and_is_empty_when_equal() {
        let d = unified_diff("./Dockerfile", "a\nb\n", "a\nc\n");
        assert!(d.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n"));
        assert!(d.contains("-b\n+c\n"));
        assert_eq!(unified_diff("Dockerfile", "x", "x"), "");
    }
}
