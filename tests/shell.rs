//! The shell parser on the inputs that broke other parsers (shell-spec.md B1–B5, T1–T7, Y1) and
//! on each construct it supports. Expected argv, redirects and spans are written out by hand.

mod shell_common;

use shell_common::{argvs, parse_ok, v};
use whittle::syntax::Span;
use whittle::syntax::shell::{Frame, Op, parse};

/// The span of the `n`th occurrence (0-based) of `needle` in `src`.
fn find(src: &str, needle: &str, n: usize) -> Span {
    let start = src
        .match_indices(needle)
        .nth(n)
        .map(|(i, _)| i)
        .expect("needle present");
    Span::new(start, start + needle.len())
}

// ---------- brush-parser failures ----------

#[test]
fn b1_args_after_same_line_heredoc_are_kept() {
    let src = "cat <<EOF > \"${F}\"\nhello\nEOF\n";
    let s = parse_ok(src);
    assert_eq!(s.cmds.len(), 1);
    let c = &s.cmds[0];
    assert_eq!(argvs(src), v(&[&["cat"]]));
    assert_eq!(c.redirects.len(), 2);
    assert_eq!(c.redirects[0].op_str(src), "<<");
    assert_eq!(c.redirects[0].target.raw(src), "EOF");
    assert_eq!(c.redirects[1].op_str(src), ">");
    assert_eq!(c.redirects[1].target.raw(src), "\"${F}\"");
    assert_eq!(c.redirects[1].target.span, find(src, "\"${F}\"", 0));
    assert!(c.redirects[1].target.has_expansion);
    assert_eq!(s.heredocs[0].body.text(src), "hello\n");

    let src = "cat <<EOF | tee ${F}\nx\nEOF\n";
    assert_eq!(argvs(src), v(&[&["cat"], &["tee", "${F}"]]));

    let src = "cat <<EOF > \"$(x)\"\nbody\nEOF";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].redirects[1].target.raw(src), "\"$(x)\"");
    assert_eq!(s.cmds[1].argv[0].raw(src), "x");
    assert_eq!(s.cmds[1].frames, vec![Frame::CmdSubst]);
}

#[test]
fn b2_spans_after_backslash_newline_do_not_drift() {
    // Inside heredoc scripts Docker leaves `\`+newline in place.
    let src = "apt-get install -y \\\n   git \\\n   curl\n";
    let s = parse_ok(src);
    let c = &s.cmds[0];
    assert_eq!(c.argv.len(), 5);
    assert_eq!(c.argv[3].span, find(src, "git", 0));
    assert_eq!(c.argv[4].span, find(src, "curl", 0));
    assert_eq!(s.items.len(), 1);
}

#[test]
fn b3_no_off_by_one_after_same_line_heredoc() {
    let src = "cat <<EOF > /x && echo hi\nbody\nEOF\n";
    let s = parse_ok(src);
    assert_eq!(s.cmds[1].argv[1].span, Span::new(23, 25));
    assert_eq!(s.cmds[1].op_before, (Op::And, Some(Span::new(15, 17))));
    assert_eq!(s.cmds[0].op_after, (Op::And, Some(Span::new(15, 17))));
    assert_eq!(s.heredocs[0].body.text(src), "body\n");
    assert_eq!(s.item_end(0), Some(25));
}

#[test]
fn b4_spans_are_bytes_and_operators_have_spans() {
    let src = "echo 'héllo wörld' && ls ü > out || true";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].argv[1].raw(src), "'héllo wörld'");
    assert_eq!(s.cmds[1].argv[1].span, find(src, "ü", 0));
    assert_eq!(s.cmds[1].op_before.1, Some(find(src, "&&", 0)));
    assert_eq!(s.cmds[1].redirects[0].op, find(src, ">", 0));
    assert_eq!(s.cmds[2].op_before, (Op::Or, Some(find(src, "||", 0))));
}

#[test]
fn b5_substitutions_are_parsed_not_strings() {
    let src = "X=${X:-$(curl -fsSL https://a/b)} && echo `uname -m` $(( $(nproc) + 1 ))";
    let s = parse_ok(src);
    let names: Vec<_> = s
        .cmds
        .iter()
        .map(|c| c.name(src).map(|n| n.to_string()))
        .collect();
    assert_eq!(
        names,
        vec![
            None,
            Some("curl".into()),
            Some("echo".into()),
            Some("uname".into()),
            Some("nproc".into())
        ]
    );
    assert_eq!(
        s.cmds[0].assigns[0].raw(src),
        "X=${X:-$(curl -fsSL https://a/b)}"
    );
    assert_eq!(s.cmds[1].frames, vec![Frame::CmdSubst]);
    assert_eq!(s.cmds[3].frames, vec![Frame::CmdSubst]);
    assert_eq!(s.cmds[4].frames, vec![Frame::CmdSubst]);
    assert!(!s.cmds[1].is_unconditional());
}

