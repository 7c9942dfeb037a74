//! Shell parser for RUN bodies: POSIX sh plus the bash-isms real Dockerfiles use (`[[ ]]`,
//! `(( ))`, `$'..'`, `$".."`, arrays, `${x//a/b}`, `${v:0:3}`, `<<<`, `&>`, `&>>`, `>|`,
//! `<( )`, `>( )`, `function f {}`, `;&`/`;;&`, `select`, `coproc`).
//!
//! The result is flat, made for rules: every simple command with its argv words, assignments,
//! redirects, the operators around it and the constructs enclosing it (see [`Frame`]), plus the
//! top-level statements (where a fix appends `&& rm -rf ...`) and the heredocs. Commands inside
//! `$(..)`, backquotes, `<(..)` and `${x:-$(..)}` are parsed too. All spans are byte ranges into
//! the text given to [`parse`]: for a RUN, the continuation-joined body (see `SourceMap`).
//!
//! ```
//! use whittle::syntax::shell::parse;
//!
//! let src = "apt-get update && sudo apt-get install -y curl # tools\necho done";
//! let script = parse(src).expect("valid shell");
//! let install = script
//!     .cmds
//!     .iter()
//!     .find(|c| {
//!         c.effective(src).is_some_and(|inv| {
//!             inv.name(src).as_deref() == Some("apt-get")
//!                 && inv.subcommand(src, &["-o", "-c"]).as_deref() == Some("install")
//!         })
//!     })
//!     .expect("an install");
//! assert!(install.has_flag(src, Some('y'), "yes") && install.is_unconditional());
//! // where `&& rm -rf /var/lib/apt/lists/*` goes: after `curl`, before the comment
//! let at = script.item_end(install.item).expect("item");
//! assert_eq!(&src[..at], "apt-get update && sudo apt-get install -y curl");
//! ```
//!
//! Dependency-free, never panics (nesting is capped), and parses well over 100,000 typical RUN
//! bodies per second (`cargo bench --bench shell`).
//!
//! Known limits, all outside what real RUN bodies contain:
//! - Redirections written after a compound command (`done < list`, `{ ...; } > f`) are read but
//!   not recorded (their heredocs are); `[[ ]]` keeps its own.
//! - `\`+newline inside a keyword or operator (`th\⏎en`) is not joined (Docker removes
//!   continuations before the shell sees a RUN; only heredoc scripts could hold one).
//! - The inside of `$(( ))` / `(( ))` is not parsed (command substitutions in it are).
//! - The parser is lenient where bash is strict in ways that do not matter to rules (e.g.
//!   `arr=(..)` as any argument, `;` inside `[[ ]]`).

mod argv;
mod ast;
mod dialect;
mod flow;
mod literal;
mod parser;
mod words;

pub use argv::{FlagValue, Invocation};
pub use ast::{
    Block, Frame, Heredoc, ListItem, Op, Redirect, Script, ShellParseError, SimpleCommand, Word,
};
pub use dialect::{
    ShellDialect, dialect_of_interpreter, dialect_of_shell, heredoc_body_dialect, shebang_dialect,
};
pub use flow::{CommandFlow, command_flows, shell_has_errexit, shell_has_pipefail};
pub use literal::unquote;

/// Parse a shell body. `Err` when the text is not a script this parser accepts (bash would
/// reject nearly all of those too); shell rules then skip the body.
pub fn parse(src: &str) -> Result<Script, ShellParseError> {
    parser::Parser::new(src).script()
}
