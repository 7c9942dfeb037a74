//! Shared by the label rules (WH531-WH539): the labels of the image and the `label-schema`
//! option (label name -> type), as hadolint's `label-schema` in `.hadolint.yaml` sets it.

use super::run_commands::image_stages;
use crate::rules::{Context, OptionKind, OptionSpec};
use crate::semantic::Semantic;
use crate::syntax::{Dockerfile, InstructionView, Span, words};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The label types of `label-schema`.
pub const LABEL_TYPES: &[&str] = &["text", "url", "rfc3339", "spdx", "hash", "semver", "email"];

const SCHEMA: OptionSpec = OptionSpec {
    name: "label-schema",
    kind: OptionKind::MapOf(LABEL_TYPES),
    default: "{}",
    doc: "Label name -> type (`text`, `url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`); \
          empty: the rule is silent.",
};

/// The options of the label rules.
pub const LABEL_SCHEMA: &[OptionSpec] = &[SCHEMA];

/// WH532's options: the schema, and whether labels outside it are reported.
pub const LABEL_SCHEMA_AND_STRICT: &[OptionSpec] = &[
    SCHEMA,
    OptionSpec {
        name: "strict-labels",
        kind: OptionKind::Bool,
        default: "false",
        doc: "Report labels that are not in the schema.",
    },
];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Options {
    /// Label name -> type: `text`, `url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`.
    #[serde(default)]
    pub label_schema: BTreeMap<String, String>,
    /// Labels outside the schema are reported (WH532).
    #[serde(default)]
    pub strict_labels: bool,
}

/// One `LABEL key=value` of a stage that ends up in the image, unquoted.
pub struct Label {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
    /// The value uses a variable (its text is not the label's value).
    pub dynamic: bool,
}

/// The labels set by the image's stages (the final stage and those it is built FROM).
pub fn image_labels(file: &Dockerfile, sem: &Semantic) -> Vec<Label> {
    let stages = image_stages(sem);
    let mut out = Vec::new();
    for (i, ins) in file.instructions.iter().enumerate() {
        if !sem
            .states
            .get(i)
            .and_then(|s| s.stage)
            .is_some_and(|s| stages.contains(&s))
        {
            continue;
        }
        let InstructionView::Label(view) = ins.view() else {
            continue;
        };
        for pair in &view.pairs {
            let key = words::expand_with(&pair.key, file.escape, &|_| None);
            let value = words::expand_with(&pair.value, file.escape, &|_| None);
            out.push(Label {
                key: key.value,
                dynamic: !value.unresolved.is_empty() || value.error.is_some(),
                value: value.value,
                key_span: pair.key_span,
                value_span: pair.value_span,
            });
        }
    }
    out
}

/// Report every schema label of type `kind` whose literal value `valid` rejects.
pub fn check_type(
    file: &Dockerfile,
    cx: &mut Context<'_>,
    kind: &str,
    what: &str,
    valid: fn(&str) -> bool,
) {
    let options: Options = cx.options();
    let names: Vec<&String> = options
        .label_schema
        .iter()
        .filter(|(_, t)| t.eq_ignore_ascii_case(kind))
        .map(|(n, _)| n)
        .collect();
    if names.is_empty() {
        return;
    }
    for label in image_labels(file, cx.semantic()) {
        if label.dynamic || label.value.is_empty() || !names.contains(&&label.key) {
            continue;
        }
        if !valid(&label.value) {
            cx.report(
                label.value_span,
                format!(
                    "label `{}` is `{}`, which is not {what}",
                    label.key, label.value
                ),
            );
        }
    }
}
