//! Running the rules over one parsed file: every enabled rule, then inline suppressions, then a
//! stable order. Also the library entry points that go from text to diagnostics and to fixed
//! text ([`lint_source`], [`fix_source`]).

use crate::build_context::BuildContext;
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, FixOutcome, LintResult, fix_to_fixpoint};
use crate::rules::invalid_suppression::{self, invalid_suppressions};
use crate::rules::unused_suppression::{self, unused_suppressions};
use crate::rules::{Context, Rule, all_rules};
use crate::suppress::{Comment, Suppressions};
use crate::syntax::{self, Dockerfile, TokenKind};
use std::cell::OnceCell;

pub use crate::settings::Settings;

/// The result of linting one file, with what the suppressions did.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Reported diagnostics, sorted by span, then rule ID.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics hidden by inline suppressions.
    pub suppressed: usize,
    /// The file's pragmas, with which codes were used.
    pub suppressions: Suppressions,
}

/// Every enabled rule's diagnostics for `file`, without the suppressed ones, sorted by span.
pub fn lint(file: &Dockerfile, settings: &Settings) -> Vec<Diagnostic> {
    lint_report(file, settings).diagnostics
}

/// The rules `settings` turns on, in registry order. Deciding costs two set lookups per rule:
/// a caller that lints many files with the same settings decides once and calls
/// [`lint_report_with`] (in a 6,000-file run the lookups were 4% of the work).
pub fn selected_rules(settings: &Settings) -> Vec<&'static dyn Rule> {
    all_rules()
        .iter()
        .copied()
        .filter(|r| settings.is_enabled(r.meta()))
        .collect()
}

/// [`lint`] with the suppression details.
pub fn lint_report(file: &Dockerfile, settings: &Settings) -> LintReport {
    lint_report_with(file, settings, &selected_rules(settings), None)
}

/// [`lint_report`] running `rules`, which must be [`selected_rules`] of `settings`, with
/// `build_context` (when given) in place of the settings' own: a caller linting many files
/// decides the rules once per configuration, and gives each file its context without copying
/// the settings.
pub fn lint_report_with(
    file: &Dockerfile,
    settings: &Settings,
    rules: &[&'static dyn Rule],
    build_context: Option<&BuildContext>,
) -> LintReport {
    let suppressions = if settings.ignore_inline_pragmas {
        check_directive_only(file)
    } else {
        suppressions_of(file)
    };
    let semantic = OnceCell::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut suppressed = 0;
    for rule in rules {
        let meta = rule.meta();
        let first_new = diagnostics.len();
        let mut cx = Context::new(file, &semantic, meta, settings, &mut diagnostics);
        if let Some(bc) = build_context {
            cx = cx.with_build_context(bc);
        }
        rule.check(file, &mut cx);
        if !suppressions.is_empty() {
            // Filter this rule's new diagnostics while its names are at hand.
            let mut i = first_new;
            while i < diagnostics.len() {
                if suppressions.is_suppressed(meta, diagnostics[i].span) {
                    diagnostics.swap_remove(i);
                    suppressed += 1;
                } else {
                    i += 1;
                }
            }
        }
    }
    if settings.is_enabled(&unused_suppression::META) {
        let unused = unused_suppressions(file, &suppressions, settings);
        diagnostics.extend(
            unused
                .into_iter()
                .filter(|d| !suppressions.is_suppressed(&unused_suppression::META, d.span)),
        );
    }
    if settings.is_enabled(&invalid_suppression::META) && !settings.ignore_inline_pragmas {
        let invalid = invalid_suppressions(file, &suppressions, rules, settings);
        diagnostics.extend(
            invalid
                .into_iter()
                .filter(|d| !suppressions.is_suppressed(&invalid_suppression::META, d.span)),
        );
    }
    // A total order (message last), so the output never depends on how rules pushed.
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule_id, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            &b.rule_id,
            &b.message,
        ))
    });
    LintReport {
        diagnostics,
        suppressed,
        suppressions,
    }
}

/// The inline pragmas of a file: every comment line, applied to the instruction after it, and
/// BuildKit's `check` directive.
pub fn suppressions_of(file: &Dockerfile) -> Suppressions {
    let src = file.source();
    let mut next = file.instructions.iter().peekable();
    let comments = file
        .tokens()
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| {
            while next.peek().is_some_and(|i| i.span.start < t.span.end) {
                next.next();
            }
            Comment {
                text: t.span.text(src),
                span: t.span,
                next_instruction: next.peek().map(|i| i.span),
            }
        });
    let mut s = Suppressions::from_comments(comments);
    if let Some(check) = &file.directives.check {
        s.add_check_directive(&check.value, check.span);
    }
    s
}

/// Only BuildKit's `check` directive, for [`Settings::ignore_inline_pragmas`].
fn check_directive_only(file: &Dockerfile) -> Suppressions {
    let mut s = Suppressions::from_comments(std::iter::empty());
    if let Some(check) = &file.directives.check {
        s.add_check_directive(&check.value, check.span);
    }
    s
}

/// Parse errors that make BuildKit reject the file (warnings excluded): what a fix must never
/// add.
pub fn syntax_error_count(file: &Dockerfile) -> usize {
    file.diagnostics
        .iter()
        .filter(|d| !d.kind.is_warning())
        .count()
}

/// Parse and lint a text: what the fix loop re-runs after each pass.
pub fn lint_source(src: &str, settings: &Settings) -> LintResult {
    let file = syntax::parse(src);
    LintResult {
        diagnostics: lint(&file, settings),
        syntax_errors: syntax_error_count(&file),
    }
}

/// Apply the fixes at `level` (safe, or safe and unsafe) to a fixpoint.
pub fn fix_source(src: &str, settings: &Settings, level: Applicability) -> FixOutcome {
    fix_to_fixpoint(src, &|text| lint_source(text, settings), level)
}
