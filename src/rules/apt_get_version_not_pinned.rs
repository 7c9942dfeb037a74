//! WH252 `apt-get-version-not-pinned`: see `rules/WH252.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct AptGetVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH252"),
    name: SharedStr::new("apt-get-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3008"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH252.md")),
};

impl Rule for AptGetVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["apt-get", "apt", "aptitude"], None, "`pkg=1.2.3-1`");
    }
}
