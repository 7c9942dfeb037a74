//! WH206 `relative-workdir`: see `rules/WH206.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::semantic::Semantic;
use crate::syntax::words::var_refs;
use crate::syntax::{Dockerfile, InstructionView};

pub struct RelativeWorkdir;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH206"),
    name: SharedStr::new("relative-workdir"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[
        "buildkit:WorkdirRelativePath",
        "DL3000",
        "DS-0009",
        "CKV_DOCKER_10",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH206.md")),
};

impl Rule for RelativeWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        // Per stage: whether a WORKDIR was set in it or in the stages it is built from.
        let mut workdir_set: Vec<bool> = Vec::with_capacity(semantic.stages.len());
        for stage in &semantic.stages {
            let mut set = stage
                .base
                .stage
                .filter(|p| *p < stage.index)
                .and_then(|p| workdir_set.get(p).copied())
                .unwrap_or(false);
            for i in stage.body.clone() {
                let Some(ins) = file.instructions.get(i) else {
                    continue;
                };
                let InstructionView::Workdir(view) = ins.view() else {
                    continue;
                };
                let Some(word) = &view.value else {
                    continue;
                };
                if !set && is_relative(semantic, file, &word.value, i) == Some(true) {
                    cx.report(
                        word.span,
                        format!(
                            "`WORKDIR {}` is relative to the base image's working directory",
                            word.value
                        ),
                    );
                }
                set = true;
            }
            workdir_set.push(set);
        }
    }
}

/// Whether the path is relative once expanded; `None` when that depends on a variable whose
/// value is not known here.
fn is_relative(semantic: &Semantic, file: &Dockerfile, raw: &str, at: usize) -> Option<bool> {
    let expanded = semantic.expand(file, raw, at);
    if expanded.error.is_some() {
        return None;
    }
    // An unknown variable at the very start could hold an absolute path.
    let starts_with_unknown = var_refs(raw, file.escape)
        .first()
        .is_some_and(|r| r.span.start == leading_quote_len(raw) && !expanded.unresolved.is_empty());
    if starts_with_unknown {
        return None;
    }
    let path = expanded.value.as_str();
    let absolute = path.starts_with('/') || path.starts_with('\\') || is_windows_drive(path);
    Some(!absolute)
}

/// `"$DIR"` starts with its variable just like `$DIR`.
fn leading_quote_len(raw: &str) -> usize {
    usize::from(raw.starts_with('"'))
}

/// `C:\` or `C:/`: absolute on Windows images.
fn is_windows_drive(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}
