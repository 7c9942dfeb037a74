//! WH113 `package-signature-check-disabled`: see `rules/WH113.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct PackageSignatureCheckDisabled;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH113"),
    name: SharedStr::new("package-signature-check-disabled"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[
        "CKV2_DOCKER_7",
        "CKV2_DOCKER_8",
        "CKV2_DOCKER_9",
        "CKV2_DOCKER_10",
        "CKV2_DOCKER_11",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH113.md")),
};

fn is_off(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off"
    )
}

fn is_on(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

/// The flag (as written) that turns signature checks off for this tool, if any.
fn disabling_flag<'w>(tool: &str, args: &[&'w str]) -> Option<&'w str> {
    let exact = |flags: &[&str]| args.iter().copied().find(|a| flags.contains(a));
    match tool {
        "apk" => exact(&["--allow-untrusted"]),
        "apt-get" | "apt" | "aptitude" => exact(&[
            "--allow-unauthenticated",
            "--force-yes",
            "--allow-insecure-repositories",
        ])
        .or_else(|| {
            // `-o APT::Get::AllowUnauthenticated=true` (also `-oAPT::...`)
            args.iter().enumerate().find_map(|(i, a)| {
                // the word that holds the setting: `-oX=Y`, `--option=X=Y` or the `X=Y` after `-o`
                let (word, opt) = match a.strip_prefix("-o") {
                    Some("") => {
                        let next = args.get(i + 1).copied()?;
                        (next, next)
                    }
                    Some(rest) => (*a, rest),
                    None => (*a, a.strip_prefix("--option=")?),
                };
                let (key, value) = opt.split_once('=')?;
                let key = key.to_ascii_lowercase();
                ((key == "apt::get::allowunauthenticated"
                    || key == "acquire::allowinsecurerepositories")
                    && is_on(value))
                .then_some(word)
            })
        }),
        "yum" | "dnf" | "microdnf" | "tdnf" => exact(&["--nogpgcheck"]).or_else(|| {
            args.iter().copied().find(|a| {
                a.strip_prefix("--setopt=")
                    .and_then(|o| o.split_once('='))
                    .is_some_and(|(k, v)| {
                        (k == "gpgcheck" || k.ends_with(".gpgcheck")) && is_off(v)
                    })
            })
        }),
        "zypper" => exact(&["--no-gpg-checks"]),
        "rpm" => exact(&[
            "--nodigest",
            "--nosignature",
            "--noverify",
            "--nofiledigest",
        ]),
        _ => None,
    }
}

impl Rule for PackageSignatureCheckDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(name) = c.name() else { continue };
            let args: Vec<&str> = c
                .words
                .iter()
                .skip(1)
                .take_while(|w| *w != "--")
                .map(String::as_str)
                .collect();
            let Some(flag) = disabling_flag(name, &args) else {
                continue;
            };
            let index = c.words.iter().position(|w| w == flag).unwrap_or(0);
            let span = c.word_file_span(index).unwrap_or_else(|| c.file_span());
            cx.report(
                span,
                format!(
                    "`{name} {flag}` installs packages without checking their signatures: anyone on the way can substitute them"
                ),
            );
        }
    }
}