// ---------- tree-sitter-bash failures ----------

#[test]
fn t1_keyword_right_after_compound_command() {
    let src = "for x in 1; do if true; then echo; fi done";
    assert_eq!(argvs(src), v(&[&["true"], &["echo"]]));
    let src = "for a in 1; do for b in 2; do echo $a$b; done done";
    assert_eq!(argvs(src), v(&[&["echo", "$a$b"]]));
    let src = "while true; do case x in x) break;; esac done";
    assert_eq!(argvs(src), v(&[&["true"], &["break"]]));
}

#[test]
fn t2_words_with_two_expansions_stay_whole() {
    let src = "wget https://h/$V/x-$V.tgz";
    let s = parse_ok(src);
    assert_eq!(argvs(src), v(&[&["wget", "https://h/$V/x-$V.tgz"]]));
    assert!(s.cmds[0].argv[1].has_expansion);
    assert_eq!(s.cmds[0].argv[1].literal(src), None);
}

#[test]
fn t3_word_after_fd_dup_is_an_argument() {
    let src = "echo >&2 \"msg\"";
    let s = parse_ok(src);
    assert_eq!(argvs(src), v(&[&["echo", "\"msg\""]]));
    assert_eq!(s.cmds[0].redirects[0].target.raw(src), "2");
    assert_eq!(s.cmds[0].redirects[0].op_str(src), ">&");
    let src = "echo hi 1>&2 there 2>/dev/null";
    let s = parse_ok(src);
    assert_eq!(argvs(src), v(&[&["echo", "hi", "there"]]));
    assert_eq!(s.cmds[0].redirects[0].fd(src), Some("1"));
    assert_eq!(s.cmds[0].redirects[1].fd(src), Some("2"));
}

#[test]
fn t4_leading_escaped_space_is_part_of_the_name() {
    let src = "true && \\ useradd -m x";
    let s = parse_ok(src);
    assert_eq!(s.cmds[1].argv[0].raw(src), "\\ useradd");
    assert_eq!(s.cmds[1].name(src).as_deref(), Some(" useradd"));
}

#[test]
fn t5_semicolon_inside_parameter_expansion() {
    let src = "echo ${a:+$a;} done";
    assert_eq!(argvs(src), v(&[&["echo", "${a:+$a;}", "done"]]));
}

#[test]
fn t6_template_braces_are_words() {
    let src = "{{ dnf_install }} curl && echo {{x}}";
    assert_eq!(
        argvs(src),
        v(&[&["{{", "dnf_install", "}}", "curl"], &["echo", "{{x}}"]])
    );
}

#[test]
fn t7_test_commands_and_builtins_are_plain_argv() {
    let src = "[ -f /x ] && [[ -n $A && $B == y* ]] && export A=1 && local b && unset C";
    let s = parse_ok(src);
    assert_eq!(
        argvs(src),
        v(&[
            &["[", "-f", "/x", "]"],
            &["[[", "-n", "$A", "&&", "$B", "==", "y*", "]]"],
            &["export", "A=1"],
            &["local", "b"],
            &["unset", "C"],
        ])
    );
    assert_eq!(s.cmds[1].op_after.0, Op::And);
    assert_eq!(s.cmds[2].op_before.0, Op::And);
    // `&& next` after a heredoc is a command of its own
    let src = "cat <<EOF && next\nbody\nEOF\n";
    let s = parse_ok(src);
    assert_eq!(argvs(src), v(&[&["cat"], &["next"]]));
    assert_eq!(s.cmds[1].op_before.0, Op::And);
}

// ---------- yash-syntax failures (bash syntax) ----------

