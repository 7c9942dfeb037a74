//! Byte spans into a source text and the line index that turns them into lines and columns.

use serde::Serialize;

/// A half-open byte range `start..end` into one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// An empty span at `at`: where an insertion goes.
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }
    pub const fn len(&self) -> usize {
        self.end - self.start
    }
    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    /// The text this span covers; empty when the span does not fit `src` (never panics).
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.start..self.end).unwrap_or("")
    }
    /// Shift by `delta` bytes (a span relative to a sub-slice made absolute).
    pub const fn offset(self, delta: usize) -> Span {
        Span::new(self.start + delta, self.end + delta)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A position for people and editors: 1-based line, 1-based columns counted three ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column in Unicode scalar values (what people and most editors count).
    pub column: usize,
    /// 1-based column in UTF-16 code units (what LSP clients count).
    pub column_utf16: usize,
    /// 1-based column in bytes.
    pub column_byte: usize,
}

/// Start offsets of every line, so offset -> line/column is a binary search.
/// Lines end at `\n`; a `\r` before it belongs to the line's ending, not to a column people see,
/// but it is still counted if a span points inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let mut line_starts = Vec::with_capacity(src.len() / 32 + 2);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: src.len(),
        }
    }

    /// The index from the starts of the non-empty lines, as the parser's line split finds them
    /// (each line ends after its `\n`), saving a second pass over the text. `ends_open`: the
    /// text is empty or ends with `\n`, so one more (empty) line starts at `len`.
    pub(crate) fn from_line_starts(mut starts: Vec<usize>, len: usize, ends_open: bool) -> Self {
        if ends_open {
            starts.push(len);
        }
        debug_assert_eq!(starts.first(), Some(&0));
        LineIndex {
            line_starts: starts,
            len,
        }
    }

    /// Number of lines (a final line without `\n` counts; an empty text has one line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// 1-based line and columns of `offset` in `src` (the text this index was built from).
    pub fn line_col(&self, src: &str, offset: usize) -> LineCol {
        let offset = offset.min(src.len());
        let line = self.line_of(offset);
        let start = self.line_start(line);
        // Snap back to a char boundary so slicing cannot panic on a span inside a character.
        let mut end = offset;
        while end > start && !src.is_char_boundary(end) {
            end -= 1;
        }
        let before = &src[start..end];
        LineCol {
            line: line + 1,
            column: before.chars().count() + 1,
            column_utf16: before.encode_utf16().count() + 1,
            column_byte: offset - start + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_utf16_and_bytes() {
        let src = "ab\ncé😀x\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_count(), 3);
        let x = src.find('x').unwrap();
        let lc = idx.line_col(src, x);
        assert_eq!(
            (lc.line, lc.column, lc.column_utf16, lc.column_byte),
            (2, 4, 5, 8)
        );
        assert_eq!(idx.line_col(src, 0).line, 1);
        assert_eq!(idx.line_col(src, src.len()).line, 3);
    }

    #[test]
    fn line_col_never_panics_inside_a_character() {
        let src = "é";
        let lc = LineIndex::new(src).line_col(src, 1);
        assert_eq!(lc.column, 1);
    }
}
