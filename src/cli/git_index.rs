//! The paths git tracks, read from a repository's index file (`.git/index`, versions 2 to 4):
//! the secret rule tells a committed file (already public in the repository) from a local one
//! that a `COPY` would publish.

use std::collections::HashSet;
use std::path::Path;

/// The tracked paths (`/`-separated, relative to the repository root), or `None` when there is
/// no readable index in `repo` (then nothing is known about what is tracked).
pub fn tracked_paths(repo: &Path) -> Option<HashSet<String>> {
    let git = repo.join(".git");
    // A worktree or submodule has a `.git` file pointing at its git directory.
    let dir = if git.is_file() {
        let text = std::fs::read_to_string(&git).ok()?;
        let target = text.strip_prefix("gitdir:")?.trim();
        repo.join(target)
    } else {
        git
    };
    parse(&std::fs::read(dir.join("index")).ok()?)
}

/// Parse the bytes of an index file.
pub fn parse(data: &[u8]) -> Option<HashSet<String>> {
    let u32_at = |i: usize| -> Option<u32> {
        Some(u32::from_be_bytes(data.get(i..i + 4)?.try_into().ok()?))
    };
    if data.get(..4)? != b"DIRC" {
        return None;
    }
    let version = u32_at(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = u32_at(8)? as usize;
    let mut out = HashSet::with_capacity(count.min(1 << 20));
    let mut pos = 12;
    let mut previous = String::new();
    for _ in 0..count {
        let start = pos;
        // ctime, mtime, dev, ino, mode, uid, gid, size (4 bytes each), object id (20), flags
        let flags = u16::from_be_bytes(data.get(pos + 60..pos + 62)?.try_into().ok()?);
        pos += 62;
        if version >= 3 && flags & 0x4000 != 0 {
            pos += 2;
        }
        let path = if version == 4 {
            // The number of bytes to drop from the previous path (a varint), then the rest.
            let (strip, used) = varint(data.get(pos..)?)?;
            pos += used;
            let end = pos + data.get(pos..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(strip)?;
            let mut p = previous.get(..keep)?.to_string();
            p.push_str(std::str::from_utf8(data.get(pos..end)?).ok()?);
            pos = end + 1;
            p
        } else {
            let end = pos + data.get(pos..)?.iter().position(|&b| b == 0)?;
            let p = std::str::from_utf8(data.get(pos..end)?).ok()?.to_string();
            // Entries are padded with NULs to a multiple of 8 bytes.
            let len = end - start;
            pos = start + (len + 8) / 8 * 8;
            p
        };
        previous.clone_from(&path);
        out.insert(path);
    }
    Some(out)
}

/// Git's offset varint (each continuation adds one before shifting).
fn varint(data: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut byte = *data.first()?;
    let mut value = (byte & 0x7f) as usize;
    while byte & 0x80 != 0 {
        i += 1;
        byte = *data.get(i)?;
        value = ((value + 1) << 7) | (byte & 0x7f) as usize;
    }
    Some((value, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_git_writes() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str], input: Option<&str>| {
            use std::io::Write;
            let mut child = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("git runs");
            if let Some(text) = input {
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(text.as_bytes())
                    .unwrap();
            }
            assert!(child.wait().unwrap().success());
        };
        git(&["init", "-q", "."], None);
        let entries = "100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\tapp/.env\n\
                       100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\tapp/.env.production\n\
                       100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\tdeploy/server.key\n";
        for version in ["2", "3", "4"] {
            let _ = std::fs::remove_file(dir.path().join(".git/index"));
            git(&["update-index", "--index-info"], Some(entries));
            git(&["update-index", "--index-version", version], None);
            let tracked = tracked_paths(dir.path()).expect("index parses");
            let mut names: Vec<&str> = tracked.iter().map(String::as_str).collect();
            names.sort();
            assert_eq!(
                names,
                ["app/.env", "app/.env.production", "deploy/server.key"],
                "version {version}"
            );
        }
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse(b"").is_none());
        assert!(parse(b"DIRC\0\0\0\x09\0\0\0\0").is_none());
        assert!(parse(b"DIRC\0\0\0\x02\0\0\0\x05short").is_none());
    }
}
