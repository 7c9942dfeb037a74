//! The line layer of BuildKit's parser (`parser.go` `Parse`): directives, comments, blank lines,
//! continuation lines and heredoc bodies, producing instructions and the lossless token list.

use super::ast::*;
use super::dockerfile::Dockerfile;
use super::heredoc::heredocs_from_line;
use super::instruction::{RawNode, parse_node};
use super::source_map::SourceMap;
use super::span::{LineIndex, Span};
use super::token::{Token, TokenKind};
use super::views::{self, Instruction};
use super::words::is_go_space;
use std::sync::OnceLock;

/// BuildKit's scanner refuses lines of this many bytes or more (without the `\n`).
const MAX_LINE: usize = 65536;

/// One physical line: `start..content_end` is the text, `content_end..end` the line ending
/// (every trailing `\r` and `\n`, as BuildKit's `trimNewline` removes them).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

struct Parser<'a> {
    src: &'a str,
    lines: Vec<Line>,
    next: usize,
    escape: char,
    directives_done: bool,
    directives: Directives,
    comments: Vec<Span>,
    tokens: Vec<Token>,
    diagnostics: Vec<SyntaxDiagnostic>,
    instructions: Vec<Instruction>,
    /// Reused between instructions.
    marks: Marks,
    pieces: Vec<Piece>,
}

pub(crate) fn parse(src: &str) -> Dockerfile {
    let has_bom = src.starts_with('\u{feff}');
    let mut p = Parser {
        src,
        lines: split_lines(src),
        next: 0,
        escape: '\\',
        directives_done: false,
        directives: Directives::default(),
        comments: Vec::new(),
        tokens: Vec::with_capacity(src.len() / 4),
        diagnostics: Vec::new(),
        instructions: Vec::new(),
        marks: Marks::default(),
        pieces: Vec::new(),
    };
    p.instructions.reserve(p.lines.len() / 2);
    if has_bom {
        p.tokens.push(Token {
            kind: TokenKind::Bom,
            span: Span::new(0, 3),
        });
    }
    p.run(has_bom);
    if p.instructions.is_empty() {
        // BuildKit reports the last line read.
        let span = p
            .lines
            .last()
            .map_or(Span::empty(0), |l| Span::new(l.start, l.content_end));
        p.diagnostics.push(SyntaxDiagnostic {
            kind: SyntaxErrorKind::NoInstructions,
            span,
            message: "file with no instructions".into(),
        });
    }
    views::check_file(&p.instructions, &mut p.diagnostics);
    Dockerfile {
        source: src.to_string(),
        line_index: LineIndex::from_line_starts(
            p.lines.iter().map(|l| l.start).collect(),
            src.len(),
            src.is_empty() || src.ends_with('\n'),
        ),
        tokens: p.tokens,
        escape: p.escape,
        has_bom,
        directives: p.directives,
        instructions: p.instructions,
        diagnostics: p.diagnostics,
    }
}

