//! WH217 `env-self-reference`: see `rules/WH217.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView, words};

pub struct EnvSelfReference;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH217"),
    name: SharedStr::new("env-self-reference"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3044"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH217.md")),
};

impl Rule for EnvSelfReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::Env(env) = ins.view() else {
                continue;
            };
            for (k, pair) in env.pairs.iter().enumerate() {
                // Names set by earlier pairs of the same ENV.
                let earlier: Vec<String> = env.pairs[..k]
                    .iter()
                    .map(|p| words::expand_with(&p.key, file.escape, &|_| None).value)
                    .collect();
                if earlier.is_empty() {
                    continue;
                }
                // The variables this value reads, as BuildKit expands it.
                // (With no values known, every variable read comes back unresolved.)
                let used = words::expand_with(&pair.value, file.escape, &|_| None).unresolved;
                for name in used.iter().filter(|n| earlier.contains(n)) {
                    // `ENV X=$X Y=$X`: the earlier pair keeps X's prior value, so reading it
                    // before or after that pair gives the same text.
                    let keeps_prior = env.pairs[..k].iter().any(|p| {
                        words::expand_with(&p.key, file.escape, &|_| None).value == *name && {
                            let v = p.value.trim_matches(['"', '\'']);
                            v == format!("${name}") || v == format!("${{{name}}}")
                        }
                    });
                    if keeps_prior {
                        continue;
                    }
                    let before = match sem
                        .lookup(name, i)
                        .and_then(|d| d.value.known().map(str::to_string))
                    {
                        Some(v) => format!("its value before this ENV (`{v}`)"),
                        None => "its value before this ENV (unset here)".to_string(),
                    };
                    cx.report(
                        pair.value_span,
                        format!("`${name}` is set earlier in this same `ENV`, but BuildKit expands the whole instruction first: it reads {before}; set it in a separate `ENV`"),
                    );
                }
            }
        }
    }
}
