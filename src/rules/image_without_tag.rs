//! WH250 `image-without-tag`: see `rules/WH250.md`.

use crate::syntax::image_ref;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct ImageWithoutTag;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH250"),
    name: SharedStr::new("image-without-tag"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3006", "DS-0001", "CKV_DOCKER_7"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH250.md")),
};

impl Rule for ImageWithoutTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for stage in &sem.stages {
            let base = &stage.base;
            // scratch, earlier stages, digests, and references whose value is not known here
            if !base.is_external() || base.digest.is_some() || base.tag.is_some() {
                continue;
            }
            let Some(expanded) = &base.expanded else {
                continue;
            };
            // An invalid reference is WH204's finding (and the build's error), not a tag problem.
            if !image_ref::is_valid(expanded) {
                continue;
            }
            // A base named through a build argument is chosen by whoever builds: its default
            // is a placeholder the project's build replaces.
            if base.raw.starts_with('$') {
                continue;
            }
            let Some(from) = stage.from_view(file) else {
                continue;
            };
            let via = if expanded != &base.raw {
                format!(" (`{}` is `{expanded}`)", base.raw)
            } else {
                String::new()
            };
            cx.report(
                from.image.span,
                format!("`FROM {}` has no tag{via}: it means `latest`, which changes under you; name a version", base.raw),
            );
        }
    }
}
