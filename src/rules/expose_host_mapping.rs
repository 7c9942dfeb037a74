//! WH209 `expose-host-mapping`: see `rules/WH209.md`.

use super::helpers::expose_ports::{PortSpec, expose_specs};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::Dockerfile;
use std::net::IpAddr;

pub struct ExposeHostMapping;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH209"),
    name: SharedStr::new("expose-host-mapping"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["buildkit:ExposeInvalidFormat"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH209.md")),
};

impl Rule for ExposeHostMapping {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for spec in expose_specs(file, semantic) {
            if spec.ip.is_none() && spec.host_port.is_none() {
                continue;
            }
            let builder = cx.report(
                spec.span,
                format!(
                    "`EXPOSE {}` maps a host address or port; `EXPOSE` only takes the container port",
                    spec.text
                ),
            );
            if spec.literal && builds_the_same(&spec) {
                let keep = spec.container_part();
                builder.safe_fix(
                    format!("Expose only `{keep}`"),
                    vec![Edit::replace(spec.span, keep)],
                );
            }
        }
    }
}

/// Whether BuildKit accepts the spec, so that dropping the host part records the same port.
fn builds_the_same(spec: &PortSpec) -> bool {
    let Some(container) = port_range(&spec.container_port) else {
        return false;
    };
    if let Some(host) = &spec.host_port {
        let Some(host) = port_range(host) else {
            return false;
        };
        // A container range needs a host range of the same length.
        if container.1 - container.0 != host.1 - host.0 && container.0 != container.1 {
            return false;
        }
    }
    let proto_ok = spec
        .proto
        .as_deref()
        .is_none_or(|p| ["tcp", "udp", "sctp"].contains(&p.to_ascii_lowercase().as_str()));
    let ip_ok = spec.ip.as_deref().is_none_or(|ip| {
        let ip = ip
            .strip_prefix('[')
            .and_then(|v| v.strip_suffix(']'))
            .unwrap_or(ip);
        ip.parse::<IpAddr>().is_ok()
    });
    proto_ok && ip_ok
}

/// `80` or `8000-8010`, each 0..=65535, start <= end.
fn port_range(s: &str) -> Option<(u32, u32)> {
    let number = |p: &str| p.parse::<u32>().ok().filter(|n| *n <= 65535);
    match s.split_once('-') {
        None => number(s).map(|n| (n, n)),
        Some((a, b)) => {
            let (a, b) = (number(a)?, number(b)?);
            (a <= b).then_some((a, b))
        }
    }
}
