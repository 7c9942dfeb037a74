//! WH234 `npm-install-with-lockfile`: see `rules/WH234.md`.

use super::helpers::run_commands::{command_text, layer_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::manifests::{PackageJson, lock_in_sync};
use crate::package_managers::Action;
use crate::syntax::{Dockerfile, InstructionView};

pub struct NpmInstallWithLockfile;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH234"),
    name: SharedStr::new("npm-install-with-lockfile"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::Files,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH234.md")),
};

/// Lock files `npm ci` installs from (the manifests of the table other than `package.json`).
fn is_lockfile(source: &str, manifests: &[&str]) -> bool {
    let name = source.rsplit('/').next().unwrap_or(source);
    manifests.iter().skip(1).any(|m| *m == name)
}

/// Whether the lock file copied from `lockfile` (a context path) disagrees with the
/// package.json next to it: `Some(true)` out of sync, `Some(false)` in sync, `None` when either
/// cannot be read.
fn lock_out_of_sync(bc: &crate::build_context::BuildContext, lockfile: &str) -> Option<bool> {
    let dir = match lockfile.rsplit_once('/') {
        Some((d, _)) => format!("{d}/"),
        None => String::new(),
    };
    let manifest = PackageJson::parse(&bc.read(&format!("{dir}package.json")).text()?)?;
    let lock = bc.read(lockfile).text()?;
    lock_in_sync(&manifest, &lock).map(|in_sync| !in_sync)
}

impl Rule for NpmInstallWithLockfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in layer_commands(sem) {
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if pm.name != "npm" || inv.action != Action::Install || !inv.operands.is_empty() {
                continue;
            }
            let Some(sub) = inv.subcommand.clone() else {
                continue;
            };
            let sub_text = inv.subcommand_text(c.words).unwrap_or_default();
            if pm.lockfile_install.contains(&sub_text.as_str()) || sub_text == "add" {
                continue;
            }
            // A lock file copied by name (not a pattern that may match nothing) earlier in the
            // stage, into the directory the install runs in.
            let Some(stage) = sem.stages.get(c.stage) else {
                continue;
            };
            let workdir = sem
                .states
                .get(c.instruction)
                .and_then(|s| s.workdir.clone());
            let copied = (stage.from..c.instruction).find_map(|i| {
                let ins = file.instructions.get(i)?;
                let InstructionView::Copy(v) = ins.view() else {
                    return None;
                };
                if v.from.is_some() {
                    return None;
                }
                let dest = v
                    .dest
                    .as_ref()
                    .map(|d| d.value.trim_end_matches('/').to_string());
                let here = matches!(dest.as_deref(), Some("." | ""))
                    || dest.is_some()
                        && dest
                            == workdir
                                .as_ref()
                                .map(|w| w.trim_end_matches('/').to_string());
                let same_workdir = sem.states.get(i).and_then(|s| s.workdir.clone()) == workdir;
                if !(here && same_workdir) {
                    return None;
                }
                v.sources
                    .iter()
                    .find(|s| is_lockfile(&s.value, &pm.manifests))
                    .map(|s| s.value.to_string())
            });
            let Some(lockfile) = copied else {
                continue;
            };
            let sync = cx
                .build_context()
                .filter(|bc| bc.files.is_some())
                .map(|bc| lock_out_of_sync(bc, &lockfile));
            let shown = command_text(&c, inv);
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` may change the copied lock file; `npm ci` installs exactly what it pins"),
            );
            let Some(word) = c.argv.get(sub.start) else {
                continue;
            };
            // `npm ci` refuses a lock file out of sync with package.json (npm install would
            // have updated it): no fix unless the context shows they agree.
            if sync.is_some_and(|s| s != Some(false)) {
                continue;
            }
            builder.unsafe_fix(
                "Use `npm ci`",
                vec![Edit::replace(c.run.file_span(word.span), "ci")],
            );
        }
    }
}
