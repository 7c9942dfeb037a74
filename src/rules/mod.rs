//! The rule engine's vocabulary: what a rule is ([`Rule`], [`RuleMeta`]), what it reports through
//! ([`Context`]), and the registry of every rule ([`all_rules`]).
//!
//! Writing a rule: add `src/rules/<name>.rs` with a unit struct, a `static META: RuleMeta` whose
//! `doc` is `include_str!("../../rules/<ID>.md")`, and `impl Rule`; then add one line to
//! `registry.rs`. A rule is pure: it reads the parsed file (and its options) and reports through
//! the context; no I/O, no globals.
//!
//! ```
//! use whittle::diagnostic::Severity;
//! use whittle::fix::{Applicability, Edit};
//! use whittle::rules::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
//! use whittle::syntax::{Dockerfile, Keyword};
//!
//! pub struct RunCasing;
//!
//! static META: RuleMeta = RuleMeta {
//!     id: SharedStr::new("WH599"),
//!     name: SharedStr::new("run-not-upper-case"),
//!     category: Category::Style,
//!     severity: Severity::Style,
//!     fix: FixKind::Safe,
//!     aliases: &[],
//!     default_enabled: true,
//!     context: ContextUse::None,
//!     options: &[],
//!     doc: SharedStr::new(""), // a real rule: include_str!("../../rules/WH599.md")
//! };
//!
//! impl Rule for RunCasing {
//!     fn meta(&self) -> &'static RuleMeta {
//!         &META
//!     }
//!     fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
//!         for inst in &file.instructions {
//!             let written = file.text(inst.keyword_span);
//!             if inst.keyword == Keyword::Run && written != "RUN" {
//!                 cx.report(inst.keyword_span, format!("`{written}` is not upper case"))
//!                     .fix("Write `RUN`", Applicability::Safe, vec![Edit::replace(inst.keyword_span, "RUN")]);
//!             }
//!         }
//!     }
//! }
//!
//! // The engine runs it like this (lint() does it for every registered rule):
//! let file = whittle::syntax::parse("FROM alpine\nrun echo hi\n");
//! let settings = whittle::lint::Settings::default();
//! let semantic = std::cell::OnceCell::new();
//! let mut found = Vec::new();
//! RunCasing.check(&file, &mut Context::new(&file, &semantic, &META, &settings, &mut found));
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].rule_id, "WH599");
//! assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Safe));
//! ```

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::semantic::Semantic;
use crate::settings::Settings;
use crate::syntax::{Dockerfile, Span};
use serde::de::DeserializeOwned;
use std::cell::OnceCell;

pub use crate::descriptor::{
    Category, ContextUse, FixKind, OptionKind, OptionSpec, RuleMeta, SharedStr, is_kebab_case,
    is_valid_id,
};

mod registry;
pub mod syntax_errors;

pub use registry::{all_rules, find_rule, select};

// Helpers shared by rules that read RUN commands.
pub mod run_commands;
pub mod stage_split;

