//! Waste traced back to Dockerfile lines and to the rule that prevents it. The facts come from
//! the image (which layer stored which bytes, which layer hid them, what is still there); the
//! rules and their fixes come from the lint engine, run on the Dockerfile with the image-size
//! rules on. Nothing here decides what is wrong with a Dockerfile on its own:
//!
//! - files a later layer removes -> WH304 (cleanup-in-separate-layer) at the removing line;
//! - package lists and caches still in the image -> WH301 (apt lists), WH303 (pip, uv), WH305
//!   (apk), WH306 (dnf, yum, zypper, npm, yarn ...), directories from `rules/package-managers.yaml`;
//! - downloaded archives still in the image -> WH310;
//! - npm packages marked `dev` in `node_modules/.package-lock.json` -> WH311;
//! - compilers and headers (dpkg packages the table calls build toolchain, and what only they
//!   depend on) -> WH307.
//!
//! Each finding carries the bytes it accounts for, and whittle's fix when the lint engine
//! reports the rule on that instruction.

use super::layer::LayerScan;
use super::overlay::{HiddenBy, Overlay};
use crate::diagnostic::Diagnostic;
use crate::package_managers;
use crate::syntax::{Dockerfile, Keyword, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What kind of waste a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WasteKind {
    /// Stored by one layer, removed by a later one.
    RemovedLater,
    /// Stored by one layer, written again by a later one.
    OverwrittenLater,
    /// Base-image files removed by the Dockerfile (they stay in the base layers).
    RemovedBaseFiles,
    PackageCache,
    DownloadedArchive,
    DevDependencies,
    BuildToolchain,
}

/// The bytes of one path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathBytes {
    pub path: String,
    pub bytes: u64,
}

/// One piece of waste with its cause.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub kind: WasteKind,
    /// The rule that prevents it (`WH304`), when one does.
    pub rule: Option<&'static str>,
    pub rule_name: Option<&'static str>,
    pub bytes: u64,
    pub files: usize,
    /// The layer (0-based) that stores the bytes.
    pub layer: usize,
    /// The Dockerfile line the finding points at (the removing line for removed files, else
    /// the line that made the layer).
    pub line: Option<usize>,
    /// The line that made the layer storing the bytes.
    pub stored_by_line: Option<usize>,
    pub message: String,
    /// Whether the lint engine reports `rule` on that instruction.
    pub lint_confirms: bool,
    /// whittle's fix for it (the lint finding's fix title), when it has one.
    pub fix: Option<String>,
    /// The largest paths, at most five.
    pub paths: Vec<PathBytes>,
    #[serde(skip)]
    pub span: Option<Span>,
    /// The lint diagnostic behind `fix`, for SARIF and GitHub output.
    #[serde(skip)]
    pub diagnostic: Option<Diagnostic>,
}

/// The rules attribution asks the lint engine about.
pub const RULES: [&str; 9] = [
    "WH301", "WH303", "WH304", "WH305", "WH306", "WH307", "WH309", "WH310", "WH311",
];

/// What attribution needs to know about the image.
pub struct ImageFacts<'a> {
    pub overlay: &'a Overlay,
    /// Per layer of the image, its scan.
    pub scans: Vec<&'a LayerScan>,
    /// Per layer, the Dockerfile instruction that made it (`None`: base image or unknown).
    pub layer_instruction: &'a [Option<usize>],
}

/// Trace the image's waste to `file`'s lines. `diagnostics` are the lint engine's findings for
/// [`RULES`] on `file`.
pub fn attribute(
    facts: &ImageFacts<'_>,
    file: &Dockerfile,
    diagnostics: &[Diagnostic],
) -> Vec<Finding> {
    let cx = Cx {
        facts,
        file,
        diagnostics,
    };
    let mut out = Vec::new();
    cx.hidden(&mut out);
    cx.caches(&mut out);
    cx.archives(&mut out);
    cx.dev_dependencies(&mut out);
    cx.toolchain(&mut out);
    out.retain(|f| f.bytes > 0);
    out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.line.cmp(&b.line)));
    out
}

