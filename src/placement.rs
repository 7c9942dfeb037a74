//! Where a fix puts a command that must follow another one: a cleanup after the install that
//! made the files, on that install's path. Appending at the end of a top-level statement is
//! wrong in general: a cleanup appended after `if ...; fi` runs whichever branch ran, one after
//! `a || b` runs when `a` succeeded, one inside `$(...)` is captured as output, one inside a
//! loop removes what the next iteration needs. This module reads the shell's blocks and chain
//! ends (`syntax::shell`) and follows `docs/fix-safety.md`.

use crate::fix::Edit;
use crate::semantic::RunScript;
use crate::syntax::Dockerfile;
use crate::syntax::shell::{Frame, Op};

/// Whether the command that must follow may fail where it runs (a tool's own clean command,
/// which fails when the tool is missing) or cannot (`rm -rf` of a path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follower {
    /// `rm -rf ...`: cannot fail, so it may also run on paths where the tool did not run.
    CannotFail,
    /// `yarn cache clean`, `npm cache clean --force`, `dnf clean all`: only where the tool ran
    /// and succeeded.
    MayFail,
}

/// Why no place could be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPlace {
    /// The command is in a function body: it runs when the function is called.
    InFunction,
    /// The command is in a loop and the follower may fail (the loop may run zero times).
    InLoop,
    /// The command's output goes into a pipe and the follower may fail: the pipeline's status
    /// does not say whether the command succeeded.
    Piped,
    /// The script did not parse, or the command is not in it.
    Unknown,
}

/// Where to put a command that must run after command `cmd` of `run` (its index in the
/// script's `cmds`), on that command's path and after everything it feeds:
///
/// - after the `&&` chain the command starts, at its own level: inside the same `if` branch,
///   `case` arm, subshell or `{ }` group;
/// - out of a condition, a substitution or a loop (a cleanup inside a loop would remove what
///   the next iteration needs) to the end of the construct's own chain;
/// - in an `||` branch, the branch's pipeline and the follower are grouped: `a || { b && x; }`
///   (`a || b && x` would run `x` after `a` too).
///
/// The edits follow the file's layout (continuation lines, the `&&` style).
pub fn follow_command(
    file: &Dockerfile,
    run: &RunScript,
    cmd: usize,
    command: &str,
    follower: Follower,
) -> Result<Vec<Edit>, NoPlace> {
    let script = run.script.as_ref().map_err(|_| NoPlace::Unknown)?;
    let c = script.cmds.get(cmd).ok_or(NoPlace::Unknown)?;
    let blocks: Vec<(usize, &crate::syntax::shell::Block)> = script.blocks_of(c).collect();
    if blocks.iter().any(|(_, b)| b.frame == Frame::Function) {
        return Err(NoPlace::InFunction);
    }
    let in_loop = blocks.iter().any(|(_, b)| b.frame == Frame::LoopBody);
    if in_loop && follower == Follower::MayFail {
        return Err(NoPlace::InLoop);
    }
    // The anchor: the command itself, or the outermost loop around it.
    let (mut level, mut chain_end, mut piped) = (c.block, c.chain_end, c.op_after.0 == Op::Pipe);
    if let Some((_, outer_loop)) = blocks
        .iter()
        .rev()
        .find(|(_, b)| b.frame == Frame::LoopBody)
    {
        (level, chain_end, piped) = (outer_loop.parent, outer_loop.chain_end, outer_loop.piped);
    }
    // Out of conditions and substitutions, to the construct that holds them.
    let mut wrap = None;
    while let Some(b) = level.and_then(|l| script.blocks.get(l)) {
        match b.frame {
            Frame::IfCond | Frame::LoopCond | Frame::CmdSubst | Frame::ProcSubst => {
                (level, chain_end, piped) = (b.parent, b.chain_end, b.piped);
            }
            Frame::OrBranch => {
                wrap = Some(b.construct);
                break;
            }
            _ => break,
        }
    }
    if piped && follower == Follower::MayFail {
        return Err(NoPlace::Piped);
    }
    if let Some(pipeline) = wrap {
        return Ok(vec![
            Edit::insert(run.map.to_file(pipeline.start), "{ "),
            Edit::insert(run.map.to_file(pipeline.end), format!(" && {command}; }}")),
        ]);
    }
    append_at(file, run, chain_end, command)
        .map(|e| vec![e])
        .ok_or(NoPlace::Unknown)
}

