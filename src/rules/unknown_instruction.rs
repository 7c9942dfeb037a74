//! WH002 `unknown-instruction`: see `rules/WH002.md`.

use super::helpers::syntax_errors::without_buildkit_suggestion;
use crate::syntax::suggest::unambiguous_typo;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, Keyword, SyntaxErrorKind};

pub struct UnknownInstruction;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH002"),
    name: SharedStr::new("unknown-instruction"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH002.md")),
};

impl Rule for UnknownInstruction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for d in &file.diagnostics {
            if d.kind != SyntaxErrorKind::UnknownInstruction {
                continue;
            }
            let written = file.text(d.span);
            let Some(suggestion) = unambiguous_typo(written, &Keyword::NAMES) else {
                cx.report(d.span, d.message.clone());
                continue;
            };
            // Keep the author's casing style: `runn` -> `run`.
            let replacement = if written.chars().any(|c| c.is_ascii_uppercase()) {
                suggestion.to_string()
            } else {
                suggestion.to_ascii_lowercase()
            };
            cx.report(
                d.span,
                format!(
                    "{} (did you mean `{suggestion}`?)",
                    without_buildkit_suggestion(&d.message)
                ),
            )
            .unsafe_fix(
                format!("Replace `{written}` with `{replacement}`"),
                vec![Edit::replace(d.span, replacement)],
            );
        }
    }
}
