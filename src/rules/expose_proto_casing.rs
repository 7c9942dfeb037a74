//! WH506 `expose-proto-casing`: see `rules/WH506.md`.

use super::helpers::expose_ports::expose_specs;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, Span};

pub struct ExposeProtoCasing;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH506"),
    name: SharedStr::new("expose-proto-casing"),
    category: Category::Style,
    severity: Severity::Style,
    fix: FixKind::Safe,
    aliases: &["buildkit:ExposeProtoCasing"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH506.md")),
};

impl Rule for ExposeProtoCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for spec in expose_specs(file, semantic) {
            let Some(proto) = &spec.proto else {
                continue;
            };
            let lower = proto.to_lowercase();
            if *proto == lower {
                continue;
            }
            let builder = cx.report(
                spec.span,
                format!(
                    "Protocol `{proto}` of `EXPOSE {}` is not lower case",
                    spec.text
                ),
            );
            if spec.literal {
                // The protocol is the end of the word.
                let at = spec.span.end.saturating_sub(proto.len());
                builder.safe_fix(
                    format!("Write `{lower}`"),
                    vec![Edit::replace(Span::new(at, spec.span.end), lower.clone())],
                );
            }
        }
    }
}
