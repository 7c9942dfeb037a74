//! WH255 `npm-version-not-pinned`: see `rules/WH255.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct NpmVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH255"),
    name: SharedStr::new("npm-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3016"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH255.md")),
};

impl Rule for NpmVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(
            cx,
            &["npm", "yarn", "pnpm"],
            None,
            "`pkg@1.2.3`, or a lockfile with `npm ci`",
        );
    }
}