#[test]
fn y1_bash_syntax() {
    let cases: &[(&str, &[&[&str]])] = &[
        (
            "[[ -d /x ]] || mkdir /x",
            &[&["[[", "-d", "/x", "]]"], &["mkdir", "/x"]],
        ),
        (
            "echo ${x//a/b} ${v:0:3} ${arr[@]} ${#arr[@]}",
            &[&["echo", "${x//a/b}", "${v:0:3}", "${arr[@]}", "${#arr[@]}"]],
        ),
        (
            "diff <(sort a) >(cat)",
            &[&["diff", "<(sort a)", ">(cat)"], &["sort", "a"], &["cat"]],
        ),
        ("cat <<< \"$x\"", &[&["cat"]]),
        (
            "case $x in a) echo a;& b) echo b;;& *) echo c;; esac",
            &[&["echo", "a"], &["echo", "b"], &["echo", "c"]],
        ),
        ("function f { echo in; }; f", &[&["echo", "in"], &["f"]]),
        ("function g() ( echo sub ); g", &[&["echo", "sub"], &["g"]]),
    ];
    for (src, want) in cases {
        assert_eq!(argvs(src), v(want), "{src}");
    }
    let s = parse_ok("diff <(sort a) b");
    assert_eq!(s.cmds[1].frames, vec![Frame::ProcSubst]);
    let s = parse_ok("function f { echo in; }");
    assert_eq!(s.cmds[0].frames, vec![Frame::Function, Frame::Brace]);
}

// ---------- constructs ----------

#[test]
fn arithmetic_commands_and_expansions() {
    let src = "(( i++ )) && echo $((1 + 2)) $[3] && for ((i=0; i<3; i++)); do echo $i; done";
    assert_eq!(
        argvs(src),
        v(&[&["echo", "$((1 + 2))", "$[3]"], &["echo", "$i"]])
    );
    let s = parse_ok(src);
    assert_eq!(s.cmds[1].frames, vec![Frame::LoopBody]);
}

#[test]
fn ansi_c_and_locale_quotes() {
    let src = "printf $'a\\tb\\'c' $\"hi $USER\" $'x'";
    let s = parse_ok(src);
    let c = &s.cmds[0];
    assert_eq!(c.argv[1].raw(src), "$'a\\tb\\'c'");
    assert_eq!(c.argv[1].literal(src).as_deref(), Some("a\tb'c"));
    assert!(c.argv[1].quoted && !c.argv[1].has_expansion);
    assert!(c.argv[2].has_expansion);
    assert_eq!(c.argv[3].literal(src).as_deref(), Some("x"));
}

#[test]
fn arrays() {
    let src = "a=(x \"y z\" $(ls)) b+=(1) c[2]=v && echo \"${a[@]}\" ${a[0]}";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].argv.len(), 0);
    let assigns: Vec<_> = s.cmds[0].assigns.iter().map(|w| w.raw(src)).collect();
    assert_eq!(assigns, vec!["a=(x \"y z\" $(ls))", "b+=(1)", "c[2]=v"]);
    assert_eq!(s.cmds[1].name(src).as_deref(), Some("ls"));
    assert_eq!(argvs(src)[2], vec!["echo", "\"${a[@]}\"", "${a[0]}"]);
    let src = "declare -a arr=(one two)";
    assert_eq!(argvs(src), v(&[&["declare", "-a", "arr=(one two)"]]));
}

#[test]
fn redirection_operators() {
    let src = "cmd &> /dev/null; cmd &>> log; cmd >| f; cmd <> f; cmd 3<&0 2>&-; cmd >>a <b";
    let s = parse_ok(src);
    let ops: Vec<Vec<&str>> = s
        .cmds
        .iter()
        .map(|c| c.redirects.iter().map(|r| r.op_str(src)).collect())
        .collect();
    assert_eq!(
        ops,
        vec![
            vec!["&>"],
            vec!["&>>"],
            vec![">|"],
            vec!["<>"],
            vec!["<&", ">&"],
            vec![">>", "<"]
        ]
    );
    assert!(s.cmds.iter().all(|c| c.argv.len() == 1));
    // `&>` is not a background `&`
    assert!(
        s.items
            .iter()
            .all(|i| i.sep.map(|s| s.0) != Some(Op::Background))
    );
}

