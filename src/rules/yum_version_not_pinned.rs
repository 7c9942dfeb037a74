//! WH258 `yum-version-not-pinned`: see `rules/WH258.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct YumVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH258"),
    name: SharedStr::new("yum-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3033"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH258.md")),
};

impl Rule for YumVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["yum"], None, "`pkg-1.2.3`");
    }
}
