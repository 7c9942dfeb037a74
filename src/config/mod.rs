//! Configuration: `.whittle.yaml`, and `.hadolint.yaml` read as the same [`Config`] so hadolint
//! users switch with no edits.
//!
//! ```yaml
//! select: [WH3, security]          # rules to run (default: every rule enabled by default)
//! extend-select: [WH599]           # added to the default set (or to `select`)
//! ignore: [DL3008, apt-lists-not-cleaned]
//! fail-level: warning              # error | warning | info | style | none
//! exclude: ["vendor/**", "*.generated.Dockerfile"]
//! rules:
//!   WH301: {severity: info}
//!   untrusted-registry: {options: {trusted-registries: [docker.io]}}
//! unsafe-fixes-as-safe: [WH302]    # apply these rules' unsafe fixes with plain --fix
//! disable-inline-ignores: false    # true: `# whittle ignore=` pragmas are not honoured
//! overrides:
//!   - files: ["**/*.dev.Dockerfile"]
//!     ignore: [WH101]
//! ```
//!
//! A selector is a rule ID (`WH301`), an ID prefix (`WH3`, `WH`), `ALL`, a rule name
//! (`apt-lists-not-cleaned`), an alias (`DL3009`, `buildkit:StageNameCasing`) or a category
//! (`image-size`), ASCII case ignored ([`crate::descriptor::Selector`]). Selectors are resolved
//! against the rule descriptors the caller passes to [`Config::resolve`], so this module does not
//! depend on the rules; a rule's options are checked against the options its descriptor declares.
//!
//! Discovery ([`ConfigFinder`]): the nearest ancestor directory of a linted file that holds
//! `.whittle.yaml`, `.whittle.yml`, `.hadolint.yaml` or `.hadolint.yml` (in that order within one
//! directory); `--config FILE` ([`Config::load`]) overrides it. Globs (`exclude`, `overrides`)
//! are relative to the configuration file's directory.
//!
//! This module reads files but never touches the process environment.
//!
//! One file per concern: [`schema`] (the file's keys and reading them), [`resolve`] (selectors
//! and options against the rule descriptors), [`discovery`] (which file applies to a path),
//! [`hadolint`] (`.hadolint.yaml` as a [`Config`]), [`glob`] (the path patterns), [`error`].

pub mod discovery;
pub mod error;
mod glob;
pub mod hadolint;
pub mod resolve;
pub mod schema;

pub use crate::diagnostic::Severity;
pub use discovery::{CONFIG_FILE_NAMES, ConfigFinder};
pub use error::{ConfigError, ConfigWarning};
pub use resolve::ResolvedConfig;
pub use schema::{Config, ConfigFormat, FailLevel, Override, RuleSettings, RuleTable};
