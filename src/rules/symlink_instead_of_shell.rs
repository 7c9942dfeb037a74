//! WH268 `symlink-instead-of-shell`: see `rules/WH268.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct SymlinkInsteadOfShell;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH268"),
    name: SharedStr::new("symlink-instead-of-shell"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL4005"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH268.md")),
};

impl Rule for SymlinkInsteadOfShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            if c.name() != Some("ln") {
                continue;
            }
            let operands: Vec<&str> = c
                .words
                .iter()
                .skip(1)
                .filter(|w| !w.starts_with('-'))
                .map(String::as_str)
                .collect();
            let symbolic = c.words.iter().skip(1).any(|w| {
                w == "--symbolic" || (w.starts_with('-') && !w.starts_with("--") && w.contains('s'))
            });
            if symbolic && operands.len() >= 2 && operands.last() == Some(&"/bin/sh") {
                cx.report(
                    c.file_span(),
                    "replacing `/bin/sh` with a symlink changes the shell of every script in the image; use `SHELL [\"/bin/bash\", \"-c\"]` to change the shell of the RUNs",
                );
            }
        }
    }
}
