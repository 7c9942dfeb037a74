//! WH219 `workdir-system-directory`: see `rules/WH219.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct WorkdirSystemDirectory;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH219"),
    name: SharedStr::new("workdir-system-directory"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DS-0030"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH219.md")),
};

/// Directories the system owns: files an app writes there mix with the distribution's, and
/// `/proc`, `/sys` and `/dev` are replaced by the runtime.
/// (`/` itself is left out: `WORKDIR /` commonly resets the directory for the final command.)
const SYSTEM_DIRS: [&str; 13] = [
    "/bin",
    "/sbin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/sys",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
];

impl Rule for WorkdirSystemDirectory {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::Workdir(view) = ins.view() else {
                continue;
            };
            let Some(word) = &view.value else { continue };
            // On Windows `/dev` is `C:\\dev`, not a system directory.
            if sem.states.get(i).is_some_and(|s| {
                s.shell.first().is_some_and(|p| p == "cmd" || p.contains("powershell") || p.contains("pwsh"))
            }) {
                continue;
            }
            // The effective directory after this WORKDIR (variables and relative paths resolved).
            let Some(dir) = sem
                .states
                .get(i + 1)
                .filter(|s| s.stage == sem.states.get(i).and_then(|t| t.stage))
                .and_then(|s| s.workdir.clone())
                .or_else(|| word.value.starts_with('/').then(|| word.value.to_string()))
            else {
                continue;
            };
            let trimmed = if dir.len() > 1 {
                dir.trim_end_matches('/')
            } else {
                dir.as_str()
            };
            if SYSTEM_DIRS.contains(&trimmed) {
                cx.report(
                    word.span,
                    format!("`WORKDIR {trimmed}` works in a system directory: the app's files mix with the distribution's; use a directory of its own such as `/app`"),
                );
            }
        }
    }
}
