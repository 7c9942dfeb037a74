//! The keys of `.whittle.yaml` ([`Config`]) and reading them: YAML errors located at their line
//! and column, unknown keys rejected with the expected ones, globs compiled once.

use super::error::{ConfigError, ConfigWarning, locate, locate_after, yaml_error};
use super::glob::Glob;
use crate::custom::spec::{CustomRuleSpec, RuleFile};
use crate::custom::{CompileError, CustomRules, compile_all};
use crate::diagnostic::Severity;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Rules this configuration defines ([`crate::custom`]).
    #[serde(default)]
    pub custom_rules: Vec<CustomRuleSpec>,
    /// Files of `custom-rules:` (paths relative to this file's directory), so a team can share
    /// one file of rules between repositories.
    #[serde(default)]
    pub rule_files: Vec<String>,

    /// Every custom rule compiled: this file's, then each rule file's, in order.
    #[serde(skip)]
    pub custom: CustomRules,
    /// For each compiled custom rule, the file it is written in and that file's text (to
    /// locate problems found later).
    #[serde(skip)]
    pub(super) custom_sources: Vec<(PathBuf, Arc<str>)>,

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
        self.compile_custom_rules(text, path)
    }

    /// Read the rule files and compile every custom rule (regexes and globs once, here).
    fn compile_custom_rules(&mut self, text: &str, path: &Path) -> Result<(), ConfigError> {
        if self.custom_rules.is_empty() && self.rule_files.is_empty() {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut files: Vec<(PathBuf, Arc<str>, Vec<CustomRuleSpec>)> = vec![(
            path.to_path_buf(),
            Arc::from(text),
            self.custom_rules.clone(),
        )];
        for name in &self.rule_files {
            let file = dir.join(name);
            let rules_text = std::fs::read_to_string(&file).map_err(|e| {
                self.error_at(name, &format!("cannot read rule file `{name}`: {e}"))
            })?;
            let parsed: RuleFile = if is_empty_yaml(&rules_text) {
                RuleFile::default()
            } else {
                serde_yaml::from_str(&rules_text).map_err(|e| yaml_error(&file, &e))?
            };
            files.push((file, Arc::from(rules_text), parsed.custom_rules));
        }
        let specs = files
            .iter()
            .flat_map(|(file, _, specs)| specs.iter().map(move |s| (s, file.as_path())));
        let compiled = compile_all(specs).map_err(|e| locate_compile_error(&files, &e))?;
        self.custom_sources = files
            .iter()
            .flat_map(|(file, text, specs)| specs.iter().map(move |_| (file.clone(), text.clone())))
            .collect();
        self.custom = compiled;
        Ok(())
    }

    /// A problem with custom rule `e.rule` (found after compiling, such as a name a built-in rule
    /// has), located at its key in the file the rule is written in.
    pub(super) fn custom_rule_error(&self, e: &CompileError) -> ConfigError {
        let at = self
            .custom
            .iter()
            .position(|r| r.meta.id == e.rule.as_str())
            .and_then(|i| self.custom_sources.get(i));
        match at {
            Some((file, text)) => {
                let (line, column) = locate_after(text, &e.rule, &e.key);
                ConfigError {
                    file: file.clone(),
                    line,
                    column,
                    message: e.message.clone(),
                }
            }
            None => self.error_at(&e.rule, &e.message),
        }
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

/// A compile error located at its key, under the rule's ID, in the last file that defines the
/// rule (a duplicate ID is reported where it is written the second time).
fn locate_compile_error(
    files: &[(PathBuf, Arc<str>, Vec<CustomRuleSpec>)],
    e: &CompileError,
) -> ConfigError {
    let holder = files
        .iter()
        .rev()
        .find(|(_, _, specs)| specs.iter().any(|s| s.id == e.rule))
        .or(files.first());
    let (file, (line, column)) = match holder {
        Some((file, text, specs)) => {
            // The second rule with a duplicate ID: start after the first one.
            let nth = specs.iter().filter(|s| s.id == e.rule).count();
            let mut offset = 0;
            if nth > 1
                && let Some(first) = text.find(e.rule.as_str())
            {
                offset = first + e.rule.len();
            }
            let (l, c) = locate_after(&text[offset..], &e.rule, &e.key);
            let skipped = text[..offset].matches('\n').count();
            (file.clone(), if l == 0 { (0, 0) } else { (l + skipped, c) })
        }
        None => (PathBuf::new(), (0, 0)),
    };
    ConfigError {
        file,
        line,
        column,
        message: e.message.clone(),
    }
}
