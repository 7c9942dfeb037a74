//! WH265 `command-pointless-in-container`: see `rules/WH265.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct CommandPointlessInContainer;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH265"),
    name: SharedStr::new("command-pointless-in-container"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3001"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH265.md")),
};

/// What running the command in a build does, or `None` when it may be meaningful.
fn pointless(name: &str, args: &[String]) -> Option<&'static str> {
    Some(match name {
        "service" => "services started in a build do not run in the container",
        "shutdown" | "reboot" | "halt" | "poweroff" => "a build step cannot power off a machine",
        "ps" | "top" | "htop" | "free" => {
            "it shows the build container's processes or memory, not the app's"
        }
        "kill" | "killall" | "pkill" => "no process of a later container exists during the build",
        "mount" | "umount" => "a build step has no privileges to mount; use `RUN --mount`",
        "ifconfig" => "the build's network is not the container's",
        // An editor with only file arguments waits for a terminal that a build does not have;
        // `vim +PlugInstall +qall` and `vim -es` are scripted and fine.
        "vim" | "vi" | "nano" | "emacs" if args.iter().all(|a| !a.starts_with(['+', '-'])) => {
            "an interactive editor waits for a terminal the build does not have"
        }
        _ => return None,
    })
}

impl Rule for CommandPointlessInContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(name) = c.name() else { continue };
            let args = c.words.get(1..).unwrap_or_default();
            if let Some(why) = pointless(name, args) {
                cx.report(c.file_span(), format!("`{name}` in a RUN: {why}"));
            }
        }
    }
}
