//! Recursive-descent parser for the shell grammar (POSIX sh plus the bash-isms Dockerfiles use).
//! It records simple commands into a flat list as it goes; compound commands only contribute
//! frames. Word scanning (quotes, expansions, nested substitutions) lives in `words.rs`.

use super::ast::{
    Block, Frame, Heredoc, ListItem, Op, Redirect, Script, ShellParseError, SimpleCommand,
};
use crate::syntax::Span;

/// Nesting limit (lists, compound commands, substitutions, quotes): keeps the stack bounded on
/// hostile input. Real bodies nest a handful of levels.
const MAX_DEPTH: usize = 200;

/// Words that end a list when they appear where a command would start.
const TERMINATORS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

/// Redirection operators, longest first.
const REDIRECT_OPS: &[&str] = &[
    "<<<", "<<-", "&>>", "<<", ">>", "<&", ">&", "<>", ">|", "&>", "<", ">",
];

pub(super) type PResult<T> = Result<T, ShellParseError>;

/// Bytes that end an unquoted word (blanks and the shell's operator characters).
pub(super) fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) s: &'a [u8],
    pub(super) pos: usize,
    /// End of the region being parsed (the closing backquote while inside `` `..` ``).
    pub(super) end: usize,
    /// End of the last token consumed: where list items and commands end.
    pub(super) tok_end: usize,
    pub(super) frames: Vec<Frame>,
    /// The innermost block being parsed (`Script::blocks`), `None` at the top level.
    pub(super) cur_block: Option<usize>,
    pub(super) depth: usize,
    /// The top-level item being parsed.
    item: usize,
    /// Heredocs whose bodies start after the next newline.
    pub(super) pending: Vec<usize>,
    /// Quoting/expansion seen in the word being scanned.
    pub(super) word_quoted: bool,
    pub(super) word_expands: bool,
    pub(super) out: Script,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Parser {
            src,
            s: src.as_bytes(),
            pos: 0,
            end: src.len(),
            tok_end: 0,
            frames: Vec::new(),
            cur_block: None,
            depth: 0,
            item: 0,
            pending: Vec::new(),
            word_quoted: false,
            word_expands: false,
            out: Script::default(),
        }
    }

    /// The whole text as a script.
    pub(super) fn script(mut self) -> PResult<Script> {
        let mut op = (Op::Start, None);
        loop {
            self.skip_newlines();
            if self.pos >= self.end {
                break;
            }
            if self.at_terminator(&[]) {
                return Err(self.err("unexpected token"));
            }
            self.item = self.out.items.len();
            let start = self.pos;
            self.out.items.push(ListItem {
                span: Span::empty(start),
                sep: None,
            });
            let last = self.and_or(op)?;
            let end = self.tok_end.max(start);
            self.skip_blank();
            let sep = self.separator();
            if let Some(it) = self.out.items.get_mut(self.item) {
                it.span = Span::new(start, end);
                it.sep = sep;
            }
            match sep {
                Some((o, sp)) => {
                    self.set_after(last, o, Some(sp));
                    op = (o, Some(sp));
                }
                None if self.pos < self.end => return Err(self.err("unexpected token")),
                None => {}
            }
        }
        // Heredocs never terminated keep their default empty body at the end of the text.
        Ok(self.out)
    }

    // ---------- low-level cursor ----------

    pub(super) fn err(&self, message: &'static str) -> ShellParseError {
        self.err_at(self.pos, message)
    }

    pub(super) fn err_at(&self, start: usize, message: &'static str) -> ShellParseError {
        let fix = |mut i: usize| {
            i = i.min(self.src.len());
            while !self.src.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = fix(start);
        ShellParseError {
            span: Span::new(start, fix(self.pos.max(start))),
            message,
        }
    }

    #[inline]
    pub(super) fn at(&self, i: usize) -> u8 {
        if i < self.end { self.s[i] } else { 0 }
    }

    #[inline]
    pub(super) fn cur(&self) -> u8 {
        self.at(self.pos)
    }

    #[inline]
    pub(super) fn eof(&self) -> bool {
        self.pos >= self.end
    }

    pub(super) fn starts(&self, t: &str) -> bool {
        self.s
            .get(self.pos..self.end)
            .is_some_and(|rest| rest.starts_with(t.as_bytes()))
    }

    /// A word boundary at `i`: end of region, a metacharacter, or the `\r` of a `\r\n`.
    /// `<(` and `>(` are not: like `$(`, a process substitution is part of a word.
    pub(super) fn boundary(&self, i: usize) -> bool {
        if i >= self.end {
            return true;
        }
        match self.s[i] {
            // `\`+newline is invisible: what follows it decides
            b'\\' if self.at(i + 1) == b'\n' => {
                let mut j = i;
                while self.at(j) == b'\\' && self.at(j + 1) == b'\n' {
                    j += 2;
                }
                j >= self.end || (self.s[j] != b'\\' && self.boundary(j))
            }
            b'<' | b'>' => self.at(i + 1) != b'(',
            b'\r' => self.at(i + 1) == b'\n',
            c => is_meta(c),
        }
    }

    /// Run `f` one nesting level deeper, refusing absurd depths.
    pub(super) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    /// Run `g` inside a new block of kind `f` whose construct starts at `start` (its end is set
    /// when the construct is complete: [`Self::close_constructs`]).
    pub(super) fn with_block<T>(
        &mut self,
        f: Frame,
        start: usize,
        g: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let id = self.out.blocks.len();
        self.out.blocks.push(Block {
            frame: f,
            parent: self.cur_block,
            construct: Span::empty(start),
            piped: false,
            chain_end: start,
        });
        let saved = self.cur_block.replace(id);
        self.frames.push(f);
        let r = g(self);
        self.frames.pop();
        self.cur_block = saved;
        r
    }

    /// Give the blocks opened since `first` directly at the current level and not closed yet
    /// (one construct's conditions and branches; a `$(...)` in its words closed itself) their
    /// construct span `start..tok_end`.
    pub(super) fn close_constructs(&mut self, first: usize, start: usize) {
        let level = self.cur_block;
        let end = self.tok_end.max(start);
        for b in self.out.blocks.iter_mut().skip(first) {
            if b.parent == level && b.construct.is_empty() {
                b.construct = Span::new(start, end);
                b.chain_end = end;
            }
        }
    }

    /// Spaces, tabs, `\`+newline and comments; not the newline itself.
    pub(super) fn skip_blank(&mut self) {
        while self.pos < self.end {
            match self.s[self.pos] {
                b' ' | b'\t' => self.pos += 1,
                b'\r' if self.at(self.pos + 1) == b'\n' => self.pos += 1,
                b'\\' if self.at(self.pos + 1) == b'\n' => self.pos += 2,
                b'#' => {
                    while self.pos < self.end && self.s[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Blanks and newlines (reading the heredoc bodies the newlines release).
    pub(super) fn skip_newlines(&mut self) {
        loop {
            self.skip_blank();
            if self.cur() == b'\n' && !self.eof() {
                self.newline();
            } else {
                break;
            }
        }
    }

    /// Consume a newline token; the bodies of pending heredocs follow it.
    pub(super) fn newline(&mut self) {
        self.pos += 1;
        for idx in std::mem::take(&mut self.pending) {
            self.read_heredoc_body(idx);
        }
    }

    fn read_heredoc_body(&mut self, idx: usize) {
        let Some(doc) = self.out.heredocs.get(idx) else {
            return;
        };
        let delim = doc.delim.as_bytes();
        let strip = doc.strip_tabs;
        let start = self.pos;
        let (mut body_end, mut next) = (self.end, self.end);
        let mut i = start;
        while i < self.end {
            let rest = &self.s[i..self.end];
            let le = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(self.end, |x| i + x);
            let mut line = &self.s[i..le];
            if strip {
                while let [b'\t', tail @ ..] = line {
                    line = tail;
                }
            }
            if let [head @ .., b'\r'] = line {
                line = head;
            }
            if line == delim {
                body_end = i;
                next = (le + 1).min(self.end);
                break;
            }
            i = le + 1;
        }
        if let Some(doc) = self.out.heredocs.get_mut(idx) {
            doc.body = Span::new(start, body_end);
        }
        self.pos = next;
    }

    /// The bare word at the cursor when it is unquoted and ends at a boundary ("" otherwise):
    /// used to recognise reserved words.
    pub(super) fn peek_bare(&self) -> &'a str {
        let mut i = self.pos;
        while i < self.end
            && !self.boundary(i)
            && !matches!(self.s[i], b'\'' | b'"' | b'\\' | b'$' | b'`')
        {
            i += 1;
        }
        if !self.boundary(i) {
            return "";
        }
        self.src.get(self.pos..i).unwrap_or("")
    }

    pub(super) fn eat_word(&mut self, w: &str) -> bool {
        self.skip_blank();
        if self.peek_bare() == w {
            self.pos += w.len();
            self.tok_end = self.pos;
            true
        } else {
            false
        }
    }

    fn expect_word(&mut self, w: &str, msg: &'static str) -> PResult<()> {
        self.skip_newlines();
        if self.eat_word(w) {
            Ok(())
        } else {
            Err(self.err(msg))
        }
    }

    fn at_terminator(&self, extra: &[&str]) -> bool {
        if self.eof() {
            return true;
        }
        match self.cur() {
            b')' => return true,
            b';' if matches!(self.at(self.pos + 1), b';' | b'&') => return true,
            _ => {}
        }
        let w = self.peek_bare();
        TERMINATORS.contains(&w) || extra.contains(&w)
    }

    /// A list separator at the cursor: `;` (not `;;`/`;&`), `&` (not `&&`/`&>`) or a newline.
    fn separator(&mut self) -> Option<(Op, Span)> {
        let s = self.pos;
        let op = match self.cur() {
            b';' if !matches!(self.at(s + 1), b';' | b'&') => Op::Seq,
            b'&' if !matches!(self.at(s + 1), b'&' | b'>') => Op::Background,
            b'\n' if !self.eof() => {
                self.newline();
                return Some((Op::Seq, Span::new(s, s + 1)));
            }
            _ => return None,
        };
        self.pos += 1;
        Some((op, Span::new(s, s + 1)))
    }

    fn set_after(&mut self, cmd: Option<usize>, op: Op, span: Option<Span>) {
        if let Some(c) = cmd.and_then(|i| self.out.cmds.get_mut(i)) {
            c.op_after = (op, span);
        }
    }

    // ---------- grammar ----------

    /// A compound list up to a terminator (`then`, `fi`, `)`, `;;`, ... or one of `extra`).
    pub(super) fn list(&mut self, extra: &[&str]) -> PResult<()> {
        self.nested(|p| {
            let mut op = (Op::Start, None);
            loop {
                p.skip_newlines();
                if p.at_terminator(extra) {
                    return Ok(());
                }
                let last = p.and_or(op)?;
                p.skip_blank();
                match p.separator() {
                    Some((o, sp)) => {
                        p.set_after(last, o, Some(sp));
                        op = (o, Some(sp));
                    }
                    None => return Ok(()),
                }
            }
        })
    }

    /// Pipelines joined by `&&` / `||`. Returns the last simple command at this level.
    fn and_or(&mut self, op: (Op, Option<Span>)) -> PResult<Option<usize>> {
        // Each pipeline: the first command and block recorded in it, where it ends, and the
        // operator after it; the chain ends are filled in once the list is complete.
        let mut pipes: Vec<(usize, usize, usize, Op)> = Vec::new();
        let (c0, b0) = (self.out.cmds.len(), self.out.blocks.len());
        let mut last = self.pipeline(op)?;
        pipes.push((c0, b0, self.tok_end, Op::End));
        loop {
            self.skip_blank();
            let s = self.pos;
            let o = if self.starts("&&") {
                Op::And
            } else if self.starts("||") {
                Op::Or
            } else {
                self.set_chain_ends(&pipes);
                return Ok(last);
            };
            let sp = Span::new(s, s + 2);
            self.set_after(last, o, Some(sp));
            if let Some(p) = pipes.last_mut() {
                p.3 = o;
            }
            self.pos += 2;
            self.skip_newlines();
            self.skip_blank();
            let (c, b) = (self.out.cmds.len(), self.out.blocks.len());
            last = if o == Op::Or {
                let start = self.pos;
                let r = self.with_block(Frame::OrBranch, start, |p| p.pipeline((o, Some(sp))));
                self.close_constructs(b, start);
                r?
            } else {
                self.pipeline((o, Some(sp)))?
            };
            pipes.push((c, b, self.tok_end, Op::End));
        }
    }

    /// Fill in `pipeline_end` and `chain_end` of the commands and constructs directly at this
    /// level, for an and-or list of `pipes` (see [`Self::and_or`]).
    fn set_chain_ends(&mut self, pipes: &[(usize, usize, usize, Op)]) {
        let level = self.cur_block;
        for (i, &(first_cmd, first_block, end, _)) in pipes.iter().enumerate() {
            let chain_end = pipes[i..]
                .iter()
                .find(|p| p.3 != Op::And)
                .map_or(end, |p| p.2);
            let next_cmd = pipes.get(i + 1).map_or(self.out.cmds.len(), |p| p.0);
            let next_block = pipes.get(i + 1).map_or(self.out.blocks.len(), |p| p.1);
            // The `||` branch of this pipeline, when it is one: its commands and constructs
            // are one level down, and their chain is the branch itself.
            let or_branch = (first_block < next_block)
                .then_some(first_block)
                .filter(|b| {
                    self.out
                        .blocks
                        .get(*b)
                        .is_some_and(|x| x.frame == Frame::OrBranch && x.parent == level)
                        && i > 0
                        && pipes[i - 1].3 == Op::Or
                });
            for c in self.out.cmds.iter_mut().take(next_cmd).skip(first_cmd) {
                if c.block == level {
                    c.pipeline_end = end;
                    c.chain_end = chain_end;
                } else if or_branch.is_some() && c.block == or_branch {
                    c.pipeline_end = end;
                    c.chain_end = end;
                }
            }
            for (k, b) in self
                .out
                .blocks
                .iter_mut()
                .enumerate()
                .take(next_block)
                .skip(first_block)
            {
                if Some(k) == or_branch {
                    b.chain_end = end;
                } else if b.parent == level {
                    b.chain_end = chain_end;
                } else if or_branch.is_some() && b.parent == or_branch {
                    b.chain_end = end;
                }
            }
        }
    }

    fn pipeline(&mut self, op: (Op, Option<Span>)) -> PResult<Option<usize>> {
        self.skip_blank();
        let mut prefixed = false;
        if self.eat_word("time") {
            prefixed = true;
            self.skip_blank();
            if self.peek_bare() == "-p" {
                self.pos += 2;
            }
        }
        while self.eat_word("!") {
            prefixed = true;
        }
        self.skip_blank();
        if prefixed && (self.eof() || matches!(self.cur(), b';' | b'\n' | b'&' | b')')) {
            // bash accepts a bare `time` or `!`
            return Ok(None);
        }
        let level = self.cur_block;
        let mut first_block = self.out.blocks.len();
        let mut last = self.command(op)?;
        loop {
            self.skip_blank();
            if self.cur() == b'|' && self.at(self.pos + 1) != b'|' {
                let s = self.pos;
                self.pos += if self.at(s + 1) == b'&' { 2 } else { 1 };
                let sp = Span::new(s, self.pos);
                self.set_after(last, Op::Pipe, Some(sp));
                for b in self.out.blocks.iter_mut().skip(first_block) {
                    if b.parent == level {
                        b.piped = true;
                    }
                }
                self.skip_newlines();
                first_block = self.out.blocks.len();
                last = self.command((Op::Pipe, Some(sp)))?;
            } else {
                return Ok(last);
            }
        }
    }

    /// One command; returns its index in `cmds` when it is a simple command.
    fn command(&mut self, op: (Op, Option<Span>)) -> PResult<Option<usize>> {
        self.nested(|p| p.command_inner(op))
    }

    fn command_inner(&mut self, op: (Op, Option<Span>)) -> PResult<Option<usize>> {
        self.skip_blank();
        let kw = self.peek_bare();
        let start = self.pos;
        let first_block = self.out.blocks.len();
        let mut simple = None;
        match kw {
            "if" => self.if_clause(start)?,
            "while" | "until" => {
                self.pos += kw.len();
                self.with_block(Frame::LoopCond, start, |p| p.list(&[]))?;
                self.do_group(start)?;
            }
            "for" | "select" => self.for_clause(kw.len(), start)?,
            "case" => self.case_clause(start)?,
            "{" => {
                self.pos += 1;
                self.with_block(Frame::Brace, start, |p| p.list(&[]))?;
                self.expect_word("}", "expected `}`")?;
            }
            "[[" => simple = Some(self.test_clause(op)?),
            "function" => {
                self.pos += kw.len();
                self.skip_blank();
                self.plain_word_scan()?;
                self.skip_blank();
                if self.starts("()") {
                    self.pos += 2;
                }
                return self.function_body(start);
            }
            "coproc" => {
                self.pos += kw.len();
                self.skip_blank();
                // `coproc NAME { ...; }`: skip the name when a compound command follows it.
                let name = self.peek_bare();
                if !name.is_empty() && !TERMINATORS.contains(&name) {
                    let save = self.pos;
                    self.pos += name.len();
                    self.skip_blank();
                    if !matches!(self.peek_bare(), "{" | "while" | "until" | "for" | "if")
                        && self.cur() != b'('
                    {
                        self.pos = save;
                    }
                }
                return self.command(op);
            }
            _ if self.cur() == b'(' => {
                if self.at(self.pos + 1) == b'(' {
                    self.balanced(b'(', b')')?;
                } else {
                    let open = self.pos;
                    self.pos += 1;
                    self.with_block(Frame::Subshell, start, |p| p.list(&[]))?;
                    self.skip_newlines();
                    if self.cur() != b')' || self.eof() {
                        return Err(self.err_at(open, "expected `)`"));
                    }
                    self.pos += 1;
                    self.tok_end = self.pos;
                }
            }
            _ if TERMINATORS.contains(&kw) => return Err(self.err("unexpected reserved word")),
            _ => return self.simple(op),
        }
        // Redirections after a compound command (heredocs among them still get bodies).
        let mut redirects = Vec::new();
        loop {
            self.skip_blank();
            if !self.redirect_start() {
                break;
            }
            self.redirect(&mut redirects)?;
        }
        if let Some(c) = simple.and_then(|i| self.out.cmds.get_mut(i)) {
            c.span.end = self.tok_end.max(c.span.end);
            c.redirects = redirects;
        }
        self.close_constructs(first_block, start);
        Ok(simple)
    }

    /// A function's body; `start` is where the definition starts (its name or `function`).
    fn function_body(&mut self, start: usize) -> PResult<Option<usize>> {
        self.skip_newlines();
        let first_block = self.out.blocks.len();
        self.with_block(Frame::Function, start, |p| p.command((Op::Start, None)))?;
        self.close_constructs(first_block, start);
        Ok(None)
    }

    fn if_clause(&mut self, start: usize) -> PResult<()> {
        self.pos += 2;
        self.with_block(Frame::IfCond, start, |p| p.list(&[]))?;
        self.expect_word("then", "expected `then`")?;
        self.with_block(Frame::IfBody, start, |p| p.list(&[]))?;
        loop {
            self.skip_newlines();
            if self.eat_word("elif") {
                self.with_block(Frame::IfCond, start, |p| p.list(&[]))?;
                self.expect_word("then", "expected `then`")?;
                self.with_block(Frame::IfBody, start, |p| p.list(&[]))?;
            } else if self.eat_word("else") {
                self.with_block(Frame::IfBody, start, |p| p.list(&[]))?;
            } else {
                break;
            }
        }
        self.expect_word("fi", "expected `fi`")
    }

    fn for_clause(&mut self, kw_len: usize, start: usize) -> PResult<()> {
        self.pos += kw_len;
        self.skip_blank();
        if self.starts("((") {
            self.balanced(b'(', b')')?;
        } else {
            if self.boundary(self.pos) {
                return Err(self.err("expected a loop variable"));
            }
            self.plain_word_scan()?;
            self.skip_newlines();
            if self.eat_word("in") {
                loop {
                    self.skip_blank();
                    if self.eof() || matches!(self.cur(), b';' | b'\n') {
                        break;
                    }
                    if self.boundary(self.pos) {
                        return Err(self.err("unexpected token in `for` word list"));
                    }
                    self.word()?;
                }
            }
        }
        self.skip_blank();
        if self.cur() == b';' && !self.eof() {
            self.pos += 1;
        }
        self.do_group(start)
    }

    fn do_group(&mut self, start: usize) -> PResult<()> {
        self.skip_newlines();
        if self.eat_word("{") {
            // bash also takes `for x in a; { ...; }`
            self.with_block(Frame::LoopBody, start, |p| p.list(&[]))?;
            return self.expect_word("}", "expected `}`");
        }
        self.expect_word("do", "expected `do`")?;
        self.with_block(Frame::LoopBody, start, |p| p.list(&[]))?;
        self.expect_word("done", "expected `done`")
    }

    fn case_clause(&mut self, start: usize) -> PResult<()> {
        let open = self.pos;
        self.pos += 4;
        self.skip_blank();
        if self.boundary(self.pos) {
            return Err(self.err("expected a word after `case`"));
        }
        self.plain_word_scan()?;
        self.skip_newlines();
        if !self.eat_word("in") {
            return Err(self.err("expected `in`"));
        }
        loop {
            self.skip_newlines();
            if self.eat_word("esac") {
                return Ok(());
            }
            if self.eof() {
                return Err(self.err_at(open, "expected `esac`"));
            }
            if self.cur() == b'(' {
                self.pos += 1;
            }
            loop {
                self.skip_blank();
                if self.boundary(self.pos) {
                    return Err(self.err("bad case pattern"));
                }
                self.plain_word_scan()?;
                self.skip_blank();
                match self.cur() {
                    b'|' if !self.eof() => self.pos += 1,
                    b')' if !self.eof() => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.err("expected `)` after a case pattern")),
                }
            }
            self.with_block(Frame::CaseArm, start, |p| p.list(&["esac"]))?;
            self.skip_newlines();
            for t in [";;&", ";;", ";&"] {
                if self.starts(t) {
                    self.pos += t.len();
                    break;
                }
            }
        }
    }

    /// `[[ ... ]]`, recorded as a simple command `[[ operands... ]]`. Inside, `&&`, `||`, `<`,
    /// `>`, `(`, `)` and `!` are operators of the test, not of the shell.
    fn test_clause(&mut self, op: (Op, Option<Span>)) -> PResult<usize> {
        let start = self.pos;
        let slot = self.out.cmds.len();
        let mut argv = vec![self.plain_word(start, start + 2)];
        self.pos += 2;
        loop {
            self.skip_blank();
            if self.eof() {
                return Err(self.err_at(start, "expected `]]`"));
            }
            if self.peek_bare() == "]]" {
                argv.push(self.plain_word(self.pos, self.pos + 2));
                self.pos += 2;
                break;
            }
            let s = self.pos;
            match self.cur() {
                b'\n' => {
                    self.newline();
                    continue;
                }
                b'&' | b'|' if self.at(s + 1) == self.cur() => self.pos += 2,
                b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b';' => self.pos += 1,
                _ => {
                    argv.push(self.word()?);
                    continue;
                }
            }
            argv.push(self.plain_word(s, self.pos));
        }
        self.tok_end = self.pos;
        self.insert_cmd(
            slot,
            SimpleCommand {
                span: Span::new(start, self.pos),
                assigns: Vec::new(),
                argv,
                redirects: Vec::new(),
                op_before: op,
                op_after: (Op::End, None),
                frames: self.frames.clone(),
                item: self.item,
                block: self.cur_block,
                pipeline_end: self.pos,
                chain_end: self.pos,
            },
        );
        Ok(slot)
    }

    fn plain_word(&self, start: usize, end: usize) -> super::ast::Word {
        super::ast::Word {
            span: Span::new(start, end),
            quoted: false,
            has_expansion: false,
        }
    }

    /// Commands found inside this command's words were pushed while scanning them; the command
    /// itself goes in front of them so `cmds` stays in source order.
    fn insert_cmd(&mut self, slot: usize, cmd: SimpleCommand) {
        let slot = slot.min(self.out.cmds.len());
        self.out.cmds.insert(slot, cmd);
    }

    pub(super) fn redirect_start(&self) -> bool {
        let mut i = self.pos;
        while i < self.end && self.s[i].is_ascii_digit() {
            i += 1;
        }
        let c = self.at(i);
        let n = self.at(i + 1);
        ((c == b'<' || c == b'>') && n != b'(') || (i == self.pos && c == b'&' && n == b'>')
    }

    pub(super) fn redirect(&mut self, out: &mut Vec<Redirect>) -> PResult<()> {
        let start = self.pos;
        while self.cur().is_ascii_digit() && !self.eof() {
            self.pos += 1;
        }
        let op_start = self.pos;
        let Some(op) = REDIRECT_OPS.iter().copied().find(|o| self.starts(o)) else {
            return Err(self.err("bad redirection"));
        };
        self.pos += op.len();
        self.skip_blank();
        let c = self.cur();
        if self.eof()
            || (self.boundary(self.pos)
                && !((c == b'<' || c == b'>') && self.at(self.pos + 1) == b'('))
        {
            return Err(self.err("missing redirection target"));
        }
        let target = self.word()?;
        let mut heredoc = None;
        if op == "<<" || op == "<<-" {
            let raw = target.raw(self.src);
            let quoted = raw.contains(['\'', '"', '\\']);
            let delim: String = raw
                .chars()
                .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                .collect();
            self.out.heredocs.push(Heredoc {
                delim,
                quoted,
                strip_tabs: op == "<<-",
                body: Span::empty(self.src.len()),
            });
            let idx = self.out.heredocs.len() - 1;
            heredoc = Some(idx);
            self.pending.push(idx);
        }
        out.push(Redirect {
            span: Span::new(start, self.pos),
            op: Span::new(op_start, op_start + op.len()),
            target,
            heredoc,
        });
        Ok(())
    }

    fn simple(&mut self, op: (Op, Option<Span>)) -> PResult<Option<usize>> {
        let start = self.pos;
        let slot = self.out.cmds.len();
        let mut assigns = Vec::new();
        let mut argv = Vec::new();
        let mut redirects = Vec::new();
        let mut end = start;
        loop {
            self.skip_blank();
            if self.eof() {
                break;
            }
            if self.redirect_start() {
                self.redirect(&mut redirects)?;
                end = self.pos;
                continue;
            }
            let c = self.cur();
            let proc_subst = (c == b'<' || c == b'>') && self.at(self.pos + 1) == b'(';
            if self.boundary(self.pos) && !proc_subst {
                // `name ( )`: a function definition
                if c == b'(' && argv.len() == 1 && assigns.is_empty() && redirects.is_empty() {
                    self.pos += 1;
                    self.skip_blank();
                    if self.cur() != b')' || self.eof() {
                        return Err(self.err("expected `)` in function definition"));
                    }
                    self.pos += 1;
                    // Commands inside the name word (absurd but possible) stay recorded.
                    return self.function_body(start);
                }
                break;
            }
            if argv.is_empty() {
                let w = self.command_word()?;
                if self.is_assignment(w) {
                    assigns.push(w);
                } else {
                    argv.push(w);
                }
            } else {
                argv.push(self.word()?);
            }
            end = self.pos;
        }
        if argv.is_empty() && assigns.is_empty() && redirects.is_empty() {
            return Err(self.err("expected a command"));
        }
        self.tok_end = end;
        self.insert_cmd(
            slot,
            SimpleCommand {
                span: Span::new(start, end),
                assigns,
                argv,
                redirects,
                op_before: op,
                op_after: (Op::End, None),
                frames: self.frames.clone(),
                item: self.item,
                block: self.cur_block,
                pipeline_end: self.pos,
                chain_end: self.pos,
            },
        );
        Ok(Some(slot))
    }

    /// `NAME=...`, `NAME+=...` or `NAME[...]=...`.
    fn is_assignment(&self, w: super::ast::Word) -> bool {
        let raw = w.raw(self.src).as_bytes();
        let name_len = raw
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if name_len == 0 || raw[0].is_ascii_digit() {
            return false;
        }
        let mut rest = &raw[name_len..];
        if let [b'[', ..] = rest {
            // the subscript was scanned balanced by the word scanner
            let mut depth = 0usize;
            let mut close = None;
            for (i, b) in rest.iter().enumerate() {
                match b {
                    b'[' => depth += 1,
                    b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            close = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            match close {
                Some(i) => rest = &rest[i + 1..],
                None => return false,
            }
        }
        matches!(rest, [b'=', ..] | [b'+', b'=', ..])
    }
}
