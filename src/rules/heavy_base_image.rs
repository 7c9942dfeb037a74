//! WH308 `heavy-base-image`: see `rules/WH308.md`.

use super::run_commands::{image_stages, run_commands};
use super::{Category, Context, FixKind, Rule, RuleMeta};
use crate::base_images::{self, SuggestionKind};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, InstructionView};

pub struct HeavyBaseImage;

static META: RuleMeta = RuleMeta {
    id: "WH308",
    name: "heavy-base-image",
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: true,
    doc: include_str!("../../rules/WH308.md"),
};

impl Rule for HeavyBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        // The stage at the root of the image's FROM chain names the base image.
        let Some(root) = stages.last().and_then(|&s| sem.stages.get(s)) else {
            return;
        };
        let base = &root.base;
        if !base.is_external() || base.digest.is_some() || !base.unresolved.is_empty() {
            return;
        }
        let Some(repository) = base.repository.as_deref() else {
            return;
        };
        let full = match &base.registry {
            Some(r) => format!("{r}/{repository}"),
            None => repository.to_string(),
        };
        let tag = base.tag.clone().unwrap_or_default();
        let Some(suggestion) = base_images::slim_variant(&full, &tag) else {
            return;
        };
        let Some(from) = file.instructions.get(root.from) else {
            return;
        };
        let InstructionView::From(view) = &from.view else {
            return;
        };
        let current = view.image.value.clone();
        let new = suggestion.image();
        // Tools the RUNs of the image use that the smaller variant lacks.
        let mut missing: Vec<String> = Vec::new();
        for c in run_commands(sem) {
            if !stages.contains(&c.stage) {
                continue;
            }
            if let Some(t) = c.name().and_then(|n| suggestion.missing_tool(n)) {
                if !missing.contains(&t.command) {
                    missing.push(t.command.clone());
                }
            }
        }
        let lacks = if missing.is_empty() {
            String::new()
        } else {
            format!(
                " (it lacks {}, which a `RUN` uses: install {} there)",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            )
        };
        let message = match suggestion.kind {
            SuggestionKind::BuildOnly => format!(
                "`{current}` is a toolchain image; build in a separate stage and run from `{new}`{lacks}"
            ),
            SuggestionKind::Replace => {
                format!("`{current}` has a smaller replacement for the final image: `{new}`{lacks}")
            }
            SuggestionKind::Jre => {
                format!(
                    "`{current}` carries a JDK; the final image only needs a JRE: `{new}`{lacks}"
                )
            }
            SuggestionKind::Slim => {
                format!("`{current}` has a smaller variant: `{new}`{lacks}")
            }
        };
        let builder = cx.report(view.image.span, message);
        if suggestion.kind == SuggestionKind::BuildOnly || current.contains('$') {
            return;
        }
        let edits = vec![Edit::replace(view.image.span, new.clone())];
        // A slim variant that only drops documentation (debian -> debian-slim: no headers, and
        // no missing tool a RUN uses) is applied with --unsafe-fixes; anything that drops
        // compilers, headers or a JDK is only shown: a build may need them without naming them.
        if suggestion.kind == SuggestionKind::Slim
            && !suggestion.missing_headers
            && missing.is_empty()
        {
            builder.unsafe_fix(format!("Use `{new}`"), edits);
        } else {
            builder.display_only_fix(format!("Use `{new}`"), edits);
        }
    }
}
