//! WH537 `label-not-git-hash`: see `rules/WH537.md`.

use super::helpers::label_schema::{self, check_type};
use super::helpers::label_values::git_hash;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelNotGitHash;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH537"),
    name: SharedStr::new("label-not-git-hash"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3055"],
    default_enabled: true,
    context: ContextUse::None,
    options: label_schema::LABEL_SCHEMA,
    doc: SharedStr::new(include_str!("../../rules/WH537.md")),
};

impl Rule for LabelNotGitHash {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        check_type(
            file,
            cx,
            "hash",
            "a git commit hash (7 to 40 lower-case hex digits)",
            git_hash,
        );
    }
}
