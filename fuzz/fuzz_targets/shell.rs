//! The shell parser never panics, and every span it returns is in bounds, on char boundaries
//! and consistent (words inside their command, commands inside their top-level item).
#![no_main]

use libfuzzer_sys::fuzz_target;
use whittle::syntax::shell;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(script) = shell::parse(src) else {
        return;
    };
    let ok = |s: whittle::syntax::Span| {
        s.start <= s.end
            && s.end <= src.len()
            && src.is_char_boundary(s.start)
            && src.is_char_boundary(s.end)
    };
    for item in &script.items {
        assert!(ok(item.span), "item span {:?}", item.span);
    }
    for doc in &script.heredocs {
        assert!(ok(doc.body), "heredoc body {:?}", doc.body);
    }
    for cmd in &script.cmds {
        assert!(ok(cmd.span));
        let item = script.items.get(cmd.item).expect("command item exists");
        assert!(item.span.start <= cmd.span.start && cmd.span.end <= item.span.end);
        let words = cmd
            .assigns
            .iter()
            .chain(&cmd.argv)
            .chain(cmd.redirects.iter().map(|r| &r.target));
        for w in words {
            assert!(ok(w.span) && !w.span.is_empty(), "word span {:?}", w.span);
            assert!(cmd.span.start <= w.span.start && w.span.end <= cmd.span.end);
            let lit = w.literal(src);
            if let (Some(at), Some(lit)) = (w.verbatim_start(src), &lit) {
                assert_eq!(src.get(at..at + lit.len()), Some(lit.as_ref()));
            }
        }
        for r in &cmd.redirects {
            assert!(ok(r.span) && ok(r.op));
        }
        if let Some(inv) = cmd.effective(src) {
            assert!(inv.index < cmd.argv.len());
            let _ = inv.shell_c_script(src);
        }
        let _ = cmd.has_flag(src, Some('y'), "yes");
        let _ = cmd.flag_value(src, Some('t'), "target");
        let _ = cmd.positional(src, 1, &["-o", "--target"]);
    }
});
