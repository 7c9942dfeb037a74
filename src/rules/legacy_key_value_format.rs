//! WH505 `legacy-key-value-format`: see `rules/WH505.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, InstructionView, Span};

pub struct LegacyKeyValueFormat;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH505"),
    name: SharedStr::new("legacy-key-value-format"),
    category: Category::Style,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["buildkit:LegacyKeyValueFormat"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH505.md")),
};

/// How the legacy value has to be written after `KEY=` to stay the same value.
#[derive(Debug, PartialEq, Eq)]
enum Rewrite {
    /// It is one word already.
    AsIs,
    /// Wrap it in double quotes.
    Quote,
    /// It cannot be wrapped without changing it.
    Impossible,
}

/// BuildKit splits `KEY=value` forms into words at blanks outside quotes; the legacy value is
/// the rest of the line, blanks included.
fn rewrite(value: &str, escape: char) -> Rewrite {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut blank_outside = false;
    let mut special = false;
    for c in value.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == escape => escaped = true,
            Some(_) => {}
            None if c == escape => {
                escaped = true;
                special = true;
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                special = true;
            }
            None if c == ' ' || c == '\t' => blank_outside = true,
            None => {}
        }
    }
    // An unterminated quote makes BuildKit fail either way: leave it alone.
    match (blank_outside, special) {
        _ if quote.is_some() => Rewrite::Impossible,
        (false, _) => Rewrite::AsIs,
        (true, false) => Rewrite::Quote,
        (true, true) => Rewrite::Impossible,
    }
}

impl Rule for LegacyKeyValueFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let (InstructionView::Env(view) | InstructionView::Label(view)) = ins.view() else {
                continue;
            };
            let name = ins.keyword.as_str();
            for pair in view.pairs.iter().filter(|p| p.legacy) {
                let builder = cx.report(
                    pair.key_span.cover(pair.value_span),
                    format!(
                        "`{name} {} ...` uses the legacy `key value` form; write `key=value`",
                        pair.key
                    ),
                );
                let separator = Span::new(pair.key_span.end, pair.value_span.start);
                if separator.is_empty() || pair.value_span.is_empty() {
                    continue;
                }
                let mut edits = vec![Edit::replace(separator, "=")];
                match rewrite(&pair.value, file.escape) {
                    Rewrite::AsIs => {}
                    Rewrite::Quote => {
                        edits.push(Edit::insert(pair.value_span.start, "\""));
                        edits.push(Edit::insert(pair.value_span.end, "\""));
                    }
                    Rewrite::Impossible => continue,
                }
                builder.safe_fix("Use the `key=value` form", edits);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Rewrite, rewrite};

    #[test]
    fn values_keep_their_meaning() {
        assert_eq!(rewrite("/srv/app", '\\'), Rewrite::AsIs);
        assert_eq!(rewrite("\"a b\"", '\\'), Rewrite::AsIs);
        assert_eq!(rewrite("a\\ b", '\\'), Rewrite::AsIs);
        assert_eq!(rewrite("A small web server", '\\'), Rewrite::Quote);
        assert_eq!(rewrite("$HOME/bin $PATH", '\\'), Rewrite::Quote);
        assert_eq!(rewrite("it's a b", '\\'), Rewrite::Impossible);
        assert_eq!(rewrite("say \"hi\" now", '\\'), Rewrite::Impossible);
        assert_eq!(rewrite("C:\\x y", '\\'), Rewrite::Impossible);
    }
}
