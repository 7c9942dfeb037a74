//! Shared helpers for rules that look at the commands inside RUN: every simple command of every
//! parsed RUN script with its package-manager reading, the stages that end up in the image, and
//! edits that follow the file's own layout (continuation style, indentation).

use crate::fix::Edit;
use crate::package_managers::{self, Action, Invocation as PackageInvocation, PackageManager};
use crate::placement::{Follower, NoPlace, follow_command};
use crate::semantic::{CachedCommand, RunScript, Semantic};
use crate::syntax::shell::{Script, SimpleCommand, Word};
use crate::syntax::{Dockerfile, Span};

/// One simple command inside a RUN, with what rules usually ask of it.
#[derive(Debug)]
pub struct RunCommand<'a> {
    /// Index of the RUN in `Dockerfile::instructions`.
    pub instruction: usize,
    /// Index of the stage holding the RUN.
    pub stage: usize,
    pub run: &'a RunScript,
    pub script: &'a Script,
    pub cmd: &'a SimpleCommand,
    /// Index of the RUN in `Semantic::run_scripts`.
    pub run_index: usize,
    /// Index of `cmd` in `script.cmds`.
    pub cmd_index: usize,
    /// The command's control-flow facts (branch, subshell, `||`, `set -e` ...), from
    /// [`Semantic::flow`].
    pub flow: crate::syntax::shell::CommandFlow,
    /// The argv of the command that actually runs (`sudo`, `env X=1` ... looked through).
    pub argv: &'a [Word],
    /// `argv` as text: the literal value of each word, or the word as written when it expands.
    pub words: &'a [String],
    package: Option<&'a PackageInvocation>,
}

impl<'a> RunCommand<'a> {
    /// The command name (basename), if literal.
    pub fn name(&self) -> Option<&'a str> {
        let first = self.argv.first()?;
        if first.has_expansion {
            return None;
        }
        let w = self.words.first()?;
        Some(w.rsplit('/').next().unwrap_or(w))
    }

    /// The command read as a package-manager invocation, if it is one from the table.
    pub fn package(&self) -> Option<&'a PackageInvocation> {
        self.package
    }

    /// File span of the whole simple command.
    pub fn file_span(&self) -> Span {
        self.run.file_span(self.cmd.span)
    }

    /// File span of `argv[i]`.
    pub fn word_file_span(&self, i: usize) -> Option<Span> {
        self.argv.get(i).map(|w| self.run.file_span(w.span))
    }

    /// Edits that make `command` run right after this command, on its path (see
    /// [`crate::placement::follow_command`]).
    pub fn follow_with(
        &self,
        file: &Dockerfile,
        command: &str,
        follower: Follower,
    ) -> Result<Vec<Edit>, NoPlace> {
        follow_command(file, self.run, self.cmd_index, command, follower)
    }

    /// Offset of the command in the script text (for ordering commands of one RUN).
    pub fn position(&self) -> usize {
        self.cmd.span.start
    }

    /// Whether this command removes `pm`'s cache: `pm`'s clean subcommand (`apk cache clean`,
    /// `dnf clean all`), or an `rm` of a path in or around one of its cache directories (what the
    /// package-manager table says they are).
    pub fn cleans_cache_of(&self, pm: &PackageManager) -> bool {
        self.package()
            .is_some_and(|p| p.action == Action::Clean && p.manager.name == pm.name)
            || (self.name() == Some("rm")
                && self
                    .words
                    .iter()
                    .skip(1)
                    .any(|w| pm.removing_clears_cache(w)))
    }
}

/// Read every simple command of every RUN that parsed, once per file.
fn read_commands(sem: &Semantic) -> Vec<CachedCommand> {
    let mut out = Vec::new();
    for (r, run) in sem.run_scripts.iter().enumerate() {
        let Ok(script) = &run.script else { continue };
        let Some(stage) = sem.states.get(run.instruction).and_then(|s| s.stage) else {
            continue;
        };
        for (k, cmd) in script.cmds.iter().enumerate() {
            let Some(inv) = cmd.effective(&run.text) else {
                continue;
            };
            let words: Vec<String> = inv
                .argv
                .iter()
                .map(|w| match w.literal(&run.text) {
                    Some(l) => l.into_owned(),
                    None => w.raw(&run.text).to_string(),
                })
                .collect();
            // `package()` is asked only of commands with a literal name.
            let package = inv
                .argv
                .first()
                .filter(|w| !w.has_expansion)
                .and_then(|_| package_managers::parse_invocation(&words));
            out.push(CachedCommand {
                run: r,
                cmd: k,
                stage,
                argv_start: inv.index,
                words,
                package,
            });
        }
    }
    out
}

