//! Fuzz the parser: it never panics, the tokens give back the input byte for byte, and every
//! span lies within the input on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whittle::syntax::{self, Span};

fn check_span(src: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= src.len(), "{span:?}");
    assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end), "{span:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let df = syntax::parse(src);
    let mut rebuilt = String::with_capacity(src.len());
    let mut at = 0;
    for t in df.tokens() {
        assert_eq!(t.span.start, at, "tokens must be contiguous");
        assert!(!t.span.is_empty(), "no empty tokens");
        check_span(src, t.span);
        rebuilt.push_str(&src[t.span.start..t.span.end]);
        at = t.span.end;
    }
    assert_eq!(rebuilt, src);
    for d in &df.diagnostics {
        check_span(src, d.span);
    }
    for i in &df.instructions {
        check_span(src, i.span);
        check_span(src, i.keyword_span);
        for f in &i.flags {
            check_span(src, f.span);
        }
        for a in &i.args {
            check_span(src, a.span);
        }
        for h in &i.heredocs {
            check_span(src, h.content_span);
            check_span(src, h.word_span);
        }
        assert!(i.start_line <= i.end_line);
    }
});
