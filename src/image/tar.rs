//! A streaming tar reader: headers one after the other, each entry's data readable or skipped,
//! nothing buffered beyond one 512-byte block. It reads names the way Go's `archive/tar` does
//! (which is what Docker, BuildKit and dive use): PAX `path`/`linkpath`/`size` records, GNU long
//! names, the USTAR prefix, base-256 numbers, and header-only types (links, directories, devices,
//! FIFOs) carry no data whatever their size field says.

use std::io::{self, Read};

/// Tar type flags this crate cares about (POSIX and GNU).
pub mod kind {
    pub const REG: u8 = b'0';
    pub const REG_OLD: u8 = 0;
    pub const LINK: u8 = b'1';
    pub const SYMLINK: u8 = b'2';
    pub const CHAR: u8 = b'3';
    pub const BLOCK: u8 = b'4';
    pub const DIR: u8 = b'5';
    pub const FIFO: u8 = b'6';
    pub const CONT: u8 = b'7';
    pub const PAX: u8 = b'x';
    pub const PAX_GLOBAL: u8 = b'g';
    pub const GNU_LONGNAME: u8 = b'L';
    pub const GNU_LONGLINK: u8 = b'K';
}

/// One entry's header, after PAX and GNU extension records were applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub link: String,
    /// The size field (or PAX `size`), as Go's `Header.Size`.
    pub size: u64,
    pub typeflag: u8,
    pub mode: u32,
}

impl Header {
    /// Go's `FileInfo().IsDir()`: the directory type flag or the directory bits of the mode.
    pub fn is_dir(&self) -> bool {
        self.typeflag == kind::DIR || (self.mode & 0o170000) == 0o040000
    }

    /// Types whose size field is not followed by data (Go's `isHeaderOnlyType`).
    fn header_only(typeflag: u8) -> bool {
        matches!(
            typeflag,
            kind::LINK | kind::SYMLINK | kind::CHAR | kind::BLOCK | kind::DIR | kind::FIFO
        )
    }
}

/// Something a tar stream can skip data on: a plain reader reads and drops the bytes, a file
/// seeks over them.
pub trait Skip: Read {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let mut buf = [0u8; 64 << 10];
        let mut left = n;
        while left > 0 {
            let want = left.min(buf.len() as u64) as usize;
            let got = match self.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            left -= got as u64;
        }
        if left > 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "tar entry data cut short",
            ));
        }
        Ok(())
    }
}

impl Skip for &[u8] {}
impl<S: Skip + ?Sized> Skip for Box<S> {
    /// The boxed reader's own skip (a seek for a file window), not a read-through.
    fn skip(&mut self, n: u64) -> io::Result<()> {
        (**self).skip(n)
    }
}

/// Reads headers and data of one tar stream.
pub struct TarReader<R> {
    inner: R,
    /// Data bytes of the current entry not read yet.
    remaining: u64,
    /// Padding after the current entry's data.
    padding: u64,
    done: bool,
}

/// A tar stream that is not a tar stream (bad checksum, short header).
pub fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

impl<R: Skip> TarReader<R> {
    pub fn new(inner: R) -> Self {
        TarReader {
            inner,
            remaining: 0,
            padding: 0,
            done: false,
        }
    }

    /// The next entry's header, skipping what is left of the current entry's data. `None` at
    /// the end of the archive (a zero block, or the end of the stream between entries). PAX
    /// global headers are returned like entries (type `g`), as Go returns them.
    pub fn next_header(&mut self) -> io::Result<Option<Header>> {
        if self.done {
            return Ok(None);
        }
        self.finish_entry()?;
        let mut long_name: Option<String> = None;
        let mut long_link: Option<String> = None;
        let mut pax_path: Option<String> = None;
        let mut pax_link: Option<String> = None;
        let mut pax_size: Option<u64> = None;
        loop {
            let mut block = [0u8; 512];
            if !read_block(&mut self.inner, &mut block)? {
                self.done = true;
                return Ok(None);
            }
            if block.iter().all(|&b| b == 0) {
                self.done = true;
                return Ok(None);
            }
            if !checksum_ok(&block) {
                return Err(invalid("tar header checksum mismatch"));
            }
            let mut typeflag = block[156];
            let size = parse_numeric(&block[124..136])?;
            let mode = parse_numeric(&block[100..108])? as u32;
            match typeflag {
                kind::PAX | kind::GNU_LONGNAME | kind::GNU_LONGLINK => {
                    // Extension records are small; a huge one is a corrupt archive.
                    if size > 16 << 20 {
                        return Err(invalid("tar extension header too large"));
                    }
                    let mut data = vec![0u8; size as usize];
                    self.inner.read_exact(&mut data)?;
                    self.inner.skip(pad(size))?;
                    match typeflag {
                        kind::GNU_LONGNAME => long_name = Some(c_string(&data)),
                        kind::GNU_LONGLINK => long_link = Some(c_string(&data)),
                        _ => {
                            for (key, value) in pax_records(&data) {
                                match key.as_str() {
                                    "path" => pax_path = Some(value),
                                    "linkpath" => pax_link = Some(value),
                                    "size" => pax_size = value.parse().ok(),
                                    _ => {}
                                }
                            }
                        }
                    }
                    continue;
                }
                _ => {}
            }
            let magic = &block[257..265];
            let ustar = &magic[..6] == b"ustar\0";
            let mut name = c_string(&block[0..100]);
            if ustar {
                let prefix = c_string(&block[345..500]);
                if !prefix.is_empty() {
                    name = format!("{prefix}/{name}");
                }
            }
            let mut link = c_string(&block[157..257]);
            if let Some(n) = long_name.take() {
                name = n;
            }
            if let Some(l) = long_link.take() {
                link = l;
            }
            if let Some(p) = pax_path.take() {
                name = p;
            }
            if let Some(l) = pax_link.take() {
                link = l;
            }
            let size = pax_size.take().unwrap_or(size);
            if typeflag == kind::REG_OLD {
                typeflag = if name.ends_with('/') {
                    kind::DIR
                } else {
                    kind::REG
                };
            }
            let data = if Header::header_only(typeflag) {
                0
            } else {
                size
            };
            self.remaining = data;
            self.padding = pad(data);
            return Ok(Some(Header {
                name,
                link,
                size,
                typeflag,
                mode,
            }));
        }
    }

