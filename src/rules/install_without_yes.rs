//! WH230 `install-without-yes`: see `rules/WH230.md`.

use super::helpers::run_commands::{command_text, insert_after_subcommand, run_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::{Action, Kind};
use crate::syntax::Dockerfile;

pub struct InstallWithoutYes;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH230"),
    name: SharedStr::new("install-without-yes"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3014", "DL3030", "DL3034", "DL3038", "DS-0021"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH230.md")),
};

impl Rule for InstallWithoutYes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            // System package managers ask before installing; a build has no one to answer.
            if pm.kind != Kind::System
                || !pm.prompts
                || !matches!(inv.action, Action::Install | Action::Upgrade)
                || inv.is_non_interactive(c.words)
            {
                continue;
            }
            // `-o APT::Get::Assume-Yes=true` answers too.
            if c.words
                .iter()
                .any(|w| w.to_ascii_lowercase().contains("assume-yes"))
            {
                continue;
            }
            let Some(flag) = pm.yes_flags.first() else {
                continue;
            };
            let shown = command_text(&c, inv);
            let builder = cx.report(
                c.file_span(),
                format!(
                    "`{shown}` without `{flag}` stops at a confirmation prompt and fails the build"
                ),
            );
            if let Some(edit) = insert_after_subcommand(&c, inv, flag) {
                builder.safe_fix(format!("Add `{flag}`"), vec![edit]);
            }
        }
    }
}
