//! Locating a piece of a word in the file: a word's value is the text BuildKit keeps, which is the
//! file text unless continuation lines or flag quoting changed it.

use crate::syntax::{Dockerfile, Span};

/// The file span of `inner` (relative to `value`) when `value` is written verbatim at `span`;
/// otherwise the whole `span`, which still points at the right word.
pub fn sub_span(file: &Dockerfile, span: Span, value: &str, inner: Span) -> Span {
    if file.text(span) == value && inner.end <= value.len() {
        inner.offset(span.start)
    } else {
        span
    }
}
