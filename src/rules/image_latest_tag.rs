//! WH251 `image-latest-tag`: see `rules/WH251.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct ImageLatestTag;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH251"),
    name: SharedStr::new("image-latest-tag"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3007", "DS-0001", "CKV_DOCKER_7", "DKL-DI-0006"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH251.md")),
};

impl Rule for ImageLatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for stage in &sem.stages {
            let base = &stage.base;
            // A digest pins the image whatever the tag says.
            if !base.is_external() || base.digest.is_some() || base.tag.as_deref() != Some("latest")
            {
                continue;
            }
            // A base or tag named through a build argument is chosen by whoever builds: its
            // default is a placeholder the project's build replaces.
            let last = base.raw.rsplit('/').next().unwrap_or(&base.raw);
            let tag_from_arg = last.split_once(':').is_some_and(|(_, t)| t.contains('$'));
            if base.raw.starts_with('$') || tag_from_arg {
                continue;
            }
            let Some(from) = stage.from_view(file) else {
                continue;
            };
            let via = match &base.expanded {
                Some(e) if e != &base.raw => format!(" (`{}` is `{e}`)", base.raw),
                _ => String::new(),
            };
            cx.report(
                from.image.span,
                format!(
                    "`FROM {}` uses the `latest` tag{via}, which changes under you; name a version",
                    base.raw
                ),
            );
        }
    }
}
