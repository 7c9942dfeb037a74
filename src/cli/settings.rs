//! The lint settings for one file: the nearest `.whittle.yaml` / `.whittle.yml`, or else
//! `.hadolint.yaml` / `.hadolint.yml` (read through the rules' aliases, so hadolint users switch
//! with no edits), or the `--config FILE` given, resolved against the registry, with the
//! command line's `--select` / `--ignore` / `--fail-level` on top. Files without a configuration
//! get the defaults.

use super::context::ContextNeeds;
use crate::config::{Config, ConfigError, ConfigFinder, FailLevel};
use crate::custom::CustomRule;
use crate::descriptor::{RuleMeta, Selector};
use crate::lint::RuleRef;
use crate::rules::all_rules;
use crate::settings::Settings;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The fail level when neither the command line nor a configuration sets one: every finding
/// fails the run. A finding that should not fail CI is better turned off (or lowered) in the
/// configuration than left printed and ignored.
pub const DEFAULT_FAIL_LEVEL: FailLevel = FailLevel::Style;

/// What the command line says about configuration; applies to every file.
#[derive(Debug, Default)]
pub struct CliConfig {
    /// `--config FILE`: used for every file instead of the discovered one.
    pub config: Option<Arc<Config>>,
    /// `--select`: replaces the configuration's `select`.
    pub select: Option<Vec<String>>,
    /// `--extend-select`: added to the selection.
    pub extend_select: Vec<String>,
    /// `--ignore`: added to the configuration's `ignore`.
    pub ignore: Vec<String>,
    /// `--fail-level`: wins over the configuration's.
    pub fail_level: Option<FailLevel>,
}

impl CliConfig {
    /// Read `--config FILE` (a whittle file, or a hadolint one by its name). `places`: the
    /// inputs (files or directories) whose configurations' custom rules the selectors may name
    /// (none: the current directory).
    pub fn new(
        config: Option<&Path>,
        places: &[&Path],
        select: Option<Vec<String>>,
        extend_select: Vec<String>,
        ignore: Vec<String>,
        fail_level: Option<FailLevel>,
    ) -> Result<CliConfig, ConfigError> {
        let config = match config {
            Some(path) => Some(Arc::new(Config::load(path)?)),
            None => None,
        };
        // Check the command line's selectors once, so a typo is a usage error, not one per file.
        // A code that matches no rule is an error here even when it is hadolint's (a
        // configuration file only warns): `--select DL3001` would check nothing and pass.
        // Custom rules count: those of `--config`, else of the configurations that apply to
        // the inputs (a broken one is reported when a file is linted). A file whose own
        // configuration lacks a rule named here just does not run it.
        let configs: Vec<Arc<Config>> = match &config {
            Some(c) => vec![c.clone()],
            None => {
                let finder = ConfigFinder::new();
                let here = [Path::new(".")];
                let places = if places.is_empty() { &here[..] } else { places };
                let mut found: Vec<Arc<Config>> = Vec::new();
                for c in places.iter().filter_map(|p| finder.find(p).ok().flatten()) {
                    if !found.iter().any(|f| Arc::ptr_eq(f, &c)) {
                        found.push(c);
                    }
                }
                found
            }
        };
        let mut metas = rule_metas();
        for c in &configs {
            metas.extend(c.custom.iter().map(|r| &r.meta));
        }
        let flags = [
            ("--select", select.clone().unwrap_or_default()),
            ("--extend-select", extend_select.clone()),
            ("--ignore", ignore.clone()),
        ];
        for (flag, list) in flags {
            let mut probe = Config::default();
            probe.extend_select = list;
            let at_flag = |mut e: ConfigError| {
                e.file = PathBuf::from(flag);
                e.line = 0;
                e
            };
            let resolved = probe.resolve(&metas).map_err(at_flag)?;
            if let Some(w) = resolved.warnings.first() {
                return Err(at_flag(ConfigError {
                    file: PathBuf::new(),
                    line: 0,
                    column: 0,
                    message: w.message.replace("; ignored", ""),
                }));
            }
        }
        Ok(CliConfig {
            config,
            select,
            extend_select,
            ignore,
            fail_level,
        })
    }

    fn changes_selection(&self) -> bool {
        self.select.is_some() || !self.extend_select.is_empty() || !self.ignore.is_empty()
    }
}

/// Everything the linter and the exit code need for one file.
#[derive(Debug)]
pub struct FileSettings {
    pub settings: Settings,
    pub fail_level: FailLevel,
    /// `lint::selected_rules(&settings)` (custom rules included), decided once per
    /// configuration, not once per file.
    pub rules: Vec<RuleRef>,
    /// What those rules read of the build context.
    pub context: ContextNeeds,
}

impl FileSettings {
    fn new(settings: Settings, fail_level: FailLevel) -> Self {
        let rules = crate::lint::selected_rules(&settings);
        FileSettings {
            context: ContextNeeds::of(rules.iter().map(|r| r.meta())),
            rules,
            settings,
            fail_level,
        }
    }
}

/// The built-in rules' descriptors, which a configuration is resolved against (with its own
/// custom rules).
fn rule_metas() -> Vec<&'static RuleMeta> {
    all_rules().iter().map(|r| r.meta()).collect()
}

/// A configuration and its resolved settings.
type Resolved = (Arc<Config>, Arc<FileSettings>);