/// Every simple command of every RUN that parsed, in file order.
pub fn run_commands(sem: &Semantic) -> Vec<RunCommand<'_>> {
    let cache = sem.command_cache.get_or_init(|| read_commands(sem));
    // Asked for by some 30 rules per file: sized up front instead of grown by `collect`.
    let mut out = Vec::with_capacity(cache.len());
    out.extend(cache.iter().filter_map(|c| {
        let run = sem.run_scripts.get(c.run)?;
        let script = run.script.as_ref().ok()?;
        let cmd = script.cmds.get(c.cmd)?;
        Some(RunCommand {
            instruction: run.instruction,
            stage: c.stage,
            run,
            script,
            cmd,
            run_index: c.run,
            cmd_index: c.cmd,
            flow: sem.flow(c.run, c.cmd).copied().unwrap_or_default(),
            argv: cmd.argv.get(c.argv_start..)?,
            words: &c.words,
            package: c.package.as_ref(),
        })
    }));
    out
}

/// The commands of the RUNs that build this image's layers: [`run_commands`] without the
/// `ONBUILD RUN` triggers (they run in a child image, after all of these layers). For rules
/// about layers, their order, stages or the build context.
pub fn layer_commands(sem: &Semantic) -> Vec<RunCommand<'_>> {
    let mut out = run_commands(sem);
    out.retain(|c| !c.run.onbuild);
    out
}

/// The stages whose layers end up in the image: the final stage and the stages it is built
/// `FROM`, transitively. (Stages only copied from with `COPY --from` contribute files, not
/// layers.)
pub fn image_stages(sem: &Semantic) -> Vec<usize> {
    let mut out = Vec::new();
    let mut next = sem.stages.len().checked_sub(1);
    while let Some(s) = next {
        if out.contains(&s) {
            break;
        }
        out.push(s);
        next = sem
            .stages
            .get(s)
            .and_then(|st| st.base.stage)
            .filter(|p| *p < s);
    }
    out
}

pub use crate::package_managers::path_within;

/// Whether a RUN mounts a cache or tmpfs over `dir` (or over a directory containing it).
pub fn has_mount_over(file: &Dockerfile, instruction: usize, dir: &str) -> bool {
    let Some(run) = file
        .instructions
        .get(instruction)
        .and_then(|i| i.run_view())
    else {
        return false;
    };
    run.mounts.iter().any(|m| {
        matches!(m.kind().to_ascii_lowercase().as_str(), "cache" | "tmpfs")
            && m.target().is_some_and(|t| path_within(dir, t))
    })
}

/// An edit that appends `command` after top-level list item `item` of a RUN script, joined with
/// `&&`, in the file's own layout (see [`crate::placement::append_at`]). It runs when the whole
/// item succeeded: right for merging a RUN into another; a cleanup for one command of the item
/// goes on that command's path instead ([`RunCommand::follow_with`]).
pub fn append_to_item(
    file: &Dockerfile,
    run: &RunScript,
    item: usize,
    command: &str,
) -> Option<Edit> {
    let script = run.script.as_ref().ok()?;
    let end = script.item_end(item)?;
    crate::placement::append_at(file, run, end, command)
}

/// An edit inserting ` text` right after word `w` of a RUN script.
pub fn insert_after_word(run: &RunScript, w: &Word, text: &str) -> Edit {
    Edit::insert(run.map.to_file(w.span.end), format!(" {text}"))
}

/// An edit inserting ` text` right after the subcommand of a package-manager command (after
/// the command word when it has none): `apt-get install` -> `apt-get install -y`.
pub fn insert_after_subcommand(
    c: &RunCommand<'_>,
    inv: &PackageInvocation,
    text: &str,
) -> Option<Edit> {
    let last = match &inv.subcommand {
        Some(r) => r.end.checked_sub(1)?,
        None => inv.command_words.checked_sub(1)?,
    };
    Some(insert_after_word(c.run, c.argv.get(last)?, text))
}

/// The command as a message names it: the tool and its subcommand (`apt-get install`,
/// `python3 -m pip install`), options left out.
pub fn command_text(c: &RunCommand<'_>, inv: &PackageInvocation) -> String {
    let mut parts: Vec<String> = Vec::new();
    if inv.command_words == 1 {
        parts.push(c.name().unwrap_or(inv.manager.name).to_string());
    } else {
        parts.extend(c.words.iter().take(inv.command_words).cloned());
    }
    if let Some(sub) = inv.subcommand_text(c.words) {
        parts.push(sub);
    }
    parts.join(" ")
}

/// How an environment variable is set for a command, when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvSetting {
    /// Set to this literal value.
    Value(String),
    /// Set to something only known at build time.
    Unknown,
}

