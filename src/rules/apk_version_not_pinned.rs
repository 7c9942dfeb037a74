//! WH253 `apk-version-not-pinned`: see `rules/WH253.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct ApkVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH253"),
    name: SharedStr::new("apk-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3018"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH253.md")),
};

impl Rule for ApkVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["apk"], None, "`pkg=1.2.3-r0` or `pkg~1.2`");
    }
}
