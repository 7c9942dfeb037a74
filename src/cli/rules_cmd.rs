//! `whittle rules` (every rule, as a table or JSON; `--test` runs the custom rules' examples)
//! and `whittle explain <rule>` (its page). Both read the configuration that applies to the
//! current directory (or `--config FILE`), so the custom rules it defines are listed and
//! explained like the built-in ones.

use crate::config::{Config, ConfigFinder};
use crate::descriptor::{ContextUse, RuleMeta};
use crate::lint::{RuleRef, check_examples, registry};
use crate::rules::all_rules;
use crate::settings::Settings;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Print to stdout; a closed pipe (`whittle rules | head`) is not an error worth a panic.
fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  whittle rules
  whittle rules --format json
  whittle rules --test                 run the examples of the custom rules (exit 1 if one fails)
  whittle rules --test --config team-rules.yaml

Custom rules come from the configuration that applies to the current directory
(.whittle.yaml, with its rule-files), or from --config.")]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// Run every custom rule's `examples:` (bad ones must be reported, good ones not, fixing a
    /// bad one must give its `fixed` text)
    #[arg(long)]
    pub test: bool,
    /// The configuration whose custom rules to list or test, instead of the nearest one
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  whittle explain WH301\n  whittle explain apt-lists-not-cleaned\n  whittle explain DL3009"
)]
pub struct ExplainArgs {
    /// A rule ID, name or alias (hadolint `DLxxxx`, `buildkit:Name`), or a custom rule's
    pub rule: String,
    /// The configuration that defines the custom rules, instead of the nearest one
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The settings with the custom rules of `--config FILE`, or of the configuration that applies
/// to the current directory (none: the built-in rules only). The configuration is resolved, so
/// a custom rule that takes a built-in rule's name is reported here too.
fn settings_with_custom_rules(config: Option<&Path>, command: &str) -> Result<Settings, u8> {
    let found = match config {
        Some(path) => Config::load(path).map(|c| Some(std::sync::Arc::new(c))),
        None => ConfigFinder::new().find(Path::new(".")),
    };
    let found = found.map_err(|e| {
        eprintln!("whittle {command}: error: configuration: {e}");
        super::EXIT_ERROR
    })?;
    let Some(config) = found else {
        return Ok(Settings::default());
    };
    let metas: Vec<&RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    let resolved = config.resolve(&metas).map_err(|e| {
        eprintln!("whittle {command}: error: configuration: {e}");
        super::EXIT_ERROR
    })?;
    Ok(Settings {
        custom_rules: resolved.custom_rules,
        ..Settings::default()
    })
}

#[derive(Serialize)]
struct RuleRow<'m> {
    id: &'m str,
    name: &'m str,
    category: &'static str,
    severity: &'static str,
    fix: &'static str,
    default_enabled: bool,
    aliases: &'static [&'static str],
    /// What of the build context the rule reads (`none`, `ignore-file`, ...).
    context: ContextUse,
    options: Vec<OptionRow>,
}

/// An option as the docs list it.
#[derive(Serialize)]
struct OptionRow {
    name: &'static str,
    #[serde(rename = "type")]
    kind: String,
    default: serde_json::Value,
    doc: &'static str,
}

fn row(m: &RuleMeta) -> RuleRow<'_> {
    RuleRow {
        id: &m.id,
        name: &m.name,
        category: m.category.as_str(),
        severity: m.severity.as_str(),
        fix: m.fix.as_str(),
        default_enabled: m.default_enabled,
        aliases: m.aliases,
        context: m.context,
        options: m
            .options
            .iter()
            .map(|o| OptionRow {
                name: o.name,
                kind: o.kind.describe(),
                default: serde_json::from_str(o.default).unwrap_or(serde_json::Value::Null),
                doc: o.doc,
            })
            .collect(),
    }
}

pub fn run_rules(args: RulesArgs) -> u8 {
    let settings = match settings_with_custom_rules(args.config.as_deref(), "rules") {
        Ok(s) => s,
        Err(code) => return code,
    };
    if args.test {
        return test_custom_rules(&settings);
    }
    let rules: Vec<RuleRef> = registry(&settings).collect();
    let rows: Vec<RuleRow<'_>> = rules.iter().map(|r| row(r.meta())).collect();
    match args.format {
        RulesFormat::Json => match serde_json::to_string_pretty(&rows) {
            Ok(s) => emit(&(s + "\n")),
            Err(e) => {
                eprintln!("whittle rules: {e}");
                return super::EXIT_ERROR;
            }
        },
        RulesFormat::Table => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{:<6} {:<38} {:<12} {:<8} {:<12} aliases",
                "id", "name", "category", "severity", "fix"
            );
            for r in rows {
                let name = if r.default_enabled {
                    r.name.to_string()
                } else {
                    format!("{} (off)", r.name)
                };
                let _ = writeln!(
                    out,
                    "{:<6} {:<38} {:<12} {:<8} {:<12} {}",
                    r.id,
                    name,
                    r.category,
                    r.severity,
                    r.fix,
                    r.aliases.join(", ")
                );
            }
            emit(&out);
        }
    }
    super::EXIT_CLEAN
}

/// `whittle rules --test`: each custom rule's examples; exit 1 when one fails.
fn test_custom_rules(settings: &Settings) -> u8 {
    if settings.custom_rules.is_empty() {
        eprintln!("whittle rules --test: the configuration defines no custom rules");
        return super::EXIT_CLEAN;
    }
    let mut out = String::new();
    let mut failed = 0;
    for rule in settings.custom_rules.iter() {
        let report = check_examples(rule);
        let m = &rule.meta;
        let counts = format!(
            "{} bad, {} good, {} fixed",
            report.bad, report.good, report.fixed
        );
        if !report.failures.is_empty() {
            failed += 1;
            let _ = writeln!(out, "FAIL {} {} ({counts})", m.id, m.name);
            for f in &report.failures {
                let _ = writeln!(out, "  {f}");
            }
        } else if report.bad + report.good == 0 {
            let _ = writeln!(out, "none {} {}: no examples", m.id, m.name);
        } else {
            let _ = writeln!(out, "ok   {} {} ({counts})", m.id, m.name);
        }
    }
    let total = settings.custom_rules.len();
    let _ = writeln!(
        out,
        "{} of {total} custom rules passed their examples",
        total - failed
    );
    emit(&out);
    if failed > 0 {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_CLEAN
    }
}

pub fn run_explain(args: ExplainArgs) -> u8 {
    let settings = match settings_with_custom_rules(args.config.as_deref(), "explain") {
        Ok(s) => s,
        Err(code) => return code,
    };
    match crate::lint::find_rule_in(&settings, &args.rule) {
        Some(rule) => {
            emit(&rule.meta().doc);
            super::EXIT_CLEAN
        }
        None => {
            eprintln!(
                "whittle explain: no rule is named `{}` (see `whittle rules`)",
                args.rule
            );
            super::EXIT_ERROR
        }
    }
}
