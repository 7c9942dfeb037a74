//! Offsets in a continuation-joined text (what BuildKit hands to the shell) mapped back to
//! offsets in the file, so that a fix computed on the joined text edits the right bytes.

use super::span::Span;

/// One contiguous piece of joined text copied verbatim from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Offset of the piece in the joined text.
    pub joined: usize,
    /// Offset of the same bytes in the file.
    pub file: usize,
    pub len: usize,
}

/// Built by the parser while joining continuation lines: each kept piece is pushed in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Segments,
    joined_len: usize,
}

/// The pieces of a map. Most instructions are one line, so one piece is kept inline: a map
/// per instruction and per command body then costs no allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Segments {
    #[default]
    Empty,
    One(Segment),
    Many(Vec<Segment>),
}

impl Segments {
    fn as_slice(&self) -> &[Segment] {
        match self {
            Segments::Empty => &[],
            Segments::One(s) => std::slice::from_ref(s),
            Segments::Many(v) => v,
        }
    }

    fn last_mut(&mut self) -> Option<&mut Segment> {
        match self {
            Segments::Empty => None,
            Segments::One(s) => Some(s),
            Segments::Many(v) => v.last_mut(),
        }
    }

    fn push(&mut self, seg: Segment) {
        match self {
            Segments::Empty => *self = Segments::One(seg),
            Segments::One(first) => {
                // A continued instruction usually has several more lines.
                let mut v = Vec::with_capacity(8);
                v.extend([*first, seg]);
                *self = Segments::Many(v);
            }
            Segments::Many(v) => v.push(seg),
        }
    }
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append the file bytes `file_span` to the joined text. Adjacent pieces are merged.
    pub fn push(&mut self, file_span: Span) {
        if file_span.is_empty() {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.file + last.len == file_span.start
        {
            last.len += file_span.len();
        } else {
            self.segments.push(Segment {
                joined: self.joined_len,
                file: file_span.start,
                len: file_span.len(),
            });
        }
        self.joined_len += file_span.len();
    }

    /// The map of the joined sub-range `joined` (offsets in the result start at 0).
    pub fn slice(&self, joined: Span) -> SourceMap {
        let mut out = SourceMap::new();
        for s in self.segments.as_slice() {
            let a = s.joined.max(joined.start);
            let b = (s.joined + s.len).min(joined.end);
            if a < b {
                let file = s.file + (a - s.joined);
                out.push(Span::new(file, file + (b - a)));
            }
        }
        out
    }

    pub fn segments(&self) -> &[Segment] {
        self.segments.as_slice()
    }

    /// Length of the joined text.
    pub fn joined_len(&self) -> usize {
        self.joined_len
    }

    /// File offset of joined offset `at`. An offset at the boundary between two pieces maps to
    /// the end of the earlier piece (where an appended text belongs: before the removed `\`+newline
    /// of a continuation, not after it). Offsets past the end map to the end of the last piece.
    pub fn to_file(&self, at: usize) -> usize {
        let segments = self.segments.as_slice();
        let Some(first) = segments.first() else {
            return 0;
        };
        // The last segment whose start is < at, or the first one for at == 0.
        let i = match segments.binary_search_by(|s| s.joined.cmp(&at)) {
            Ok(0) => return first.file,
            Ok(i) => i - 1,
            Err(0) => return first.file,
            Err(i) => i - 1,
        };
        let s = segments[i];
        s.file + (at - s.joined).min(s.len)
    }

    /// File offset of joined offset `at`, preferring the start of a later piece at a boundary
    /// (where a text inserted *before* the word at `at` belongs).
    pub fn to_file_start(&self, at: usize) -> usize {
        let segments = self.segments.as_slice();
        match segments.binary_search_by(|s| s.joined.cmp(&at)) {
            Ok(i) => segments[i].file,
            Err(_) => self.to_file(at),
        }
    }

    /// File span of a joined span. A span that crosses a removed continuation maps to the file
    /// range from its start to its end, which then includes the removed bytes.
    pub fn span_to_file(&self, span: Span) -> Span {
        let start = self.to_file_start(span.start);
        let end = if span.is_empty() {
            start
        } else {
            self.to_file(span.end)
        };
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_a_removed_continuation() {
        // file:   "RUN a \\\n  b"   joined body: "a   b" (the `\`+newline removed)
        let file = "RUN a \\\n  b";
        let mut map = SourceMap::new();
        map.push(Span::new(4, 6)); // "a "
        map.push(Span::new(8, 11)); // "  b"
        let joined = "a   b";
        assert_eq!(map.joined_len(), joined.len());
        let b = joined.find('b').unwrap();
        let fb = map.span_to_file(Span::new(b, b + 1));
        assert_eq!(fb.text(file), "b");
        // appending after "a " lands before the backslash
        assert_eq!(map.to_file(2), 6);
        assert_eq!(map.to_file_start(2), 8);
    }

    #[test]
    fn slices_keep_file_offsets() {
        let mut map = SourceMap::new();
        map.push(Span::new(4, 6));
        map.push(Span::new(8, 11));
        let sub = map.slice(Span::new(1, 4));
        assert_eq!(sub.joined_len(), 3);
        assert_eq!(sub.to_file(0), 5);
        assert_eq!(sub.to_file_start(1), 8);
        assert_eq!(sub.to_file(3), 10);
    }

    #[test]
    fn merges_adjacent_pieces_and_handles_empty() {
        let mut map = SourceMap::new();
        assert_eq!(map.to_file(3), 0);
        map.push(Span::new(10, 12));
        map.push(Span::new(12, 15));
        assert_eq!(map.segments().len(), 1);
        assert_eq!(map.to_file(0), 10);
        assert_eq!(map.to_file(5), 15);
        assert_eq!(map.to_file(99), 15);
    }
}
