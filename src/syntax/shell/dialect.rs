//! Which RUN bodies are shell scripts at all, and which dialect: from the stage's `SHELL` and, for
//! heredocs, from the command that reads the heredoc or the script's shebang.

/// How a RUN body (or heredoc body) is interpreted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShellDialect {
    /// `sh`, `dash`, `ash`, `busybox sh`: POSIX sh (the parser still accepts bash syntax; rules
    /// may flag bash-isms).
    Posix,
    /// `bash`, `zsh`, `ksh`, `mksh`: bash-isms are expected.
    Bash,
    /// Not a POSIX-like shell (`pwsh`, `powershell`, `cmd`, `python3`, ...): the basename of the
    /// interpreter, lower-cased, without `.exe`. Shell rules skip it.
    NotShell(String),
}

impl ShellDialect {
    pub fn is_shell(&self) -> bool {
        !matches!(self, ShellDialect::NotShell(_))
    }
}

/// The dialect of an interpreter name or path (`/bin/bash`, `C:\...\pwsh.exe`, `python3`).
pub fn dialect_of_interpreter(program: &str) -> ShellDialect {
    let base = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    match base {
        "sh" | "dash" | "ash" | "posh" | "yash" => ShellDialect::Posix,
        "bash" | "zsh" | "ksh" | "ksh93" | "mksh" | "rbash" => ShellDialect::Bash,
        _ => ShellDialect::NotShell(base.to_string()),
    }
}

/// The dialect of a stage's effective `SHELL` argv (`["/bin/sh", "-c"]` by default, which an empty
/// argv also means). `env` and `busybox` in front of the shell are looked through.
pub fn dialect_of_shell<S: AsRef<str>>(argv: &[S]) -> ShellDialect {
    let mut args = argv.iter().map(|a| a.as_ref());
    while let Some(program) = args.next() {
        let base = program.rsplit('/').next().unwrap_or(program);
        match base {
            // `env [-opts] [NAME=v] shell`
            "env" => {
                let rest: Vec<&str> = args
                    .by_ref()
                    .skip_while(|a| a.starts_with('-') || a.contains('='))
                    .collect();
                return dialect_of_shell(&rest);
            }
            "busybox" => continue,
            _ => return dialect_of_interpreter(program),
        }
    }
    ShellDialect::Posix
}

/// The dialect of a heredoc body, given the RUN's shell-form command line that opens it
/// (`<<EOF`, `python3 <<EOF`, `bash -e <<EOF`, `cat <<EOF > /f`), the body, and the stage's shell.
///
/// - No command (the line is only the heredoc): BuildKit runs the body as the script. A shebang
///   names its interpreter (`#!/usr/bin/env python3` -> not shell); otherwise the stage's shell.
/// - A shell reading the heredoc as its script (`bash <<EOF`, `sh -e <<EOF`, not `sh -c '...'`):
///   that shell's dialect.
/// - Any other command (`python3 <<EOF`, `cat <<EOF > f`): the body is that program's input, not
///   shell (named after the program).
///
/// The command line itself is shell in the stage's dialect either way. A command line that does
/// not parse yields the stage's dialect for the body.
pub fn heredoc_body_dialect(
    command_line: &str,
    body: &str,
    stage_shell: &ShellDialect,
) -> ShellDialect {
    let Ok(script) = super::parse(command_line) else {
        return stage_shell.clone();
    };
    // The command holding the first heredoc.
    let holder = script
        .cmds
        .iter()
        .find(|c| c.redirects.iter().any(|r| r.heredoc.is_some()));
    let Some(cmd) = holder else {
        return shebang_dialect(body).unwrap_or_else(|| stage_shell.clone());
    };
    let holder_name = cmd.effective(command_line).and_then(|inv| {
        let name = inv.name(command_line)?.into_owned();
        Some((inv, name))
    });
    match holder_name {
        None if cmd.argv.is_empty() => shebang_dialect(body).unwrap_or_else(|| stage_shell.clone()),
        None => ShellDialect::NotShell(String::new()),
        Some((inv, name)) => match dialect_of_interpreter(&name) {
            ShellDialect::NotShell(n) => ShellDialect::NotShell(n),
            shell if reads_script_from_stdin(&inv, command_line) => shell,
            _ => ShellDialect::NotShell(name),
        },
    }
}

