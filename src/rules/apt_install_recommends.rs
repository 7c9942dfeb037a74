//! WH302 `apt-install-recommends`: see `rules/WH302.md`.

use super::helpers::run_commands::{
    command_text, image_stages, insert_after_subcommand, insert_after_word, run_commands,
};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::Action;
use crate::syntax::Dockerfile;

pub struct AptInstallRecommends;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH302"),
    name: SharedStr::new("apt-install-recommends"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &["DL3015", "DS-0029"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH302.md")),
};

impl Rule for AptInstallRecommends {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = run_commands(sem);
        for c in &cmds {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if pm.family != "debian" || inv.action != Action::Install {
                continue;
            }
            if inv.has_flag(c.words, &pm.no_recommends_flags) {
                continue;
            }
            // Turned off by configuration: `-o APT::Install-Recommends=false` here, or an
            // apt.conf snippet written by this RUN or an earlier one of the image.
            let configured = sem.run_scripts.iter().any(|r| {
                r.instruction <= c.instruction
                    && sem
                        .states
                        .get(r.instruction)
                        .and_then(|s| s.stage)
                        .is_some_and(|s| stages.contains(&s))
                    && r.text.contains("Install-Recommends")
            });
            if configured {
                continue;
            }
            let Some(flag) = pm.no_recommends_flags.first() else {
                continue;
            };
            let shown = command_text(c, inv);
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` without `{flag}` also installs every recommended package"),
            );
            let Some(mut edits) = insert_after_subcommand(c, inv, flag).map(|e| vec![e]) else {
                continue;
            };
            // What the named packages only recommend but need for HTTPS: install it by name.
            let operands = inv.operand_words(c.words);
            let mut extra: Vec<&str> = Vec::new();
            for op in &operands {
                let name = op.split(['=', '/']).next().unwrap_or(op);
                for needed in pm.needed_recommends.get(name).into_iter().flatten() {
                    if !operands.contains(needed) && !extra.contains(needed) {
                        extra.push(needed);
                    }
                }
            }
            if !extra.is_empty() {
                let last = inv.operands.last().and_then(|&i| c.argv.get(i));
                match last {
                    Some(w) => edits.push(insert_after_word(c.run, w, &extra.join(" "))),
                    None => continue,
                }
            }
            builder.unsafe_fix(format!("Add `{flag}`"), edits);
        }
    }
}
