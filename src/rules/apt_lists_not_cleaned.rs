//! WH301 `apt-lists-not-cleaned`: see `rules/WH301.md`.

use super::helpers::run_commands::{
    RunCommand, append_to_item, has_mount_over, image_stages, path_within, run_commands,
};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::Action;
use crate::syntax::Dockerfile;

pub struct AptListsNotCleaned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH301"),
    name: SharedStr::new("apt-lists-not-cleaned"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3009", "DKL-DI-0005"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH301.md")),
};

pub(crate) const LISTS: &str = "/var/lib/apt/lists";

fn is_apt(c: &RunCommand<'_>) -> Option<Action> {
    let p = c.package()?;
    matches!(p.manager.name, "apt-get" | "apt").then_some(p.action)
}

/// `rm` of the package lists (`/var/lib/apt/lists/*`, or the directory or a parent of it).
fn removes_lists(c: &RunCommand<'_>) -> bool {
    c.name() == Some("rm")
        && c.words
            .iter()
            .skip(1)
            .any(|w| w.len() > 1 && w.starts_with('/') && path_within(LISTS, w))
}

impl Rule for AptListsNotCleaned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = run_commands(sem);
        for (k, update) in cmds.iter().enumerate() {
            if !stages.contains(&update.stage) || is_apt(update) != Some(Action::Update) {
                continue;
            }
            let same_run = |c: &&RunCommand<'_>| c.instruction == update.instruction;
            // Only the first update of a RUN reports; a cleanup after it covers them all.
            if cmds[..k]
                .iter()
                .filter(same_run)
                .any(|c| is_apt(c) == Some(Action::Update))
            {
                continue;
            }
            if has_mount_over(file, update.instruction, LISTS)
                || cmds
                    .iter()
                    .filter(same_run)
                    .any(|c| c.position() > update.position() && removes_lists(c))
            {
                continue;
            }
            // Removing the lists breaks a later RUN that installs without updating first.
            let later_needs_lists = cmds
                .iter()
                .filter(|c| c.instruction > update.instruction && stages.contains(&c.stage))
                .try_fold((), |(), c| match is_apt(c) {
                    Some(Action::Update) => Err(false),
                    Some(Action::Install | Action::Upgrade) => Err(true),
                    _ if removes_lists(c) => Err(false),
                    _ => Ok(()),
                });
            let builder = cx.report(
                update.file_span(),
                "`apt-get update` leaves the package lists in this layer; remove `/var/lib/apt/lists/*` in the same `RUN`",
            );
            if later_needs_lists == Err(true) {
                continue;
            }
            let last_apt = cmds
                .iter()
                .filter(same_run)
                .rfind(|c| is_apt(c).is_some())
                .unwrap_or(update);
            // `sudo apt-get` runs as a user who needs `sudo` to remove the lists too.
            let sudo = last_apt
                .cmd
                .argv
                .first()
                .and_then(|w| w.literal(&last_apt.run.text))
                .is_some_and(|n| n == "sudo");
            let cleanup = if sudo {
                "sudo rm -rf /var/lib/apt/lists/*"
            } else {
                "rm -rf /var/lib/apt/lists/*"
            };
            if let Some(edit) = append_to_item(file, update.run, last_apt.cmd.item, cleanup) {
                builder.safe_fix("Append `rm -rf /var/lib/apt/lists/*`", vec![edit]);
            }
        }
    }
}
