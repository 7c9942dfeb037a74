//! WH112 `tls-verification-disabled`: see `rules/WH112.md`.

use super::helpers::run_commands::{RunCommand, run_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView, Span, words};

pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH112"),
    name: SharedStr::new("tls-verification-disabled"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &[
        "CKV2_DOCKER_2",
        "CKV2_DOCKER_3",
        "CKV2_DOCKER_4",
        "CKV2_DOCKER_5",
        "CKV2_DOCKER_6",
        "CKV2_DOCKER_12",
        "CKV2_DOCKER_13",
        "CKV2_DOCKER_14",
        "CKV2_DOCKER_15",
        "CKV2_DOCKER_16",
    ],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH112.md")),
};

/// curl's short options that take a value: in a bundle (`-fsSLo`) the rest of the word, or the
/// next word, is that value, so a `k` after one of them is not `--insecure`.
const CURL_VALUE_SHORTS: &str = "AbcCdDeEFhHKmoPQrtTuUwxXyYz";

fn is_false(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "false" | "0" | "no" | "off"
    )
}

/// Whether an environment variable setting turns verification off (`None`: not such a variable).
fn env_disables(name: &str, value: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    match upper.as_str() {
        "PIP_TRUSTED_HOST" if !value.is_empty() => {
            Some("pip trusts hosts without TLS verification")
        }
        "PYTHONHTTPSVERIFY" if value == "0" => Some("Python skips HTTPS certificate checks"),
        "NODE_TLS_REJECT_UNAUTHORIZED" if value == "0" => {
            Some("Node.js accepts any TLS certificate")
        }
        "NPM_CONFIG_STRICT_SSL" if is_false(value) => Some("npm accepts any TLS certificate"),
        "GIT_SSL_NO_VERIFY" if !value.is_empty() => Some("git skips TLS certificate checks"),
        _ => None,
    }
}

/// What a command does to turn verification off, if anything.
fn command_disables(c: &RunCommand<'_>) -> Option<&'static str> {
    let name = c.name()?;
    let args: Vec<&str> = c
        .words
        .iter()
        .skip(1)
        .take_while(|w| *w != "--")
        .map(String::as_str)
        .collect();
    let has = |flag: &str| {
        args.iter()
            .any(|a| *a == flag || a.strip_prefix(flag).is_some_and(|r| r.starts_with('=')))
    };
    let base = name.trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == '.');
    match base {
        "curl" => {
            let short_k = args.iter().any(|a| {
                let Some(letters) = a.strip_prefix('-') else {
                    return false;
                };
                if letters.starts_with('-') {
                    return false;
                }
                for ch in letters.chars() {
                    if ch == 'k' {
                        return true;
                    }
                    if CURL_VALUE_SHORTS.contains(ch) {
                        return false;
                    }
                }
                false
            });
            (short_k || args.contains(&"--insecure"))
                .then_some("`curl --insecure` accepts any TLS certificate")
        }
        "wget" => {
            let off = args.contains(&"--no-check-certificate")
                || args
                    .iter()
                    .any(|a| a.strip_prefix("--check-certificate=").is_some_and(is_false));
            off.then_some("`wget --no-check-certificate` accepts any TLS certificate")
        }
        "pip" | "pipx" | "uv" => has("--trusted-host")
            .then_some("`--trusted-host` makes pip skip TLS verification for that host"),
        "python" if args.first() == Some(&"-m") && args.get(1).is_some_and(|m| *m == "pip") => {
            has("--trusted-host")
                .then_some("`--trusted-host` makes pip skip TLS verification for that host")
        }
        "git" => {
            let key = |s: &str| s.eq_ignore_ascii_case("http.sslverify");
            let inline = args.windows(2).any(|w| {
                w[0] == "-c"
                    && w[1]
                        .split_once('=')
                        .is_some_and(|(k, v)| key(k) && is_false(v))
            });
            let config = args.first() == Some(&"config")
                && args.windows(2).any(|w| key(w[0]) && is_false(w[1]));
            (inline || config)
                .then_some("git skips TLS certificate checks (`http.sslVerify false`)")
        }
        "npm" | "yarn" | "pnpm" => {
            let config_set = args
                .windows(2)
                .any(|w| w[0] == "strict-ssl" && is_false(w[1]))
                && args.contains(&"config");
            let flag = args
                .iter()
                .any(|a| a.strip_prefix("--strict-ssl=").is_some_and(is_false));
            (config_set || flag).then_some("`strict-ssl false` accepts any TLS certificate")
        }
        "yum" | "dnf" | "microdnf" | "tdnf" => {
            let off = args.iter().any(|a| {
                a.strip_prefix("--setopt=")
                    .and_then(|o| o.split_once('='))
                    .is_some_and(|(k, v)| {
                        (k == "sslverify" || k.ends_with(".sslverify")) && is_false(v)
                    })
            });
            off.then_some("`sslverify=0` makes the package manager skip TLS checks")
        }
        _ => None,
    }
}

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let mut found: Vec<(Span, String)> = Vec::new();
        for c in run_commands(sem) {
            if let Some(why) = command_disables(&c) {
                found.push((c.file_span(), why.to_string()));
            }
            // `VAR=value cmd`, `export VAR=value`, `env VAR=value cmd`
            let written = c.cmd.argv.first().and_then(|w| w.literal(&c.run.text));
            let sets_env = matches!(written.as_deref(), Some("export" | "env"));
            let words = c
                .cmd
                .assigns
                .iter()
                .chain(c.cmd.argv.iter().skip(1).filter(|_| sets_env));
            for w in words {
                let Some(text) = w.literal(&c.run.text) else {
                    continue;
                };
                let Some((name, value)) = text.split_once('=') else {
                    continue;
                };
                if let Some(why) = env_disables(name, value) {
                    found.push((c.run.file_span(w.span), format!("`{name}={value}`: {why}")));
                }
            }
        }
        for (i, ins) in file.instructions.iter().enumerate() {
            if sem.states.get(i).and_then(|s| s.stage).is_none() {
                continue;
            }
            let unquote = |s: &str| words::expand_with(s, file.escape, &|_| None).value;
            match ins.view() {
                InstructionView::Env(env) => {
                    for pair in &env.pairs {
                        let (name, value) = (unquote(&pair.key), unquote(&pair.value));
                        if let Some(why) = env_disables(&name, &value) {
                            found.push((pair.key_span, format!("`ENV {name}={value}`: {why}")));
                        }
                    }
                }
                InstructionView::Arg(arg) => {
                    for decl in &arg.args {
                        let Some(default) = &decl.default else {
                            continue;
                        };
                        let value = unquote(default);
                        if let Some(why) = env_disables(&decl.name, &value) {
                            found.push((
                                decl.name_span,
                                format!("`ARG {}={value}`: {why}", decl.name),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        found.sort_by_key(|(s, _)| (s.start, s.end));
        found.dedup_by_key(|(s, _)| *s);
        for (span, why) in found {
            cx.report(
                span,
                format!("{why}: downloads can be tampered with on the way"),
            );
        }
    }
}
