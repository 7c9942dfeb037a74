//! WH003 `invalid-flag`: see `rules/WH003.md`.

use super::helpers::syntax_errors::{did_you_mean, owner, without_buildkit_suggestion};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, Flag, Instruction, InstructionView, Keyword, SyntaxErrorKind};

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

/// The flags each instruction accepts (BuildKit's `instructions/parse.go`), for suggestions.
/// The parser validates with its own table; this one only names alternatives.
const FLAGS: &[(&str, &[&str])] = &[
    ("FROM", &["platform"]),
    (
        "ADD",
        &[
            "chown",
            "chmod",
            "link",
            "keep-git-dir",
            "checksum",
            "unpack",
            "exclude",
        ],
    ),
    (
        "COPY",
        &["chown", "from", "chmod", "link", "exclude", "parents"],
    ),
    ("RUN", &["mount", "network", "security", "device"]),
    (
        "HEALTHCHECK",
        &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
    ),
];

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
            let keyword = inst.keyword.as_str().to_ascii_uppercase();
            let allowed: &[&str] = FLAGS
                .iter()
                .find(|(k, _)| *k == keyword)
                .map_or(&[], |(_, f)| *f);
            if let Some(suggestion) = did_you_mean(&flag.name, allowed) {
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
            let owners: Vec<&str> = FLAGS
                .iter()
                .filter(|(_, f)| f.contains(&flag.name.as_str()))
                .map(|(k, _)| *k)
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
