//! WH257 `go-install-version-not-pinned`: see `rules/WH257.md`.

use super::helpers::run_commands::run_commands;
use crate::package_managers::Action;
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
        // Without `@version`, Go (1.17 on) installs a package of the current module at the
        // version its go.mod requires (and refuses outside a module): pinned already, and so is
        // `go install tool`. What floats is an explicit moving version.
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(inv) = c.package() else { continue };
            if inv.manager.name != "go" || inv.action != Action::Install {
                continue;
            }
            let sub = inv.subcommand_text(c.words).unwrap_or_default();
            if sub != "install" && sub != "get" {
                continue;
            }
            for &i in &inv.operands {
                let Some(word) = c.words.get(i) else { continue };
                let Some((_, version)) = word.rsplit_once('@') else {
                    continue;
                };
                let floating = matches!(
                    version,
                    "" | "latest" | "master" | "main" | "HEAD" | "upgrade" | "patch"
                );
                let Some(span) = c.word_file_span(i).filter(|_| floating) else {
                    continue;
                };
                cx.report(
                    span,
                    format!("`go {sub} {word}` installs whatever version is current: pin it (`pkg@v1.2.3`)"),
                );
            }
        }
    }
}
