//! Byte offsets <-> LSP positions (0-based line, UTF-16 column).
//!
//! The protocol counts `\n`, `\r\n` and a lone `\r` as line ends; a column past the end of its
//! line means the end of the line, and a line past the end of the text means the end of the
//! text. Nothing here panics on a position a client makes up.

use crate::syntax::Span;
use lsp_types::{Position, Range};

/// The starts of the lines of one text, as the protocol counts lines.
#[derive(Debug, Clone)]
pub struct LineTable {
    starts: Vec<usize>,
    len: usize,
}

impl LineTable {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 32 + 2);
        starts.push(0);
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineTable {
            starts,
            len: text.len(),
        }
    }

    /// Byte range of line `line` without its line end (`None` past the last line).
    fn line_content(&self, text: &str, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        if end > start && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && b.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some((start, end))
    }

    /// The byte offset of `pos` in `text` (clamped; never inside a character).
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some((start, end)) = self.line_content(text, pos.line as usize) else {
            return self.len;
        };
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            if units >= pos.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
            // A column inside a surrogate pair rounds up to the character's end.
        }
        end
    }

    /// The position of byte `offset` in `text` (clamped to the text and to a character start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        // An offset between `\r` and `\n` belongs to the end of the line.
        let (_, end) = self.line_content(text, line).unwrap_or((start, start));
        let upto = offset.min(end).max(start);
        let character: usize = text[start..upto].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end.max(span.start)),
        )
    }

    /// The byte span of `range` (ends swapped if the client sent them backwards).
    pub fn span(&self, text: &str, range: Range) -> Span {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        Span::new(a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_and_line_ends() {
        let text = "FROM a\r\nRUN é😀x\rEND\n";
        let t = LineTable::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(t.position(text, x), Position::new(1, 7));
        assert_eq!(t.offset(text, Position::new(1, 7)), x);
        let end = text.find("END").unwrap();
        assert_eq!(t.position(text, end), Position::new(2, 0));
        assert_eq!(t.offset(text, Position::new(2, 0)), end);
        // Past the line's end: the line's end, not the next line.
        assert_eq!(t.offset(text, Position::new(0, 99)), 6);
        // Past the last line: the end of the text.
        assert_eq!(t.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(t.position(text, text.len()), Position::new(3, 0));
        // Inside the surrogate pair of 😀: the character's end.
        let emoji = text.find('😀').unwrap();
        assert_eq!(t.offset(text, Position::new(1, 6)), emoji + 4);
        // Offsets inside a character or between \r and \n clamp.
        assert_eq!(t.position(text, emoji + 1), t.position(text, emoji));
        assert_eq!(t.position(text, 7), Position::new(0, 6));
        assert_eq!(t.position(text, 999), Position::new(3, 0));
    }

    #[test]
    fn spans_and_ranges_round_trip() {
        let text = "a\nbc\n";
        let t = LineTable::new(text);
        let r = t.range(text, Span::new(2, 4));
        assert_eq!(r, Range::new(Position::new(1, 0), Position::new(1, 2)));
        assert_eq!(t.span(text, r), Span::new(2, 4));
        let backwards = Range::new(r.end, r.start);
        assert_eq!(t.span(text, backwards), Span::new(2, 4));
        assert_eq!(LineTable::new("").offset("", Position::new(0, 5)), 0);
    }
}
