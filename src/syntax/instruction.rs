//! The instruction layer of BuildKit's parser (`split_command.go`, `line_parsers.go`): one
//! continuation-joined line becomes a keyword, flags and the argument values BuildKit's `Node`
//! holds. All spans here are offsets into the joined line.

use super::ast::{Keyword, SyntaxErrorKind, Text};
use super::json::{self, JsonError};
use super::span::Span;
use super::words::is_go_space;

/// A flag word as BuildKit's `extractBuilderFlags` gives it.
#[derive(Debug, Clone)]
pub(crate) struct RawFlag {
    pub text: Text,
    pub span: Span,
}

/// BuildKit's node for one instruction, in joined-line coordinates.
#[derive(Debug, Clone)]
pub(crate) struct RawNode {
    pub keyword: Keyword,
    pub keyword_span: Span,
    pub flags: Vec<RawFlag>,
    /// The trimmed argument text after the flags.
    pub rest: Span,
    /// Node values after the keyword; synthetic ones (ENV's `=` separator) have empty spans.
    pub args: Vec<(Text, Span)>,
    pub json: bool,
    /// ENV/LABEL in the legacy `KEY value` form.
    pub legacy_kv: bool,
    pub errors: Vec<(SyntaxErrorKind, Span, String)>,
    /// ONBUILD's trigger.
    pub child: Option<Box<RawNode>>,
}

/// `[\t\v\f\r ]`: BuildKit's `reWhitespace`.
fn is_re_ws(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Go's `unicode.IsSpace(rune(b))` on a single byte (BuildKit's byte loops do this).
fn is_byte_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// `strings.TrimSpace` as a sub-span of `span` in `text`.
pub(crate) fn trim_span(text: &str, span: Span) -> Span {
    let s = span.text(text);
    let t = s.trim_start_matches(is_go_space);
    let start = span.start + (s.len() - t.len());
    let t2 = t.trim_end_matches(is_go_space);
    Span::new(start, start + t2.len())
}

fn snap(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at.min(text.len())
}

/// Split the joined line `text[span]` into a node (BuildKit's `newNodeFromLine`).
pub(crate) fn parse_node(text: &str, span: Span, escape: char) -> RawNode {
    let line = trim_span(text, span);
    let bytes = text.as_bytes();
    // The command: up to the first run of reWhitespace.
    let mut i = line.start;
    while i < line.end && !is_re_ws(bytes[i]) {
        i += 1;
    }
    let keyword_span = Span::new(line.start, i);
    let keyword = Keyword::from_word(keyword_span.text(text));
    let mut node = RawNode {
        keyword,
        keyword_span,
        flags: Vec::new(),
        rest: Span::empty(line.end),
        args: Vec::new(),
        json: false,
        legacy_kv: false,
        errors: Vec::new(),
        child: None,
    };
    if i < line.end {
        let mut j = i;
        while j < line.end && is_re_ws(bytes[j]) {
            j += 1;
        }
        let (remaining, flags) = extract_builder_flags(text, Span::new(j, line.end), escape);
        node.flags = flags;
        node.rest = trim_span(text, remaining);
    }
    dispatch(text, &mut node, escape);
    node
}

