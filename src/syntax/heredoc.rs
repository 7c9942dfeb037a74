//! Heredoc detection exactly as BuildKit does it (`heredocsFromLine`, `ParseHeredoc`): the
//! joined line is split by the shell lexer (always with `\` as escape, raw quotes and escapes,
//! unset variables kept), and each word matching `^(\d*)<<(-?)\s*([^<]*)$` is a heredoc.

use super::span::Span;
use super::words::{LexOptions, lex};

/// A heredoc word found on an instruction line (spans are offsets into that line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeredocWord {
    pub name: String,
    pub word_span: Span,
    pub name_span: Span,
    pub fd: Option<u32>,
    pub chomp: bool,
    pub expand: bool,
}

/// What `ParseHeredoc` makes of one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedHeredoc {
    pub name: String,
    /// Byte offset of the name part in the word.
    pub name_offset: usize,
    pub fd: Option<u32>,
    pub chomp: bool,
    pub expand: bool,
}

fn no_scope(_: &str) -> Option<String> {
    None
}

fn is_re_s(b: u8) -> bool {
    // Go regexp `\s`
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// BuildKit's `ParseHeredoc`: `Ok(None)` when the word is not a heredoc, `Err` when BuildKit's
/// lexer fails on its name.
pub(crate) fn parse_heredoc(word: &str) -> Result<Option<ParsedHeredoc>, String> {
    let b = word.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let digits = &word[..i];
    if !word[i..].starts_with("<<") {
        return Ok(None);
    }
    i += 2;
    let chomp = b.get(i) == Some(&b'-');
    if chomp {
        i += 1;
    }
    while i < b.len() && is_re_s(b[i]) {
        i += 1;
    }
    let rest = &word[i..];
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let mut opts = LexOptions::new('\\');
    opts.skip_unset_env = true;
    let plain = lex(rest, opts, &no_scope);
    if let Some(e) = plain.error {
        return Err(e);
    }
    if plain.words.len() != 1 {
        return Ok(None);
    }
    opts.raw_quotes = true;
    let raw = lex(rest, opts, &no_scope);
    if let Some(e) = raw.error {
        return Err(e);
    }
    if raw.words.len() != plain.words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.bytes().filter(|&c| c == b'\'' || c == b'"').count();
    let name = plain.words[0].value.clone();
    let expand = quotes(&name) == quotes(&raw.words[0].value);
    let fd = if digits.is_empty() {
        None
    } else {
        // Go's ParseUint error leaves 0.
        Some(digits.parse::<u32>().unwrap_or(0))
    };
    Ok(Some(ParsedHeredoc {
        name,
        name_offset: i,
        fd,
        chomp,
        expand,
    }))
}

/// BuildKit's `heredocsFromLine` over a whole joined instruction line.
pub(crate) fn heredocs_from_line(line: &str) -> Result<Vec<HeredocWord>, (String, Span)> {
    let opts = LexOptions {
        escape: '\\',
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
    };
    // A lexer error leaves no words, hence no heredocs (BuildKit ignores it).
    let words = lex(line, opts, &no_scope).words;
    let mut docs = Vec::new();
    for w in words {
        match parse_heredoc(&w.value) {
            Ok(Some(h)) => {
                let name_start = (w.span.start + h.name_offset).min(w.span.end);
                docs.push(HeredocWord {
                    name: h.name,
                    word_span: w.span,
                    name_span: Span::new(name_start, w.span.end),
                    fd: h.fd,
                    chomp: h.chomp,
                    expand: h.expand,
                });
            }
            Ok(None) => {}
            Err(e) => return Err((e, w.span)),
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<(String, bool, bool)> {
        heredocs_from_line(line)
            .unwrap()
            .into_iter()
            .map(|h| (h.name, h.expand, h.chomp))
            .collect()
    }

    fn n(name: &str, expand: bool, chomp: bool) -> (String, bool, bool) {
        (name.to_string(), expand, chomp)
    }

    #[test]
    fn detects_heredoc_words() {
        assert_eq!(names("RUN <<EOF"), [n("EOF", true, false)]);
        assert_eq!(names("RUN <<-EOF"), [n("EOF", true, true)]);
        assert_eq!(names("RUN 3<<EOF"), [n("EOF", true, false)]);
        assert_eq!(names("RUN <<'EOF' | python"), [n("EOF", false, false)]);
        assert_eq!(names("RUN <<eo'f'"), [n("eof", false, false)]);
        assert_eq!(names("RUN <<eo\\'f"), [n("eo'f", true, false)]);
        assert_eq!(names("RUN <<'one two'"), [n("one two", false, false)]);
        assert_eq!(names("RUN <<$EOF"), [n("$EOF", true, false)]);
        assert_eq!(names("RUN <<  EOF"), [n("EOF", true, false)]);
        assert_eq!(
            names("COPY <<A <<B /d"),
            [n("A", true, false), n("B", true, false)]
        );
        assert_eq!(names("RUN cat <<EOF > f"), [n("EOF", true, false)]);
        assert!(names("RUN \"<<EOF\"").is_empty());
        assert!(names("RUN cat<<EOF").is_empty());
        assert!(names("RUN <<").is_empty());
        assert!(names("RUN <<EOF \"unterminated").is_empty());
        let h = heredocs_from_line("RUN 3<<-EOF").unwrap();
        assert_eq!(h[0].fd, Some(3));
        assert_eq!(h[0].word_span, Span::new(4, 11));
        assert_eq!(h[0].name_span, Span::new(8, 11));
    }
}
