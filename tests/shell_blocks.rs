//! The shell parser's blocks and chain ends: which construct encloses each command, where its
//! `&&` chain ends, and the span of each construct. Fixes that append or move commands rely on
//! them (see docs/fix-safety.md).

use whittle::syntax::shell::{Frame, Script, SimpleCommand, parse};

fn script(src: &str) -> Script {
    parse(src).unwrap_or_else(|e| panic!("{src:?} does not parse: {e}"))
}

fn cmd<'s>(s: &'s Script, src: &str, name: &str) -> &'s SimpleCommand {
    s.cmds
        .iter()
        .find(|c| c.argv.first().is_some_and(|w| w.raw(src) == name))
        .unwrap_or_else(|| panic!("no `{name}` in {src:?}"))
}

/// The text before the chain end of `name`.
fn chain<'a>(src: &'a str, name: &str) -> &'a str {
    let s = script(src);
    &src[..cmd(&s, src, name).chain_end]
}

#[test]
fn chain_ends_stop_at_or_and_separators() {
    let src = "a && b && c || d; e";
    assert_eq!(chain(src, "a"), "a && b && c");
    assert_eq!(chain(src, "c"), "a && b && c");
    assert_eq!(chain(src, "d"), "a && b && c || d");
    assert_eq!(chain(src, "e"), src);
    let src = "x | y && z > out 2>&1\nw";
    assert_eq!(chain(src, "x"), "x | y && z > out 2>&1");
    assert_eq!(script(src).cmds[0].pipeline_end, "x | y".len());
}

#[test]
fn chain_ends_stay_inside_their_construct() {
    let src = "if [ -f y ]; then yarn install && echo ok; else npm ci; fi && echo done";
    assert_eq!(
        chain(src, "yarn"),
        "if [ -f y ]; then yarn install && echo ok"
    );
    assert_eq!(
        chain(src, "npm"),
        "if [ -f y ]; then yarn install && echo ok; else npm ci"
    );
    let src = "(cd a && npm ci) || (yarn install); rm -rf x";
    assert_eq!(chain(src, "npm"), "(cd a && npm ci");
    assert_eq!(chain(src, "yarn"), "(cd a && npm ci) || (yarn install");
    // an `||` branch's chain is its own pipeline
    let src = "a || b && c";
    assert_eq!(chain(src, "b"), "a || b");
    assert_eq!(chain(src, "c"), src);
}

#[test]
fn blocks_tell_branches_apart_and_cover_their_construct() {
    let src = "if t; then a; else b; fi | cat && for x in $(ls); do c; done";
    let s = script(src);
    let (a, b, c) = (cmd(&s, src, "a"), cmd(&s, src, "b"), cmd(&s, src, "c"));
    assert_ne!(a.block, b.block, "two branches of one `if`");
    let ba = &s.blocks[a.block.unwrap()];
    let bb = &s.blocks[b.block.unwrap()];
    assert_eq!((ba.frame, bb.frame), (Frame::IfBody, Frame::IfBody));
    assert_eq!(ba.construct.text(src), "if t; then a; else b; fi");
    assert_eq!(ba.construct, bb.construct);
    assert!(ba.piped, "the `if` is piped into cat");
    assert_eq!(
        &src[..ba.chain_end],
        "if t; then a; else b; fi | cat && for x in $(ls); do c; done"
    );
    let bc = &s.blocks[c.block.unwrap()];
    assert_eq!(bc.frame, Frame::LoopBody);
    assert_eq!(bc.construct.text(src), "for x in $(ls); do c; done");
    let ls = cmd(&s, src, "ls");
    let bl = &s.blocks[ls.block.unwrap()];
    assert_eq!(bl.frame, Frame::CmdSubst);
    assert_eq!(bl.construct.text(src), "$(ls)");
    assert_eq!(bl.parent, None);
}

#[test]
fn nested_blocks_chain_to_their_parents() {
    let src = "case $pm in\n  yarn) (cd a && yarn install) ;;\n  *) v=\"$(npm ci >/dev/null && echo x)\" ;;\nesac";
    let s = script(src);
    let yarn = cmd(&s, src, "yarn");
    let kinds: Vec<Frame> = s.blocks_of(yarn).map(|(_, b)| b.frame).collect();
    assert_eq!(kinds, [Frame::Subshell, Frame::CaseArm]);
    let npm = cmd(&s, src, "npm");
    let kinds: Vec<Frame> = s.blocks_of(npm).map(|(_, b)| b.frame).collect();
    assert_eq!(kinds, [Frame::CmdSubst, Frame::CaseArm]);
    assert_eq!(
        &src[..npm.chain_end],
        &src[..src.find(" && echo x").unwrap() + " && echo x".len()]
    );
    for c in &s.cmds {
        let frames: Vec<Frame> = s.blocks_of(c).map(|(_, b)| b.frame).collect();
        let mut expected = c.frames.clone();
        expected.reverse();
        assert_eq!(
            frames,
            expected,
            "blocks follow frames for {:?}",
            c.span.text(src)
        );
    }
}

#[test]
fn functions_backquotes_and_heredocs() {
    let src =
        "f() { apt-get update; }\nx=`npm ci && echo y`\ncat <<EOF | sh\nnot a command\nEOF\nf";
    let s = script(src);
    let apt = cmd(&s, src, "apt-get");
    let b = &s.blocks[apt.block.unwrap()];
    // the body's braces are a group inside the function
    assert_eq!(
        s.blocks_of(apt).map(|(_, b)| b.frame).collect::<Vec<_>>(),
        [Frame::Brace, Frame::Function]
    );
    assert_eq!(b.construct.text(src), "{ apt-get update; }");
    let npm = cmd(&s, src, "npm");
    let sub = &s.blocks[npm.block.unwrap()];
    assert_eq!(sub.construct.text(src), "`npm ci && echo y`");
    assert_eq!(
        &src[..npm.chain_end],
        "f() { apt-get update; }\nx=`npm ci && echo y"
    );
    let cat = cmd(&s, src, "cat");
    assert_eq!(
        &src[..cat.chain_end],
        "f() { apt-get update; }\nx=`npm ci && echo y`\ncat <<EOF | sh"
    );
}

/// Every command's chain end lies at or after its own end and inside each enclosing construct.
#[test]
fn chain_ends_are_consistent_on_varied_scripts() {
    let bodies = [
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
        "set -e; for p in a b; do (cd $p && make) || exit 1; done; echo ok",
        "while read l; do echo \"$l\"; done < <(ls) && true",
        "{ a; b || c; } > log 2>&1 && d",
        "x=$(if a; then b; fi) y=`c` z",
        "! a && b | c || { d && e; }",
        "if a; then b; elif c; then d; else e; fi",
        "[[ -f $(x) && -d y ]] && z",
    ];
    for src in bodies {
        let s = script(src);
        for c in &s.cmds {
            assert!(
                c.chain_end >= c.pipeline_end,
                "{src}: {:?}",
                c.span.text(src)
            );
            assert!(
                c.pipeline_end >= c.span.end,
                "{src}: {:?}",
                c.span.text(src)
            );
            for (_, b) in s.blocks_of(c) {
                assert!(
                    b.construct.start <= c.span.start && c.chain_end <= b.construct.end,
                    "{src}: {:?} leaves {:?}",
                    c.span.text(src),
                    b.construct.text(src)
                );
            }
        }
    }
}
