//! WH303 `pip-cache-not-disabled`: see `rules/WH303.md`.

use super::helpers::run_commands::{
    RunCommand, command_text, env_for, image_stages, insert_after_subcommand, run_commands,
};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::Action;
use crate::semantic::Semantic;
use crate::syntax::Dockerfile;

pub struct PipCacheNotDisabled;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH303"),
    name: SharedStr::new("pip-cache-not-disabled"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3042"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH303.md")),
};

/// The Python installers this rule knows: they cache under `~/.cache/<name>` by default.
const MANAGERS: &[&str] = &["pip", "uv"];

/// A cache or tmpfs mount on this RUN whose target is (inside) a `.cache` directory: the
/// download cache lives there for root and for any other user.
fn mounts_a_cache_dir(file: &Dockerfile, c: &RunCommand<'_>, dirs: &[&str]) -> bool {
    let Some(run) = file.instructions.get(c.instruction).and_then(|i| i.run_view()) else {
        return false;
    };
    run.mounts.iter().any(|m| {
        matches!(m.kind().to_ascii_lowercase().as_str(), "cache" | "tmpfs")
            && m.target().is_some_and(|t| {
                let t = t.trim_end_matches('/');
                t.ends_with("/.cache")
                    || t.contains("/.cache/")
                    || dirs.iter().any(|d| super::helpers::run_commands::path_within(d, t))
            })
    })
}

/// A pip configuration file written by an earlier command of the image that turns the cache off.
fn configured_off(sem: &Semantic, c: &RunCommand<'_>, stages: &[usize]) -> bool {
    sem.run_scripts.iter().any(|r| {
        r.instruction <= c.instruction
            && sem
                .states
                .get(r.instruction)
                .and_then(|s| s.stage)
                .is_some_and(|s| stages.contains(&s))
            && r.text.contains("no-cache-dir")
            && (r.text.contains("pip.conf") || r.text.contains("pip config"))
    })
}

impl Rule for PipCacheNotDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        for c in run_commands(sem) {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if !MANAGERS.contains(&pm.name) || inv.action != Action::Install {
                continue;
            }
            let Some(flag) = pm.no_cache_flags.first() else {
                continue;
            };
            if inv.has_flag(c.words, &pm.no_cache_flags)
                || pm
                    .no_cache_env
                    .iter()
                    .any(|e| env_for(sem, &c, e.name).is_some_and(|v| v.is_one_of(&e.values)))
                // The cache was moved somewhere this rule cannot follow.
                || pm.cache_dir_env.iter().any(|n| env_for(sem, &c, n).is_some())
                || mounts_a_cache_dir(file, &c, &pm.cache_dirs)
                || configured_off(sem, &c, &stages)
            {
                continue;
            }
            let shown = command_text(&c, inv);
            let builder = cx.report(
                c.file_span(),
                format!("`{shown}` keeps its download cache in the layer; add `{flag}`"),
            );
            if let Some(edit) = insert_after_subcommand(&c, inv, flag) {
                builder.safe_fix(format!("Add `{flag}`"), vec![edit]);
            }
        }
    }
}
