//! What rules ask of a command's argv: its name, the command a wrapper runs (`sudo apt-get`),
//! flags, flag values and positional arguments.
//!
//! Flags are read from literal words only: a word with an expansion (`$OPTS`) is never taken for
//! a flag, and counts as a positional argument.

use std::borrow::Cow;

use super::ast::{Frame, SimpleCommand, Word};
use crate::syntax::Span;

/// A command and its arguments inside a simple command's argv: `argv[0]` is the command.
#[derive(Debug, Clone, Copy)]
pub struct Invocation<'c> {
    /// Index of the command word in `SimpleCommand::argv`.
    pub index: usize,
    /// The command word and its arguments.
    pub argv: &'c [Word],
}

/// The value of a flag (`-t x`, `-tx`, `--target x`, `--target=x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue<'s> {
    /// The value's bytes; the whole word when quoting makes them not contiguous.
    pub span: Span,
    /// The value after quote removal; `None` when it contains an expansion.
    pub text: Option<Cow<'s, str>>,
}

/// Basename of a path (`/usr/bin/apt-get` -> `apt-get`).
fn basename(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.rsplit('/').next().unwrap_or(b)),
        Cow::Owned(o) => match o.rsplit_once('/') {
            Some((_, tail)) => Cow::Owned(tail.to_string()),
            None => Cow::Owned(o),
        },
    }
}

/// `long` as given by callers, with or without its leading dashes.
fn long_name(long: &str) -> &str {
    long.trim_start_matches('-')
}

impl<'c> Invocation<'c> {
    /// The command name: basename of the command word with quotes removed (`None` if it expands).
    pub fn name<'s>(&self, src: &'s str) -> Option<Cow<'s, str>> {
        self.argv.first()?.literal(src).map(basename)
    }

    /// The arguments after the command word.
    pub fn args(&self) -> &'c [Word] {
        self.argv.get(1..).unwrap_or(&[])
    }

    /// Whether the flag is given: `-y`, `-qy` (combined short flags, read up to the first
    /// non-alphanumeric character so `-o=Foo::y` has no `y`), `--yes`, `--yes=…`. Stops at `--`.
    /// `long` may be written with or without its dashes; pass `""` for no long form.
    pub fn has_flag(&self, src: &str, short: Option<char>, long: &str) -> bool {
        let long = long_name(long);
        for w in self.args() {
            let Some(lit) = w.literal(src) else { continue };
            if lit == "--" {
                break;
            }
            if let Some(name) = lit.strip_prefix("--") {
                let name = name.split_once('=').map_or(name, |(n, _)| n);
                if !long.is_empty() && name == long {
                    return true;
                }
            } else if let (Some(cluster), Some(short)) = (lit.strip_prefix('-'), short)
                && cluster
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .any(|c| c == short)
            {
                return true;
            }
        }
        false
    }

    /// The value of the first occurrence of a flag that takes one: `-t x`, `-tx`, `-qt x`,
    /// `--target x`, `--target=x`. `None` when the flag is absent (or last with no value).
    pub fn flag_value<'s>(
        &self,
        src: &'s str,
        short: Option<char>,
        long: &str,
    ) -> Option<FlagValue<'s>> {
        let long = long_name(long);
        let args = self.args();
        for (i, w) in args.iter().enumerate() {
            let Some(lit) = w.literal(src) else { continue };
            if lit == "--" {
                return None;
            }
            let next = || {
                args.get(i + 1).map(|n| FlagValue {
                    span: n.span,
                    text: n.literal(src),
                })
            };
            if let Some(name) = lit.strip_prefix("--") {
                if long.is_empty() {
                    continue;
                }
                if name == long {
                    return next();
                }
                if let Some(value) = name.strip_prefix(long).and_then(|v| v.strip_prefix('=')) {
                    return Some(joined_value(w, src, &lit, value));
                }
            } else if let (Some(cluster), Some(short)) = (lit.strip_prefix('-'), short) {
                for (k, c) in cluster.char_indices() {
                    if !c.is_ascii_alphanumeric() {
                        break;
                    }
                    if c == short {
                        let rest = &cluster[k + c.len_utf8()..];
                        let rest = rest.strip_prefix('=').unwrap_or(rest);
                        if rest.is_empty() {
                            return next();
                        }
                        return Some(joined_value(w, src, &lit, rest));
                    }
                }
            }
        }
        None
    }

    /// The `n`th positional argument (0-based) after the command word, skipping flags and the
    /// values of the flags listed in `flags_with_values` (spelled `-t`, `--target`). After `--`
    /// every word is positional; `-` alone and words with expansions are positional.
    pub fn positional(&self, src: &str, n: usize, flags_with_values: &[&str]) -> Option<&'c Word> {
        self.positionals(src, flags_with_values).nth(n)
    }

    /// The script word of a shell run with `-c` (`sh -c '...'`, `bash -ec "..."`), if this is a
    /// POSIX-like shell given one. Parse its `literal` to see the commands inside; when
    /// [`Word::verbatim_start`] is `Some`, spans in that parse map back by adding it.
    pub fn shell_c_script(&self, src: &str) -> Option<&'c Word> {
        let name = self.name(src)?;
        if !super::dialect_of_interpreter(&name).is_shell() || !self.has_flag(src, Some('c'), "") {
            return None;
        }
        self.positional(src, 0, &["-o", "-O", "+o", "+O"])
    }

    /// The first positional argument as text (`install` in `apt-get -q install x`).
    pub fn subcommand<'s>(&self, src: &'s str, flags_with_values: &[&str]) -> Option<Cow<'s, str>> {
        self.positional(src, 0, flags_with_values)?.literal(src)
    }

    /// Every positional argument, in order (see [`Invocation::positional`]).
    pub fn positionals<'a>(
        &self,
        src: &'a str,
        flags_with_values: &'a [&'a str],
    ) -> impl Iterator<Item = &'c Word> + 'a
    where
        'c: 'a,
    {
        let mut args = self.args().iter();
        let mut after_dashdash = false;
        std::iter::from_fn(move || {
            loop {
                let w = args.next()?;
                if after_dashdash {
                    return Some(w);
                }
                let Some(lit) = w.literal(src) else {
                    return Some(w);
                };
                if lit == "--" {
                    after_dashdash = true;
                    continue;
                }
                if lit == "-" || !lit.starts_with('-') {
                    return Some(w);
                }
                if takes_separate_value(&lit, flags_with_values) {
                    args.next();
                }
            }
        })
    }
}

