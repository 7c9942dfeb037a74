//! Helpers shared by the shell parser tests.
#![allow(dead_code)]

use whittle::syntax::Span;
use whittle::syntax::shell::{Script, Word};

/// Every span the script holds is in bounds, on char boundaries and consistent: words are
/// non-empty, start and end on word boundaries, sit inside their command in order, and commands
/// sit inside their top-level item.
pub fn check_invariants(src: &str, script: &Script) {
    let ok = |s: Span| {
        s.start <= s.end
            && s.end <= src.len()
            && src.is_char_boundary(s.start)
            && src.is_char_boundary(s.end)
    };
    for item in &script.items {
        assert!(ok(item.span), "item span {:?} in {src:?}", item.span);
    }
    for w in script.items.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "items overlap in {src:?}");
    }
    for doc in &script.heredocs {
        assert!(ok(doc.body), "heredoc body {:?} in {src:?}", doc.body);
    }
    for cmd in &script.cmds {
        assert!(ok(cmd.span), "command span {:?} in {src:?}", cmd.span);
        let item = script.items.get(cmd.item).expect("command item exists");
        assert!(
            item.span.start <= cmd.span.start && cmd.span.end <= item.span.end,
            "command {:?} outside its item {:?} in {src:?}",
            cmd.span,
            item.span
        );
        let words: Vec<&Word> = cmd.assigns.iter().chain(&cmd.argv).collect();
        for pair in words.windows(2) {
            assert!(
                pair[0].span.end <= pair[1].span.start,
                "words out of order in {src:?}"
            );
        }
        let targets = cmd.redirects.iter().map(|r| &r.target);
        for w in words.iter().copied().chain(targets) {
            assert!(
                ok(w.span) && !w.span.is_empty(),
                "word span {:?} in {src:?}",
                w.span
            );
            assert!(
                cmd.span.start <= w.span.start && w.span.end <= cmd.span.end,
                "word {:?} outside command {:?} in {src:?}",
                w.span,
                cmd.span
            );
            let raw = w.raw(src);
            assert_eq!(raw, &src[w.span.start..w.span.end]);
            assert!(
                !raw.starts_with([' ', '\t', '\n']),
                "word {raw:?} starts with a blank in {src:?}"
            );
            let lit = w.literal(src);
            if let (Some(at), Some(lit)) = (w.verbatim_start(src), &lit) {
                assert_eq!(
                    src.get(at..at + lit.len()),
                    Some(lit.as_ref()),
                    "verbatim literal of {raw:?}"
                );
            }
        }
        // the helpers never panic on whatever the parser produced
        if let Some(inv) = cmd.effective(src) {
            assert!(inv.index < cmd.argv.len());
            let _ = inv.has_flag(src, Some('y'), "yes");
            let _ = inv.flag_value(src, Some('t'), "target");
            let _ = inv.positionals(src, &["-o", "--target"]).count();
            let _ = inv.shell_c_script(src);
        }
        for r in &cmd.redirects {
            assert!(ok(r.span) && ok(r.op), "redirect span in {src:?}");
            assert!(r.span.start <= r.op.start && r.op.end <= r.target.span.start);
            assert!(r.target.span.end == r.span.end);
        }
    }
}

/// Parse, check the invariants, and return the script.
pub fn parse_ok(src: &str) -> Script {
    match whittle::syntax::shell::parse(src) {
        Ok(script) => {
            check_invariants(src, &script);
            script
        }
        Err(e) => panic!("{src:?} failed at {:?}: {}", e.span, e.message),
    }
}

/// The raw argv of every simple command.
pub fn argvs(src: &str) -> Vec<Vec<String>> {
    parse_ok(src)
        .cmds
        .iter()
        .map(|c| c.argv.iter().map(|w| w.raw(src).to_string()).collect())
        .collect()
}

/// Shorthand for expected argv lists.
pub fn v(cmds: &[&[&str]]) -> Vec<Vec<String>> {
    cmds.iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect()
}
