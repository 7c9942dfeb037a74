//! One pass over one layer: every tar entry's path, type and size, and the content of the few
//! small files that say which package owns what (dpkg's status and file lists, npm's hidden
//! lockfile). File data is skipped, never stored: memory grows with the number of entries, not
//! with the layer's size.

use super::tar::{Skip, TarReader, clean_path, kind};

/// One tar entry of a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry name after Go's `path.Clean` (as dive reads it), for example `etc/hosts`.
    pub name: Box<str>,
    pub typeflag: u8,
    pub is_dir: bool,
    /// The header's size field.
    pub size: u64,
    /// Link target of a symlink or hard link.
    pub link: Box<str>,
}

impl Entry {
    /// The path as `/etc/hosts`.
    pub fn path(&self) -> String {
        absolute(&self.name)
    }

    pub fn is_whiteout(&self) -> bool {
        base_name(&self.name).starts_with(WHITEOUT)
    }

    pub fn is_opaque(&self) -> bool {
        base_name(&self.name) == OPAQUE
    }
}

pub const WHITEOUT: &str = ".wh.";
pub const OPAQUE: &str = ".wh..wh..opq";

pub fn base_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// `etc/hosts`, `/etc/hosts`, `./etc/hosts/` -> `/etc/hosts`.
pub fn absolute(name: &str) -> String {
    format!("/{}", name.trim_matches('/'))
}

/// What one layer holds.
#[derive(Debug, Default)]
pub struct LayerScan {
    pub entries: Vec<Entry>,
    /// Content of the package databases found in the layer: (path, bytes).
    pub captured: Vec<(String, Vec<u8>)>,
    /// Set when the layer could not be read to its end (the entries before the problem are kept).
    pub error: Option<String>,
}

/// The largest package database file kept in memory.
const CAPTURE_LIMIT: u64 = 32 << 20;

/// Whether a file's content is needed for attribution.
fn wants_content(path: &str) -> bool {
    path == "/var/lib/dpkg/status"
        || (path.starts_with("/var/lib/dpkg/info/") && path.ends_with(".list"))
        || path.ends_with("/node_modules/.package-lock.json")
}

/// Read one layer's tar stream to its end.
pub fn scan<R: Skip>(reader: R) -> LayerScan {
    let mut tar = TarReader::new(reader);
    let mut out = LayerScan::default();
    loop {
        let header = match tar.next_header() {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(e) => {
                out.error = Some(e.to_string());
                break;
            }
        };
        if header.typeflag == kind::PAX_GLOBAL {
            continue;
        }
        let name = clean_path(&header.name);
        if name == "." {
            continue;
        }
        let is_dir = header.is_dir();
        if header.typeflag == kind::REG && header.size <= CAPTURE_LIMIT {
            let path = absolute(&name);
            if wants_content(&path) {
                match tar.read_data(CAPTURE_LIMIT) {
                    Ok(data) => out.captured.push((path, data)),
                    Err(e) => {
                        out.error = Some(e.to_string());
                        break;
                    }
                }
            }
        }
        out.entries.push(Entry {
            name: name.into_boxed_str(),
            typeflag: header.typeflag,
            is_dir,
            size: header.size,
            link: header.link.into_boxed_str(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tar::write;
    use super::*;

    #[test]
    fn scans_entries_and_captures_package_databases() {
        let bytes = write::archive(&[
            ("./", kind::DIR, b"", ""),
            ("var/lib/dpkg/status", kind::REG, b"Package: gcc\n", ""),
            ("usr/bin/gcc", kind::REG, b"ELF....", ""),
            ("usr/.wh.games", kind::REG, b"", ""),
        ]);
        let scan = scan(&bytes[..]);
        assert_eq!(scan.error, None);
        let names: Vec<&str> = scan.entries.iter().map(|e| &*e.name).collect();
        assert_eq!(
            names,
            ["var/lib/dpkg/status", "usr/bin/gcc", "usr/.wh.games"]
        );
        assert!(scan.entries[2].is_whiteout());
        assert_eq!(scan.captured.len(), 1);
        assert_eq!(scan.captured[0].1, b"Package: gcc\n");
    }
}
