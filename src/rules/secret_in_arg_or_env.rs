//! WH101 `secret-in-arg-or-env`: see `rules/WH101.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::semantic::Value;
use crate::syntax::words;
use crate::syntax::{Dockerfile, InstructionView};

pub struct SecretInArgOrEnv;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH101"),
    name: SharedStr::new("secret-in-arg-or-env"),
    category: Category::Security,
    severity: Severity::Info,
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

/// Last `_`-separated parts that make the name a setting about credentials rather than one
/// (`AUTH_SERVICE`, `LDAP_AUTH_PROTOCOL`, `VAULT_NAMESPACE`, `TOKEN_TTL`).
const SETTING_SUFFIXES: &[&str] = &[
    "service",
    "protocol",
    "namespace",
    "method",
    "mode",
    "type",
    "enabled",
    "disabled",
    "enable",
    "disable",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "path",
    "dir",
    "ttl",
    "timeout",
    "expiry",
    "expiration",
    "length",
    "size",
    "header",
    "algorithm",
    "provider",
    "backend",
    "realm",
    "scope",
    "scopes",
    "server",
    "issuer",
];

/// Parts that make the name a switch about a secret (`TS_DISABLE_TOKEN_AUTHORIZATION`,
/// `APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE`) rather than the secret.
const SWITCH_WORDS: &[&str] = &[
    "disable", "enable", "dont", "skip", "allow", "require", "use",
];

/// Name parts of public key material: a GPG key ID or fingerprint is published on purpose.
const PUBLIC_KEY_WORDS: &[&str] = &["gpg", "pgp", "signing", "fingerprint", "keyid", "keys"];

/// Whether the name is a setting or switch about credentials, not a credential.
fn is_setting_name(name: &str) -> bool {
    let parts: Vec<String> = name.split('_').map(str::to_ascii_lowercase).collect();
    let last = parts.last().map(String::as_str).unwrap_or("");
    SETTING_SUFFIXES.contains(&last) || parts.iter().any(|p| SWITCH_WORDS.contains(&p.as_str()))
}

/// A value that holds nothing secret: empty, a switch or number, a placeholder that disables
/// the feature, or where to find something (a URL or an absolute path).
fn is_harmless_value(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil" | "disabled"
        )
        || v.chars().all(|c| c.is_ascii_digit())
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("file://")
        || v.starts_with('/')
}

/// A GPG key ID or fingerprint (16 or 40 hex digits, spaces allowed) under a key-material name.
fn is_public_key_id(name: &str, value: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let named =
        lower.split('_').any(|p| PUBLIC_KEY_WORDS.contains(&p)) || lower.ends_with("fingerprint");
    let hex: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    named
        && (hex.len() == 16 || hex.len() == 40 || hex.len() == 8)
        && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// A value that is where key material is (`${BASE_URL}/release.key`, a URL, a path), not a
/// secret.
fn is_location(value: &str) -> bool {
    let v = value.trim_matches(['"', '\'']);
    v.contains("://") || v.starts_with('/') || v.contains("}/")
}

/// The variable a value is exactly (`$NAME` or `${NAME}`), if it is one.
fn sole_variable(value: &str) -> Option<&str> {
    let v = value.trim_matches('"');
    let name = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
}

/// Whether what the instruction at `at` gives `name` holds nothing secret: a known value (its
/// own, or for a stage `ARG NAME` the global default it takes) that is harmless. An `ENV` set to
/// nothing stores nothing; an `ARG` without a value (or with an empty default) is filled in at
/// build time, and that value is recorded.
fn harmless_definition(sem: &crate::semantic::Semantic, name: &str, at: usize, env: bool) -> bool {
    match sem.defined_at(name, at).map(|d| &d.value) {
        Some(Value::Known(v)) => {
            (env || !v.trim().is_empty()) && (is_harmless_value(v) || is_public_key_id(name, v))
        }
        _ => false,
    }
}

impl Rule for SecretInArgOrEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        // ARGs whose default is a location: an ENV that takes one of them holds a location.
        let mut location_args = std::collections::HashSet::new();
        for (i, ins) in file.instructions.iter().enumerate() {
            if let InstructionView::Arg(arg) = ins.view() {
                for decl in &arg.args {
                    if decl.default.as_deref().is_some_and(is_location) {
                        location_args.insert(decl.name.clone());
                    }
                }
            }
            // ARGs before the first FROM only choose base images; they are not recorded.
            if semantic.states.get(i).and_then(|s| s.stage).is_none() {
                continue;
            }
            match ins.view() {
                InstructionView::Arg(arg) => {
                    for decl in arg.args.iter().filter(|d| looks_secret(&d.name)) {
                        // A default that is a location (`${BASE_URL}/release.key`, a path) names
                        // where key material is, not a secret.
                        let location = decl.default.as_deref().is_some_and(is_location);
                        if is_setting_name(&decl.name)
                            || location
                            || harmless_definition(semantic, &decl.name, i, false)
                        {
                            continue;
                        }
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
                        let raw = pair.value.as_str();
                        let location = is_location(raw)
                            || sole_variable(raw).is_some_and(|v| location_args.contains(v));
                        if looks_secret(&name)
                            && !is_setting_name(&name)
                            && !location
                            && !harmless_definition(semantic, &name, i, true)
                        {
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
