//! WH008 `empty-continuation-line`: see `rules/WH008.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, Span, SyntaxErrorKind};

pub struct EmptyContinuationLine;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH008"),
    name: SharedStr::new("empty-continuation-line"),
    category: Category::Syntax,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["buildkit:NoEmptyContinuation"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH008.md")),
};

impl Rule for EmptyContinuationLine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for d in &file.diagnostics {
            if d.kind != SyntaxErrorKind::EmptyContinuationLine {
                continue;
            }
            let lines = whole_lines(file, d.span);
            let builder = cx.report(d.span, "Empty line inside a continued instruction");
            // BuildKit drops the line, so deleting it changes nothing but the warning.
            if lines.text(file.source()).trim().is_empty() && !lines.is_empty() {
                builder.safe_fix("Remove the empty line", vec![Edit::delete(lines)]);
            }
        }
    }
}

/// The lines `span` touches, each with its line ending.
fn whole_lines(file: &Dockerfile, span: Span) -> Span {
    let index = file.line_index();
    let first = index.line_of(span.start);
    let last_byte = if span.end > span.start {
        span.end - 1
    } else {
        span.start
    };
    let last = index.line_of(last_byte).max(first);
    let start = index.line_start(first);
    let end = index.line_start(last + 1).max(start);
    Span::new(start, end.min(file.source().len()))
}
