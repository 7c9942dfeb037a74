//! WH263 `pipe-without-pipefail`: see `rules/WH263.md`.

use super::helpers::lines::insert_line_before;
use super::helpers::run_commands::{RunCommand, run_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::base_images;
use crate::diagnostic::Severity;

use crate::syntax::Dockerfile;
use crate::syntax::shell::{Frame, Op};
use std::collections::BTreeSet;

pub struct PipeWithoutPipefail;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH263"),
    name: SharedStr::new("pipe-without-pipefail"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &["DL4006"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH263.md")),
};

/// Left sides of a pipe whose failure would not matter: they print what they were given.
const CANNOT_FAIL: [&str; 6] = ["echo", "printf", "yes", "true", "seq", "cat"];

/// Consumers that fail on empty or broken input anyway: the pipeline fails when the producer
/// does, pipefail or not (`curl | tar x`, `curl | gpg --dearmor`, `| grep -q`).
fn fails_on_bad_input(words: &[String]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let name = first.rsplit('/').next().unwrap_or(first);
    let has = |flags: &[&str]| words.iter().skip(1).any(|w| flags.contains(&w.as_str()));
    match name {
        "tar" | "bsdtar" => words.iter().skip(1).enumerate().any(|(k, w)| {
            let short = w.starts_with('-') && !w.starts_with("--");
            // the first word may be an old-style bundle without a dash (`tar xz`)
            let bundle = short || (k == 0 && !w.starts_with('-'));
            w == "--extract" || w == "--list" || w == "--get" || (bundle && w.contains(['x', 't']))
        }),
        "gpg" | "gpg2" => has(&[
            "--dearmor",
            "--dearmour",
            "--import",
            "--verify",
            "--decrypt",
            "-d",
        ]),
        "apt-key" => has(&["add"]),
        "rpm" => has(&["--import"]),
        "gunzip" | "zcat" | "bunzip2" | "unxz" | "xzcat" | "unzstd" | "zstdcat" | "unzip"
        | "funzip" | "cpio" => true,
        "gzip" | "bzip2" | "xz" | "zstd" => has(&["-d", "--decompress", "-dc", "-cd"]),
        "grep" | "egrep" | "fgrep" => true,
        "sha256sum" | "sha512sum" | "sha1sum" | "md5sum" | "shasum" => has(&["-c", "--check"]),
        "jq" => has(&["-e", "--exit-status"]),
        "dpkg" | "docker" | "kubectl" | "helm" => false,
        _ => false,
    }
}

/// Frames in which a pipeline's status does not decide whether the build goes on, or is tested
/// on purpose: inside `$(...)` the outer command decides; in an `if`/`while` condition the
/// status is what the script branches on.
fn in_tested_or_nested_frame(frames: &[Frame]) -> bool {
    frames.iter().any(|f| {
        matches!(
            f,
            Frame::CmdSubst | Frame::ProcSubst | Frame::IfCond | Frame::LoopCond
        )
    })
}

/// POSIX-family shells, where a pipeline's status is its last command's.
const POSIX_SHELLS: [&str; 6] = ["sh", "bash", "dash", "ash", "zsh", "ksh"];

/// Left sides of a pipe that exit non-zero in normal use (`grep` with no match, `diff` of
/// different files, `yes` killed by SIGPIPE): under pipefail their pipeline fails.
const FAILS_NORMALLY: &[&str] = &["grep", "egrep", "fgrep", "zgrep", "diff", "cmp", "yes"];

/// Whether a command in a pipe may stop reading before its input ends (the writer then dies
/// of SIGPIPE, which pipefail turns into a failed RUN): `head`, `grep -q`/`-m`/`-l`, `sed q`,
/// `awk '... exit'`.
fn stops_early(c: &RunCommand<'_>) -> bool {
    let w = c.words;
    match c.name() {
        Some("head") => true,
        Some("grep" | "egrep" | "fgrep") => w.iter().skip(1).any(|a| {
            a == "--quiet"
                || a == "--silent"
                || a.starts_with("--max-count")
                || a == "--files-with-matches"
                || (a.starts_with('-')
                    && !a.starts_with("--")
                    && a[1..].contains(['q', 's', 'm', 'l']))
        }),
        Some("sed") => w
            .iter()
            .skip(1)
            .any(|a| !a.starts_with('-') && a.contains('q')),
        Some("awk" | "gawk" | "mawk") => w.iter().skip(1).any(|a| a.contains("exit")),
        _ => false,
    }
}

/// Whether `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before instruction `from` would
/// change what a later RUN of `stage` (or of a stage built on it) does: a pipe whose writer
/// can fail in normal use or whose reader stops early (the RUN then fails), or an `echo` with
/// backslashes or `-e`/`-E`, or `$'...'` (dash and bash print different things). An ONBUILD
/// step would run under bash in a child image this file does not show.
fn bash_pipefail_changes_builds(
    file: &Dockerfile,
    sem: &crate::semantic::Semantic,
    cmds: &[RunCommand<'_>],
    stage: usize,
    from: usize,
) -> bool {
    let mut affected = vec![stage];
    for st in &sem.stages {
        if st.base.stage.is_some_and(|b| affected.contains(&b)) {
            affected.push(st.index);
        }
    }
    let onbuild = file.instructions.iter().enumerate().any(|(i, x)| {
        x.keyword == crate::syntax::Keyword::Onbuild
            && sem
                .states
                .get(i)
                .and_then(|s| s.stage)
                .is_some_and(|s| affected.contains(&s))
    });
    if onbuild {
        return true;
    }
    cmds.iter()
        .filter(|o| affected.contains(&o.stage) && (o.stage != stage || o.instruction >= from))
        .any(|o| {
            let piped_into = o.cmd.op_after.0 == Op::Pipe;
            let piped_from = o.cmd.op_before.0 == Op::Pipe;
            let text = &o.run.text;
            (piped_into && o.name().is_some_and(|n| FAILS_NORMALLY.contains(&n)))
                || (piped_from && stops_early(o))
                || (o.name() == Some("echo")
                    && o.argv.iter().skip(1).any(|a| {
                        let raw = a.raw(text);
                        raw.contains('\\') || raw == "-e" || raw == "-E" || raw.starts_with("-e")
                    }))
                || o.cmd
                    .argv
                    .iter()
                    .chain(&o.cmd.assigns)
                    .any(|a| a.raw(text).contains("$'"))
        })
}

impl Rule for PipeWithoutPipefail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = run_commands(sem);
        let mut reported: BTreeSet<usize> = BTreeSet::new();
        // One SHELL fix per stage: after it, the next pass sees pipefail in effect.
        let mut fixed_stages: BTreeSet<usize> = BTreeSet::new();
        for (i, c) in cmds.iter().enumerate() {
            if c.cmd.op_after.0 != Op::Pipe || reported.contains(&c.instruction) {
                continue;
            }
            let Some(state) = sem.states.get(c.instruction) else {
                continue;
            };
            let shell = &state.shell;
            let shell_name = shell
                .first()
                .map(|s| s.rsplit('/').next().unwrap_or(s))
                .unwrap_or("sh");
            if !POSIX_SHELLS.contains(&shell_name)
                || crate::syntax::shell::shell_has_pipefail(shell)
            {
                continue;
            }
            let Some(name) = c.name() else { continue };
            if CANNOT_FAIL.contains(&name) || in_tested_or_nested_frame(&c.cmd.frames) {
                continue;
            }
            // `set -o pipefail` (or `set -euo pipefail`) earlier in the same RUN.
            let set_before = cmds[..i].iter().any(|o| {
                o.instruction == c.instruction
                    && o.name() == Some("set")
                    && o.words.iter().any(|w| w == "pipefail")
            });
            if set_before {
                continue;
            }
            // The pipeline's commands at the same nesting (a `$(...)` in an argument is not a
            // stage of the pipe): the next one is what the producer feeds, the last one decides
            // the status.
            let pipeline: Vec<_> = cmds[i + 1..]
                .iter()
                .filter(|n| n.instruction == c.instruction && n.cmd.frames == c.cmd.frames)
                .scan(true, |more, n| {
                    let take = *more;
                    *more = n.cmd.op_after.0 == Op::Pipe;
                    take.then_some(n)
                })
                .collect();
            let (Some(next), Some(last)) = (pipeline.first(), pipeline.last()) else {
                continue;
            };
            if fails_on_bad_input(last.words) {
                continue;
            }
            reported.insert(c.instruction);
            let span = c.file_span().cover(next.file_span());
            let shown = next.name().unwrap_or("the next command");
            let family = sem.root_stage(c.stage).and_then(|root| {
                match (&root.base.repository, &root.base.tag) {
                    (Some(r), t) => base_images::family(r, t.as_deref().unwrap_or("latest")),
                    _ => None,
                }
            });
            let family = family.map(|f| f.name.as_str());
            // Never suggest a shell the image may lack: bash on the Debian family, busybox ash
            // (which has `set -o pipefail`) on Alpine, the shell option itself elsewhere.
            let advice = match family {
                Some("debian") | Some("rhel") => {
                    "`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`"
                }
                Some("alpine") => "`SHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]`",
                _ => "`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` if the image has bash",
            };
            let builder = cx.report(
                span,
                format!("if `{name}` fails, the pipe into `{shown}` still succeeds and the build goes on: set `-o pipefail` ({advice})"),
            );
            // The fix needs bash: only on Debian-family bases, with the default shell.
            let debian = family == Some("debian");
            if debian
                && !state.shell_explicit
                && fixed_stages.insert(c.stage)
                && !bash_pipefail_changes_builds(file, sem, &cmds, c.stage, c.instruction)
            {
                let Some(run) = file.instructions.get(c.instruction) else {
                    continue;
                };
                builder.unsafe_fix(
                    "Run the RUNs of this stage under bash with pipefail",
                    vec![insert_line_before(
                        file,
                        run.span,
                        "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                    )],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, lint_source};

    fn messages(src: &str) -> Vec<String> {
        lint_source(src, &Settings::only(["WH263"]))
            .diagnostics
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn the_message_names_the_producer_and_a_shell_the_image_has() {
        let run = "RUN wget -qO- https://example.com/a.py | python3 -\n";
        let debian = messages(&format!("FROM debian:bookworm-slim\n{run}"));
        assert_eq!(debian.len(), 1);
        assert!(debian[0].starts_with("if `wget` fails, the pipe into `python3`"));
        assert!(debian[0].contains("/bin/bash"));
        // busybox ash has `set -o pipefail`: never suggest bash on Alpine.
        let alpine = messages(&format!("FROM alpine:3.20\n{run}"));
        assert!(alpine[0].contains("/bin/ash") && !alpine[0].contains("bash"));
        let unknown = messages(&format!("FROM example.com/base:1\n{run}"));
        assert!(unknown[0].contains("if the image has bash"));
    }

    #[test]
    fn shell_options_that_set_pipefail() {
        for shell in [
            r#"["/bin/bash", "-o", "pipefail", "-c"]"#,
            r#"["/bin/bash", "-eo", "pipefail", "-c"]"#,
            r#"["/bin/bash", "-euxo", "pipefail", "-c"]"#,
            r#"["/bin/ash", "-eo", "pipefail", "-c"]"#,
            r#"["/bin/bash", "-opipefail", "-c"]"#,
        ] {
            let src = format!(
                "FROM debian:bookworm\nSHELL {shell}\nRUN curl -fsSL https://example.com/a | python3 -\n"
            );
            assert!(messages(&src).is_empty(), "{shell}");
        }
        // `-c pipefail` is the script, not an option.
        let src = "FROM debian:bookworm\nSHELL [\"/bin/bash\", \"-e\", \"-c\"]\nRUN curl -fsSL https://example.com/a | python3 -\n";
        assert_eq!(messages(src).len(), 1);
    }

    #[test]
    fn onbuild_run_is_checked_with_an_exact_range_and_no_fix() {
        let src = "FROM debian:bookworm-slim\nONBUILD RUN curl -fsSL https://example.com/a | python3 -\n";
        let d = lint_source(src, &Settings::only(["WH263"])).diagnostics;
        assert_eq!(d.len(), 1);
        assert_eq!(&src[d[0].span.start..d[0].span.end], "curl -fsSL https://example.com/a | python3 -");
        assert!(d[0].fix.is_none());
        // The same RUN outside ONBUILD gets the SHELL fix.
        let plain = src.replace("ONBUILD RUN", "RUN");
        assert!(lint_source(&plain, &Settings::only(["WH263"])).diagnostics[0].fix.is_some());
    }
}
