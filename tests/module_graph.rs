//! The crate's modules import each other without circles: data flows one way (architecture.md).
//!
//! Each `.rs` file under `src/` is a node (`mod.rs` is its directory's module; `lib.rs` and
//! `main.rs`, the crate roots, are left out). A `crate::a::b` or `super::a` path in a file's
//! non-test code is an edge to the longest module its path names. Code under `#[cfg(test)]` is
//! not read, nor are comments and string literals. The test fails on every strongly connected set
//! of two or more modules and shows one circle through each.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module's path (`rules::run_commands`), empty for the crate root.
type Module = String;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/rules/mod.rs` -> `rules`, `src/rules/run_commands.rs` -> `rules::run_commands`.
fn module_of(src: &Path, file: &Path) -> Option<Module> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        return None;
    }
    Some(parts.join("::"))
}

/// The code without comments, string and character literals (each replaced by a space), so that
/// braces and paths in them do not count.
fn strip_comments_and_literals(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            out.push(' ');
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if (c == b'r' || c == b'b')
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_ascii_alphanumeric() || *p == b'_')
            && raw_string_hashes(&b[i..]).is_some()
        {
            let (skip, hashes) = raw_string_hashes(&b[i..]).unwrap_or((0, 0));
            i += skip;
            let closing: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while i < b.len() && !b[i..].starts_with(&closing) {
                i += 1;
            }
            i += closing.len();
            out.push(' ');
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else if c == b'\'' {
            // A character literal ('x', '\n', '\u{..}'), or a lifetime / label ('a).
            let rest = &src[i + 1..];
            let len = if let Some(escaped) = rest.strip_prefix('\\') {
                escaped.find('\'').map(|p| p + 2)
            } else {
                rest.chars()
                    .next()
                    .filter(|ch| rest[ch.len_utf8()..].starts_with('\''))
                    .map(char::len_utf8)
            };
            match len {
                Some(n) => {
                    i += n + 2;
                    out.push(' ');
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// `r"`, `r#"`, `br##"`...: the length of the opening and its number of `#`.
fn raw_string_hashes(b: &[u8]) -> Option<(usize, usize)> {
    let mut i = usize::from(b.first() == Some(&b'b'));
    if b.get(i) != Some(&b'r') {
        return None;
    }
    i += 1;
    let hashes = b[i..].iter().take_while(|c| **c == b'#').count();
    (b.get(i + hashes) == Some(&b'"')).then_some((i + hashes + 1, hashes))
}

/// The code without the items under `#[cfg(test)]` (a `mod tests { .. }`, a `use`, a function).
fn strip_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at + "#[cfg(test)]".len()..];
        // The item ends at its first `;` outside braces, or at the brace closing its body.
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every path a `crate::` or `super::` prefix starts, with `{a, b::{c}}` groups expanded:
/// `crate::a::{b, c::d}` gives `crate::a`, `crate::a::b`, `crate::a::c::d`.
fn paths(code: &str) -> Vec<String> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_word = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let prefix = ["crate::", "super::"]
            .into_iter()
            .find(|p| code[i..].starts_with(p));
        match prefix {
            Some(_) if starts_word && !(i >= 2 && &code[i - 2..i] == "::") => {
                let (found, end) = path_tree(code, i, String::new());
                out.extend(found);
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Read one path starting at `i` (after `base`), expanding a trailing group; returns the paths
/// and where reading stopped.
fn path_tree(code: &str, mut i: usize, base: String) -> (Vec<String>, usize) {
    let b = code.as_bytes();
    let mut path = base;
    let mut out = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'*') {
            i += 1;
        }
        if i > start {
            if !path.is_empty() {
                path.push_str("::");
            }
            path.push_str(&code[start..i]);
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if code[i..].starts_with("::") {
            i += 2;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) == Some(&b'{') {
                out.push(path.clone());
                i += 1;
                loop {
                    while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
                        i += 1;
                    }
                    if i >= b.len() || b[i] == b'}' {
                        return (out, i + 1);
                    }
                    let (inner, end) = path_tree(code, i, path.clone());
                    out.extend(inner);
                    // skip `as name` and anything else up to the next `,` or `}`
                    i = end;
                    while i < b.len() && b[i] != b',' && b[i] != b'}' {
                        i += 1;
                    }
                }
            }
            continue;
        }
        out.push(path);
        return (out, i);
    }
}