fn split_lines(src: &str) -> Vec<Line> {
    let b = src.as_bytes();
    let mut lines = Vec::with_capacity(src.len() / 32 + 1);
    let mut start = 0;
    let mut newlines = memchr::memchr_iter(b'\n', b);
    while start < b.len() {
        let end = match newlines.next() {
            Some(i) => i + 1,
            None => b.len(),
        };
        let mut content_end = end;
        while content_end > start && matches!(b[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        lines.push(Line {
            start,
            content_end,
            end,
        });
        start = end;
    }
    lines
}

/// Length of the leading `unicode.IsSpace` run of `s`.
fn leading_space(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_go_space).len()
}

/// `[ \t]`-trailing blanks, then the escape: where a continuation cut goes, if the line continues
/// (BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`).
fn continuation_cut(text: &str, escape: char) -> Option<usize> {
    // The escape is `\` or `` ` ``: compare bytes (this runs on every line).
    let esc = u8::try_from(escape).ok()?;
    let b = text.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end == 0 || b[end - 1] != esc {
        return None;
    }
    let before = end - 1;
    if before == 0 || b[before - 1] != esc {
        Some(before)
    } else {
        None
    }
}

/// A parsed directive candidate: key and value spans relative to the line.
pub(crate) struct DirectiveMatch {
    pub key: Span,
    pub value: Span,
}

fn is_re_s(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// `#` then `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on the left-trimmed rest.
fn match_directive(line: &str) -> Option<DirectiveMatch> {
    match_directive_with(line, "#")
}

/// [`match_directive`] with another comment prefix (`DetectSyntax` also tries `//`).
pub(crate) fn match_directive_with(line: &str, prefix: &str) -> Option<DirectiveMatch> {
    let rest = line.strip_prefix(prefix)?;
    let off = prefix.len() + leading_space(rest);
    let b = line.as_bytes();
    let mut i = off;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let key = Span::new(off, i);
    while i < b.len() && is_re_s(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let after_eq = i;
    while i < b.len() && is_re_s(b[i]) {
        i += 1;
    }
    let mut end = b.len();
    while end > i && is_re_s(b[end - 1]) {
        end -= 1;
    }
    if end == i {
        // Only blanks after `=`: the lazy group still takes one of them.
        if b.len() == after_eq {
            return None;
        }
        let last = b.len() - 1;
        return Some(DirectiveMatch {
            key,
            value: Span::new(last, b.len()),
        });
    }
    Some(DirectiveMatch {
        key,
        value: Span::new(i, end),
    })
}

/// Kind of a text run of an instruction line, for the token list.
#[derive(Default)]
struct Marks {
    keywords: Vec<Span>,
    flags: Vec<Span>,
    cursor: usize,
}

impl Marks {
    /// Runs are classified in file order and flag spans are in file order, so a cursor keeps
    /// this linear even for an instruction with thousands of flags.
    fn kind(&mut self, at: usize) -> TokenKind {
        if self.keywords.iter().any(|s| s.contains(at)) {
            return TokenKind::Keyword;
        }
        while self.cursor < self.flags.len() && self.flags[self.cursor].end <= at {
            self.cursor += 1;
        }
        if self.flags.get(self.cursor).is_some_and(|s| s.contains(at)) {
            TokenKind::Flag
        } else {
            TokenKind::Argument
        }
    }
}

/// Roles of the physical lines of one instruction, for the token list.
#[derive(Clone, Copy)]
enum Piece {
    /// Instruction text `start..cut`, continuation `cut..content_end`.
    Text {
        line: Line,
        text_start: usize,
        cut: usize,
    },
    Comment(Line),
    Blank(Line),
}

impl Parser<'_> {
    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if start < end {
            self.tokens.push(Token {
                kind,
                span: Span::new(start, end),
            });
        }
    }

    fn diag(&mut self, kind: SyntaxErrorKind, span: Span, message: String) {
        self.diagnostics.push(SyntaxDiagnostic {
            kind,
            span,
            message,
        });
    }

    /// A whole line as: leading blanks, `kind` text, line ending.
    fn push_line(&mut self, line: Line, kind: TokenKind) {
        let text = &self.src[line.start..line.content_end];
        let ws = leading_space(text);
        self.push(TokenKind::Whitespace, line.start, line.start + ws);
        self.push(kind, line.start + ws, line.content_end);
        self.push(TokenKind::Newline, line.content_end, line.end);
    }

    fn check_length(&mut self, line: Line) {
        let raw_end = if self.src.as_bytes().get(line.end.wrapping_sub(1)) == Some(&b'\n') {
            line.end - 1
        } else {
            line.end
        };
        if raw_end - line.start >= MAX_LINE {
            self.diag(
                SyntaxErrorKind::LineTooLong,
                Span::new(line.start, line.content_end),
                format!(
                    "dockerfile line greater than max allowed size of {}",
                    MAX_LINE - 1
                ),
            );
        }
    }

    fn run(&mut self, has_bom: bool) {
        while self.next < self.lines.len() {
            let idx = self.next;
            self.next += 1;
            let mut line = self.lines[idx];
            self.check_length(line);
            if idx == 0 && has_bom {
                line.start = 3.min(line.end);
                line.content_end = line.content_end.max(line.start);
            }
            let raw = &self.src[line.start..line.content_end];
            let ws = leading_space(raw);
            let trimmed = &raw[ws..];
            let is_comment = trimmed.starts_with('#');
            if is_comment {
                let rest_blank = raw
                    .strip_prefix('#')
                    .is_some_and(|r| r.trim_matches(is_go_space).is_empty());
                if rest_blank {
                    self.comments.clear();
                } else {
                    self.comments
                        .push(Span::new(line.start + ws, line.content_end));
                }
            }
            if !self.directives_done && self.directive(line, ws, idx + 1) {
                self.comments.pop();
                continue;
            }
            self.directives_done = true;
            if is_comment {
                self.push_line(line, TokenKind::Comment);
                continue;
            }
            let first_start = line.start + ws;
            let cut = continuation_cut(trimmed, self.escape).map(|c| first_start + c);
            if cut.is_none() && trimmed.is_empty() {
                self.push_line(line, TokenKind::Whitespace);
                continue;
            }
            self.instruction(idx, line, first_start, cut);
        }
    }

    /// Try `line` as a parser directive. True when it is one (valid or not).
    fn directive(&mut self, line: Line, ws: usize, line_no: usize) -> bool {
        let text = &self.src[line.start + ws..line.content_end];
        let Some(m) = match_directive(text) else {
            return false;
        };
        let base = line.start + ws;
        let key_text = m.key.text(text).to_ascii_lowercase();
        if !matches!(key_text.as_str(), "syntax" | "escape" | "check") {
            return false;
        }
        let directive = Directive {
            name: key_text.clone(),
            key_span: m.key.offset(base),
            value: m.value.text(text).to_string(),
            value_span: m.value.offset(base),
            span: Span::new(line.start + ws, line.content_end),
            line: line_no,
        };
        let span = directive.span;
        self.push_line(line, TokenKind::Directive);
        let slot = match key_text.as_str() {
            "syntax" => &mut self.directives.syntax,
            "escape" => &mut self.directives.escape,
            _ => &mut self.directives.check,
        };
        if slot.is_some() {
            self.diag(
                SyntaxErrorKind::DuplicateDirective,
                span,
                format!("only one {key_text} parser directive can be used"),
            );
            return true;
        }
        let value = directive.value.clone();
        let value_span = directive.value_span;
        *slot = Some(directive);
        if key_text == "escape" {
            match value.as_str() {
                "`" => self.escape = '`',
                "\\" => self.escape = '\\',
                _ => self.diag(
                    SyntaxErrorKind::InvalidEscapeDirective,
                    value_span,
                    format!("invalid escape token '{value}' does not match ` or \\"),
                ),
            }
        }
        true
    }

    fn instruction(
        &mut self,
        first_idx: usize,
        first: Line,
        first_start: usize,
        cut: Option<usize>,
    ) {
        let mut map = SourceMap::new();
        let first_cut = cut.unwrap_or(first.content_end);
        // A continued instruction is usually several lines long: room for a few of them.
        let first_len = first_cut - first_start;
        let mut joined = String::with_capacity(if cut.is_some() {
            first_len * 4 + 64
        } else {
            first_len
        });
        let mut pieces = std::mem::take(&mut self.pieces);
        pieces.clear();
        joined.push_str(&self.src[first_start..first_cut]);
        map.push(Span::new(first_start, first_cut));
        pieces.push(Piece::Text {
            line: first,
            text_start: first_start,
            cut: first_cut,
        });
        let mut last_line = first;
        let mut continues = cut.is_some();
        while continues && self.next < self.lines.len() {
            let line = self.lines[self.next];
            self.next += 1;
            self.check_length(line);
            last_line = line;
            let raw = &self.src[line.start..line.content_end];
            let ws = leading_space(raw);
            if raw[ws..].starts_with('#') {
                pieces.push(Piece::Comment(line));
                continue;
            }
            if ws == raw.len() {
                self.diag(
                    SyntaxErrorKind::EmptyContinuationLine,
                    Span::new(line.start, line.content_end),
                    "Empty continuation line".into(),
                );
                pieces.push(Piece::Blank(line));
                continue;
            }
            let c = continuation_cut(raw, self.escape);
            continues = c.is_some();
            let cut = line.start + c.unwrap_or(raw.len());
            joined.push_str(&self.src[line.start..cut]);
            map.push(Span::new(line.start, cut));
            pieces.push(Piece::Text {
                line,
                text_start: line.start,
                cut,
            });
        }
        let node = parse_node(&joined, Span::new(0, joined.len()), self.escape);
        let start_line = first_idx + 1;
        let mut end_line = self.next;
        let mut span_end = last_line.content_end;

        // Heredocs: RUN/COPY/ADD (or ONBUILD of one), not in JSON form.
        let target = node
            .child
            .as_deref()
            .filter(|_| node.keyword == Keyword::Onbuild);
        let holder = target.unwrap_or(&node);
        let can_heredoc =
            matches!(holder.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && !holder.json;
        let mut heredocs = Vec::new();
        let mut body_lines: Vec<(Line, bool)> = Vec::new();
        if can_heredoc && joined.contains("<<") {
            match heredocs_from_line(&joined) {
                Ok(words) => {
                    for w in words {
                        let word_span = map.span_to_file(w.word_span);
                        let content_start = self
                            .lines
                            .get(self.next)
                            .map_or(self.src.len(), |l| l.start);
                        let mut content = String::new();
                        let mut terminator = None;
                        while self.next < self.lines.len() {
                            let line = self.lines[self.next];
                            self.next += 1;
                            self.check_length(line);
                            let mut t = &self.src[line.start..line.content_end];
                            if w.chomp {
                                t = t.trim_start_matches('\t');
                            }
                            if t == w.name {
                                terminator = Some(line);
                                body_lines.push((line, true));
                                break;
                            }
                            content.push_str(&self.src[line.start..line.end]);
                            body_lines.push((line, false));
                        }
                        let (content_end, terminator_span) = match terminator {
                            Some(l) => {
                                span_end = l.content_end;
                                (l.start, Span::new(l.start, l.content_end))
                            }
                            None => {
                                self.diag(
                                    SyntaxErrorKind::UnterminatedHeredoc,
                                    word_span,
                                    "unterminated heredoc".into(),
                                );
                                span_end = self.src.len();
                                (self.src.len(), Span::empty(self.src.len()))
                            }
                        };
                        heredocs.push(Heredoc {
                            name: w.name,
                            word_span,
                            name_span: map.span_to_file(w.name_span),
                            fd: w.fd,
                            chomp: w.chomp,
                            expand: w.expand,
                            content,
                            content_span: Span::new(content_start, content_end.max(content_start)),
                            terminator_span,
                        });
                    }
                    end_line = self.next;
                }
                Err((message, span)) => {
                    self.diag(
                        SyntaxErrorKind::InvalidHeredoc,
                        map.span_to_file(span),
                        message,
                    );
                }
            }
        }

        let comments = std::mem::take(&mut self.comments);
        let line = ShellText { text: joined, map };
        let mut marks = std::mem::take(&mut self.marks);
        marks.keywords.clear();
        marks.flags.clear();
        marks.cursor = 0;
        let mut inst = self.build(node, &line, &mut marks);
        inst.line = line;
        inst.start_line = start_line;
        inst.end_line = end_line;
        inst.span = Span::new(
            inst.keyword_span.start,
            span_end.max(inst.keyword_span.start),
        );
        inst.comments = comments;
        inst.heredocs = heredocs;
        views::check_instruction(&inst, &mut self.diagnostics);
        self.instructions.push(inst);

        // Tokens, in file order.
        for piece in pieces.iter().copied() {
            match piece {
                Piece::Comment(l) => self.push_line(l, TokenKind::Comment),
                Piece::Blank(l) => self.push_line(l, TokenKind::Whitespace),
                Piece::Text {
                    line,
                    text_start,
                    cut,
                } => {
                    self.push(TokenKind::Whitespace, line.start, text_start);
                    self.push_runs(text_start, cut, &mut marks);
                    self.push(TokenKind::LineContinuation, cut, line.content_end);
                    self.push(TokenKind::Newline, line.content_end, line.end);
                }
            }
        }
        self.marks = marks;
        self.pieces = pieces;
        for (l, is_terminator) in body_lines {
            if is_terminator {
                self.push(TokenKind::HeredocTerminator, l.start, l.content_end);
                self.push(TokenKind::Newline, l.content_end, l.end);
            } else {
                self.push(TokenKind::HeredocBody, l.start, l.end);
            }
        }
    }

    /// Split `start..end` into blank runs and text runs classified by `marks`.
    fn push_runs(&mut self, start: usize, end: usize, marks: &mut Marks) {
        let b = self.src.as_bytes();
        let mut i = start;
        while i < end {
            let blank = matches!(b[i], b' ' | b'\t' | b'\r' | 0x0b | 0x0c);
            let mut j = i + 1;
            while j < end && matches!(b[j], b' ' | b'\t' | b'\r' | 0x0b | 0x0c) == blank {
                j += 1;
            }
            let kind = if blank {
                TokenKind::Whitespace
            } else {
                marks.kind(i)
            };
            self.push(kind, i, j);
            i = j;
        }
    }

    /// The public instruction for a node (line numbers, span, comments, heredocs and the joined
    /// line are filled in by the caller).
    fn build(&mut self, node: RawNode, line: &ShellText, marks: &mut Marks) -> Instruction {
        let map = &line.map;
        let keyword_span = map.span_to_file(node.keyword_span);
        marks.keywords.push(keyword_span);
        let flags: Vec<Flag> = node
            .flags
            .into_iter()
            .map(|f| {
                let span = map.span_to_file(f.span);
                marks.flags.push(span);
                make_flag(self.src, f.text, span)
            })
            .collect();
        for (kind, span, message) in node.errors {
            self.diag(kind, map.span_to_file(span), message);
        }
        let value_spans = [
            node.args.first().map(|a| a.1),
            node.args.get(1).map(|a| a.1),
        ];
        let args: Vec<Arg> = node
            .args
            .into_iter()
            .map(|(value, span)| Arg {
                value,
                span: map.span_to_file(span),
            })
            .collect();
        let child = node.child.map(|c| {
            let mut inner = self.build(*c, line, marks);
            inner.line = line.clone();
            Box::new(inner)
        });
        Instruction {
            keyword: node.keyword,
            keyword_span,
            span: keyword_span,
            start_line: 0,
            end_line: 0,
            flags,
            comments: Vec::new(),
            line: ShellText::default(),
            rest: node.rest,
            rest_span: map.span_to_file(node.rest),
            args,
            json_form: node.json,
            heredocs: Vec::new(),
            trigger: child,
            value_spans,
            view: OnceLock::new(),
        }
    }
}

/// A flag from its processed word; name/value spans are found in the file text.
fn make_flag(src: &str, text: Text, span: Span) -> Flag {
    let body = text.strip_prefix("--").unwrap_or(&text);
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (Text::from(n), Some(Text::from(v))),
        None => (Text::from(body), None),
    };
    let raw = span.text(src);
    let name_start = span.start + 2.min(raw.len());
    let (name_span, value_span) = match raw.find('=') {
        Some(eq) if value.is_some() => (
            Span::new(name_start, (span.start + eq).max(name_start)),
            Some(Span::new(span.start + eq + 1, span.end)),
        ),
        _ => (
            Span::new(name_start, span.end),
            value.as_ref().map(|_| Span::empty(span.end)),
        ),
    };
    Flag {
        span,
        text,
        name,
        name_span,
        value,
        value_span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rules() {
        assert_eq!(continuation_cut("RUN a \\", '\\'), Some(6));
        assert_eq!(continuation_cut("RUN a\\  \t", '\\'), Some(5));
        assert_eq!(continuation_cut("\\", '\\'), Some(0));
        assert_eq!(continuation_cut("  \\", '\\'), Some(2));
        assert_eq!(continuation_cut("RUN a\\\\", '\\'), None);
        assert_eq!(continuation_cut("RUN a\\\\\\", '\\'), None);
        assert_eq!(continuation_cut("RUN a`", '`'), Some(5));
        assert_eq!(continuation_cut("RUN a\\", '`'), None);
    }

    #[test]
    fn directive_regex() {
        let m = match_directive("# escape = ` ").unwrap();
        assert_eq!(m.value, Span::new(11, 12));
        let line = "#syntax= ";
        let m = match_directive(line).unwrap();
        assert_eq!(m.value.text(line), " ");
        assert!(match_directive("#syntax=").is_none());
        assert!(match_directive("# 1x=y").is_none());
        assert!(match_directive("#x y=z").is_none());
    }
}