#[test]
fn if_while_until_select_frames() {
    let src = "if a; then b; elif c; then d; else e; fi; while f; do g; done; until h; do i; done; select j in k; do l; done";
    let s = parse_ok(src);
    let frames: Vec<(String, Vec<Frame>)> = s
        .cmds
        .iter()
        .map(|c| (c.argv[0].raw(src).to_string(), c.frames.clone()))
        .collect();
    use Frame::*;
    let want = vec![
        ("a", vec![IfCond]),
        ("b", vec![IfBody]),
        ("c", vec![IfCond]),
        ("d", vec![IfBody]),
        ("e", vec![IfBody]),
        ("f", vec![LoopCond]),
        ("g", vec![LoopBody]),
        ("h", vec![LoopCond]),
        ("i", vec![LoopBody]),
        ("l", vec![LoopBody]),
    ];
    let want: Vec<(String, Vec<Frame>)> =
        want.into_iter().map(|(n, f)| (n.to_string(), f)).collect();
    assert_eq!(frames, want);
    assert_eq!(s.items.len(), 4);
}

#[test]
fn subshell_brace_and_or_branch() {
    let src = "(cd /x && make) || { echo fail; exit 1; }";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].frames, vec![Frame::Subshell]);
    assert_eq!(s.cmds[1].frames, vec![Frame::Subshell]);
    assert_eq!(s.cmds[2].frames, vec![Frame::OrBranch, Frame::Brace]);
    assert!(s.cmds[0].is_unconditional() && s.cmds[1].is_unconditional());
    assert!(!s.cmds[2].is_unconditional());
    // the Or frame covers the whole pipeline after `||`, not what follows `&&`
    let src = "a || b | c && d";
    let s = parse_ok(src);
    assert_eq!(s.cmds[1].frames, vec![Frame::OrBranch]);
    assert_eq!(s.cmds[2].frames, vec![Frame::OrBranch]);
    assert_eq!(s.cmds[2].op_before.0, Op::Pipe);
    assert_eq!(s.cmds[3].frames, vec![]);
}

#[test]
fn negation_time_and_coproc() {
    let src = "! grep -q x f && time -p make && time ls | wc -l";
    assert_eq!(
        argvs(src),
        v(&[&["grep", "-q", "x", "f"], &["make"], &["ls"], &["wc", "-l"]])
    );
    let src = "coproc cat; coproc NAME { read x; }";
    assert_eq!(argvs(src), v(&[&["cat"], &["read", "x"]]));
}

#[test]
fn functions_posix_style() {
    let src = "f() { apt-get update; }\nf ( ) ( echo x )\nf";
    let s = parse_ok(src);
    assert_eq!(
        argvs(src),
        v(&[&["apt-get", "update"], &["echo", "x"], &["f"]])
    );
    assert_eq!(s.cmds[0].frames, vec![Frame::Function, Frame::Brace]);
    assert_eq!(s.cmds[1].frames, vec![Frame::Function, Frame::Subshell]);
    assert!(!s.cmds[0].is_unconditional());
}

#[test]
fn case_arms_with_patterns() {
    let src = "case \"$(uname -m)\" in\n  x86_64|amd64) A=x64 ;;\n  (aarch64) A=arm64;;\n  *) echo no; exit 1 ;;\nesac";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].name(src).as_deref(), Some("uname"));
    assert_eq!(s.cmds[0].frames, vec![Frame::CmdSubst]);
    assert_eq!(s.cmds[1].assigns[0].raw(src), "A=x64");
    assert_eq!(s.cmds[1].frames, vec![Frame::CaseArm]);
    assert_eq!(s.cmds[4].argv[0].raw(src), "exit");
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.item_end(0), Some(src.len()));
}

#[test]
fn heredocs_in_scripts() {
    let src = "cat <<-EOF >/etc/x && cat <<'A' <<\"B\"\n\tone\n\tEOF\nraw $x\nA\nb\nB\necho done";
    let s = parse_ok(src);
    assert_eq!(s.heredocs.len(), 3);
    assert_eq!(s.heredocs[0].delim, "EOF");
    assert!(s.heredocs[0].strip_tabs && !s.heredocs[0].quoted);
    assert_eq!(s.heredocs[0].body.text(src), "\tone\n");
    assert_eq!(s.heredocs[1].delim, "A");
    assert!(s.heredocs[1].quoted);
    assert_eq!(s.heredocs[1].body.text(src), "raw $x\n");
    assert_eq!(s.heredocs[2].body.text(src), "b\n");
    assert_eq!(argvs(src), v(&[&["cat"], &["cat"], &["echo", "done"]]));
    assert_eq!(s.cmds[2].op_before.0, Op::Seq);
    assert_eq!(s.items.len(), 2);
    assert_eq!(s.cmds[0].redirects[0].heredoc, Some(0));
    // an unterminated heredoc runs to the end (bash warns but accepts)
    let src = "cat <<EOF\nabc";
    let s = parse_ok(src);
    assert_eq!(s.heredocs[0].body.text(src), "abc");
    // a heredoc inside a command substitution
    let src = "x=$(cat <<EOF\nin\nEOF\n) && echo \"$x\"";
    let s = parse_ok(src);
    assert_eq!(s.heredocs[0].body.text(src), "in\n");
    assert_eq!(s.cmds.len(), 3);
    assert_eq!(s.cmds[2].argv[0].raw(src), "echo");
}

