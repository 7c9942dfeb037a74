//! Every rule, one line each, sorted by ID (a test checks the order).

use super::Rule;
use super::{
    constant_from_platform, duplicate_stage_name, expose_host_mapping, expose_proto_casing,
    from_as_casing, inconsistent_instruction_casing, invalid_default_arg_in_from,
    invalid_definition_description, legacy_key_value_format, maintainer_deprecated,
    multiple_cmd_entrypoint_healthcheck, redundant_target_platform, relative_workdir,
    reserved_stage_name, secret_in_arg_or_env, shell_form_cmd, stage_name_casing,
    undefined_arg_in_from, undefined_variable,
};
use super::{
    empty_continuation_line, instruction_before_from, invalid_flag, invalid_parser_directive,
    unknown_instruction, unparseable_instruction, unterminated_heredoc, unused_suppression,
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
    &secret_in_arg_or_env::SecretInArgOrEnv,          // WH101
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
    &stage_name_casing::StageNameCasing,              // WH501
    &from_as_casing::FromAsCasing,                    // WH502
    &inconsistent_instruction_casing::InconsistentInstructionCasing, // WH503
    &maintainer_deprecated::MaintainerDeprecated,     // WH504
    &legacy_key_value_format::LegacyKeyValueFormat,   // WH505
    &expose_proto_casing::ExposeProtoCasing,          // WH506
    &redundant_target_platform::RedundantTargetPlatform, // WH507
    &invalid_definition_description::InvalidDefinitionDescription, // WH508
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
