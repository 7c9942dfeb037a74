//! Where an image's files are: a `docker save` archive, an OCI image layout (a directory or a
//! tar of one), and inside it the manifest, the config and one blob per layer.
//!
//! An archive file is indexed once by reading its tar headers and seeking over the data; each
//! layer is then read straight from its byte range with positioned reads, so several layers can
//! be decompressed at the same time from one open file and nothing is extracted to disk.

use super::tar::{Skip, TarReader, kind};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the blobs live.
#[derive(Debug)]
pub enum Container {
    /// A tar file: member name -> byte range of its data.
    Tar {
        file: Arc<File>,
        members: HashMap<String, (u64, u64)>,
    },
    /// A directory laid out like the archive (an OCI layout, or an extracted `docker save`).
    Dir(PathBuf),
}

/// How a layer blob is compressed (told by its first bytes, as dive does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

impl Container {
    pub fn open(path: &Path) -> io::Result<Container> {
        let meta = std::fs::metadata(path)?;
        if meta.is_dir() {
            return Ok(Container::Dir(path.to_path_buf()));
        }
        let file = File::open(path)?;
        let mut head = [0u8; 4];
        let n = (&file).read(&mut head)?;
        if n >= 2 && head[..2] == [0x1f, 0x8b] || n == 4 && head == [0x28, 0xb5, 0x2f, 0xfd] {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the archive itself is compressed: decompress it first (for example \
                 `gunzip image.tar.gz`), so that its layers can be read in parallel",
            ));
        }
        let file = Arc::new(file);
        let members = index_members(&file, meta.len())?;
        Ok(Container::Tar { file, members })
    }

    /// Whether the archive has a member (or the directory a file) of this name.
    pub fn has(&self, name: &str) -> bool {
        match self {
            Container::Tar { members, .. } => members.contains_key(normalize(name).as_str()),
            Container::Dir(dir) => dir.join(normalize(name)).is_file(),
        }
    }

    /// A small member read whole (manifests, configs: at most 64 MiB).
    pub fn read_small(&self, name: &str) -> io::Result<Vec<u8>> {
        let (mut r, size) = self.open_member(name)?;
        if size > 64 << 20 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{name} is too large for a manifest or config"),
            ));
        }
        let mut out = Vec::with_capacity(size as usize);
        r.read_to_end(&mut out)?;
        Ok(out)
    }

    /// A reader over one member's bytes and its size.
    pub fn open_member(&self, name: &str) -> io::Result<(Window, u64)> {
        let name = normalize(name);
        match self {
            Container::Tar { file, members } => {
                let &(offset, size) = members.get(name.as_str()).ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::NotFound,
                        format!("the archive has no `{name}`"),
                    )
                })?;
                Ok((Window::new(file.clone(), offset, size), size))
            }
            Container::Dir(dir) => {
                let file = File::open(dir.join(&name)).map_err(|e| {
                    io::Error::new(e.kind(), format!("{}: {e}", dir.join(&name).display()))
                })?;
                let size = file.metadata()?.len();
                Ok((Window::new(Arc::new(file), 0, size), size))
            }
        }
    }
}

/// `./blobs//sha256/x` -> `blobs/sha256/x`.
fn normalize(name: &str) -> String {
    let cleaned = super::tar::clean_path(name);
    cleaned.trim_start_matches('/').to_string()
}

/// Read the outer tar's headers, seeking over the data, and resolve symlinked members (old
/// `docker save` archives link repeated layers to the first copy).
fn index_members(file: &Arc<File>, len: u64) -> io::Result<HashMap<String, (u64, u64)>> {
    let mut window = Window::new(file.clone(), 0, len);
    window.small_buffer = true;
    let mut tar = TarReader::new(window);
    let mut members = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    while let Some(h) = tar.next_header()? {
        let name = normalize(&h.name);
        match h.typeflag {
            kind::REG => {
                let offset = tar_position(&tar);
                members.insert(name, (offset, h.size));
            }
            kind::SYMLINK | kind::LINK => {
                let target = if h.typeflag == kind::SYMLINK {
                    let parent = Path::new(&name)
                        .parent()
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    normalize(&format!("{parent}/{}", h.link))
                } else {
                    normalize(&h.link)
                };
                links.push((name, target));
            }
            _ => {}
        }
    }
    // Links to links: a few rounds settle any sane chain.
    for _ in 0..4 {
        for (name, target) in &links {
            if let Some(&range) = members.get(target) {
                members.entry(name.clone()).or_insert(range);
            }
        }
    }
    Ok(members)
}

fn tar_position(tar: &TarReader<Window>) -> u64 {
    tar.inner().position()
}

/// A buffered reader over a byte range of a shared file, by positioned reads: skipping is a
/// seek, and any number of windows read the same file at once.
pub struct Window {
    file: Arc<File>,
    /// File offset of the next byte not yet in the buffer.
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    start: usize,
    filled: usize,
    small_buffer: bool,
    /// The last move was a seek: the next read is a tar header, not a stream of data.
    seeked: bool,
    /// How much one read asks for when reading on.
    chunk: usize,
}

