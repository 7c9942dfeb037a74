//! WH301 `apt-lists-not-cleaned`: see `rules/WH301.md`.

use super::helpers::run_commands::{RunCommand, has_mount_over, image_stages, path_within, run_commands};
use crate::placement::Follower;
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

/// Commands that read the package lists without being `apt-get` (`apt-cache show`,
/// `apt-cache policy`, `aptitude search`): a later one needs the lists kept.
const LIST_READERS: &[&str] = &["apt-cache", "aptitude", "apt-file", "apt-rdepends"];

/// Whether `c` reads the package lists: an apt command other than a clean, or a list reader.
pub(crate) fn reads_lists(c: &RunCommand<'_>) -> bool {
    match is_apt(c) {
        Some(Action::Clean) => false,
        Some(_) => true,
        None => c.name().is_some_and(|n| LIST_READERS.contains(&n)),
    }
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
            // Removing the lists breaks a later RUN that installs without updating first, or
            // reads them (`apt-cache show`).
            // In the order they run: this image's later RUNs, then the ONBUILD triggers (a
            // child image runs them after every layer of this one).
            let stages = &stages;
            let later = |onbuild: bool| {
                cmds.iter().filter(move |c| {
                    c.run.onbuild == onbuild
                        && stages.contains(&c.stage)
                        && (c.instruction > update.instruction || (onbuild && !update.run.onbuild))
                })
            };
            let later_needs_lists = later(false)
                .chain(later(true))
                .try_fold((), |(), c| match is_apt(c) {
                    Some(Action::Update) => Err(false),
                    _ if reads_lists(c) => Err(true),
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
            // After the last command of the RUN that reads the lists, on its path.
            let last_apt = cmds
                .iter()
                .filter(same_run)
                .rfind(|c| reads_lists(c))
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
            if let Ok(edits) = last_apt.follow_with(file, cleanup, Follower::CannotFail) {
                builder.safe_fix("Append `rm -rf /var/lib/apt/lists/*`", edits);
            }
        }
    }
}