/// Whether flag word `lit` is a flag that takes a value given in the next word.
fn takes_separate_value(lit: &str, flags_with_values: &[&str]) -> bool {
    if lit.starts_with("--") {
        return !lit.contains('=') && flags_with_values.contains(&lit);
    }
    // a short cluster: the value is the next word only when the value flag is its last char
    let cluster = &lit[1..];
    for (k, c) in cluster.char_indices() {
        let mut buf = [0u8; 8];
        buf[0] = b'-';
        let flag = {
            let len = c.encode_utf8(&mut buf[1..]).len();
            std::str::from_utf8(&buf[..=len]).unwrap_or("")
        };
        if flags_with_values.contains(&flag) {
            return k + c.len_utf8() == cluster.len();
        }
    }
    false
}

/// A value written inside the flag word (`--target=x`, `-tx`): its span when the word is
/// unquoted, the whole word otherwise.
fn joined_value<'s>(w: &Word, src: &'s str, lit: &str, value: &str) -> FlagValue<'s> {
    let raw = w.raw(src);
    if raw == lit {
        let start = w.span.end - value.len();
        let span = Span::new(start, w.span.end);
        FlagValue {
            span,
            text: Some(Cow::Borrowed(span.text(src))),
        }
    } else {
        FlagValue {
            span: w.span,
            text: Some(Cow::Owned(value.to_string())),
        }
    }
}

/// A command wrapper that runs another command: how to skip its own arguments.
struct Wrapper {
    names: &'static [&'static str],
    /// Flags whose value is the next word.
    value_flags: &'static [&'static str],
    /// Flags after which no command follows (`command -v x` runs nothing).
    stop_flags: &'static [&'static str],
    /// Positional arguments before the command (`timeout 10 cmd`, `gosu user cmd`).
    positional: usize,
    /// `NAME=value` words may come before the command (`env A=b cmd`, `sudo A=b cmd`).
    assignments: bool,
}

/// The wrappers [`SimpleCommand::effective`] looks through.
const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        names: &["sudo", "doas"],
        value_flags: &[
            "-u",
            "-g",
            "-p",
            "-C",
            "-D",
            "-h",
            "-r",
            "-t",
            "-T",
            "-U",
            "--user",
            "--group",
            "--prompt",
            "--close-from",
            "--chdir",
            "--host",
            "--role",
            "--type",
            "--command-timeout",
            "--other-user",
        ],
        stop_flags: &[
            "-l",
            "-v",
            "-k",
            "-K",
            "-e",
            "-V",
            "--list",
            "--validate",
            "--edit",
        ],
        positional: 0,
        assignments: true,
    },
    Wrapper {
        names: &["env"],
        value_flags: &["-u", "-C", "--unset", "--chdir"],
        stop_flags: &["-S", "--split-string"],
        positional: 0,
        assignments: true,
    },
    Wrapper {
        names: &["command"],
        value_flags: &[],
        stop_flags: &["-v", "-V"],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["exec"],
        value_flags: &["-a"],
        stop_flags: &[],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["builtin", "nohup", "eatmydata", "fakeroot"],
        value_flags: &[],
        stop_flags: &[],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["time"],
        value_flags: &["-f", "-o", "--format", "--output"],
        stop_flags: &[],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["nice"],
        value_flags: &["-n", "--adjustment"],
        stop_flags: &[],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["ionice"],
        value_flags: &["-c", "-n", "--class", "--classdata"],
        stop_flags: &["-p", "-P", "-u", "--pid", "--pgid", "--uid"],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["timeout"],
        value_flags: &["-s", "-k", "--signal", "--kill-after"],
        stop_flags: &[],
        positional: 1,
        assignments: false,
    },
    Wrapper {
        names: &["stdbuf"],
        value_flags: &["-i", "-o", "-e", "--input", "--output", "--error"],
        stop_flags: &[],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["xargs"],
        value_flags: &[
            "-a",
            "-d",
            "-E",
            "-I",
            "-L",
            "-n",
            "-P",
            "-s",
            "--arg-file",
            "--delimiter",
            "--max-lines",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ],
        stop_flags: &[],
        positional: 0,
        assignments: false,
    },
    Wrapper {
        names: &["gosu", "su-exec"],
        value_flags: &[],
        stop_flags: &[],
        positional: 1,
        assignments: false,
    },
];

