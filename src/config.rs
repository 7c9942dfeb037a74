//! Configuration: `.whittle.yaml` (issue 8, point 5), and `.hadolint.yaml` read as the same
//! [`Config`] so hadolint users switch with no edits.
//!
//! ```yaml
//! select: [WH3, security]          # rules to run (default: every rule enabled by default)
//! extend-select: [WH599]           # added to the default set (or to `select`)
//! ignore: [DL3008, apt-lists-not-cleaned]
//! fail-level: warning              # error | warning | info | style | none
//! exclude: ["vendor/**", "*.generated.Dockerfile"]
//! rules:
//!   WH301: {severity: info}
//!   trusted-base-images: {options: {registries: [docker.io]}}
//! unsafe-fixes-as-safe: [WH302]    # apply these rules' unsafe fixes with plain --fix
//! disable-inline-ignores: false    # true: `# whittle ignore=` pragmas are not honoured
//! overrides:
//!   - files: ["**/*.dev.Dockerfile"]
//!     ignore: [WH101]
//! ```
//!
//! A selector is a rule ID (`WH301`), an ID prefix (`WH3`, `WH`), `ALL`, a rule name
//! (`apt-lists-not-cleaned`), an alias (`DL3009`, `buildkit:StageNameCasing`) or a category
//! (`image-size`). Selectors are resolved against the rule list the caller passes to
//! [`Config::resolve`], so this module does not depend on the rules module.
//!
//! Discovery ([`ConfigFinder`]): the nearest ancestor directory of a linted file that holds
//! `.whittle.yaml`, `.whittle.yml`, `.hadolint.yaml` or `.hadolint.yml` (in that order within one
//! directory); `--config FILE` ([`Config::load`]) overrides it. Globs (`exclude`, `overrides`)
//! are relative to the configuration file's directory.
//!
//! This module reads files but never touches the process environment.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use regex::Regex;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

pub use crate::diagnostic::Severity;

/// File names searched in each directory, in order of preference.
pub const CONFIG_FILE_NAMES: [&str; 4] = [
    ".whittle.yaml",
    ".whittle.yml",
    ".hadolint.yaml",
    ".hadolint.yml",
];

/// A configuration problem, located in its file where possible (`line` and `column` are
/// 1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    fn render(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", self.file.display(), self.message)
        } else {
            format!(
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// A problem that does not stop linting (a hadolint setting whittle does not use, a DL code
/// no whittle rule implements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
        }
    }
}

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
    matchers: Vec<Glob>,
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
    source: String,
    #[serde(skip)]
    exclude_matchers: Vec<Glob>,
    /// Selectors made from a hadolint setting -> that setting's key.
    #[serde(skip)]
    origins: HashMap<String, String>,
}

/// What the linter needs to know about a rule to resolve selectors.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub aliases: &'a [&'a str],
    /// Kebab-case (`image-size`); `ImageSize` and `image_size` are accepted too.
    pub category: &'a str,
    pub default_enabled: bool,
}

/// A configuration resolved against the rule list, for one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedConfig {
    /// IDs of the rules that run.
    pub enabled: BTreeSet<String>,
    /// Severity overrides by rule ID.
    pub severity: BTreeMap<String, Severity>,
    /// Options by rule ID (merged, later settings win per key).
    pub options: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    /// Rules whose unsafe fixes apply as safe.
    pub unsafe_fixes_as_safe: BTreeSet<String>,
    /// `None`: the command line's default.
    pub fail_level: Option<FailLevel>,
    pub disable_inline_ignores: bool,
    /// Selectors that matched no rule but are tolerated (hadolint DL/ShellCheck SC codes whittle
    /// does not implement).
    pub warnings: Vec<ConfigWarning>,
}

impl ResolvedConfig {
    pub fn is_enabled(&self, id: &str) -> bool {
        self.enabled.contains(id)
    }

