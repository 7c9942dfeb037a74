//! Docker's image reference grammar (`github.com/distribution/reference`,
//! `ParseNormalizedNamed`): whether a `FROM` reference is one Docker accepts.

use regex::Regex;
use std::sync::OnceLock;

/// `[domain[:port]/]path[:tag][@digest]` as Docker's `ReferenceRegexp` spells it (ASCII only).
/// `None` only if the constant pattern failed to compile, in which case nothing is flagged.
fn reference_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let alphanumeric = "[a-z0-9]+";
        let separator = "(?:[._]|__|[-]+)";
        let path_component = format!("{alphanumeric}(?:{separator}{alphanumeric})*");
        let domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let domain_name = format!(r"{domain_component}(?:\.{domain_component})*");
        let host = format!(r"(?:{domain_name}|\[(?:[a-fA-F0-9:]+)\])");
        let domain = format!("{host}(?::[0-9]+)?");
        let name = format!("(?:{domain}/)?{path_component}(?:/{path_component})*");
        let tag = "[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";
        let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
        Regex::new(&format!("^({name})(?::({tag}))?(?:@({digest}))?$")).ok()
    })
    .as_ref()
}

/// Whether Docker's `ParseNormalizedNamed` accepts `reference` (what `FROM` needs once its
/// variables are expanded). Stage names pass too: they are valid lower-case names.
pub fn is_valid(reference: &str) -> bool {
    // A 64-hex string would be an image ID, which `FROM` does not take.
    if reference.len() == 64
        && reference
            .bytes()
            .all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9'))
    {
        return false;
    }
    let (domain, remainder) = split_docker_domain(reference);
    let remote = remainder.split(':').next().unwrap_or("");
    if remote.to_lowercase() != remote {
        return false;
    }
    let Some(regex) = reference_regex() else {
        return true;
    };
    let full = format!("{domain}/{remainder}");
    let Some(caps) = regex.captures(&full) else {
        return false;
    };
    let path_len = caps.get(1).map_or(0, |m| {
        let name = m.as_str();
        // The path is the name without its domain (everything after the first `/`).
        name.split_once('/').map_or(name.len(), |(_, p)| p.len())
    });
    if path_len > 255 {
        return false;
    }
    match caps.get(3) {
        Some(d) => is_valid_digest(d.as_str()),
        None => true,
    }
}

/// `splitDockerDomain`: the registry part and the rest (with `library/` for official images).
fn split_docker_domain(name: &str) -> (&str, String) {
    const DEFAULT: &str = "docker.io";
    let (domain, remote) = match name.split_once('/') {
        None => return (DEFAULT, format!("library/{name}")),
        Some(("localhost", rest)) => ("localhost", rest),
        Some(("index.docker.io", rest)) => (DEFAULT, rest),
        Some((first, rest)) if first.contains(['.', ':']) || first.to_lowercase() != first => {
            (first, rest)
        }
        Some(_) => (DEFAULT, name),
    };
    if domain == DEFAULT && !remote.contains('/') {
        (domain, format!("library/{remote}"))
    } else {
        (domain, remote.to_string())
    }
}

/// `go-digest`'s validation: a known algorithm with its exact lower-case hex length.
fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    encoded.len() == len
        && encoded
            .bytes()
            .all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9'))
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_what_docker_accepts() {
        for ok in [
            "alpine",
            "alpine:3.20",
            "library/alpine:3.20",
            "ghcr.io/org/app:1.2",
            "localhost:5000/app",
            "registry.example.com:443/a/b/c:v1",
            "build-base",
            "build_amd64",
            "scratch",
            "Registry.Example.com/app",
            "[::1]:5000/app",
            "alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5",
        ] {
            assert!(is_valid(ok), "{ok} should be valid");
        }
    }

    #[test]
    fn rejects_what_docker_rejects() {
        for bad in [
            "",
            "alpine:",
            ":3.20",
            "Alpine",
            "BuildBase",
            "alpine@sha256:abc",
            "alpine@md5:0a4eaa0eecf5f8c050e5bba433f58c05",
            "alpine:3.20:extra",
            "a//b",
            "-alpine",
            "alpine:-3",
            "0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5",
        ] {
            assert!(!is_valid(bad), "{bad:?} should be invalid");
        }
    }
}
