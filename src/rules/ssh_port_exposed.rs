//! WH117 `ssh-port-exposed`: see `rules/WH117.md`.

use super::helpers::expose_ports::expose_specs;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct SshPortExposed;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH117"),
    name: SharedStr::new("ssh-port-exposed"),
    category: Category::Security,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DS-0004", "CKV_DOCKER_1"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH117.md")),
};

/// Whether a container port spec (`22`, `20-25`) covers port 22.
fn covers_22(port: &str) -> bool {
    let (lo, hi) = port.split_once('-').unwrap_or((port, port));
    match (lo.parse::<u32>(), hi.parse::<u32>()) {
        (Ok(lo), Ok(hi)) => lo <= 22 && 22 <= hi,
        _ => false,
    }
}

impl Rule for SshPortExposed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for spec in expose_specs(file, semantic) {
            let tcp = spec
                .proto
                .as_deref()
                .is_none_or(|p| p.eq_ignore_ascii_case("tcp"));
            if tcp && covers_22(&spec.container_port) {
                cx.report(
                    spec.span,
                    format!("`EXPOSE {}` exposes SSH (port 22): run commands with `docker exec` instead of an SSH server in the container", spec.text),
                );
            }
        }
    }
}
