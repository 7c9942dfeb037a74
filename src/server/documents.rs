//! The documents open in the editor: their text as the editor has it (not as it is on disk),
//! kept in step with full and incremental changes.

use super::convert::LineTable;
use crate::cli::discover::is_dockerfile_name;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::path::{Path, PathBuf};

/// What the server does with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Linted.
    Dockerfile,
    /// Its patterns are checked (`.dockerignore`, `<Dockerfile>.dockerignore`).
    Dockerignore,
    /// Anything else the client sends (a configuration file it watches): tracked, not linted.
    Other,
}

impl Kind {
    /// Decided by the file name first (an editor may call any file `plaintext`), then by the
    /// language the client names.
    pub fn of(path: Option<&Path>, language_id: &str) -> Kind {
        let name = path
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("");
        if name == ".dockerignore" || name.ends_with(".dockerignore") {
            Kind::Dockerignore
        } else if is_dockerfile_name(name)
            || language_id.eq_ignore_ascii_case("dockerfile")
            || language_id.eq_ignore_ascii_case("containerfile")
        {
            Kind::Dockerfile
        } else if language_id.eq_ignore_ascii_case("ignore")
            && name.to_ascii_lowercase().contains("dockerignore")
        {
            Kind::Dockerignore
        } else {
            Kind::Other
        }
    }
}

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    /// The file it is (none for an unsaved buffer or a non-`file:` URI).
    pub path: Option<PathBuf>,
    pub kind: Kind,
    pub version: i32,
    pub text: String,
}

impl Document {
    pub fn new(uri: Uri, language_id: &str, version: i32, text: String) -> Self {
        let path = uri_to_path(&uri);
        Document {
            kind: Kind::of(path.as_deref(), language_id),
            uri,
            path,
            version,
            text,
        }
    }

    /// Apply the changes of one `didChange`, in order (each range refers to the text as the
    /// previous change left it). Ranges are clamped to the text, so a confused client gets a
    /// wrong text, never a crash.
    pub fn apply_changes(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let table = LineTable::new(&self.text);
                    let span = table.span(&self.text, range);
                    self.text.replace_range(span.start..span.end, &change.text);
                }
            }
        }
        self.version = version;
    }
}

/// The file a `file:` URI names (percent-decoded), or `None`.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`; other hosts are not local files.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        let s = String::from_utf8(bytes).ok()?;
        // `/C:/x` -> `C:/x`
        let s = match s.as_bytes() {
            [b'/', d, b':', ..] if d.is_ascii_alphabetic() => s[1..].to_string(),
            _ => s,
        };
        Some(PathBuf::from(s))
    }
}

/// A `file:` URI for an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn kinds_by_name_then_language() {
        let k = |p: &str, l: &str| Kind::of(Some(Path::new(p)), l);
        assert_eq!(k("/a/Dockerfile", "plaintext"), Kind::Dockerfile);
        assert_eq!(k("/a/api.Dockerfile", ""), Kind::Dockerfile);
        assert_eq!(k("/a/build", "dockerfile"), Kind::Dockerfile);
        assert_eq!(k("/a/.dockerignore", "ignore"), Kind::Dockerignore);
        assert_eq!(k("/a/Dockerfile.dockerignore", ""), Kind::Dockerignore);
        assert_eq!(k("/a/.whittle.yaml", "yaml"), Kind::Other);
        assert_eq!(Kind::of(None, "dockerfile"), Kind::Dockerfile);
    }

    #[test]
    fn file_uris_and_paths() {
        assert_eq!(
            uri_to_path(&uri("file:///tmp/a%20b/Dockerfile")),
            Some(PathBuf::from("/tmp/a b/Dockerfile"))
        );
        assert_eq!(
            uri_to_path(&uri("file://localhost/x")),
            Some(PathBuf::from("/x"))
        );
        assert_eq!(uri_to_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(uri_to_path(&uri("file://host/x")), None);
        let p = Path::new("/tmp/a b/é/Dockerfile");
        assert_eq!(uri_to_path(&path_to_uri(p).unwrap()).as_deref(), Some(p));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut d = Document::new(
            uri("file:///w/Dockerfile"),
            "dockerfile",
            1,
            "FROM a\nRUN x\n".into(),
        );
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        d.apply_changes(
            2,
            vec![change(1, 4, 1, 5, "echo hi"), change(0, 5, 0, 6, "alpine")],
        );
        assert_eq!(d.text, "FROM alpine\nRUN echo hi\n");
        assert_eq!(d.version, 2);
        // Out-of-range positions clamp.
        d.apply_changes(3, vec![change(50, 0, 60, 3, "# end\n")]);
        assert_eq!(d.text, "FROM alpine\nRUN echo hi\n# end\n");
        d.apply_changes(
            4,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "FROM b\n".into(),
            }],
        );
        assert_eq!(d.text, "FROM b\n");
    }
}
