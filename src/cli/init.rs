//! `whittle init`: write a starter `.whittle.yaml`, or convert a `.hadolint.yaml` into one.
//!
//! The conversion keeps what hadolint's file means: each DL code becomes the whittle rule that
//! implements it (the code stays in a comment), `override` becomes per-rule severities,
//! `trustedRegistries` and `label-schema` become those rules' options, `failure-threshold`
//! becomes `fail-level` (hadolint's default, `info`, is written out when the file has none:
//! whittle's default fails on every finding), `disable-ignore-pragma` becomes
//! `disable-inline-ignores`. Codes no whittle rule implements are listed in comments.

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::config::{Config, FailLevel, RuleSettings};
use crate::descriptor::{RuleMeta, Selector};
use crate::rules::all_rules;
use clap::Args;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  whittle init                       write .whittle.yaml here, with every key explained
  whittle init --from-hadolint       convert ./.hadolint.yaml (or .hadolint.yml)
  whittle init --from-hadolint ci/hadolint.yaml --stdout")]
pub struct InitArgs {
    /// Convert this hadolint configuration (default: .hadolint.yaml or .hadolint.yml in the
    /// directory)
    #[arg(long, value_name = "FILE")]
    #[allow(clippy::option_option)]
    pub from_hadolint: Option<Option<PathBuf>>,
    /// Print the configuration instead of writing it
    #[arg(long)]
    pub stdout: bool,
    /// Overwrite an existing .whittle.yaml
    #[arg(long)]
    pub force: bool,
    /// Where to write .whittle.yaml
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

pub fn run(args: InitArgs) -> u8 {
    let text = match &args.from_hadolint {
        None => STARTER.to_string(),
        Some(given) => {
            let path = if let Some(given) = given {
                given.clone()
            } else {
                match [".hadolint.yaml", ".hadolint.yml"]
                    .iter()
                    .map(|n| args.dir.join(n))
                    .find(|p| p.is_file())
                {
                    Some(p) => p,
                    None => {
                        eprintln!(
                            "whittle: error: no .hadolint.yaml or .hadolint.yml in {} (give the \
                             file: --from-hadolint FILE)",
                            args.dir.display()
                        );
                        return EXIT_ERROR;
                    }
                }
            };
            match convert_hadolint(&path) {
                Ok((text, warnings)) => {
                    for w in warnings {
                        eprintln!("whittle: warning: {w}");
                    }
                    text
                }
                Err(e) => {
                    eprintln!("whittle: error: {e}");
                    return EXIT_ERROR;
                }
            }
        }
    };
    if args.stdout {
        print!("{text}");
        return EXIT_CLEAN;
    }
    let target = args.dir.join(".whittle.yaml");
    if target.exists() && !args.force {
        eprintln!(
            "whittle: error: {} exists (--force overwrites it, --stdout prints the new one)",
            target.display()
        );
        return EXIT_ERROR;
    }
    if let Err(e) = std::fs::write(&target, &text) {
        eprintln!("whittle: error: cannot write {}: {e}", target.display());
        return EXIT_ERROR;
    }
    eprintln!("Wrote {}", target.display());
    EXIT_CLEAN
}

/// The starter configuration: the defaults, each key explained.
pub const STARTER: &str = "\
# whittle's configuration (every key is optional; the values below are the defaults).
# whittle check reads the nearest .whittle.yaml above each Dockerfile.
# Rules are named by ID (WH301), ID prefix (WH3), name (apt-lists-not-cleaned),
# hadolint code (DL3009) or category (security, correctness, image-size, build-cache,
# style, syntax). `whittle rules` lists them; `whittle explain WH301` shows one.

# Rules to run: the default set (select: [ALL] runs every rule).
# select: [ALL]
# Rules to run besides the default set.
extend-select: []
# Rules not to run.
ignore: []

# The least severe finding that makes `whittle check` fail:
# error, warning, info, style (every finding fails) or none.
fail-level: style

# Dockerfiles `whittle check DIR` leaves out (globs, relative to this file).
exclude: []

# Per-rule severity (error, warning, info, style) and options.
rules: {}
#   WH301: {severity: error}
#   trusted-base-images: {options: {registries: [registry.example.com]}}

# Apply these rules' unsafe fixes with plain --fix.
unsafe-fixes-as-safe: []

# true: `# whittle ignore=` and `# hadolint ignore=` comments are not honoured.
disable-inline-ignores: false

# Settings for some files only, applied in order.
overrides: []
#   - files: [\"**/*.dev.Dockerfile\"]
#     ignore: [WH130]
";

/// The whittle rules a selector names, or `None` when it names none.
fn resolve<'m>(selector: &str, metas: &[&'m RuleMeta]) -> Option<Vec<&'m RuleMeta>> {
    let s = Selector::parse(selector)?;
    let found: Vec<&RuleMeta> = metas.iter().copied().filter(|m| s.matches(m)).collect();
    (!found.is_empty()).then_some(found)
}

