//! The syntax rules (0xx) report what the parser found. Each parser error kind belongs to exactly
//! one rule; the exhaustive match in [`owner`] makes a new kind a compile error until it is
//! given a rule.

use crate::rules::Context;
use crate::syntax::{Dockerfile, SyntaxErrorKind};

/// The syntax rules, by the ID that reports each parser error kind.
pub fn owner(kind: SyntaxErrorKind) -> &'static str {
    use SyntaxErrorKind as K;
    match kind {
        K::LineTooLong
        | K::NoInstructions
        | K::InvalidHeredoc
        | K::InvalidJson
        | K::InvalidStageName
        | K::InvalidFromSyntax
        | K::OnbuildForbidden
        | K::HeredocAsDestination
        | K::EnvMissingValue
        | K::EnvSyntax
        | K::BlankName
        | K::InvalidHealthcheck
        | K::ShellNotJson
        | K::EmptyVolume => "WH001",
        K::UnknownInstruction => "WH002",
        K::UnknownFlag | K::DuplicateFlag | K::FlagNeedsValue | K::InvalidFlagValue => "WH003",
        K::MissingArguments | K::TooManyArguments => "WH004",
        K::InstructionBeforeFrom => "WH005",
        K::UnterminatedHeredoc => "WH006",
        K::InvalidEscapeDirective | K::DuplicateDirective => "WH007",
        K::EmptyContinuationLine => "WH008",
    }
}

/// Report every parser diagnostic that belongs to the calling rule, with the parser's message.
pub fn report_owned(file: &Dockerfile, cx: &mut Context<'_>) {
    let id = cx.meta().id.clone();
    for d in &file.diagnostics {
        if owner(d.kind) == id {
            cx.report(d.span, d.message.clone());
        }
    }
}

/// A syntax message without BuildKit's ` (did you mean X?)` suffix, for rules that make their
/// own, more careful suggestion (with a fix) instead.
pub fn without_buildkit_suggestion(message: &str) -> &str {
    match message.rfind(" (did you mean ") {
        Some(i) if message.ends_with("?)") => &message[..i],
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Category, find_rule};

    #[test]
    fn every_owner_is_a_syntax_rule() {
        use SyntaxErrorKind as K;
        let kinds = [
            K::LineTooLong,
            K::InvalidEscapeDirective,
            K::DuplicateDirective,
            K::EmptyContinuationLine,
            K::NoInstructions,
            K::UnterminatedHeredoc,
            K::InvalidHeredoc,
            K::InvalidJson,
            K::UnknownInstruction,
            K::UnknownFlag,
            K::DuplicateFlag,
            K::FlagNeedsValue,
            K::InvalidFlagValue,
            K::MissingArguments,
            K::TooManyArguments,
            K::InstructionBeforeFrom,
            K::InvalidStageName,
            K::InvalidFromSyntax,
            K::OnbuildForbidden,
            K::HeredocAsDestination,
            K::EnvMissingValue,
            K::EnvSyntax,
            K::BlankName,
            K::InvalidHealthcheck,
            K::ShellNotJson,
            K::EmptyVolume,
        ];
        for k in kinds {
            let rule = find_rule(owner(k)).expect("owner is registered");
            assert_eq!(rule.meta().category, Category::Syntax, "{k:?}");
        }
    }
}
