//! WH351 `copy-archive-then-extract`: see `rules/WH351.md`.

use super::helpers::run_commands::layer_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyArchiveThenExtract;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH351"),
    name: SharedStr::new("copy-archive-then-extract"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3010"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH351.md")),
};

const ARCHIVES: [&str; 7] = [
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
];

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

impl Rule for CopyArchiveThenExtract {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = layer_commands(sem);
        for (i, ins) in file.instructions.iter().enumerate() {
            let InstructionView::Copy(copy) = ins.view() else {
                continue;
            };
            if copy.from.is_some() {
                continue;
            }
            let Some(stage) = sem.states.get(i).and_then(|s| s.stage) else {
                continue;
            };
            for src in &copy.sources {
                let name = basename(&src.value);
                if name.contains(['*', '?', '$']) || !ARCHIVES.iter().any(|a| name.ends_with(a)) {
                    continue;
                }
                // A later RUN of the stage that extracts the same file with tar.
                let extracted = cmds.iter().any(|c| {
                    c.stage == stage
                        && c.instruction > i
                        && c.name() == Some("tar")
                        && c.words.iter().skip(1).any(|w| {
                            w == "--extract"
                                || w == "--get"
                                || (w.starts_with('-') && !w.starts_with("--") && w.contains('x'))
                                || (!w.starts_with('-')
                                    && c.words.get(1) == Some(w)
                                    && w.contains('x'))
                        })
                        && c.words.iter().skip(1).any(|w| basename(w) == name)
                });
                if extracted {
                    cx.report(
                        src.span,
                        format!("`{name}` is copied in one layer and extracted in another: the archive stays in the image; `ADD {name} DIR/` extracts a local archive in one step"),
                    );
                }
            }
        }
    }
}
