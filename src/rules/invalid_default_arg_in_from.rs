//! WH204 `invalid-default-arg-in-from`: see `rules/WH204.md`.

use crate::syntax::image_ref;
use super::undefined_arg_in_from::FROM_PREDEFINED_ARGS;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::words::{expand_with, var_refs};
use crate::syntax::{Dockerfile, InstructionView};
use std::collections::HashMap;

pub struct InvalidDefaultArgInFrom;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH204"),
    name: SharedStr::new("invalid-default-arg-in-from"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["buildkit:InvalidDefaultArgInFrom"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH204.md")),
};

/// Values of the predefined platform arguments on a linux/amd64 build (their values only matter
/// here when one of them is empty, which only the variants are).
fn predefined_value(name: &str) -> Option<&'static str> {
    if !FROM_PREDEFINED_ARGS.contains(&name) {
        return None;
    }
    Some(match name {
        "BUILDPLATFORM" | "TARGETPLATFORM" => "linux/amd64",
        "BUILDOS" | "TARGETOS" => "linux",
        "BUILDARCH" | "TARGETARCH" => "amd64",
        "TARGETSTAGE" => "default",
        _ => "",
    })
}

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        // The global ARGs with their defaults, evaluated in order as a build without
        // `--build-arg` does: an ARG without a default stays unset.
        let mut args: HashMap<String, String> = HashMap::new();
        let mut before_first_from = true;
        for ins in &file.instructions {
            match ins.view() {
                InstructionView::Arg(arg) if before_first_from => {
                    for decl in &arg.args {
                        if let Some(default) = &decl.default {
                            let value = expand_with(default, file.escape, &|n| lookup(&args, n));
                            if value.error.is_some() {
                                // BuildKit gives up on this check when an ARG cannot be expanded.
                                return;
                            }
                            args.insert(decl.name.to_string(), value.value);
                        }
                    }
                }
                InstructionView::From(from) => {
                    before_first_from = false;
                    let raw = &from.image.value;
                    let expanded = expand_with(raw, file.escape, &|n| lookup(&args, n));
                    if expanded.error.is_some() || image_ref::is_valid(&expanded.value) {
                        continue;
                    }
                    let message = if var_refs(raw, file.escape).is_empty() {
                        format!("`{raw}` is not a valid image reference")
                    } else if expanded.value.is_empty() {
                        format!(
                            "`{raw}` expands to an empty image name with the default `ARG` values"
                        )
                    } else {
                        format!(
                            "`{raw}` expands to `{}` with the default `ARG` values, which is not a valid image reference",
                            expanded.value
                        )
                    };
                    cx.report(from.image.span, message);
                }
                _ => {}
            }
        }
    }
}

fn lookup(args: &HashMap<String, String>, name: &str) -> Option<String> {
    args.get(name)
        .cloned()
        .or_else(|| predefined_value(name).map(str::to_string))
}
