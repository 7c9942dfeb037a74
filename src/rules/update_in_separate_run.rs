//! WH232 `update-in-separate-run`: see `rules/WH232.md`.

use super::helpers::run_commands::{RunCommand, layer_commands, whole_lines};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::{Action, Kind};
use crate::syntax::shell::Op;
use crate::syntax::{Dockerfile, InstructionView, Span};

pub struct UpdateInSeparateRun;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH232"),
    name: SharedStr::new("update-in-separate-run"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DS-0017", "CKV_DOCKER_5"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH232.md")),
};

fn is_update(c: &RunCommand<'_>) -> bool {
    c.package()
        .is_some_and(|p| p.action == Action::Update && p.manager.kind == Kind::System)
}

/// A plain shell-form RUN without flags or heredocs.
fn plain_run(file: &Dockerfile, instruction: usize) -> bool {
    file.instructions.get(instruction).is_some_and(|i| {
        matches!(i.view(), InstructionView::Run(_))
            && i.flags.is_empty()
            && i.heredocs.is_empty()
            && !i.json_form
    })
}

impl Rule for UpdateInSeparateRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = layer_commands(sem);
        for run in &sem.run_scripts {
            let Ok(script) = &run.script else { continue };
            let mine: Vec<&RunCommand<'_>> = cmds
                .iter()
                .filter(|c| c.instruction == run.instruction)
                .collect();
            if mine.is_empty()
                || mine.len() != script.cmds.len()
                || !mine.iter().all(|c| is_update(c))
            {
                continue;
            }
            let Some(manager) = mine.first().and_then(|c| c.package()).map(|p| p.manager) else {
                continue;
            };
            // What the next instruction does with the fresh index.
            let next = run.instruction + 1;
            let next_cmds: Vec<&RunCommand<'_>> =
                cmds.iter().filter(|c| c.instruction == next).collect();
            let installs = next_cmds.iter().any(|c| {
                c.package().is_some_and(|p| {
                    p.manager.family == manager.family
                        && matches!(p.action, Action::Install | Action::Upgrade)
                })
            });
            let shown = run.text.trim();
            let builder = cx.report(
                sem.run_scripts
                    .iter()
                    .find(|r| r.instruction == run.instruction)
                    .map_or(Span::empty(0), |r| r.file_span(Span::new(0, r.text.len()))),
                format!(
                    "`{shown}` in a `RUN` of its own: its layer is cached, so a later install uses a stale package index"
                ),
            );
            if !installs || !plain_run(file, run.instruction) || !plain_run(file, next) {
                continue;
            }
            // Prefix the next RUN when its commands are one `&&` chain, so a failing update
            // still stops the build before the install.
            let Some(next_run) = sem.run_script(next) else {
                continue;
            };
            let Ok(next_script) = &next_run.script else {
                continue;
            };
            let next_index = sem
                .run_scripts
                .iter()
                .position(|r| r.instruction == next);
            let chain = next_script.items.len() == 1
                && next_script.cmds.iter().enumerate().all(|(k, c)| {
                    next_index
                        .and_then(|r| sem.flow(r, k))
                        .is_some_and(|f| f.top_level)
                        && matches!(c.op_before.0, Op::Start | Op::And)
                        && matches!(c.op_after.0, Op::End | Op::And)
                });
            let Some(first) = next_script.items.first() else {
                continue;
            };
            let Some(this) = file.instructions.get(run.instruction) else {
                continue;
            };
            if !chain {
                continue;
            }
            let at = next_run.map.to_file(first.span.start);
            builder.safe_fix(
                "Run the update in the `RUN` that installs",
                vec![
                    Edit::delete(whole_lines(file, this.span)),
                    Edit::insert(at, format!("{shown} && ")),
                ],
            );
        }
    }
}
