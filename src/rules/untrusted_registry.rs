//! WH110 `untrusted-registry`: see `rules/WH110.md`.

use super::{
    Category, Context, ContextUse, FixKind, OptionKind, OptionSpec, Rule, RuleMeta, SharedStr,
};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;
use serde::Deserialize;

pub struct UntrustedRegistry;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH110"),
    name: SharedStr::new("untrusted-registry"),
    category: Category::Security,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3026"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[OptionSpec {
        name: "trusted-registries",
        kind: OptionKind::StringList,
        default: "[]",
        doc: "Registries images may come from (`docker.io` for Docker Hub, `*.example.com` for \
              every subdomain); empty: the rule is silent.",
    }],
    doc: SharedStr::new(include_str!("../../rules/WH110.md")),
};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Options {
    /// Registries images may come from (`docker.io` for Docker Hub; `*.example.com` for
    /// every subdomain). Empty: the rule is silent.
    #[serde(default)]
    trusted_registries: Vec<String>,
}

fn trusted(registry: &str, list: &[String]) -> bool {
    let registry = registry.to_ascii_lowercase();
    let hub = |r: &str| matches!(r, "docker.io" | "index.docker.io" | "registry-1.docker.io");
    list.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        match t.strip_prefix("*.") {
            Some(domain) => registry.ends_with(&format!(".{domain}")),
            None => t == registry || (hub(&t) && hub(&registry)),
        }
    })
}

impl Rule for UntrustedRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let options: Options = cx.options();
        if options.trusted_registries.is_empty() {
            return;
        }
        let sem = cx.semantic();
        for stage in &sem.stages {
            let base = &stage.base;
            if !base.is_external() || base.expanded.is_none() {
                continue;
            }
            // No registry part: Docker Hub.
            let registry = base.registry.as_deref().unwrap_or("docker.io");
            if trusted(registry, &options.trusted_registries) {
                continue;
            }
            let Some(from) = stage.from_view(file) else {
                continue;
            };
            cx.report(
                from.image.span,
                format!(
                    "`{}` comes from `{registry}`, which is not a trusted registry ({})",
                    base.expanded.as_deref().unwrap_or(&base.raw),
                    options.trusted_registries.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::trusted;

    #[test]
    fn matching() {
        let list = vec!["docker.io".to_string(), "*.corp.example".to_string()];
        assert!(trusted("docker.io", &list));
        assert!(trusted("index.docker.io", &list));
        assert!(trusted("registry.corp.example", &list));
        assert!(!trusted("corp.example.evil", &list));
        assert!(!trusted("ghcr.io", &list));
    }
}
