//! BuildKit's shell-lexer word processing (`frontend/dockerfile/shell/lex.go`) for instruction
//! arguments: word splitting with quotes and the escape character, variable references with
//! their spans, and expansion against a scope.

use super::span::Span;
use std::fmt::Write as _;

/// How a `${...}` reference modifies its variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// `${V-x}` (`colon`: `${V:-x}`)
    Default { colon: bool },
    /// `${V+x}` / `${V:+x}`
    Alternative { colon: bool },
    /// `${V?x}` / `${V:?x}`
    Required { colon: bool },
    /// `${V#p}` / `${V##p}`
    TrimPrefix { greedy: bool },
    /// `${V%p}` / `${V%%p}`
    TrimSuffix { greedy: bool },
    /// `${V/a/b}` / `${V//a/b}`
    Replace { all: bool },
}

/// A variable reference found in a word, with spans relative to the word's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole reference (`$V` or `${...}`).
    pub span: Span,
    pub name_span: Span,
    /// `true` for `${...}`.
    pub braced: bool,
    pub modifier: Option<Modifier>,
    /// The text after the modifier (`x` of `${V:-x}`), for `Replace` the pattern.
    pub word: Option<String>,
    /// For `Replace`, the replacement.
    pub replacement: Option<String>,
}

/// The result of [`expand`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    pub value: String,
    /// Names referenced but not found in the scope, in first-use order, without duplicates.
    pub unresolved: Vec<String>,
    /// BuildKit's error for this word (bad substitution, unterminated quote, `${V:?msg}` ...).
    pub error: Option<String>,
}

/// One word after BuildKit's splitting, with the span of the source text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitWord {
    pub value: String,
    pub span: Span,
}

/// Options of BuildKit's `shell.Lex`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LexOptions {
    pub escape: char,
    /// Keep quote characters in the output.
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Leave references to unset variables as written.
    pub skip_unset_env: bool,
}

impl LexOptions {
    pub(crate) fn new(escape: char) -> Self {
        LexOptions {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
        }
    }
}

/// The outcome of one lexer run.
#[derive(Debug, Clone, Default)]
pub(crate) struct LexResult {
    /// `ProcessWord`'s single result.
    pub value: String,
    /// `ProcessWords`' words.
    pub words: Vec<SplitWord>,
    pub refs: Vec<VarRef>,
    pub unresolved: Vec<String>,
    pub error: Option<String>,
}

/// Run BuildKit's lexer over `text`.
pub(crate) fn lex(
    text: &str,
    opts: LexOptions,
    scope: &dyn Fn(&str) -> Option<String>,
) -> LexResult {
    let mut lx = Lexer {
        src: text,
        // Go's text/scanner, under BuildKit's lexer, skips a byte-order mark at the start.
        pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
        opts,
        raw_escapes: opts.raw_escapes,
        scope,
        words_buf: String::new(),
        buf_start: None,
        refs: Vec::new(),
        unresolved: Vec::new(),
    };
    match lx.process_stop_on(None, opts.raw_escapes) {
        Ok((value, words)) => LexResult {
            value,
            words,
            refs: lx.refs,
            unresolved: lx.unresolved,
            error: None,
        },
        Err(e) => LexResult {
            refs: lx.refs,
            unresolved: lx.unresolved,
            error: Some(format!("failed to process {text:?}: {e}")),
            ..LexResult::default()
        },
    }
}

fn no_scope(_: &str) -> Option<String> {
    None
}

/// Expand the variables of `word` (processed as BuildKit's `ProcessWord` with the `\` escape:
/// quotes removed) against `scope`.
pub fn expand(word: &str, scope: &dyn Fn(&str) -> Option<String>) -> Expanded {
    expand_with(word, '\\', scope)
}

