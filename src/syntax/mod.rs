//! The Dockerfile syntax layer: a lossless, BuildKit-faithful parser, the shell parser for RUN
//! bodies, and span utilities.
//!
//! [`parse`] never fails: what BuildKit rejects becomes a [`SyntaxDiagnostic`], and the token
//! list ([`Dockerfile::tokens`]) always concatenates back to the input.

pub mod ast;
pub mod shell;
pub mod source_map;
pub mod span;
pub mod token;
pub mod words;

pub use ast::*;
pub use source_map::SourceMap;
pub use span::{LineCol, LineIndex, Span};
pub use token::{Token, TokenKind};

/// Parse a whole decoded Dockerfile (a leading BOM, LF or CRLF line endings are fine).
pub fn parse(src: &str) -> Dockerfile {
    let tokens = if src.is_empty() {
        Vec::new()
    } else {
        vec![Token {
            kind: TokenKind::Unknown,
            span: Span::new(0, src.len()),
        }]
    };
    Dockerfile {
        source: src.to_string(),
        line_index: LineIndex::new(src),
        tokens,
        escape: '\\',
        has_bom: src.starts_with('\u{feff}'),
        directives: Directives::default(),
        instructions: Vec::new(),
        diagnostics: Vec::new(),
    }
}
