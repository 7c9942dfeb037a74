//! `--format checkstyle`: Checkstyle XML, read by Jenkins, reviewdog and many CI dashboards.

use super::FileReport;
use crate::diagnostic::{Locator, Severity};
use std::fmt::Write as _;

/// Checkstyle knows error, warning and info.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}

/// Escape text for an XML attribute value; characters XML 1.0 forbids are dropped.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(reports: &[FileReport<'_>]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for report in reports {
        let _ = writeln!(out, "  <file name=\"{}\">", xml_escape(report.path));
        for e in report.errors {
            let _ = writeln!(
                out,
                "    <error line=\"1\" severity=\"error\" message=\"{}\" source=\"whittle\"/>",
                xml_escape(e)
            );
        }
        let loc = Locator::new(report.source);
        for d in report.diagnostics {
            let p = loc.position(d.span.start);
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                p.line,
                p.column,
                severity(d.severity),
                xml_escape(&d.message),
                xml_escape(&d.rule_id),
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;"
        );
    }
}
