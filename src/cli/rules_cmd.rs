//! `whittle rules` (every rule, as a table or JSON) and `whittle explain <rule>` (its page).

use crate::descriptor::{ContextUse, RuleMeta};
use crate::rules::{all_rules, find_rule};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;

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
#[command(after_help = "Examples:\n  whittle rules\n  whittle rules --format json")]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  whittle explain WH301\n  whittle explain apt-lists-not-cleaned\n  whittle explain DL3009"
)]
pub struct ExplainArgs {
    /// A rule ID, name or alias (hadolint `DLxxxx`, `buildkit:Name`)
    pub rule: String,
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

fn rows() -> Vec<RuleRow<'static>> {
    all_rules().iter().map(|r| row(r.meta())).collect()
}

pub fn run_rules(args: RulesArgs) -> u8 {
    let rows = rows();
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

pub fn run_explain(args: ExplainArgs) -> u8 {
    match find_rule(&args.rule) {
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
