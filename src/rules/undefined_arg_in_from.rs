//! WH203 `undefined-arg-in-from`: see `rules/WH203.md`.

use super::helpers::sub_span::sub_span;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::suggest::closest;
use crate::syntax::words::var_refs;
use crate::syntax::{Dockerfile, InstructionView, Span};

pub struct UndefinedArgInFrom;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH203"),
    name: SharedStr::new("undefined-arg-in-from"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["buildkit:UndefinedArgInFrom"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH203.md")),
};

/// Build arguments BuildKit defines for `FROM` lines without a declaration
/// (`dockerfile2llb.defaultArgs`).
pub const FROM_PREDEFINED_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        // Every ARG before the first FROM is visible in every FROM, with or without a default.
        let mut known: Vec<&str> = semantic
            .global_args
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        known.extend(FROM_PREDEFINED_ARGS);
        for ins in &file.instructions {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let mut words: Vec<(Span, &str)> = vec![(from.image.span, &from.image.value)];
            if let Some(platform) = &from.platform
                && let (Some(value), Some(span)) = (&platform.value, platform.value_span)
            {
                words.push((span, value));
            }
            let mut reported: Vec<String> = Vec::new();
            for (span, value) in words {
                for r in var_refs(value, file.escape) {
                    if known.contains(&r.name.as_str()) || reported.contains(&r.name) {
                        continue;
                    }
                    let mut message = format!(
                        "`{}` is not declared by an `ARG` before the first `FROM`",
                        r.name
                    );
                    if let Some(s) = closest(&r.name, known.iter().copied()) {
                        message.push_str(&format!(" (did you mean `{s}`?)"));
                    }
                    cx.report(sub_span(file, span, value, r.span), message);
                    reported.push(r.name);
                }
            }
        }
    }
}
