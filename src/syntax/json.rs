//! The JSON (exec) form: a JSON array of strings, accepted exactly when Go's `json.Unmarshal`
//! into `[]any` succeeds and every element is a string (BuildKit's `parseJSON`).

use super::ast::Text;
use super::span::Span;

/// Why a text is not an exec-form array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonError {
    /// Not JSON (or not an array): BuildKit falls back to shell form / word splitting.
    NotJson,
    /// Valid JSON array with a non-string element: BuildKit rejects the instruction.
    NotStringArray,
}

/// One decoded string element, its span relative to the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonString {
    pub value: Text,
    pub span: Span,
}

/// Parse `text` (already left-trimmed, starting with `[`) as BuildKit does.
pub(crate) fn parse_string_array(text: &str) -> Result<Vec<JsonString>, JsonError> {
    let mut p = Parser {
        b: text.as_bytes(),
        s: text,
        i: 0,
    };
    p.ws();
    if p.peek() != Some(b'[') {
        return Err(JsonError::NotJson);
    }
    p.i += 1;
    let mut out = Vec::new();
    // Go validates the whole text before decoding, so a syntax error anywhere wins over a
    // non-string element; remember the latter and report it at the end.
    let mut non_string = false;
    let mut overflow = false;
    p.ws();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            match p.peek() {
                Some(b'"') => {
                    let start = p.i;
                    let value = p.string().ok_or(JsonError::NotJson)?;
                    out.push(JsonString {
                        value,
                        span: Span::new(start, p.i),
                    });
                }
                Some(_) => {
                    match p.skip_value() {
                        Some(true) => overflow = true,
                        Some(false) => {}
                        None => return Err(JsonError::NotJson),
                    }
                    non_string = true;
                }
                None => return Err(JsonError::NotJson),
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return Err(JsonError::NotJson),
            }
        }
    }
    p.ws();
    if p.i != p.b.len() {
        return Err(JsonError::NotJson);
    }
    if overflow {
        // Go reports a number it cannot hold as a type error, which BuildKit treats as "not
        // JSON" (it is not errDockerfileNotStringArray).
        return Err(JsonError::NotJson);
    }
    if non_string {
        return Err(JsonError::NotStringArray);
    }
    Ok(out)
}

/// Go's `maxNestingDepth` (the outer array counts as one level).
const MAX_DEPTH: usize = 10_000;

struct Parser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// A string at `self.i` (which is `"`), decoded as Go does (lone surrogates become U+FFFD).
    fn string(&mut self) -> Option<Text> {
        self.i += 1;
        let mut out = Text::default();
        let mut run = self.i;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    out.push_str(self.s.get(run..self.i)?);
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(self.s.get(run..self.i)?);
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi) {
                                // a low surrogate escape must follow to form a pair
                                let save = self.i;
                                if self.b.get(self.i) == Some(&b'\\')
                                    && self.b.get(self.i + 1) == Some(&b'u')
                                {
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                    } else {
                                        out.push('\u{fffd}');
                                        self.i = save;
                                    }
                                } else {
                                    out.push('\u{fffd}');
                                }
                            } else {
                                out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                            }
                        }
                        _ => return None,
                    }
                    run = self.i;
                }
                0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.s.get(self.i..self.i + 4)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        u32::from_str_radix(h, 16).ok()
    }

    /// Skip any JSON value (iteratively, so deep nesting cannot overflow the stack).
    /// `Some(overflow)` on success, where `overflow` tells a number too large for a float.
    fn skip_value(&mut self) -> Option<bool> {
        let mut stack: Vec<u8> = Vec::new();
        let mut overflow = false;
        loop {
            // expect a value
            self.ws();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'[' => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                    } else {
                        stack.push(b']');
                        if stack.len() >= MAX_DEPTH {
                            return None;
                        }
                        continue;
                    }
                }
                b'{' => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                    } else {
                        stack.push(b'}');
                        if stack.len() >= MAX_DEPTH {
                            return None;
                        }
                        self.key()?;
                        continue;
                    }
                }
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                b'-' | b'0'..=b'9' => overflow |= self.number()?,
                _ => return None,
            }
            // after a value: close containers or move to the next element
            loop {
                let Some(&close) = stack.last() else {
                    return Some(overflow);
                };
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        if close == b'}' {
                            self.ws();
                            self.key()?;
                        }
                        break;
                    }
                    c if c == close => {
                        self.i += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// `"key" :` inside an object.
    fn key(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.string()?;
        self.ws();
        if self.peek()? != b':' {
            return None;
        }
        self.i += 1;
        Some(())
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word.as_bytes() {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// A JSON number; `Some(true)` when it overflows a float64.
    fn number(&mut self) -> Option<bool> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        let text = self.s.get(start..self.i)?;
        Some(text.parse::<f64>().map(|f| f.is_infinite()).unwrap_or(true))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<Text> {
        parse_string_array(text)
            .unwrap()
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(ok(r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(ok("[]"), Vec::<Text>::new());
        assert_eq!(ok("[ \"x\" ]  \r\n"), ["x"]);
        assert_eq!(
            ok(r#"["\u00e9\n\"\\", "\ud83d\ude00", "\ud800x"]"#),
            ["é\n\"\\", "😀", "\u{fffd}x"]
        );
        let spans = parse_string_array(r#"[ "ab" ,"c"]"#).unwrap();
        assert_eq!(spans[0].span, Span::new(2, 6));
        assert_eq!(spans[1].span, Span::new(8, 11));
    }

    #[test]
    fn not_json_falls_back() {
        for t in [
            "['a']",
            "[\"a\"",
            "[\"a]",
            "[\"a\"] x",
            "[\"a\",]",
            "[1e999]",
            "[\"\t\"]",
            "[\"a\" \"b\"]",
            "[\"\\x\"]",
            "[{\"a\"}]",
        ] {
            assert_eq!(parse_string_array(t), Err(JsonError::NotJson), "{t}");
        }
    }

    #[test]
    fn non_string_elements_are_rejected() {
        for t in [
            "[1]",
            "[\"a\", null]",
            "[[\"a\"]]",
            "[{\"k\": [1, {\"x\": true}]}]",
            "[-0.5e+3]",
        ] {
            assert_eq!(parse_string_array(t), Err(JsonError::NotStringArray), "{t}");
        }
        let nested = |n| format!("[{}{}]", "[".repeat(n), "]".repeat(n));
        assert_eq!(
            parse_string_array(&nested(50)),
            Err(JsonError::NotStringArray)
        );
        assert_eq!(
            parse_string_array(&nested(100_000)),
            Err(JsonError::NotJson)
        );
    }
}
