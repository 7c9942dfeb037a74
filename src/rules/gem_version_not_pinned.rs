//! WH256 `gem-version-not-pinned`: see `rules/WH256.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct GemVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH256"),
    name: SharedStr::new("gem-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3028"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH256.md")),
};

impl Rule for GemVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["gem"], None, "`gem install pkg:1.2.3` or `-v 1.2.3`");
    }
}
