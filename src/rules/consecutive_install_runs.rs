//! WH403 `consecutive-install-runs`: see `rules/WH403.md`.

use super::helpers::run_commands::{RunCommand, append_to_item, image_stages, layer_commands, whole_lines};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::{Action, Kind};
use crate::syntax::shell::Op;
use crate::syntax::{Dockerfile, InstructionView};

pub struct ConsecutiveInstallRuns;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH403"),
    name: SharedStr::new("consecutive-install-runs"),
    category: Category::BuildCache,
    severity: Severity::Info,
    fix: FixKind::Safe,
    aliases: &["DL3059"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH403.md")),
};

/// The system package manager a RUN does nothing but work with (install, update, clean, `rm` of
/// its lists), as one `&&` chain in a plain shell-form RUN; `None` otherwise.
fn install_only_run<'a>(
    file: &Dockerfile,
    cmds: &'a [RunCommand<'a>],
    instruction: usize,
) -> Option<&'a str> {
    let ins = file.instructions.get(instruction)?;
    if !matches!(ins.view(), InstructionView::Run(_))
        || !ins.flags.is_empty()
        || !ins.heredocs.is_empty()
    {
        return None;
    }
    let mine: Vec<&RunCommand<'_>> = cmds
        .iter()
        .filter(|c| c.instruction == instruction)
        .collect();
    let first = mine.first()?;
    if first.script.items.len() != 1 || first.script.cmds.len() != mine.len() {
        return None;
    }
    let mut manager: Option<&str> = None;
    let mut installs = false;
    for c in &mine {
        if !c.flow.top_level
            || !matches!(c.cmd.op_before.0, Op::Start | Op::And)
            || !matches!(c.cmd.op_after.0, Op::End | Op::And)
        {
            return None;
        }
        if c.name() == Some("rm") {
            continue;
        }
        let p = c.package()?;
        if p.manager.kind != Kind::System {
            return None;
        }
        match p.action {
            Action::Install => installs = true,
            Action::Update | Action::Clean => {}
            _ => return None,
        }
        let family = p.manager.name;
        if manager.is_some_and(|m| m != family) {
            return None;
        }
        manager = Some(family);
    }
    manager.filter(|_| installs)
}

impl Rule for ConsecutiveInstallRuns {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = layer_commands(sem);
        for run in &sem.run_scripts {
            let first = run.instruction;
            let second = first + 1;
            let same_stage = sem.states.get(first).and_then(|s| s.stage)
                == sem.states.get(second).and_then(|s| s.stage);
            let in_image = sem
                .states
                .get(first)
                .and_then(|s| s.stage)
                .is_some_and(|s| stages.contains(&s));
            if !same_stage || !in_image {
                continue;
            }
            let (Some(a), Some(b)) = (
                install_only_run(file, &cmds, first),
                install_only_run(file, &cmds, second),
            ) else {
                continue;
            };
            if a != b {
                continue;
            }
            let Some(next) = sem.run_script(second) else {
                continue;
            };
            let Some(ins) = file.instructions.get(second) else {
                continue;
            };
            // A comment above the second RUN says why it stands apart.
            if !ins.comments.is_empty() {
                continue;
            }
            let builder = cx.report(
                ins.span,
                "This `RUN` only installs packages, like the one before it: one `RUN` makes one layer and one package-manager run",
            );
            let Ok(script) = &run.script else { continue };
            let Some(item) = script.items.len().checked_sub(1) else {
                continue;
            };
            let Some(append) = append_to_item(file, run, item, next.text.trim()) else {
                continue;
            };
            builder.safe_fix(
                "Merge into the previous `RUN`",
                vec![append, Edit::delete(whole_lines(file, ins.span))],
            );
        }
    }
}
