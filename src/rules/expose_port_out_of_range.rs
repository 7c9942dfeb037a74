//! WH212 `expose-port-out-of-range`: see `rules/WH212.md`.

use super::helpers::expose_ports::expose_specs;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct ExposePortOutOfRange;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH212"),
    name: SharedStr::new("expose-port-out-of-range"),
    category: Category::Correctness,
    severity: Severity::Error,
    fix: FixKind::None,
    aliases: &["DL3011", "DS-0008"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH212.md")),
};

/// Why a container port spec (`80`, `8000-8010`) is not one Docker accepts, if it is not.
fn problem(port: &str) -> Option<String> {
    let (lo, hi) = port.split_once('-').unwrap_or((port, port));
    let parse = |p: &str| -> Result<u32, String> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{p}` is not a port number"));
        }
        match p.parse::<u32>() {
            Ok(n) if n <= 65535 => Ok(n),
            _ => Err(format!("{p} is outside the port range 0-65535")),
        }
    };
    match (parse(lo), parse(hi)) {
        (Err(e), _) | (_, Err(e)) => Some(e),
        (Ok(l), Ok(h)) if l > h => Some(format!("the range {l}-{h} is reversed")),
        _ => None,
    }
}

impl Rule for ExposePortOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let semantic = cx.semantic();
        for spec in expose_specs(file, semantic) {
            if let Some(why) = problem(&spec.container_port) {
                cx.report(
                    spec.span,
                    format!("`EXPOSE {}`: {why}; the build fails", spec.text),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn ports() {
        for ok in ["0", "80", "65535", "8000-8010", "22-22"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in [
            "65536",
            "99999",
            "abc",
            "",
            "80-",
            "-80",
            "9000-8000",
            "1-70000",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
