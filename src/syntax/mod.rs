//! The Dockerfile syntax layer: a lossless, BuildKit-faithful parser, the shell parser for RUN
//! bodies, and span utilities.

pub mod shell;
pub mod source_map;
pub mod span;

pub use source_map::SourceMap;
pub use span::{LineCol, LineIndex, Span};
