//! WH207 `multiple-cmd-entrypoint-healthcheck`: see `rules/WH207.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, Keyword};

pub struct MultipleCmdEntrypointHealthcheck;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH207"),
    name: SharedStr::new("multiple-cmd-entrypoint-healthcheck"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[
        "buildkit:MultipleInstructionsDisallowed",
        "DL4003",
        "DL4004",
        "DL3012",
        "DS-0007",
        "DS-0016",
        "DS-0023",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH207.md")),
};

impl Rule for MultipleCmdEntrypointHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for stage in &semantic.stages {
            // The last CMD, ENTRYPOINT and HEALTHCHECK seen in this stage.
            let mut last: [Option<usize>; 3] = [None; 3];
            for i in stage.body.clone() {
                let Some(ins) = file.instructions.get(i) else {
                    continue;
                };
                let slot = match ins.keyword {
                    Keyword::Cmd => 0,
                    Keyword::Entrypoint => 1,
                    Keyword::Healthcheck => 2,
                    _ => continue,
                };
                if let Some(previous) = last[slot].and_then(|p| file.instructions.get(p)) {
                    let name = ins.keyword.as_str();
                    cx.report(
                        previous.span,
                        format!(
                            "This `{name}` has no effect: the `{name}` on line {} overrides it",
                            ins.start_line
                        ),
                    );
                }
                last[slot] = Some(i);
            }
        }
    }
}
