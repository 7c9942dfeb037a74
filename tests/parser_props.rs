//! Invariants of the parser on arbitrary input: never panics, the tokens give back the input
//! byte for byte, every span lies within the input on character boundaries.

use proptest::prelude::*;
use whittle::syntax::{self, Span};

fn check_span(src: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= src.len(),
        "{what} {span:?} out of bounds in {src:?}"
    );
    assert!(
        src.is_char_boundary(span.start) && src.is_char_boundary(span.end),
        "{what} {span:?} not on char boundaries in {src:?}"
    );
}

fn check_instruction(src: &str, i: &syntax::Instruction) {
    check_span(src, i.span, "instruction");
    check_span(src, i.keyword_span, "keyword");
    check_span(src, i.rest_span, "rest");
    for f in &i.flags {
        check_span(src, f.span, "flag");
        check_span(src, f.name_span, "flag name");
        if let Some(v) = f.value_span {
            check_span(src, v, "flag value");
        }
    }
    for a in &i.args {
        check_span(src, a.span, "arg");
    }
    for c in &i.comments {
        check_span(src, *c, "comment");
    }
    for h in &i.heredocs {
        check_span(src, h.content_span, "heredoc content");
        check_span(src, h.word_span, "heredoc word");
        check_span(src, h.name_span, "heredoc name");
        check_span(src, h.terminator_span, "heredoc terminator");
    }
    assert!(i.start_line <= i.end_line);
    for seg in i.line.map.segments() {
        check_span(src, Span::new(seg.file, seg.file + seg.len), "map segment");
    }
    if let syntax::InstructionView::Onbuild(v) = i.view()
        && let Some(inner) = &v.inner
    {
        check_instruction(src, inner);
    }
}

/// Every invariant the fuzz target checks too.
pub fn check(src: &str) {
    if let Some(d) = syntax::detect_syntax(src) {
        check_span(src, d.value_span, "syntax directive");
    }
    let df = syntax::parse(src);
    // The parser builds its line index from its own line split: it must be the index of the text.
    assert_eq!(
        df.line_index(),
        &syntax::LineIndex::new(src),
        "line index of {src:?}"
    );
    let mut at = 0;
    let mut rebuilt = String::with_capacity(src.len());
    for t in df.tokens() {
        assert_eq!(t.span.start, at, "tokens must be contiguous in {src:?}");
        assert!(!t.span.is_empty(), "empty token in {src:?}");
        check_span(src, t.span, "token");
        rebuilt.push_str(&src[t.span.start..t.span.end]);
        at = t.span.end;
    }
    assert_eq!(rebuilt, src);
    for d in &df.diagnostics {
        check_span(src, d.span, "diagnostic");
    }
    for i in &df.instructions {
        check_instruction(src, i);
    }
}

const FRAGMENTS: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "LABEL ",
    "ARG ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "CMD ",
    "SHELL ",
    "EXPOSE ",
    "USER ",
    "VOLUME ",
    "WORKDIR ",
    "run ",
    "x",
    "a=b",
    " ",
    "  ",
    "\t",
    "\\",
    "`",
    "#",
    "# escape=`",
    "# syntax=x",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "'",
    "\"",
    "<<",
    "<<EOF",
    "<<-EOF",
    "EOF",
    "\tEOF",
    "3<<X",
    "X",
    "[",
    "]",
    "[\"a\", \"b\"]",
    ",",
    "=",
    "--",
    "--mount=type=cache,target=/x",
    "--from=a",
    "--link",
    "$",
    "${",
    "}",
    "${A:-b}",
    ":",
    "é",
    "😀",
    "\u{a0}",
    "\u{85}",
    "à",
    "\u{800}",
    "AS",
    "NONE",
    "CMD",
    "{",
    "\\u00e9",
    "0",
];

fn fragment_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn parse_is_lossless_and_in_bounds(src in fragment_string()) {
        check(&src);
    }

    #[test]
    fn arbitrary_strings_too(src in ".{0,200}") {
        check(&src);
    }
}

#[test]
fn fuzz_artifacts_and_edge_inputs() {
    for src in [
        "",
        "\u{feff}",
        "\\",
        "RUN \\",
        "RUN <<EOF",
        "\u{feff}FROM a\r\nRUN b\\\r\n c\r\n",
        "RUN --x=\u{800}y z",
        "RUN --x=à\u{800} z",
        "HEALTHCHECK \u{800}",
        "COPY <<A <<B /d\nA\n",
        "ONBUILD ONBUILD RUN <<E\nE\n",
    ] {
        check(src);
    }
    // Inputs the fuzzer found, kept as regression cases.
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parser/fuzz-regressions");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                check(&text);
            }
        }
    }
}
