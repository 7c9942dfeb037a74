//! WH213 `copy-multiple-sources-dest-not-dir`: see `rules/WH213.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyMultipleSourcesDestNotDir;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH213"),
    name: SharedStr::new("copy-multiple-sources-dest-not-dir"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3021", "DS-0011"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH213.md")),
};

/// Directories every Linux base image has: copying several files into them is unambiguous.
const SYSTEM_DIRS: [&str; 12] = [
    "/",
    "/tmp",
    "/etc",
    "/opt",
    "/usr",
    "/usr/bin",
    "/usr/local",
    "/usr/local/bin",
    "/usr/lib",
    "/usr/local/lib",
    "/root",
    "/var",
];

impl Rule for CopyMultipleSourcesDestNotDir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let (verb, copy) = match ins.view() {
                InstructionView::Copy(c) => ("COPY", c),
                InstructionView::Add(c) => ("ADD", c),
                _ => continue,
            };
            let Some(dest) = &copy.dest else { continue };
            if copy.sources.len() < 2 {
                continue;
            }
            let value = dest.value.as_str();
            // A variable may end in `/`: the build decides, stay silent. A heredoc marker as
            // the last word is an unfinished heredoc (a syntax error), not a destination.
            if value.ends_with('/') || value.starts_with("<<") || value.contains(['$', '"', '\'']) {
                continue;
            }
            // `.`, `..` and the WORKDIR itself are directories that exist.
            let workdir = sem.states.get(i).and_then(|s| s.workdir.as_deref());
            let trimmed = value.trim_end_matches("/.");
            if matches!(value, "." | "..")
                || workdir.is_some_and(|w| w.trim_end_matches('/') == trimmed)
                || SYSTEM_DIRS.contains(&trimmed)
            {
                continue;
            }
            let builder = cx.report(
                dest.span,
                format!(
                    "`{verb}` with {} sources to `{value}`: unless `{value}` already exists as a directory, BuildKit writes every source to the same file and only the last one survives; end it with `/`",
                    copy.sources.len()
                ),
            );
            // Only a destination written plainly is rewritten.
            if file.text(dest.span) == value && !value.contains(['\\', '`']) {
                builder.safe_fix(
                    format!("Write `{value}/`"),
                    vec![Edit::insert(dest.span.end, "/")],
                );
            }
        }
    }
}
