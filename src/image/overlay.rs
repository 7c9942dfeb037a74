//! The image's file system as the container sees it, built layer over layer with the OCI rules
//! (a whiteout `.wh.x` hides `x` and everything under it in the layers below, an opaque marker
//! `.wh..wh..opq` hides everything below in its directory, a whiteout only acts on lower
//! layers): per layer, what it added, changed and removed, and every file copy that the final
//! image stores but no longer shows, with the layer that hid it.

use super::layer::{Entry, OPAQUE, WHITEOUT, absolute, base_name};
use std::collections::BTreeMap;

/// A file (or link) as the running container sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible {
    /// The layer it comes from.
    pub layer: usize,
    pub size: u64,
    pub is_dir: bool,
}

/// How a stored file copy became invisible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HiddenBy {
    /// A whiteout or opaque directory in a later layer.
    Removed,
    /// The same path written again in a later layer (or later in the same layer).
    Overwritten,
}

/// A file copy that is stored in a layer but not visible in the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    pub path: String,
    pub size: u64,
    /// The layer that stored it.
    pub layer: usize,
    /// The layer that hid it.
    pub by_layer: usize,
    pub how: HiddenBy,
}

/// What one layer changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LayerChanges {
    pub added_files: usize,
    pub added_bytes: u64,
    pub changed_files: usize,
    pub changed_bytes: u64,
    pub removed_files: usize,
    /// The bytes of the lower layers' files this layer hides.
    pub removed_bytes: u64,
}

/// The file system after every layer, and what was hidden on the way.
#[derive(Debug, Default)]
pub struct Overlay {
    pub files: BTreeMap<String, Visible>,
    pub hidden: Vec<Hidden>,
    pub changes: Vec<LayerChanges>,
}

impl Overlay {
    pub fn build<'a>(layers: impl IntoIterator<Item = &'a [Entry]>) -> Overlay {
        let mut o = Overlay::default();
        for (i, entries) in layers.into_iter().enumerate() {
            o.apply(i, entries);
        }
        o
    }

    fn apply(&mut self, layer: usize, entries: &[Entry]) {
        let mut changes = LayerChanges::default();
        // Whiteouts first: they act on the lower layers only.
        for e in entries {
            let base = base_name(&e.name);
            let dir = parent_of(&e.name);
            if base == OPAQUE {
                self.hide_below(&dir, false, layer, &mut changes);
            } else if let Some(target) = base.strip_prefix(WHITEOUT) {
                let path = join(&dir, target);
                self.hide_below(&path, true, layer, &mut changes);
            }
        }
        for e in entries {
            if e.is_whiteout() {
                continue;
            }
            let path = e.path();
            if path == "/" {
                continue;
            }
            let new = Visible {
                layer,
                size: e.size,
                is_dir: e.is_dir,
            };
            match self.files.insert(path.clone(), new) {
                Some(old) if !old.is_dir => {
                    self.hidden.push(Hidden {
                        path,
                        size: old.size,
                        layer: old.layer,
                        by_layer: layer,
                        how: HiddenBy::Overwritten,
                    });
                    if !e.is_dir && old.layer != layer {
                        changes.changed_files += 1;
                        changes.changed_bytes += e.size;
                    } else if !e.is_dir {
                        changes.added_bytes += e.size;
                    }
                }
                Some(_) => {}
                None if !e.is_dir => {
                    changes.added_files += 1;
                    changes.added_bytes += e.size;
                }
                None => {}
            }
        }
        self.changes.push(changes);
    }

    /// Hide `path` (with `itself`) or only what is below it, as a whiteout or opaque marker
    /// of `layer` does.
    fn hide_below(&mut self, path: &str, itself: bool, layer: usize, changes: &mut LayerChanges) {
        let mut doomed: Vec<String> = Vec::new();
        if itself && self.files.contains_key(path) {
            doomed.push(path.to_string());
        }
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        let upper = format!("{}0", prefix.trim_end_matches('/'));
        for (p, v) in self.files.range(prefix.clone()..upper) {
            // An opaque marker keeps what its own layer put there.
            if v.layer < layer {
                doomed.push(p.clone());
            }
        }
        for p in doomed {
            if let Some(v) = self.files.remove(&p)
                && !v.is_dir
            {
                changes.removed_files += 1;
                changes.removed_bytes += v.size;
                self.hidden.push(Hidden {
                    path: p,
                    size: v.size,
                    layer: v.layer,
                    by_layer: layer,
                    how: HiddenBy::Removed,
                });
            }
        }
    }
}

fn parent_of(name: &str) -> String {
    let abs = absolute(name);
    match abs.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tar::kind;
    use super::*;

    fn e(name: &str, size: u64) -> Entry {
        Entry {
            name: name.into(),
            typeflag: if name.ends_with('/') {
                kind::DIR
            } else {
                kind::REG
            },
            is_dir: name.ends_with('/'),
            size,
            link: "".into(),
        }
    }

    #[test]
    fn whiteouts_opaque_dirs_and_overwrites() {
        let l0 = [
            e("app/", 0),
            e("app/a", 10),
            e("app/b", 20),
            e("cache/", 0),
            e("cache/x", 5),
        ];
        let l1 = [
            e("app/.wh.a", 0),
            e("app/b", 30),
            e("cache/.wh..wh..opq", 0),
        ];
        let l2 = [e("cache/y", 1), e(".wh.app", 0)];
        let o = Overlay::build([&l0[..], &l1[..], &l2[..]]);
        let visible: Vec<&str> = o.files.keys().map(|s| s.as_str()).collect();
        assert_eq!(visible, ["/cache", "/cache/y"]);
        assert_eq!(o.changes[1].removed_files, 2, "app/a and cache/x");
        assert_eq!(o.changes[1].changed_files, 1);
        assert_eq!(o.changes[2].removed_bytes, 30, "the new app/b");
        let hidden: u64 = o.hidden.iter().map(|h| h.size).sum();
        assert_eq!(hidden, 10 + 20 + 5 + 30);
    }
}
