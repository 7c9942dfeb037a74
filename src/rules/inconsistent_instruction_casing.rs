//! WH503 `inconsistent-instruction-casing`: see `rules/WH503.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, Keyword};

pub struct InconsistentInstructionCasing;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH503"),
    name: SharedStr::new("inconsistent-instruction-casing"),
    category: Category::Style,
    severity: Severity::Style,
    fix: FixKind::Safe,
    aliases: &["buildkit:ConsistentInstructionCasing"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH503.md")),
};

impl Rule for InconsistentInstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        // As BuildKit: the instructions from the first FROM on (global ARGs are not counted).
        let Some(first_from) = file
            .instructions
            .iter()
            .position(|i| i.keyword == Keyword::From)
        else {
            return;
        };
        let staged = || {
            file.instructions[first_from..]
                .iter()
                .filter(|i| !i.keyword.is_unknown())
        };
        let (mut lower, mut upper) = (0usize, 0usize);
        for ins in staged() {
            let word = file.text(ins.keyword_span);
            if word == word.to_lowercase() {
                lower += 1;
            } else if word == word.to_uppercase() {
                upper += 1;
            }
        }
        // A tie goes to upper case.
        let majority_lower = lower > upper;
        for ins in staged() {
            let word = file.text(ins.keyword_span);
            let wanted = if majority_lower {
                word.to_lowercase()
            } else {
                word.to_uppercase()
            };
            if word == wanted {
                continue;
            }
            let case = if majority_lower { "lower" } else { "upper" };
            cx.report(
                ins.keyword_span,
                format!("`{word}` should be {case} case like most instructions in this file"),
            )
            .safe_fix(
                format!("Write `{wanted}`"),
                vec![Edit::replace(ins.keyword_span, wanted.clone())],
            );
        }
    }
}
