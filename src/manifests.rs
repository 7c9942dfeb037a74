//! What dependency manifests in the build context say, for fixes that change how they are
//! installed: the files a requirements file pulls in (`-r base.txt`), the local paths
//! package.json depends on (`file:./packages/x`), the scripts npm runs around an install, and
//! whether package-lock.json is in sync with package.json (`npm ci` refuses it otherwise).
//!
//! The readers are lenient: anything they cannot make sense of is `None` ("not known"), and a
//! fix that depends on the answer is then not offered.

use serde_json::Value;

/// Scripts of the root package that `npm install` / `npm ci` run (npm's lifecycle for the
/// project itself). They may need devDependencies.
pub const INSTALL_SCRIPTS: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "prepublish",
    "preprepare",
    "prepare",
    "postprepare",
];

/// The parts of a package.json fixes ask about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageJson {
    /// `dependencies`, `devDependencies`, `optionalDependencies` and `peerDependencies`:
    /// (section, name, spec).
    pub dependencies: Vec<(String, String, String)>,
    /// The names of its scripts.
    pub scripts: Vec<String>,
    /// `workspaces` is set (the install also reads the workspaces' manifests).
    pub workspaces: bool,
}

const SECTIONS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

impl PackageJson {
    pub fn parse(text: &str) -> Option<PackageJson> {
        let v: Value = serde_json::from_str(text).ok()?;
        let obj = v.as_object()?;
        let mut out = PackageJson::default();
        for section in SECTIONS {
            if let Some(deps) = obj.get(*section).and_then(Value::as_object) {
                for (name, spec) in deps {
                    out.dependencies.push((
                        section.to_string(),
                        name.clone(),
                        spec.as_str().unwrap_or_default().to_string(),
                    ));
                }
            }
        }
        if let Some(scripts) = obj.get("scripts").and_then(Value::as_object) {
            out.scripts = scripts.keys().cloned().collect();
        }
        out.workspaces = obj.get("workspaces").is_some();
        Some(out)
    }

    /// The install lifecycle scripts it defines (`postinstall`, `prepare` ...).
    pub fn install_scripts(&self) -> Vec<&str> {
        self.scripts
            .iter()
            .map(String::as_str)
            .filter(|s| INSTALL_SCRIPTS.contains(s))
            .collect()
    }

    /// Dependencies on paths of the project (`file:`, `link:`, or a relative path): the install
    /// reads those directories.
    pub fn local_dependencies(&self) -> Vec<&str> {
        self.dependencies
            .iter()
            .filter(|(_, _, spec)| {
                spec.starts_with("file:")
                    || spec.starts_with("link:")
                    || spec.starts_with("./")
                    || spec.starts_with("../")
                    || spec.starts_with('/')
            })
            .map(|(_, name, _)| name.as_str())
            .collect()
    }
}

/// Whether package-lock.json (or npm-shrinkwrap.json) `lock` records the dependencies of
/// `manifest` as they are written: `npm ci` stops with "package.json and package-lock.json ...
/// are not in sync" otherwise. `None` when the lock file is not one this reader knows.
pub fn lock_in_sync(manifest: &PackageJson, lock: &str) -> Option<bool> {
    let v: Value = serde_json::from_str(lock).ok()?;
    let version = v.get("lockfileVersion")?.as_u64()?;
    if version >= 2 {
        let root = v.get("packages")?.get("")?;
        for (section, name, spec) in &manifest.dependencies {
            if section == "peerDependencies" {
                continue;
            }
            let recorded = root
                .get(section.as_str())
                .and_then(|d| d.get(name.as_str()));
            if recorded.and_then(Value::as_str) != Some(spec.as_str()) {
                return Some(false);
            }
        }
        // A dependency removed from package.json but still in the lock's root.
        for section in SECTIONS.iter().filter(|s| **s != "peerDependencies") {
            if let Some(deps) = root.get(*section).and_then(Value::as_object) {
                let listed = |n: &str| {
                    manifest
                        .dependencies
                        .iter()
                        .any(|(s, name, _)| s == section && name == n)
                };
                if deps.keys().any(|n| !listed(n)) {
                    return Some(false);
                }
            }
        }
        Some(true)
    } else {
        // Version 1 records resolved versions only: every dependency must be there.
        let deps = v.get("dependencies").and_then(Value::as_object)?;
        Some(
            manifest
                .dependencies
                .iter()
                .filter(|(s, _, _)| s != "peerDependencies")
                .all(|(_, name, _)| deps.contains_key(name)),
        )
    }
}

/// What a pip requirements file needs besides itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Requirements {
    /// Files it includes (`-r other.txt`, `-c constraints.txt`, also spelled `--requirement`,
    /// `--constraint`), relative to its own directory as written.
    pub includes: Vec<String>,
    /// It installs from the project's own files (`-e .`, `.`, `./pkg`, `file:`): the whole
    /// source must be there.
    pub local_paths: bool,
}

