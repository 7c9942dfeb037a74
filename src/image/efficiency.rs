//! dive's efficiency metrics, computed the way dive computes them (its `filetree.Efficiency`
//! and `image.Analyze`), quirks included, so that a `.dive-ci` gate gives the same verdict.
//! `docs/image.md` states the definitions; in short:
//!
//! - each layer is a tree of its tar entries; only its leaves (files, links, empty
//!   directories, whiteout markers) are counted, each under its path (a whiteout `.wh.x` under
//!   the path `x`); a path written twice in one layer is one leaf with the last entry's size;
//! - a whiteout's size is the total size of what it hides when the hidden path was a
//!   directory in the layers below (every node under it), and 0 when it was a file; a whiteout
//!   of a path that no lower layer has stops the counting of the rest of that layer (dive
//!   returns an error from its tree walk there, after recording the path with a minimum of
//!   -1, which lowers the score's numerator by one); opaque-directory markers are ignored;
//! - per path: `cumulative` = the sum of its sizes over all layers, `minimum` = the smallest;
//!   a path seen in two or more layers is inefficient;
//! - efficiency = sum of minimums / sum of cumulatives (1 when the latter is 0); wasted bytes
//!   = the cumulative sizes of the inefficient paths added up (their first copy included);
//!   user-wasted = wasted bytes / the size of every layer but the first.

use super::layer::{Entry, LayerScan, WHITEOUT};
use std::collections::{BTreeMap, HashMap};

/// A tree of one layer's entries (dive's `FileTree`): nodes in an arena, children by name in
/// byte order (Go's sort of strings).
#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
struct Node {
    name: Box<str>,
    children: BTreeMap<Box<str>, usize>,
    /// dive's `FileInfo`: zero for a directory that only exists because a path below it does.
    size: i64,
    is_dir: bool,
}

const ROOT: usize = 0;

impl Default for Tree {
    fn default() -> Self {
        Tree {
            nodes: vec![Node {
                name: "".into(),
                children: BTreeMap::new(),
                size: 0,
                is_dir: false,
            }],
        }
    }
}

impl Tree {
    /// The tree of one layer, entries added in tar order.
    pub fn from_entries(entries: &[Entry]) -> Tree {
        let mut tree = Tree::default();
        for e in entries {
            tree.add_path(&e.name, e.size as i64, e.is_dir);
        }
        tree
    }

    /// dive's `AddPath`: create missing nodes (a missing `.wh..wh.` component stops it), then
    /// set the payload of the last one (replacing what it had, keeping its children).
    fn add_path(&mut self, path: &str, size: i64, is_dir: bool) {
        let mut node = ROOT;
        let names: Vec<&str> = path.split('/').filter(|n| !n.is_empty()).collect();
        for (i, name) in names.iter().enumerate() {
            node = match self.nodes[node].children.get(*name) {
                Some(&child) => child,
                None => {
                    if name.starts_with(OPAQUE_PREFIX) {
                        return;
                    }
                    let child = self.nodes.len();
                    self.nodes.push(Node {
                        name: (*name).into(),
                        children: BTreeMap::new(),
                        size: 0,
                        is_dir: false,
                    });
                    self.nodes[node].children.insert((*name).into(), child);
                    child
                }
            };
            if i == names.len() - 1 {
                self.nodes[node].size = size;
                self.nodes[node].is_dir = is_dir;
            }
        }
    }

    fn get(&self, path: &str) -> Option<usize> {
        let mut node = ROOT;
        for name in path.split('/').filter(|n| !n.is_empty()) {
            node = *self.nodes[node].children.get(name)?;
        }
        Some(node)
    }

    fn remove(&mut self, path: &str) {
        let Some((parent, name)) = path.trim_end_matches('/').rsplit_once('/') else {
            return;
        };
        if let Some(p) = self.get(parent) {
            // Detached nodes stay in the arena unreachable; a tree is rebuilt per image.
            self.nodes[p].children.remove(name);
        }
    }

