//! WH501 `stage-name-casing`: see `rules/WH501.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::words::var_refs;
use crate::syntax::{Dockerfile, InstructionView, Span};

pub struct StageNameCasing;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH501"),
    name: SharedStr::new("stage-name-casing"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["buildkit:StageNameCasing"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH501.md")),
};

impl Rule for StageNameCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let Some(alias) = &from.alias else {
                continue;
            };
            let lower = alias.value.to_lowercase();
            if alias.value == lower {
                continue;
            }
            let mut edits = vec![Edit::replace(alias.span, lower.clone())];
            edits.extend(references(file, i, &alias.value));
            cx.report(
                alias.span,
                format!("Stage name `{}` is not lower case", alias.value),
            )
            .safe_fix(format!("Rename the stage `{lower}`"), edits);
        }
    }
}

/// Edits that lower-case the references to stage `name` (defined by instruction `defined_at`):
/// later `FROM name`, and `COPY --from=name` / `RUN --mount=from=name` anywhere (BuildKit
/// resolves those over the whole file).
fn references(file: &Dockerfile, defined_at: usize, name: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut lower_case = |span: Span| {
        let text = file.text(span);
        if text.to_lowercase().contains(&name.to_lowercase()) && text != text.to_lowercase() {
            edits.push(Edit::replace(span, text.to_lowercase()));
        }
    };
    let names_stage =
        |value: &str| value.eq_ignore_ascii_case(name) && var_refs(value, file.escape).is_empty();
    for (i, ins) in file.instructions.iter().enumerate() {
        match ins.view() {
            InstructionView::From(from) if i > defined_at && names_stage(&from.image.value) => {
                lower_case(from.image.span);
            }
            InstructionView::Copy(copy) | InstructionView::Add(copy) => {
                if let Some(flag) = &copy.from
                    && flag.value.as_deref().is_some_and(names_stage)
                    && let Some(span) = flag.value_span
                {
                    lower_case(span);
                }
            }
            InstructionView::Run(run) => {
                for m in &run.mounts {
                    if let Some(field) = m.get(&["from"])
                        && field.value.as_deref().is_some_and(names_stage)
                    {
                        lower_case(field.span);
                    }
                }
            }
            _ => {}
        }
    }
    edits
}
