//! What to run and how: the [`Settings`] one lint run reads, resolved from the configuration and
//! the command line. Plain data about rules, read through their descriptors.

use crate::custom::CustomRules;
use crate::descriptor::RuleMeta;
use crate::diagnostic::Severity;
use std::collections::{BTreeSet, HashMap};

/// What to run and how. Plain data: the configuration layer (`.whittle.yaml`) resolves rule
/// names, aliases and categories into these rule IDs. Keys may be a rule's ID or its name.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// When set, exactly these rules run; otherwise every rule that is on by default.
    pub enabled: Option<BTreeSet<String>>,
    /// Rules that never run (applied after `enabled`).
    pub disabled: BTreeSet<String>,
    /// Severity overrides.
    pub severity: HashMap<String, Severity>,
    /// Per-rule options (each rule deserializes its own).
    pub options: HashMap<String, serde_json::Value>,
    /// Rules whose unsafe fixes are applied as safe ones.
    pub promote_unsafe_fixes: BTreeSet<String>,
    /// The build context, when known (the CLI takes the snapshot; the rules that need it are
    /// silent without it).
    pub build_context: Option<std::sync::Arc<crate::build_context::BuildContext>>,
    /// Ignore the file's inline pragmas (`# whittle ignore=`, `# hadolint ignore=`): the config's
    /// `disable-inline-ignores` (hadolint's `disable-ignore-pragma`), for teams that want every
    /// exception in the reviewed config file. BuildKit's `# check=skip=` directive still applies:
    /// it is part of how BuildKit builds the file, not a linter pragma.
    pub ignore_inline_pragmas: bool,
    /// The rules the configuration defines (`custom-rules:`, `rule-files:`), run beside the
    /// built-in ones and selected, configured and suppressed the same way.
    pub custom_rules: CustomRules,
}

impl Settings {
    /// Only the given rules (IDs or names), all others off.
    pub fn only<I, S>(rules: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Settings {
            enabled: Some(rules.into_iter().map(Into::into).collect()),
            ..Settings::default()
        }
    }

    fn lookup<'s, V>(map: &'s HashMap<String, V>, meta: &RuleMeta) -> Option<&'s V> {
        map.get(meta.id.as_str())
            .or_else(|| map.get(meta.name.as_str()))
    }

    fn in_set(set: &BTreeSet<String>, meta: &RuleMeta) -> bool {
        // Asked for every rule of every file; the disabled and promoted sets are usually empty.
        !set.is_empty() && (set.contains(meta.id.as_str()) || set.contains(meta.name.as_str()))
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let on = match &self.enabled {
            Some(set) => Self::in_set(set, meta),
            None => meta.default_enabled,
        };
        on && !Self::in_set(&self.disabled, meta)
    }

    pub fn severity_of(&self, meta: &RuleMeta) -> Severity {
        Self::lookup(&self.severity, meta)
            .copied()
            .unwrap_or(meta.severity)
    }

    pub fn options_for(&self, meta: &RuleMeta) -> Option<&serde_json::Value> {
        Self::lookup(&self.options, meta)
    }

    pub fn promotes_unsafe_fixes(&self, meta: &RuleMeta) -> bool {
        Self::in_set(&self.promote_unsafe_fixes, meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diagnostic::Severity;

    static META: std::sync::LazyLock<RuleMeta> = std::sync::LazyLock::new(|| RuleMeta {
        severity: Severity::Info,
        default_enabled: false,
        ..RuleMeta::new("WH598", "sample-rule")
    });

    #[test]
    fn settings_resolve_by_id_or_name() {
        let mut s = Settings::default();
        assert!(!s.is_enabled(&META), "off by default");
        s.enabled = Some(["sample-rule".to_string()].into());
        assert!(s.is_enabled(&META));
        s.disabled.insert("WH598".into());
        assert!(!s.is_enabled(&META));
        s.severity.insert("sample-rule".into(), Severity::Error);
        assert_eq!(s.severity_of(&META), Severity::Error);
        assert_eq!(Settings::default().severity_of(&META), Severity::Info);
        s.options
            .insert("WH598".into(), serde_json::json!({"max": 3}));
        assert_eq!(s.options_for(&META).unwrap()["max"], 3);
        assert!(Settings::only(["WH598"]).is_enabled(&META));
    }
}