#[test]
fn comments_and_keywords_as_arguments() {
    let src = "echo a#b # comment ; not a command\necho if then fi done # x";
    assert_eq!(
        argvs(src),
        v(&[&["echo", "a#b"], &["echo", "if", "then", "fi", "done"]])
    );
    let s = parse_ok(src);
    assert_eq!(s.item_end(0), Some(find(src, "a#b", 0).end));
}

#[test]
fn pipes_background_and_separators() {
    let src = "a | b |& c & d; e\nf";
    let s = parse_ok(src);
    let ops: Vec<(Op, Op)> = s
        .cmds
        .iter()
        .map(|c| (c.op_before.0, c.op_after.0))
        .collect();
    assert_eq!(
        ops,
        vec![
            (Op::Start, Op::Pipe),
            (Op::Pipe, Op::Pipe),
            (Op::Pipe, Op::Background),
            (Op::Background, Op::Seq),
            (Op::Seq, Op::Seq),
            (Op::Seq, Op::End),
        ]
    );
    assert_eq!(s.items.len(), 4);
    assert_eq!(s.items[0].sep, Some((Op::Background, find(src, "&", 1))));
    assert_eq!(s.cmds[4].item, 2);
}

#[test]
fn assignments_before_commands() {
    let src = "DEBIAN_FRONTEND=noninteractive TZ=\"UTC\" apt-get install -y tzdata";
    let s = parse_ok(src);
    let c = &s.cmds[0];
    assert_eq!(c.assigns.len(), 2);
    assert_eq!(c.assigns[1].literal(src).as_deref(), Some("TZ=UTC"));
    assert_eq!(c.name(src).as_deref(), Some("apt-get"));
    assert_eq!(c.argv.len(), 4);
    // after the name, `x=y` is an argument
    assert_eq!(argvs("make A=b"), v(&[&["make", "A=b"]]));
}

#[test]
fn item_end_is_where_a_cleanup_goes() {
    let src = "apt-get update && apt-get install -y curl > /dev/null 2>&1 # install\nrm -rf /tmp/*";
    let s = parse_ok(src);
    let end = s.item_end(s.cmds[1].item).expect("item");
    assert_eq!(
        &src[..end],
        "apt-get update && apt-get install -y curl > /dev/null 2>&1"
    );
    let src = "if true; then apt-get update; fi > log; echo";
    let s = parse_ok(src);
    assert_eq!(s.item_end(0), Some(find(src, "log", 0).end));
    assert_eq!(s.cmds[0].item, 0);
    assert_eq!(s.cmds[2].item, 1);
}

#[test]
fn continuation_joined_bodies_with_crlf() {
    let src = "apt-get update\r\nif true; then\r\n  echo x\r\nfi\r\n";
    assert_eq!(
        argvs(src),
        v(&[&["apt-get", "update"], &["true"], &["echo", "x"]])
    );
}

#[test]
fn backticks_nest_and_escape() {
    let src = "echo `echo \\`date\\`` \"`id -u`\"";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].argv.len(), 3);
    assert_eq!(s.cmds[1].name(src).as_deref(), Some("echo"));
    assert_eq!(s.cmds[2].name(src).as_deref(), Some("id"));
    // bash reads backquoted text only when it runs it: a broken inside is still a word
    let src = "echo `if` x";
    let s = parse_ok(src);
    assert_eq!(argvs(src), v(&[&["echo", "`if`", "x"]]));
    assert!(s.cmds[0].argv[1].has_expansion);
}

#[test]
fn double_quotes_in_parameter_expansions() {
    let src = "echo \"${x:-don't}\" \"${y:-\"a b\"}\" ${z:-'}'}";
    assert_eq!(
        argvs(src),
        v(&[&["echo", "\"${x:-don't}\"", "\"${y:-\"a b\"}\"", "${z:-'}'}"]])
    );
}

