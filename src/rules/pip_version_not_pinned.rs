//! WH254 `pip-version-not-pinned`: see `rules/WH254.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct PipVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH254"),
    name: SharedStr::new("pip-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3013"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH254.md")),
};

impl Rule for PipVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(
            cx,
            &["pip", "uv", "pipx"],
            None,
            "`pkg==1.2.3`, or a requirements file with versions",
        );
    }
}
