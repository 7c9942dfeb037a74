//! Go syntax checks that patternmatcher relies on, reimplemented for Rust:
//!
//! * [`go_match_syntax_ok`]: the error behaviour of Go's `filepath.Match(pattern, ".")`, which
//!   patternmatcher calls to validate each pattern.
//! * [`translate`]: turns the Go (RE2, Perl flags) regular expression that patternmatcher builds
//!   into an equivalent Rust `regex`, failing where Go's `regexp.Compile` fails. The two engines
//!   disagree on classes (`[[]` is fine in Go, an unclosed nested class in Rust; `&&`, `--`, `~~`
//!   are set operators in Rust) and on escapes (`\<` is accepted by Rust only; `\d` is ASCII in
//!   Go, Unicode in Rust), so nothing user-written is passed through verbatim: every literal is
//!   re-emitted as `\x{..}` and every class is rebuilt.

/// Whether Go's `filepath.Match(pattern, ".")` returns no error (Unix: `\` escapes).
///
/// Go validates every chunk of the pattern (runs between unbracketed `*`), whatever the name.
pub fn go_match_syntax_ok(pattern: &str) -> bool {
    let mut rest = pattern.as_bytes();
    while !rest.is_empty() {
        while rest.first() == Some(&b'*') {
            rest = &rest[1..];
        }
        let (chunk, tail) = scan_chunk(rest);
        if !chunk_ok(chunk) {
            return false;
        }
        rest = tail;
    }
    true
}

/// Go's `scanChunk` without the leading stars: up to the next `*` outside `[...]`.
fn scan_chunk(p: &[u8]) -> (&[u8], &[u8]) {
    let mut in_range = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    p.split_at(i)
}

/// Go's `matchChunk` error paths.
fn chunk_ok(mut chunk: &[u8]) -> bool {
    while let Some(&c) = chunk.first() {
        match c {
            b'[' => {
                chunk = &chunk[1..];
                if chunk.first() == Some(&b'^') {
                    chunk = &chunk[1..];
                }
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some(next) = get_esc(chunk) else {
                        return false;
                    };
                    chunk = next;
                    if chunk.first() == Some(&b'-') {
                        let Some(next) = get_esc(&chunk[1..]) else {
                            return false;
                        };
                        chunk = next;
                    }
                    nrange += 1;
                }
            }
            b'\\' => {
                if chunk.len() < 2 {
                    return false;
                }
                chunk = &chunk[2..];
            }
            _ => chunk = &chunk[1..],
        }
    }
    true
}

/// Go's `getEsc`: one (possibly escaped) class character; what remains must not be empty.
fn get_esc(chunk: &[u8]) -> Option<&[u8]> {
    let mut c = chunk;
    match c.first() {
        None | Some(b'-') | Some(b']') => return None,
        Some(b'\\') => {
            c = &c[1..];
            if c.is_empty() {
                return None;
            }
        }
        _ => {}
    }
    let n = utf8_len(c)?;
    let rest = &c[n..];
    if rest.is_empty() { None } else { Some(rest) }
}

/// Length of the UTF-8 character at the start (None for an invalid sequence, like Go's
/// `RuneError` with width 1).
fn utf8_len(b: &[u8]) -> Option<usize> {
    let first = *b.first()?;
    let n = match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    b.get(..n)
        .and_then(|s| std::str::from_utf8(s).ok())
        .map(|_| n)
}

const POSIX_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Translate a Go regexp (as patternmatcher generates it) to Rust `regex` syntax, or the reason
/// Go's `regexp.Compile` would reject it.
pub fn translate(go: &str) -> Result<String, String> {
    let chars: Vec<char> = go.chars().collect();
    let mut t = Translator {
        chars: &chars,
        pos: 0,
        out: String::new(),
    };
    t.run()?;
    Ok(t.out)
}

struct Translator<'a> {
    chars: &'a [char],
    pos: usize,
    out: String,
}