struct Cx<'a> {
    facts: &'a ImageFacts<'a>,
    file: &'a Dockerfile,
    diagnostics: &'a [Diagnostic],
}

/// Bytes per path, collected for one finding.
#[derive(Default)]
struct Tally {
    bytes: u64,
    files: usize,
    paths: Vec<PathBytes>,
}

impl Tally {
    fn add(&mut self, path: &str, bytes: u64) {
        self.bytes += bytes;
        self.files += 1;
        self.paths.push(PathBytes {
            path: path.to_string(),
            bytes,
        });
    }

    fn top(mut self) -> (u64, usize, Vec<PathBytes>) {
        self.paths
            .sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        self.paths.truncate(5);
        (self.bytes, self.files, self.paths)
    }
}

fn rule_name(id: &str) -> Option<&'static str> {
    crate::rules::all_rules()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.id == id)
        .map(|m| m.name.as_str())
}

impl Cx<'_> {
    fn instruction(&self, layer: usize) -> Option<usize> {
        self.facts.layer_instruction.get(layer).copied().flatten()
    }

    fn line(&self, layer: usize) -> Option<usize> {
        self.instruction(layer)
            .map(|i| self.file.instructions[i].start_line)
    }

    fn is_run(&self, layer: usize) -> bool {
        self.instruction(layer)
            .is_some_and(|i| self.file.instructions[i].keyword == Keyword::Run)
    }

    /// The lint diagnostic of `rule` on instruction `i`.
    fn diagnostic(&self, rule: &str, i: Option<usize>) -> Option<&Diagnostic> {
        let span = self.file.instructions.get(i?)?.span;
        self.diagnostics
            .iter()
            .find(|d| d.rule_id == rule && d.span.start >= span.start && d.span.start <= span.end)
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        kind: WasteKind,
        rule: Option<&'static str>,
        layer: usize,
        at: Option<usize>,
        tally: Tally,
        message: String,
    ) -> Finding {
        let diagnostic = rule.and_then(|r| self.diagnostic(r, at)).cloned();
        let (bytes, files, paths) = tally.top();
        Finding {
            kind,
            rule,
            rule_name: rule.and_then(rule_name),
            bytes,
            files,
            layer,
            line: at.map(|i| self.file.instructions[i].start_line),
            stored_by_line: self.line(layer),
            message,
            lint_confirms: diagnostic.is_some(),
            fix: diagnostic
                .as_ref()
                .and_then(|d| d.fix.as_ref().map(|f| f.title.clone())),
            paths,
            span: at.map(|i| self.file.instructions[i].span),
            diagnostic,
        }
    }

    /// Files a later layer removes or writes again.
    fn hidden(&self, out: &mut Vec<Finding>) {
        let mut groups: BTreeMap<(usize, usize, bool), Tally> = BTreeMap::new();
        for h in &self.facts.overlay.hidden {
            if h.layer == h.by_layer {
                continue;
            }
            groups
                .entry((h.layer, h.by_layer, h.how == HiddenBy::Removed))
                .or_default()
                .add(&h.path, h.size);
        }
        for ((layer, by, removed), tally) in groups {
            let at = self.instruction(by);
            let by_line = self
                .line(by)
                .map_or("a later layer".into(), |l| format!("line {l}"));
            let stored = self
                .line(layer)
                .map_or(format!("layer {layer}"), |l| format!("line {l}"));
            let n = tally.files;
            let f = if self.instruction(layer).is_none() {
                if !removed || at.is_none() {
                    continue;
                }
                let msg = format!(
                    "{by_line} removes {n} files of the base image: they stay in its layers, \
                     removing them does not make the image smaller"
                );
                self.finding(WasteKind::RemovedBaseFiles, None, layer, at, tally, msg)
            } else if removed {
                let msg = format!(
                    "{by_line} removes {n} files that {stored} stored: they stay in that layer; \
                     remove them in the instruction that creates them"
                );
                self.finding(
                    WasteKind::RemovedLater,
                    Some("WH304"),
                    layer,
                    at,
                    tally,
                    msg,
                )
            } else {
                let msg = format!(
                    "{by_line} writes {n} files again that {stored} stored: both copies are in \
                     the image"
                );
                self.finding(WasteKind::OverwrittenLater, None, layer, at, tally, msg)
            };
            out.push(f);
        }
    }

    /// Visible files of user layers under `pred`'s paths, grouped by (layer, key).
    fn visible_by_layer<K: Ord + Clone>(
        &self,
        mut key_of: impl FnMut(&str) -> Option<K>,
    ) -> BTreeMap<(usize, K), Tally> {
        let mut groups: BTreeMap<(usize, K), Tally> = BTreeMap::new();
        for (path, v) in &self.facts.overlay.files {
            if v.is_dir || self.instruction(v.layer).is_none() {
                continue;
            }
            if let Some(k) = key_of(path) {
                groups.entry((v.layer, k)).or_default().add(path, v.size);
            }
        }
        groups
    }

    fn caches(&self, out: &mut Vec<Finding>) {
        let table = package_managers::table();
        let mut dirs: Vec<(&'static str, &'static str)> = Vec::new();
        for pm in &table.managers {
            for d in &pm.cache_dirs {
                dirs.push((d, pm.name));
            }
        }
        dirs.sort_by_key(|(d, _)| std::cmp::Reverse(d.len()));
        dirs.dedup_by_key(|(d, _)| *d);
        let groups = self.visible_by_layer(|path| {
            dirs.iter()
                .find(|(d, _)| path.starts_with(d) && path.as_bytes().get(d.len()) == Some(&b'/'))
                .map(|&(d, m)| (d, m))
        });
        for ((layer, (dir, manager)), tally) in groups {
            let rule = match manager {
                "apt-get" | "apt" if dir == "/var/lib/apt/lists" => Some("WH301"),
                "pip" | "uv" => Some("WH303"),
                "apk" => Some("WH305"),
                "dnf" | "yum" | "microdnf" | "tdnf" | "zypper" | "npm" | "yarn" => Some("WH306"),
                _ => None,
            };
            let line = self
                .line(layer)
                .map_or(format!("layer {layer}"), |l| format!("line {l}"));
            let msg = format!(
                "{line} leaves {} files of {manager}'s cache in `{dir}` in the image",
                tally.files
            );
            out.push(self.finding(
                WasteKind::PackageCache,
                rule,
                layer,
                self.instruction(layer),
                tally,
                msg,
            ));
        }
    }

    fn archives(&self, out: &mut Vec<Finding>) {
        const EXTENSIONS: [&str; 12] = [
            ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz", ".tbz2", ".tar.zst",
            ".tzst", ".zip", ".tar.lz4",
        ];
        let table = package_managers::table();
        let in_cache = |p: &str| {
            table
                .managers
                .iter()
                .flat_map(|m| m.cache_dirs.iter())
                .any(|d| p.starts_with(d))
        };
        let groups = self.visible_by_layer(|path| {
            let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
            (EXTENSIONS.iter().any(|e| name.ends_with(e)) && !in_cache(path)).then_some(())
        });
        for ((layer, ()), tally) in groups {
            if !self.is_run(layer) {
                continue;
            }
            let line = self
                .line(layer)
                .map_or(format!("layer {layer}"), |l| format!("line {l}"));
            let msg = format!(
                "{line} leaves {} downloaded archives in the image",
                tally.files
            );
            out.push(self.finding(
                WasteKind::DownloadedArchive,
                Some("WH310"),
                layer,
                self.instruction(layer),
                tally,
                msg,
            ));
        }
    }

    /// The captured content of the visible copy of `path`.
    fn visible_content(&self, path: &str) -> Option<&[u8]> {
        let v = self.facts.overlay.files.get(path)?;
        self.facts
            .scans
            .get(v.layer)?
            .captured
            .iter()
            .rev()
            .find(|(p, _)| p == path)
            .map(|(_, c)| c.as_slice())
    }

    fn dev_dependencies(&self, out: &mut Vec<Finding>) {
        let lockfiles: Vec<&String> = self
            .facts
            .overlay
            .files
            .keys()
            .filter(|p| p.ends_with("/node_modules/.package-lock.json"))
            .collect();
        let mut dev_dirs: Vec<String> = Vec::new();
        for lock in lockfiles {
            let Some(content) = self.visible_content(lock) else {
                continue;
            };
            let Ok(json) = serde_json::from_slice::<serde_json::Value>(content) else {
                continue;
            };
            let root = lock.trim_end_matches("/node_modules/.package-lock.json");
            if let Some(packages) = json.get("packages").and_then(|p| p.as_object()) {
                for (key, meta) in packages {
                    if meta.get("dev").and_then(|d| d.as_bool()) == Some(true) {
                        dev_dirs.push(format!("{root}/{key}/"));
                    }
                }
            }
        }
        if dev_dirs.is_empty() {
            return;
        }
        dev_dirs.sort();
        let groups = self.visible_by_layer(|path| {
            // The deepest dev package directory holding the path.
            let i = dev_dirs.partition_point(|d| d.as_str() <= path);
            dev_dirs[..i]
                .iter()
                .rev()
                .take(64)
                .any(|d| path.starts_with(d.as_str()))
                .then_some(())
        });
        for ((layer, ()), tally) in groups {
            let line = self
                .line(layer)
                .map_or(format!("layer {layer}"), |l| format!("line {l}"));
            let msg = format!(
                "{line} installs npm development dependencies ({} files) into the image",
                tally.files
            );
            out.push(self.finding(
                WasteKind::DevDependencies,
                Some("WH311"),
                layer,
                self.instruction(layer),
                tally,
                msg,
            ));
        }
    }

    fn toolchain(&self, out: &mut Vec<Finding>) {
        let Some(status) = self.visible_content("/var/lib/dpkg/status") else {
            return;
        };
        let packages = parse_dpkg_status(&String::from_utf8_lossy(status));
        let counted = toolchain_closure(&packages);
        if counted.is_empty() {
            return;
        }
        // Files of the counted packages, from their dpkg file lists.
        let mut owner: HashMap<String, String> = HashMap::new();
        for pkg in &counted {
            let arch = packages.get(pkg).map(|p| p.arch.as_str()).unwrap_or("");
            let list = [
                format!("/var/lib/dpkg/info/{pkg}.list"),
                format!("/var/lib/dpkg/info/{pkg}:{arch}.list"),
            ]
            .into_iter()
            .find_map(|p| self.visible_content(&p));
            let Some(list) = list else { continue };
            for line in String::from_utf8_lossy(list).lines() {
                if line.starts_with('/') && line != "/." {
                    owner.entry(line.to_string()).or_insert_with(|| pkg.clone());
                }
            }
        }
        let groups = self.visible_by_layer(|path| owner.get(path).map(|_| ()));
        for ((layer, ()), tally) in groups {
            let mut names: BTreeSet<&str> = BTreeSet::new();
            for p in &tally.paths {
                if let Some(o) = owner.get(&p.path) {
                    names.insert(o);
                }
            }
            let line = self
                .line(layer)
                .map_or(format!("layer {layer}"), |l| format!("line {l}"));
            let direct: Vec<&str> = counted
                .iter()
                .filter(|p| is_toolchain(p))
                .map(|s| s.as_str())
                .take(6)
                .collect();
            let msg = format!(
                "{line} leaves compilers and build tools in the image ({} files of {})",
                tally.files,
                direct.join(", ")
            );
            out.push(self.finding(
                WasteKind::BuildToolchain,
                Some("WH307"),
                layer,
                self.instruction(layer),
                tally,
                msg,
            ));
        }
    }
}

