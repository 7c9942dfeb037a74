//! Value formats of the label rules (WH534-WH539), written to accept what the formats allow and
//! nothing the tools reading the labels would choke on.

/// `scheme://host[...]` with a letter-led scheme and a non-empty host.
pub fn url(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !host.is_empty()
        && !v.contains(char::is_whitespace)
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)` (`t`, `z` and a space
/// for `T` allowed, as the RFC does).
pub fn rfc3339(v: &str) -> bool {
    let Some((date, time)) = v.split_once(['T', 't', ' ']) else {
        return false;
    };
    let d: Vec<&str> = date.split('-').collect();
    let date_ok = matches!(d.as_slice(), [y, m, dd] if digits(y, 4) && digits(m, 2) && digits(dd, 2))
        && d[1].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        && d[2].parse::<u8>().is_ok_and(|x| (1..=31).contains(&x));
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, "")
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], &time[i + 1..])
    } else {
        return false;
    };
    let zone_ok = zone.is_empty()
        || matches!(zone.split_once(':'), Some((h, m)) if digits(h, 2) && digits(m, 2));
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let t: Vec<&str> = hms.split(':').collect();
    let clock_ok = matches!(t.as_slice(), [h, m, s] if digits(h, 2) && digits(m, 2) && digits(s, 2))
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit());
    date_ok && clock_ok && zone_ok
}

/// An SPDX license expression by its grammar: ids (`[A-Za-z0-9.+-]+`, `LicenseRef-...`) joined by
/// `AND`, `OR`, `WITH`, with parentheses. Whether an id is on the SPDX list is not checked (the
/// list grows; a rule that cannot be sure stays silent): this catches `Apache 2.0`, `MIT/X11`.
pub fn spdx(v: &str) -> bool {
    let spaced = v.replace('(', " ( ").replace(')', " ) ");
    let mut depth = 0i32;
    let mut expect_id = true;
    for tok in spaced.split_whitespace() {
        match tok {
            "(" if expect_id => depth += 1,
            ")" if !expect_id => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            "AND" | "OR" | "WITH" if !expect_id => expect_id = true,
            id if expect_id
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | ':')) =>
            {
                expect_id = false;
            }
            _ => return false,
        }
    }
    !expect_id && depth == 0
}

/// A git commit hash: 7 to 40 lower-case hex digits (or 64 for SHA-256 repositories).
pub fn git_hash(v: &str) -> bool {
    ((7..=40).contains(&v.len()) || v.len() == 64)
        && v.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`, no leading zeros.
pub fn semver(v: &str) -> bool {
    let (core, build) = match v.split_once('+') {
        Some((c, b)) => (c, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match core.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (core, None),
    };
    let number = |n: &str| {
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'))
    };
    let ident =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| number(p))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|i| ident(i) && (!i.bytes().all(|b| b.is_ascii_digit()) || number(i)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

/// `local@domain.tld`, plain (no display name, no spaces).
pub fn email(v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(char::is_whitespace)
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(url("https://example.com/x") && url("git+ssh://host/repo"));
        assert!(!url("example.com") && !url("https://") && !url("http://a b"));
        assert!(rfc3339("2024-05-01T12:00:00Z") && rfc3339("2024-05-01T12:00:00.5+02:00"));
        assert!(!rfc3339("2024-05-01") && !rfc3339("2024-13-01T00:00:00Z") && !rfc3339("now"));
        assert!(
            spdx("MIT")
                && spdx("Apache-2.0 OR MIT")
                && spdx("(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0")
        );
        assert!(!spdx("Apache 2.0") && !spdx("MIT/X11") && !spdx("MIT OR") && !spdx("(MIT"));
        assert!(git_hash("0a4eaa0") && git_hash("0a4eaa0eecf5f8c050e5bba433f58c052be7587e"));
        assert!(!git_hash("main") && !git_hash("0A4EAA0") && !git_hash("abc"));
        assert!(semver("1.2.3") && semver("1.0.0-rc.1+build.5") && semver("0.0.0"));
        assert!(!semver("v1.2.3") && !semver("1.2") && !semver("01.2.3") && !semver("1.2.3-01"));
        assert!(email("team@example.com") && email("a.b+c@mail.example.org"));
        assert!(!email("team at example.com") && !email("@example.com") && !email("a@b"));
    }
}
