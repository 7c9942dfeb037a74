//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's diff.
//!
//! `::warning file=Dockerfile,line=3,col=5,endLine=3,endColumn=20,title=WH301 apt-lists-not-cleaned::message`

use super::FileReport;
use crate::diagnostic::{Locator, Severity};
use std::fmt::Write as _;

/// The annotation command for a severity (GitHub knows error, warning and notice).
pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "notice",
    }
}

/// Escaping of a command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a command property value (also `:` and `,`, which delimit properties).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for report in reports {
        let file = escape_property(report.path);
        for e in report.errors {
            let _ = writeln!(out, "::error file={file},title=whittle::{}", escape_data(e));
        }
        let loc = Locator::new(report.source);
        for d in report.diagnostics {
            let l = loc.location(d.span);
            let title = escape_property(&format!("{} {}", d.rule_id, d.rule_name));
            let _ = writeln!(
                out,
                "::{} file={file},line={},col={},endLine={},endColumn={},title={title}::{}",
                command(d.severity),
                l.start.line,
                l.start.column,
                l.end.line,
                l.end.column,
                escape_data(&d.message),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
