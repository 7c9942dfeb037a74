//! What a rule reports: a [`Diagnostic`] with its [`Severity`], a byte [`Span`] and an optional
//! [`Fix`] ([`Edit`]s with an [`Applicability`]), plus the conversion of spans into 1-based
//! positions for people and editors. The fix vocabulary lives here, beside what carries it;
//! [`crate::fix`] applies fixes.

use crate::shared_str::SharedStr;
use crate::syntax::{LineIndex, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is. Ordered from least to most severe, so `severity >= fail_level`
/// reads naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            "style" => Ok(Severity::Style),
            other => Err(format!(
                "unknown severity `{other}` (expected error, warning, info or style)"
            )),
        }
    }
}

/// One finding of one rule in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `WH301`
    pub rule_id: SharedStr,
    /// `apt-lists-not-cleaned`
    pub rule_name: SharedStr,
    pub severity: Severity,
    /// Byte range in the file the diagnostic is about.
    pub span: Span,
    /// States the problem, code in backticks, no trailing period.
    pub message: String,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The applicability of the fix, if there is one.
    pub fn fix_applicability(&self) -> Option<Applicability> {
        self.fix.as_ref().map(|f| f.applicability)
    }

    /// Whether `--fix` alone (safe) or `--fix --unsafe-fixes` would apply this diagnostic's fix.
    pub fn is_fixable_at(&self, level: Applicability) -> bool {
        self.fix_applicability()
            .is_some_and(|a| a >= level && a > Applicability::DisplayOnly)
    }
}

/// A 1-based position: line, and the column counted as characters, UTF-16 units and bytes, plus
/// the byte offset into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
    /// 1-based column in UTF-16 code units (LSP).
    pub column_utf16: usize,
    /// 1-based column in bytes.
    pub column_byte: usize,
    /// 0-based byte offset in the file.
    pub offset: usize,
}

/// Start and end of a span as positions; `end` is exclusive (points just after the last byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub start: Position,
    pub end: Position,
}

/// Turns byte offsets of one source text into [`Position`]s. Build once per file.
#[derive(Debug, Clone)]
pub struct Locator<'a> {
    src: &'a str,
    index: LineIndex,
}

impl<'a> Locator<'a> {
    pub fn new(src: &'a str) -> Self {
        Locator {
            src,
            index: LineIndex::new(src),
        }
    }

    pub fn source(&self) -> &'a str {
        self.src
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.index
    }

    /// The position of byte `offset` (clamped to the text; never panics).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.src.len());
        let lc = self.index.line_col(self.src, offset);
        Position {
            line: lc.line,
            column: lc.column,
            column_utf16: lc.column_utf16,
            column_byte: lc.column_byte,
            offset,
        }
    }

    pub fn location(&self, span: Span) -> Location {
        Location {
            start: self.position(span.start),
            end: self.position(span.end.max(span.start)),
        }
    }
}

/// How much a fix can be trusted. Ordered: `DisplayOnly < Unsafe < Safe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown as a suggestion, never applied.
    DisplayOnly,
    /// Applied with `--fix --unsafe-fixes`: it may change what the build does.
    Unsafe,
    /// Applied with `--fix`: the build still succeeds and the image behaves the same.
    Safe,
}

impl Applicability {
    pub const fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Replace the bytes of `span` in the original text with `text`. An empty span inserts, an
/// empty text deletes. Rules write `\n` line endings; the engine converts them to the file's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn replace(span: Span, text: impl Into<String>) -> Self {
        Edit {
            span,
            text: text.into(),
        }
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(Span::empty(at), text)
    }
    pub fn delete(span: Span) -> Self {
        Edit::replace(span, String::new())
    }
}

/// One fix for one diagnostic: all of its edits apply together or none does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// Imperative: "Add `--no-install-recommends`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability,
            edits,
        }
    }
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(title, Applicability::Safe, edits)
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(title, Applicability::Unsafe, edits)
    }
    pub fn display_only(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix::new(title, Applicability::DisplayOnly, edits)
    }

    /// Where the fix starts: the smallest edit start (fixes are applied in this order).
    pub fn start(&self) -> usize {
        self.edits.iter().map(|e| e.span.start).min().unwrap_or(0)
    }

    /// Whether `--fix` at `level` applies this fix (display-only fixes never apply).
    pub fn applies_at(&self, level: Applicability) -> bool {
        self.applicability > Applicability::DisplayOnly && self.applicability >= level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_and_names() {
        assert!(Severity::Error > Severity::Warning);
        assert!(Severity::Warning > Severity::Info);
        assert!(Severity::Info > Severity::Style);
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
        assert_eq!("ERROR".parse::<Severity>(), Ok(Severity::Error));
        assert!("fatal".parse::<Severity>().is_err());
    }

    #[test]
    fn location_of_a_span_counts_three_ways() {
        let src = "FROM x\nRUN é😀 y\n";
        let loc = Locator::new(src);
        let y = src.find('y').unwrap();
        let l = loc.location(Span::new(y, y + 1));
        assert_eq!(l.start.line, 2);
        assert_eq!(
            (l.start.column, l.start.column_utf16, l.start.column_byte),
            (8, 9, 12)
        );
        assert_eq!(l.end.column, 9);
        assert_eq!(l.start.offset, y);
        // Out of range spans clamp instead of panicking.
        let far = loc.location(Span::new(500, 400));
        assert_eq!(far.start.offset, src.len());
        assert_eq!(far.end.offset, src.len());
    }
}
