//! WH101 `secret-in-arg-or-env`: see `rules/WH101.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::words;
use crate::syntax::{Dockerfile, InstructionView};

pub struct SecretInArgOrEnv;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH101"),
    name: SharedStr::new("secret-in-arg-or-env"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["buildkit:SecretsUsedInArgOrEnv", "DL3064", "DS-0031"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH101.md")),
};

/// `_`-separated parts of a name that say it holds a secret (BuildKit's list).
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// Parts that say the value is not the secret itself.
const HARMLESS_WORDS: &[&str] = &["public", "file", "version"];

/// Whether BuildKit's `SecretsUsedInArgOrEnv` flags this variable name.
pub fn looks_secret(name: &str) -> bool {
    let has = |list: &[&str]| {
        name.split('_')
            .any(|part| list.iter().any(|w| part.eq_ignore_ascii_case(w)))
    };
    has(SECRET_WORDS) && !has(HARMLESS_WORDS)
}

impl Rule for SecretInArgOrEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            // ARGs before the first FROM only choose base images; they are not recorded.
            if semantic.states.get(i).and_then(|s| s.stage).is_none() {
                continue;
            }
            match ins.view() {
                InstructionView::Arg(arg) => {
                    for decl in arg.args.iter().filter(|d| looks_secret(&d.name)) {
                        cx.report(
                            decl.name_span,
                            format!(
                                "`ARG {}` looks like a secret; its value is recorded in the image history",
                                decl.name
                            ),
                        );
                    }
                }
                InstructionView::Env(env) => {
                    for pair in &env.pairs {
                        let name = words::expand_with(&pair.key, file.escape, &|_| None).value;
                        if looks_secret(&name) {
                            cx.report(
                                pair.key_span,
                                format!(
                                    "`ENV {name}` looks like a secret; its value is stored in the image"
                                ),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn buildkit_word_rules() {
        for yes in [
            "SECRET_PASSPHRASE",
            "SUPER_Secret",
            "password",
            "super_duper_secret_token",
            "auth",
            "apikey",
            "git_key",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "a__KEY",
        ] {
            assert!(looks_secret(yes), "{yes}");
        }
        for no in [
            "sunflower",
            "PUBLIC_KEY",
            "public_token",
            "SECRET_PASSPHRASE_FILE",
            "password_file",
            "AUTH_MODULE_VERSION",
            "TOKENS",
            "API-KEY",
            "monkey",
            "",
        ] {
            assert!(!looks_secret(no), "{no}");
        }
    }
}
