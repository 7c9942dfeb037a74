//! The typed API of the parser: views with spans, tokens, comments, line/column, words.

use whittle::syntax::words::{self, Modifier};
use whittle::syntax::{
    self, CommandBody, HealthcheckKind, InstructionView, Keyword, Span, SyntaxErrorKind, TokenKind,
};

fn kinds(df: &syntax::Dockerfile) -> Vec<SyntaxErrorKind> {
    df.diagnostics.iter().map(|d| d.kind).collect()
}

#[test]
fn from_view_has_reference_parts_alias_and_platform() {
    let src = "FROM --platform=linux/arm64 ghcr.io/org/app:1.2@sha256:ab as Build\n";
    let df = syntax::parse(src);
    let InstructionView::From(v) = df.instructions[0].view() else {
        panic!("not a FROM view");
    };
    assert_eq!(df.text(v.image.span), "ghcr.io/org/app:1.2@sha256:ab");
    assert_eq!(
        df.text(v.reference.registry.as_ref().unwrap().span),
        "ghcr.io"
    );
    assert_eq!(df.text(v.reference.repository.span), "org/app");
    assert_eq!(df.text(v.reference.tag.as_ref().unwrap().span), "1.2");
    assert_eq!(
        df.text(v.reference.digest.as_ref().unwrap().span),
        "sha256:ab"
    );
    assert_eq!(df.text(v.as_span.unwrap()), "as");
    assert_eq!(v.alias.as_ref().unwrap().value, "Build");
    let p = v.platform.as_ref().unwrap();
    assert_eq!(p.value.as_deref(), Some("linux/arm64"));
    assert_eq!(df.text(p.value_span.unwrap()), "linux/arm64");
    assert_eq!(df.text(p.name_span), "platform");
}

#[test]
fn run_view_has_mounts_and_a_mapped_shell_body() {
    let src = "FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked \\\n    --network=none pip install \\\n  # comment\n    requests\n";
    let df = syntax::parse(src);
    let run = &df.instructions[1];
    assert_eq!((run.start_line, run.end_line), (2, 5));
    let InstructionView::Run(v) = run.view() else {
        panic!("not a RUN view");
    };
    assert_eq!(v.mounts.len(), 1);
    assert_eq!(v.mounts[0].kind(), "cache");
    assert_eq!(v.mounts[0].target(), Some("/root/.cache"));
    assert_eq!(v.mounts[0].sharing(), Some("locked"));
    assert_eq!(df.text(v.mounts[0].fields[1].span), "target=/root/.cache");
    assert_eq!(v.network.as_ref().unwrap().value.as_deref(), Some("none"));
    let CommandBody::Shell(body) = &v.body else {
        panic!("shell form expected");
    };
    assert_eq!(body.text, "pip install     requests");
    // Joined offsets map back to the file.
    let at = body.text.find("requests").unwrap();
    let file = body.file_span(Span::new(at, at + "requests".len()));
    assert_eq!(df.text(file), "requests");
    assert_eq!(df.line_col(file.start).line, 5);
}

#[test]
fn exec_body_has_string_spans() {
    let src = "FROM a\nCMD [\"echo\", \"caf\\u00e9\"]\n";
    let df = syntax::parse(src);
    let InstructionView::Cmd(v) = df.instructions[1].view() else {
        panic!("not a CMD view");
    };
    let CommandBody::Exec(args) = &v.body else {
        panic!("exec form expected");
    };
    assert_eq!(args[1].value, "café");
    assert_eq!(df.text(args[1].span), "\"caf\\u00e9\"");
}

