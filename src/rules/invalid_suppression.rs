//! WH592 `invalid-suppression`: see `rules/WH592.md`.
//!
//! Like WH590, the work happens in [`crate::lint`] once the pragmas are read:
//! [`invalid_suppressions`] builds the diagnostics; the rule's own `check` does nothing.

use super::unused_suppression::removal;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr, all_rules};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Fix;
use crate::settings::Settings;
use crate::suppress::{PragmaKind, Suppressions};
use crate::syntax::Dockerfile;
use std::collections::BTreeSet;
use std::sync::OnceLock;

pub struct InvalidSuppression;

pub static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH592"),
    name: SharedStr::new("invalid-suppression"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH592.md")),
};

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, _cx: &mut Context<'_>) {}
}

/// hadolint's own check codes (`rules/coverage.yaml` lists every one).
fn hadolint_codes() -> &'static BTreeSet<String> {
    static CODES: OnceLock<BTreeSet<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        include_str!("../../rules/coverage.yaml")
            .match_indices("id: DL")
            .filter_map(|(i, _)| {
                let code = include_str!("../../rules/coverage.yaml").get(i + 4..i + 10)?;
                code[2..]
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| code.to_string())
            })
            .collect()
    })
}

/// Whether `code` in a `# hadolint ignore=` pragma is hadolint's or ShellCheck's own (whittle
/// may not implement it, but hadolint does).
fn is_hadolint_code(code: &str) -> bool {
    let b = code.as_bytes();
    let shellcheck = b.len() == 6
        && b[..2].eq_ignore_ascii_case(b"SC")
        && b[2..].iter().all(u8::is_ascii_digit);
    shellcheck || hadolint_codes().contains(&code.to_ascii_uppercase())
}

/// Diagnostics for the pragma codes that name no rule (`rules`: the rules that run, which may
/// include rules a configuration defines) and for pragmas whittle cannot read.
pub fn invalid_suppressions(
    file: &Dockerfile,
    suppressions: &Suppressions,
    rules: &[&dyn Rule],
    settings: &Settings,
) -> Vec<Diagnostic> {
    let severity = settings.severity_of(&META);
    let known = |code: &str| {
        all_rules()
            .iter()
            .chain(rules.iter())
            .any(|r| r.meta().is_named(code))
    };
    let diagnostic = |span, message: String, fix: Option<Fix>| Diagnostic {
        rule_id: META.id.clone(),
        rule_name: META.name.clone(),
        severity,
        span,
        message,
        fix,
    };
    let mut out = Vec::new();
    for pragma in &suppressions.pragmas {
        let tool = match pragma.kind {
            PragmaKind::Whittle => "whittle",
            PragmaKind::Hadolint => "hadolint",
            PragmaKind::BuildkitCheck => continue,
        };
        for code in &pragma.codes {
            if known(&code.code)
                || (pragma.kind == PragmaKind::Hadolint && is_hadolint_code(&code.code))
            {
                continue;
            }
            out.push(diagnostic(
                code.span,
                format!("`{}` in this `{tool} ignore=` names no rule, so it suppresses nothing", code.code),
                Some(Fix::safe(
                    "Remove the unknown code",
                    vec![removal(file, pragma, code)],
                )),
            ));
        }
    }
    for m in &suppressions.malformed {
        // BuildKit's `check` directive is read (and reported) by BuildKit's own rules.
        if m.message.starts_with("malformed `") {
            out.push(diagnostic(m.span, format!("{}, so it suppresses nothing", m.message), None));
        }
    }
    out
}