/// One installed dpkg package.
#[derive(Debug, Clone, Default)]
pub struct DpkgPackage {
    pub arch: String,
    /// Package names it depends on (alternatives all listed, versions dropped).
    pub depends: Vec<String>,
    pub provides: Vec<String>,
}

/// The installed packages of a `/var/lib/dpkg/status` file.
pub fn parse_dpkg_status(text: &str) -> BTreeMap<String, DpkgPackage> {
    let mut out = BTreeMap::new();
    for para in text.split("\n\n") {
        let mut name = None;
        let mut installed = false;
        let mut pkg = DpkgPackage::default();
        let mut field = "";
        let mut value = String::new();
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in para.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
            if !field.is_empty() {
                fields.push((field.to_string(), std::mem::take(&mut value)));
            }
            if let Some((k, v)) = line.split_once(':') {
                field = k;
                value = v.trim().to_string();
            } else {
                field = "";
            }
        }
        if !field.is_empty() {
            fields.push((field.to_string(), value));
        }
        for (k, v) in fields {
            match k.as_str() {
                "Package" => name = Some(v),
                "Status" => installed = v.ends_with(" installed"),
                "Architecture" => pkg.arch = v,
                "Depends" | "Pre-Depends" => pkg.depends.extend(package_names(&v)),
                "Provides" => pkg.provides.extend(package_names(&v)),
                _ => {}
            }
        }
        if let Some(n) = name
            && installed
        {
            out.insert(n, pkg);
        }
    }
    out
}

