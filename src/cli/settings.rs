//! The lint settings for one file: the nearest `.whittle.yaml` / `.whittle.yml`, or else
//! `.hadolint.yaml` / `.hadolint.yml` (read through the rules' aliases, so hadolint users switch
//! with no edits), resolved against the registry. Files without a configuration get the defaults.

use crate::config::{ConfigError, ConfigFinder, RuleInfo};
use crate::lint::Settings;
use crate::rules::all_rules;
use std::path::Path;

/// The registry as the configuration layer sees it.
fn rule_infos() -> Vec<RuleInfo<'static>> {
    all_rules()
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleInfo {
                id: m.id,
                name: m.name,
                aliases: m.aliases,
                category: m.category.as_str(),
                default_enabled: m.default_enabled,
            }
        })
        .collect()
}

/// Settings for the file at `path` (defaults when no configuration applies). Configuration
/// warnings (hadolint codes whittle does not implement) are returned for the caller to print.
pub fn settings_for(
    finder: &ConfigFinder,
    path: &Path,
) -> Result<(Settings, Vec<String>), ConfigError> {
    let Some(config) = finder.find(path)? else {
        return Ok((Settings::default(), Vec::new()));
    };
    let resolved = config.resolve_for(path, &rule_infos())?;
    let settings = Settings {
        enabled: Some(resolved.enabled.iter().cloned().collect()),
        severity: resolved
            .severity
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        options: resolved
            .options
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::Object(v.clone())))
            .collect(),
        promote_unsafe_fixes: resolved.unsafe_fixes_as_safe.iter().cloned().collect(),
        ..Settings::default()
    };
    let warnings = resolved.warnings.iter().map(|w| w.to_string()).collect();
    Ok((settings, warnings))
}
