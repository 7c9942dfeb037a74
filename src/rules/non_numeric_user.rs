//! WH119 `non-numeric-user`: see `rules/WH119.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct NonNumericUser;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH119"),
    name: SharedStr::new("non-numeric-user"),
    category: Category::Security,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3066"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH119.md")),
};

impl Rule for NonNumericUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let Some(last) = sem.stages.last() else {
            return;
        };
        // The USER the image runs as: the last one of the final stage's chain.
        let Some((i, word)) = file
            .instructions
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                sem.states
                    .get(*i)
                    .and_then(|s| s.stage)
                    .is_some_and(|s| s == last.index)
            })
            .filter_map(|(i, ins)| match ins.view() {
                InstructionView::User(v) => v.value.as_ref().map(|w| (i, w)),
                _ => None,
            })
            .next_back()
        else {
            return;
        };
        let expanded = sem.expand(file, &word.value, i);
        if expanded.error.is_some() || !expanded.unresolved.is_empty() {
            return;
        }
        let user = expanded.value.split(':').next().unwrap_or_default();
        if user.is_empty() || user.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        cx.report(
            word.span,
            format!("`USER {}` is a name: Kubernetes' `runAsNonRoot` cannot verify a name is not root; use the numeric UID", expanded.value),
        );
    }
}
