//! Every rule, one line each, sorted by ID (a test checks the order).

use super::Rule;
use super::{
    add_instead_of_copy, add_url_without_checksum, apk_without_no_cache, apt_install_recommends,
    apt_instead_of_apt_get, apt_lists_not_cleaned, cleanup_in_separate_layer,
    copy_before_dependency_install, empty_continuation_line, install_without_yes,
    instruction_before_from, invalid_flag, invalid_parser_directive, last_user_root,
    package_cache_not_cleaned, pip_cache_not_disabled, runs_as_root, unknown_instruction,
    unparseable_instruction, unterminated_heredoc, unused_suppression, update_in_separate_run,
    wrong_number_of_arguments,
};

static RULES: &[&dyn Rule] = &[
    &unparseable_instruction::UnparseableInstruction, // WH001
    &unknown_instruction::UnknownInstruction,         // WH002
    &invalid_flag::InvalidFlag,                       // WH003
    &wrong_number_of_arguments::WrongNumberOfArguments, // WH004
    &instruction_before_from::InstructionBeforeFrom,  // WH005
    &unterminated_heredoc::UnterminatedHeredoc,       // WH006
    &invalid_parser_directive::InvalidParserDirective, // WH007
    &empty_continuation_line::EmptyContinuationLine,  // WH008
    &runs_as_root::RunsAsRoot,                        // WH130
    &add_url_without_checksum::AddUrlWithoutChecksum, // WH131
    &last_user_root::LastUserRoot,                    // WH132
    &install_without_yes::InstallWithoutYes,          // WH230
    &apt_instead_of_apt_get::AptInsteadOfAptGet,      // WH231
    &update_in_separate_run::UpdateInSeparateRun,     // WH232
    &add_instead_of_copy::AddInsteadOfCopy,           // WH233
    &apt_lists_not_cleaned::AptListsNotCleaned,       // WH301
    &apt_install_recommends::AptInstallRecommends,    // WH302
    &pip_cache_not_disabled::PipCacheNotDisabled,     // WH303
    &cleanup_in_separate_layer::CleanupInSeparateLayer, // WH304
    &apk_without_no_cache::ApkWithoutNoCache,         // WH305
    &package_cache_not_cleaned::PackageCacheNotCleaned, // WH306
    &copy_before_dependency_install::CopyBeforeDependencyInstall, // WH401
    &unused_suppression::UnusedSuppression,           // WH590
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