/// Read a requirements file (pip's format: one requirement or option per line, `#` comments,
/// `\` continuations).
pub fn parse_requirements(text: &str) -> Requirements {
    let mut out = Requirements::default();
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    for raw in joined.lines() {
        // A comment starts at `#` at the line start or after a blank.
        let line = match raw.find(" #") {
            Some(i) => &raw[..i],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        }
        .trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        let value_of = |flag: &str, long: &str, words: &mut std::str::SplitWhitespace<'_>| {
            if first == flag || first == long {
                words.next().map(str::to_string)
            } else if let Some(v) = first.strip_prefix(&format!("{long}=")) {
                Some(v.to_string())
            } else {
                first
                    .strip_prefix(flag)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
            }
        };
        if let Some(f) = value_of("-r", "--requirement", &mut words.clone()) {
            out.includes.push(f);
            continue;
        }
        if let Some(f) = value_of("-c", "--constraint", &mut words.clone()) {
            out.includes.push(f);
            continue;
        }
        let target = if first == "-e" || first == "--editable" {
            words.next().unwrap_or_default()
        } else if let Some(v) = first.strip_prefix("--editable=") {
            v
        } else {
            first
        };
        let local = target == "."
            || target.starts_with("./")
            || target.starts_with("../")
            || target.starts_with('/')
            || target.starts_with("file:")
            || (target.contains(" @ file:") || line.contains(" @ file:"));
        if local {
            out.local_paths = true;
        }
    }
    out
}

/// The binaries `cargo build` makes for a Cargo.toml: the names of its `[[bin]]` tables, else
/// the package's name. `None` for a workspace root without a package, or when no name can be
/// read (a lenient line reader, not a TOML parser: `name = "x"` on its own line).
pub fn cargo_binaries(text: &str) -> Option<Vec<String>> {
    let mut section = String::new();
    let mut package: Option<String> = None;
    let mut bins: Vec<String> = Vec::new();
    let mut bin_without_name = false;
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.starts_with('[') {
            section = line.to_string();
            if section == "[[bin]]" {
                bin_without_name = true;
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() != "name" {
            continue;
        }
        let value = value.trim();
        let name = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))?;
        match section.as_str() {
            "[package]" => package = Some(name.to_string()),
            "[[bin]]" => {
                bins.push(name.to_string());
                bin_without_name = false;
            }
            _ => {}
        }
    }
    if bin_without_name {
        return None;
    }
    if !bins.is_empty() {
        return Some(bins);
    }
    package.map(|p| vec![p])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_json_scripts_and_local_dependencies() {
        let p = PackageJson::parse(
            r#"{"name": "a", "scripts": {"postinstall": "node build.js", "test": "jest"},
                "dependencies": {"ms": "2.1.3", "lib": "file:./packages/lib"},
                "devDependencies": {"jest": "^29"}}"#,
        )
        .expect("parses");
        assert_eq!(p.install_scripts(), ["postinstall"]);
        assert_eq!(p.local_dependencies(), ["lib"]);
        assert!(!p.workspaces);
        assert_eq!(PackageJson::parse("not json"), None);
    }

    #[test]
    fn lock_sync_follows_npm_ci() {
        let p = PackageJson::parse(r#"{"dependencies": {"ms": "2.1.3"}}"#).unwrap();
        let v3 = r#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"ms": "2.1.3"}}}}"#;
        assert_eq!(lock_in_sync(&p, v3), Some(true));
        let added = PackageJson::parse(r#"{"dependencies": {"ms": "2.1.3", "x": "1"}}"#).unwrap();
        assert_eq!(lock_in_sync(&added, v3), Some(false));
        let changed = PackageJson::parse(r#"{"dependencies": {"ms": "^2"}}"#).unwrap();
        assert_eq!(lock_in_sync(&changed, v3), Some(false));
        let removed = PackageJson::parse(r#"{}"#).unwrap();
        assert_eq!(lock_in_sync(&removed, v3), Some(false));
        let v1 = r#"{"lockfileVersion": 1, "dependencies": {"ms": {"version": "2.1.3"}}}"#;
        assert_eq!(lock_in_sync(&p, v1), Some(true));
        assert_eq!(lock_in_sync(&added, v1), Some(false));
        assert_eq!(lock_in_sync(&p, "{}"), None);
    }

    #[test]
    fn requirements_includes_and_local_paths() {
        let r = parse_requirements(
            "# base\n-r base.txt\n--requirement=dev.txt\n-c constraints.txt\nflask==3.0 # web\n\
             requests \\\n  >=2\n",
        );
        assert_eq!(r.includes, ["base.txt", "dev.txt", "constraints.txt"]);
        assert!(!r.local_paths);
        for local in [
            "-e .",
            ".",
            "./libs/x",
            "--editable=./x",
            "pkg @ file:///src/pkg",
        ] {
            assert!(parse_requirements(local).local_paths, "{local}");
        }
        assert!(!parse_requirements("django>=4 ; python_version > '3.8'").local_paths);
    }

    #[test]
    fn cargo_binaries_from_the_manifest() {
        assert_eq!(
            cargo_binaries(
                "[package]\nname = \"logtally\"\nversion = \"0.1.0\"\n\n[dependencies]\n"
            ),
            Some(vec!["logtally".to_string()])
        );
        assert_eq!(
            cargo_binaries(
                "[package]\nname = \"x\"\n[[bin]]\nname = \"a\"\npath = \"src/a.rs\"\n[[bin]]\nname = 'b'\n"
            ),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(cargo_binaries("[workspace]\nmembers = [\"a\"]\n"), None);
    }
}
