//! WH115 `remote-script-piped-to-shell`: see `rules/WH115.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;
use crate::syntax::shell::Op;

pub struct RemoteScriptPipedToShell;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH115"),
    name: SharedStr::new("remote-script-piped-to-shell"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH115.md")),
};

const DOWNLOADERS: [&str; 2] = ["curl", "wget"];
const INTERPRETERS: [&str; 12] = [
    "sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python3", "perl", "ruby", "node", "php",
];

/// Whether `text` runs a download (`$(curl ...)`, `` `wget ...` ``, `<(curl ...)`).
fn substitutes_download(text: &str) -> bool {
    ["$(", "`", "<("].iter().any(|open| {
        text.match_indices(open).any(|(i, _)| {
            let rest = text[i + open.len()..].trim_start();
            DOWNLOADERS.iter().any(|d| {
                rest.strip_prefix(d)
                    .is_some_and(|r| r.starts_with([' ', '\t']))
            })
        })
    })
}

impl Rule for RemoteScriptPipedToShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = run_commands(sem);
        for (i, c) in cmds.iter().enumerate() {
            let Some(name) = c.name() else { continue };
            // `curl URL | sh`: the next command of the same RUN, on the other side of the pipe.
            if DOWNLOADERS.contains(&name)
                && c.cmd.op_after.0 == Op::Pipe
                && let Some(next) = cmds.get(i + 1)
                && next.instruction == c.instruction
                && next.cmd.op_before.0 == Op::Pipe
                && next.cmd.frames == c.cmd.frames
                && next.name().is_some_and(|n| {
                    INTERPRETERS
                        .contains(&n.trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == '.'))
                })
            {
                let shell = next.name().unwrap_or_default();
                let span = c.file_span().cover(next.file_span());
                cx.report(
                    span,
                    format!("a script downloaded with `{name}` is piped straight into `{shell}`: download it, check its checksum or signature, then run it"),
                );
                continue;
            }
            // `sh -c "$(curl ...)"`, `bash <(curl ...)`
            if INTERPRETERS.contains(&name)
                && c.argv
                    .iter()
                    .skip(1)
                    .any(|w| substitutes_download(w.raw(&c.run.text)))
            {
                cx.report(
                    c.file_span(),
                    format!("`{name}` runs a script straight from a download: download it, check its checksum or signature, then run it"),
                );
            }
        }
    }
}
