//! WH507 `redundant-target-platform`: see `rules/WH507.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::words::{expand_with, var_refs};
use crate::syntax::{Dockerfile, InstructionView};

pub struct RedundantTargetPlatform;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH507"),
    name: SharedStr::new("redundant-target-platform"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["buildkit:RedundantTargetPlatform", "DL3065"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH507.md")),
};

impl Rule for RedundantTargetPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        // Any value stands for the target platform: what matters is that the flag is exactly it.
        const MARKER: &str = "target/platform";
        for ins in &file.instructions {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let Some(flag) = &from.platform else {
                continue;
            };
            let Some(value) = &flag.value else {
                continue;
            };
            let refs = var_refs(value, file.escape);
            if refs.is_empty() || refs.iter().any(|r| r.name != "TARGETPLATFORM") {
                continue;
            }
            let scope = |name: &str| (name == "TARGETPLATFORM").then(|| MARKER.to_string());
            let expanded = expand_with(value, file.escape, &scope);
            if expanded.error.is_none() && expanded.value == MARKER {
                cx.report(
                    flag.span,
                    format!("`--platform={value}` is redundant: stages build for the target platform by default"),
                );
            }
        }
    }
}
