//! The rule engine's vocabulary: what a rule is ([`Rule`], described by a [`RuleMeta`]), what it
//! reports through ([`Context`]), and the registry of every built-in rule ([`all_rules`]).
//!
//! Writing a rule: add `src/rules/<name>.rs` with a unit struct, a `static META: RuleMeta` whose
//! `doc` is `SharedStr::new(include_str!("../../rules/<ID>.md"))`, and `impl Rule`; then add its
//! line `<name>::<Struct>,` to the `rules!` list below, in ID order. Code shared by several rules
//! lives in [`helpers`]: every file at the top of this directory is a rule. A rule is pure: it
//! reads the parsed file (and its options) and reports through the context; no I/O, no globals.
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

use crate::descriptor::Selector;
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

/// Declares each rule's module and registers the rule, in ID order: `module::RuleStruct,` is
/// the one line a rule needs here. A test checks that every file of this directory is registered
/// and has its page.
macro_rules! rules {
    ($($module:ident :: $rule:ident,)*) => {
        $(pub mod $module;)*

        static RULES: &[&dyn Rule] = &[$(&$module::$rule),*];

        /// The module of each rule, in [`RULES`] order (for the test that every file is a rule).
        #[cfg(test)]
        const MODULES: &[&str] = &[$(stringify!($module)),*];
    };
}

