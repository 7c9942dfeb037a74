//! WH131 `add-url-without-checksum`: see `rules/WH131.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct AddUrlWithoutChecksum;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH131"),
    name: SharedStr::new("add-url-without-checksum"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH131.md")),
};

impl Rule for AddUrlWithoutChecksum {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let InstructionView::Add(view) = ins.view() else {
                continue;
            };
            if view.checksum.is_some() {
                continue;
            }
            for src in &view.sources {
                let v = src.value.to_ascii_lowercase();
                // Git sources are pinned by commit, not by checksum.
                let http = v.starts_with("http://") || v.starts_with("https://");
                if !http || v.contains(".git#") || v.ends_with(".git") {
                    continue;
                }
                cx.report(
                    src.span,
                    "`ADD` downloads this URL without `--checksum`: a changed or tampered file goes into the image unnoticed",
                );
            }
        }
    }
}
