//! Every rule, one line each, sorted by ID (a test checks the order).

use super::{Rule, RuleMeta};
use super::{
    add_instead_of_copy, add_url_without_checksum, apk_version_not_pinned, apk_without_no_cache,
    apt_get_version_not_pinned, apt_install_recommends, apt_instead_of_apt_get,
    apt_lists_not_cleaned, build_toolchain_in_image, cd_instead_of_workdir,
    cleanup_in_separate_layer, command_pointless_in_container, consecutive_install_runs,
    constant_from_platform, copy_all_without_dockerignore, copy_archive_then_extract,
    copy_before_dependency_install, copy_from_later_stage, copy_from_own_stage, copy_ignored_file,
    copy_multiple_sources_dest_not_dir, copy_relative_dest_without_workdir,
    copy_whole_filesystem_from_stage, dev_dependencies_in_image, dist_upgrade,
    dnf_version_not_pinned, downloaded_archive_not_removed, duplicate_stage_name,
    empty_continuation_line, env_self_reference, expose_host_mapping, expose_port_out_of_range,
    expose_proto_casing, from_as_casing, gem_docs_installed, gem_version_not_pinned,
    go_install_version_not_pinned, heavy_base_image, image_latest_tag, image_without_tag,
    inconsistent_instruction_casing, inline_ignore_pragma, install_without_yes,
    instruction_before_from, invalid_default_arg_in_from, invalid_definition_description,
    invalid_flag, invalid_parser_directive, label_empty, label_key_invalid, label_missing,
    label_not_email, label_not_git_hash, label_not_rfc3339, label_not_semver, label_not_spdx,
    label_not_url, label_superfluous, last_user_root, legacy_key_value_format,
    maintainer_deprecated, missing_healthcheck, multiple_cmd_entrypoint_healthcheck,
    no_cache_mount, non_numeric_user, npm_install_with_lockfile, npm_version_not_pinned,
    package_cache_not_cleaned, package_signature_check_disabled, password_set_in_image,
    pip_cache_not_disabled, pip_version_not_pinned, pipe_without_pipefail,
    redundant_target_platform, relative_workdir, remote_script_piped_to_shell, reserved_stage_name,
    runs_as_root, secret_in_arg_or_env, secret_sent_by_copy, shell_form_cmd, shell_parse_error,
    ssh_port_exposed, stage_name_casing, sudo_in_run, symlink_instead_of_shell,
    tls_verification_disabled, undefined_arg_in_from, undefined_variable, unknown_instruction,
    unparseable_instruction, unterminated_heredoc, untrusted_registry, unused_suppression,
    update_in_separate_run, useradd_high_uid_without_l, wget_and_curl, wget_without_progress,
    workdir_system_directory, wrong_number_of_arguments, yum_version_not_pinned,
    zypper_version_not_pinned,
};
use crate::descriptor::Selector;

