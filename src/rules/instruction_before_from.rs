//! WH005 `instruction-before-from`: see `rules/WH005.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, SyntaxErrorKind};

pub struct InstructionBeforeFrom;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH005"),
    name: SharedStr::new("instruction-before-from"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3061"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH005.md")),
};

impl Rule for InstructionBeforeFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for d in &file.diagnostics {
            if d.kind != SyntaxErrorKind::InstructionBeforeFrom {
                continue;
            }
            // BuildKit says "no build stage in current context"; name the instruction instead.
            let keyword = file
                .instructions
                .iter()
                .find(|i| {
                    i.span.start <= d.span.start && d.span.start < i.span.end.max(i.span.start + 1)
                })
                .map(|i| i.keyword.as_str().to_ascii_uppercase());
            let message = match keyword {
                Some(k) => format!("`{k}` before the first `FROM` (only `ARG` may come first)"),
                None => d.message.clone(),
            };
            cx.report(d.span, message);
        }
    }
}
