//! A Dockerfile's bytes as text, the way Docker reads them.
//!
//! Docker builds a Dockerfile that is not valid UTF-8 (a Latin-1 `é` in an `echo`): each byte
//! that is not UTF-8 reaches the build as U+FFFD, the replacement character (checked with
//! `docker build`: `RUN echo caf\xe9 > /x` writes `caf\xef\xbf\xbd`). whittle reads such a
//! byte `b` as the private-use character U+10FF00 + `b`: to the rules it is one character where
//! Docker has one, and writing the file back ([`encode`]) turns it into the byte again, so a fix
//! never changes a byte it did not mean to change. (A file that already holds one of those
//! characters could not be written back exactly; it is still linted, but not fixed.)

use std::borrow::Cow;

/// The first of the 128 characters that stand for the bytes 0x80..=0xFF.
const ESCAPE_BASE: u32 = 0x10_FF00;

/// A file's text and what reading it needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Byte offsets, in `text`, of the characters that stand for bytes that are not UTF-8, and
    /// those bytes.
    pub escaped: Vec<(usize, u8)>,
    /// Whether [`encode`] gives back the file's bytes exactly (false when the file itself
    /// holds a character of the escape range).
    pub writable: bool,
}

fn escape_char(b: u8) -> char {
    char::from_u32(ESCAPE_BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn escaped_byte(c: char) -> Option<u8> {
    let v = u32::from(c);
    (ESCAPE_BASE + 0x80..=ESCAPE_BASE + 0xFF)
        .contains(&v)
        .then(|| (v - ESCAPE_BASE) as u8)
}

/// Bytes to text: UTF-8 as it is (a BOM is kept: the parser and the fixes handle it), other
/// bytes escaped; UTF-16 and binary files are refused (Docker cannot read them either).
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, String> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err("is UTF-16 encoded (Docker reads UTF-8: save it as UTF-8)".to_string());
    }
    if bytes.contains(&0) {
        return Err("is a binary file, not a Dockerfile".to_string());
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text,
                escaped: Vec::new(),
                writable: true,
            });
        }
        Err(e) => e.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut escaped = Vec::new();
    let mut rest = bytes.as_slice();
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                // Checked valid just above.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(after.len()).max(1);
                for &b in &after[..bad] {
                    escaped.push((text.len(), b));
                    text.push(escape_char(b));
                }
                rest = &after[bad..];
            }
        }
    }
    let own = text
        .char_indices()
        .filter(|(_, c)| escaped_byte(*c).is_some())
        .count();
    Ok(Decoded {
        writable: own == escaped.len(),
        text,
        escaped,
    })
}

/// The bytes to write for `text` (as [`decode`] read it, then maybe fixed).
pub fn encode(text: &str) -> Cow<'_, [u8]> {
    // Every escape character starts with the byte 0xF4 in UTF-8: most texts have none.
    if memchr::memchr(0xF4, text.as_bytes()).is_none()
        || !text.chars().any(|c| escaped_byte(c).is_some())
    {
        return Cow::Borrowed(text.as_bytes());
    }
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match escaped_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_bytes_round_trip() {
        let bytes = b"FROM alpine\nRUN echo caf\xe9 \xff\xfe!\n".to_vec();
        let d = decode(bytes.clone()).unwrap();
        assert_eq!(d.escaped.len(), 3);
        assert!(d.writable);
        let (at, b) = d.escaped[0];
        assert_eq!(b, 0xe9);
        assert_eq!(&d.text[..at], "FROM alpine\nRUN echo caf");
        assert_eq!(encode(&d.text).as_ref(), bytes.as_slice());
        // An edit elsewhere keeps the bytes.
        let fixed = d.text.replace("alpine", "alpine:3.20");
        assert_eq!(
            encode(&fixed).as_ref(),
            b"FROM alpine:3.20\nRUN echo caf\xe9 \xff\xfe!\n"
        );
    }

    #[test]
    fn utf8_and_refusals() {
        let d = decode("FROM é\n".as_bytes().to_vec()).unwrap();
        assert!(d.escaped.is_empty() && d.writable);
        assert!(matches!(encode(&d.text), Cow::Borrowed(_)));
        assert!(decode(vec![0xff, 0xfe, b'F', 0]).is_err());
        assert!(decode(b"FROM a\0".to_vec()).is_err());
        // A truncated sequence at the end.
        let d = decode(b"RUN x \xe2\x82".to_vec()).unwrap();
        assert_eq!(d.escaped.len(), 2);
        assert_eq!(encode(&d.text).as_ref(), b"RUN x \xe2\x82");
    }

    #[test]
    fn a_file_holding_an_escape_character_is_not_writable() {
        let mut bytes = "RUN echo \u{10ffe9} ".as_bytes().to_vec();
        bytes.push(0xe9);
        let d = decode(bytes).unwrap();
        assert!(!d.writable);
    }
}
