//! Looking inside built images: `whittle image` and `whittle measure`.
//!
//! An image (a `docker save` archive, an OCI image layout or a tar of one) is read layer by
//! layer, each layer streamed once and decompressed in parallel with the others ([`archive`],
//! [`layer`]); dive's efficiency metrics are computed as dive defines them ([`efficiency`]), the
//! file system is rebuilt with the OCI whiteout rules ([`overlay`]), each layer is matched to
//! the Dockerfile instruction that made it ([`history`]) and the waste is explained with the
//! lint rules that prevent it ([`attribution`]). [`gate`] is the `.dive-ci` compatible CI gate,
//! [`engine`] talks to the local Docker engine. None of these holds lint logic of its own.

pub mod archive;
pub mod attribution;
pub mod efficiency;
pub mod engine;
pub mod gate;
pub mod history;
pub mod layer;
pub mod overlay;
pub mod render;
pub mod tar;

use archive::{Compression, Container};
use efficiency::{Efficiency, Tree};
use history::HistoryEntry;
use layer::LayerScan;
use overlay::{LayerChanges, Overlay};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Why an image could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Format(String),
    #[error("{0}")]
    Engine(String),
}

/// One layer of the image, in order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Layer {
    pub index: usize,
    /// The blob's name in the archive (`blobs/sha256/...`).
    pub blob: String,
    /// dive's size: the tar headers' size fields added up.
    pub size: u64,
    /// The blob's size as stored (compressed size for compressed layers).
    pub stored_size: u64,
    pub compression: Compression,
    pub entries: usize,
    /// dive's command: the history entry's `created_by` (`/bin/sh -c ` dropped).
    pub command: String,
    /// Index into the config's history.
    pub history: Option<usize>,
    pub changes: LayerChanges,
    /// The largest files the layer stores, at most five.
    pub largest: Vec<attribution::PathBytes>,
    /// Set when the layer could not be read to its end.
    pub error: Option<String>,
}

/// Everything read from one image.
#[derive(Debug)]
pub struct Image {
    pub layers: Vec<Layer>,
    pub history: Vec<HistoryEntry>,
    pub efficiency: Efficiency,
    pub overlay: Overlay,
    /// Scans of the distinct layer blobs; `layer_scan[i]` indexes them for layer `i`.
    pub scans: Vec<LayerScan>,
    pub layer_scan: Vec<usize>,
    /// Tags the archive names (`RepoTags`).
    pub tags: Vec<String>,
}

impl Image {
    pub fn scan_of(&self, layer: usize) -> &LayerScan {
        &self.scans[self.layer_scan[layer]]
    }
}

/// The config blob and the layer blobs, in order, from `manifest.json` (docker save) or
/// `index.json` (OCI).
struct Manifest {
    config: String,
    layers: Vec<String>,
    tags: Vec<String>,
}

fn format_err(msg: impl Into<String>) -> ImageError {
    ImageError::Format(msg.into())
}

fn blob_path(digest: &str) -> String {
    format!("blobs/{}", digest.replacen(':', "/", 1))
}

fn read_json(c: &Container, name: &str) -> Result<serde_json::Value, ImageError> {
    let bytes = c.read_small(name)?;
    serde_json::from_slice(&bytes).map_err(|e| format_err(format!("{name}: not valid JSON: {e}")))
}

fn find_manifest(c: &Container) -> Result<Manifest, ImageError> {
    if c.has("manifest.json") {
        let m = read_json(c, "manifest.json")?;
        let first = m
            .as_array()
            .and_then(|a| a.first())
            .ok_or_else(|| format_err("manifest.json lists no image"))?;
        let config = first["Config"]
            .as_str()
            .ok_or_else(|| format_err("manifest.json has no Config"))?
            .to_string();
        let layers = first["Layers"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let tags = first["RepoTags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        return Ok(Manifest {
            config,
            layers,
            tags,
        });
    }
    if c.has("index.json") {
        let mut doc = read_json(c, "index.json")?;
        // Nested indexes (multi-platform): follow the first linux/amd64 entry, else the first.
        for _ in 0..4 {
            if doc.get("layers").is_some() {
                break;
            }
            let manifests = doc["manifests"]
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or_else(|| format_err("index.json lists no manifest"))?;
            let pick = manifests
                .iter()
                .find(|m| {
                    m["platform"]["os"] == "linux" && m["platform"]["architecture"] == "amd64"
                })
                .unwrap_or(&manifests[0]);
            let digest = pick["digest"]
                .as_str()
                .ok_or_else(|| format_err("index.json: a manifest without digest"))?;
            doc = read_json(c, &blob_path(digest))?;
        }
        let config = doc["config"]["digest"]
            .as_str()
            .ok_or_else(|| format_err("the image manifest has no config"))?;
        let layers = doc["layers"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|l| l["digest"].as_str().map(blob_path))
                    .collect()
            })
            .unwrap_or_default();
        return Ok(Manifest {
            config: blob_path(config),
            layers,
            tags: Vec::new(),
        });
    }
    Err(format_err(
        "neither manifest.json nor index.json: not a docker save archive or OCI layout",
    ))
}

