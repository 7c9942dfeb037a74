//! WH118 `missing-healthcheck`: see `rules/WH118.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, Keyword};

pub struct MissingHealthcheck;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH118"),
    name: SharedStr::new("missing-healthcheck"),
    category: Category::Security,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL3057", "DS-0026", "CKV_DOCKER_2"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH118.md")),
};

impl Rule for MissingHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let Some(last) = sem.stages.last() else {
            return;
        };
        // The final stage and the stages it is built FROM: a HEALTHCHECK in any of them applies.
        let mut stage = Some(last.index);
        while let Some(s) = stage {
            let Some(st) = sem.stages.get(s) else { break };
            let has = st
                .body
                .clone()
                .chain(std::iter::once(st.from))
                .filter_map(|i| file.instructions.get(i))
                .any(|ins| ins.keyword == Keyword::Healthcheck);
            if has {
                return;
            }
            stage = st.base.stage;
        }
        let Some(from) = last.from_view(file) else {
            return;
        };
        cx.report(
            from.image.span,
            "the image has no `HEALTHCHECK` (unless its base image sets one): Docker cannot tell a hung container from a healthy one",
        );
    }
}
