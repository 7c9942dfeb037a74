//! `.hadolint.yaml` read as a [`Config`]: DL codes stay selectors and resolve through the rules'
//! aliases; `trustedRegistries` and `label-schema` become the options of the rules that implement
//! those checks; settings whittle does not use are warnings.

use super::error::{ConfigError, ConfigWarning, locate, yaml_error};
use super::schema::{Config, ConfigFormat, FailLevel, RuleSettings, is_empty_yaml};
use crate::diagnostic::Severity;
use serde_yaml::Value;
use std::path::Path;

impl Config {
    /// Parse `.hadolint.yaml` text into the same configuration. DL codes stay selectors and
    /// resolve through the rule aliases.
    pub fn from_hadolint_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        if !is_empty_yaml(text) {
            let value: serde_yaml::Value =
                serde_yaml::from_str(text).map_err(|e| yaml_error(path, &e))?;
            convert(&value, text, path, &mut config)?;
        }
        config.finish(text, path, ConfigFormat::Hadolint)?;
        Ok(config)
    }
}

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

fn convert(value: &Value, text: &str, path: &Path, config: &mut Config) -> Result<(), ConfigError> {
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
