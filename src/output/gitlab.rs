//! `--format gitlab`: GitLab Code Quality report (a JSON array of issues), shown in merge
//! requests. Each issue needs a fingerprint that stays the same while the finding does, so that
//! GitLab can tell new findings from old ones: it hashes the path, rule, message and the text of
//! the flagged line (not its number, which shifts when lines are added above), plus a counter for
//! identical findings.

use super::FileReport;
use crate::diagnostic::{Locator, Severity};
use serde_json::{Value, json};
use std::collections::HashMap;

/// GitLab severities: info, minor, major, critical, blocker.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Style => "info",
    }
}

/// FNV-1a, 64-bit, from a given basis: stable across Rust versions and platforms, unlike std's
/// hasher. Not cryptographic; a fingerprint only needs to be stable and rarely collide.
fn fnv1a(basis: u64, bytes: &[u8]) -> u64 {
    let mut h = basis;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// 128-bit fingerprint as 32 hex digits (two FNV-1a runs from different bases).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut joined = Vec::new();
    for p in parts {
        joined.extend_from_slice(p.as_bytes());
        joined.push(0);
    }
    let a = fnv1a(0xcbf2_9ce4_8422_2325, &joined);
    let b = fnv1a(0x6c62_272e_07bb_0142, &joined);
    format!("{a:016x}{b:016x}")
}

pub fn to_value(reports: &[FileReport<'_>]) -> Value {
    let mut issues = Vec::new();
    for report in reports {
        let loc = Locator::new(report.source);
        let index = loc.line_index();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in report.diagnostics {
            let l = loc.location(d.span);
            let line0 = l.start.line.saturating_sub(1);
            let line_text = report
                .source
                .get(index.line_start(line0)..index.line_start(line0 + 1))
                .unwrap_or("")
                .trim();
            let base = fingerprint(&[report.path, &d.rule_id, &d.message, line_text]);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fp = if *n == 1 {
                base
            } else {
                fingerprint(&[&base, &n.to_string()])
            };
            issues.push(json!({
                "type": "issue",
                "check_name": d.rule_id,
                "description": format!("{}: {} ({})", d.rule_id, d.message, d.rule_name),
                "severity": severity(d.severity),
                "fingerprint": fp,
                "location": {
                    "path": report.path,
                    "lines": { "begin": l.start.line, "end": l.end.line },
                },
            }));
        }
        for e in report.errors {
            issues.push(json!({
                "type": "issue",
                "check_name": "whittle-error",
                "description": e,
                "severity": "blocker",
                "fingerprint": fingerprint(&[report.path, "error", e]),
                "location": { "path": report.path, "lines": { "begin": 1, "end": 1 } },
            }));
        }
    }
    Value::Array(issues)
}

pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(reports)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        // Pinned: a change here would make GitLab see every finding as new.
        assert_eq!(fingerprint(&["a"]), fingerprint(&["a"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab"]));
        assert_eq!(fnv1a(0xcbf2_9ce4_8422_2325, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }
}
