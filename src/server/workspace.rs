//! What the server knows about the files on disk: the configuration of each document (found and
//! resolved exactly as `whittle check` does, with the editor's settings in place of command-line
//! flags), and the build contexts the context rules read.
//!
//! Configuration files are not cached blindly: before each lint the server looks at the nearest
//! configuration file of the document (a few `stat`s) and starts afresh when it appeared, went
//! away or changed, so an edit to `.whittle.yaml` takes effect without a restart even when the
//! editor does not report file changes.

use crate::build_context::BuildContext;
use crate::cli::context::{WalkCache, context_for_input};
use crate::cli::settings::{CliConfig, FileSettings, SettingsSource};
use crate::config::CONFIG_FILE_NAMES;
use crate::syntax::Dockerfile;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// The editor's settings (`initializationOptions`, `workspace/configuration` section `whittle`):
/// what `--select`, `--extend-select`, `--ignore`, `--unsafe-fixes` and `--config` are to the
/// command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientSettings {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    /// Offer unsafe fixes in "fix all" too (quick fixes always show them, labelled).
    pub unsafe_fixes: bool,
    /// One configuration file for every document, instead of the nearest one.
    pub config: Option<PathBuf>,
}

impl ClientSettings {
    /// Read the settings from a JSON value: either the settings object itself or one with a
    /// `whittle` key holding it. Keys are camelCase (`extendSelect`) or kebab-case
    /// (`extend-select`); lists may also be comma-separated strings. Returns the problems found
    /// (unknown keys, wrong types), which leave the defaults in place.
    pub fn from_json(value: &Value) -> (ClientSettings, Vec<String>) {
        let mut s = ClientSettings::default();
        let mut problems = Vec::new();
        let obj = match value.get("whittle").unwrap_or(value) {
            Value::Object(o) => o,
            Value::Null => return (s, problems),
            other => {
                problems.push(format!("settings must be an object, not `{other}`"));
                return (s, problems);
            }
        };
        for (key, v) in obj {
            let list = |v: &Value, problems: &mut Vec<String>| -> Vec<String> {
                match v {
                    Value::String(s) => s
                        .split(',')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(String::from)
                        .collect(),
                    Value::Array(a) => a
                        .iter()
                        .filter_map(|x| match x {
                            Value::String(s) => Some(s.trim().to_string()),
                            other => {
                                problems.push(format!("`{key}`: `{other}` is not a rule selector"));
                                None
                            }
                        })
                        .collect(),
                    Value::Null => Vec::new(),
                    other => {
                        problems.push(format!("`{key}` must be a list of rules, not `{other}`"));
                        Vec::new()
                    }
                }
            };
            match key.as_str() {
                "select" => {
                    s.select = match v {
                        Value::Null => None,
                        v => Some(list(v, &mut problems)),
                    }
                }
                "extendSelect" | "extend-select" => s.extend_select = list(v, &mut problems),
                "ignore" => s.ignore = list(v, &mut problems),
                "unsafeFixes" | "unsafe-fixes" => match v {
                    Value::Bool(b) => s.unsafe_fixes = *b,
                    Value::Null => {}
                    other => problems.push(format!("`{key}` must be true or false, not `{other}`")),
                },
                "config" | "configuration" => match v {
                    Value::String(p) if !p.trim().is_empty() => {
                        s.config = Some(PathBuf::from(p.trim()))
                    }
                    Value::String(_) | Value::Null => {}
                    other => problems.push(format!("`{key}` must be a file path, not `{other}`")),
                },
                other => problems.push(format!("unknown setting `{other}`")),
            }
        }
        (s, problems)
    }
}

/// A configuration file as last seen: where, when modified, how long.
type Stamp = Option<(PathBuf, Option<SystemTime>, u64)>;

/// Settings and build contexts for the documents one editor has open (one server process).
#[derive(Debug)]
pub struct Workspace {
    client: ClientSettings,
    /// The workspace folder (configuration of unsaved documents; relative `config` paths).
    root: Option<PathBuf>,
    source: SettingsSource,
    /// Context walks, shared by the documents of one context until something is saved.
    walks: WalkCache,
    /// Directory of a document -> its nearest configuration file as last seen.
    stamps: HashMap<PathBuf, Stamp>,
}

impl Workspace {
    pub fn new(root: Option<PathBuf>) -> Self {
        Workspace {
            source: SettingsSource::new(CliConfig::default()),
            client: ClientSettings::default(),
            root,
            walks: WalkCache::default(),
            stamps: HashMap::new(),
        }
    }

    pub fn client(&self) -> &ClientSettings {
        &self.client
    }

    /// Use the editor's settings. `Err` says why they cannot be used (an unknown rule
    /// selector, an unreadable configuration file); the previous settings then stay.
    pub fn set_client(&mut self, client: ClientSettings) -> Result<(), String> {
        let source = self.source_for(&client)?;
        self.client = client;
        self.source = source;
        self.walks = WalkCache::default();
        self.stamps.clear();
        Ok(())
    }

    fn source_for(&self, client: &ClientSettings) -> Result<SettingsSource, String> {
        let config = client.config.as_ref().map(|p| match &self.root {
            Some(root) if p.is_relative() => root.join(p),
            _ => p.clone(),
        });
        let places: Vec<&Path> = self.root.iter().map(|r| r.as_path()).collect();
        let cli = CliConfig::new(
            config.as_deref(),
            &places,
            client.select.clone(),
            client.extend_select.clone(),
            client.ignore.clone(),
            None,
        )
        .map_err(|e| e.to_string())?;
        Ok(SettingsSource::new(cli))
    }

