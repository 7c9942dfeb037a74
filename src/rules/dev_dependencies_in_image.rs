//! WH311 `dev-dependencies-in-image`: see `rules/WH311.md`.

use super::helpers::node_split;
use super::helpers::run_commands::{
    EnvSetting, RunCommand, context_source, env_for, image_stages, insert_after_subcommand,
    layer_commands,
};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::base_images;
use crate::diagnostic::Severity;
use crate::manifests::PackageJson;
use crate::package_managers::Invocation;
use crate::semantic::Semantic;
use crate::syntax::Dockerfile;

pub struct DevDependenciesInImage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH311"),
    name: SharedStr::new("dev-dependencies-in-image"),
    category: Category::ImageSize,
    severity: Severity::Info,
    fix: FixKind::Unsafe,
    aliases: &[],
    default_enabled: false,
    context: ContextUse::Files,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH311.md")),
};

/// Requirement files and extras that name development dependencies.
fn dev_requirements(word: &str) -> bool {
    let base = word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase();
    let dir_dev = word.contains("requirements/dev") || word.contains("requirements/test");
    let file_dev = [
        "requirements-dev",
        "requirements_dev",
        "dev-requirements",
        "requirements-test",
        "requirements_test",
        "test-requirements",
    ]
    .iter()
    .any(|p| base.starts_with(p));
    let extra = word.ends_with("[dev]") || word.ends_with("[test]") || word.ends_with("[tests]");
    dir_dev || file_dev || extra
}

fn has_word(c: &RunCommand<'_>, words: &[&str]) -> bool {
    c.words.iter().any(|w| {
        words
            .iter()
            .any(|f| w == f || w.strip_prefix(f).is_some_and(|r| r.starts_with('=')))
    })
}

fn env_is(sem: &Semantic, c: &RunCommand<'_>, name: &str, values: &[&str]) -> bool {
    match env_for(sem, c, name) {
        Some(EnvSetting::Value(v)) => values.iter().any(|x| v.eq_ignore_ascii_case(x)),
        // Unknown: it may be production; stay silent.
        Some(EnvSetting::Unknown) => true,
        None => false,
    }
}

