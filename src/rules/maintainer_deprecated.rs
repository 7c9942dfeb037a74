//! WH504 `maintainer-deprecated`: see `rules/WH504.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, InstructionView};

pub struct MaintainerDeprecated;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH504"),
    name: SharedStr::new("maintainer-deprecated"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &[
        "buildkit:MaintainerDeprecated",
        "DL4000",
        "DS-0022",
        "CKV_DOCKER_6",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH504.md")),
};

/// `value` as a double-quoted Dockerfile word that BuildKit reads back as exactly `value`:
/// inside double quotes the escape character escapes `"`, `$` and itself.
pub fn double_quoted(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let InstructionView::Maintainer(view) = ins.view() else {
                continue;
            };
            let builder = cx.report(
                ins.keyword_span,
                "`MAINTAINER` is deprecated; use the `org.opencontainers.image.authors` label",
            );
            let Some(value) = &view.value else {
                continue;
            };
            let keyword = file.text(ins.keyword_span);
            let label = if keyword == keyword.to_lowercase() {
                "label"
            } else {
                "LABEL"
            };
            let text = format!(
                "{label} org.opencontainers.image.authors={}",
                double_quoted(&value.value, file.escape)
            );
            builder.safe_fix(
                "Replace with an `org.opencontainers.image.authors` label",
                vec![Edit::replace(ins.span, text)],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::double_quoted;

    #[test]
    fn quoting_escapes_what_double_quotes_expand() {
        assert_eq!(double_quoted("Jane <j@x.org>", '\\'), "\"Jane <j@x.org>\"");
        assert_eq!(double_quoted("a\"b$c\\d", '\\'), "\"a\\\"b\\$c\\\\d\"");
        assert_eq!(double_quoted("a\"b`c", '`'), "\"a`\"b``c\"");
    }
}
