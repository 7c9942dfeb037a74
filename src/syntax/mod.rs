//! The Dockerfile syntax layer: a lossless, BuildKit-faithful parser, the shell parser for RUN
//! bodies, and span utilities.
//!
//! [`parse`] never fails: what BuildKit rejects becomes a [`SyntaxDiagnostic`], and the token
//! list ([`Dockerfile::tokens`]) always concatenates back to the input.

pub mod ast;
mod detect;
mod dockerfile;
mod heredoc;
pub mod image_ref;
mod instruction;
mod json;
mod parser;
pub mod shell;
pub mod source_map;
pub mod span;
pub mod suggest;
pub mod token;
mod views;
pub mod words;

pub use ast::*;
pub use detect::{SyntaxDirective, detect_syntax};
pub use dockerfile::Dockerfile;
pub use source_map::SourceMap;
pub use span::{LineCol, LineIndex, Span};
pub use token::{Token, TokenKind};
pub use views::{
    ArgDecl, ArgView, CommandView, CopyView, ExposeView, FromView, HealthcheckKind,
    HealthcheckView, ImageRef, Instruction, InstructionView, KeyValue, KeyValuesView, Mount,
    MountField, OnbuildView, RunView, ValueView, VolumeView, flag_names,
};

/// Parse a whole decoded Dockerfile (a leading BOM, LF or CRLF line endings are fine).
/// Never fails and never panics.
pub fn parse(src: &str) -> Dockerfile {
    parser::parse(src)
}
