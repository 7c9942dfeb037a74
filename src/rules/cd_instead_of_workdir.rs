//! WH262 `cd-instead-of-workdir`: see `rules/WH262.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct CdInsteadOfWorkdir;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH262"),
    name: SharedStr::new("cd-instead-of-workdir"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3003", "DS-0013"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH262.md")),
};

impl Rule for CdInsteadOfWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = run_commands(sem);
        for (i, c) in cmds.iter().enumerate() {
            // Only a `cd` of the RUN's own top level: one in a subshell, a loop or a function
            // body changes nothing outside it.
            if c.name() != Some("cd") || !c.cmd.frames.is_empty() {
                continue;
            }
            let Some(dir) = c.words.get(1).filter(|d| !d.starts_with('-')) else {
                continue;
            };
            let rest: Vec<_> = cmds[i + 1..]
                .iter()
                .filter(|o| o.instruction == c.instruction)
                .collect();
            let workdir = sem
                .states
                .get(c.instruction)
                .and_then(|s| s.workdir.clone());
            let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
            if workdir.as_deref().is_some_and(|w| same(w, dir)) {
                cx.report(
                    c.file_span(),
                    format!("`cd {dir}` changes to the directory the RUN already starts in (the WORKDIR): drop it"),
                );
                continue;
            }
            if rest.is_empty() {
                cx.report(
                    c.file_span(),
                    format!("`cd {dir}` is the last command of the RUN and changes nothing: the next instruction starts in the WORKDIR again (use `WORKDIR {dir}` if that is what it meant)"),
                );
                continue;
            }
            // Building in a scratch directory that the same RUN deletes is what `cd` is for:
            // a WORKDIR would leave the directory in the image.
            let scratch = dir == "/" || dir.starts_with("/tmp") || !dir.starts_with('/');
            let removed = rest.iter().any(|o| {
                o.name() == Some("rm")
                    && o.words
                        .iter()
                        .skip(1)
                        .any(|w| w.trim_end_matches('/') == dir.trim_end_matches('/'))
            });
            // A directory only this RUN works in is what `cd` is for; a WORKDIR pays off when
            // several RUNs of the stage work in the same directory.
            let again = cmds.iter().any(|o| {
                o.instruction != c.instruction
                    && o.stage == c.stage
                    && o.name() == Some("cd")
                    && o.cmd.frames.is_empty()
                    && o.words.get(1).is_some_and(|d| same(d, dir))
            });
            if scratch || removed || dir.contains('$') || !again {
                continue;
            }
            cx.report(
                c.file_span(),
                format!("`cd {dir}` in several RUNs of this stage: set `WORKDIR {dir}` once so every later instruction (and a reader) knows where it runs"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, lint_source};

    fn messages(src: &str) -> Vec<String> {
        lint_source(src, &Settings::only(["WH262"]))
            .diagnostics
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_cd_into_the_workdir_is_not_told_to_set_that_workdir() {
        let m = messages("FROM debian:bookworm-slim\nWORKDIR /app\nRUN cd /app && make\n");
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("already starts in") && !m[0].contains("WORKDIR /app`"), "{m:?}");
    }
}
