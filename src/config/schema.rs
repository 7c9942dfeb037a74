//! The keys of `.whittle.yaml` ([`Config`]) and reading them: YAML errors located at their line
//! and column, unknown keys rejected with the expected ones, globs compiled once.

use super::error::{ConfigError, ConfigWarning, locate, yaml_error};
use super::glob::Glob;
use crate::diagnostic::Severity;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// `fail-level`: the least severe finding that makes the exit code 1; `none` never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl FailLevel {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailLevel::None => false,
            FailLevel::Error => severity >= Severity::Error,
            FailLevel::Warning => severity >= Severity::Warning,
            FailLevel::Info => severity >= Severity::Info,
            FailLevel::Style => true,
        }
    }
}

/// Settings for one rule (or every rule a selector matches).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    pub severity: Option<Severity>,
    /// Free-form; each rule checks its own options.
    pub options: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `rules:` in file order (later entries win over earlier ones of the same specificity).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleTable(pub Vec<(String, RuleSettings)>);

impl<'de> Deserialize<'de> for RuleTable {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from rule selectors to {severity, options}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleTable, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, RuleSettings>()? {
                    out.push((k, v));
                }
                Ok(RuleTable(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Settings for files matching `files` (globs relative to the configuration's directory).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    pub files: Vec<String>,
    /// Replaces the enabled set for these files.
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub rules: RuleTable,
    #[serde(default)]
    pub unsafe_fixes_as_safe: Vec<String>,
    #[serde(skip)]
    pub(super) matchers: Vec<Glob>,
}

/// Which format the configuration was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfigFormat {
    #[default]
    Whittle,
    Hadolint,
}

/// A parsed configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub rules: RuleTable,
    pub fail_level: Option<FailLevel>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub overrides: Vec<Override>,
    #[serde(default)]
    pub unsafe_fixes_as_safe: Vec<String>,
    #[serde(default)]
    pub disable_inline_ignores: bool,

    /// The file this was read from (empty for [`Config::default`]).
    #[serde(skip)]
    pub path: PathBuf,
    /// The directory globs are relative to.
    #[serde(skip)]
    pub root: PathBuf,
    #[serde(skip)]
    pub format: ConfigFormat,
    /// Non-fatal problems found while reading.
    #[serde(skip)]
    pub warnings: Vec<ConfigWarning>,
    #[serde(skip)]
    pub(super) source: String,
    #[serde(skip)]
    pub(super) exclude_matchers: Vec<Glob>,
    /// Selectors made from a hadolint setting -> that setting's key.
    #[serde(skip)]
    pub(super) origins: HashMap<String, String>,
}

impl Config {
    /// Parse `.whittle.yaml` text; `path` names the file in errors and sets the root.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config = if is_empty_yaml(text) {
            Config::default()
        } else {
            serde_yaml::from_str::<Config>(text).map_err(|e| yaml_error(path, &e))?
        };
        config.finish(text, path, ConfigFormat::Whittle)?;
        Ok(config)
    }

    pub(super) fn finish(
        &mut self,
        text: &str,
        path: &Path,
        format: ConfigFormat,
    ) -> Result<(), ConfigError> {
        self.path = path.to_path_buf();
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        self.root = std::fs::canonicalize(&parent).unwrap_or(parent);
        self.format = format;
        self.source = text.to_string();
        let mut matchers = Vec::new();
        for pattern in &self.exclude {
            matchers.push(self.compile_glob(pattern)?);
        }
        self.exclude_matchers = matchers;
        let mut all = Vec::new();
        for o in &self.overrides {
            let mut m = Vec::new();
            if o.files.is_empty() {
                return Err(
                    self.error_at("overrides", "an override needs at least one `files` glob")
                );
            }
            for pattern in &o.files {
                m.push(self.compile_glob(pattern)?);
            }
            all.push(m);
        }
        for (o, m) in self.overrides.iter_mut().zip(all) {
            o.matchers = m;
        }
        Ok(())
    }

    fn compile_glob(&self, pattern: &str) -> Result<Glob, ConfigError> {
        Glob::new(pattern)
            .map_err(|msg| self.error_at(pattern, &format!("invalid glob `{pattern}`: {msg}")))
    }

    /// An error located at the first occurrence of `needle` in the file (for problems found
    /// after parsing, such as an unknown selector or a bad rule option).
    pub fn error_at(&self, needle: &str, message: &str) -> ConfigError {
        let (line, column) = locate(&self.source, needle);
        ConfigError {
            file: self.path.clone(),
            line,
            column,
            message: message.to_string(),
        }
    }

    /// Whether `path` (absolute, or relative to the configuration's directory) is excluded.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        self.exclude_matchers
            .iter()
            .any(|g| g.matches_path_or_parent(&rel))
    }

    /// `path` relative to the configuration's directory. A path outside it (or relative, when it
    /// does not exist) is used as given.
    pub(super) fn relative(&self, path: &Path) -> String {
        let normalized = normalize_lexically(path);
        let path = normalized.as_path();
        let canonical;
        let rel = match path.strip_prefix(&self.root) {
            Ok(rel) => rel,
            Err(_) => {
                canonical = std::fs::canonicalize(path).ok();
                canonical
                    .as_deref()
                    .and_then(|c| c.strip_prefix(&self.root).ok())
                    .unwrap_or(path)
            }
        };
        let s = rel.to_string_lossy().replace('\\', "/");
        s.trim_start_matches("./").to_string()
    }

    /// Every selector written in the file, for callers that check them without resolving.
    pub fn selectors(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        let lists = [
            &self.extend_select,
            &self.ignore,
            &self.unsafe_fixes_as_safe,
        ];
        v.extend(self.select.iter().flatten().map(String::as_str));
        v.extend(lists.iter().flat_map(|l| l.iter().map(String::as_str)));
        v.extend(self.rules.0.iter().map(|(k, _)| k.as_str()));
        for o in &self.overrides {
            v.extend(o.select.iter().flatten().map(String::as_str));
            v.extend(o.extend_select.iter().map(String::as_str));
            v.extend(o.ignore.iter().map(String::as_str));
            v.extend(o.rules.0.iter().map(|(k, _)| k.as_str()));
            v.extend(o.unsafe_fixes_as_safe.iter().map(String::as_str));
        }
        v
    }
}

/// `a/b/../c` -> `a/c` and `./a` -> `a`, without touching the file system.
fn normalize_lexically(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub(super) fn is_empty_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}