/// `libc6 (>= 2.34), gcc-12 | clang:any` -> libc6, gcc-12, clang.
fn package_names(field: &str) -> Vec<String> {
    field
        .split([',', '|'])
        .filter_map(|alt| {
            let name = alt.split_whitespace().next()?;
            let name = name.split(':').next()?;
            (!name.is_empty()).then(|| name.to_string())
        })
        .collect()
}

/// A compiler, build tool or header package by the table (also versioned names: `gcc-12`).
fn is_toolchain(name: &str) -> bool {
    let table = package_managers::table();
    if table.is_build_toolchain(name) {
        return true;
    }
    // gcc-12 -> gcc, g++-12 -> g++, cpp-12 -> cpp
    match name.rsplit_once('-') {
        Some((base, version)) if version.chars().all(|c| c.is_ascii_digit() || c == '.') => {
            table.is_build_toolchain(base)
        }
        _ => false,
    }
}

/// The toolchain packages and every package only they need (what `apt-get autoremove` would
/// take away after purging them).
pub fn toolchain_closure(packages: &BTreeMap<String, DpkgPackage>) -> BTreeSet<String> {
    let mut counted: BTreeSet<String> = packages
        .keys()
        .filter(|p| is_toolchain(p))
        .cloned()
        .collect();
    if counted.is_empty() {
        return counted;
    }
    // Virtual names resolve to their providers.
    let mut providers: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, p) in packages {
        providers
            .entry(name.as_str())
            .or_default()
            .push(name.as_str());
        for v in &p.provides {
            providers.entry(v.as_str()).or_default().push(name.as_str());
        }
    }
    let mut rdeps: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (name, p) in packages {
        for d in &p.depends {
            for target in providers.get(d.as_str()).into_iter().flatten() {
                if target != name {
                    rdeps.entry(target).or_default().insert(name.as_str());
                }
            }
        }
    }
    loop {
        let mut grew = false;
        for name in packages.keys() {
            if counted.contains(name) {
                continue;
            }
            if let Some(users) = rdeps.get(name.as_str())
                && !users.is_empty()
                && users.iter().all(|u| counted.contains(*u))
            {
                counted.insert(name.clone());
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_closure_takes_what_only_the_toolchain_needs() {
        let status = "Package: gcc-12\nStatus: install ok installed\nArchitecture: amd64\nDepends: cpp-12 (= 12.2), libisl23 (>= 0.15), libc6\n\n\
Package: cpp-12\nStatus: install ok installed\nArchitecture: amd64\nDepends: libisl23, libc6\n\n\
Package: libisl23\nStatus: install ok installed\nArchitecture: amd64\nDepends: libc6\n\n\
Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n\n\
Package: curl\nStatus: install ok installed\nArchitecture: amd64\nDepends: libc6\n\n\
Package: old\nStatus: deinstall ok config-files\n";
        let pkgs = parse_dpkg_status(status);
        assert_eq!(pkgs.len(), 5);
        let c = toolchain_closure(&pkgs);
        let c: Vec<&str> = c.iter().map(|s| s.as_str()).collect();
        assert_eq!(c, ["cpp-12", "gcc-12", "libisl23"]);
    }
}