/// Settings for every input of one run, found once per directory and resolved once per
/// configuration file (when it has no per-path overrides): thousands of files in one directory
/// cost one lookup, not thousands. Shared by the linting threads.
#[derive(Debug)]
pub struct SettingsSource {
    cli: CliConfig,
    finder: ConfigFinder,
    /// Directory of an input (as given) -> its configuration.
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
    /// Configuration (by address; the `Arc` keeps it alive) -> its resolved settings.
    by_config: Mutex<HashMap<usize, Resolved>>,
    /// The settings of files without a configuration.
    defaults: OnceLock<Result<Arc<FileSettings>, ConfigError>>,
    /// Configuration warnings (hadolint codes whittle does not implement), each once.
    warnings: Mutex<BTreeSet<String>>,
    /// The custom rules of the configurations resolved so far (the first of an ID wins), for
    /// the outputs that list rules (SARIF).
    custom_rules: Mutex<Vec<Arc<CustomRule>>>,
}

impl SettingsSource {
    pub fn new(cli: CliConfig) -> SettingsSource {
        SettingsSource {
            cli,
            finder: ConfigFinder::new(),
            by_dir: Mutex::new(HashMap::new()),
            by_config: Mutex::new(HashMap::new()),
            defaults: OnceLock::new(),
            warnings: Mutex::new(BTreeSet::new()),
            custom_rules: Mutex::new(Vec::new()),
        }
    }

    /// The custom rules of the configurations resolved so far.
    pub fn custom_rules(&self) -> Vec<Arc<CustomRule>> {
        self.custom_rules
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// The configuration warnings met so far, each once, sorted.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .map(|w| w.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The configuration that applies to `path`: `--config`, else the nearest one found.
    pub fn config_for(&self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if let Some(c) = &self.cli.config {
            return Ok(Some(c.clone()));
        }
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        if let Some(found) = self.by_dir.lock().ok().and_then(|m| m.get(&dir).cloned()) {
            return Ok(found);
        }
        let found = self.finder.find(path)?;
        if let Ok(mut m) = self.by_dir.lock() {
            m.insert(dir, found.clone());
        }
        Ok(found)
    }

    /// Whether a file found by walking a directory is excluded by its configuration's
    /// `exclude`. Unreadable configurations exclude nothing (linting the file reports the error).
    pub fn is_excluded(&self, path: &Path) -> bool {
        matches!(self.config_for(path), Ok(Some(c)) if c.is_excluded(path))
    }

    /// Settings for the file at `path` (for standard input: the `--stdin-filename`, or a file
    /// in the current directory).
    pub fn settings_for(&self, path: &Path) -> Result<Arc<FileSettings>, ConfigError> {
        let Some(config) = self.config_for(path)? else {
            // No configuration: the same settings for every such file.
            return self
                .defaults
                .get_or_init(|| {
                    if self.cli.changes_selection() {
                        self.resolve(&Arc::new(Config::default()), path)
                            .map(Arc::new)
                    } else {
                        Ok(Arc::new(FileSettings::new(
                            Settings::default(),
                            self.cli.fail_level.unwrap_or(DEFAULT_FAIL_LEVEL),
                        )))
                    }
                })
                .clone();
        };
        if !config.overrides.is_empty() {
            return self.resolve(&config, path).map(Arc::new);
        }
        let key = Arc::as_ptr(&config) as usize;
        if let Some((_, s)) = self
            .by_config
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return Ok(s);
        }
        let resolved = Arc::new(self.resolve(&config, path)?);
        if let Ok(mut m) = self.by_config.lock() {
            m.insert(key, (config, resolved.clone()));
        }
        Ok(resolved)
    }

    /// `config` for `path`, with the command line's selection and fail level on top.
    fn resolve(&self, config: &Arc<Config>, path: &Path) -> Result<FileSettings, ConfigError> {
        let cli = &self.cli;
        let mut config = config.clone();
        if cli.changes_selection() {
            // The command line's selectors were checked against every configuration of the
            // run; those naming a custom rule this configuration lacks select nothing here.
            let mut metas = rule_metas();
            metas.extend(config.custom.iter().map(|r| &r.meta));
            let here = |list: &[String]| -> Vec<String> {
                list.iter()
                    .filter(|s| {
                        Selector::parse(s).is_some_and(|s| metas.iter().any(|m| s.matches(m)))
                    })
                    .cloned()
                    .collect()
            };
            let select = cli.select.as_deref().map(here);
            let extend_select = here(&cli.extend_select);
            let ignore = here(&cli.ignore);
            let c = Arc::make_mut(&mut config);
            if let Some(select) = select {
                c.select = Some(select);
                c.extend_select.clear();
            }
            c.extend_select.extend(extend_select);
            c.ignore.extend(ignore);
        }
        let resolved = config.resolve_for(path, &rule_metas())?;
        let settings = resolved.to_settings();
        if let Ok(mut seen) = self.warnings.lock() {
            seen.extend(resolved.warnings.iter().map(|w| w.to_string()));
        }
        if !resolved.custom_rules.is_empty()
            && let Ok(mut seen) = self.custom_rules.lock()
        {
            for r in resolved.custom_rules.iter() {
                if !seen.iter().any(|s| s.meta.id == r.meta.id) {
                    seen.push(r.clone());
                }
            }
        }
        Ok(FileSettings::new(
            settings,
            cli.fail_level
                .or(resolved.fail_level)
                .unwrap_or(DEFAULT_FAIL_LEVEL),
        ))
    }
}