    /// The configured severity of a rule, or its default.
    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.severity.get(id).copied().unwrap_or(default)
    }

    /// The options of a rule (`None` when not configured).
    pub fn options_of(&self, id: &str) -> Option<&serde_json::Map<String, serde_json::Value>> {
        self.options.get(id)
    }
}

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

    /// Parse `.hadolint.yaml` text into the same configuration. DL codes stay selectors and
    /// resolve through the rule aliases.
    pub fn from_hadolint_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if !is_empty_yaml(text) {
            let value: serde_yaml::Value =
                serde_yaml::from_str(text).map_err(|e| yaml_error(path, &e))?;
            hadolint::convert(&value, text, path, &mut config)?;
        }
        config.finish(text, path, ConfigFormat::Hadolint)?;
        Ok(config)
    }

    fn finish(&mut self, text: &str, path: &Path, format: ConfigFormat) -> Result<(), ConfigError> {
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
    fn relative(&self, path: &Path) -> String {
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

    /// Resolve selectors against `rules` for the whole project (no per-path overrides).
    pub fn resolve(&self, rules: &[RuleInfo<'_>]) -> Result<ResolvedConfig, ConfigError> {
        self.resolve_inner(rules, None)
    }

    /// Resolve for one file: the overrides whose globs match `path` apply, in file order.
    pub fn resolve_for(
        &self,
        path: &Path,
        rules: &[RuleInfo<'_>],
    ) -> Result<ResolvedConfig, ConfigError> {
        self.resolve_inner(rules, Some(path))
    }

    fn resolve_inner(
        &self,
        rules: &[RuleInfo<'_>],
        path: Option<&Path>,
    ) -> Result<ResolvedConfig, ConfigError> {
        let mut out = ResolvedConfig {
            fail_level: self.fail_level,
            disable_inline_ignores: self.disable_inline_ignores,
            ..ResolvedConfig::default()
        };
        let mut r = Resolver {
            unused_origins: BTreeMap::new(),
            config: self,
            rules,
            warnings: Vec::new(),
        };
        out.enabled = match &self.select {
            Some(sel) => r.ids(sel)?,
            None => rules
                .iter()
                .filter(|x| x.default_enabled)
                .map(|x| x.id.to_string())
                .collect(),
        };
        out.enabled.extend(r.ids(&self.extend_select)?);
        for id in r.ids(&self.ignore)? {
            out.enabled.remove(&id);
        }
        r.apply_rules(&self.rules, &mut out)?;
        out.unsafe_fixes_as_safe
            .extend(r.ids(&self.unsafe_fixes_as_safe)?);

        if let Some(path) = path {
            let rel = self.relative(path);
            for o in &self.overrides {
                if !o.matchers.iter().any(|g| g.matches_path_or_parent(&rel)) {
                    continue;
                }
                if let Some(sel) = &o.select {
                    out.enabled = r.ids(sel)?;
                }
                out.enabled.extend(r.ids(&o.extend_select)?);
                for id in r.ids(&o.ignore)? {
                    out.enabled.remove(&id);
                }
                r.apply_rules(&o.rules, &mut out)?;
                out.unsafe_fixes_as_safe
                    .extend(r.ids(&o.unsafe_fixes_as_safe)?);
            }
        }
        out.warnings = self.warnings.clone();
        out.warnings.extend(r.finish());
        Ok(out)
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

struct Resolver<'c, 'r, 'a> {
    config: &'c Config,
    rules: &'r [RuleInfo<'a>],
    warnings: Vec<ConfigWarning>,
    /// hadolint setting -> the DL codes it configures that no rule implements.
    unused_origins: BTreeMap<String, BTreeSet<String>>,
}

impl Resolver<'_, '_, '_> {
    /// All warnings, one per hadolint setting whose rules are all missing.
    fn finish(mut self) -> Vec<ConfigWarning> {
        for (origin, codes) in std::mem::take(&mut self.unused_origins) {
            let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
            self.warnings.push(ConfigWarning {
                file: self.config.path.clone(),
                line: locate(&self.config.source, &origin).0,
                message: format!(
                    "`{origin}` configures hadolint's {}, which no whittle rule implements; ignored",
                    codes.join(", ")
                ),
            });
        }
        self.warnings
    }
}

impl Resolver<'_, '_, '_> {
    /// IDs matched by `selectors`; an unknown selector is an error unless it is a foreign code
    /// (hadolint `DL`, ShellCheck `SC`, `buildkit:`), which is a warning.
    fn ids(&mut self, selectors: &[String]) -> Result<BTreeSet<String>, ConfigError> {
        let mut out = BTreeSet::new();
        for s in selectors {
            out.extend(self.matching(s)?.into_iter().map(|r| r.id.to_string()));
        }
        Ok(out)
    }

    fn matching(&mut self, selector: &str) -> Result<Vec<RuleInfo<'_>>, ConfigError> {
        let found: Vec<RuleInfo<'_>> = self
            .rules
            .iter()
            .filter(|r| selector_matches(selector, r))
            .copied()
            .collect();
        if found.is_empty() {
            if is_foreign_code(selector) {
                // selectors made from a hadolint setting point at that setting
                if let Some(origin) = self.config.origins.get(selector) {
                    self.unused_origins
                        .entry(origin.clone())
                        .or_default()
                        .insert(selector.to_string());
                    return Ok(found);
                }
                let w = ConfigWarning {
                    file: self.config.path.clone(),
                    line: locate(&self.config.source, selector).0,
                    message: format!("`{selector}` matches no whittle rule; ignored"),
                };
                if !self.warnings.contains(&w) {
                    self.warnings.push(w);
                }
            } else {
                return Err(self.config.error_at(
                    selector,
                    &format!(
                        "unknown rule selector `{selector}` (expected a rule ID, ID prefix, name, alias or category)"
                    ),
                ));
            }
        }
        Ok(found)
    }

    /// 0 for selectors that can match many rules (`ALL`, `WH3`, a category), 1 for one rule.
    fn specificity(&self, selector: &str) -> u8 {
        let s = selector.trim();
        let broad = s.eq_ignore_ascii_case("all")
            || (is_id_prefix(s) && !is_full_id(s))
            || self
                .rules
                .iter()
                .any(|r| normalize_category(r.category) == normalize_category(s));
        if broad { 0 } else { 1 }
    }

    /// Apply `rules:` entries: broad selectors first, then exact ones, each group in file order.
    fn apply_rules(
        &mut self,
        table: &RuleTable,
        out: &mut ResolvedConfig,
    ) -> Result<(), ConfigError> {
        let mut entries: Vec<&(String, RuleSettings)> = table.0.iter().collect();
        entries.sort_by_key(|(k, _)| self.specificity(k));
        for (selector, settings) in entries {
            let ids: Vec<String> = self
                .matching(selector)?
                .iter()
                .map(|r| r.id.to_string())
                .collect();
            for id in ids {
                if let Some(sev) = settings.severity {
                    out.severity.insert(id.clone(), sev);
                }
                if let Some(opts) = &settings.options {
                    let slot = out.options.entry(id).or_default();
                    for (k, v) in opts {
                        slot.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

/// Whether `selector` selects rule `r`.
pub fn selector_matches(selector: &str, r: &RuleInfo<'_>) -> bool {
    let s = selector.trim();
    if s.is_empty() {
        return false;
    }
    s.eq_ignore_ascii_case("all")
        || r.id.eq_ignore_ascii_case(s)
        || (is_id_prefix(s)
            && r.id.len() >= s.len()
            && r.id
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s)))
        || r.name == s
        || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
        || normalize_category(r.category) == normalize_category(s)
}

fn normalize_category(c: &str) -> String {
    c.chars()
        .filter(|c| *c != '-' && *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `WH`, `WH3`, `WH30`, `WH301`.
fn is_id_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b.len() <= 5
        && b[..2].eq_ignore_ascii_case(b"WH")
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn is_full_id(s: &str) -> bool {
    is_id_prefix(s) && s.len() == 5
}

/// Codes of other tools that a hadolint configuration may name: `DL3008`, `SC2086`,
/// `buildkit:Name`.
fn is_foreign_code(s: &str) -> bool {
    let b = s.as_bytes();
    let code = |p: &[u8]| {
        b.len() == 6 && b[..2].eq_ignore_ascii_case(p) && b[2..].iter().all(u8::is_ascii_digit)
    };
    code(b"DL") || code(b"SC") || s.starts_with("buildkit:")
}

fn is_empty_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

fn yaml_error(path: &Path, e: &serde_yaml::Error) -> ConfigError {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let mut message = e.to_string();
    // the location is reported separately
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    ConfigError {
        file: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// 1-based line and column of the first occurrence of `needle` as a whole word (not part of a
/// longer selector); (0, 0) when absent.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (0, 0);
    }
    let word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == ':';
    for (pos, _) in text.match_indices(needle) {
        let before = text[..pos].chars().next_back();
        let rest = &text[pos + needle.len()..];
        // `key:` followed by a space or line end is a key, not part of `buildkit:Name`
        let key_colon =
            rest.starts_with(':') && rest[1..].chars().next().is_none_or(char::is_whitespace);
        let after = rest.chars().next();
        if before.is_some_and(word_char) || (after.is_some_and(word_char) && !key_colon) {
            continue;
        }
        let line_start = text[..pos].rfind('\n').map(|p| p + 1).unwrap_or(0);
        let line = text[..pos].matches('\n').count() + 1;
        let column = text[line_start..pos].chars().count() + 1;
        return (line, column);
    }
    (0, 0)
}

/// A compiled glob: `*` and `?` stay within a path segment, `**` crosses them, `[...]` is a
/// class (`[!...]` negated). A pattern without `/` matches a file or directory name at any
/// depth; one with `/` matches the path from the configuration's directory.
#[derive(Debug, Clone)]
struct Glob {
    regex: Regex,
}

impl Glob {
    fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.trim().is_empty() {
            return Err("empty pattern".to_string());
        }
        let p = pattern.trim().trim_start_matches("./");
        let anchored = p.trim_end_matches('/').contains('/');
        let p = p.trim_start_matches('/').trim_end_matches('/');
        let mut re = String::from("^");
        if !anchored {
            re.push_str("(?:.*/)?");
        }
        let chars: Vec<char> = p.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    let slash_after = chars.get(i + 2) == Some(&'/');
                    if slash_after {
                        re.push_str("(?:.*/)?");
                        i += 3;
                    } else {
                        re.push_str(".*");
                        i += 2;
                    }
                    continue;
                }
                '*' => re.push_str("[^/]*"),
                '?' => re.push_str("[^/]"),
                '[' => {
                    let close = chars[i + 1..]
                        .iter()
                        .position(|&x| x == ']')
                        .map(|p| p + i + 1)
                        .ok_or_else(|| "unclosed `[`".to_string())?;
                    let mut class: String = chars[i + 1..close].iter().collect();
                    if let Some(rest) = class.strip_prefix('!') {
                        class = format!("^{rest}");
                    }
                    if class.is_empty() || class == "^" {
                        return Err("empty character class".to_string());
                    }
                    re.push('[');
                    re.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                    re.push(']');
                    i = close + 1;
                    continue;
                }
                other => re.push_str(&regex::escape(&other.to_string())),
            }
            i += 1;
        }
        re.push('$');
        Regex::new(&re)
            .map(|regex| Glob { regex })
            .map_err(|e| e.to_string())
    }

    /// The path, or one of its parent directories, matches (excluding `vendor` excludes
    /// everything under it).
    fn matches_path_or_parent(&self, rel: &str) -> bool {
        if self.regex.is_match(rel) {
            return true;
        }
        rel.match_indices('/')
            .any(|(pos, _)| self.regex.is_match(&rel[..pos]))
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

/// Reading `.hadolint.yaml`.
mod hadolint {
    use super::*;
    use serde_yaml::Value;

    /// hadolint's `failure-threshold` values.
    fn fail_level(s: &str) -> Option<FailLevel> {
        Some(match s {
            "error" => FailLevel::Error,
            "warning" => FailLevel::Warning,
            "info" => FailLevel::Info,
            "style" => FailLevel::Style,
            "ignore" | "none" => FailLevel::None,
            _ => return None,
        })
    }

    pub(super) fn convert(
        value: &Value,
        text: &str,
        path: &Path,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        let err = |key: &str, message: String| {
            let (line, column) = locate(text, key);
            ConfigError {
                file: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let warn = |config: &mut Config, key: &str, message: String| {
            let (line, _) = locate(text, key);
            config.warnings.push(ConfigWarning {
                file: path.to_path_buf(),
                line,
                message,
            });
        };
        let Value::Mapping(map) = value else {
            return Err(err(
                "",
                "a hadolint configuration must be a mapping".to_string(),
            ));
        };
        let strings = |key: &str, v: &Value| -> Result<Vec<String>, ConfigError> {
            match v {
                Value::Null => Ok(Vec::new()),
                Value::String(s) => Ok(vec![s.clone()]),
                Value::Sequence(seq) => seq
                    .iter()
                    .map(|x| match x {
                        Value::String(s) => Ok(s.clone()),
                        _ => Err(err(key, format!("`{key}` must be a list of strings"))),
                    })
                    .collect(),
                _ => Err(err(key, format!("`{key}` must be a list of strings"))),
            }
        };
        let boolean = |key: &str, v: &Value| -> Result<bool, ConfigError> {
            v.as_bool()
                .ok_or_else(|| err(key, format!("`{key}` must be true or false")))
        };
        let mut label_schema: Option<serde_json::Value> = None;
        let mut strict_labels = false;
        for (k, v) in map {
            let Some(key) = k.as_str() else {
                return Err(err("", "configuration keys must be strings".to_string()));
            };
            match key {
                "ignored" => config.ignore.extend(strings(key, v)?),
                "override" => {
                    let Value::Mapping(levels) = v else {
                        return Err(err(
                            key,
                            "`override` must map error/warning/info/style to lists of rules"
                                .to_string(),
                        ));
                    };
                    for (level, codes) in levels {
                        let level = level.as_str().unwrap_or_default();
                        let severity: Severity = level
                            .parse()
                            .map_err(|m: String| err(level, format!("in `override`: {m}")))?;
                        for code in strings(level, codes)? {
                            config.rules.0.push((
                                code,
                                RuleSettings {
                                    severity: Some(severity),
                                    options: None,
                                },
                            ));
                        }
                    }
                }
                "trustedRegistries" => {
                    let regs = strings(key, v)?;
                    let mut opts = serde_json::Map::new();
                    opts.insert("trusted-registries".to_string(), serde_json::json!(regs));
                    config.origins.insert("DL3026".to_string(), key.to_string());
                    config.rules.0.push((
                        "DL3026".to_string(),
                        RuleSettings {
                            severity: None,
                            options: Some(opts),
                        },
                    ));
                }
                "failure-threshold" => {
                    let s = v.as_str().unwrap_or_default();
                    let level = fail_level(s).ok_or_else(|| err(key, format!("unknown failure-threshold `{s}` (expected error, warning, info, style, ignore or none)")))?;
                    config.fail_level = Some(level);
                }
                "no-fail" => {
                    if boolean(key, v)? {
                        config.fail_level = Some(FailLevel::None);
                    }
                }
                "label-schema" => {
                    let json = serde_json::to_value(v)
                        .map_err(|e| err(key, format!("`label-schema`: {e}")))?;
                    if !json.is_object() {
                        return Err(err(
                            key,
                            "`label-schema` must map label names to types".to_string(),
                        ));
                    }
                    label_schema = Some(json);
                }
                "strict-labels" => strict_labels = boolean(key, v)?,
                "disable-ignore-pragma" => config.disable_inline_ignores = boolean(key, v)?,
                "no-color" => {
                    boolean(key, v)?;
                    warn(
                        config,
                        key,
                        "`no-color` is not a whittle setting: use `--color never` or NO_COLOR"
                            .to_string(),
                    );
                }
                "format" => warn(
                    config,
                    key,
                    "`format` is not a whittle setting: use `--format`".to_string(),
                ),
                other => warn(
                    config,
                    other,
                    format!("unknown hadolint setting `{other}` ignored"),
                ),
            }
        }
        // hadolint's label rules DL3049-DL3056 and DL3058 read the schema; DL3050 also
        // strict-labels
        if let Some(schema) = label_schema {
            for n in (3049..=3056).chain(std::iter::once(3058)) {
                let code = format!("DL{n}");
                config
                    .origins
                    .entry(code.clone())
                    .or_insert_with(|| "label-schema".to_string());
                let mut opts = serde_json::Map::new();
                opts.insert("label-schema".to_string(), schema.clone());
                if n == 3050 {
                    opts.insert(
                        "strict-labels".to_string(),
                        serde_json::Value::Bool(strict_labels),
                    );
                }
                config.rules.0.push((
                    code,
                    RuleSettings {
                        severity: None,
                        options: Some(opts),
                    },
                ));
            }
        }
        if strict_labels {
            config
                .origins
                .entry("DL3050".to_string())
                .or_insert_with(|| "strict-labels".to_string());
            config.extend_select.push("DL3050".to_string());
        }
        Ok(())
    }
}
