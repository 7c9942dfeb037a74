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
//! Dependency-free, never panics, and about 5 µs for a typical RUN body.

mod argv;
mod ast;
mod dialect;
mod literal;
mod parser;
mod words;

pub use argv::{FlagValue, Invocation};
pub use ast::{
    Frame, Heredoc, ListItem, Op, Redirect, Script, ShellParseError, SimpleCommand, Word,
};
pub use dialect::{
    ShellDialect, dialect_of_interpreter, dialect_of_shell, heredoc_body_dialect, shebang_dialect,
};
pub use literal::unquote;

/// Parse a shell body. `Err` when the text is not a script this parser accepts (bash would
/// reject nearly all of those too); shell rules then skip the body.
pub fn parse(src: &str) -> Result<Script, ShellParseError> {
    parser::Parser::new(src).script()
}
