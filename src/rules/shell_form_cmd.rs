//! WH208 `shell-form-cmd`: see `rules/WH208.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::semantic::Semantic;
use crate::syntax::{CommandBody, Dockerfile, InstructionView, Keyword};

pub struct ShellFormCmd;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH208"),
    name: SharedStr::new("shell-form-cmd"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &["buildkit:JSONArgsRecommended", "DL3025"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH208.md")),
};

/// Shell builtins and keywords: no executable of that name runs outside a shell.
const SHELL_WORDS: &[&str] = &[
    ".", ":", "[", "alias", "bg", "break", "case", "cd", "command", "continue", "do", "done",
    "elif", "else", "esac", "eval", "exec", "exit", "export", "false", "fg", "fi", "for",
    "function", "getopts", "hash", "if", "jobs", "local", "read", "readonly", "return", "select",
    "set", "shift", "source", "test", "then", "times", "trap", "true", "type", "ulimit", "umask",
    "unalias", "unset", "until", "wait", "while",
];

/// The words of `command` when the shell would run exactly these words as one program: no
/// expansion, quoting, escaping, globbing, redirection, operator or builtin.
pub fn plain_words(command: &str) -> Option<Vec<&str>> {
    let plain_char = |c: char| c.is_ascii_alphanumeric() || "_./:@%+,=-".contains(c);
    let words: Vec<&str> = command
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    let first = *words.first()?;
    let all_plain = words.iter().all(|w| w.chars().all(plain_char));
    // `NAME=value cmd` is an assignment; a builtin needs the shell.
    if !all_plain || first.contains('=') || SHELL_WORDS.contains(&first) {
        return None;
    }
    Some(words)
}

/// Whether the stage is built on a Windows image. Those often carry a SHELL in their own
/// configuration (which silences Docker's check) that this file cannot see, so stay quiet.
fn windows_base(semantic: &Semantic, stage: usize) -> bool {
    let mut current = stage;
    // A stage's base stage is always an earlier one, so this ends.
    for _ in 0..=semantic.stages.len() {
        let Some(st) = semantic.stages.get(current) else {
            return false;
        };
        match st.base.stage.filter(|p| *p < current) {
            Some(parent) => current = parent,
            None => {
                let reference = st.base.expanded.as_deref().unwrap_or(&st.base.raw);
                let reference = reference.to_ascii_lowercase();
                return ["windows", "nanoserver", "servercore", "powershell"]
                    .iter()
                    .any(|w| reference.contains(w));
            }
        }
    }
    false
}

/// Whether `stage` or a stage of this file it is built on sets instruction `keyword`.
fn stage_sets(file: &Dockerfile, sem: &Semantic, stage: usize, keyword: Keyword) -> bool {
    let mut s = Some(stage);
    let mut seen = 0;
    while let Some(i) = s {
        let Some(st) = sem.stages.get(i) else { break };
        if (st.from..st.body.end).any(|k| {
            file.instructions
                .get(k)
                .is_some_and(|x| x.keyword == keyword)
        }) {
            return true;
        }
        seen += 1;
        // An ENTRYPOINT set in a stage resets the CMD it inherited: only its own CMD counts.
        if keyword == Keyword::Cmd || seen > sem.stages.len() {
            break;
        }
        s = st.base.stage.filter(|p| *p < i);
    }
    false
}

impl Rule for ShellFormCmd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let (InstructionView::Cmd(view) | InstructionView::Entrypoint(view)) = ins.view()
            else {
                continue;
            };
            let CommandBody::Shell(text) = &view.body else {
                continue;
            };
            let Some(state) = semantic.states.get(i) else {
                continue;
            };
            // A SHELL instruction makes shell form a deliberate choice.
            let Some(stage) = state.stage.filter(|_| !state.shell_explicit) else {
                continue;
            };
            if windows_base(semantic, stage) {
                continue;
            }
            let name = ins.keyword.as_str();
            let builder = cx.report(
                ins.rest_span,
                format!(
                    "`{name}` in shell form runs under `/bin/sh -c`, which does not pass signals on"
                ),
            );
            // In exec form an ENTRYPOINT receives CMD as arguments, and a CMD becomes the
            // ENTRYPOINT's arguments word by word: with the other one set in the stage, the
            // command the container runs changes.
            let other = if ins.keyword == Keyword::Entrypoint {
                Keyword::Cmd
            } else {
                Keyword::Entrypoint
            };
            if stage_sets(file, semantic, stage, other) {
                continue;
            }
            // Only single-line commands: the replacement is written on one line.
            let single_line = !file.text(ins.rest_span).contains('\n');
            if let Some(words) = plain_words(&text.text).filter(|_| single_line) {
                let json = serde_json::to_string(&words).unwrap_or_default();
                let json = json.replace("\",\"", "\", \"");
                if !json.is_empty() {
                    builder.unsafe_fix(
                        format!("Rewrite `{name}` in exec form"),
                        vec![Edit::replace(ins.rest_span, json)],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn only_commands_without_shell_syntax() {
        assert_eq!(
            plain_words("python /srv/app.py --port=8000"),
            Some(vec!["python", "/srv/app.py", "--port=8000"])
        );
        for shell in [
            "echo $HOME",
            "a && b",
            "a; b",
            "a | b",
            "a > log",
            "echo 'x'",
            "echo \"x\"",
            "ls *.txt",
            "FOO=1 app",
            "cd /srv",
            "exec app",
            "echo ~",
            "a\\ b",
            "",
        ] {
            assert_eq!(plain_words(shell), None, "{shell}");
        }
    }
}
