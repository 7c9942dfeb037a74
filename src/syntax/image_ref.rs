//! Image references, `[registry/]repository[:tag][@digest]`: the one place that splits them
//! ([`split`], used by the `FROM` view, the semantic model and the base-image table) and Docker's
//! grammar for them (`github.com/distribution/reference`, `ParseNormalizedNamed`): whether a
//! `FROM` reference is one Docker accepts ([`is_valid`]).

use std::ops::Range;

/// Where the parts of an image reference are, as byte ranges of the text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRefParts {
    /// The first path component when it names a registry host ([`is_registry_host`]).
    pub registry: Option<Range<usize>>,
    /// The path after the registry, without tag and digest (`library/debian`, `org/app`).
    pub repository: Range<usize>,
    /// After the last `:` of the last path component.
    pub tag: Option<Range<usize>>,
    /// After the first `@`.
    pub digest: Option<Range<usize>>,
}

/// Split a reference textually, the way Docker's reference grammar reads it: the digest after
/// the first `@`, the tag after a `:` past the last `/`, and a registry when the first of several
/// path components is a host. Never fails: a malformed reference still splits somewhere.
pub fn split(reference: &str) -> ImageRefParts {
    let (name_end, digest) = match reference.find('@') {
        Some(at) => (at, Some(at + 1..reference.len())),
        None => (reference.len(), None),
    };
    let name = &reference[..name_end];
    let last_slash = name.rfind('/');
    let (repo_end, tag) = match name.rfind(':') {
        Some(c) if last_slash.is_none_or(|s| c > s) => (c, Some(c + 1..name_end)),
        _ => (name_end, None),
    };
    let (registry, repo_start) = match name[..repo_end].find('/') {
        Some(slash) if is_registry_host(&name[..slash]) => (Some(0..slash), slash + 1),
        _ => (None, 0),
    };
    ImageRefParts {
        registry,
        repository: repo_start..repo_end,
        tag,
        digest,
    }
}

/// Whether the first path component of a reference names a registry host: it contains `.` or
/// `:`, or is `localhost` (Docker's rule; `docker.io/library/x` has one, `library/x` has none).
pub fn is_registry_host(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost"
}

// Hand-written rather than a regex: compiling Docker's `ReferenceRegexp` was ~30% of a one-file
// `whittle check` run (what pre-commit pays per file). A property test checks it against the regex.

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`: one path component.
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut i = 0;
    loop {
        let run = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == run {
            return false;
        }
        if i == b.len() {
            return true;
        }
        // a separator: `.`, `_`, `__` or `-+`
        match b[i] {
            b'.' => i += 1,
            b'_' => i += if b.get(i + 1) == Some(&b'_') { 2 } else { 1 },
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`: one label of a domain name.
fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        _ => false,
    }
}

/// `(?:domain-name|\[[a-fA-F0-9:]+\])(?::[0-9]+)?`: a registry host with an optional port.
fn is_domain(s: &str) -> bool {
    let port = if let Some(rest) = s.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if inside.is_empty() || !inside.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        after
    } else {
        let host = s.split_once(':').map_or(s, |(h, _)| h);
        if !host.split('.').all(is_domain_component) {
            return false;
        }
        &s[host.len()..]
    };
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()),
    }
}

/// `[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}`
fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    b.first().is_some_and(word)
        && b.len() <= 128
        && b.iter().all(|c| word(c) || *c == b'.' || *c == b'-')
}

/// The length of the path of `name` (`domain/path`, tag and digest split off), or `None` when
/// it does not match `(?:domain/)?path-component(?:/path-component)*`.
fn name_path_len(name: &str) -> Option<usize> {
    let (first, path) = name.split_once('/')?;
    // The first segment is a domain, or itself a path component (the domain is optional).
    if !is_domain(first) && !is_path_component(first) {
        return None;
    }
    path.split('/').all(is_path_component).then_some(path.len())
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
    let full = format!("{domain}/{remainder}");
    let parts = split(&full);
    let name = &full[..parts
        .tag
        .as_ref()
        .or(parts.digest.as_ref())
        .map_or(full.len(), |r| r.start - 1)];
    let tag = parts.tag.map(|t| &full[t]);
    let digest = parts.digest.map(|d| &full[d]);
    if tag.is_some_and(|t| !is_tag(t)) {
        return false;
    }
    if name_path_len(name).is_none_or(|len| len > 255) {
        return false;
    }
    match digest {
        Some(d) => is_valid_digest(d),
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
    use super::{is_valid, split};

    #[test]
    fn splits_every_part() {
        let text = "registry.io:5000/org/app:1.2@sha256:abc";
        let p = split(text);
        let part = |r: Option<std::ops::Range<usize>>| r.map(|r| &text[r]);
        assert_eq!(part(p.registry), Some("registry.io:5000"));
        assert_eq!(&text[p.repository], "org/app");
        assert_eq!(part(p.tag), Some("1.2"));
        assert_eq!(part(p.digest), Some("sha256:abc"));
        let p = split("localhost:5000/app");
        assert_eq!(
            (p.registry, p.repository, p.tag),
            (Some(0..14), 15..18, None)
        );
        let p = split("library/debian:bookworm-slim");
        assert_eq!(
            (p.registry, p.repository, p.tag),
            (None, 0..14, Some(15..28))
        );
        assert_eq!(split(""), super::ImageRefParts::default());
    }

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
            // a first segment that is no domain (`_`) but a path component: the domain is optional
            "my_mirror.local/app",
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

    /// Docker's `ReferenceRegexp`, spelled as distribution/reference does: the oracle the hand
    /// validator is checked against.
    fn docker_regex() -> regex::Regex {
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
        regex::Regex::new(&format!("^{name}(?::{tag})?(?:@{digest})?$")).unwrap()
    }

    /// Strings built from pieces that exercise every branch of the grammar.
    fn reference_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "a", "b", "z9", "A", "B", "0", "_", "__", "-", "--", ".", ":", "/", "[", "]", "::1",
            "5000", "local", "host", ":v1", ":-1", ":_x", ":1.2",
        ]);
        prop::collection::vec(piece, 1..8).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        /// The name/tag grammar agrees with the regex (digests are checked more strictly by
        /// `is_valid_digest`, so none are generated).
        #[test]
        fn agrees_with_dockers_regex(reference in reference_strategy()) {
            let (domain, remainder) = super::split_docker_domain(&reference);
            let full = format!("{domain}/{remainder}");
            let remote = remainder.split(':').next().unwrap_or("");
            let expected = docker_regex().is_match(&full) && remote.to_lowercase() == remote;
            proptest::prop_assert_eq!(is_valid(&reference), expected, "{}", full);
        }
    }
}
