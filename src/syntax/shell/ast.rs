//! The flat walking model of a parsed shell body: words, simple commands, redirects, heredocs and
//! top-level list items, all carrying byte spans into the text given to [`super::parse`].

use serde::Serialize;

use crate::syntax::Span;

/// The operator joining a command to its neighbour at its own nesting level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Nothing before it: the first command of a list (or of a compound command's body).
    Start,
    /// `;` or a newline.
    Seq,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
    /// Nothing after it: the last command of its list.
    End,
}

impl Op {
    /// How the operator is spelled (`Seq` as `;`, `Start`/`End` as the empty string).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Start | Op::End => "",
            Op::Seq => ";",
            Op::And => "&&",
            Op::Or => "||",
            Op::Pipe => "|",
            Op::Background => "&",
        }
    }
}

/// A construct enclosing a simple command. `SimpleCommand::frames` lists them outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frame {
    /// `( ... )`
    Subshell,
    /// `{ ...; }`
    Brace,
    /// The condition list of `if` / `elif`.
    IfCond,
    /// The `then` / `else` branches of an `if`.
    IfBody,
    /// The condition list of `while` / `until`.
    LoopCond,
    /// The body of `for` / `select` / `while` / `until`.
    LoopBody,
    /// The body of one `case` arm.
    CaseArm,
    /// A function body (`f() {...}`, `function f {...}`).
    Function,
    /// `$( ... )` or `` `...` ``, also inside `${x:-$(...)}` and `$(( ))`.
    CmdSubst,
    /// `<( ... )` or `>( ... )`
    ProcSubst,
    /// The pipeline on the right of `||` (and everything nested in it): runs only on failure.
    OrBranch,
}

/// One shell word, exactly as written (quotes, `$`, backslashes and `\`+newline included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Word {
    pub span: Span,
    /// Contains quoting: `'..'`, `".."`, `$'..'`, `$".."` or a backslash escape.
    pub quoted: bool,
    /// Contains a parameter, command, arithmetic or process substitution (`$x`, `${..}`,
    /// `$(..)`, `` `..` ``, `$((..))`, `<(..)`). Globs, braces and `~` do not count.
    pub has_expansion: bool,
}

impl Word {
    /// The word as written.
    pub fn raw<'s>(&self, src: &'s str) -> &'s str {
        self.span.text(src)
    }

    /// The word's value after quote removal, or `None` when it contains an expansion (the value
    /// depends on the environment). Globs (`*`), braces (`{a,b}`) and `~` are kept as text.
    pub fn literal<'s>(&self, src: &'s str) -> Option<std::borrow::Cow<'s, str>> {
        if self.has_expansion {
            return None;
        }
        Some(super::literal::unquote(self.raw(src)))
    }

    /// Where the word's literal value sits verbatim in `src`, when it does: an unquoted word
    /// without backslashes, or one wholly inside a single pair of `'..'` or `".."` with nothing
    /// to unescape. A script parsed from the literal (`sh -c '...'`) maps back by adding this
    /// offset to its spans.
    pub fn verbatim_start(&self, src: &str) -> Option<usize> {
        if self.has_expansion {
            return None;
        }
        let raw = self.raw(src);
        if !self.quoted && !raw.contains('\\') {
            return Some(self.span.start);
        }
        let single = raw
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .is_some_and(|inner| !inner.contains('\''));
        let double = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .is_some_and(|inner| !inner.contains(['"', '\\']));
        (single || double).then_some(self.span.start + 1)
    }
}

/// A redirection such as `> /dev/null`, `2>&1`, `&>> log`, `<<-EOF` or `<<< "$x"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    /// From the optional fd number to the end of the target.
    pub span: Span,
    /// The operator itself (`>`, `2>` excluded: only `>`).
    pub op: Span,
    /// The file, fd, here-string or heredoc delimiter word.
    pub target: Word,
    /// Index into `Script::heredocs` for `<<` / `<<-`.
    pub heredoc: Option<usize>,
}

impl Redirect {
    /// The operator text (`>`, `>>`, `2>` is `>` with `span` starting at the `2`, `<<`, ...).
    pub fn op_str<'s>(&self, src: &'s str) -> &'s str {
        self.op.text(src)
    }
    /// The file descriptor number written before the operator (`2` in `2>&1`), if any.
    pub fn fd<'s>(&self, src: &'s str) -> Option<&'s str> {
        let fd = Span::new(self.span.start, self.op.start).text(src);
        (!fd.is_empty()).then_some(fd)
    }
}

/// A here-document. The body is the text between the line after the operator's line and the
/// delimiter line (both excluded); it is empty at the end of the text when never terminated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter with quotes removed.
    pub delim: String,
    /// Any quoting in the delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`): the body is not expanded.
    pub quoted: bool,
    /// `<<-`: leading tabs are stripped from body lines and from the delimiter line.
    pub strip_tabs: bool,
    pub body: Span,
}

