//! WH508 `invalid-definition-description`: see `rules/WH508.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, Instruction, InstructionView};

pub struct InvalidDefinitionDescription;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH508"),
    name: SharedStr::new("invalid-definition-description"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["buildkit:InvalidDefinitionDescription"],
    // Experimental in Docker, so off unless asked for.
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH508.md")),
};

/// Comments that are tool pragmas, not descriptions.
const PRAGMA_PREFIXES: &[&str] = &["hadolint ", "whittle ", "check=", "syntax=", "escape="];

impl Rule for InvalidDefinitionDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let (names, what): (Vec<String>, &str) = match ins.view() {
                InstructionView::From(from) => match &from.alias {
                    Some(a) => (vec![a.value.to_lowercase().to_string()], "stage"),
                    None => continue,
                },
                InstructionView::Arg(arg) if !arg.args.is_empty() => {
                    (arg.args.iter().map(|d| d.name.to_string()).collect(), "ARG")
                }
                _ => continue,
            };
            let Some(comment) = description(file, ins) else {
                continue;
            };
            let first = comment.split(' ').next().unwrap_or("");
            if names.iter().any(|n| n == first) {
                continue;
            }
            let example = match names.as_slice() {
                [one] => one.as_str(),
                _ => "<name>",
            };
            cx.report(
                ins.keyword_span,
                format!(
                    "The comment above this {what} is read as its description but does not start with its name: write `# {example} <description>`, or put an empty `#` line between"
                ),
            );
        }
    }
}

/// The text of the comment line right above `ins` (no blank line between), unless it is a pragma.
fn description<'f>(file: &'f Dockerfile, ins: &Instruction) -> Option<&'f str> {
    let last = ins.comments.last()?;
    let line = file.line_col(last.start).line;
    if line + 1 != ins.start_line {
        return None;
    }
    let text = file.text(*last).trim_start().strip_prefix('#')?.trim();
    if text.is_empty() || PRAGMA_PREFIXES.iter().any(|p| text.starts_with(p)) {
        return None;
    }
    Some(text)
}
