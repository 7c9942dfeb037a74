//! WH267 `dist-upgrade`: see `rules/WH267.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct DistUpgrade;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH267"),
    name: SharedStr::new("dist-upgrade"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DS-0024", "DL3035", "DKL-DI-0003"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH267.md")),
};

impl Rule for DistUpgrade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(name) = c.name() else { continue };
            let subcommands: &[&str] = match name {
                "apt-get" | "apt" | "aptitude" => &["dist-upgrade", "full-upgrade"],
                "zypper" => &["dist-upgrade", "dup"],
                _ => continue,
            };
            // The first operand that is not an option is the subcommand (`apt-get -y
            // dist-upgrade`); an option's value (`-o X=Y`) is never one of these words.
            let Some((i, sub)) = c
                .words
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, w)| !w.starts_with('-'))
            else {
                continue;
            };
            if !subcommands.contains(&sub.as_str()) {
                continue;
            }
            let span = c.word_file_span(i).unwrap_or_else(|| c.file_span());
            cx.report(
                span,
                format!("`{name} {sub}` may move the image to the next release of the distribution and remove packages; rebuild on a newer base image instead"),
            );
        }
    }
}
