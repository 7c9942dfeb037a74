//! WH259 `dnf-version-not-pinned`: see `rules/WH259.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct DnfVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH259"),
    name: SharedStr::new("dnf-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3041"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH259.md")),
};

impl Rule for DnfVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["dnf", "microdnf", "tdnf"], None, "`pkg-1.2.3`");
    }
}
