//! The JSON-RPC framing over stdio (`Content-Length` headers, then a JSON body).
//!
//! `lsp-server` ships a stdio transport, but it gives up on the first malformed message and
//! allocates whatever `Content-Length` a client announces. This reader skips a body that is not
//! a JSON-RPC message (the stream is still in step after it), refuses bodies over
//! [`MAX_MESSAGE`], and stops cleanly at the end of input, so no input can make the server
//! crash. Messages themselves are `lsp-server`'s types.

use lsp_server::Message;
use std::io::{self, BufRead, Write};

/// The largest message accepted (a Dockerfile is kilobytes; a JSON-escaped 16 MiB file fits).
pub const MAX_MESSAGE: usize = 64 << 20;

/// What reading the next message gave.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A well-framed body that is not a JSON-RPC message: skipped, with why.
    Skipped(String),
    /// End of input.
    Closed,
}

/// Read one framed message. `Err` means the stream cannot be followed any further (a broken
/// header, a body too large, an I/O error).
pub fn read_message<R: BufRead>(input: &mut R) -> io::Result<Incoming> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    let mut any_header = false;
    loop {
        line.clear();
        // Header lines are short; a "line" of megabytes is not a header.
        let n = io::Read::take(&mut *input, 4096).read_until(b'\n', &mut line)?;
        if n == 0 {
            return if any_header {
                Err(invalid("end of input inside a message header"))
            } else {
                Ok(Incoming::Closed)
            };
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if any_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        any_header = true;
        let Some((name, value)) = text.split_once(':') else {
            return Err(invalid(&format!("malformed header line {text:?}")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| invalid(&format!("bad Content-Length {:?}", value.trim())))?;
            length = Some(n);
        }
    }
    let length = length.ok_or_else(|| invalid("message without Content-Length"))?;
    if length > MAX_MESSAGE {
        return Err(invalid(&format!(
            "message of {length} bytes is over the {MAX_MESSAGE}-byte limit"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    match serde_json::from_slice::<Message>(&body) {
        Ok(message) => Ok(Incoming::Message(message)),
        Err(e) => Ok(Incoming::Skipped(format!(
            "not a JSON-RPC message ({e}): {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ))),
    }
}

/// Write one framed message and flush it.
pub fn write_message(out: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(out)
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_messages_and_skips_bad_bodies() {
        let input = format!(
            "{}{}{}",
            framed(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
            framed("not json"),
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
        );
        let mut r = io::Cursor::new(input.into_bytes());
        assert!(matches!(
            read_message(&mut r).unwrap(),
            Incoming::Message(Message::Notification(_))
        ));
        assert!(matches!(
            read_message(&mut r).unwrap(),
            Incoming::Skipped(_)
        ));
        assert!(matches!(
            read_message(&mut r).unwrap(),
            Incoming::Message(Message::Request(_))
        ));
        assert!(matches!(read_message(&mut r).unwrap(), Incoming::Closed));
    }

    #[test]
    fn refuses_what_cannot_be_followed() {
        for bad in [
            "Content-Length: 99999999999999\r\n\r\n",
            "Content-Length: x\r\n\r\n{}",
            "Nonsense\r\n\r\n",
            "Content-Type: a\r\n\r\n{}",
            "Content-Length: 10\r\n",
        ] {
            let mut r = io::Cursor::new(bad.as_bytes().to_vec());
            assert!(read_message(&mut r).is_err(), "{bad:?}");
        }
        // A body shorter than announced is an I/O error, not a hang or a panic.
        let mut r = io::Cursor::new(b"Content-Length: 10\r\n\r\n{}".to_vec());
        assert!(read_message(&mut r).is_err());
    }

    #[test]
    fn writes_what_it_reads() {
        let m = Message::Notification(lsp_server::Notification::new(
            "exit".to_string(),
            serde_json::Value::Null,
        ));
        let mut out = Vec::new();
        write_message(&mut out, &m).unwrap();
        let mut r = io::Cursor::new(out);
        match read_message(&mut r).unwrap() {
            Incoming::Message(Message::Notification(n)) => assert_eq!(n.method, "exit"),
            other => panic!("{other:?}"),
        }
    }
}