    /// The sum of the sizes of `node` and everything below it.
    fn subtree_size(&self, node: usize) -> i64 {
        let mut total = 0;
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            total += self.nodes[n].size;
            stack.extend(self.nodes[n].children.values().copied());
        }
        total
    }

    /// dive's `VisitDepthChildFirst` from the root: children in name order, then the node
    /// itself (never the root). `visit` gets the node and its path (dive's `Path()`: the
    /// whiteout prefix dropped from the last component); an `Err` stops the walk.
    fn walk_child_first<E>(
        &self,
        leaves_only: bool,
        visit: &mut dyn FnMut(&Tree, usize, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut path = String::new();
        self.walk_node(ROOT, &mut path, leaves_only, visit)
    }

    fn walk_node<E>(
        &self,
        node: usize,
        path: &mut String,
        leaves_only: bool,
        visit: &mut dyn FnMut(&Tree, usize, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        for &child in self.nodes[node].children.values() {
            let len = path.len();
            path.push('/');
            path.push_str(&self.nodes[child].name);
            let r = self.walk_node(child, path, leaves_only, visit);
            path.truncate(len);
            r?;
        }
        if node == ROOT || (leaves_only && !self.nodes[node].children.is_empty()) {
            return Ok(());
        }
        let name = &self.nodes[node].name;
        if let Some(stripped) = name.strip_prefix(WHITEOUT) {
            let parent_len = path.len() - name.len();
            let p = format!("{}{}", &path[..parent_len], stripped);
            visit(self, node, &p)
        } else {
            visit(self, node, path)
        }
    }

    fn is_whiteout(&self, node: usize) -> bool {
        self.nodes[node].name.starts_with(WHITEOUT)
    }

    /// dive's `Stack`: lay `upper` over this tree (whiteouts remove, everything else is added
    /// or replaces the payload).
    fn stack(&mut self, upper: &Tree) {
        let mut ops: Vec<(bool, String, i64, bool)> = Vec::new();
        let _ = upper.walk_child_first::<()>(false, &mut |t, n, p| {
            ops.push((
                t.is_whiteout(n),
                p.to_string(),
                t.nodes[n].size,
                t.nodes[n].is_dir,
            ));
            Ok(())
        });
        for (whiteout, path, size, is_dir) in ops {
            if whiteout {
                self.remove(&path);
            } else {
                self.add_path(&path, size, is_dir);
            }
        }
    }
}

/// dive refuses to create a node whose name starts with this (opaque markers, `.wh..wh.*`).
const OPAQUE_PREFIX: &str = ".wh..wh.";

/// One path's record (dive's `EfficiencyData`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathUse {
    pub path: String,
    /// How many layers counted this path (dive's `len(Nodes)`).
    pub count: usize,
    /// Its sizes over those layers, added up (dive's `CumulativeSize`).
    pub cumulative_size: i64,
    #[serde(skip)]
    pub min_size: i64,
}

/// dive's numbers for one image.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Efficiency {
    /// sum of minimums / sum of cumulatives (1 when nothing was counted).
    pub score: f64,
    /// Sum of the layer sizes (sum of tar header sizes).
    pub size_bytes: u64,
    /// The same without the first layer.
    pub user_size_bytes: u64,
    /// The inefficient paths' cumulative sizes added up.
    pub wasted_bytes: u64,
    /// wasted / user size (dive's ratio; `None` when the image has one layer: dive divides by 0).
    pub user_wasted_ratio: Option<f64>,
    /// Paths seen in two or more layers, largest cumulative size first (ties by path).
    pub inefficient: Vec<PathUse>,
}

/// dive's layer size: the size fields of every entry added up.
pub fn layer_size(scan: &LayerScan) -> u64 {
    scan.entries.iter().map(|e| e.size).sum()
}