/// A command with its argument words: `DEBIAN_FRONTEND=noninteractive apt-get install -y x`.
///
/// `[[ ... ]]` is also reported as a simple command whose argv is `[[`, the operands and
/// operators as words, and `]]`, so it reads like `[ ... ]`. Commands made only of assignments
/// or redirects (`A=1`, `> file`) are reported with an empty argv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimpleCommand {
    /// From the first assignment/word/redirect to the end of the last one.
    pub span: Span,
    /// Assignments written before the command name.
    pub assigns: Vec<Word>,
    /// `argv[0]` is the command name; redirects are not in argv.
    pub argv: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// The operator in front of it at its own nesting level and the operator's span.
    pub op_before: (Op, Option<Span>),
    /// The operator after it at its own nesting level (`Op::End` when it ends its list).
    pub op_after: (Op, Option<Span>),
    /// Enclosing constructs, outermost first.
    pub frames: Vec<Frame>,
    /// Index into `Script::items`: the top-level statement this command belongs to.
    pub item: usize,
    /// Index into `Script::blocks`: the innermost construct enclosing the command (the last of
    /// `frames`), `None` at the top level.
    pub block: Option<usize>,
    /// The end of the pipeline the command belongs to, at its own nesting level.
    pub pipeline_end: usize,
    /// The end of the run of `&&`-joined pipelines that starts with the command's pipeline, at
    /// its own level: text inserted here as ` && cmd` runs exactly when the command's pipeline
    /// and the `&&` chain after it succeeded. (In an `||` branch the chain is the branch's own
    /// pipeline: `a || b && c` is `(a || b) && c`, so appending there leaves the branch.)
    pub chain_end: usize,
}

/// One list a construct encloses: an `if` condition or branch, a loop body, a subshell, a
/// `$(...)`, the pipeline after `||` ... Each simple command's `frames` are the frames of its
/// chain of blocks; the block index tells apart two branches of one `if`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub frame: Frame,
    /// The enclosing block, `None` at the top level.
    pub parent: Option<usize>,
    /// The whole construct the block belongs to, at the parent's level: `if ... fi` (for each
    /// of its conditions and branches), `while ... done`, `( ... )`, `{ ...; }`, `case ... esac`,
    /// the function definition, `$( ... )`; for an `||` branch, its pipeline.
    pub construct: Span,
    /// The construct is followed by `|` (its status is not its pipeline's).
    pub piped: bool,
    /// Like [`SimpleCommand::chain_end`], for the construct at the parent's level.
    pub chain_end: usize,
}

/// One statement of the top-level list: an and-or list ended by `;`, `&`, a newline or the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListItem {
    /// From its first token to the end of its last token (trailing redirects included; the
    /// separator, blanks, comments and heredoc bodies excluded).
    pub span: Span,
    /// The separator after it, if any.
    pub sep: Option<(Op, Span)>,
}

/// A parsed shell body: every simple command in source order (outer commands before the
/// commands in their substitutions), the top-level statements and the heredocs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    pub items: Vec<ListItem>,
    pub cmds: Vec<SimpleCommand>,
    pub heredocs: Vec<Heredoc>,
    /// The constructs enclosing commands, outer ones before the blocks they contain.
    pub blocks: Vec<Block>,
}

impl Script {
    /// The byte offset where a command appended to top-level item `item` goes (e.g. the place
    /// for ` && rm -rf /var/lib/apt/lists/*`): after its last token, before any `;`, `&`,
    /// newline, comment or heredoc body.
    pub fn item_end(&self, item: usize) -> Option<usize> {
        self.items.get(item).map(|i| i.span.end)
    }

    /// The blocks enclosing `cmd`, innermost first.
    pub fn blocks_of(&self, cmd: &SimpleCommand) -> impl Iterator<Item = (usize, &Block)> {
        let mut next = cmd.block;
        // Bounded: a parent is always an earlier block.
        std::iter::from_fn(move || {
            let i = next?;
            let b = self.blocks.get(i)?;
            next = b.parent.filter(|p| *p < i);
            Some((i, b))
        })
    }

    /// The simple commands of top-level item `item` (contiguous in `cmds`).
    pub fn item_cmds(&self, item: usize) -> impl Iterator<Item = &SimpleCommand> {
        self.cmds.iter().filter(move |c| c.item == item)
    }
}

/// Why a body is not a shell script this parser accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct ShellParseError {
    /// Where the problem is: the construct left open, or an empty span at the offending byte.
    pub span: Span,
    pub message: &'static str,
}

impl ShellParseError {
    /// Byte offset of the problem.
    pub fn pos(&self) -> usize {
        self.span.start
    }
}