/// `NAME=value` (as `env` and `sudo` take them).
fn is_assignment(lit: &str) -> bool {
    match lit.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

impl SimpleCommand {
    /// The whole argv as an invocation (`argv[0]` as written, wrappers included).
    pub fn invocation(&self) -> Invocation<'_> {
        Invocation {
            index: 0,
            argv: &self.argv,
        }
    }

    /// The command that actually runs, looking through wrappers and their options:
    /// `sudo`/`doas`, `env` (options and `NAME=value`), `command` (not with `-v`/`-V`), `exec`,
    /// `builtin`, `nohup`, `eatmydata`, `fakeroot`, `time`, `nice`, `ionice`, `timeout`
    /// (and its duration), `stdbuf`, `xargs`, `gosu`/`su-exec` (and the user). A wrapper with
    /// nothing to run, or whose arguments cannot be read (`sudo $OPTS x`), is itself the
    /// effective command. `None` for an empty argv.
    pub fn effective(&self, src: &str) -> Option<Invocation<'_>> {
        let mut i = 0;
        'outer: loop {
            let name = basename(self.argv.get(i)?.literal(src)?);
            let Some(wrapper) = WRAPPERS.iter().find(|w| w.names.contains(&name.as_ref())) else {
                break;
            };
            let mut j = i + 1;
            // options
            while let Some(w) = self.argv.get(j) {
                let Some(lit) = w.literal(src) else {
                    break 'outer;
                };
                if lit == "--" {
                    j += 1;
                    break;
                }
                if !lit.starts_with('-') || lit == "-" {
                    break;
                }
                let flag = lit.split_once('=').map_or(lit.as_ref(), |(f, _)| f);
                if wrapper.stop_flags.contains(&flag) {
                    break 'outer;
                }
                j += if wrapper.value_flags.contains(&lit.as_ref()) {
                    2
                } else {
                    1
                };
            }
            if wrapper.assignments {
                while self
                    .argv
                    .get(j)
                    .and_then(|w| w.literal(src))
                    .is_some_and(|l| is_assignment(&l))
                {
                    j += 1;
                }
            }
            j += wrapper.positional;
            if j >= self.argv.len() {
                break;
            }
            i = j;
        }
        Some(Invocation {
            index: i,
            argv: self.argv.get(i..)?,
        })
    }

    /// The command name as written: basename of `argv[0]` with quotes removed (`None` for an
    /// empty argv or a name that expands). Wrappers are not skipped; see [`Self::effective`].
    pub fn name<'s>(&self, src: &'s str) -> Option<Cow<'s, str>> {
        self.invocation().name(src)
    }

    /// [`Invocation::has_flag`] on the whole argv.
    pub fn has_flag(&self, src: &str, short: Option<char>, long: &str) -> bool {
        self.invocation().has_flag(src, short, long)
    }

    /// [`Invocation::flag_value`] on the whole argv.
    pub fn flag_value<'s>(
        &self,
        src: &'s str,
        short: Option<char>,
        long: &str,
    ) -> Option<FlagValue<'s>> {
        self.invocation().flag_value(src, short, long)
    }

    /// [`Invocation::positional`] on the whole argv.
    pub fn positional(&self, src: &str, n: usize, flags_with_values: &[&str]) -> Option<&Word> {
        self.invocation().positional(src, n, flags_with_values)
    }

    /// Whether the command runs whenever the body runs to its end: not inside an `if`/`while`
    /// condition or branch, a loop body, a `case` arm, a function body, a substitution, or the
    /// right side of `||`. (`&&` chains count as unconditional: a failure fails the RUN.)
    pub fn is_unconditional(&self) -> bool {
        !self.frames.iter().any(|f| {
            matches!(
                f,
                Frame::IfCond
                    | Frame::IfBody
                    | Frame::LoopCond
                    | Frame::LoopBody
                    | Frame::CaseArm
                    | Frame::Function
                    | Frame::CmdSubst
                    | Frame::ProcSubst
                    | Frame::OrBranch
            )
        })
    }
}
