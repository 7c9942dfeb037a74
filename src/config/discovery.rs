//! Which configuration applies to a path: the nearest ancestor directory holding one of
//! [`CONFIG_FILE_NAMES`], read in whittle's or hadolint's format by its name.

use super::error::ConfigError;
use super::schema::Config;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// File names searched in each directory, in order of preference.
pub const CONFIG_FILE_NAMES: [&str; 4] = [
    ".whittle.yaml",
    ".whittle.yml",
    ".hadolint.yaml",
    ".hadolint.yml",
];

impl Config {
    /// Read a configuration file: hadolint's format when the file name starts with
    /// `.hadolint` or `hadolint`, whittle's otherwise.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read configuration: {e}"),
        })?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with(".hadolint") || name.starts_with("hadolint") {
            Config::from_hadolint_str(&text, path)
        } else {
            Config::from_str(&text, path)
        }
    }
}

/// Finds and caches the configuration for each directory (`--config` bypasses it). Shared by
/// the threads that lint files in parallel.
#[derive(Debug, Default)]
pub struct ConfigFinder {
    cache: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
}

impl ConfigFinder {
    pub fn new() -> ConfigFinder {
        ConfigFinder::default()
    }

    /// The configuration for a file (or, for a directory, for files in it): the nearest
    /// ancestor directory holding one of [`CONFIG_FILE_NAMES`]. `Ok(None)` when there is none.
    pub fn find(&self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        let start = if path.is_dir() {
            path.to_path_buf()
        } else {
            match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let start = std::fs::canonicalize(&start).unwrap_or(start);
        let mut visited = Vec::new();
        let mut dir = Some(start.as_path());
        let mut found = None;
        while let Some(d) = dir {
            if let Some(cached) = self.cached(d) {
                found = cached;
                break;
            }
            visited.push(d.to_path_buf());
            if let Some(file) = CONFIG_FILE_NAMES
                .iter()
                .map(|n| d.join(n))
                .find(|p| p.is_file())
            {
                found = Some(Arc::new(Config::load(&file)?));
                break;
            }
            dir = d.parent();
        }
        if let Ok(mut cache) = self.cache.lock() {
            for d in visited {
                cache.insert(d, found.clone());
            }
        }
        Ok(found)
    }

    fn cached(&self, dir: &Path) -> Option<Option<Arc<Config>>> {
        self.cache.lock().ok()?.get(dir).cloned()
    }
}
