//! WH591 `inline-ignore-pragma`: see `rules/WH591.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, TokenKind};

pub struct InlineIgnorePragma;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH591"),
    name: SharedStr::new("inline-ignore-pragma"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL1001"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH591.md")),
};

/// Whether a comment is a linter pragma: `# hadolint ignore=...`, `# whittle ignore=...`, and
/// their `global` forms.
fn is_pragma(comment: &str) -> bool {
    let body = comment
        .trim_start_matches('#')
        .trim_start()
        .to_ascii_lowercase();
    ["hadolint ", "whittle "].iter().any(|tool| {
        body.strip_prefix(tool).is_some_and(|rest| {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix("global").map_or(rest, str::trim_start);
            rest.starts_with("ignore=")
        })
    })
}

impl Rule for InlineIgnorePragma {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let src = file.source();
        let spans: Vec<_> = file
            .tokens()
            .iter()
            .filter(|t| t.kind == TokenKind::Comment && is_pragma(t.span.text(src)))
            .map(|t| t.span)
            .collect();
        for span in spans {
            cx.report(
                span,
                "an inline ignore pragma: the exception lives in the Dockerfile instead of the reviewed configuration",
            );
        }
    }
}
