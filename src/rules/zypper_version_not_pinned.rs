//! WH260 `zypper-version-not-pinned`: see `rules/WH260.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct ZypperVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH260"),
    name: SharedStr::new("zypper-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3037"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH260.md")),
};

impl Rule for ZypperVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["zypper"], None, "`pkg=1.2.3` or `pkg>=1.2`");
    }
}