/// [`expand`] with an explicit escape character.
pub fn expand_with(word: &str, escape: char, scope: &dyn Fn(&str) -> Option<String>) -> Expanded {
    if is_plain(word, escape) {
        return Expanded {
            value: word.to_string(),
            ..Expanded::default()
        };
    }
    let r = lex(word, LexOptions::new(escape), scope);
    Expanded {
        value: r.value,
        unresolved: r.unresolved,
        error: r.error,
    }
}

/// Split `text` into words as BuildKit's `ProcessWords` does (quotes removed; unset variables
/// left as written). On a lexer error (unterminated quote, bad substitution) there are no words.
pub fn split_words(text: &str, escape: char) -> Vec<SplitWord> {
    if is_plain(text, escape) {
        return plain_words(text);
    }
    let mut opts = LexOptions::new(escape);
    opts.skip_unset_env = true;
    lex(text, opts, &no_scope).words
}

/// The variable references in `text` (spans relative to `text`), nested ones included, in the
/// order BuildKit looks them up.
pub fn var_refs(text: &str, escape: char) -> Vec<VarRef> {
    // Every reference starts with `$`; most instruction words have none.
    if !text.contains('$') {
        return Vec::new();
    }
    let mut opts = LexOptions::new(escape);
    opts.skip_unset_env = true;
    lex(text, opts, &no_scope).refs
}

/// Whether the lexer would copy `text` unchanged: no `$`, quote, `<` or escape character.
/// Rules ask for most words of every file, and most words are plain, so the callers above skip
/// the lexer for them (the `plain_words_agree_with_lexer` test holds them to the lexer's result).
fn is_plain(text: &str, escape: char) -> bool {
    if !escape.is_ascii() {
        return false;
    }
    let esc = escape as u8;
    !text
        .bytes()
        .any(|b| matches!(b, b'$' | b'<' | b'\'' | b'"') || b == esc)
}

/// The lexer's words for a plain text: runs of non-space characters.
fn plain_words(text: &str) -> Vec<SplitWord> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_go_space(c), start) {
            (true, Some(s)) => {
                words.push(SplitWord {
                    value: text[s..i].to_string(),
                    span: Span::new(s, i),
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(SplitWord {
            value: text[s..].to_string(),
            span: Span::new(s, text.len()),
        });
    }
    words
}

struct Lexer<'a, 's> {
    src: &'a str,
    pos: usize,
    opts: LexOptions,
    /// The current raw-escapes mode (nested `${V#p}` switches it on).
    raw_escapes: bool,
    scope: &'s dyn Fn(&str) -> Option<String>,
    /// BuildKit shares one words buffer between nested calls (and resets it in each): kept.
    words_buf: String,
    buf_start: Option<usize>,
    refs: Vec<VarRef>,
    unresolved: Vec<String>,
}

/// BuildKit's `wordsStruct`, minus the shared buffer (which lives in the lexer).
struct Words {
    words: Vec<SplitWord>,
    in_word: bool,
    /// End of the last byte added to the current word.
    end: usize,
}

type LexErr = String;

/// Go's `unicode.IsSpace`.
pub(crate) fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c > '\u{ff}' && c.is_whitespace())
}

fn is_go_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

