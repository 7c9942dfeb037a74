//! The lossless token list: every byte of the input belongs to exactly one token, in order.

use super::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// The UTF-8 byte-order mark at the start of the file.
    Bom,
    /// A parser directive line (`# escape=\``), without its line ending.
    Directive,
    /// A whole-line comment, without its line ending.
    Comment,
    /// Spaces, tabs and other blanks (including a blank line's content).
    Whitespace,
    /// `\n` or `\r\n` (a lone `\r` inside a line is whitespace).
    Newline,
    /// The instruction keyword (also ONBUILD's trigger keyword).
    Keyword,
    /// A `--flag[=value]` word or a piece of it.
    Flag,
    /// Any other text of an instruction line.
    Argument,
    /// The escape character ending a continued line, with the blanks after it.
    LineContinuation,
    /// A heredoc body line (with its line ending).
    HeredocBody,
    /// A heredoc terminator line, without its line ending.
    HeredocTerminator,
    /// Bytes the parser could not classify (kept for losslessness).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}