/// What the install leaves in the image, and the flag that would keep it out (when the flag
/// alone is a mechanical fix).
fn finding(
    sem: &Semantic,
    cmds: &[RunCommand<'_>],
    c: &RunCommand<'_>,
    inv: &Invocation,
    manifest_has: &dyn Fn(&str, &str) -> Option<bool>,
) -> Option<(String, Option<&'static str>)> {
    let manager = inv.manager.name;
    let sub = inv.subcommand_text(c.words).unwrap_or_default();
    let no_operands = inv.operands.is_empty();
    match manager {
        "npm" if (sub == "ci" || sub == "install") && no_operands => {
            let prod = has_word(
                c,
                &[
                    "--omit=dev",
                    "--production",
                    "--only=prod",
                    "--only=production",
                ],
            ) || c
                .words
                .windows(2)
                .any(|w| w[0] == "--omit" && w[1] == "dev")
                || env_is(sem, c, "NODE_ENV", &["production"])
                || env_is(sem, c, "NPM_CONFIG_PRODUCTION", &["true"])
                || env_is(sem, c, "NPM_CONFIG_OMIT", &["dev"]);
            (!prod).then(|| {
                (
                    format!("`npm {sub}` installs devDependencies"),
                    Some("--omit=dev"),
                )
            })
        }
        "pnpm" if sub == "install" || sub == "i" => {
            let prod = has_word(c, &["--prod", "-P", "--production"])
                || env_is(sem, c, "NODE_ENV", &["production"]);
            (!prod && no_operands).then(|| {
                (
                    "`pnpm install` installs devDependencies".to_string(),
                    Some("--prod"),
                )
            })
        }
        "yarn" if (sub.is_empty() || sub == "install") && no_operands => {
            let prod = has_word(c, &["--production", "--prod"])
                || env_is(sem, c, "NODE_ENV", &["production"]);
            (!prod).then(|| ("`yarn install` installs devDependencies".to_string(), None))
        }
        "composer" if sub == "install" => (!has_word(c, &["--no-dev"])
            && manifest_has("composer.json", "require-dev") != Some(false))
        .then(|| {
            (
                "`composer install` installs require-dev packages".to_string(),
                Some("--no-dev"),
            )
        }),
        "bundler" if sub == "install" || sub.is_empty() => {
            let without = has_word(c, &["--without"])
                || env_for(sem, c, "BUNDLE_WITHOUT").is_some()
                || env_for(sem, c, "BUNDLE_DEPLOYMENT").is_some()
                || bundle_config_without(cmds, c);
            (!without).then(|| {
                (
                    "`bundle install` installs the development and test groups".to_string(),
                    None,
                )
            })
        }
        "poetry" if sub == "install" => {
            let main_only = has_word(c, &["--only", "--without", "--no-dev"])
                || c.words
                    .iter()
                    .any(|w| w.starts_with("--only=") || w.starts_with("--without="));
            (!main_only).then(|| ("`poetry install` installs the dev group".to_string(), None))
        }
        "pip" | "uv" => {
            let dev = c.words.iter().find(|w| dev_requirements(w))?;
            Some((format!("`{dev}` installs development dependencies"), None))
        }
        _ => None,
    }
}

/// `bundle config set without 'development test'` (or `--local`/`--global`, the older `bundle
/// config without ...`) earlier in the stage, or in the same RUN before the install.
fn bundle_config_without(cmds: &[RunCommand<'_>], c: &RunCommand<'_>) -> bool {
    cmds.iter()
        .filter(|o| {
            o.stage == c.stage && (o.instruction, o.position()) < (c.instruction, c.position())
        })
        .any(|o| {
            matches!(o.name(), Some("bundle" | "bundler"))
                && o.words.get(1).is_some_and(|w| w == "config")
                && o.words.iter().any(|w| w == "without" || w == "--without")
        })
}

/// Whether the RUN installs into a mount (a bind or cache mount over its working directory):
/// nothing it installs stays in the layer.
fn installs_into_mount(file: &Dockerfile, sem: &Semantic, c: &RunCommand<'_>) -> bool {
    let Some(crate::syntax::InstructionView::Run(run)) =
        file.instructions.get(c.instruction).map(|i| i.view())
    else {
        return false;
    };
    let workdir = sem
        .states
        .get(c.instruction)
        .and_then(|s| s.workdir.clone())
        .unwrap_or_else(|| "/".to_string());
    run.mounts.iter().any(|m| {
        matches!(m.kind().to_ascii_lowercase().as_str(), "bind" | "cache")
            && m.target()
                .is_some_and(|t| super::helpers::run_commands::path_within(&workdir, t) && t != "/")
    })
}

/// A later command of the stage that needs the dev dependencies (a build or test script).
fn later_build_step(cmds: &[RunCommand<'_>], c: &RunCommand<'_>) -> bool {
    cmds.iter()
        .filter(|o| {
            o.stage == c.stage && (o.instruction, o.position()) > (c.instruction, c.position())
        })
        .any(|o| match o.name() {
            Some("npm" | "pnpm" | "yarn") => o.words.get(1).is_some_and(|s| {
                matches!(
                    s.as_str(),
                    "run" | "run-script" | "test" | "build" | "exec" | "dlx"
                )
            }),
            Some(
                "npx" | "tsc" | "webpack" | "vite" | "esbuild" | "rollup" | "jest" | "pytest"
                | "rake",
            ) => true,
            _ => false,
        })
}

/// The npm major version the command runs with, from the base image table: the official node
/// image's tag, a node version named by the NodeSource setup script or `nvm install`, or the
/// distribution's own `npm` package. `None` when none of them says.
fn npm_major(sem: &Semantic, cmds: &[RunCommand<'_>], c: &RunCommand<'_>) -> Option<u32> {
    let root = sem.root_stage(c.stage)?;
    let repository = root.base.repository.as_deref()?;
    let tag = root.base.tag.as_deref().unwrap_or("latest");
    let official = base_images::lookup(repository).map(|i| i.repository.as_str());
    if official == Some("node") || repository == "node" || repository.ends_with("/node") {
        return base_images::node_image_npm(tag);
    }
    // The stages from the root to this one.
    let chain: Vec<usize> = {
        let mut v = vec![c.stage];
        let mut s = c.stage;
        while let Some(p) = sem
            .stages
            .get(s)
            .and_then(|st| st.base.stage)
            .filter(|p| *p < s)
        {
            v.push(p);
            s = p;
        }
        v
    };
    let earlier = |o: &&RunCommand<'_>| chain.contains(&o.stage) && o.instruction < c.instruction;
    // `curl .../setup_20.x | bash -`, `nvm install 20`
    for o in cmds.iter().filter(earlier) {
        for (k, w) in o.words.iter().enumerate() {
            let named = w
                .split("setup_")
                .nth(1)
                .and_then(|r| r.strip_suffix(".x"))
                .or_else(|| {
                    (o.name() == Some("nvm")
                        && k == 2
                        && o.words.get(1).is_some_and(|s| s == "install"))
                    .then_some(w.as_str())
                });
            if let Some(major) =
                named.and_then(|n| n.trim_start_matches('v').split('.').next()?.parse().ok())
            {
                return base_images::node_npm(major);
            }
        }
        if o.words
            .iter()
            .any(|w| w.contains("nodesource") || w.contains("nvm"))
        {
            return None;
        }
    }
    let npm_from_apt = cmds.iter().filter(earlier).any(|o| {
        o.package().is_some_and(|p| {
            matches!(p.manager.name, "apt-get" | "apt")
                && p.action == crate::package_managers::Action::Install
                && p.operands
                    .iter()
                    .any(|&i| o.words.get(i).is_some_and(|w| w == "npm"))
        })
    });
    npm_from_apt
        .then(|| base_images::distro_npm(repository, tag))
        .flatten()
}

/// The production flag the command's npm knows: `--production` up to npm 6 (which ignores
/// `--omit=dev`), `--omit=dev` after.
fn npm_production_flag(
    sem: &Semantic,
    cmds: &[RunCommand<'_>],
    c: &RunCommand<'_>,
) -> Option<&'static str> {
    Some(if npm_major(sem, cmds, c)? <= 6 {
        "--production"
    } else {
        "--omit=dev"
    })
}

/// Whether the package installed by `c` defines install scripts (`postinstall`, `prepare` ...),
/// which npm runs after the install and which may need devDependencies. Unknown (no context, no
/// package.json found) counts as no: the fix stays as it was offered before the context was
/// read.
fn runs_install_scripts(
    file: &Dockerfile,
    sem: &Semantic,
    bc: Option<&crate::build_context::BuildContext>,
    c: &RunCommand<'_>,
) -> bool {
    let Some(bc) = bc.filter(|b| b.files.is_some()) else {
        return false;
    };
    let Some(workdir) = sem
        .states
        .get(c.instruction)
        .and_then(|s| s.workdir.clone())
    else {
        return true;
    };
    // `cd dir && npm ci`: the manifest is elsewhere; not followed.
    let cd_first = c.script.cmds.iter().any(|o| {
        o.span.start < c.cmd.span.start
            && o.argv.first().is_some_and(|w| w.raw(&c.run.text) == "cd")
    });
    if cd_first {
        return true;
    }
    let manifest = format!("{}/package.json", workdir.trim_end_matches('/'));
    let Some(source) = context_source(file, sem, c.stage, c.instruction, &manifest) else {
        return true;
    };
    match bc.read(&source).text().and_then(|t| PackageJson::parse(&t)) {
        Some(p) => !p.install_scripts().is_empty() || p.workspaces,
        None => true,
    }
}

impl Rule for DevDependenciesInImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        // A development, test or CI image is meant to have its dev dependencies.
        if super::helpers::image_purpose::toolchain_reason(file, sem, cx.dockerfile_path()).is_some() {
            return;
        }
        let stages = image_stages(sem);
        let cmds = layer_commands(sem);
        let bc = cx.build_context().and_then(|b| b.located());
        let manifest_has = |name: &str, key: &str| bc.and_then(|b| b.manifest_has(name, key));
        for c in &cmds {
            if !stages.contains(&c.stage) || installs_into_mount(file, sem, c) {
                continue;
            }
            let Some(inv) = c.package() else { continue };
            let Some((what, flag)) = finding(sem, &cmds, c, inv, &manifest_has) else {
                continue;
            };
            if later_build_step(&cmds, c) {
                let bc = cx.build_context();
                let builder = cx.report(
                    c.file_span(),
                    format!("{what}, which a later build step of this stage needs: they stay in the image; build in a separate stage and install production dependencies in the final one"),
                );
                // Node projects: the split into build, production-dependency and runtime stages.
                let production_flag = match inv.manager.name {
                    "npm" => npm_production_flag(sem, &cmds, c),
                    "pnpm" => Some("--prod"),
                    // Yarn classic (the one that knows --frozen-lockfile) installs production
                    // dependencies with --production; berry has no such switch.
                    "yarn" if has_word(c, &["--frozen-lockfile"]) => Some("--production"),
                    _ => None,
                };
                if matches!(inv.manager.name, "npm" | "pnpm" | "yarn")
                    && let Some(fix) = node_split::plan(
                        file,
                        sem,
                        bc,
                        &cmds,
                        c,
                        production_flag,
                    )
                {
                    builder.fix(fix.title, fix.applicability, fix.edits);
                }
                continue;
            }
            // npm: the flag its version knows, and no fix when the package's own install
            // scripts run (they may need the devDependencies) or the version is not known.
            let flag = match (inv.manager.name, flag) {
                ("npm", Some(_)) => npm_production_flag(sem, &cmds, c)
                    .filter(|_| !runs_install_scripts(file, sem, cx.build_context(), c)),
                (_, f) => f,
            };
            let builder = cx.report(
                c.file_span(),
                format!("{what} into the image, and nothing later in the stage builds with them"),
            );
            if let Some(flag) = flag
                && let Some(edit) = insert_after_subcommand(c, inv, flag)
            {
                builder.unsafe_fix(format!("Add `{flag}`"), vec![edit]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::build_context::BuildContext;
    use crate::lint::{Settings, lint_source};
    use std::sync::Arc;

    #[test]
    fn composer_without_require_dev_in_the_context_is_fine() {
        let src = "FROM php:8.3-fpm\nWORKDIR /app\nCOPY composer.json ./\nRUN composer install\nCMD [\"php-fpm\"]\n";
        let with = |manifest: &str| {
            let bc = BuildContext::from_listing(&["composer.json"], None)
                .unwrap()
                .with_contents(&[("composer.json", manifest)]);
            let settings = Settings {
                build_context: Some(Arc::new(bc)),
                ..Settings::only(["WH311"])
            };
            lint_source(src, &settings).diagnostics.len()
        };
        assert_eq!(with(r#"{"require": {"php": ">=8.1"}}"#), 0);
        assert_eq!(with(r#"{"require": {}, "require-dev": {}}"#), 0);
        assert_eq!(with(r#"{"require-dev": {"phpunit/phpunit": "^10"}}"#), 1);
        // unknown manifest: reported
        assert_eq!(
            lint_source(src, &Settings::only(["WH311"]))
                .diagnostics
                .len(),
            1
        );
    }
}
