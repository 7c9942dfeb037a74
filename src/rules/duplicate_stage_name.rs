//! WH201 `duplicate-stage-name`: see `rules/WH201.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};
use std::collections::HashMap;

pub struct DuplicateStageName;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH201"),
    name: SharedStr::new("duplicate-stage-name"),
    category: Category::Correctness,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &[
        "buildkit:DuplicateStageName",
        "DL3024",
        "DS-0012",
        "CKV_DOCKER_11",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH201.md")),
};

impl Rule for DuplicateStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        // Lower-cased name -> line of the first stage with it.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for ins in &file.instructions {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let Some(alias) = &from.alias else {
                continue;
            };
            let name = alias.value.to_lowercase().to_string();
            match seen.get(&name) {
                Some(line) => {
                    cx.report(
                        alias.span,
                        format!("Stage name `{name}` is already used by the stage on line {line}"),
                    );
                }
                None => {
                    seen.insert(name, ins.start_line);
                }
            }
        }
    }
}