// One file per rule.
pub mod add_instead_of_copy;
pub mod add_url_without_checksum;
pub mod apk_version_not_pinned;
pub mod apk_without_no_cache;
pub mod apt_get_version_not_pinned;
pub mod apt_install_recommends;
pub mod apt_instead_of_apt_get;
pub mod apt_lists_not_cleaned;
pub mod build_toolchain_in_image;
pub mod cd_instead_of_workdir;
pub mod cleanup_in_separate_layer;
pub mod command_pointless_in_container;
pub mod consecutive_install_runs;
pub mod copy_archive_then_extract;
pub mod copy_before_dependency_install;
pub mod copy_from_later_stage;
pub mod copy_from_own_stage;
pub mod copy_multiple_sources_dest_not_dir;
pub mod copy_relative_dest_without_workdir;
pub mod copy_whole_filesystem_from_stage;
pub mod dev_dependencies_in_image;
pub mod dist_upgrade;
pub mod dnf_version_not_pinned;
pub mod downloaded_archive_not_removed;
pub mod empty_continuation_line;
pub mod env_self_reference;
pub mod expose_port_out_of_range;
pub mod gem_docs_installed;
pub mod gem_version_not_pinned;
pub mod go_install_version_not_pinned;
pub mod heavy_base_image;
pub mod image_latest_tag;
pub mod image_without_tag;
pub mod inline_ignore_pragma;
pub mod install_without_yes;
pub mod instruction_before_from;
pub mod invalid_flag;
pub mod invalid_parser_directive;
pub mod label_empty;
pub mod label_key_invalid;
pub mod label_missing;
pub mod label_not_email;
pub mod label_not_git_hash;
pub mod label_not_rfc3339;
pub mod label_not_semver;
pub mod label_not_spdx;
pub mod label_not_url;
pub mod label_schema;
pub mod label_superfluous;
pub mod label_values;
pub mod last_user_root;
pub mod missing_healthcheck;
pub mod no_cache_mount;
pub mod non_numeric_user;
pub mod npm_install_with_lockfile;
pub mod npm_version_not_pinned;
pub mod package_cache_not_cleaned;
pub mod package_signature_check_disabled;
pub mod password_set_in_image;
pub mod pip_cache_not_disabled;
pub mod pip_version_not_pinned;
pub mod pipe_without_pipefail;
pub mod remote_script_piped_to_shell;
pub mod runs_as_root;
pub mod shell_parse_error;
pub mod ssh_port_exposed;
pub mod sudo_in_run;
pub mod symlink_instead_of_shell;
pub mod tls_verification_disabled;
pub mod unknown_instruction;
pub mod unparseable_instruction;
pub mod unterminated_heredoc;
pub mod untrusted_registry;
pub mod unused_suppression;
pub mod update_in_separate_run;
pub mod useradd_high_uid_without_l;
pub mod version_pinning;
pub mod wget_and_curl;
pub mod wget_without_progress;
pub mod workdir_system_directory;
pub mod wrong_number_of_arguments;
pub mod yum_version_not_pinned;
pub mod zypper_version_not_pinned;

// Rules that read the build context (silent without one).
pub mod copy_all_without_dockerignore;
pub mod copy_ignored_file;
pub mod secret_sent_by_copy;

// Docker's build checks (`docker build --check`) and their helpers.
pub mod constant_from_platform;
pub mod duplicate_stage_name;
pub mod expose_host_mapping;
pub mod expose_ports;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod image_reference;
pub mod inconsistent_instruction_casing;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_cmd_entrypoint_healthcheck;
pub mod redundant_target_platform;
pub mod relative_workdir;
pub mod reserved_stage_name;
pub mod secret_in_arg_or_env;
pub mod shell_form_cmd;
pub mod stage_name_casing;
pub mod sub_span;
pub mod undefined_arg_in_from;
pub mod undefined_variable;

/// A rule shows as its ID (for the `Debug` of the settings that hold selected rules).
impl std::fmt::Debug for dyn Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.meta().id)
    }
}

/// A check. Rules see the whole parsed file and report through the context.
pub trait Rule: Sync {
    /// The rule's descriptor (built-in rules return a `static`).
    fn meta(&self) -> &RuleMeta;
    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>);
}

/// What a rule reports through. The context stamps the rule's ID, name and effective severity
/// on every diagnostic and keeps fixes within the rule's declared [`FixKind`].
pub struct Context<'a> {
    file: &'a Dockerfile,
    /// Built on first use and shared by every rule run on the same file.
    semantic: &'a OnceCell<Semantic>,
    meta: &'a RuleMeta,
    severity: Severity,
    settings: &'a Settings,
    build_context: Option<&'a crate::build_context::BuildContext>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub fn new(
        file: &'a Dockerfile,
        semantic: &'a OnceCell<Semantic>,
        meta: &'a RuleMeta,
        settings: &'a Settings,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Context {
            file,
            semantic,
            meta,
            severity: settings.severity_of(meta),
            settings,
            build_context: settings.build_context.as_deref(),
            diagnostics,
        }
    }

    /// The same context reading `build_context` instead of the settings' own.
    pub fn with_build_context(self, build_context: &'a crate::build_context::BuildContext) -> Self {
        Context {
            build_context: Some(build_context),
            ..self
        }
    }

    pub fn meta(&self) -> &'a RuleMeta {
        self.meta
    }

    /// The semantic model of the file (stages, scopes, effective SHELL/USER/WORKDIR), computed
    /// once per file for all rules.
    pub fn semantic(&self) -> &'a Semantic {
        self.semantic.get_or_init(|| Semantic::new(self.file))
    }

    pub fn settings(&self) -> &Settings {
        self.settings
    }

    /// The build context snapshot, when the caller provided one (not for stdin).
    pub fn build_context(&self) -> Option<&'a crate::build_context::BuildContext> {
        self.build_context
    }

    /// This rule's options from the configuration, or `T::default()` when there are none or
    /// they do not deserialize (the config layer validates them before linting).
    pub fn options<T: DeserializeOwned + Default>(&self) -> T {
        self.settings
            .options_for(self.meta)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// Report a problem at `span`. Add a fix with the returned builder.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> ReportBuilder<'_> {
        self.diagnostics.push(Diagnostic {
            rule_id: self.meta.id.clone(),
            rule_name: self.meta.name.clone(),
            severity: self.severity,
            span,
            message: message.into(),
            fix: None,
        });
        ReportBuilder {
            meta: self.meta,
            promote: self.settings.promotes_unsafe_fixes(self.meta),
            diagnostic: self.diagnostics.last_mut(),
        }
    }
}

