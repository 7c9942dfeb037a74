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

/// The candidate closest to `word` (ASCII case ignored) when it is close enough to be a typo
/// and no other candidate is as close: edit distance (with transpositions) at most 1 when both
/// are up to 4 letters long, at most 2 otherwise.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let word = word.to_ascii_lowercase();
    let limit = |c: &str| {
        if word.chars().count().max(c.chars().count()) <= 4 {
            1
        } else {
            2
        }
    };
    let mut best: Option<(usize, &'c str)> = None;
    let mut tie = false;
    for &c in candidates {
        let d = edit_distance(&word, &c.to_ascii_lowercase());
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    match best {
        Some((d, c)) if d <= limit(c) && d > 0 && !tie => Some(c),
        _ => None,
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions each cost 1 (`FORM` -> `FROM` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Category, find_rule};

    #[test]
    fn suggestions() {
        let kws = ["RUN", "FROM", "COPY", "CMD", "ENV", "ADD"];
        assert_eq!(did_you_mean("RUNN", &kws), Some("RUN"));
        assert_eq!(did_you_mean("form", &kws), Some("FROM"));
        assert_eq!(did_you_mean("COPPY", &kws), Some("COPY"));
        assert_eq!(did_you_mean("ENVIRONMENT", &kws), None);
        assert_eq!(did_you_mean("RUN", &kws), None, "an exact match is no typo");
        // `AND` is one edit from both ADD and ... only ADD here; `CDD` ties CMD and ADD.
        assert_eq!(did_you_mean("CDD", &kws), None);
        assert_eq!(
            did_you_mean("own", &["chown", "from", "chmod"]),
            Some("chown")
        );
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

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
