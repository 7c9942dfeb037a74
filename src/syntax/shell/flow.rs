//! Control-flow facts of the commands of a script: whether a command runs unconditionally, in
//! which branch, in a subshell or a substitution, after `||`, under `set -e` or not. The
//! semantic model computes them once per RUN (`Semantic::flow`); fixes that append, move or
//! merge commands read them (`crate::placement`, `docs/fix-safety.md`).

use super::ast::{Frame, Op, Script, SimpleCommand};

/// What decides whether and when one simple command of a RUN runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommandFlow {
    /// In no construct at all (not even a `{ }` group): a statement of the script itself, whose
    /// `&&` neighbours a fix may join, split or move.
    pub top_level: bool,
    /// Runs whenever the script gets this far: not in an `if`/`while` condition or branch, a
    /// loop body, a `case` arm, a function, a substitution or an `||` branch. (Subshells and
    /// `{ }` groups do not count; `&&` chains do not either: a failure fails the RUN.)
    pub unconditional: bool,
    /// The innermost block (`Script::blocks`) that runs only on some paths: an `if` branch or
    /// condition, a `case` arm, a loop, an `||` branch or a function.
    pub branch: Option<usize>,
    /// Inside `( ... )`: `cd`, `exit` and variables do not leak out.
    pub in_subshell: bool,
    /// Inside `$( ... )`, backquotes or `<( ... )`: its output is captured.
    pub in_substitution: bool,
    /// Inside the pipeline after `||`: runs only when the command before failed.
    pub after_or: bool,
    /// Inside a loop body (runs zero or more times).
    pub in_loop: bool,
    /// Inside an `if`/`elif`/`while`/`until` condition.
    pub in_condition: bool,
    /// Inside a function body (runs when called, if ever).
    pub in_function: bool,
    /// `set -e` is in effect (from the SHELL flags or an earlier `set -e` of the script).
    pub errexit: bool,
    /// A `|` follows it: its status is not its pipeline's (without pipefail).
    pub piped: bool,
}

/// The flow of every command of `script` (parallel to `script.cmds`), for a script run by
/// `shell` (the RUN's SHELL argv; its flags can turn on `errexit`).
pub fn command_flows(script: &Script, text: &str, shell: &[String]) -> Vec<CommandFlow> {
    let mut errexit = shell_has_errexit(shell);
    let mut out = Vec::with_capacity(script.cmds.len());
    for cmd in &script.cmds {
        let mut f = CommandFlow {
            top_level: cmd.frames.is_empty(),
            unconditional: cmd.is_unconditional(),
            errexit,
            piped: cmd.op_after.0 == Op::Pipe,
            ..CommandFlow::default()
        };
        for (i, b) in script.blocks_of(cmd) {
            match b.frame {
                Frame::Subshell => f.in_subshell = true,
                Frame::CmdSubst | Frame::ProcSubst => f.in_substitution = true,
                Frame::OrBranch => f.after_or = true,
                Frame::LoopBody => f.in_loop = true,
                Frame::IfCond | Frame::LoopCond => f.in_condition = true,
                Frame::Function => f.in_function = true,
                Frame::Brace | Frame::IfBody | Frame::CaseArm => {}
            }
            if f.branch.is_none()
                && matches!(
                    b.frame,
                    Frame::IfCond
                        | Frame::IfBody
                        | Frame::LoopCond
                        | Frame::LoopBody
                        | Frame::CaseArm
                        | Frame::OrBranch
                        | Frame::Function
                )
            {
                f.branch = Some(i);
            }
        }
        out.push(f);
        // `set -e` / `set +e` at the script's own level changes what follows it.
        if cmd.frames.iter().all(|f| *f == Frame::Brace)
            && let Some(on) = set_errexit(cmd, text)
        {
            errexit = on;
        }
    }
    out
}

/// Whether a SHELL argv turns on `errexit` (`["/bin/bash", "-e", "-c"]`, `-eo pipefail`,
/// `-o errexit`).
pub fn shell_has_errexit(shell: &[String]) -> bool {
    shell.iter().skip(1).enumerate().any(|(i, a)| {
        (a.starts_with('-') && !a.starts_with("--") && a[1..].contains('e') && a.len() > 1)
            || (a == "-o" && shell.get(i + 2).is_some_and(|n| n == "errexit"))
    })
}

/// Whether a SHELL argv turns on `pipefail`: `-o pipefail`, a combined `-eo pipefail` or
/// `-euxo pipefail` (the `o` takes the next word), `-opipefail`.
pub fn shell_has_pipefail(shell: &[String]) -> bool {
    let options = shell.iter().skip(1).take_while(|a| *a != "-c");
    let options: Vec<&String> = options.collect();
    options.iter().enumerate().any(|(i, a)| {
        let short = a.starts_with('-') && !a.starts_with("--") && a.len() > 1;
        (short && a.ends_with('o') && options.get(i + 1).is_some_and(|n| *n == "pipefail"))
            || (short
                && a[1..]
                    .split_once('o')
                    .is_some_and(|(_, rest)| rest == "pipefail"))
    })
}

/// What a `set` command does to `errexit`: `Some(true)` for `set -e` (`-eux`, `-o errexit`),
/// `Some(false)` for `set +e` / `+o errexit`, `None` when it leaves it alone.
fn set_errexit(cmd: &SimpleCommand, text: &str) -> Option<bool> {
    let words: Vec<String> = cmd
        .argv
        .iter()
        .map(|w| w.literal(text).map(|l| l.into_owned()).unwrap_or_default())
        .collect();
    if words.first().map(String::as_str) != Some("set") {
        return None;
    }
    let mut result = None;
    let mut args = words.iter().skip(1).peekable();
    while let Some(a) = args.next() {
        let (on, flags) = match a.as_bytes().first() {
            Some(b'-') => (true, &a[1..]),
            Some(b'+') => (false, &a[1..]),
            _ => break,
        };
        if flags == "o" {
            if args.peek().is_some_and(|n| *n == "errexit") {
                result = Some(on);
            }
            args.next();
        } else if flags.contains('e') && !flags.starts_with('-') {
            result = Some(on);
        }
    }
    result
}
