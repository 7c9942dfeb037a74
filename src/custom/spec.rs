//! The YAML of custom rules, as written under `custom-rules:` in `.whittle.yaml` or in a rule
//! file listed under `rule-files:`. Unknown keys are errors that list the expected ones (serde
//! reports them with their line and column); what the keys mean is checked when the rules are
//! compiled ([`super::compile`]).

use crate::diagnostic::Severity;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A rule file (`rule-files:`): a team's rules, shared between repositories.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFile {
    #[serde(default)]
    pub custom_rules: Vec<CustomRuleSpec>,
}

/// One custom rule as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CustomRuleSpec {
    /// Capital letters then digits (`ACME001`); not `WH`, `DL` or `SC`, nor a built-in rule's
    /// alias.
    pub id: String,
    /// Kebab-case, unique (`approved-base-image`).
    pub name: String,
    /// `error`, `warning`, `info` or `style`; `warning` when absent.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// One of the categories (`security`, `correctness`, `image-size`, `build-cache`,
    /// `style`); `correctness` when absent.
    #[serde(default)]
    pub category: Option<String>,
    /// What a finding says; `{placeholders}` are filled from the match.
    pub message: String,
    /// Why it matters, for `whittle explain` and `whittle rules`.
    #[serde(default)]
    pub description: Option<String>,
    /// `false`: off unless selected (`--select ACME001`, `extend-select:`).
    #[serde(default = "yes")]
    pub enabled: bool,
    pub when: WhenSpec,
    #[serde(default)]
    pub fix: Option<FixSpec>,
    #[serde(default)]
    pub examples: ExamplesSpec,
}

fn yes() -> bool {
    true
}

/// What the rule looks for: exactly one of `from`, `run`, `missing`, `instruction`, limited to
/// the stages `stage` names.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WhenSpec {
    /// `any` (default), `final` (the stage that is the image) or `build` (every other stage).
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub from: Option<FromSpec>,
    #[serde(default)]
    pub run: Option<RunSpec>,
    #[serde(default)]
    pub missing: Option<MissingSpec>,
    /// Instructions of these kinds (`ENV`, `[ADD, MAINTAINER]`), where `regex` matches their
    /// arguments when given.
    #[serde(default)]
    pub instruction: Option<OneOrMany>,
    #[serde(default)]
    pub regex: Option<String>,
}

/// `FROM` images: globs over the image reference (as written after `ARG` expansion, and as
/// Docker resolves it: `debian` is `docker.io/library/debian:latest`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FromSpec {
    /// Report images that match (one of) these globs.
    #[serde(default)]
    pub image: Option<OneOrMany>,
    /// Report images that match none of these globs.
    #[serde(default)]
    pub not_image: Option<OneOrMany>,
}

/// A command run by a `RUN`, found by the shell parser (through `sudo`, `env`, `&&`, `;`,
/// pipes, subshells and `$(...)`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunSpec {
    /// The command's name (`curl`; a path's last component counts: `/usr/bin/curl`).
    pub command: OneOrMany,
    /// Report the command when none of these flags is given.
    #[serde(default)]
    pub missing_flag: Option<OneOrMany>,
    /// Report the command when one of these flags is given.
    #[serde(default)]
    pub has_flag: Option<OneOrMany>,
    /// Report the command when this matches its arguments (as written).
    #[serde(default)]
    pub args_regex: Option<String>,
}

/// A stage that lacks an instruction: none of the `instruction` kind (in the stage or the stages
/// it is built `FROM`) matches `regex`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MissingSpec {
    pub instruction: OneOrMany,
    #[serde(default)]
    pub regex: Option<String>,
}

/// What the fix does, and how far it can be trusted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FixSpec {
    /// (`run`) Add this flag after the command's name.
    #[serde(default)]
    pub add_flag: Option<String>,
    /// Replace what `regex` matches in the reported text (`$1` and `${name}` refer to groups).
    #[serde(default)]
    pub replace: Option<ReplaceSpec>,
    /// (`missing`) Add this instruction after the stage's `FROM`.
    #[serde(default)]
    pub add_line: Option<String>,
    /// `safe` (applied by `--fix`), `unsafe` (default: also needs `--unsafe-fixes`) or
    /// `display-only`.
    #[serde(default)]
    pub applicability: Option<String>,
    /// The fix's title; made from the action when absent.
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReplaceSpec {
    pub regex: String,
    pub with: String,
}

/// Dockerfiles the rule must report (`bad`) and must not (`good`); `fixed[i]` is what fixing
/// `bad[i]` gives. `whittle rules --test` runs them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExamplesSpec {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
    #[serde(default)]
    pub fixed: Vec<String>,
}

/// A string or a list of strings.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(transparent)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}