/// The module a path names: resolve `crate`/`super`/`self`, then take the longest prefix that
/// is a module.
fn target(path: &str, from: &str, modules: &BTreeSet<Module>) -> Option<Module> {
    let mut parts: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    // `super` of module `a::b` is `a`, whether it is `a/b.rs` or `a/b/mod.rs`.
    match parts.first() {
        Some(&"crate") => {
            base.clear();
            parts.remove(0);
        }
        Some(&"super") => {
            while parts.first() == Some(&"super") {
                base.pop();
                parts.remove(0);
            }
        }
        _ => return None,
    }
    let full: Vec<&str> = base.into_iter().chain(parts).collect();
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| modules.contains(m))
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let nodes: Vec<(Module, PathBuf)> = files
        .iter()
        .filter_map(|f| module_of(&src, f).map(|m| (m, f.clone())))
        .collect();
    let modules: BTreeSet<Module> = nodes.iter().map(|(m, _)| m.clone()).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, file) in &nodes {
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let code = strip_test_items(&strip_comments_and_literals(&text));
        let out = edges.entry(module.clone()).or_default();
        for p in paths(&code) {
            if let Some(t) = target(&p, module, &modules)
                && &t != module
            {
                out.insert(t);
            }
        }
    }
    edges
}

/// Tarjan's strongly connected components with more than one node.
fn circles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'g> {
        edges: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(next) = s.edges.get(v) {
            for w in next {
                if !s.index.contains_key(w.as_str()) {
                    visit(s, w);
                    let lw = s.low[w.as_str()];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w.as_str()) {
                    let iw = s.index[w.as_str()];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found.sort();
    s.found
}

/// One circle through `component`, as `a -> b -> a` (the shortest from its first module back).
fn one_circle(edges: &BTreeMap<Module, BTreeSet<Module>>, component: &[Module]) -> String {
    let inside: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    let Some(start) = component.first() else {
        return String::new();
    };
    // Breadth-first from `start` back to it, inside the component.
    let mut previous: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.as_str()]);
    while let Some(v) = queue.pop_front() {
        for w in edges.get(v).into_iter().flatten() {
            if w == start {
                let mut chain = vec![start.as_str(), v];
                let mut at = v;
                while let Some(p) = previous.get(at) {
                    chain.push(p);
                    at = p;
                }
                chain.reverse();
                return chain.join(" -> ");
            }
            if inside.contains(w.as_str()) && !previous.contains_key(w.as_str()) && w != start {
                previous.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    component.join(", ")
}

#[test]
fn no_import_circles_between_modules() {
    let edges = graph();
    assert!(
        edges.len() > 50,
        "the source tree was not found ({} modules)",
        edges.len()
    );
    let found = circles(&edges);
    let shown: Vec<String> = found
        .iter()
        .map(|c| format!("  {}", one_circle(&edges, c)))
        .collect();
    assert!(
        found.is_empty(),
        "import circles between modules (cut them: move the shared vocabulary one level down):\n{}",
        shown.join("\n")
    );
}

#[test]
fn the_reader_finds_circles_and_skips_tests_comments_and_strings() {
    let code = r##"
        use crate::a::{b, c::{d, e as f}};
        use super::g;
        // use crate::commented;
        let s = "crate::in_string";
        let r = r#"crate::in_raw"#;
        let c = '{';
        fn f<'a>(x: &'a str) { crate::h::call(); }
        #[cfg(test)]
        mod tests { use crate::only_tests; }
        use crate::after_tests;
    "##;
    let cleaned = strip_test_items(&strip_comments_and_literals(code));
    let found = paths(&cleaned);
    assert_eq!(
        found,
        [
            "crate::a",
            "crate::a::b",
            "crate::a::c",
            "crate::a::c::d",
            "crate::a::c::e",
            "super::g",
            "crate::h::call",
            "crate::after_tests"
        ]
    );
    let modules: BTreeSet<Module> = ["a", "a::c", "x", "x::y", "g", "h"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(
        target("crate::a::c::d", "x", &modules).as_deref(),
        Some("a::c")
    );
    assert_eq!(target("super::g", "x::y", &modules).as_deref(), Some("x"));
    assert_eq!(target("super::g", "x", &modules).as_deref(), Some("g"));
    assert_eq!(
        target("super::super::g", "x::y", &modules).as_deref(),
        Some("g")
    );

    let edges: BTreeMap<Module, BTreeSet<Module>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let found = circles(&edges);
    assert_eq!(found, [vec!["a", "b", "c"]]);
    assert_eq!(one_circle(&edges, &found[0]), "a -> b -> c -> a");
}