    /// Forget every configuration and context read so far (a file changed on disk).
    pub fn reload(&mut self) {
        if let Ok(source) = self.source_for(&self.client) {
            self.source = source;
        }
        self.walks = WalkCache::default();
        self.stamps.clear();
    }

    /// Forget the context walks (files were saved, created or deleted).
    pub fn forget_contexts(&mut self) {
        self.walks = WalkCache::default();
    }

    /// Where a document's configuration is looked up: its file, or for an unsaved document a
    /// `Dockerfile` in the workspace folder (as `--stdin-filename` does for standard input).
    pub fn lookup_path(&self, path: Option<&Path>) -> PathBuf {
        match path {
            Some(p) => p.to_path_buf(),
            None => self
                .root
                .clone()
                .or_else(|| std::env::current_dir().ok())
                .unwrap_or_default()
                .join("Dockerfile"),
        }
    }

    /// Whether the configuration that applies to `path` changed since it was last read; when it
    /// did, everything read is forgotten (and `true` is returned, so that the caller re-lints
    /// the other documents too).
    pub fn refresh(&mut self, path: &Path) -> bool {
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let now = match &self.client.config {
            Some(p) => stamp_of(&self.root.as_ref().map_or(p.clone(), |r| r.join(p))),
            None => nearest_config(&dir),
        };
        match self.stamps.get(&dir) {
            Some(before) if *before == now => false,
            Some(_) => {
                self.reload();
                self.stamps.insert(dir, now);
                true
            }
            None => {
                self.stamps.insert(dir, now);
                false
            }
        }
    }

    /// The resolved settings for a document at `path` (see [`Workspace::lookup_path`]).
    pub fn settings_for(&self, path: &Path) -> Result<Arc<FileSettings>, String> {
        self.source
            .settings_for(path)
            .map_err(|e| format!("configuration: {e}"))
    }

    /// Configuration warnings met so far (hadolint codes whittle does not implement ...).
    pub fn warnings(&self) -> Vec<String> {
        self.source.warnings()
    }

    /// The build context of the Dockerfile at `path` for the context rules (its directory, its
    /// ignore file), or `None` when no context rule needs one.
    pub fn context_for(
        &self,
        path: &Path,
        file: &Dockerfile,
        settings: &FileSettings,
    ) -> Option<BuildContext> {
        context_for_input(
            settings.context,
            &settings.settings,
            Some(path),
            file,
            &self.walks,
        )
    }
}

fn stamp_of(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((path.to_path_buf(), meta.modified().ok(), meta.len()))
}

/// The configuration file `whittle check` would find for a file in `dir`, as a stamp.
fn nearest_config(dir: &Path) -> Stamp {
    let mut d = Some(dir);
    while let Some(here) = d {
        for name in CONFIG_FILE_NAMES {
            let candidate = here.join(name);
            if let Some(stamp) = stamp_of(&candidate).filter(|_| candidate.is_file()) {
                return Some(stamp);
            }
        }
        d = here.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_settings_in_both_spellings() {
        let (s, problems) = ClientSettings::from_json(&json!({
            "whittle": {"select": "WH3, WH1", "extendSelect": ["WH590"], "ignore": ["DL3008"],
                        "unsafeFixes": true, "config": "ci/whittle.yaml"}
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.select, Some(vec!["WH3".into(), "WH1".into()]));
        assert_eq!(s.extend_select, ["WH590"]);
        assert_eq!(s.ignore, ["DL3008"]);
        assert!(s.unsafe_fixes);
        assert_eq!(s.config, Some(PathBuf::from("ci/whittle.yaml")));
        let (s, problems) =
            ClientSettings::from_json(&json!({"extend-select": "WH590", "unsafe-fixes": false}));
        assert!(problems.is_empty());
        assert_eq!(s.extend_select, ["WH590"]);
        let (s, problems) = ClientSettings::from_json(&json!({"selct": [], "ignore": 3}));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(s, ClientSettings::default());
        assert_eq!(
            ClientSettings::from_json(&Value::Null),
            (ClientSettings::default(), vec![])
        );
    }

    #[test]
    fn unknown_selectors_are_refused_and_the_old_settings_stay() {
        let mut ws = Workspace::new(None);
        let bad = ClientSettings {
            select: Some(vec!["WH9999".into()]),
            ..ClientSettings::default()
        };
        let err = ws.set_client(bad).unwrap_err();
        assert!(err.contains("WH9999"), "{err}");
        assert_eq!(ws.client(), &ClientSettings::default());
    }

    #[test]
    fn a_changed_configuration_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let df = dir.path().join("Dockerfile");
        let mut ws = Workspace::new(Some(dir.path().to_path_buf()));
        assert!(!ws.refresh(&df));
        assert!(!ws.refresh(&df));
        std::fs::write(dir.path().join(".whittle.yaml"), "ignore: [WH250]\n").unwrap();
        assert!(ws.refresh(&df), "a new configuration file");
        assert!(!ws.refresh(&df));
        std::fs::write(dir.path().join(".whittle.yaml"), "ignore: [WH250, WH110]\n").unwrap();
        assert!(ws.refresh(&df), "a longer configuration file");
    }
}