/// A shell invoked with `-s`, or without `-c` and without a script file, reads its script from
/// stdin.
fn reads_script_from_stdin(inv: &super::Invocation<'_>, src: &str) -> bool {
    if inv.has_flag(src, Some('s'), "") {
        return true;
    }
    !inv.has_flag(src, Some('c'), "")
        && inv
            .positional(src, 0, &["-o", "-O", "+o", "+O", "--rcfile", "--init-file"])
            .is_none()
}

/// The dialect named by a `#!` line, if the body starts with one.
pub fn shebang_dialect(body: &str) -> Option<ShellDialect> {
    let line = body.strip_prefix("#!")?.lines().next().unwrap_or("");
    let mut parts = line.split_whitespace();
    let program = parts.next()?;
    if program.rsplit('/').next() == Some("env") {
        let interp = parts.find(|a| !a.starts_with('-'))?;
        return Some(dialect_of_interpreter(interp));
    }
    Some(dialect_of_interpreter(program))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not(s: &str) -> ShellDialect {
        ShellDialect::NotShell(s.to_string())
    }

    #[test]
    fn shell_instruction_argv() {
        assert_eq!(dialect_of_shell(&["/bin/sh", "-c"]), ShellDialect::Posix);
        assert_eq!(
            dialect_of_shell(&["/bin/bash", "-o", "pipefail", "-c"]),
            ShellDialect::Bash
        );
        assert_eq!(dialect_of_shell(&["pwsh", "-command"]), not("pwsh"));
        assert_eq!(dialect_of_shell(&["cmd", "/S", "/C"]), not("cmd"));
        assert_eq!(
            dialect_of_shell(&["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"]),
            not("powershell")
        );
        assert_eq!(
            dialect_of_shell(&["/usr/bin/env", "bash", "-c"]),
            ShellDialect::Bash
        );
        assert_eq!(
            dialect_of_shell(&["busybox", "sh", "-c"]),
            ShellDialect::Posix
        );
        assert_eq!(dialect_of_shell::<&str>(&[]), ShellDialect::Posix);
    }

    #[test]
    fn heredoc_bodies_by_command() {
        let posix = ShellDialect::Posix;
        assert_eq!(
            heredoc_body_dialect("<<EOF", "apt-get update\n", &posix),
            posix
        );
        assert_eq!(
            heredoc_body_dialect("<<EOF", "#!/usr/bin/env python3\nprint(1)\n", &posix),
            not("python3")
        );
        assert_eq!(
            heredoc_body_dialect("<<EOF", "#!/bin/bash\nset -e\n", &posix),
            ShellDialect::Bash
        );
        assert_eq!(
            heredoc_body_dialect("python3 <<EOF", "print(1)\n", &posix),
            not("python3")
        );
        assert_eq!(
            heredoc_body_dialect("bash <<EOF", "x\n", &posix),
            ShellDialect::Bash
        );
        assert_eq!(
            heredoc_body_dialect("sh -e <<EOF", "x\n", &posix),
            ShellDialect::Posix
        );
        assert_eq!(
            heredoc_body_dialect("set -e; sudo bash -x <<'EOF'", "x\n", &posix),
            ShellDialect::Bash
        );
        assert_eq!(
            heredoc_body_dialect("sh -c 'cat' <<EOF", "x\n", &posix),
            not("sh")
        );
        assert_eq!(
            heredoc_body_dialect("cat <<EOF > /etc/x", "x\n", &posix),
            not("cat")
        );
        assert_eq!(
            heredoc_body_dialect("<<EOF", "Write-Host hi\n", &not("pwsh")),
            not("pwsh")
        );
    }
}