fn fail_level_name(f: FailLevel) -> &'static str {
    match f {
        FailLevel::Error => "error",
        FailLevel::Warning => "warning",
        FailLevel::Info => "info",
        FailLevel::Style => "style",
        FailLevel::None => "none",
    }
}

/// `.hadolint.yaml` at `path` as `.whittle.yaml` text, with the conversion's warnings.
pub fn convert_hadolint(path: &Path) -> Result<(String, Vec<String>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let config = Config::from_hadolint_str(&text, path).map_err(|e| e.to_string())?;
    let warnings: Vec<String> = config.warnings.iter().map(|w| w.to_string()).collect();
    let metas: Vec<&RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    let name = path.file_name().map_or(".hadolint.yaml".into(), |n| {
        n.to_string_lossy().into_owned()
    });
    let mut out = format!(
        "# Converted from {name} by `whittle init --from-hadolint`. hadolint's codes are in\n\
         # the comments; `# hadolint ignore=` comments in Dockerfiles keep working.\n\n"
    );
    let mut unimplemented: Vec<String> = Vec::new();
    let mut list = |key: &str, selectors: &[String], out: &mut String| {
        let mut lines = Vec::new();
        for s in selectors {
            match resolve(s, &metas) {
                Some(rules) => {
                    for r in rules {
                        lines.push(format!("  - {:<8}# {s} {}", r.id.as_str(), r.name.as_str()));
                    }
                }
                None => unimplemented.push(s.clone()),
            }
        }
        if !lines.is_empty() {
            let _ = writeln!(out, "{key}:");
            for l in lines {
                let _ = writeln!(out, "{l}");
            }
        }
    };
    list("extend-select", &config.extend_select, &mut out);
    list("ignore", &config.ignore, &mut out);

    match config.fail_level {
        Some(level) => {
            let _ = writeln!(
                out,
                "fail-level: {}   # hadolint's failure-threshold / no-fail",
                fail_level_name(level)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "fail-level: info   # hadolint's default (whittle's own default, style, fails on every finding)"
            );
        }
    }
    if config.disable_inline_ignores {
        let _ = writeln!(
            out,
            "disable-inline-ignores: true   # hadolint's disable-ignore-pragma"
        );
    }

    // `rules:`: per rule, the severity and the options, merged in file order.
    let mut table: Vec<(&RuleMeta, Vec<String>, RuleSettings)> = Vec::new();
    for (selector, settings) in &config.rules.0 {
        let Some(rules) = resolve(selector, &metas) else {
            unimplemented.push(selector.clone());
            continue;
        };
        for r in rules {
            let slot = match table.iter().position(|(m, _, _)| m.id == r.id) {
                Some(i) => &mut table[i],
                None => {
                    table.push((r, Vec::new(), RuleSettings::default()));
                    let last = table.len() - 1;
                    &mut table[last]
                }
            };
            if !slot.1.contains(selector) {
                slot.1.push(selector.clone());
            }
            if settings.severity.is_some() {
                slot.2.severity = settings.severity;
            }
            if let Some(opts) = &settings.options {
                let merged = slot.2.options.get_or_insert_with(Default::default);
                for (k, v) in opts {
                    merged.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if !table.is_empty() {
        let _ = writeln!(out, "rules:");
        for (meta, codes, settings) in table {
            let _ = writeln!(
                out,
                "  {}:   # {} {}",
                meta.id.as_str(),
                codes.join(", "),
                meta.name.as_str()
            );
            if let Some(sev) = settings.severity {
                let _ = writeln!(out, "    severity: {sev}");
            }
            if let Some(opts) = settings.options {
                let yaml = serde_yaml::to_string(&serde_json::Value::Object(opts))
                    .map_err(|e| format!("cannot write the options of {}: {e}", meta.id))?;
                let _ = writeln!(out, "    options:");
                for line in yaml.lines() {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    unimplemented.sort();
    unimplemented.dedup();
    if !unimplemented.is_empty() {
        let _ = writeln!(
            out,
            "\n# No whittle rule implements these hadolint checks: {}",
            unimplemented.join(", ")
        );
    }
    // What was written must read back.
    Config::from_str(&out, Path::new(".whittle.yaml"))
        .map_err(|e| format!("the converted configuration does not read back: {e}"))?;
    Ok((out, warnings))
}
