//! Quote removal for words without expansions: what the shell passes as the argument.

use std::borrow::Cow;

/// The value of a word without expansions: quotes removed, backslash escapes applied, `\`+newline
/// dropped, `$'..'` decoded. A `$` that is not followed by a quote is kept as text.
pub fn unquote(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['\'', '"', '\\']) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            },
            '\'' => {
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    out.push(n);
                }
            }
            '"' => double_quoted(&mut chars, &mut out),
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                ansi_c(&mut chars, &mut out);
            }
            '$' if chars.peek() == Some(&'"') => {
                chars.next();
                double_quoted(&mut chars, &mut out);
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After the opening `"`: inside double quotes a backslash escapes only `$ ` " \` and newline.
fn double_quoted(chars: &mut Chars<'_>, out: &mut String) {
    while let Some(c) = chars.next() {
        match c {
            '"' => return,
            '\\' => match chars.peek().copied() {
                Some('\n') => {
                    chars.next();
                }
                Some(n @ ('$' | '`' | '"' | '\\')) => {
                    chars.next();
                    out.push(n);
                }
                _ => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
}

/// After the opening `$'`: bash's ANSI-C escapes.
fn ansi_c(chars: &mut Chars<'_>, out: &mut String) {
    while let Some(c) = chars.next() {
        match c {
            '\'' => return,
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    return;
                };
                match e {
                    'a' => out.push('\x07'),
                    'b' => out.push('\x08'),
                    'e' | 'E' => out.push('\x1b'),
                    'f' => out.push('\x0c'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\x0b'),
                    '\\' | '\'' | '"' | '?' => out.push(e),
                    '0'..='7' => {
                        let mut v = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.peek().and_then(|d| d.to_digit(8)) {
                                Some(d) => {
                                    v = v * 8 + d;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        push_code(out, v & 0xff);
                    }
                    'x' => hex_escape(chars, out, 2, "\\x"),
                    'u' => hex_escape(chars, out, 4, "\\u"),
                    'U' => hex_escape(chars, out, 8, "\\U"),
                    'c' => match chars.next() {
                        Some(k) => push_code(out, (k as u32) & 0x1f),
                        None => out.push_str("\\c"),
                    },
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            _ => out.push(c),
        }
    }
}

fn hex_escape(chars: &mut Chars<'_>, out: &mut String, max: usize, spelled: &str) {
    let mut v = 0u32;
    let mut n = 0;
    while n < max {
        match chars.peek().and_then(|d| d.to_digit(16)) {
            Some(d) => {
                v = v.saturating_mul(16).saturating_add(d);
                chars.next();
                n += 1;
            }
            None => break,
        }
    }
    if n == 0 {
        out.push_str(spelled);
    } else {
        push_code(out, v);
    }
}

fn push_code(out: &mut String, v: u32) {
    out.push(char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER));
}

#[cfg(test)]
mod tests {
    use super::unquote;

    #[test]
    fn removes_quotes_and_escapes() {
        assert_eq!(unquote("plain"), "plain");
        assert_eq!(unquote("'a b'"), "a b");
        assert_eq!(unquote(r#""a \"b\" \x""#), r#"a "b" \x"#);
        assert_eq!(unquote(r"a\ b"), "a b");
        assert_eq!(unquote("ab\\\ncd"), "abcd");
        assert_eq!(unquote(r"$'a\tb\x41\101\u00e9'"), "a\tbAAé");
        assert_eq!(unquote(r#"$"hi""#), "hi");
        assert_eq!(unquote(r#"--x="a b"c"#), "--x=a bc");
    }
}
