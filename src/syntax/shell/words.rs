//! Word scanning: quotes, escapes, parameter expansions and the nested command/process
//! substitutions, which are parsed as scripts of their own (their commands land in `cmds`).

use super::ast::{Frame, Word};
use super::parser::{PResult, Parser};
use crate::syntax::Span;

/// Where a word is scanned: what may be part of it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Command,
    Arg,
    Plain,
}

impl Parser<'_> {
    /// Scan one argument word at the cursor (`arr=(a b)` values are part of it, as bash takes
    /// them after `declare`/`local`/`export`).
    pub(super) fn word(&mut self) -> PResult<Word> {
        self.scan_word(WordKind::Arg)
    }

    /// The first word of a simple command: there bash also reads a `name[...]` subscript whole,
    /// blanks included (`a[i + 1]=x`).
    pub(super) fn command_word(&mut self) -> PResult<Word> {
        self.scan_word(WordKind::Command)
    }

    /// A word where no assignment can be (function names, loop variables, case words and
    /// patterns): `=(` does not open an array.
    pub(super) fn plain_word_scan(&mut self) -> PResult<Word> {
        self.scan_word(WordKind::Plain)
    }

    fn scan_word(&mut self, kind: WordKind) -> PResult<Word> {
        let start = self.pos;
        let saved = (self.word_quoted, self.word_expands);
        self.word_quoted = false;
        self.word_expands = false;
        let r = self.word_body(start, kind);
        let word = Word {
            span: Span::new(start, self.pos),
            quoted: self.word_quoted,
            has_expansion: self.word_expands,
        };
        (self.word_quoted, self.word_expands) = saved;
        r?;
        if self.pos == start {
            return Err(self.err("expected a word"));
        }
        self.tok_end = self.pos;
        Ok(word)
    }

    fn word_body(&mut self, start: usize, kind: WordKind) -> PResult<()> {
        while self.pos < self.end {
            let c = self.s[self.pos];
            match c {
                // a `\`+newline that ends the word is not part of it
                b'\\' if self.pos > start && self.boundary(self.pos) => break,
                b'\\' => {
                    if self.at(self.pos + 1) != b'\n' {
                        self.word_quoted = true;
                    }
                    self.pos = (self.pos + 2).min(self.end);
                }
                b'\'' => {
                    self.single_quote()?;
                    self.word_quoted = true;
                }
                b'"' => {
                    self.double_quote()?;
                    self.word_quoted = true;
                }
                b'`' => {
                    self.backtick()?;
                    self.word_expands = true;
                }
                b'$' => self.dollar(false)?,
                b'<' | b'>' if self.at(self.pos + 1) == b'(' => {
                    self.pos += 2;
                    self.subst(Frame::ProcSubst)?;
                    self.word_expands = true;
                }
                // extglob `@(a|b)`, `!(x)`, `*(x)`, `?(x)`, `+(x)`, and `arr=( a b )`
                b'(' if self.pos > start
                    && (matches!(self.s[self.pos - 1], b'@' | b'!' | b'?' | b'*' | b'+')
                        || (self.s[self.pos - 1] == b'=' && kind != WordKind::Plain)) =>
                {
                    self.balanced(b'(', b')')?
                }
                b'[' if kind == WordKind::Command
                    && self.pos > start
                    && is_name(&self.s[start..self.pos]) =>
                {
                    self.balanced(b'[', b']')?
                }
                _ if self.boundary(self.pos) => break,
                _ => self.pos += 1,
            }
        }
        Ok(())
    }

    fn single_quote(&mut self) -> PResult<()> {
        let s = self.pos;
        self.pos += 1;
        while self.pos < self.end && self.s[self.pos] != b'\'' {
            self.pos += 1;
        }
        if self.pos >= self.end {
            return Err(self.err_at(s, "unterminated single quote"));
        }
        self.pos += 1;
        Ok(())
    }

    fn double_quote(&mut self) -> PResult<()> {
        self.nested(|p| {
            let s = p.pos;
            p.pos += 1;
            loop {
                if p.pos >= p.end {
                    return Err(p.err_at(s, "unterminated double quote"));
                }
                match p.s[p.pos] {
                    b'"' => {
                        p.pos += 1;
                        return Ok(());
                    }
                    b'\\' => p.pos += 2,
                    b'`' => {
                        p.backtick()?;
                        p.word_expands = true;
                    }
                    // `$'` and `$"` are not special inside double quotes
                    b'$' if matches!(p.at(p.pos + 1), b'\'' | b'"') => p.pos += 1,
                    b'$' => p.dollar(true)?,
                    _ => p.pos += 1,
                }
            }
        })
    }

    /// `` `...` ``: the inside is parsed as a script bounded by the closing backquote; when it
    /// does not parse, the word stands and no commands are recorded from it. (Commands inside
    /// escaped inner backquotes are not parsed.)
    fn backtick(&mut self) -> PResult<()> {
        let s = self.pos;
        self.pos += 1;
        while self.pos < self.end && self.s[self.pos] != b'`' {
            if self.s[self.pos] == b'\\' {
                self.pos += 1;
            }
            self.pos += 1;
        }
        if self.pos >= self.end {
            return Err(self.err_at(s, "unterminated backquote"));
        }
        let close = self.pos;
        let (cmds_before, heredocs_before, blocks_before) = (
            self.out.cmds.len(),
            self.out.heredocs.len(),
            self.out.blocks.len(),
        );
        let saved_end = self.end;
        let saved_pending = std::mem::take(&mut self.pending);
        let saved_tok_end = self.tok_end;
        self.end = close;
        self.pos = s + 1;
        let r = self.with_block(Frame::CmdSubst, s, |p| {
            p.list(&[])?;
            p.skip_newlines();
            if p.pos < p.end {
                Err(p.err("unexpected token in backquotes"))
            } else {
                Ok(())
            }
        });
        self.end = saved_end;
        self.pending = saved_pending;
        if r.is_err() {
            // bash parses backquoted text only when it runs it (`bash -n` accepts `\`if\``):
            // keep the word, drop what was recorded from the inside.
            self.out.cmds.truncate(cmds_before);
            self.out.heredocs.truncate(heredocs_before);
            self.out.blocks.truncate(blocks_before);
        }
        self.pos = close + 1;
        self.tok_end = self.pos;
        self.close_constructs(blocks_before, s);
        self.tok_end = saved_tok_end;
        Ok(())
    }

    /// At a `$`. `in_dq`: inside double quotes (single quotes in `${..}` are then plain text).
    fn dollar(&mut self, in_dq: bool) -> PResult<()> {
        let n = self.at(self.pos + 1);
        match n {
            b'(' if self.at(self.pos + 2) == b'(' => {
                self.pos += 1;
                self.balanced(b'(', b')')?;
            }
            b'(' => {
                self.pos += 2;
                self.subst(Frame::CmdSubst)?;
            }
            b'{' => self.braced_param(in_dq)?,
            b'[' => {
                self.pos += 1;
                self.balanced(b'[', b']')?;
            }
            b'\'' => {
                // $'..' ANSI-C quoting: backslash escapes a quote
                let s = self.pos;
                self.pos += 2;
                while self.pos < self.end && self.s[self.pos] != b'\'' {
                    if self.s[self.pos] == b'\\' {
                        self.pos += 1;
                    }
                    self.pos += 1;
                }
                if self.pos >= self.end {
                    return Err(self.err_at(s, "unterminated $'"));
                }
                self.pos += 1;
                self.word_quoted = true;
                return Ok(());
            }
            b'"' => {
                // $".." locale quoting: the `"` is scanned next as a double quote
                self.pos += 1;
                return Ok(());
            }
            b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' | b'0'..=b'9' => self.pos += 2,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                self.pos += 1;
                while self.at(self.pos).is_ascii_alphanumeric() || self.at(self.pos) == b'_' {
                    self.pos += 1;
                }
            }
            // a lone `$` is literal text
            _ => {
                self.pos += 1;
                return Ok(());
            }
        }
        self.word_expands = true;
        Ok(())
    }

    /// After `$(` / `<(` / `>(`: a script up to the matching `)`.
    fn subst(&mut self, frame: Frame) -> PResult<()> {
        let open = self.pos.saturating_sub(2);
        let mut saved = std::mem::take(&mut self.pending);
        let first_block = self.out.blocks.len();
        self.with_block(frame, open, |p| p.list(&[]))?;
        self.skip_newlines();
        // Heredocs opened inside but not yet read get their bodies after the next newline.
        saved.append(&mut self.pending);
        self.pending = saved;
        if self.cur() != b')' || self.eof() {
            return Err(self.err_at(open, "unterminated substitution"));
        }
        self.pos += 1;
        self.tok_end = self.pos;
        self.close_constructs(first_block, open);
        Ok(())
    }

    /// From an `open` byte to its matching `close` (`$((..))`, `((..))`, `arr=(..)`, `$[..]`),
    /// with quotes and nested substitutions inside.
    pub(super) fn balanced(&mut self, open: u8, close: u8) -> PResult<()> {
        self.nested(|p| {
            let s = p.pos;
            let mut depth = 0usize;
            while p.pos < p.end {
                let c = p.s[p.pos];
                match c {
                    b'\\' => {
                        p.pos += 2;
                        p.word_quoted = true;
                        continue;
                    }
                    b'\'' => {
                        p.single_quote()?;
                        p.word_quoted = true;
                        continue;
                    }
                    b'"' => {
                        p.double_quote()?;
                        p.word_quoted = true;
                        continue;
                    }
                    // substitutions inside `@(..)`, `arr=(..)`, `name[..]` make the word expand
                    b'`' => {
                        p.backtick()?;
                        p.word_expands = true;
                        continue;
                    }
                    b'$' if matches!(p.at(p.pos + 1), b'(' | b'{') => {
                        p.dollar(false)?;
                        p.word_expands = true;
                        continue;
                    }
                    _ if c == open => depth += 1,
                    _ if c == close => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            p.pos += 1;
                            p.tok_end = p.pos;
                            return Ok(());
                        }
                    }
                    _ => {}
                }
                p.pos += 1;
            }
            Err(p.err_at(s, "unbalanced brackets"))
        })
    }

    /// `${...}` with nested quotes, expansions and substitutions.
    fn braced_param(&mut self, in_dq: bool) -> PResult<()> {
        self.nested(|p| {
            let s = p.pos;
            p.pos += 2;
            while p.pos < p.end {
                match p.s[p.pos] {
                    b'\\' => {
                        p.pos += 2;
                        p.word_quoted = true;
                        continue;
                    }
                    b'\'' if !in_dq => {
                        p.single_quote()?;
                        p.word_quoted = true;
                        continue;
                    }
                    b'"' => {
                        p.double_quote()?;
                        p.word_quoted = true;
                        continue;
                    }
                    b'`' => {
                        p.backtick()?;
                        continue;
                    }
                    b'$' => {
                        p.dollar(in_dq)?;
                        continue;
                    }
                    b'}' => {
                        p.pos += 1;
                        return Ok(());
                    }
                    _ => {}
                }
                p.pos += 1;
            }
            Err(p.err_at(s, "unterminated ${"))
        })
    }
}

/// A shell variable name.
fn is_name(b: &[u8]) -> bool {
    matches!(b.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}
