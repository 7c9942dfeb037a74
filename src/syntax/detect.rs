//! BuildKit's `DetectSyntax` (frontend selection): besides `# syntax=` directives it accepts a
//! leading `#!` shebang line, `//syntax=` comments and a whole-file JSON object
//! `{"syntax": "..."}`. The parser itself only reads `#` directives; this is for rules and tools
//! that need to know which frontend BuildKit would pick.

use super::parser::match_directive_with;
use super::span::Span;

/// The frontend BuildKit would select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxDirective {
    /// The image: the value up to the first space.
    pub image: String,
    /// The whole value.
    pub value: String,
    /// 1-based line of the directive.
    pub line: usize,
    /// The value in the source (empty for the JSON form).
    pub value_span: Span,
}

/// BuildKit's `DetectSyntax` on a whole file.
pub fn detect_syntax(src: &str) -> Option<SyntaxDirective> {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let mut start = bom;
    let mut line_no = 0;
    let first_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    if src[start..first_end].starts_with("#!") {
        start = (first_end + 1).min(src.len());
        line_no = 1;
    }
    for prefix in ["#", "//"] {
        if let Some(d) = scan_directives(src, start, line_no, prefix) {
            return Some(d);
        }
    }
    let obj: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&src[start..]).ok()?;
    let value = obj.get("syntax")?.as_str()?.to_string();
    Some(SyntaxDirective {
        image: value.clone(),
        value,
        line: line_no,
        value_span: Span::empty(start),
    })
}

/// `DirectiveParser.ParseAll` with `prefix`, looking for `syntax`.
fn scan_directives(
    src: &str,
    start: usize,
    mut line_no: usize,
    prefix: &str,
) -> Option<SyntaxDirective> {
    let mut at = start;
    let mut seen_syntax = false;
    let mut found = None;
    while at < src.len() {
        let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
        // bufio.ScanLines drops a trailing `\r`.
        let line = src[at..end].strip_suffix('\r').unwrap_or(&src[at..end]);
        line_no += 1;
        let Some(m) = match_directive_with(line, prefix) else {
            return found;
        };
        let key = m.key.text(line).to_ascii_lowercase();
        match key.as_str() {
            "syntax" => {
                if seen_syntax {
                    // A repeated directive stops BuildKit's scan with an error.
                    return found;
                }
                seen_syntax = true;
                let value = m.value.text(line).to_string();
                found = Some(SyntaxDirective {
                    image: value.split(' ').next().unwrap_or("").to_string(),
                    value,
                    line: line_no,
                    value_span: m.value.offset(at),
                });
            }
            "escape" | "check" => {}
            _ => return found,
        }
        at = end + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(src: &str) -> Option<(String, usize)> {
        detect_syntax(src).map(|d| (d.image, d.line))
    }

    #[test]
    fn detects_like_buildkit() {
        let d = detect_syntax("# syntax = example/front:1 // opts\nFROM a\n").unwrap();
        assert_eq!(
            (d.image.as_str(), d.value.as_str(), d.line),
            ("example/front:1", "example/front:1 // opts", 1)
        );
        assert_eq!(
            image("#!/bin/sh\n# syntax = x/y\nFROM a\n"),
            Some(("x/y".into(), 2))
        );
        assert_eq!(image("#!/bin/sh\n\n# syntax = x/y\n"), None);
        assert_eq!(image("FROM a\nRUN ls\n"), None);
        assert_eq!(image("//syntax=foo\n//key=value"), Some(("foo".into(), 1)));
        assert_eq!(image("#!/bin/sh\n//syntax=x"), Some(("x".into(), 2)));
        assert_eq!(
            image("{\"syntax\": \"foo\", \"bar\": [\"abc\"]}"),
            Some(("foo".into(), 0))
        );
        assert_eq!(image("{\"syntax\": \"foo\""), None);
        assert_eq!(image("{\"syntax\": \"foo\"}\n# syntax=bar"), None);
        assert_eq!(
            image("\u{feff}# syntax = mine\nFROM a\n"),
            Some(("mine".into(), 1))
        );
        assert_eq!(image("# escape=`\n# syntax=a/b\n"), Some(("a/b".into(), 2)));
        assert_eq!(image("  # syntax=a/b\n"), None);
    }
}