#[test]
fn extglob_and_globs_are_words() {
    let src = "rm -rf /var/lib/apt/lists/* !(keep) @(a|b).txt ?(x)";
    let s = parse_ok(src);
    assert_eq!(s.cmds[0].argv.len(), 6);
    assert_eq!(
        s.cmds[0].argv[2].literal(src).as_deref(),
        Some("/var/lib/apt/lists/*")
    );
}

#[test]
fn syntax_errors_are_errors_with_positions() {
    let cases: &[(&str, usize)] = &[
        ("echo 'unterminated", 5),
        ("echo \"open", 5),
        ("if true; then echo", 18),
        ("for x in a; do echo", 19),
        ("echo $(ls", 5),
        ("a && && b", 5),
        ("fi", 0),
        (")", 0),
        ("case x in a) echo", 0),
        ("cat >", 5),
        ("echo ${x", 5),
        ("{ echo; ", 8),
    ];
    for (src, pos) in cases {
        let e = parse(src).expect_err(src);
        assert_eq!(e.pos(), *pos, "{src}: {}", e.message);
        assert!(e.span.end <= src.len());
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = "$(".repeat(5000) + &")".repeat(5000);
    assert!(parse(&src).is_err());
    let src = "echo ".to_string() + &"${a:-".repeat(5000);
    assert!(parse(&src).is_err());
    let src = "f() ".repeat(5000);
    assert!(parse(&src).is_err());
}

#[test]
fn empty_and_blank_bodies() {
    for src in ["", "   ", "\n\n", "# only a comment", "\\\n"] {
        let s = parse_ok(src);
        assert!(s.cmds.is_empty() && s.items.is_empty(), "{src:?}");
    }
}

#[test]
fn everyday_constructs() {
    let cases: &[(&str, &[&[&str]])] = &[
        (
            "echo \"$(echo \")\")\"",
            &[&["echo", "\"$(echo \")\")\""], &["echo", "\")\""]],
        ),
        (
            "x=$(< /etc/os-release) && exec 3>&1",
            &[&[], &[], &["exec"]],
        ),
        (
            "echo $((16#ff)) ${#} ${x#\\#} $# {1..3}",
            &[&["echo", "$((16#ff))", "${#}", "${x#\\#}", "$#", "{1..3}"]],
        ),
        (
            "while IFS= read -r line; do echo \"$line\"; done < /tmp/list",
            &[&["read", "-r", "line"], &["echo", "\"$line\""]],
        ),
        (
            "if ! command -v x >/dev/null 2>&1; then exit 1; fi",
            &[&["command", "-v", "x"], &["exit", "1"]],
        ),
        (
            "echo foo > >(tee log) 2> >(cat >&2)",
            &[&["echo", "foo"], &["tee", "log"], &["cat"]],
        ),
        ("case x in (a) ;; esac; echo", &[&["echo"]]),
        (
            "echo $(case $1 in a) echo A;; esac)",
            &[&["echo", "$(case $1 in a) echo A;; esac)"], &["echo", "A"]],
        ),
    ];
    for (src, want) in cases {
        assert_eq!(argvs(src), v(want), "{src}");
    }
    let src = "x=$(< /etc/os-release)";
    let s = parse_ok(src);
    assert_eq!(s.cmds[1].redirects[0].target.raw(src), "/etc/os-release");
    assert_eq!(s.cmds[1].frames, vec![Frame::CmdSubst]);
    for bad in [
        "{echo;}",
        "echo a;;",
        "done",
        "a |",
        "a &&",
        "( a",
        "echo $((1+2)",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}

/// Found by the property test: a substitution inside an extglob or array group makes the word
/// expand, so it has no literal value and no verbatim position.
#[test]
fn substitutions_inside_groups_expand() {
    for src in ["@(`$'`)2>&1", "=((`'`))", "echo @($(date)|x)"] {
        let script = whittle::syntax::shell::parse(src).expect("parses");
        let words: Vec<_> = script
            .cmds
            .iter()
            .flat_map(|c| c.argv.iter().chain(&c.assigns))
            .collect();
        assert!(words.iter().any(|w| w.has_expansion), "{src}");
        for w in words.iter().filter(|w| w.raw(src).contains(['`', '$'])) {
            assert!(
                w.literal(src).is_none() && w.verbatim_start(src).is_none(),
                "{src}"
            );
        }
    }
}
