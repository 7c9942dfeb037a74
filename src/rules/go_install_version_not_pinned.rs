//! WH257 `go-install-version-not-pinned`: see `rules/WH257.md`.

use super::helpers::version_pinning::report_unpinned;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct GoInstallVersionNotPinned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH257"),
    name: SharedStr::new("go-install-version-not-pinned"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3062"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH257.md")),
};

impl Rule for GoInstallVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        report_unpinned(cx, &["go"], Some(&["install", "get"]), "`pkg@v1.2.3`");
    }
}
