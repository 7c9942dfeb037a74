//! Rendering diagnostics for people, editors and CI systems.
//!
//! Every renderer takes the same input, a list of [`FileReport`]s, and returns a `String`; the
//! CLI decides where it goes. Rule metadata (names, default severities, documentation for SARIF)
//! comes in through a [`RuleCatalog`] of rule descriptors, so the renderers do not depend on the
//! rule registry.

use crate::descriptor::{RuleMeta, SharedStr};
use crate::diagnostic::Diagnostic;

pub use crate::descriptor::doc_summary;
use crate::fix::Applicability;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod rdjson;
pub mod sarif;
pub mod text;

/// The diagnostics of one file, with the text they point into.
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    /// As the user gave it (or the `--stdin-filename`); printed and used as the artifact path.
    pub path: &'a str,
    pub source: &'a str,
    /// Sorted by span.
    pub diagnostics: &'a [Diagnostic],
    /// Problems with the file that are not findings (unreadable, fixes discarded ...).
    pub errors: &'a [String],
}

impl<'a> FileReport<'a> {
    pub fn new(path: &'a str, source: &'a str, diagnostics: &'a [Diagnostic]) -> Self {
        FileReport {
            path,
            source,
            diagnostics,
            errors: &[],
        }
    }
}

/// Where the rule pages (`rules/<ID>.md`) are published: the repository's `rules/` directory.
pub const RULES_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/rules/");

/// The page of a built-in rule (`WH` and three digits); `None` for other codes.
pub fn rule_url(id: &str) -> Option<String> {
    crate::descriptor::is_valid_id(id).then(|| format!("{RULES_URL}{id}.md"))
}

/// The rules renderers may be asked about, in ID order.
#[derive(Debug, Clone, Default)]
pub struct RuleCatalog {
    rules: Vec<RuleMeta>,
    by_id: HashMap<SharedStr, usize>,
}

impl RuleCatalog {
    pub fn new(mut rules: Vec<RuleMeta>) -> Self {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules.dedup_by(|a, b| a.id == b.id);
        let by_id = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        RuleCatalog { rules, by_id }
    }
    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        self.by_id.get(id).and_then(|&i| self.rules.get(i))
    }
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
    pub fn rules(&self) -> &[RuleMeta] {
        &self.rules
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    /// One line a finding: `path:line:col: CODE message`.
    Concise,
    Json,
    Sarif,
    Github,
    Checkstyle,
    Gitlab,
    /// reviewdog's Diagnostic Format.
    Rdjson,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Text,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Checkstyle,
        Format::Gitlab,
        Format::Rdjson,
    ];
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Checkstyle => "checkstyle",
            Format::Gitlab => "gitlab",
            Format::Rdjson => "rdjson",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// Options that only some formats use.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours in `text` output. Decided by the CLI (terminal, `--color`, `NO_COLOR`).
    pub color: bool,
    /// whittle's version, for SARIF `tool.driver.version`.
    pub version: &'static str,
    /// `--quiet`: findings only, no summary line in `text` output.
    pub quiet: bool,
}