#[test]
fn copy_env_arg_views() {
    let src = "FROM a\nCOPY --from=build --chmod=644 --link a b /dst/\nENV K=v OTHER=\"x y\"\nENV LEGACY some value\nARG A B=1\n";
    let df = syntax::parse(src);
    let InstructionView::Copy(c) = df.instructions[1].view() else {
        panic!("copy");
    };
    assert_eq!(c.from.as_ref().unwrap().value.as_deref(), Some("build"));
    assert!(c.link.as_ref().unwrap().value.is_none());
    assert_eq!(
        c.sources
            .iter()
            .map(|w| w.value.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(df.text(c.dest.as_ref().unwrap().span), "/dst/");
    let InstructionView::Env(e) = df.instructions[2].view() else {
        panic!("env");
    };
    assert_eq!(e.pairs.len(), 2);
    assert_eq!(df.text(e.pairs[1].key_span), "OTHER");
    assert_eq!(df.text(e.pairs[1].value_span), "\"x y\"");
    assert!(!e.pairs[1].legacy);
    let InstructionView::Env(e) = df.instructions[3].view() else {
        panic!("env");
    };
    assert!(e.pairs[0].legacy);
    assert_eq!(e.pairs[0].value, "some value");
    let InstructionView::Arg(a) = df.instructions[4].view() else {
        panic!("arg");
    };
    assert_eq!(a.args[0].default, None);
    assert_eq!(a.args[1].default.as_deref(), Some("1"));
    assert_eq!(df.text(a.args[1].name_span), "B");
    assert_eq!(df.text(a.args[1].default_span.unwrap()), "1");
}

#[test]
fn healthcheck_and_onbuild_views() {
    let src =
        "FROM a\nHEALTHCHECK --interval=5s CMD curl -f x\nHEALTHCHECK NONE\nONBUILD COPY . /src\n";
    let df = syntax::parse(src);
    let InstructionView::Healthcheck(h) = df.instructions[1].view() else {
        panic!("healthcheck");
    };
    assert_eq!(h.kind, HealthcheckKind::Cmd);
    assert_eq!(h.interval.as_ref().unwrap().value.as_deref(), Some("5s"));
    assert!(matches!(&h.body, Some(CommandBody::Shell(t)) if t.text == "curl -f x"));
    let InstructionView::Healthcheck(h) = df.instructions[2].view() else {
        panic!("healthcheck");
    };
    assert_eq!(h.kind, HealthcheckKind::None);
    let InstructionView::Onbuild(o) = df.instructions[3].view() else {
        panic!("onbuild");
    };
    let inner = o.inner.as_ref().unwrap();
    assert_eq!(inner.keyword, Keyword::Copy);
    assert_eq!(df.text(inner.keyword_span), "COPY");
    assert!(matches!(inner.view(), InstructionView::Copy(c) if c.sources[0].value == "."));
}

#[test]
fn heredoc_spans() {
    let src = "FROM a\nRUN <<-EOF bash\n\techo hi\n\tEOF\nRUN next\n";
    let df = syntax::parse(src);
    let h = &df.instructions[1].heredocs[0];
    assert_eq!(df.text(h.word_span), "<<-EOF");
    assert_eq!(df.text(h.name_span), "EOF");
    assert_eq!(df.text(h.content_span), "\techo hi\n");
    assert_eq!(df.text(h.terminator_span), "\tEOF");
    assert_eq!(df.instructions[1].end_line, 4);
    assert_eq!(
        df.text(df.instructions[1].span),
        "RUN <<-EOF bash\n\techo hi\n\tEOF"
    );
}

#[test]
fn prev_comments_follow_buildkit() {
    let src = "# syntax=x\n# about the base\nFROM a\n# dropped by the empty comment\n#\n# kept one\n\n# kept two\nARG V\n";
    let df = syntax::parse(src);
    let texts = |i: usize| -> Vec<&str> {
        df.instructions[i]
            .comments
            .iter()
            .map(|s| df.text(*s))
            .collect()
    };
    assert_eq!(texts(0), ["# about the base"]);
    assert_eq!(texts(1), ["# kept one", "# kept two"]);
}

#[test]
fn tokens_classify_the_text() {
    let src =
        "\u{feff}# escape=\\\nFROM a\n# c\nRUN --mount=x echo \\\n  y\nCOPY <<E /d\nbody\nE\n";
    let df = syntax::parse(src);
    let list: Vec<(TokenKind, &str)> = df
        .tokens()
        .iter()
        .map(|t| (t.kind, df.text(t.span)))
        .collect();
    use TokenKind::*;
    assert_eq!(
        list,
        [
            (Bom, "\u{feff}"),
            (Directive, "# escape=\\"),
            (Newline, "\n"),
            (Keyword, "FROM"),
            (Whitespace, " "),
            (Argument, "a"),
            (Newline, "\n"),
            (Comment, "# c"),
            (Newline, "\n"),
            (Keyword, "RUN"),
            (Whitespace, " "),
            (Flag, "--mount=x"),
            (Whitespace, " "),
            (Argument, "echo"),
            (Whitespace, " "),
            (LineContinuation, "\\"),
            (Newline, "\n"),
            (Whitespace, "  "),
            (Argument, "y"),
            (Newline, "\n"),
            (Keyword, "COPY"),
            (Whitespace, " "),
            (Argument, "<<E"),
            (Whitespace, " "),
            (Argument, "/d"),
            (Newline, "\n"),
            (HeredocBody, "body\n"),
            (HeredocTerminator, "E"),
            (Newline, "\n"),
        ]
    );
}

#[test]
fn line_of_64k_or_more_is_an_error() {
    let ok = format!("FROM a\nRUN echo {}\n", "x".repeat(65535 - 9));
    let df = syntax::parse(&ok);
    assert!(!kinds(&df).contains(&SyntaxErrorKind::LineTooLong));
    let long = format!("FROM a\nRUN echo {}\n", "x".repeat(65536 - 9));
    let df = syntax::parse(&long);
    assert_eq!(kinds(&df), [SyntaxErrorKind::LineTooLong]);
    assert_eq!(df.line_col(df.diagnostics[0].span.start).line, 2);
    // the line is still parsed
    assert_eq!(df.instructions[1].args[0].value.len(), 65536 - 4);
}

#[test]
fn line_col_and_crlf() {
    let src = "FROM a\r\nRUN é \\\r\n  b\r\n";
    let df = syntax::parse(src);
    let run = &df.instructions[1];
    assert_eq!(run.args[0].value, "é   b");
    let b = src.rfind('b').unwrap();
    let lc = df.line_col(b);
    assert_eq!((lc.line, lc.column), (3, 3));
    assert_eq!(df.text(run.span), "RUN é \\\r\n  b");
}

#[test]
fn empty_continuation_lines_are_warnings() {
    let df = syntax::parse("FROM a\nRUN a \\\n\n   \n  b\n");
    let w: Vec<_> = df
        .diagnostics
        .iter()
        .filter(|d| d.kind.is_warning())
        .collect();
    assert_eq!(w.len(), 2);
    assert!(
        w.iter()
            .all(|d| d.kind == SyntaxErrorKind::EmptyContinuationLine)
    );
    assert_eq!(df.line_col(w[1].span.start).line, 4);
}

#[test]
fn words_split_and_expand_for_rules() {
    let w = words::split_words("a 'b c' \"$X d\"", '\\');
    let v: Vec<&str> = w.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(v, ["a", "b c", "$X d"]);
    let scope = |n: &str| (n == "TAG").then(|| "3.19".to_string());
    let e = words::expand("alpine:${TAG}-${FLAVOR:-slim}", &scope);
    assert_eq!(e.value, "alpine:3.19-slim");
    assert_eq!(e.unresolved, ["FLAVOR"]);
    let refs = words::var_refs("${A%%.*} $B", '\\');
    assert_eq!(
        refs[0].modifier,
        Some(Modifier::TrimSuffix { greedy: true })
    );
    assert_eq!(refs[1].name, "B");
}
