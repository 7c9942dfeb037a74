//! WH003 `invalid-flag`: see `rules/WH003.md`.

use super::helpers::syntax_errors::{owner, without_buildkit_suggestion};
use crate::syntax::suggest::unambiguous_typo;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{
    Dockerfile, Flag, Instruction, InstructionView, Keyword, SyntaxErrorKind, flag_names,
};

pub struct InvalidFlag;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH003"),
    name: SharedStr::new("invalid-flag"),
    category: Category::Syntax,
    severity: Severity::Error,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH003.md")),
};

impl Rule for InvalidFlag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for d in &file.diagnostics {
            if owner(d.kind) != META.id {
                continue;
            }
            let found = (d.kind == SyntaxErrorKind::UnknownFlag)
                .then(|| flag_at(&file.instructions, d.span.start))
                .flatten();
            let Some((inst, flag)) = found else {
                cx.report(d.span, d.message.clone());
                continue;
            };
            let allowed: Vec<&str> = flag_names(&inst.keyword).collect();
            if let Some(suggestion) = unambiguous_typo(&flag.name, &allowed) {
                cx.report(
                    d.span,
                    format!(
                        "{} (did you mean `--{suggestion}`?)",
                        without_buildkit_suggestion(&d.message)
                    ),
                )
                .unsafe_fix(
                    format!("Replace `--{}` with `--{suggestion}`", flag.name),
                    vec![Edit::replace(flag.name_span, suggestion)],
                );
                continue;
            }
            // A flag of another instruction: say whose.
            let keyword = inst.keyword.as_str().to_ascii_uppercase();
            let owners: Vec<&str> = Keyword::NAMES
                .into_iter()
                .filter(|k| flag_names(&Keyword::from_word(k)).any(|f| f == flag.name))
                .collect();
            let message = if owners.is_empty() {
                d.message.clone()
            } else {
                let list: Vec<String> = owners.iter().map(|k| format!("`{k}`")).collect();
                format!(
                    "{} (`--{}` is a flag of {}, not of `{keyword}`)",
                    d.message,
                    flag.name,
                    list.join(" and ")
                )
            };
            cx.report(d.span, message);
        }
    }
}

/// The instruction (an ONBUILD trigger included) and its flag that starts at or contains `at`.
fn flag_at(instructions: &[Instruction], at: usize) -> Option<(&Instruction, &Flag)> {
    for inst in instructions {
        if let Some(f) = inst
            .flags
            .iter()
            .find(|f| f.span.start <= at && at < f.span.end.max(f.span.start + 1))
        {
            return Some((inst, f));
        }
        if let (Keyword::Onbuild, InstructionView::Onbuild(view)) = (&inst.keyword, inst.view())
            && let Some(inner) = &view.inner
            && let Some(found) = flag_at(std::slice::from_ref(inner.as_ref()), at)
        {
            return Some(found);
        }
    }
    None
}
