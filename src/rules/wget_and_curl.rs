//! WH354 `wget-and-curl`: see `rules/WH354.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct WgetAndCurl;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH354"),
    name: SharedStr::new("wget-and-curl"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["DL4001", "DS-0014"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH354.md")),
};

impl Rule for WgetAndCurl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let cmds = run_commands(sem);
        // Per stage: the first use of each tool; the later of the two is reported.
        let mut firsts: std::collections::BTreeMap<usize, [Option<usize>; 2]> = Default::default();
        for (i, c) in cmds.iter().enumerate() {
            let slot = match c.name() {
                Some("curl") => 0,
                Some("wget") => 1,
                _ => continue,
            };
            let entry = firsts.entry(c.stage).or_default();
            if entry[slot].is_none() {
                entry[slot] = Some(i);
            }
        }
        for [curl, wget] in firsts.into_values() {
            let (Some(curl), Some(wget)) = (curl, wget) else {
                continue;
            };
            let (first, second) = if curl < wget {
                (curl, wget)
            } else {
                (wget, curl)
            };
            let (Some(a), Some(b)) = (cmds.get(first), cmds.get(second)) else {
                continue;
            };
            let (an, bn) = (a.name().unwrap_or_default(), b.name().unwrap_or_default());
            cx.report(
                b.file_span(),
                format!("this stage already uses `{an}`; using `{bn}` too means two download tools in the image: pick one"),
            );
        }
    }
}