/// BuildKit's `extractBuilderFlags`, byte for byte (it reads bytes as runes, so non-ASCII bytes
/// in flags come out as Latin-1 characters, exactly as BuildKit stores them).
fn extract_builder_flags(text: &str, span: Span, escape: char) -> (Span, Vec<RawFlag>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = text.as_bytes();
    let end = span.end;
    let esc = if escape.is_ascii() { escape as u8 } else { 0 };
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = span.start;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = span.start;
    loop {
        let ch = if pos < end { b[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == end {
                break;
            }
            if is_byte_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == end || b[pos + 1] != b'-' {
                let at = snap(text, pos);
                return (Span::new(at, end), words);
            }
            phase = Phase::Word;
            word_start = pos;
            let len = b[pos..end]
                .iter()
                .position(|&c| is_byte_space(c))
                .unwrap_or(end - pos);
            let word_end = pos + len;
            // Fast path: an ASCII word without quotes or escapes is kept as written.
            if b[pos..word_end]
                .iter()
                .all(|&c| c.is_ascii() && c != b'\'' && c != b'"' && c != esc)
            {
                let w = &text[pos..word_end];
                if w == "--" {
                    if word_end == end {
                        break;
                    }
                    return (Span::new(word_end, end), words);
                }
                words.push(RawFlag {
                    text: Text::from(w),
                    span: Span::new(pos, word_end),
                });
                if word_end == end {
                    break;
                }
                phase = Phase::Spaces;
                pos = word_end + 1;
                continue;
            }
            // Room for the whole word up to the next blank: no regrowth per byte.
            word.reserve(len);
        }
        if pos == end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(RawFlag {
                    text: Text::from(word),
                    span: Span::new(word_start, end),
                });
            }
            break;
        }
        match phase {
            Phase::Word => {
                if is_byte_space(ch) {
                    phase = Phase::Spaces;
                    if word == "--" {
                        let at = snap(text, pos);
                        return (Span::new(at, end), words);
                    }
                    if blank_ok || !word.is_empty() {
                        // A 0x85/0xA0 byte inside a character ends the word: snap the span.
                        words.push(RawFlag {
                            text: Text::from(word.as_str()),
                            span: Span::new(word_start, snap(text, pos)),
                        });
                    }
                    word.clear();
                    blank_ok = false;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                    pos += 1;
                    continue;
                }
                let mut c = ch;
                if ch == esc {
                    if pos + 1 == end {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    c = b[pos];
                }
                word.push(char::from(c));
                pos += 1;
            }
            Phase::Quote => {
                if ch == quote {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                let mut c = ch;
                if ch == esc {
                    if pos + 1 == end {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    c = b[pos];
                }
                word.push(char::from(c));
                pos += 1;
            }
            // `Spaces` always continues, returns or becomes `Word` above.
            Phase::Spaces => pos += 1,
        }
    }
    (Span::empty(end), words)
}

fn dispatch(text: &str, node: &mut RawNode, escape: char) {
    let rest = node.rest;
    match node.keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => maybe_json_to_list(text, node),
        Keyword::Arg => {
            node.args = parse_words(text, rest, escape);
        }
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            maybe_json(text, node, rest)
        }
        Keyword::Env | Keyword::Label => name_val(text, node, escape),
        Keyword::Expose | Keyword::From => {
            node.args = split_ws(text, rest);
        }
        Keyword::Healthcheck => health_config(text, node),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            if !rest.is_empty() {
                node.args = vec![(Text::from(rest.text(text)), rest)];
            }
        }
        Keyword::Onbuild => {
            if !rest.is_empty() {
                node.child = Some(Box::new(parse_node(text, rest, escape)));
            }
        }
        // BuildKit's `parseIgnore` leaves one empty node.
        Keyword::Unknown(_) => node.args = vec![(Text::default(), Span::empty(rest.start))],
    }
}

