//! WH114 `password-set-in-image`: see `rules/WH114.md`.

use super::helpers::run_commands::run_commands;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct PasswordSetInImage;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH114"),
    name: SharedStr::new("password-set-in-image"),
    category: Category::Security,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["CKV2_DOCKER_17"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH114.md")),
};

impl Rule for PasswordSetInImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            let Some(name) = c.name() else { continue };
            let message = match name {
                "chpasswd" => "`chpasswd` sets a password in the image",
                "useradd" | "usermod" => {
                    // `-p HASH` / `--password HASH`; `-p '*'` or `!` lock the account: fine.
                    let set = c.words.windows(2).any(|w| {
                        (w[0] == "-p" || w[0] == "--password")
                            && !matches!(w[1].as_str(), "*" | "!" | "!!" | "")
                    }) || c.words.iter().any(|w| {
                        w.strip_prefix("--password=")
                            .is_some_and(|v| !matches!(v, "*" | "!" | "!!" | ""))
                    });
                    if !set {
                        continue;
                    }
                    "a password hash is set in the image"
                }
                _ => continue,
            };
            cx.report(
                c.file_span(),
                format!(
                    "{message}: it is readable by anyone with the image (layers and history); create the user without a password and pass credentials at run time"
                ),
            );
        }
    }
}