impl EnvSetting {
    /// Whether the value is one of `values` (ASCII case ignored); an unknown value counts, so a
    /// rule that asks "is the cache off?" stays silent when it cannot tell.
    pub fn is_one_of(&self, values: &[&str]) -> bool {
        match self {
            EnvSetting::Value(v) => values.iter().any(|x| x.eq_ignore_ascii_case(v)),
            EnvSetting::Unknown => true,
        }
    }
}

/// Whether variable `name` is set for command `c`: an `ENV` or `ARG` visible at the RUN, an
/// assignment before the command (`NAME=1 pip ...`, `env NAME=1 pip ...`), or an `export NAME=`
/// earlier in the same RUN. The closest wins.
pub fn env_for(sem: &Semantic, c: &RunCommand<'_>, name: &str) -> Option<EnvSetting> {
    let text = &c.run.text;
    let prefix = format!("{name}=");
    let from_word = |w: &Word| -> Option<EnvSetting> {
        let raw = w.raw(text);
        raw.strip_prefix(&prefix)?;
        Some(match w.literal(text) {
            Some(l) if !w.has_expansion => {
                EnvSetting::Value(l.strip_prefix(&prefix).unwrap_or("").to_string())
            }
            _ => EnvSetting::Unknown,
        })
    };
    // On the command itself.
    if let Some(v) = c
        .cmd
        .assigns
        .iter()
        .chain(c.cmd.argv.iter())
        .find_map(from_word)
    {
        return Some(v);
    }
    // `export NAME=...` earlier in the same RUN.
    let exported = c
        .script
        .cmds
        .iter()
        .filter(|o| o.span.start < c.cmd.span.start)
        .filter(|o| {
            o.argv
                .first()
                .and_then(|w| w.literal(text))
                .is_some_and(|n| n == "export" || n == "declare")
        })
        .filter_map(|o| o.argv.iter().skip(1).find_map(from_word))
        .next_back();
    if exported.is_some() {
        return exported;
    }
    let def = sem.lookup(name, c.instruction)?;
    Some(match def.value.known() {
        Some(v) => EnvSetting::Value(v.to_string()),
        None => EnvSetting::Unknown,
    })
}

/// Where the file at absolute `image_path` came from, when the last COPY (from the build
/// context, before instruction `before` in `stage`) that could have put it there did: the
/// context path it was copied from. `COPY package.json ./` gives `package.json`, `COPY . .`
/// gives the same relative path, `COPY src/ /app/` maps `/app/x` to `src/x`. `None` when no
/// such COPY is found, or a later one may have replaced the file with one this cannot follow
/// (a variable, a wildcard).
pub fn context_source(
    file: &Dockerfile,
    sem: &Semantic,
    stage: usize,
    before: usize,
    image_path: &str,
) -> Option<String> {
    let st = sem.stages.get(stage)?;
    for i in (st.from + 1..before.min(st.body.end)).rev() {
        let ins = file.instructions.get(i)?;
        let v = match ins.view() {
            crate::syntax::InstructionView::Copy(v) | crate::syntax::InstructionView::Add(v) => v,
            _ => continue,
        };
        if v.from.is_some() {
            continue;
        }
        let dest = v.dest.as_ref()?;
        let dest_text = dest.value.to_string();
        let workdir = sem.states.get(i).and_then(|s| s.workdir.clone());
        let dest_abs = if dest_text.starts_with('/') {
            dest_text.clone()
        } else {
            format!("{}/{dest_text}", workdir.as_deref()?)
        };
        let dir_dest = dest_text.ends_with('/') || dest_text == "." || v.sources.len() > 1;
        let dest_abs = crate::semantic::clean_path(&dest_abs);
        for src in &v.sources {
            let raw = src.value.trim_matches(|c| c == '"' || c == '\'');
            if raw.contains(['$', '*', '?', '[']) {
                // This COPY may have written the file: what it holds is not known here.
                return None;
            }
            let clean = crate::dockerignore::clean(raw.trim_start_matches('/'));
            let name = clean.rsplit('/').next().unwrap_or(&clean);
            let is_dir_source = clean == "." || raw.ends_with('/');
            if is_dir_source {
                if let Some(rel) = image_path
                    .strip_prefix(&dest_abs)
                    .and_then(|r| r.strip_prefix('/'))
                    .or_else(|| (dest_abs == "/").then(|| image_path.trim_start_matches('/')))
                {
                    return Some(if clean == "." {
                        rel.to_string()
                    } else {
                        format!("{clean}/{rel}")
                    });
                }
            } else {
                let target = if dir_dest {
                    crate::semantic::clean_path(&format!("{dest_abs}/{name}"))
                } else {
                    dest_abs.clone()
                };
                if target == image_path {
                    return Some(clean);
                }
            }
        }
    }
    None
}

