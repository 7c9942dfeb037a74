//! WH231 `apt-instead-of-apt-get`: see `rules/WH231.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::package_managers::{self, Action};
use crate::syntax::Dockerfile;

pub struct AptInsteadOfAptGet;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH231"),
    name: SharedStr::new("apt-instead-of-apt-get"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3027", "CKV_DOCKER_9"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH231.md")),
};

impl Rule for AptInsteadOfAptGet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(inv) = c.package() else { continue };
            let Some(preferred) = inv.manager.prefer else {
                continue;
            };
            if inv.command_words != 1 || inv.subcommand.is_none() {
                continue;
            }
            let Some(target) = package_managers::by_name(preferred) else {
                continue;
            };
            let sub = inv.subcommand_text(c.words).unwrap_or_default();
            let tool = c.name().unwrap_or(inv.manager.name).to_string();
            let builder = cx.report(
                c.file_span(),
                format!(
                    "`{tool}` has no stable command-line interface for scripts; use `{preferred}`"
                ),
            );
            // `apt upgrade` also installs new dependencies (`apt-get upgrade --with-new-pkgs`);
            // `apt list`, `apt search` ... have no `apt-get` form.
            let same_meaning = inv.action != Action::Other
                && sub != "upgrade"
                && [
                    &target.install,
                    &target.update,
                    &target.upgrade,
                    &target.remove,
                    &target.clean,
                ]
                .iter()
                .any(|list| list.contains(&sub.as_str()));
            let Some(word) = c.argv.first() else { continue };
            // Replace the base name only: `/usr/bin/apt` -> `/usr/bin/apt-get`.
            let raw = word.raw(&c.run.text);
            if !same_meaning || word.quoted || !raw.ends_with(tool.as_str()) {
                continue;
            }
            let span = c.run.file_span(word.span);
            let start = span.end - tool.len();
            builder.safe_fix(
                format!("Use `{preferred}`"),
                vec![Edit::replace(
                    crate::syntax::Span::new(start, span.end),
                    preferred,
                )],
            );
        }
    }
}