/// `reWhitespace.Split(rest, -1)` on a trimmed, non-empty text.
pub(crate) fn split_ws(text: &str, span: Span) -> Vec<(Text, Span)> {
    let b = text.as_bytes();
    if span.is_empty() {
        return Vec::new();
    }
    // Count the words first: one allocation of the right size.
    let mut count = 1;
    let mut i = span.start;
    while i < span.end {
        if is_re_ws(b[i]) {
            count += 1;
            while i < span.end && is_re_ws(b[i]) {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(count);
    let mut start = span.start;
    let mut i = span.start;
    while i < span.end {
        if is_re_ws(b[i]) {
            out.push((Text::from(&text[start..i]), Span::new(start, i)));
            while i < span.end && is_re_ws(b[i]) {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    out.push((
        Text::from(&text[start..span.end]),
        Span::new(start, span.end),
    ));
    out
}

/// BuildKit's `parseJSON` on `text[span]`.
fn parse_json(text: &str, span: Span) -> Result<Vec<(Text, Span)>, JsonError> {
    let s = span.text(text);
    let t = s.trim_start_matches(is_go_space);
    if !t.starts_with('[') {
        return Err(JsonError::NotJson);
    }
    let base = span.start + (s.len() - t.len());
    json::parse_string_array(t).map(|v| {
        v.into_iter()
            .map(|j| (j.value, j.span.offset(base)))
            .collect()
    })
}

fn not_string_array(node: &mut RawNode, span: Span) {
    node.errors.push((
        SyntaxErrorKind::InvalidJson,
        span,
        "when using JSON array syntax, arrays must be comprised of strings only".into(),
    ));
}

fn maybe_json(text: &str, node: &mut RawNode, span: Span) {
    if span.is_empty() {
        return;
    }
    match parse_json(text, span) {
        Ok(args) => {
            node.args.extend(args);
            node.json = true;
        }
        Err(JsonError::NotStringArray) => not_string_array(node, span),
        Err(JsonError::NotJson) => node.args.push((Text::from(span.text(text)), span)),
    }
}

fn maybe_json_to_list(text: &str, node: &mut RawNode) {
    let rest = node.rest;
    match parse_json(text, rest) {
        Ok(args) => {
            node.args = args;
            node.json = true;
        }
        Err(JsonError::NotStringArray) => not_string_array(node, rest),
        Err(JsonError::NotJson) => node.args = split_ws(text, rest),
    }
}

fn health_config(text: &str, node: &mut RawNode) {
    let rest = node.rest;
    let b = text.as_bytes();
    let mut sep = rest.start;
    while sep < rest.end && !is_byte_space(b[sep]) {
        sep += 1;
    }
    let mut next = sep;
    while next < rest.end && is_byte_space(b[next]) {
        next += 1;
    }
    if sep == rest.start {
        return;
    }
    let sep = snap(text, sep);
    let next = snap(text, next).max(sep);
    node.args.push((
        Text::from(&text[rest.start..sep]),
        Span::new(rest.start, sep),
    ));
    maybe_json(text, node, Span::new(next, rest.end));
}

/// BuildKit's `parseWords`: shell-like words that keep their quotes and escapes.
pub(crate) fn parse_words(text: &str, span: Span, escape: char) -> Vec<(Text, Span)> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let s = span.text(text);
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    // One buffer as long as the text: a word never outgrows it, so it is never regrown.
    let mut buf = String::with_capacity(s.len());
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    let esc = u8::try_from(escape).unwrap_or(0);
    loop {
        let Some((pos, ch)) = it.next() else {
            if phase != Phase::Spaces && (blank_ok || !buf.is_empty()) {
                words.push((Text::from(buf), Span::new(span.start + start, span.end)));
            }
            break;
        };
        if phase == Phase::Spaces {
            if is_go_space(ch) {
                continue;
            }
            // Fast path: an ASCII word without quotes or escapes is kept as written.
            let b = &s.as_bytes()[pos..];
            let len = b
                .iter()
                .position(|&c| !c.is_ascii_graphic() || c == b'\'' || c == b'"' || c == esc)
                .unwrap_or(b.len());
            if b.get(len).is_none_or(|&c| is_go_space(char::from(c))) {
                words.push((
                    Text::from(&s[pos..pos + len]),
                    Span::new(span.start + pos, span.start + pos + len),
                ));
                if len > 1 {
                    it.nth(len - 2);
                }
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        let at_end = |it: &mut std::iter::Peekable<std::str::CharIndices>| it.peek().is_none();
        if phase == Phase::Word {
            if is_go_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || !buf.is_empty() {
                    // A copy of exactly its length; the buffer is kept for the next word.
                    words.push((
                        Text::from(buf.as_str()),
                        Span::new(span.start + start, span.start + pos),
                    ));
                }
                buf.clear();
                blank_ok = false;
                continue;
            }
            let mut ch = ch;
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if at_end(&mut it) {
                    continue;
                }
                buf.push(ch);
                if let Some((_, c)) = it.next() {
                    ch = c;
                }
            }
            buf.push(ch);
            continue;
        }
        // in quote
        let mut ch = ch;
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if at_end(&mut it) {
                phase = Phase::Word;
                continue;
            }
            buf.push(ch);
            if let Some((_, c)) = it.next() {
                ch = c;
            }
        }
        buf.push(ch);
    }
    words
}

/// BuildKit's `parseNameVal` for ENV and LABEL.
fn name_val(text: &str, node: &mut RawNode, escape: char) {
    let rest = node.rest;
    let words = parse_words(text, rest, escape);
    let Some(first) = words.first() else {
        return;
    };
    let name = node.keyword.as_str().to_ascii_uppercase();
    if !first.0.contains('=') {
        node.legacy_kv = true;
        let parts = split_ws_n2(text, rest);
        match parts {
            (k, Some(v)) => {
                node.args = vec![
                    (Text::from(k.text(text)), k),
                    (Text::from(v.text(text)), v),
                    (Text::default(), Span::empty(v.end)),
                ];
            }
            (k, None) => node.errors.push((
                SyntaxErrorKind::EnvMissingValue,
                k,
                format!("{name} must have two arguments"),
            )),
        }
        return;
    }
    let mut args = Vec::with_capacity(words.len() * 3);
    for (word, span) in words {
        let Some(eq) = word.find('=') else {
            node.errors.push((
                SyntaxErrorKind::EnvSyntax,
                span,
                format!(
                    "Syntax error - can't find = in {}. Must be of the form: name=value",
                    super::views::go_quote(&word)
                ),
            ));
            return;
        };
        // The word keeps its source text up to the first `=` unless an escape or quote came
        // first; find the `=` in the source for the spans.
        let src = span.text(text);
        let src_eq = src.find('=').map(|i| span.start + i).unwrap_or(span.end);
        let key_span = Span::new(span.start, src_eq);
        let value_span = Span::new((src_eq + 1).min(span.end), span.end);
        args.push((Text::from(&word[..eq]), key_span));
        args.push((Text::from(&word[eq + 1..]), value_span));
        args.push((Text::const_new("="), Span::empty(src_eq)));
    }
    node.args = args;
}

/// `reWhitespace.Split(rest, 2)`.
fn split_ws_n2(text: &str, span: Span) -> (Span, Option<Span>) {
    let b = text.as_bytes();
    let mut i = span.start;
    while i < span.end && !is_re_ws(b[i]) {
        i += 1;
    }
    if i >= span.end {
        return (span, None);
    }
    let mut j = i;
    while j < span.end && is_re_ws(b[j]) {
        j += 1;
    }
    (Span::new(span.start, i), Some(Span::new(j, span.end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(line: &str) -> RawNode {
        parse_node(line, Span::new(0, line.len()), '\\')
    }

    fn args(line: &str) -> Vec<String> {
        node(line)
            .args
            .into_iter()
            .map(|a| a.0.to_string())
            .collect()
    }

    fn flags(line: &str) -> Vec<String> {
        node(line)
            .flags
            .into_iter()
            .map(|a| a.text.to_string())
            .collect()
    }

    #[test]
    fn flags_and_terminator() {
        assert_eq!(
            flags("COPY --from=a --chown=\"x y\" a b"),
            ["--from=a", "--chown=x y"]
        );
        assert_eq!(args("COPY --from=a -- --b c"), ["--b", "c"]);
        assert_eq!(flags("RUN --a --"), ["--a"]);
        assert_eq!(flags("RUN --x=\\\"y"), ["--x=\"y"]);
        assert_eq!(flags("RUN --m=é x"), ["--m=\u{c3}\u{a9}"]);
        assert_eq!(args("RUN -x --y"), ["-x --y"]);
    }

    #[test]
    fn json_and_shell() {
        let n = node("CMD [\"a\", \"b\"]");
        assert!(n.json);
        assert_eq!(args("CMD [\"a\", \"b\"]"), ["a", "b"]);
        assert_eq!(args("CMD ['a']"), ["['a']"]);
        assert!(!node("CMD ['a']").json);
        assert_eq!(node("CMD [1]").errors[0].0, SyntaxErrorKind::InvalidJson);
        assert_eq!(args("COPY [\"a b\", \"c\"]"), ["a b", "c"]);
        assert_eq!(args("COPY ['a b' c"), ["['a", "b'", "c"]);
    }

    #[test]
    fn words_env_label() {
        assert_eq!(
            args("ARG a b=\"c d\" e='f\\ g'"),
            ["a", "b=\"c d\"", "e='f\\ g'"]
        );
        assert_eq!(args("ENV a b c"), ["a", "b c", ""]);
        assert_eq!(
            args("ENV a=b c=\"d e\""),
            ["a", "b", "=", "c", "\"d e\"", "="]
        );
        assert_eq!(node("ENV a").errors[0].0, SyntaxErrorKind::EnvMissingValue);
        assert_eq!(node("ENV a=b c").errors[0].0, SyntaxErrorKind::EnvSyntax);
        assert_eq!(args("LABEL x="), ["x", "", "="]);
    }

    #[test]
    fn healthcheck_and_onbuild() {
        assert_eq!(args("HEALTHCHECK NONE"), ["NONE"]);
        assert_eq!(
            args("HEALTHCHECK --interval=5s CMD curl x"),
            ["CMD", "curl x"]
        );
        assert_eq!(args("HEALTHCHECK CMD [\"a\"]"), ["CMD", "a"]);
        let n = node("ONBUILD RUN --mount=type=cache x");
        let child = n.child.unwrap();
        assert_eq!(child.keyword, Keyword::Run);
        assert_eq!(child.flags[0].text, "--mount=type=cache");
        assert_eq!(child.args[0].0, "x");
    }
}