    /// Skip what is left of the current entry's data and padding.
    fn finish_entry(&mut self) -> io::Result<()> {
        let n = self.remaining + self.padding;
        self.remaining = 0;
        self.padding = 0;
        if n > 0 {
            self.inner.skip(n)?;
        }
        Ok(())
    }

    /// Read the current entry's data (up to `limit` bytes; the rest is skipped later).
    pub fn read_data(&mut self, limit: u64) -> io::Result<Vec<u8>> {
        let n = self.remaining.min(limit);
        let mut data = vec![0u8; n as usize];
        self.inner.read_exact(&mut data)?;
        self.remaining -= n;
        Ok(data)
    }

    /// The current entry's data as a reader (for a nested tar inside an outer one).
    pub fn data_reader(&mut self) -> EntryData<'_, R> {
        EntryData { tar: self }
    }

    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// The underlying stream (positioned at the current entry's data after a header).
    pub fn inner(&self) -> &R {
        &self.inner
    }
}

/// The data of the current entry of a [`TarReader`].
pub struct EntryData<'a, R> {
    tar: &'a mut TarReader<R>,
}

impl<R: Skip> Read for EntryData<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.tar.remaining == 0 {
            return Ok(0);
        }
        let max = buf
            .len()
            .min(self.tar.remaining.min(usize::MAX as u64) as usize);
        let n = self.tar.inner.read(&mut buf[..max])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "tar entry data cut short",
            ));
        }
        self.tar.remaining -= n as u64;
        Ok(n)
    }
}

impl<R: Skip> Skip for EntryData<'_, R> {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let n = n.min(self.tar.remaining);
        self.tar.inner.skip(n)?;
        self.tar.remaining -= n;
        Ok(())
    }
}

fn pad(size: u64) -> u64 {
    (512 - size % 512) % 512
}

/// Fill `block`; `false` when the stream ends before its first byte.
fn read_block<R: Read>(r: &mut R, block: &mut [u8; 512]) -> io::Result<bool> {
    let mut filled = 0;
    while filled < 512 {
        match r.read(&mut block[filled..]) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => return Err(invalid("tar header cut short")),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Whether the header's checksum field matches (unsigned or signed sum, as Go accepts both).
pub fn checksum_ok(block: &[u8; 512]) -> bool {
    let Ok(stored) = parse_octal(&block[148..156]) else {
        return false;
    };
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += u64::from(b);
        signed += i64::from(b as i8);
    }
    stored == unsigned || stored as i64 == signed
}

/// A numeric field: octal text, or base-256 when the high bit of the first byte is set.
fn parse_numeric(field: &[u8]) -> io::Result<u64> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        let mut v: u64 = u64::from(field[0] & 0x7f);
        for &b in &field[1..] {
            v = v
                .checked_mul(256)
                .and_then(|v| v.checked_add(u64::from(b)))
                .ok_or_else(|| invalid("tar number too large"))?;
        }
        return Ok(v);
    }
    parse_octal(field)
}

fn parse_octal(field: &[u8]) -> io::Result<u64> {
    let text = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ' || b == 0)
        .take_while(|&b| b != b' ' && b != 0);
    let mut v: u64 = 0;
    let mut any = false;
    for b in text {
        if !(b'0'..=b'7').contains(&b) {
            return Err(invalid("bad octal number in tar header"));
        }
        any = true;
        v = v
            .checked_mul(8)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| invalid("tar number too large"))?;
    }
    let _ = any;
    Ok(v)
}

