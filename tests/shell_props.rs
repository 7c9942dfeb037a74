//! Property tests: random shell-ish text never makes the parser panic, and every accepted body
//! satisfies the span invariants. Bodies assembled from valid pieces always parse.

mod shell_common;

use proptest::prelude::*;
use shell_common::check_invariants;
use whittle::syntax::shell::parse;

/// Fragments that exercise quoting, expansions, operators, keywords and heredocs.
const PIECES: &[&str] = &[
    " ", " ", " ", "\n", "\t", "\\\n", "a", "apt-get", "-y", "x=1", "'", "\"", "`", "$", "${", "}",
    "$(", "(", ")", "((", "))", "$((", "<(", ">(", "[[", "]]", "{", "}", ";", ";;", ";&", "&",
    "&&", "|", "||", "|&", "<", ">", ">>", "<<", "<<-", "<<<", "&>", "2>&1", ">&2", "#", "!", "if",
    "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
    "function", "select", "coproc", "time", "EOF", "$'", "$\"", "\\", "=", "é", "😀", "*", "@(",
    "[", "]", ":-", "//",
];

fn shellish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

/// Commands that are valid on their own, joined by valid separators.
const VALID: &[&str] = &[
    "apt-get install -y curl",
    "echo \"$(id -u)\" > /tmp/x",
    "cat <<EOF > \"${F}\"\nbody $x\nEOF",
    "if [ -f a ]; then rm a; fi",
    "for x in a b; do echo $x; done",
    "case $(uname -m) in x86_64) A=1;; *) A=2;; esac",
    "[[ -n $A && $B == y* ]] || exit 1",
    "{ echo a; echo b; } | tee log",
    "(cd /x && make -j$(nproc))",
    "f() { echo \"${1:-def}\"; }",
    "arr=(a \"b c\") && echo \"${arr[@]}\"",
    "diff <(sort a) <(sort b)",
    "printf $'a\\tb' `date`",
    "echo ${x//a/b} ${v:0:3} &>/dev/null",
];

fn valid_body() -> impl Strategy<Value = String> {
    let sep = prop::sample::select(&[" && ", " || ", "; ", "\n", " | ", " &\n"][..]);
    prop::collection::vec((prop::sample::select(VALID), sep), 1..8).prop_map(|v| {
        let mut s = String::new();
        for (i, (cmd, sep)) in v.iter().enumerate() {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(cmd);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_pieces_never_panic(src in shellish()) {
        if let Ok(script) = parse(&src) {
            check_invariants(&src, &script);
        }
    }

    #[test]
    fn random_text_never_panics(src in any::<String>()) {
        if let Ok(script) = parse(&src) {
            check_invariants(&src, &script);
        }
    }

    #[test]
    fn bodies_of_valid_pieces_parse(src in valid_body()) {
        let script = parse(&src);
        prop_assert!(script.is_ok(), "{:?} -> {:?}", src, script.err());
        if let Ok(script) = script {
            check_invariants(&src, &script);
            prop_assert!(!script.cmds.is_empty());
        }
    }
}