/// Whether instruction `i`'s last line ends in a line continuation: text inserted after it would
/// be joined to it.
pub fn ends_with_continuation(file: &Dockerfile, i: usize) -> bool {
    file.instructions.get(i).is_some_and(|x| {
        file.text(whole_lines(file, x.span))
            .trim_end()
            .ends_with(file.escape)
    })
}

/// The instructions (with their indices) that belong to one of `stages`.
pub fn instructions_in<'f>(
    file: &'f Dockerfile,
    sem: &'f Semantic,
    stages: &'f [usize],
) -> impl Iterator<Item = (usize, &'f crate::syntax::Instruction)> + 'f {
    file.instructions.iter().enumerate().filter(move |(i, _)| {
        sem.states
            .get(*i)
            .and_then(|s| s.stage)
            .is_some_and(|s| stages.contains(&s))
    })
}

pub use super::lines::whole_lines;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_once;
    use crate::fix::{Applicability, Fix};
    use crate::syntax::parse;

    fn append(src: &str) -> String {
        let file = parse(src);
        let sem = Semantic::new(&file);
        let run = sem.run_scripts.last().expect("a RUN script");
        let script = run.script.as_ref().expect("parses");
        let item = script.cmds.last().expect("a command").item;
        let edit = append_to_item(&file, run, item, "rm -rf /x").expect("an edit");
        apply_once(
            src,
            &[Fix::new("t", Applicability::Safe, vec![edit])],
            Applicability::Safe,
        )
        .0
    }

    #[test]
    fn appends_on_the_same_line_for_one_line_runs() {
        assert_eq!(
            append("FROM a\nRUN apt-get update; echo\n"),
            "FROM a\nRUN apt-get update; echo && rm -rf /x\n"
        );
    }

    #[test]
    fn follows_trailing_operator_style() {
        let src = "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n";
        assert_eq!(
            append(src),
            "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /x\n"
        );
    }

    #[test]
    fn follows_leading_operator_style_and_backtick_escape() {
        let src = "# escape=`\nFROM a\nRUN apt-get update `\n  && apt-get install -y curl\n";
        assert_eq!(
            append(src),
            "# escape=`\nFROM a\nRUN apt-get update `\n  && apt-get install -y curl `\n  && rm -rf /x\n"
        );
    }

    #[test]
    fn image_stages_follow_from_chain_only() {
        let file = parse("FROM a AS one\nFROM b AS two\nFROM one\nCOPY --from=two /x /x\n");
        let sem = Semantic::new(&file);
        assert_eq!(image_stages(&sem), [2, 0]);
    }

    fn env_of_last_command(src: &str, name: &str) -> Option<EnvSetting> {
        let file = parse(src);
        let sem = Semantic::new(&file);
        let cmds = run_commands(&sem);
        let c = cmds.last().expect("a command");
        env_for(&sem, c, name)
    }

    #[test]
    fn env_for_reads_env_arg_assignments_and_exports() {
        let v = |s: &str| Some(EnvSetting::Value(s.to_string()));
        assert_eq!(
            env_of_last_command("FROM a\nENV X=1\nRUN pip install y\n", "X"),
            v("1")
        );
        assert_eq!(
            env_of_last_command("FROM a\nARG X\nRUN pip install y\n", "X"),
            Some(EnvSetting::Unknown)
        );
        assert_eq!(
            env_of_last_command("FROM a\nRUN X=2 pip install y\n", "X"),
            v("2")
        );
        assert_eq!(
            env_of_last_command("FROM a\nRUN env X=3 pip install y\n", "X"),
            v("3")
        );
        assert_eq!(
            env_of_last_command("FROM a\nRUN export X=4; pip install y\n", "X"),
            v("4")
        );
        assert_eq!(
            env_of_last_command("FROM a\nRUN pip install y\nENV X=1\n", "X"),
            None
        );
        assert_eq!(
            env_of_last_command("FROM a\nRUN pip install y X=1\n", "XY"),
            None
        );
    }

    #[test]
    fn whole_lines_cover_the_line_ending() {
        let file = parse("FROM a\nRUN a \\\n  b\nRUN c");
        let run = file.instructions.get(1).expect("RUN");
        assert_eq!(file.text(whole_lines(&file, run.span)), "RUN a \\\n  b\n");
        let last = file.instructions.get(2).expect("RUN");
        assert_eq!(file.text(whole_lines(&file, last.span)), "RUN c");
    }

    #[test]
    fn paths_within() {
        assert!(path_within("/var/lib/apt/lists/*", "/var/lib/apt"));
        assert!(path_within("/var/lib/apt/lists", "/var/lib/apt/lists/"));
        assert!(!path_within("/var/lib/aptx", "/var/lib/apt"));
        assert!(path_within("/var/lib/apt/lists", "/var/lib/apt/lists/*"));
        assert!(!path_within("/var/lib/apt", "/var/lib/apt/lists/*"));
    }
}