fn c_string(bytes: &[u8]) -> String {
    let end = memchr::memchr(0, bytes).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// `"<len> key=value\n"` records of a PAX header.
fn pax_records(mut data: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let Some(space) = memchr::memchr(b' ', data) else {
            break;
        };
        let Some(len) = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            break;
        };
        if len <= space + 1 || len > data.len() {
            break;
        }
        let record = &data[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(eq) = memchr::memchr(b'=', record) {
            out.push((
                String::from_utf8_lossy(&record[..eq]).into_owned(),
                String::from_utf8_lossy(&record[eq + 1..]).into_owned(),
            ));
        }
        data = &data[len..];
    }
    out
}

/// Go's `path.Clean`: the shortest equivalent path, lexically (`./a/../b/` -> `b`, `` -> `.`).
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Builds tar archives in tests (and the benchmark's converted archives): USTAR headers, PAX
/// records for long names.
pub mod write {
    /// One header block (plus a PAX record before it when the name is too long).
    pub fn header(name: &str, typeflag: u8, size: u64, link: &str, mode: u32) -> Vec<u8> {
        let mut out = Vec::new();
        if name.len() > 100 || link.len() > 100 {
            let mut records = String::new();
            for (k, v) in [("path", name), ("linkpath", link)] {
                if v.is_empty() {
                    continue;
                }
                let body = format!(" {k}={v}\n");
                let mut len = body.len() + 1;
                while format!("{len}{body}").len() != len {
                    len += 1;
                }
                records.push_str(&format!("{len}{body}"));
            }
            out.extend(block(
                "pax",
                super::kind::PAX,
                records.len() as u64,
                "",
                0o644,
            ));
            out.extend(records.as_bytes());
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
        let short = |s: &str| s.chars().take(100).collect::<String>();
        out.extend(block(&short(name), typeflag, size, &short(link), mode));
        out
    }

    fn block(name: &str, typeflag: u8, size: u64, link: &str, mode: u32) -> [u8; 512] {
        let mut b = [0u8; 512];
        let put = |b: &mut [u8; 512], at: usize, s: &[u8]| b[at..at + s.len()].copy_from_slice(s);
        put(&mut b, 0, name.as_bytes());
        put(&mut b, 100, format!("{mode:07o}\0").as_bytes());
        put(&mut b, 108, b"0000000\0");
        put(&mut b, 116, b"0000000\0");
        put(&mut b, 124, format!("{size:011o}\0").as_bytes());
        put(&mut b, 136, b"00000000000\0");
        b[156] = typeflag;
        put(&mut b, 157, link.as_bytes());
        put(&mut b, 257, b"ustar\x0000");
        put(&mut b, 148, b"        ");
        let sum: u32 = b.iter().map(|&x| u32::from(x)).sum();
        put(&mut b, 148, format!("{sum:06o}\0 ").as_bytes());
        b
    }

    /// A whole archive from `(name, typeflag, data, link)` entries.
    pub fn archive(entries: &[(&str, u8, &[u8], &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, typeflag, data, link) in entries {
            let mode = if *typeflag == super::kind::DIR {
                0o755
            } else {
                0o644
            };
            out.extend(header(name, *typeflag, data.len() as u64, link, mode));
            out.extend(*data);
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
        out.extend([0u8; 1024]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_path_matches_go() {
        for (input, want) in [
            ("", "."),
            ("./", "."),
            ("etc/", "etc"),
            ("./etc/x", "etc/x"),
            ("/etc/../x", "/x"),
            ("/..", "/"),
            ("a/../../b", "../b"),
            ("a//b/./c/", "a/b/c"),
        ] {
            assert_eq!(clean_path(input), want, "{input}");
        }
    }

    #[test]
    fn reads_entries_long_names_and_skips_data() {
        let long = format!("usr/{}/file", "d".repeat(120));
        let bytes = write::archive(&[
            ("etc/", kind::DIR, b"", ""),
            ("etc/hosts", kind::REG, b"127.0.0.1 localhost\n", ""),
            (&long, kind::REG, b"x", ""),
            ("bin/sh", kind::SYMLINK, b"", "/bin/dash"),
        ]);
        let mut tar = TarReader::new(&bytes[..]);
        let h = tar.next_header().unwrap().unwrap();
        assert!(h.is_dir());
        let h = tar.next_header().unwrap().unwrap();
        assert_eq!((h.name.as_str(), h.size), ("etc/hosts", 20));
        assert_eq!(tar.read_data(4).unwrap(), b"127.");
        let h = tar.next_header().unwrap().unwrap();
        assert_eq!(h.name, long);
        let h = tar.next_header().unwrap().unwrap();
        assert_eq!((h.typeflag, h.link.as_str()), (kind::SYMLINK, "/bin/dash"));
        assert!(tar.next_header().unwrap().is_none());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let bytes = vec![7u8; 2048];
        assert!(TarReader::new(&bytes[..]).next_header().is_err());
        let mut cut = write::archive(&[("a", kind::REG, b"hello", "")]);
        cut.truncate(600);
        let mut tar = TarReader::new(&cut[..]);
        assert!(tar.next_header().unwrap().is_some());
        assert!(tar.next_header().is_err());
    }
}