/// dive's `Efficiency` over the image's layers, in order (a layer may repeat), then `Analyze`.
pub fn compute(layers: &[&Tree], layer_sizes: &[u64]) -> Efficiency {
    let mut uses: HashMap<String, PathUse> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    // The lower layers stacked: dive's StackTreeRange(trees, 0, i-1), which starts from a copy
    // of the first tree and stacks the first tree again on it.
    let mut stacked = layers.first().map(|t| (*t).clone()).unwrap_or_default();
    for (i, tree) in layers.iter().enumerate() {
        let _ = tree.walk_child_first::<()>(true, &mut |t, node, path| {
            // dive records the path before it looks for a whiteout's target: a missing target
            // leaves a record with no size and a minimum of -1, which counts in the score.
            let entry = uses.entry(path.to_string()).or_insert_with(|| PathUse {
                path: path.to_string(),
                count: 0,
                cumulative_size: 0,
                min_size: -1,
            });
            let size = if t.is_whiteout(node) {
                let Some(previous) = stacked.get(path) else {
                    return Err(());
                };
                if stacked.nodes[previous].is_dir {
                    stacked.subtree_size(previous)
                } else {
                    0
                }
            } else {
                t.nodes[node].size
            };
            entry.cumulative_size += size;
            if entry.min_size < 0 || size < entry.min_size {
                entry.min_size = size;
            }
            entry.count += 1;
            if entry.count == 2 {
                order.push(path.to_string());
            }
            Ok(())
        });
        if i + 1 < layers.len() {
            stacked.stack(tree);
        }
    }
    let (mut min_total, mut cum_total) = (0i64, 0i64);
    for u in uses.values() {
        min_total += u.min_size;
        cum_total += u.cumulative_size;
    }
    let score = if cum_total == 0 {
        1.0
    } else {
        min_total as f64 / cum_total as f64
    };
    let mut inefficient: Vec<PathUse> = order.into_iter().filter_map(|p| uses.remove(&p)).collect();
    inefficient.sort_by(|a, b| {
        b.cumulative_size
            .cmp(&a.cumulative_size)
            .then_with(|| a.path.cmp(&b.path))
    });
    let size_bytes: u64 = layer_sizes.iter().sum();
    let user_size_bytes: u64 = layer_sizes.iter().skip(1).sum();
    let wasted_bytes: u64 = inefficient
        .iter()
        .map(|u| u.cumulative_size as u64)
        .fold(0u64, u64::wrapping_add);
    Efficiency {
        score,
        size_bytes,
        user_size_bytes,
        wasted_bytes,
        user_wasted_ratio: (user_size_bytes > 0)
            .then(|| wasted_bytes as f64 / user_size_bytes as f64),
        inefficient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[(&str, i64, bool)]) -> Tree {
        let mut t = Tree::default();
        for (p, size, dir) in paths {
            t.add_path(p, *size, *dir);
        }
        t
    }

    /// dive's own unit test (`TestEfficiency`): the same trees, the same expected numbers.
    #[test]
    fn dive_efficiency_unit_test() {
        let t0 = tree(&[
            ("/etc/nginx/nginx.conf", 2000, false),
            ("/etc/nginx/public", 3000, false),
        ]);
        let t1 = tree(&[
            ("/etc/nginx/nginx.conf", 5000, false),
            ("/etc/athing", 10000, false),
        ]);
        let t2 = tree(&[("/etc/.wh.nginx", 0, false)]);
        let e = compute(&[&t0, &t1, &t2], &[0, 0, 0]);
        assert_eq!(e.score, 0.75);
        assert_eq!(e.inefficient.len(), 1);
        assert_eq!(e.inefficient[0].path, "/etc/nginx/nginx.conf");
        assert_eq!(e.inefficient[0].cumulative_size, 7000);
    }

    /// dive's `TestEfficiency_ScratchImage`.
    #[test]
    fn dive_scratch_image_unit_test() {
        let t0 = tree(&[("/nothing", 0, false)]);
        let e = compute(&[&t0, &Tree::default(), &Tree::default()], &[0, 0, 0]);
        assert_eq!(e.score, 1.0);
        assert!(e.inefficient.is_empty());
    }

    #[test]
    fn directory_whiteout_counts_what_it_hides() {
        let t0 = tree(&[("/d", 0, true), ("/d/a", 100, false), ("/d/b", 50, false)]);
        let t1 = tree(&[("/.wh.d", 0, false)]);
        let e = compute(&[&t0, &t1], &[150, 0]);
        // /d is no leaf in the first layer: its whiteout is counted once, with 150 bytes.
        assert!(e.inefficient.is_empty());
        assert_eq!(e.score, 1.0);
    }

    #[test]
    fn missing_whiteout_target_stops_the_layer() {
        let t0 = tree(&[("/a", 10, false)]);
        let t1 = tree(&[("/.wh.zzz", 0, false), ("/a", 10, false), ("/b", 5, false)]);
        let e = compute(&[&t0, &t1], &[10, 15]);
        // `.wh.zzz` sorts first and has no target: `/a` and `/b` of layer 2 are not counted,
        // and `/zzz` is recorded with a minimum of -1: (10 - 1) / 10.
        assert!(e.inefficient.is_empty());
        assert_eq!(e.score, 0.9);
    }
}
