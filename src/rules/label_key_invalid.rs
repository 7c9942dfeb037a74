//! WH530 `label-key-invalid`: see `rules/WH530.md`.

use super::helpers::label_schema::image_labels;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct LabelKeyInvalid;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH530"),
    name: SharedStr::new("label-key-invalid"),
    category: Category::Style,
    severity: Severity::Style,
    fix: FixKind::None,
    aliases: &["DL3048"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH530.md")),
};

/// Why a key breaks Docker's label key conventions, if it does.
fn problem(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    // Docker's own extension specification tells publishers to use these.
    let docker_extension = ["com.docker.desktop.extension.", "com.docker.extension."]
        .iter()
        .any(|p| lower.starts_with(p));
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| lower.starts_with(p))
        && !docker_extension
    {
        return Some(
            "the `com.docker.*`, `io.docker.*` and `org.dockerproject.*` namespaces are reserved for Docker",
        );
    }
    if key.is_empty() {
        return Some("it is empty");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Some("keys should use only lower-case letters, digits, `.`, `-` and `_`");
    }
    if !key.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !key.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("keys should begin and end with a letter or digit");
    }
    if key.contains("..") || key.contains("--") {
        return Some("keys should not contain consecutive `.` or `-`");
    }
    None
}

impl Rule for LabelKeyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for label in image_labels(file, cx.semantic()) {
            if let Some(why) = problem(&label.key) {
                cx.report(label.key_span, format!("label key `{}`: {why}", label.key));
            }
        }
    }
}