impl Translator<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn literal(&mut self, c: char) {
        self.out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.next() {
            match c {
                // Generated by patternmatcher itself: `^`, `$`, `[^/]*`, `(.*/)?`, `.*`. A
                // user's raw `^` is an anchor in both engines.
                '^' | '$' | '.' | '(' | ')' | '?' | '*' | '|' | '+' => self.out.push(c),
                '[' => self.class()?,
                '\\' => self.escape_outside()?,
                _ => self.literal(c),
            }
        }
        Ok(())
    }

    fn escape_outside(&mut self) -> Result<(), String> {
        let Some(c) = self.peek() else {
            return Err("trailing backslash at end of expression".into());
        };
        match c {
            'A' => self.out.push_str("\\A"),
            'z' => self.out.push_str("\\z"),
            'b' => self.out.push_str("(?-u:\\b)"),
            'B' => self.out.push_str("(?-u:\\B)"),
            'Q' => {
                self.pos += 1;
                // Literal text up to `\E` or the end.
                while let Some(q) = self.next() {
                    if q == '\\' && self.peek() == Some('E') {
                        self.pos += 1;
                        return Ok(());
                    }
                    self.literal(q);
                }
                return Ok(());
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.pos += 1;
                let class = perl_class(c);
                self.out.push_str(&format!("[{class}]"));
                return Ok(());
            }
            'p' | 'P' => {
                self.pos += 1;
                let class = self.unicode_class(c)?;
                self.out.push_str(&class);
                return Ok(());
            }
            _ => {
                let ch = self.escaped_char()?;
                self.literal(ch);
                return Ok(());
            }
        }
        self.pos += 1;
        Ok(())
    }

    /// `\p{Name}` / `\pL`, passed to Rust as-is (Go and Rust share the Unicode names).
    fn unicode_class(&mut self, p: char) -> Result<String, String> {
        match self.next() {
            Some('{') => {
                let mut name = String::new();
                loop {
                    match self.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err("invalid character class range: \\p{".into()),
                    }
                }
                Ok(format!("\\{p}{{{name}}}"))
            }
            Some(c) if c.is_ascii_alphabetic() => Ok(format!("\\{p}{c}")),
            _ => Err("invalid character class range".into()),
        }
    }

    /// Go's `parseEscape` for a character (the `\` is already consumed).
    fn escaped_char(&mut self) -> Result<char, String> {
        let Some(c) = self.next() else {
            return Err("trailing backslash at end of expression".into());
        };
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            return Ok(c);
        }
        let octal = |c: Option<char>| c.is_some_and(|c| ('0'..='7').contains(&c));
        match c {
            '1'..='7' if !octal(self.peek()) => Err(format!("invalid escape sequence: \\{c}")),
            '0'..='7' => {
                let mut value = c as u32 - '0' as u32;
                for _ in 1..3 {
                    match self.peek() {
                        Some(d) if octal(Some(d)) => {
                            value = value * 8 + (d as u32 - '0' as u32);
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                char::from_u32(value).ok_or_else(|| "invalid escape sequence".into())
            }
            'x' => self.hex_escape(),
            'a' => Ok('\u{7}'),
            'f' => Ok('\u{c}'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            'v' => Ok('\u{b}'),
            _ => Err(format!("invalid escape sequence: \\{c}")),
        }
    }

    fn hex_escape(&mut self) -> Result<char, String> {
        let bad = || "invalid escape sequence: \\x".to_string();
        let mut digits = String::new();
        if self.peek() == Some('{') {
            self.pos += 1;
            loop {
                match self.next() {
                    Some('}') => break,
                    Some(d) if d.is_ascii_hexdigit() => digits.push(d),
                    _ => return Err(bad()),
                }
            }
            if digits.is_empty() {
                return Err(bad());
            }
        } else {
            for _ in 0..2 {
                match self.next() {
                    Some(d) if d.is_ascii_hexdigit() => digits.push(d),
                    _ => return Err(bad()),
                }
            }
        }
        u32::from_str_radix(&digits, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(bad)
    }

    /// A bracket expression (the `[` is consumed), Go RE2 rules: a `]` right after `[` or `[^`
    /// is literal, `-` is literal where it cannot form a range, `[:name:]` is a POSIX class.
    fn class(&mut self) -> Result<(), String> {
        let start = self.pos;
        self.out.push('[');
        if self.peek() == Some('^') {
            self.pos += 1;
            self.out.push('^');
        }
        let mut first = true;
        loop {
            match self.peek() {
                None => return Err(format!("missing closing ]: [{}", self.text_from(start))),
                Some(']') if !first => {
                    self.pos += 1;
                    self.out.push(']');
                    return Ok(());
                }
                _ => {}
            }
            first = false;
            if self.peek() == Some('[') && self.chars.get(self.pos + 1) == Some(&':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                if let Some(end) = rest.find(":]") {
                    let name = &rest[..end];
                    let bare = name.strip_prefix('^').unwrap_or(name);
                    if !POSIX_CLASSES.contains(&bare) {
                        return Err(format!("invalid character class range: [:{name}:]"));
                    }
                    self.out.push_str(&format!("[:{name}:]"));
                    self.pos += 2 + name.chars().count() + 2;
                    continue;
                }
            }
            if self.peek() == Some('\\') {
                match self.chars.get(self.pos + 1).copied() {
                    Some(c @ ('d' | 'D' | 's' | 'S' | 'w' | 'W')) => {
                        self.pos += 2;
                        self.out.push_str(&format!("[{}]", perl_class(c)));
                        continue;
                    }
                    Some(p @ ('p' | 'P')) => {
                        self.pos += 2;
                        let class = self.unicode_class(p)?;
                        self.out.push_str(&class);
                        continue;
                    }
                    _ => {}
                }
            }
            let lo = self.class_char(start)?;
            let mut hi = lo;
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
                self.pos += 1;
                hi = self.class_char(start)?;
                if hi < lo {
                    return Err("invalid character class range".into());
                }
            }
            self.out.push_str(&format!("\\x{{{:X}}}", lo as u32));
            if hi != lo {
                self.out.push_str(&format!("-\\x{{{:X}}}", hi as u32));
            }
        }
    }

    fn class_char(&mut self, start: usize) -> Result<char, String> {
        match self.next() {
            None => Err(format!("missing closing ]: [{}", self.text_from(start))),
            Some('\\') => self.escaped_char(),
            Some(c) => Ok(c),
        }
    }

    fn text_from(&self, start: usize) -> String {
        self.chars.get(start..).unwrap_or_default().iter().collect()
    }
}

/// Go's Perl classes are ASCII-only; written out so Rust does not use its Unicode ones.
fn perl_class(c: char) -> &'static str {
    match c {
        'd' => "0-9",
        'D' => "^0-9",
        's' => "\\t\\n\\x0C\\r ",
        'S' => "^\\t\\n\\x0C\\r ",
        'w' => "0-9A-Za-z_",
        _ => "^0-9A-Za-z_",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_syntax_like_go() {
        for ok in [
            "a", "*", "a*b", "[a-z]", "[^a]", "[!a]", "[\\]]", "\\*", "a]", "[[]", "**",
        ] {
            assert!(go_match_syntax_ok(ok), "{ok:?} should be valid");
        }
        for bad in [
            "[", "a[", "[]", "[a-]", "[-a]", "[^]", "a\\", "[a", "*[", "[\\", "x*[a",
        ] {
            assert!(!go_match_syntax_ok(bad), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn translate_rejects_what_go_rejects() {
        for bad in ["^\\e$", "^\\q$", "^[[:foo:]]$", "^[b-a]$", "^\\1$", "^[a$"] {
            assert!(translate(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn translated_classes_keep_go_meaning() {
        let re = |go: &str| regex::Regex::new(&translate(go).unwrap()).unwrap();
        // `[[]` is a class with `[` in Go.
        assert!(re("^[[]$").is_match("["));
        // `&&` is not an intersection in Go.
        assert!(re("^[a&&b]$").is_match("&"));
        // `\d` is ASCII in Go.
        assert!(!re("^\\d$").is_match("٣"));
        assert!(re("^\\d$").is_match("3"));
        // `]` outside a class is literal.
        assert!(re("^a]$").is_match("a]"));
        assert!(re("^[[:digit:]x]$").is_match("x"));
        // Go reads `\<` as a literal `<` (Rust would read a word boundary).
        assert!(re("^a\\<$").is_match("a<"));
    }
}
