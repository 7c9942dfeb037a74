//! `--format text`: for people. Each diagnostic shows the source snippet with the exact range
//! underlined and labelled with the rule name, the fix as a hint, and a summary line at the end.

use super::{FileReport, Summary, clamp_range};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Applicability;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};
use std::fmt::Write as _;

/// Render all reports, followed by the summary line. `color` adds ANSI escapes.
pub fn render(reports: &[FileReport<'_>], color: bool) -> String {
    render_with(reports, color, true)
}

/// [`render`], with or without the summary line (`--quiet`: findings only).
pub fn render_with(reports: &[FileReport<'_>], color: bool, summary: bool) -> String {
    let config = Config::default();
    let mut out = String::new();
    for report in reports {
        for error in report.errors {
            let _ = writeln!(out, "error: {}: {error}", report.path);
        }
        // codespan works on the text without a BOM and without `\r` before `\n`, which it would
        // otherwise print as part of the line; offsets are shifted to match.
        let view = View::new(report.source);
        let file = SimpleFile::new(report.path, view.text.as_str());
        for d in report.diagnostics {
            let rendered = to_report(d, &view);
            if color {
                let mut w = termcolor::Ansi::new(Vec::new());
                if term::emit_to_write_style(&mut w, &config, &file, &rendered).is_ok() {
                    out.push_str(&String::from_utf8_lossy(&w.into_inner()));
                    continue;
                }
            }
            match term::emit_into_string(&config, &file, &rendered) {
                Ok(s) => out.push_str(&s),
                // Unreachable with clamped ranges; never lose a finding over a rendering glitch.
                Err(_) => {
                    let _ = writeln!(
                        out,
                        "{}: {}[{}] {}",
                        report.path, d.severity, d.rule_id, d.message
                    );
                }
            }
        }
    }
    if !summary {
        return out;
    }
    // codespan ends each diagnostic with a blank line; keep exactly one before the summary.
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", Summary::of(reports));
    out
}

/// `--format concise`: one line per finding, `path:line:col: CODE message` (line and column
/// 1-based, the column in characters), the shape grep, Vim's quickfix and Emacs' compilation
/// mode read. A file that could not be read is one line `path: error: message`. No summary.
pub fn render_concise(reports: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for report in reports {
        for error in report.errors {
            let _ = writeln!(out, "{}: error: {error}", report.path);
        }
        let locator = crate::diagnostic::Locator::new(report.source);
        for d in report.diagnostics {
            let p = locator.position(d.span.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {}",
                report.path, p.line, p.column, d.rule_id, d.message
            );
        }
    }
    out
}

fn severity(s: Severity) -> ReportSeverity {
    match s {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Info | Severity::Style => ReportSeverity::Note,
    }
}

/// The hint line for a fix: its title and how it applies.
pub fn fix_hint(applicability: Applicability, title: &str) -> String {
    match applicability {
        Applicability::Safe => format!("{title} [safe fix]"),
        Applicability::Unsafe => format!("{title} [unsafe fix]"),
        Applicability::DisplayOnly => title.to_string(),
    }
}

fn to_report(d: &Diagnostic, view: &View<'_>) -> Report<()> {
    let range = view.range(d.span.start, d.span.end);
    let mut report = Report::new(severity(d.severity))
        .with_code(d.rule_id.as_str())
        .with_message(&d.message)
        .with_label(Label::primary((), range).with_message(d.rule_name.as_str()));
    if let Some(fix) = &d.fix {
        report = report.with_note(format!("help: {}", fix_hint(fix.applicability, &fix.title)));
    }
    report
}

/// The source as codespan sees it, and the offset shift for each original offset.
struct View<'a> {
    text: String,
    /// Original offsets of each removed byte, ascending (BOM bytes, `\r` before `\n`).
    removed: Vec<usize>,
    original: &'a str,
}

impl<'a> View<'a> {
    fn new(src: &'a str) -> Self {
        let mut text = String::with_capacity(src.len());
        let mut removed = Vec::new();
        let mut chars = src.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let drop = (i == 0 && c == '\u{feff}')
                || (c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n'));
            if drop {
                removed.extend(i..i + c.len_utf8());
            } else {
                text.push(c);
            }
        }
        View {
            text,
            removed,
            original: src,
        }
    }

    fn map(&self, offset: usize) -> usize {
        let before = self.removed.partition_point(|&r| r < offset);
        offset.saturating_sub(before)
    }

    fn range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let r = clamp_range(self.original, start, end);
        let (s, e) = (self.map(r.start), self.map(r.end));
        clamp_range(&self.text, s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_drops_bom_and_carriage_returns() {
        let v = View::new("\u{feff}ab\r\ncd\r\n");
        assert_eq!(v.text, "ab\ncd\n");
        // `c` is at 3 + 4 = 7 in the original, 3 in the view.
        assert_eq!(v.map(7), 3);
        assert_eq!(v.range(7, 9), 3..5);
        assert_eq!(v.range(0, 3), 0..0);
    }
}