/// Read an image from a `docker save` archive, an OCI layout directory or an OCI archive.
pub fn load(path: &Path) -> Result<Image, ImageError> {
    let container = Container::open(path)?;
    let manifest = find_manifest(&container)?;
    let config = read_json(&container, &manifest.config)?;
    let history: Vec<HistoryEntry> = config["history"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| HistoryEntry {
                    created_by: h["created_by"].as_str().unwrap_or("").to_string(),
                    empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
                    comment: h["comment"].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();

    // Distinct blobs, read in parallel, the largest first so the last one to finish is small.
    let mut blobs: Vec<String> = Vec::new();
    let mut blob_index: HashMap<&str, usize> = HashMap::new();
    let mut layer_scan = Vec::new();
    for l in &manifest.layers {
        let next = blobs.len();
        let i = *blob_index.entry(l.as_str()).or_insert(next);
        if i == next {
            blobs.push(l.clone());
        }
        layer_scan.push(i);
    }
    let mut sized: Vec<(usize, u64)> = Vec::new();
    for (i, b) in blobs.iter().enumerate() {
        let (_, size) = container.open_member(b)?;
        sized.push((i, size));
    }
    sized.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
    type Scanned = (usize, u64, Compression, LayerScan, Tree);
    let results: Vec<Result<Scanned, ImageError>> = sized
        .par_iter()
        .map(|&(i, stored)| {
            let (window, _) = container.open_member(&blobs[i])?;
            let (reader, compression) = archive::decompressed(window)?;
            let scan = layer::scan(reader);
            let tree = Tree::from_entries(&scan.entries);
            Ok((i, stored, compression, scan, tree))
        })
        .collect();
    let mut slots: Vec<Option<(u64, Compression, LayerScan, Tree)>> =
        (0..blobs.len()).map(|_| None).collect();
    for r in results {
        let (i, stored, compression, scan, tree) = r?;
        slots[i] = Some((stored, compression, scan, tree));
    }
    let mut scans = Vec::new();
    let mut trees = Vec::new();
    let mut meta = Vec::new();
    for s in slots {
        let (stored, compression, scan, tree) =
            s.ok_or_else(|| format_err("a layer was not read"))?;
        meta.push((stored, compression));
        scans.push(scan);
        trees.push(tree);
    }

    let sizes: Vec<u64> = layer_scan
        .iter()
        .map(|&s| efficiency::layer_size(&scans[s]))
        .collect();
    let layer_trees: Vec<&Tree> = layer_scan.iter().map(|&s| &trees[s]).collect();
    let efficiency = efficiency::compute(&layer_trees, &sizes);
    let overlay = Overlay::build(layer_scan.iter().map(|&s| scans[s].entries.as_slice()));

    // dive's pairing of layers with history: the next entry that is not an empty layer.
    let mut hist_idx = 0;
    let mut layers = Vec::new();
    for (i, &s) in layer_scan.iter().enumerate() {
        while hist_idx < history.len() && history[hist_idx].empty_layer {
            hist_idx += 1;
        }
        let h = (hist_idx < history.len()).then_some(hist_idx);
        if h.is_some() {
            hist_idx += 1;
        }
        let command = h.map_or("(missing)".to_string(), |h| {
            let c = &history[h].created_by;
            c.strip_prefix("/bin/sh -c ").unwrap_or(c).to_string()
        });
        let scan = &scans[s];
        let mut largest: Vec<attribution::PathBytes> = scan
            .entries
            .iter()
            .filter(|e| !e.is_dir && !e.is_whiteout())
            .map(|e| attribution::PathBytes {
                path: e.path(),
                bytes: e.size,
            })
            .collect();
        largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        largest.truncate(5);
        layers.push(Layer {
            index: i,
            blob: blobs[s].clone(),
            size: sizes[i],
            stored_size: meta[s].0,
            compression: meta[s].1,
            entries: scan.entries.len(),
            command,
            history: h,
            changes: overlay.changes.get(i).cloned().unwrap_or_default(),
            largest,
            error: scan.error.clone(),
        });
    }
    Ok(Image {
        layers,
        history,
        efficiency,
        overlay,
        scans,
        layer_scan,
        tags: manifest.tags,
    })
}

/// The Dockerfile side: each layer's instruction and the waste findings.
#[derive(Debug, Default)]
pub struct Attribution {
    /// Per layer, the instruction index that made it.
    pub layer_instruction: Vec<Option<usize>>,
    pub findings: Vec<attribution::Finding>,
}

/// Match `image`'s layers to `file`'s instructions and explain the waste with the lint rules.
pub fn attribute(image: &Image, file: &crate::syntax::Dockerfile) -> Attribution {
    let semantic = crate::semantic::Semantic::new(file);
    let expected = history::expected_instructions(file, &semantic, None);
    let by_history = history::align(file, &image.history, &expected);
    let layer_instruction: Vec<Option<usize>> = image
        .layers
        .iter()
        .map(|l| l.history.and_then(|h| by_history.get(h).copied().flatten()))
        .collect();
    let settings = crate::lint::Settings::only(attribution::RULES);
    let diagnostics = crate::lint::lint(file, &settings);
    let facts = attribution::ImageFacts {
        overlay: &image.overlay,
        scans: (0..image.layers.len()).map(|i| image.scan_of(i)).collect(),
        layer_instruction: &layer_instruction,
    };
    let findings = attribution::attribute(&facts, file, &diagnostics);
    Attribution {
        layer_instruction,
        findings,
    }
}
