//! Running the rules over one parsed file: every enabled rule, then inline suppressions, then a
//! stable order. Also the library entry points that go from text to diagnostics and to fixed
//! text ([`lint_source`], [`fix_source`]).

use crate::build_context::BuildContext;
use crate::custom::CustomRule;
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, FixOutcome, LintResult, fix_to_fixpoint};
use crate::rules::invalid_suppression::{self, invalid_suppressions};
use crate::rules::unused_suppression::{self, unused_suppressions};
use crate::rules::{Context, Rule, all_rules};
use crate::suppress::{Comment, Suppressions};
use crate::syntax::{self, Dockerfile, TokenKind};
use std::cell::OnceCell;
use std::ops::Deref;
use std::sync::Arc;

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

/// A rule to run: a built-in one, or one the configuration defines (shared with the settings
/// that carry it).
#[derive(Debug, Clone)]
pub enum RuleRef {
    Builtin(&'static dyn Rule),
    Custom(Arc<CustomRule>),
}

impl Deref for RuleRef {
    type Target = dyn Rule;
    fn deref(&self) -> &(dyn Rule + 'static) {
        match self {
            RuleRef::Builtin(r) => *r,
            RuleRef::Custom(r) => r.as_ref(),
        }
    }
}

/// Every rule `settings` knows: the built-in ones in ID order, then the configuration's custom
/// rules in the order they are written. The run-time registry: selection, `whittle rules` and
/// `whittle explain` read it.
pub fn registry(settings: &Settings) -> impl Iterator<Item = RuleRef> + '_ {
    all_rules()
        .iter()
        .map(|r| RuleRef::Builtin(*r))
        .chain(settings.custom_rules.iter().cloned().map(RuleRef::Custom))
}

/// The rule with this ID, name or alias among the rules `settings` knows (ASCII case ignored).
pub fn find_rule_in(settings: &Settings, code: &str) -> Option<RuleRef> {
    registry(settings).find(|r| r.meta().is_named(code))
}

/// The rules `settings` turns on, in registry order. Deciding costs two set lookups per rule:
/// a caller that lints many files with the same settings decides once and calls
/// [`lint_report_with`] (in a 6,000-file run the lookups were 4% of the work).
pub fn selected_rules(settings: &Settings) -> Vec<RuleRef> {
    registry(settings)
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
    rules: &[RuleRef],
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
        // Every custom rule is a known code, selected or not (as every built-in one is).
        let custom: Vec<&dyn Rule> = settings
            .custom_rules
            .iter()
            .map(|r| r.as_ref() as &dyn Rule)
            .collect();
        let invalid = invalid_suppressions(file, &suppressions, &custom, settings);
        diagnostics.extend(
            invalid
                .into_iter()
                .filter(|d| !suppressions.is_suppressed(&invalid_suppression::META, d.span)),
        );
    }
    keep_onbuild_fixes_in_script(file, &mut diagnostics);
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

/// A finding in an `ONBUILD RUN` script keeps its fix only when every edit stays inside that
/// script: the text runs the same in the child image. Edits elsewhere (a `SHELL` before the
/// line, a `--mount` flag, a merge with another instruction) would change this image, or the
/// child's, in ways the file does not show: the finding is reported without them.
fn keep_onbuild_fixes_in_script(file: &Dockerfile, diagnostics: &mut [Diagnostic]) {
    let scripts: Vec<(usize, usize)> = file
        .instructions
        .iter()
        .filter(|i| i.keyword == syntax::Keyword::Onbuild)
        .filter_map(|i| match &i.run_view()?.body {
            syntax::CommandBody::Shell(body) => Some((body.map.to_file(0), i.span.end)),
            syntax::CommandBody::Exec(_) => None,
        })
        .collect();
    if scripts.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut() {
        let Some(fix) = &d.fix else { continue };
        let Some(&(start, end)) = scripts
            .iter()
            .find(|(start, end)| *start <= d.span.start && d.span.end <= *end)
        else {
            continue;
        };
        if fix
            .edits
            .iter()
            .any(|e| e.span.start < start || e.span.end > end)
        {
            d.fix = None;
        }
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

/// How a custom rule's `examples:` fared: each `bad` example gives one of its diagnostics or
/// more, each `good` one none, fixing `bad[i]` gives `fixed[i]` byte for byte and that lints
/// clean. Only the rule itself runs. The same contract as a built-in rule's page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleReport {
    pub bad: usize,
    pub good: usize,
    pub fixed: usize,
    /// One line per failed expectation (empty: every example passed).
    pub failures: Vec<String>,
}

/// Run `rule`'s examples (see [`ExampleReport`]).
pub fn check_examples(rule: &Arc<CustomRule>) -> ExampleReport {
    let id = rule.meta.id.clone();
    let settings = Settings {
        enabled: Some([id.to_string()].into()),
        custom_rules: Arc::from([rule.clone()]),
        ..Settings::default()
    };
    let own = |text: &str| -> Vec<Diagnostic> {
        lint(&syntax::parse(text), &settings)
            .into_iter()
            .filter(|d| d.rule_id == id)
            .collect()
    };
    let examples = &rule.examples;
    let mut report = ExampleReport {
        bad: examples.bad.len(),
        good: examples.good.len(),
        fixed: examples.fixed.len(),
        failures: Vec::new(),
    };
    for (i, text) in examples.bad.iter().enumerate() {
        if own(text).is_empty() {
            report
                .failures
                .push(format!("bad example {}: no {id} diagnostic", i + 1));
        }
        let Some(expected) = examples.fixed.get(i) else {
            continue;
        };
        let fixed = fix_source(text, &settings, Applicability::Unsafe);
        if &fixed.text != expected {
            report.failures.push(format!(
                "bad example {}: fixing it gives\n{}\n  but `fixed` says\n{}",
                i + 1,
                indent(&fixed.text),
                indent(expected)
            ));
        } else if let Some(d) = own(expected).first() {
            report.failures.push(format!(
                "fixed example {}: still {id}: {}",
                i + 1,
                d.message
            ));
        }
    }
    for (i, text) in examples.good.iter().enumerate() {
        if let Some(d) = own(text).first() {
            let before = &text[..d.span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            report.failures.push(format!(
                "good example {}: {id} reports at {line}:{column}: {}",
                i + 1,
                d.message
            ));
        }
    }
    report
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