/// An edit appending ` && command` at offset `end` of the RUN script, in the file's layout:
/// on the same line when the text there ends mid-line, the RUN is one line or the text is a
/// heredoc body; otherwise on a new continuation line with the indentation of the line it ends
/// and the `&&` where the file puts it (`&& \` at line ends, or `\` then `&& cmd` below).
pub fn append_at(file: &Dockerfile, run: &RunScript, end: usize, command: &str) -> Option<Edit> {
    let at = run.map.to_file(end);
    let src = file.source();
    let ins = file.instructions.get(run.instruction)?;
    let rest_of_line = src.get(at..)?.split('\n').next().unwrap_or("");
    let multi_line = file.line_index().line_of(ins.span.start) != file.line_index().line_of(at);
    let at_line_end = rest_of_line.trim().is_empty();
    let in_body = ins.heredocs.iter().any(|h| h.content_span.contains(at));
    if !multi_line || !at_line_end || in_body {
        return Some(Edit::insert(at, format!(" && {command}")));
    }
    let line_start = file.line_index().line_start(file.line_index().line_of(at));
    let line = src.get(line_start..at).unwrap_or("");
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let escape = file.escape;
    // Leading style: continuation lines start with the operator.
    let leading = line.trim_start().starts_with("&&");
    let text = if leading {
        format!(" {escape}\n{indent}&& {command}")
    } else {
        format!(
            " &&{}{escape}\n{indent}{command}",
            if line.ends_with(' ') { "" } else { " " }
        )
    };
    Some(Edit::insert(at, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Applicability, Fix, apply_once};
    use crate::semantic::Semantic;
    use crate::syntax::parse;
    use crate::syntax::shell::CommandFlow;

    fn flows(src: &str) -> Vec<(String, CommandFlow)> {
        let file = parse(src);
        let sem = Semantic::new(&file);
        let mut out = Vec::new();
        for (r, run) in sem.run_scripts.iter().enumerate() {
            let script = run.script.as_ref().expect("parses");
            for (k, c) in script.cmds.iter().enumerate() {
                let name = c
                    .argv
                    .first()
                    .map(|w| w.raw(&run.text).to_string())
                    .unwrap_or_default();
                out.push((name, *sem.flow(r, k).expect("a flow")));
            }
        }
        out
    }

    fn flow_of(src: &str, name: &str) -> CommandFlow {
        flows(src)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn facts_of_branches_substitutions_and_or() {
        let src = "FROM a\nRUN if [ -f y ]; then yarn install; else npm ci; fi && v=$(node -v) || echo failed\n";
        let test = flow_of(src, "[");
        assert!(test.in_condition && !test.unconditional);
        let yarn = flow_of(src, "yarn");
        let npm = flow_of(src, "npm");
        assert!(yarn.branch.is_some() && npm.branch.is_some() && yarn.branch != npm.branch);
        assert!(!yarn.unconditional && !yarn.in_subshell);
        assert!(flow_of(src, "node").in_substitution);
        let echo = flow_of(src, "echo");
        assert!(echo.after_or && !echo.unconditional);
        let src = "FROM a\nRUN (cd /x && make) | tee log\n";
        assert!(flow_of(src, "make").in_subshell && flow_of(src, "make").unconditional);
        assert!(
            !flow_of(src, "make").piped,
            "`make` ends its own pipeline in the subshell"
        );
        assert!(flow_of(src, "tee").unconditional);
        let src = "FROM a\nRUN for x in a b; do echo $x | cat; done\n";
        let echo = flow_of(src, "echo");
        assert!(echo.in_loop && echo.piped);
    }

    #[test]
    fn errexit_follows_set_and_the_shell() {
        let src = "FROM a\nRUN a; set -eux; b; set +e; c; (set -e; d); e\n";
        let f: Vec<bool> = flows(src).iter().map(|(_, f)| f.errexit).collect();
        // a set b set c ( set d ) e
        assert_eq!(f, [false, false, true, true, false, false, false, false]);
        let src = "FROM a\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a\n";
        assert!(flow_of(src, "a").errexit);
        let src = "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"errexit\", \"-c\"]\nRUN a\n";
        assert!(flow_of(src, "a").errexit);
        let src = "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a\n";
        assert!(!flow_of(src, "a").errexit);
        let src = "FROM a\nRUN <<EOF\nset -o errexit\nb\nEOF\n";
        assert!(flow_of(src, "b").errexit);
    }

    /// The text after following command `name` (its first occurrence) with `x`.
    fn followed(src: &str, name: &str, follower: Follower) -> Result<String, NoPlace> {
        let file = parse(src);
        let sem = Semantic::new(&file);
        let run = sem.run_scripts.last().expect("a RUN");
        let script = run.script.as_ref().expect("parses");
        let k = script
            .cmds
            .iter()
            .position(|c| c.argv.first().is_some_and(|w| w.raw(&run.text) == name))
            .expect("the command");
        let edits = follow_command(&file, run, k, "x", follower)?;
        Ok(apply_once(
            src,
            &[Fix::new("t", Applicability::Safe, edits)],
            Applicability::Safe,
        )
        .0)
    }

    #[test]
    fn followers_stay_on_the_commands_path() {
        let may = Follower::MayFail;
        let run = |body: &str| format!("FROM a\nRUN {body}\n");
        let cases = [
            (
                "if [ -f y ]; then yarn install; else npm ci; fi",
                "yarn",
                "if [ -f y ]; then yarn install && x; else npm ci; fi",
            ),
            (
                "if [ -f y ]; then yarn install; else npm ci; fi",
                "npm",
                "if [ -f y ]; then yarn install; else npm ci && x; fi",
            ),
            (
                "command -v yarn && yarn install || npm ci",
                "yarn",
                "command -v yarn && yarn install && x || npm ci",
            ),
            (
                "command -v yarn && yarn install || npm ci",
                "npm",
                "command -v yarn && yarn install || { npm ci && x; }",
            ),
            (
                "(test -f y && yarn install) || (npm ci)",
                "npm",
                "(test -f y && yarn install) || (npm ci && x)",
            ),
            (
                "apt-get update; apt-get install -y a; echo done",
                "apt-get",
                "apt-get update && x; apt-get install -y a; echo done",
            ),
            (
                "case $pm in yarn) yarn install ;; npm) npm ci ;; esac",
                "npm",
                "case $pm in yarn) yarn install ;; npm) npm ci && x ;; esac",
            ),
        ];
        for (body, name, want) in cases {
            assert_eq!(followed(&run(body), name, may), Ok(run(want)), "{body}");
        }
    }

    #[test]
    fn followers_leave_loops_conditions_and_substitutions() {
        let run = |body: &str| format!("FROM a\nRUN {body}\n");
        let cannot = Follower::CannotFail;
        assert_eq!(
            followed(
                &run("for p in a b; do apt-get install -y $p; done; echo ok"),
                "apt-get",
                cannot
            ),
            Ok(run(
                "for p in a b; do apt-get install -y $p; done && x; echo ok"
            ))
        );
        assert_eq!(
            followed(
                &run("v=$(apt-get install -y a >/dev/null && echo ok) && echo $v"),
                "apt-get",
                cannot
            ),
            Ok(run(
                "v=$(apt-get install -y a >/dev/null && echo ok) && echo $v && x"
            ))
        );
        assert_eq!(
            followed(
                &run("if apt-get install -y a; then b; fi"),
                "apt-get",
                cannot
            ),
            Ok(run("if apt-get install -y a; then b; fi && x"))
        );
        assert_eq!(
            followed(
                &run("for p in a b; do npm ci; done"),
                "npm",
                Follower::MayFail
            ),
            Err(NoPlace::InLoop)
        );
        assert_eq!(
            followed(&run("npm ci | tee log"), "npm", Follower::MayFail),
            Err(NoPlace::Piped)
        );
        assert_eq!(
            followed(&run("f() { npm ci; }; f"), "npm", Follower::MayFail),
            Err(NoPlace::InFunction)
        );
    }

    #[test]
    fn followers_use_the_files_continuation_style() {
        let src = "FROM a\nRUN if true; then \\\n      npm ci; \\\n    fi && \\\n    echo done\n";
        assert_eq!(
            followed(src, "npm", Follower::MayFail),
            Ok("FROM a\nRUN if true; then \\\n      npm ci && x; \\\n    fi && \\\n    echo done\n".to_string())
        );
        let src = "FROM a\nRUN apt-get update \\\n && apt-get install -y a\n";
        assert_eq!(
            followed(src, "apt-get", Follower::CannotFail),
            Ok("FROM a\nRUN apt-get update \\\n && apt-get install -y a \\\n && x\n".to_string())
        );
    }
}