static RULES: &[&dyn Rule] = &[
    &unparseable_instruction::UnparseableInstruction, // WH001
    &unknown_instruction::UnknownInstruction,         // WH002
    &invalid_flag::InvalidFlag,                       // WH003
    &wrong_number_of_arguments::WrongNumberOfArguments, // WH004
    &instruction_before_from::InstructionBeforeFrom,  // WH005
    &unterminated_heredoc::UnterminatedHeredoc,       // WH006
    &invalid_parser_directive::InvalidParserDirective, // WH007
    &empty_continuation_line::EmptyContinuationLine,  // WH008
    &shell_parse_error::ShellParseError,              // WH009
    &secret_in_arg_or_env::SecretInArgOrEnv,          // WH101
    &untrusted_registry::UntrustedRegistry,           // WH110
    &tls_verification_disabled::TlsVerificationDisabled, // WH112
    &package_signature_check_disabled::PackageSignatureCheckDisabled, // WH113
    &password_set_in_image::PasswordSetInImage,       // WH114
    &remote_script_piped_to_shell::RemoteScriptPipedToShell, // WH115
    &sudo_in_run::SudoInRun,                          // WH116
    &ssh_port_exposed::SshPortExposed,                // WH117
    &missing_healthcheck::MissingHealthcheck,         // WH118
    &non_numeric_user::NonNumericUser,                // WH119
    &runs_as_root::RunsAsRoot,                        // WH130
    &add_url_without_checksum::AddUrlWithoutChecksum, // WH131
    &last_user_root::LastUserRoot,                    // WH132
    &secret_sent_by_copy::SecretSentByCopy,           // WH150
    &duplicate_stage_name::DuplicateStageName,        // WH201
    &reserved_stage_name::ReservedStageName,          // WH202
    &undefined_arg_in_from::UndefinedArgInFrom,       // WH203
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom, // WH204
    &undefined_variable::UndefinedVariable,           // WH205
    &relative_workdir::RelativeWorkdir,               // WH206
    &multiple_cmd_entrypoint_healthcheck::MultipleCmdEntrypointHealthcheck, // WH207
    &shell_form_cmd::ShellFormCmd,                    // WH208
    &expose_host_mapping::ExposeHostMapping,          // WH209
    &constant_from_platform::ConstantFromPlatform,    // WH210
    &copy_ignored_file::CopyIgnoredFile,              // WH211
    &expose_port_out_of_range::ExposePortOutOfRange,  // WH212
    &copy_multiple_sources_dest_not_dir::CopyMultipleSourcesDestNotDir, // WH213
    &copy_from_later_stage::CopyFromLaterStage,       // WH214
    &copy_from_own_stage::CopyFromOwnStage,           // WH215
    &env_self_reference::EnvSelfReference,            // WH217
    &copy_relative_dest_without_workdir::CopyRelativeDestWithoutWorkdir, // WH218
    &workdir_system_directory::WorkdirSystemDirectory, // WH219
    &install_without_yes::InstallWithoutYes,          // WH230
    &apt_instead_of_apt_get::AptInsteadOfAptGet,      // WH231
    &update_in_separate_run::UpdateInSeparateRun,     // WH232
    &add_instead_of_copy::AddInsteadOfCopy,           // WH233
    &npm_install_with_lockfile::NpmInstallWithLockfile, // WH234
    &image_without_tag::ImageWithoutTag,              // WH250
    &image_latest_tag::ImageLatestTag,                // WH251
    &apt_get_version_not_pinned::AptGetVersionNotPinned, // WH252
    &apk_version_not_pinned::ApkVersionNotPinned,     // WH253
    &pip_version_not_pinned::PipVersionNotPinned,     // WH254
    &npm_version_not_pinned::NpmVersionNotPinned,     // WH255
    &gem_version_not_pinned::GemVersionNotPinned,     // WH256
    &go_install_version_not_pinned::GoInstallVersionNotPinned, // WH257
    &yum_version_not_pinned::YumVersionNotPinned,     // WH258
    &dnf_version_not_pinned::DnfVersionNotPinned,     // WH259
    &zypper_version_not_pinned::ZypperVersionNotPinned, // WH260
    &cd_instead_of_workdir::CdInsteadOfWorkdir,       // WH262
    &pipe_without_pipefail::PipeWithoutPipefail,      // WH263
    &command_pointless_in_container::CommandPointlessInContainer, // WH265
    &dist_upgrade::DistUpgrade,                       // WH267
    &symlink_instead_of_shell::SymlinkInsteadOfShell, // WH268
    &apt_lists_not_cleaned::AptListsNotCleaned,       // WH301
    &apt_install_recommends::AptInstallRecommends,    // WH302
    &pip_cache_not_disabled::PipCacheNotDisabled,     // WH303
    &cleanup_in_separate_layer::CleanupInSeparateLayer, // WH304
    &apk_without_no_cache::ApkWithoutNoCache,         // WH305
    &package_cache_not_cleaned::PackageCacheNotCleaned, // WH306
    &build_toolchain_in_image::BuildToolchainInImage, // WH307
    &heavy_base_image::HeavyBaseImage,                // WH308
    &gem_docs_installed::GemDocsInstalled,            // WH309
    &downloaded_archive_not_removed::DownloadedArchiveNotRemoved, // WH310
    &dev_dependencies_in_image::DevDependenciesInImage, // WH311
    &copy_all_without_dockerignore::CopyAllWithoutDockerignore, // WH350
    &copy_archive_then_extract::CopyArchiveThenExtract, // WH351
    &copy_whole_filesystem_from_stage::CopyWholeFilesystemFromStage, // WH352
    &useradd_high_uid_without_l::UseraddHighUidWithoutL, // WH353
    &wget_and_curl::WgetAndCurl,                      // WH354
    &copy_before_dependency_install::CopyBeforeDependencyInstall, // WH401
    &no_cache_mount::NoCacheMount,                    // WH402
    &consecutive_install_runs::ConsecutiveInstallRuns, // WH403
    &stage_name_casing::StageNameCasing,              // WH501
    &from_as_casing::FromAsCasing,                    // WH502
    &inconsistent_instruction_casing::InconsistentInstructionCasing, // WH503
    &maintainer_deprecated::MaintainerDeprecated,     // WH504
    &legacy_key_value_format::LegacyKeyValueFormat,   // WH505
    &expose_proto_casing::ExposeProtoCasing,          // WH506
    &redundant_target_platform::RedundantTargetPlatform, // WH507
    &invalid_definition_description::InvalidDefinitionDescription, // WH508
    &label_key_invalid::LabelKeyInvalid,              // WH530
    &label_missing::LabelMissing,                     // WH531
    &label_superfluous::LabelSuperfluous,             // WH532
    &label_empty::LabelEmpty,                         // WH533
    &label_not_url::LabelNotUrl,                      // WH534
    &label_not_rfc3339::LabelNotRfc3339,              // WH535
    &label_not_spdx::LabelNotSpdx,                    // WH536
    &label_not_git_hash::LabelNotGitHash,             // WH537
    &label_not_semver::LabelNotSemver,                // WH538
    &label_not_email::LabelNotEmail,                  // WH539
    &wget_without_progress::WgetWithoutProgress,      // WH540
    &unused_suppression::UnusedSuppression,           // WH590
    &inline_ignore_pragma::InlineIgnorePragma,        // WH591
];

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