/// Render `reports` in `format`.
pub fn render(
    format: Format,
    reports: &[FileReport<'_>],
    catalog: &RuleCatalog,
    options: &RenderOptions,
) -> String {
    match format {
        Format::Text => text::render_with(reports, options.color, !options.quiet),
        Format::Concise => text::render_concise(reports),
        Format::Json => json::render(reports),
        Format::Sarif => sarif::render(reports, catalog, options.version),
        Format::Github => github::render(reports),
        Format::Checkstyle => checkstyle::render(reports),
        Format::Gitlab => gitlab::render(reports),
        Format::Rdjson => rdjson::render(reports),
    }
}

/// [`render`] as pieces whose concatenation is the output, for writing without joining them
/// (only `json` comes in more than one piece).
pub fn render_chunks(
    format: Format,
    reports: &[FileReport<'_>],
    catalog: &RuleCatalog,
    options: &RenderOptions,
) -> Vec<std::borrow::Cow<'static, str>> {
    match format {
        Format::Json => json::render_chunks(reports),
        _ => vec![std::borrow::Cow::Owned(render(
            format, reports, catalog, options,
        ))],
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub problems: usize,
    /// Fixable with `--fix` (safe fixes).
    pub safe_fixable: usize,
    /// Fixable only with `--fix --unsafe-fixes`.
    pub unsafe_fixable: usize,
    pub errors: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport<'_>]) -> Self {
        let mut s = Summary::default();
        for r in reports {
            s.errors += r.errors.len();
            for d in r.diagnostics {
                s.problems += 1;
                match d.fix_applicability() {
                    Some(Applicability::Safe) => s.safe_fixable += 1,
                    Some(Applicability::Unsafe) => s.unsafe_fixable += 1,
                    _ => {}
                }
            }
        }
        s
    }
}

impl fmt::Display for Summary {
    /// "Found 3 problems (1 fixable with --fix, 2 with --unsafe-fixes)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems == 0 {
            f.write_str("No problems found")?;
        } else {
            let noun = if self.problems == 1 {
                "problem"
            } else {
                "problems"
            };
            write!(f, "Found {} {noun}", self.problems)?;
            match (self.safe_fixable, self.unsafe_fixable) {
                (0, 0) => {}
                (s, 0) => write!(f, " ({s} fixable with --fix)")?,
                (0, u) => write!(f, " ({u} fixable with --fix --unsafe-fixes)")?,
                (s, u) => write!(f, " ({s} fixable with --fix, {u} with --unsafe-fixes)")?,
            }
        }
        if self.errors > 0 {
            let noun = if self.errors == 1 { "error" } else { "errors" };
            write!(f, "; {} {noun}", self.errors)?;
        }
        Ok(())
    }
}

/// A span clamped into `src` and onto character boundaries, for renderers that slice.
pub(crate) fn clamp_range(src: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let mut s = start.min(src.len());
    while s > 0 && !src.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end.clamp(s, src.len());
    while e < src.len() && !src.is_char_boundary(e) {
        e += 1;
    }
    s..e
}

/// A path as a relative URI reference: forward slashes, and the characters that are not allowed
/// in a URI percent-encoded.
pub(crate) fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_wording() {
        let s = |problems, safe_fixable, unsafe_fixable, errors| {
            Summary {
                problems,
                safe_fixable,
                unsafe_fixable,
                errors,
            }
            .to_string()
        };
        assert_eq!(s(0, 0, 0, 0), "No problems found");
        assert_eq!(s(1, 0, 0, 0), "Found 1 problem");
        assert_eq!(
            s(3, 1, 2, 0),
            "Found 3 problems (1 fixable with --fix, 2 with --unsafe-fixes)"
        );
        assert_eq!(
            s(2, 2, 0, 1),
            "Found 2 problems (2 fixable with --fix); 1 error"
        );
        assert_eq!(
            s(2, 0, 1, 0),
            "Found 2 problems (1 fixable with --fix --unsafe-fixes)"
        );
    }

    #[test]
    fn summary_of_a_rule_page() {
        let doc = "# WH001: x\n\n## What it does\n\nChecks that\nthings hold.\n\nMore.\n";
        assert_eq!(
            doc_summary(doc).as_deref(),
            Some("Checks that things hold.")
        );
        assert_eq!(doc_summary("# nothing"), None);
    }

    #[test]
    fn uris_and_ranges() {
        assert_eq!(path_to_uri("./a b/Dockerfile"), "a%20b/Dockerfile");
        assert_eq!(path_to_uri("dir\\Dockerfile"), "dir/Dockerfile");
        assert_eq!(path_to_uri("/abs/Dockerfile"), "file:///abs/Dockerfile");
        assert_eq!(clamp_range("é", 1, 1), 0..2);
        assert_eq!(clamp_range("éa", 0, 1), 0..2);
        assert_eq!(clamp_range("abc", 5, 9), 3..3);
    }

    #[test]
    fn formats_parse() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().is_err());
    }
}
