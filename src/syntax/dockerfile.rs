//! The parsed Dockerfile: its source, lossless token list, parser directives, instructions and
//! syntax diagnostics.

use super::ast::{Directives, SyntaxDiagnostic};
use super::span::{LineCol, LineIndex, Span};
use super::token::Token;
use super::views::Instruction;

/// A parsed Dockerfile. Owns its source text; every span indexes into it.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub(crate) source: String,
    pub(crate) line_index: LineIndex,
    pub(crate) tokens: Vec<Token>,
    /// The escape character in effect (`\` unless a valid `# escape=` directive says `` ` ``).
    pub escape: char,
    /// Whether the text starts with a UTF-8 byte-order mark (kept as a `Bom` token).
    pub has_bom: bool,
    pub directives: Directives,
    /// Instructions in file order.
    pub instructions: Vec<Instruction>,
    /// What BuildKit would reject (or warn about), in file order of detection.
    pub diagnostics: Vec<SyntaxDiagnostic>,
}

impl Dockerfile {
    pub fn source(&self) -> &str {
        &self.source
    }
    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }
    /// The lossless token list: the token texts concatenate to [`Dockerfile::source`].
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }
    /// 1-based line and columns of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_index.line_col(&self.source, offset)
    }
    /// The text a span covers (empty if it does not fit).
    pub fn text(&self, span: Span) -> &str {
        span.text(&self.source)
    }
}