/// Adds a fix to the diagnostic just reported.
pub struct ReportBuilder<'c> {
    meta: &'c RuleMeta,
    promote: bool,
    diagnostic: Option<&'c mut Diagnostic>,
}

impl ReportBuilder<'_> {
    /// Attach a fix. Its applicability is capped at the rule's [`FixKind`] (a rule declared
    /// `FixKind::None` gets no fix), and raised from unsafe to safe when the configuration
    /// promotes this rule's unsafe fixes. A fix without edits is dropped.
    pub fn fix(self, title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) {
        let Some(max) = self.meta.fix.max_applicability() else {
            return;
        };
        let Some(d) = self.diagnostic else {
            return;
        };
        if edits.is_empty() {
            return;
        }
        let mut applicability = applicability.min(max);
        if self.promote && applicability == Applicability::Unsafe {
            applicability = Applicability::Safe;
        }
        d.fix = Some(Fix::new(title, applicability, edits));
    }

    pub fn safe_fix(self, title: impl Into<String>, edits: Vec<Edit>) {
        self.fix(title, Applicability::Safe, edits)
    }

    pub fn unsafe_fix(self, title: impl Into<String>, edits: Vec<Edit>) {
        self.fix(title, Applicability::Unsafe, edits)
    }

    pub fn display_only_fix(self, title: impl Into<String>, edits: Vec<Edit>) {
        self.fix(title, Applicability::DisplayOnly, edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_well_formed() {
        let rules = all_rules();
        assert!(!rules.is_empty());
        for pair in rules.windows(2) {
            if let [a, b] = pair {
                assert!(
                    a.meta().id < b.meta().id,
                    "{} before {}",
                    a.meta().id,
                    b.meta().id
                );
            }
        }
        let mut names: Vec<&str> = rules.iter().map(|r| r.meta().name.as_str()).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "rule names are unique");
        for r in rules {
            let m = r.meta();
            assert!(is_valid_id(&m.id), "{}", m.id);
            assert!(is_kebab_case(&m.name), "{}", m.name);
            assert_eq!(
                m.id.as_bytes()[2] - b'0',
                m.category.digit(),
                "{}: the hundreds digit is the category",
                m.id
            );
            assert!(find_rule(&m.id).is_some());
            assert!(find_rule(&m.name).is_some());
        }
    }

    struct Demo;
    static DEMO: RuleMeta = RuleMeta {
        id: SharedStr::new("WH599"),
        name: SharedStr::new("demo"),
        category: Category::Style,
        severity: Severity::Style,
        fix: FixKind::Unsafe,
        aliases: &["DL9999"],
        default_enabled: true,
        context: ContextUse::None,
        options: &[],
        doc: SharedStr::new(""),
    };
    impl Rule for Demo {
        fn meta(&self) -> &'static RuleMeta {
            &DEMO
        }
        fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
            cx.report(Span::new(0, 1), "first")
                .safe_fix("claims too much", vec![Edit::replace(Span::new(0, 1), "x")]);
            cx.report(Span::new(2, 3), "second");
        }
    }

    #[test]
    fn context_stamps_the_rule_and_caps_fixes() {
        let file = crate::syntax::parse("abc");
        let mut settings = Settings::default();
        settings.severity.insert("WH599".into(), Severity::Error);
        let mut out = Vec::new();
        let semantic = OnceCell::new();
        Demo.check(
            &file,
            &mut Context::new(&file, &semantic, &DEMO, &settings, &mut out),
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].rule_id, "WH599");
        assert_eq!(out[0].rule_name, "demo");
        assert_eq!(out[0].severity, Severity::Error);
        assert_eq!(
            out[0].fix.as_ref().map(|f| f.applicability),
            Some(Applicability::Unsafe)
        );
        assert!(out[1].fix.is_none());
        assert!(DEMO.is_named("dl9999"));
        assert!(DEMO.is_named("Demo"));
    }
}
