//! WH132 `last-user-root`: see `rules/WH132.md`.

use super::helpers::run_commands::image_stages;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView, Keyword};

pub struct LastUserRoot;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH132"),
    name: SharedStr::new("last-user-root"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3002", "CKV_DOCKER_8"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH132.md")),
};

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

impl Rule for LastUserRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        if let Some(p) = super::runs_as_root::program(file, &stages, sem) {
            let base = p.rsplit('/').next().unwrap_or(&p);
            if super::runs_as_root::DROPS_PRIVILEGES.contains(&base) {
                return;
            }
        }
        let last_user = file.instructions.iter().enumerate().rev().find(|(i, ins)| {
            ins.keyword == Keyword::User
                && sem
                    .states
                    .get(*i)
                    .and_then(|s| s.stage)
                    .is_some_and(|s| stages.contains(&s))
        });
        let Some((_, ins)) = last_user else { return };
        let InstructionView::User(v) = ins.view() else {
            return;
        };
        if v.value.as_ref().is_some_and(|w| is_root(&w.value)) {
            cx.report(
                ins.span,
                "The image runs as root: the last `USER` of its stages is root",
            );
        }
    }
}