impl Window {
    pub fn new(file: Arc<File>, offset: u64, len: u64) -> Window {
        Window {
            file,
            pos: offset,
            end: offset + len,
            buf: Vec::new(),
            start: 0,
            filled: 0,
            small_buffer: false,
            seeked: false,
            chunk: 1 << 20,
        }
    }

    /// File offset of the next byte a read returns.
    pub fn position(&self) -> u64 {
        self.pos - (self.filled - self.start) as u64
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

impl BufRead for Window {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.filled {
            if self.buf.is_empty() {
                self.buf = vec![0; 1 << 20];
            }
            // After a seek the next bytes are a tar header: read a little. Reading on, an
            // uncompressed layer reads 64 KiB (what it reads past a file it then seeks over
            // is wasted, and may not be in the page cache), a decompressor's input 1 MiB.
            let cap = if self.small_buffer || self.seeked {
                16 << 10
            } else {
                self.chunk.min(self.buf.len())
            };
            self.seeked = false;
            let want = (self.end - self.pos).min(cap as u64) as usize;
            let n = if want == 0 {
                0
            } else {
                loop {
                    match read_at(&self.file, &mut self.buf[..want], self.pos) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        r => break r?,
                    }
                }
            };
            self.pos += n as u64;
            self.start = 0;
            self.filled = n;
        }
        Ok(&self.buf[self.start..self.filled])
    }

    fn consume(&mut self, amt: usize) {
        self.start = (self.start + amt).min(self.filled);
    }
}

impl Read for Window {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl Skip for Window {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let buffered = (self.filled - self.start) as u64;
        if n <= buffered {
            self.start += n as usize;
            return Ok(());
        }
        let rest = n - buffered;
        self.start = 0;
        self.filled = 0;
        self.seeked = true;
        if self.pos + rest > self.end {
            self.pos = self.end;
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "tar entry data cut short",
            ));
        }
        self.pos += rest;
        Ok(())
    }
}

/// A layer blob's reader with its compression told from its first bytes.
pub fn decompressed(mut window: Window) -> io::Result<(Box<dyn Skip + Send>, Compression)> {
    let head = window.fill_buf()?;
    if head.len() >= 2 && head[..2] == [0x1f, 0x8b] {
        let gz = flate2::bufread::MultiGzDecoder::new(window);
        return Ok((Box::new(Pipelined::spawn(gz)), Compression::Gzip));
    }
    if head.len() >= 4 && head[..4] == [0x28, 0xb5, 0x2f, 0xfd] {
        // Frame after frame, skippable frames passed over, as `zstd -d` reads a stream (the
        // table of contents of a zstd:chunked layer is a skippable frame).
        let zs = zstd::stream::read::Decoder::with_buffer(window)?;
        return Ok((Box::new(Pipelined::spawn(zs)), Compression::Zstd));
    }
    window.chunk = 64 << 10;
    Ok((Box::new(window), Compression::None))
}

/// A decompressor on its own thread, handing over 256 KiB chunks through a channel of four:
/// decompressing and reading the tar headers overlap on two cores, as `zstd -dc | tar -t` does,
/// and at most about a megabyte is in flight whatever the layer's size.
pub struct Pipelined {
    chunks: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl Pipelined {
    const CHUNK: usize = 256 << 10;

    pub fn spawn<R: Read + Send + 'static>(mut reader: R) -> Pipelined {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        std::thread::spawn(move || {
            loop {
                let mut chunk = vec![0u8; Self::CHUNK];
                let mut filled = 0;
                while filled < chunk.len() {
                    match reader.read(&mut chunk[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                }
                chunk.truncate(filled);
                let end = filled == 0;
                // A closed channel means the reader stopped early: stop too.
                if tx.send(Ok(chunk)).is_err() || end {
                    return;
                }
            }
        });
        Pipelined {
            chunks: rx,
            current: Vec::new(),
            at: 0,
        }
    }

    /// The unread part of the current chunk, fetching the next one when it is used up; empty at
    /// the end of the stream.
    fn available(&mut self) -> io::Result<&[u8]> {
        if self.at == self.current.len() {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => {
                    self.current.clear();
                    self.at = 0;
                }
            }
        }
        Ok(&self.current[self.at..])
    }
}

impl Read for Pipelined {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.available()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.at += n;
        Ok(n)
    }
}

impl Skip for Pipelined {
    /// Skipped data is dropped chunk by chunk, never copied out.
    fn skip(&mut self, mut n: u64) -> io::Result<()> {
        while n > 0 {
            let len = self.available()?.len();
            if len == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "tar entry data cut short",
                ));
            }
            let k = len.min(usize::try_from(n).unwrap_or(usize::MAX));
            self.at += k;
            n -= k as u64;
        }
        Ok(())
    }
}