impl Lexer<'_, '_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn add_char(&mut self, w: &mut Words, ch: char, at: usize) {
        if is_go_space(ch) && w.in_word {
            if !self.words_buf.is_empty() {
                self.flush(w);
            }
        } else if !is_go_space(ch) {
            self.add_raw_char(w, ch, at);
        }
    }

    fn flush(&mut self, w: &mut Words) {
        let start = self.buf_start.take().unwrap_or(w.end);
        w.words.push(SplitWord {
            value: std::mem::take(&mut self.words_buf),
            span: Span::new(start, w.end.max(start)),
        });
        w.in_word = false;
    }

    fn add_raw_char(&mut self, w: &mut Words, ch: char, at: usize) {
        if self.words_buf.is_empty() && self.buf_start.is_none() {
            self.buf_start = Some(at);
        }
        self.words_buf.push(ch);
        w.in_word = true;
        w.end = self.pos;
    }

    fn add_raw_string(&mut self, w: &mut Words, s: &str, at: usize) {
        if self.words_buf.is_empty() && self.buf_start.is_none() {
            self.buf_start = Some(at);
        }
        self.words_buf.push_str(s);
        w.in_word = true;
        w.end = self.pos;
    }

    fn get_words(&mut self, mut w: Words) -> Vec<SplitWord> {
        if !self.words_buf.is_empty() {
            self.flush(&mut w);
        }
        w.words
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<SplitWord>), LexErr> {
        let mut result = String::new();
        self.words_buf.clear();
        self.buf_start = None;
        let mut w = Words {
            words: Vec::new(),
            in_word: false,
            end: self.pos,
        };
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let out = self.stop_on_loop(stop, &mut result, &mut w);
        self.raw_escapes = saved;
        let found = out?;
        if let (Some(stop), false) = (stop, found) {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, self.get_words(w)))
    }

    /// Ok(true) when the stop char was found (and consumed), Ok(false) at end of input.
    fn stop_on_loop(
        &mut self,
        stop: Option<char>,
        result: &mut String,
        w: &mut Words,
    ) -> Result<bool, LexErr> {
        while let Some(ch) = self.peek() {
            let at = self.pos;
            if Some(ch) == stop {
                self.next();
                return Ok(true);
            }
            let special = match ch {
                '$' => Some(self.process_dollar()),
                '<' => Some(self.process_possible_heredoc()),
                '\'' => Some(self.process_single_quote()),
                '"' => Some(self.process_double_quote()),
                _ => None,
            };
            if let Some(tmp) = special {
                let tmp = tmp?;
                result.push_str(&tmp);
                if ch == '$' {
                    for c in tmp.chars() {
                        self.add_char(w, c, at);
                    }
                } else {
                    self.add_raw_string(w, &tmp, at);
                }
                continue;
            }
            let mut ch = ch;
            self.next();
            if ch == self.opts.escape {
                if self.raw_escapes {
                    self.add_raw_char(w, ch, at);
                    result.push(ch);
                }
                match self.next() {
                    None => break,
                    Some(c) => ch = c,
                }
                self.add_raw_char(w, ch, at);
            } else {
                self.add_char(w, ch, at);
            }
            result.push(ch);
        }
        Ok(false)
    }

    fn process_single_quote(&mut self) -> Result<String, LexErr> {
        let mut result = String::new();
        let q = self.next().unwrap_or('\'');
        if self.opts.raw_quotes {
            result.push(q);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => {
                    if self.opts.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, LexErr> {
        let mut result = String::new();
        let q = self.next().unwrap_or('"');
        if self.opts.raw_quotes {
            result.push(q);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.opts.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    result.push_str(&v);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == self.opts.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.opts.escape => {
                                ch = c;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        let v = (self.scope)(name);
        if v.is_none() && !self.unresolved.iter().any(|u| u == name) {
            self.unresolved.push(name.to_string());
        }
        v
    }

    fn process_dollar(&mut self) -> Result<String, LexErr> {
        let start = self.pos;
        self.next(); // '$'
        if self.peek() != Some('{') {
            let name_start = self.pos;
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".into());
            }
            self.refs.push(VarRef {
                name: name.clone(),
                span: Span::new(start, self.pos),
                name_span: Span::new(name_start, self.pos),
                braced: false,
                modifier: None,
                word: None,
                replacement: None,
            });
            return Ok(match self.lookup(&name) {
                Some(v) => v,
                None if self.opts.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next(); // '{'
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            _ => {}
        }
        let name_start = self.pos;
        let name = self.process_name();
        let name_span = Span::new(name_start, self.pos);
        let ch = self.next();
        let mut chs = go_rune_string(ch);
        let ref_index = self.refs.len();
        self.refs.push(VarRef {
            name: name.clone(),
            span: Span::new(start, self.pos),
            name_span,
            braced: true,
            modifier: None,
            word: None,
            replacement: None,
        });
        match ch {
            Some('}') => Ok(match self.lookup(&name) {
                Some(v) => v,
                None if self.opts.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut ch = ch;
                let null_is_unset = ch == Some(':');
                if null_is_unset {
                    ch = self.next();
                    chs.push_str(&go_rune_string(ch));
                }
                let raw = matches!(ch, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({chs}) in substitution"));
                }
                let word = match self.process_stop_on(Some('}'), raw) {
                    Ok((word, _)) => word,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err("syntax error: missing '}'".into());
                        }
                        return Err(e);
                    }
                };
                let modifier = match ch {
                    Some('-') => Some(Modifier::Default {
                        colon: null_is_unset,
                    }),
                    Some('+') => Some(Modifier::Alternative {
                        colon: null_is_unset,
                    }),
                    Some('?') => Some(Modifier::Required {
                        colon: null_is_unset,
                    }),
                    Some('#') => Some(Modifier::TrimPrefix {
                        greedy: word.starts_with('#'),
                    }),
                    Some('%') => Some(Modifier::TrimSuffix {
                        greedy: word.starts_with('%'),
                    }),
                    _ => None,
                };
                if let Some(r) = self.refs.get_mut(ref_index) {
                    r.span = Span::new(start, self.pos);
                    r.modifier = modifier;
                    r.word = Some(word.clone());
                }
                let value = self.lookup(&name);
                let set = value.is_some();
                let value = value.unwrap_or_default();
                if self.opts.skip_unset_env && !set {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                match ch {
                    Some('-') => Ok(if !set || (null_is_unset && value.is_empty()) {
                        word
                    } else {
                        value
                    }),
                    Some('+') => Ok(if !set || (null_is_unset && value.is_empty()) {
                        String::new()
                    } else {
                        word
                    }),
                    Some('?') => {
                        if !set {
                            let m = if word.is_empty() {
                                "is not allowed to be unset".to_string()
                            } else {
                                word
                            };
                            return Err(format!("{name}: {m}"));
                        }
                        if null_is_unset && value.is_empty() {
                            let m = if word.is_empty() {
                                "is not allowed to be empty".to_string()
                            } else {
                                word
                            };
                            return Err(format!("{name}: {m}"));
                        }
                        Ok(value)
                    }
                    Some(c @ ('%' | '#')) => {
                        let (greedy, pat) = match word.strip_prefix(c) {
                            Some(rest) => (true, rest),
                            None => (false, word.as_str()),
                        };
                        if c == '%' {
                            trim_suffix(pat, &value, greedy)
                        } else {
                            trim_prefix(pat, &value, greedy)
                        }
                    }
                    _ => Err(format!("unsupported modifier ({chs}) in substitution")),
                }
            }
            Some('/') => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let pattern = match self.process_stop_on(Some('/'), true) {
                    Ok((p, _)) => p,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err("syntax error: missing '/' in ${}".into());
                        }
                        return Err(e);
                    }
                };
                let replacement = match self.process_stop_on(Some('}'), true) {
                    Ok((p, _)) => p,
                    Err(e) => {
                        if self.peek().is_none() {
                            return Err("syntax error: missing '}'".into());
                        }
                        return Err(e);
                    }
                };
                if let Some(r) = self.refs.get_mut(ref_index) {
                    r.span = Span::new(start, self.pos);
                    r.modifier = Some(Modifier::Replace { all });
                    r.word = Some(pattern.clone());
                    r.replacement = Some(replacement.clone());
                }
                let value = self.lookup(&name);
                let Some(value) = value else {
                    if self.opts.skip_unset_env {
                        return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                    }
                    return replace(&pattern, &replacement, "", all);
                };
                replace(&pattern, &replacement, &value, all)
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(c) = self.peek() {
                    if !is_go_digit(c) {
                        break;
                    }
                    self.next();
                    name.push(c);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                name.push(ch);
                return name;
            }
            if !ch.is_alphabetic() && !is_go_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn process_possible_heredoc(&mut self) -> Result<String, LexErr> {
        self.next();
        if self.peek() != Some('<') {
            return Ok("<".into());
        }
        self.next();
        let mut result = String::from("<<");
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            result.push(c);
            self.next();
        }
        Ok(result)
    }
}

/// Go's `string(rune)` of a scanner result (EOF is -1, which Go turns into U+FFFD).
fn go_rune_string(c: Option<char>) -> String {
    c.unwrap_or('\u{fffd}').to_string()
}

/// BuildKit's `convertShellPatternToRegex`.
fn shell_pattern_to_regex(
    pattern: &str,
    greedy: bool,
    anchored: bool,
) -> Result<regex::Regex, LexErr> {
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let star = if greedy { ".*" } else { ".*?" };
    let mut it = pattern.chars().peekable();
    while let Some(tok) = it.next() {
        match tok {
            '*' => {
                out.push_str(star);
                continue;
            }
            '?' => {
                out.push('.');
                continue;
            }
            '\\' => {
                if matches!(it.peek(), Some('}' | '/')) {
                    continue;
                }
                out.push('\\');
                match it.next() {
                    Some(t @ ('*' | '?' | '\\')) => out.push(t),
                    t => return Err(format!("invalid escape '\\{}'", go_rune_string(t))),
                }
                continue;
            }
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => out.push('\\'),
            _ => {}
        }
        out.push(tok);
    }
    regex::Regex::new(&out).map_err(|e| e.to_string())
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, LexErr> {
    let re = shell_pattern_to_regex(pattern, greedy, true)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    Ok(match re.find(value) {
        Some(m) => value[m.end()..].to_string(),
        None => value.to_string(),
    })
}

fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, LexErr> {
    // Reverse both to turn the rightmost shortest match into a leftmost one, as BuildKit does.
    let chars: Vec<char> = pattern.chars().collect();
    let mut rev = vec!['\0'; chars.len()];
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let out = last - i;
        if chars[i] == '\\' && i != last && out >= 1 {
            rev[out - 1] = chars[i];
            rev[out] = chars[i + 1];
            i += 2;
        } else {
            rev[out] = chars[i];
            i += 1;
        }
    }
    let rev_pattern: String = rev.into_iter().collect();
    let rev_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&rev_pattern, &rev_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

fn replace(pattern: &str, replacement: &str, value: &str, all: bool) -> Result<String, LexErr> {
    let re = shell_pattern_to_regex(pattern, true, false)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    if all {
        // Go's ReplaceAllString expands `$1`-style references in the replacement too.
        return Ok(re.replace_all(value, replacement).into_owned());
    }
    Ok(match re.find(value) {
        Some(m) => {
            let mut s = String::with_capacity(value.len() + replacement.len());
            let _ = write!(
                s,
                "{}{}{}",
                &value[..m.start()],
                replacement,
                &value[m.end()..]
            );
            s
        }
        None => value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast paths give exactly what the lexer gives for every plain text.
        #[test]
        fn plain_words_agree_with_lexer(text in "[a-z0-9 \t\u{a0}\u{2003}/=:.,_\\-]{0,40}") {
            let plain = is_plain(&text, '\\');
            proptest::prop_assert_eq!(plain, !text.contains('\\'));
            if plain {
                let mut opts = LexOptions::new('\\');
                opts.skip_unset_env = true;
                let slow = lex(&text, opts, &no_scope);
                proptest::prop_assert_eq!(plain_words(&text), slow.words);
                proptest::prop_assert_eq!(expand_with(&text, '\\', &no_scope).value, slow.value);
                proptest::prop_assert!(slow.refs.is_empty());
            }
        }
    }

    fn env(name: &str) -> Option<String> {
        match name {
            "hi" => Some("hi".into()),
            "space" => Some("abc  def".into()),
            "PWD" => Some("/home".into()),
            "empty" => Some(String::new()),
            "path" => Some("a/b/c.tar.gz".into()),
            _ => None,
        }
    }

    fn words(text: &str) -> Vec<String> {
        lex(text, LexOptions::new('\\'), &env)
            .words
            .into_iter()
            .map(|w| w.value)
            .collect()
    }

    #[test]
    fn word_splitting_follows_buildkit() {
        assert_eq!(words("hello${hi}bye"), ["hellohibye"]);
        assert_eq!(words("hello${space}bye"), ["helloabc", "defbye"]);
        assert_eq!(words("hello\"${space}\"bye"), ["helloabc  defbye"]);
        assert_eq!(words("hello\\ there"), ["hello there"]);
        assert_eq!(words("hello\\\" there"), ["hello\"", "there"]);
        assert_eq!(words("hello'\\\\there'"), ["hello\\\\there"]);
        assert!(
            lex("hello\" there", LexOptions::new('\\'), &env)
                .error
                .is_some()
        );
    }

    #[test]
    fn expansion_follows_buildkit() {
        let e = |w: &str| expand(w, &env);
        assert_eq!(e("he'll'o").value, "hello");
        assert_eq!(e("he\\'llo").value, "he'llo");
        assert_eq!(e("hello\\\\").value, "hello\\");
        assert_eq!(e("'hello\\'").value, "hello\\");
        assert_eq!(e("he$1x").value, "hex");
        assert_eq!(e("he$.x").value, "he$.x");
        assert_eq!(e("he\\\\$PWD").value, "he\\/home");
        assert_eq!(e("\"he\\$PWD\"").value, "he$PWD");
        assert_eq!(e("${nope:-a b}").value, "a b");
        assert_eq!(e("${empty:-x}").value, "x");
        assert_eq!(e("${empty-x}").value, "");
        assert_eq!(e("${hi:+yes}").value, "yes");
        assert_eq!(e("${nope+yes}").value, "");
        assert_eq!(e("${path#*/}").value, "b/c.tar.gz");
        assert_eq!(e("${path##*/}").value, "c.tar.gz");
        assert_eq!(e("${path%.*}").value, "a/b/c.tar");
        assert_eq!(e("${path%%.*}").value, "a/b/c");
        assert_eq!(e("${path/\\//-}").value, "a-b/c.tar.gz");
        assert_eq!(e("${path//\\//-}").value, "a-b-c.tar.gz");
        assert!(e("${nope?}").error.is_some());
        assert!(e("${:x}").error.is_some());
        assert!(e("${hi:#x}").error.is_some());
        let u = e("$A ${B:-$C} $A");
        assert_eq!(u.unresolved, ["A", "C", "B"]);
    }

    #[test]
    fn references_have_spans() {
        let text = "a $X ${Y:-d} ${Z/p/r}";
        let refs = var_refs(text, '\\');
        let got: Vec<(&str, &str)> = refs
            .iter()
            .map(|r| (r.name.as_str(), r.span.text(text)))
            .collect();
        assert_eq!(got, [("X", "$X"), ("Y", "${Y:-d}"), ("Z", "${Z/p/r}")]);
        assert_eq!(refs[1].modifier, Some(Modifier::Default { colon: true }));
        assert_eq!(refs[1].name_span.text(text), "Y");
    }

    #[test]
    fn split_words_keeps_spans() {
        let text = "  one 'two three'  f\\ our";
        let w = split_words(text, '\\');
        let got: Vec<(&str, &str)> = w
            .iter()
            .map(|w| (w.value.as_str(), w.span.text(text)))
            .collect();
        assert_eq!(
            got,
            [
                ("one", "one"),
                ("two three", "'two three'"),
                ("f our", "f\\ our")
            ]
        );
    }
}
