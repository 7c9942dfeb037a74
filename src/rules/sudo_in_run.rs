//! WH116 `sudo-in-run`: see `rules/WH116.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct SudoInRun;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH116"),
    name: SharedStr::new("sudo-in-run"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3004", "DS-0010", "CKV2_DOCKER_1", "DKL-DI-0001"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH116.md")),
};

impl Rule for SudoInRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        // Once per RUN: the advice is the same for every `sudo` of it.
        let mut reported: Vec<usize> = Vec::new();
        for c in run_commands(sem) {
            if reported.contains(&c.instruction) {
                continue;
            }
            // The command as written (run_commands looks through `sudo` for the others).
            let Some(first) = c.cmd.argv.first() else {
                continue;
            };
            if first.has_expansion {
                continue;
            }
            let Some(name) = first.literal(&c.run.text) else {
                continue;
            };
            if name.rsplit('/').next() != Some("sudo") {
                continue;
            }
            reported.push(c.instruction);
            cx.report(
                c.run.file_span(first.span),
                "`sudo` in a build: RUN already runs as the current USER; switch with `USER` (or `gosu`/`su-exec` at run time)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, lint_source};

    #[test]
    fn once_per_run() {
        let src = "FROM debian:bookworm-slim\nUSER nobody\n\
                   RUN sudo apt-get update && sudo apt-get install -y curl && sudo rm -rf /var/lib/apt/lists/*\n\
                   RUN sudo make install\n";
        let lines: Vec<usize> = lint_source(src, &Settings::only(["WH116"]))
            .diagnostics
            .iter()
            .map(|d| src[..d.span.start].lines().count())
            .collect();
        assert_eq!(lines, [3, 4]);
    }
}
