//! WH306 `package-cache-not-cleaned`: see `rules/WH306.md`.

use super::helpers::run_commands::{
    RunCommand, command_text, env_for, has_mount_over, image_stages, run_commands,
};
use crate::placement::Follower;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::package_managers::{Action, PackageManager};
use crate::syntax::Dockerfile;

pub struct PackageCacheNotCleaned;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH306"),
    name: SharedStr::new("package-cache-not-cleaned"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &[
        "DL3032", "DL3036", "DL3040", "DL3060", "DS-0015", "DS-0019", "DS-0020", "DS-0027",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH306.md")),
};

/// Managers whose install leaves a download cache that their own clean command removes (apt is
/// WH301's, apk WH305's, pip WH303's).
const MANAGERS: &[&str] = &[
    "dnf", "yum", "microdnf", "tdnf", "zypper", "npm", "yarn", "conda", "composer", "gem",
    "bundler",
];

/// Managers reported without a fix: no build here proves their cleanup keeps the image working
/// (a later `bundle install --local` or `gem install --local` installs from the cache).
const REPORT_ONLY: &[&str] = &["conda", "composer", "gem", "bundler"];

/// Whether `o` installs with `pm` from its local cache only (`npm ci --offline`,
/// `yarn install --offline`, `--prefer-offline`, `dnf -C`), so the cache an earlier layer left
/// is what it installs from.
fn reads_cache_offline(o: &RunCommand<'_>, pm: &PackageManager) -> bool {
    o.package().is_some_and(|p| p.manager.name == pm.name)
        && o.words.iter().skip(1).any(|w| {
            matches!(
                w.as_str(),
                "--offline" | "--prefer-offline" | "-C" | "--cacheonly"
            )
        })
}

impl Rule for PackageCacheNotCleaned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = run_commands(sem);
        let mut reported: Vec<(usize, &str)> = Vec::new();
        for c in &cmds {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let pm = inv.manager;
            if !MANAGERS.contains(&pm.name)
                || !matches!(inv.action, Action::Install | Action::Upgrade)
                // `composer install --no-cache` writes no cache
                || (pm.name == "composer" && c.words.iter().any(|w| w == "--no-cache"))
                || reported.contains(&(c.instruction, pm.name))
            {
                continue;
            }
            let same_run = |o: &&RunCommand<'_>| o.instruction == c.instruction;
            if cmds
                .iter()
                .filter(same_run)
                .any(|o| o.position() > c.position() && o.cleans_cache_of(pm))
                || pm
                    .cache_dirs
                    .iter()
                    .any(|d| has_mount_over(file, c.instruction, d))
                || pm
                    .cache_dir_env
                    .iter()
                    .any(|n| env_for(sem, c, n).is_some())
            {
                continue;
            }
            let Some(cleanup) = pm.cleanup.first() else {
                continue;
            };
            reported.push((c.instruction, pm.name));
            let shown = command_text(c, inv);
            // The gem cache is under the gem path, which images and `bundle config set path`
            // move: name the directory, not one command.
            let message = if matches!(pm.name, "gem" | "bundler") {
                format!("`{shown}` leaves the downloaded `.gem` files in the layer (the `cache` directory of its gem path, `/usr/local/bundle/cache` in the official images); remove them in the same `RUN`")
            } else {
                format!("`{shown}` leaves its download cache in the layer; run `{cleanup}` in the same `RUN`")
            };
            let builder = cx.report(c.file_span(), message);
            if REPORT_ONLY.contains(&pm.name) {
                continue;
            }
            // A later RUN that installs from this cache without the network needs it kept.
            if cmds.iter().any(|o| {
                (o.instruction > c.instruction || (o.run.onbuild && !c.run.onbuild))
                    && stages.contains(&o.stage)
                    && reads_cache_offline(o, pm)
            }) {
                continue;
            }
            // After the manager's last command in this RUN, on that command's path: the clean
            // command fails where the manager is missing (the other branch of an `if`).
            let last = cmds
                .iter()
                .filter(same_run)
                .rfind(|o| o.package().is_some_and(|p| p.manager.name == pm.name))
                .unwrap_or(c);
            let follower = if cleanup.starts_with("rm ") {
                Follower::CannotFail
            } else {
                Follower::MayFail
            };
            if let Ok(edits) = last.follow_with(file, cleanup, follower) {
                builder.safe_fix(format!("Append `{cleanup}`"), edits);
            }
        }
    }
}