rules! {
    unparseable_instruction::UnparseableInstruction,                       // WH001
    unknown_instruction::UnknownInstruction,                               // WH002
    invalid_flag::InvalidFlag,                                             // WH003
    wrong_number_of_arguments::WrongNumberOfArguments,                     // WH004
    instruction_before_from::InstructionBeforeFrom,                        // WH005
    unterminated_heredoc::UnterminatedHeredoc,                             // WH006
    invalid_parser_directive::InvalidParserDirective,                      // WH007
    empty_continuation_line::EmptyContinuationLine,                        // WH008
    shell_parse_error::ShellParseError,                                    // WH009
    secret_in_arg_or_env::SecretInArgOrEnv,                                // WH101
    untrusted_registry::UntrustedRegistry,                                 // WH110
    tls_verification_disabled::TlsVerificationDisabled,                    // WH112
    package_signature_check_disabled::PackageSignatureCheckDisabled,       // WH113
    password_set_in_image::PasswordSetInImage,                             // WH114
    remote_script_piped_to_shell::RemoteScriptPipedToShell,                // WH115
    sudo_in_run::SudoInRun,                                                // WH116
    ssh_port_exposed::SshPortExposed,                                      // WH117
    missing_healthcheck::MissingHealthcheck,                               // WH118
    non_numeric_user::NonNumericUser,                                      // WH119
    runs_as_root::RunsAsRoot,                                              // WH130
    add_url_without_checksum::AddUrlWithoutChecksum,                       // WH131
    last_user_root::LastUserRoot,                                          // WH132
    secret_sent_by_copy::SecretSentByCopy,                                 // WH150
    duplicate_stage_name::DuplicateStageName,                              // WH201
    reserved_stage_name::ReservedStageName,                                // WH202
    undefined_arg_in_from::UndefinedArgInFrom,                             // WH203
    invalid_default_arg_in_from::InvalidDefaultArgInFrom,                  // WH204
    undefined_variable::UndefinedVariable,                                 // WH205
    relative_workdir::RelativeWorkdir,                                     // WH206
    multiple_cmd_entrypoint_healthcheck::MultipleCmdEntrypointHealthcheck, // WH207
    shell_form_cmd::ShellFormCmd,                                          // WH208
    expose_host_mapping::ExposeHostMapping,                                // WH209
    constant_from_platform::ConstantFromPlatform,                          // WH210
    copy_ignored_file::CopyIgnoredFile,                                    // WH211
    expose_port_out_of_range::ExposePortOutOfRange,                        // WH212
    copy_multiple_sources_dest_not_dir::CopyMultipleSourcesDestNotDir,     // WH213
    copy_from_later_stage::CopyFromLaterStage,                             // WH214
    copy_from_own_stage::CopyFromOwnStage,                                 // WH215
    env_self_reference::EnvSelfReference,                                  // WH217
    copy_relative_dest_without_workdir::CopyRelativeDestWithoutWorkdir,    // WH218
    workdir_system_directory::WorkdirSystemDirectory,                      // WH219
    install_without_yes::InstallWithoutYes,                                // WH230
    apt_instead_of_apt_get::AptInsteadOfAptGet,                            // WH231
    update_in_separate_run::UpdateInSeparateRun,                           // WH232
    add_instead_of_copy::AddInsteadOfCopy,                                 // WH233
    npm_install_with_lockfile::NpmInstallWithLockfile,                     // WH234
    image_without_tag::ImageWithoutTag,                                    // WH250
    image_latest_tag::ImageLatestTag,                                      // WH251
    apt_get_version_not_pinned::AptGetVersionNotPinned,                    // WH252
    apk_version_not_pinned::ApkVersionNotPinned,                           // WH253
    pip_version_not_pinned::PipVersionNotPinned,                           // WH254
    npm_version_not_pinned::NpmVersionNotPinned,                           // WH255
    gem_version_not_pinned::GemVersionNotPinned,                           // WH256
    go_install_version_not_pinned::GoInstallVersionNotPinned,              // WH257
    yum_version_not_pinned::YumVersionNotPinned,                           // WH258
    dnf_version_not_pinned::DnfVersionNotPinned,                           // WH259
    zypper_version_not_pinned::ZypperVersionNotPinned,                     // WH260
    cd_instead_of_workdir::CdInsteadOfWorkdir,                             // WH262
    pipe_without_pipefail::PipeWithoutPipefail,                            // WH263
    command_pointless_in_container::CommandPointlessInContainer,           // WH265
    dist_upgrade::DistUpgrade,                                             // WH267
    symlink_instead_of_shell::SymlinkInsteadOfShell,                       // WH268
    apt_lists_not_cleaned::AptListsNotCleaned,                             // WH301
    apt_install_recommends::AptInstallRecommends,                          // WH302
    pip_cache_not_disabled::PipCacheNotDisabled,                           // WH303
    cleanup_in_separate_layer::CleanupInSeparateLayer,                     // WH304
    apk_without_no_cache::ApkWithoutNoCache,                               // WH305
    package_cache_not_cleaned::PackageCacheNotCleaned,                     // WH306
    build_toolchain_in_image::BuildToolchainInImage,                       // WH307
    heavy_base_image::HeavyBaseImage,                                      // WH308
    gem_docs_installed::GemDocsInstalled,                                  // WH309
    downloaded_archive_not_removed::DownloadedArchiveNotRemoved,           // WH310
    dev_dependencies_in_image::DevDependenciesInImage,                     // WH311
    download_tool_in_image::DownloadToolInImage,                           // WH312
    copy_all_without_dockerignore::CopyAllWithoutDockerignore,             // WH350
    copy_archive_then_extract::CopyArchiveThenExtract,                     // WH351
    copy_whole_filesystem_from_stage::CopyWholeFilesystemFromStage,        // WH352
    useradd_high_uid_without_l::UseraddHighUidWithoutL,                    // WH353
    wget_and_curl::WgetAndCurl,                                            // WH354
    copy_before_dependency_install::CopyBeforeDependencyInstall,           // WH401
    no_cache_mount::NoCacheMount,                                          // WH402
    consecutive_install_runs::ConsecutiveInstallRuns,                      // WH403
    run_after_source_copy::RunAfterSourceCopy,                             // WH404
    stage_name_casing::StageNameCasing,                                    // WH501
    from_as_casing::FromAsCasing,                                          // WH502
    inconsistent_instruction_casing::InconsistentInstructionCasing,        // WH503
    maintainer_deprecated::MaintainerDeprecated,                           // WH504
    legacy_key_value_format::LegacyKeyValueFormat,                         // WH505
    expose_proto_casing::ExposeProtoCasing,                                // WH506
    redundant_target_platform::RedundantTargetPlatform,                    // WH507
    invalid_definition_description::InvalidDefinitionDescription,          // WH508
    label_key_invalid::LabelKeyInvalid,                                    // WH530
    label_missing::LabelMissing,                                           // WH531
    label_superfluous::LabelSuperfluous,                                   // WH532
    label_empty::LabelEmpty,                                               // WH533
    label_not_url::LabelNotUrl,                                            // WH534
    label_not_rfc3339::LabelNotRfc3339,                                    // WH535
    label_not_spdx::LabelNotSpdx,                                          // WH536
    label_not_git_hash::LabelNotGitHash,                                   // WH537
    label_not_semver::LabelNotSemver,                                      // WH538
    label_not_email::LabelNotEmail,                                        // WH539
    wget_without_progress::WgetWithoutProgress,                            // WH540
    unused_suppression::UnusedSuppression,                                 // WH590
    inline_ignore_pragma::InlineIgnorePragma,                              // WH591
    invalid_suppression::InvalidSuppression,                               // WH592
}

