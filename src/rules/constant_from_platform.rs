//! WH210 `constant-from-platform`: see `rules/WH210.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::words::var_refs;
use crate::syntax::{Dockerfile, InstructionView};

pub struct ConstantFromPlatform;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH210"),
    name: SharedStr::new("constant-from-platform"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["buildkit:FromPlatformFlagConstDisallowed", "DL3029"],
    default_enabled: false,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH210.md")),
};

/// Operating systems containerd knows (a one-part platform names an OS if it is one of these).
const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "windows",
    "zos",
];

const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "ppc64",
    "ppc64le",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// The OS and architecture of a platform specifier, normalized as containerd's
/// `platforms.Parse` does; `None` when BuildKit would reject it (then the build fails anyway).
pub fn parse_platform(spec: &str) -> Option<(String, String)> {
    if spec.contains('*') {
        return None;
    }
    let parts: Vec<&str> = spec.splitn(4, '/').collect();
    let component = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    };
    let first = parts.first()?;
    // `os(version+features)`: only the OS name matters here.
    let os_name = first.split('(').next().unwrap_or("");
    if !component(os_name) || parts.iter().skip(1).any(|p| !component(p)) {
        return None;
    }
    let os = normalize_os(os_name);
    match parts.as_slice() {
        [_] => {
            if KNOWN_OS.contains(&os.as_str()) {
                // containerd picks the machine's architecture; builds run mostly on amd64.
                Some((os, "amd64".to_string()))
            } else {
                let arch = normalize_arch(os_name);
                KNOWN_ARCH
                    .contains(&arch.as_str())
                    .then(|| ("linux".to_string(), arch))
            }
        }
        [_, arch] | [_, arch, _] => Some((os, normalize_arch(arch))),
        _ => None,
    }
}

fn normalize_os(os: &str) -> String {
    let os = os.to_lowercase();
    if os == "macos" {
        "darwin".to_string()
    } else {
        os
    }
}

fn normalize_arch(arch: &str) -> String {
    let arch = arch.to_lowercase();
    match arch.as_str() {
        "i386" => "386",
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" | "armel" => "arm",
        other => other,
    }
    .to_string()
}

impl Rule for ConstantFromPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let InstructionView::From(from) = ins.view() else {
                continue;
            };
            let Some(flag) = &from.platform else {
                continue;
            };
            let Some(value) = &flag.value else {
                continue;
            };
            if !var_refs(value, file.escape).is_empty() {
                continue;
            }
            let Some((os, arch)) = parse_platform(value) else {
                continue;
            };
            let stage = from
                .alias
                .as_ref()
                .map(|a| a.value.to_lowercase())
                .unwrap_or_default();
            // A stage named for its platform is platform-specific on purpose.
            if stage.contains(&os) || stage.contains(&arch) {
                continue;
            }
            cx.report(
                flag.span,
                format!("`FROM --platform={value}` pins the stage to one platform whatever the build targets"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_platform;

    #[test]
    fn platforms_normalize_like_containerd() {
        let p = |s: &str| parse_platform(s).map(|(o, a)| format!("{o}/{a}"));
        assert_eq!(p("linux/amd64").as_deref(), Some("linux/amd64"));
        assert_eq!(p("linux/x86_64").as_deref(), Some("linux/amd64"));
        assert_eq!(p("Linux/AArch64").as_deref(), Some("linux/arm64"));
        assert_eq!(p("linux/arm/v7").as_deref(), Some("linux/arm"));
        assert_eq!(
            p("windows(10.0.17763)/amd64").as_deref(),
            Some("windows/amd64")
        );
        assert_eq!(p("arm64").as_deref(), Some("linux/arm64"));
        assert_eq!(p("linux").as_deref(), Some("linux/amd64"));
        assert_eq!(p("linux/*"), None);
        assert_eq!(p("bogus"), None);
        assert_eq!(p("a/b/c/d"), None);
        assert_eq!(p("linux/"), None);
    }
}
