//! A configuration resolved against the rule descriptors for one file: which rules run, their
//! severities and options. Selectors follow the one grammar of [`Selector`]; options are checked
//! against what each rule declares, so a misspelt option is an error, not silently ignored.

use super::error::{ConfigError, ConfigWarning, locate, locate_after};
use super::schema::{Config, FailLevel, RuleSettings, RuleTable};
use crate::custom::{CustomRules, check_against_builtin};
use crate::descriptor::{RuleMeta, Selector};
use crate::diagnostic::Severity;
use crate::settings::Settings;
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
    /// The rules the configuration defines, compiled.
    pub custom_rules: CustomRules,
    /// Selectors that matched no rule but are tolerated (hadolint DL/ShellCheck SC codes whittle
    /// does not implement).
    pub warnings: Vec<ConfigWarning>,
}

impl ResolvedConfig {
    /// The lint settings this resolution stands for (no build context: the caller adds one).
    pub fn to_settings(&self) -> Settings {
        Settings {
            enabled: Some(self.enabled.iter().cloned().collect()),
            severity: self.severity.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            options: self
                .options
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::Object(v.clone())))
                .collect(),
            promote_unsafe_fixes: self.unsafe_fixes_as_safe.iter().cloned().collect(),
            ignore_inline_pragmas: self.disable_inline_ignores,
            custom_rules: self.custom_rules.clone(),
            ..Settings::default()
        }
    }

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
    /// Resolve selectors against `rules` for the whole project (no per-path overrides).
    pub fn resolve<R: Borrow<RuleMeta>>(&self, rules: &[R]) -> Result<ResolvedConfig, ConfigError> {
        self.resolve_inner(rules, None)
    }

    /// Resolve for one file: the overrides whose globs match `path` apply, in file order.
    pub fn resolve_for<R: Borrow<RuleMeta>>(
        &self,
        path: &Path,
        rules: &[R],
    ) -> Result<ResolvedConfig, ConfigError> {
        self.resolve_inner(rules, Some(path))
    }

    fn resolve_inner<R: Borrow<RuleMeta>>(
        &self,
        rules: &[R],
        path: Option<&Path>,
    ) -> Result<ResolvedConfig, ConfigError> {
        let mut out = ResolvedConfig {
            custom_rules: self.custom.clone(),
            fail_level: self.fail_level,
            disable_inline_ignores: self.disable_inline_ignores,
            ..ResolvedConfig::default()
        };
        let given: Vec<&RuleMeta> = rules.iter().map(Borrow::borrow).collect();
        // The configuration's own rules resolve like the given ones, and may not take their
        // names (a caller may pass them too: those are the same rules, not a collision).
        let own = |m: &RuleMeta| self.custom.iter().any(|r| std::ptr::eq(&r.meta, m));
        let others: Vec<&RuleMeta> = given.iter().copied().filter(|m| !own(m)).collect();
        check_against_builtin(&self.custom, &others).map_err(|e| self.custom_rule_error(&e))?;
        let mut metas = others;
        metas.extend(self.custom.iter().map(|r| &r.meta));
        let mut r = Resolver {
            unused_origins: BTreeMap::new(),
            config: self,
            rules: &metas,
            warnings: Vec::new(),
        };
        out.enabled = match &self.select {
            Some(sel) => r.ids(sel)?,
            None => metas
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
}

struct Resolver<'c, 'r, 'm> {
    config: &'c Config,
    rules: &'r [&'m RuleMeta],
    warnings: Vec<ConfigWarning>,
    /// hadolint setting -> the DL codes it configures that no rule implements.
    unused_origins: BTreeMap<String, BTreeSet<String>>,
}

impl<'m> Resolver<'_, '_, 'm> {
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

    /// IDs matched by `selectors`; an unknown selector is an error unless it is a foreign code
    /// (hadolint `DL`, ShellCheck `SC`, `buildkit:`), which is a warning.
    fn ids(&mut self, selectors: &[String]) -> Result<BTreeSet<String>, ConfigError> {
        let mut out = BTreeSet::new();
        for s in selectors {
            out.extend(self.matching(s)?.into_iter().map(|r| r.id.to_string()));
        }
        Ok(out)
    }

    fn matching(&mut self, selector: &str) -> Result<Vec<&'m RuleMeta>, ConfigError> {
        let found: Vec<&'m RuleMeta> = match Selector::parse(selector) {
            Some(s) => self
                .rules
                .iter()
                .copied()
                .filter(|r| s.matches(r))
                .collect(),
            None => Vec::new(),
        };
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
        match Selector::parse(selector) {
            Some(s) if s.is_broad(self.rules) => 0,
            _ => 1,
        }
    }

    /// Apply `rules:` entries: broad selectors first, then exact ones, each group in file order.
    /// Each option must be one that a selected rule declares, with a value of its type; a rule
    /// gets the options it declares.
    fn apply_rules(
        &mut self,
        table: &RuleTable,
        out: &mut ResolvedConfig,
    ) -> Result<(), ConfigError> {
        let mut entries: Vec<&(String, RuleSettings)> = table.0.iter().collect();
        entries.sort_by_key(|(k, _)| self.specificity(k));
        for (selector, settings) in entries {
            let matched = self.matching(selector)?;
            if let Some(opts) = &settings.options
                && !matched.is_empty()
            {
                self.check_options(selector, &matched, opts)?;
            }
            for rule in matched {
                let id = rule.id.to_string();
                if let Some(sev) = settings.severity {
                    out.severity.insert(id.clone(), sev);
                }
                if let Some(opts) = &settings.options {
                    let mut taken = opts.iter().filter(|(k, _)| rule.option(k).is_some());
                    if let Some(first) = taken.next() {
                        let slot = out.options.entry(id).or_default();
                        for (k, v) in std::iter::once(first).chain(taken) {
                            slot.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Every option key is declared by one of the `matched` rules and its value has the declared
    /// type. Errors point at the key, under the selector.
    fn check_options(
        &self,
        selector: &str,
        matched: &[&RuleMeta],
        opts: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), ConfigError> {
        for (key, value) in opts {
            let takers: Vec<&RuleMeta> = matched
                .iter()
                .copied()
                .filter(|r| r.option(key).is_some())
                .collect();
            if takers.is_empty() {
                let message = match matched {
                    [one] => one.unknown_option(key),
                    _ => format!(
                        "unknown option `{key}`: none of the rules `{selector}` selects takes it"
                    ),
                };
                return Err(self.option_error(selector, key, message));
            }
            for rule in takers {
                if let Some(spec) = rule.option(key)
                    && let Err(e) = rule.check_option(spec, value)
                {
                    return Err(self.option_error(selector, key, e.message));
                }
            }
        }
        Ok(())
    }

    /// An error at `key` as written under `selector`; for a hadolint file, at the setting the
    /// options came from.
    fn option_error(&self, selector: &str, key: &str, message: String) -> ConfigError {
        let text = &self.config.source;
        let (mut line, mut column) = locate_after(text, selector, key);
        if line == 0
            && let Some(origin) = self.config.origins.get(selector)
        {
            (line, column) = locate(text, origin);
        }
        ConfigError {
            file: self.config.path.clone(),
            line,
            column,
            message,
        }
    }
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