// What several rules share and is not a rule.
pub mod helpers;

// How the rules a configuration defines (`custom-rules:`) check a file.
pub mod custom;

/// Every rule, sorted by ID.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this ID, name or alias (ASCII case ignored).
pub fn find_rule(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(code))
        .or_else(|| RULES.iter().copied().find(|r| r.meta().is_named(code)))
}

/// The rules a selector names ([`Selector`]: `ALL`, a category, an ID prefix, an ID, a name or an
/// alias; ASCII case ignored). Empty when it names nothing.
pub fn select(selector: &str) -> Vec<&'static RuleMeta> {
    let Some(selector) = Selector::parse(selector) else {
        return Vec::new();
    };
    RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| selector.matches(m))
        .collect()
}

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

    /// The Dockerfile's path as the caller named it, when known (not for standard input).
    pub fn dockerfile_path(&self) -> Option<&'a str> {
        self.build_context.and_then(|b| b.dockerfile.as_deref())
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

    fn ids(selector: &str) -> Vec<&'static str> {
        select(selector).iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn selectors() {
        assert_eq!(ids("all").len(), RULES.len());
        assert!(ids("syntax").contains(&"WH001"));
        assert!(ids("Syntax").iter().all(|id| id.starts_with("WH0")));
        assert_eq!(ids("wh008"), ["WH008"]);
        assert_eq!(ids("empty-continuation-line"), ["WH008"]);
        assert_eq!(ids("buildkit:NoEmptyContinuation"), ["WH008"]);
        assert!(ids("WH00").contains(&"WH001") && !ids("WH00").contains(&"WH590"));
        assert!(ids("WH0").contains(&"WH008"));
        assert!(ids("no-such-rule").is_empty());
        assert!(ids("WH9").is_empty());
    }

    #[test]
    fn every_file_here_is_a_registered_rule_with_a_page() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = std::fs::read_dir(root.join("src/rules"))
            .expect("src/rules")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
            .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
            .filter(|stem| stem != "mod")
            .collect();
        files.sort();
        let mut registered: Vec<&str> = MODULES.to_vec();
        registered.sort_unstable();
        let unregistered: Vec<&String> = files
            .iter()
            .filter(|f| !registered.contains(&f.as_str()))
            .collect();
        assert!(
            unregistered.is_empty(),
            "files in src/rules/ that are not registered rules (register them in `rules!`, or \
             move shared code to src/rules/helpers/): {unregistered:?}"
        );
        assert_eq!(MODULES.len(), RULES.len());
        for (module, rule) in MODULES.iter().zip(RULES) {
            assert!(files.contains(&module.to_string()), "{module}: no file");
            let id = &rule.meta().id;
            assert!(
                root.join(format!("rules/{id}.md")).is_file(),
                "{id} ({module}): no page rules/{id}.md"
            );
        }
    }
}
