//! `.dockerignore` reading and matching: our own cases for the behaviours moby/patternmatcher's
//! tests cover (parser-spec.md §3.5), the gitignore-difference table (§3.4), and the Docker 26
//! walk facts (§3.3).

use whittle::dockerignore::{Matcher, read_ignore_file};

fn m(patterns: &[&str]) -> Matcher {
    Matcher::new(patterns).unwrap_or_else(|e| panic!("{patterns:?}: {e}"))
}

/// (pattern, path, excluded by `MatchesOrParentMatches`)
const SINGLE: &[(&str, &str, bool)] = &[
    // `**` anywhere, zero or more segments.
    ("**", "file", true),
    ("**", "dir/file", true),
    ("**/", "file", true),
    ("**/file", "file", true),
    ("**/file", "dir/file", true),
    ("**/file", "dir/sub/file", true),
    ("**/file", "xfile", false),
    ("**/file*", "dir/sub/file.txt", true),
    ("**/*.txt", "file.txt", true),
    ("**/*.txt", "dir/file.txt", true),
    ("**/*.txt", "dir/file.go", false),
    ("dir/**", "dir/file", true),
    ("dir/**", "dir/sub/file", true),
    ("dir/**", "dir", false),
    ("dir/**", "dirx/file", false),
    ("dir/**/file", "dir/file", true),
    ("dir/**/file", "dir/a/b/file", true),
    ("dir/**/file", "dir/a/b/filex", false),
    ("**/sub/*", "dir/sub/file", true),
    ("**/sub/*", "dir/sub/deeper/file", true),
    ("a**/*.txt", "a/dir/file.txt", true),
    ("a**/*.txt", "a/file.txt", true),
    ("a**/*.txt", "b/file.txt", false),
    // The suffix fast path: `**foo` is HasSuffix, so it matches `xfoo`.
    ("**foo", "foo", true),
    ("**foo", "xfoo", true),
    ("**foo", "dir/xfoo", true),
    ("**foo", "foox", false),
    ("**.log", "a.log", true),
    // Anchored at the root; a directory pattern matches what is below it.
    ("foo", "foo", true),
    ("foo", "foo/bar", true),
    ("foo", "a/foo", false),
    ("foo", "foobar", false),
    ("foo/bar", "foo/bar/baz", true),
    ("*", "file", true),
    ("*", "dir/file", true),
    ("*.txt", "file.txt", true),
    ("*.txt", "dir/file.txt", false),
    ("dir/*", "dir/file", true),
    ("dir/*", "other/file", false),
    ("dir/*.go", "dir/sub/a.go", false),
    ("?", "a", true),
    ("?", "ab", false),
    ("?", "a/b", true),
    ("a?c", "abc", true),
    ("a?c", "a/c", false),
    ("*", "ü", true),
    ("?", "ü", true),
    (".*", ".hidden", true),
    (".*", "dir/.hidden", false),
    ("**/.foo", ".foo", true),
    ("**/.foo", "bar.foo", false),
    // Regex punctuation is literal.
    ("abc.def", "abc.def", true),
    ("abc.def", "abcxdef", false),
    ("a+b", "a+b", true),
    ("a+b", "aab", false),
    ("a|b", "a", false),
    ("a|b", "a|b", true),
    ("a(b)", "a(b)", true),
    ("c{2}", "c{2}", true),
    ("c{2}", "cc", false),
    ("d$", "d$", true),
    ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
    ("*.|)$(}+{bc", "x.|)$(}+{bc", true),
    // `^` is not escaped by patternmatcher: a literal on the exact fast path, an anchor that
    // never matches once the pattern needs the regex.
    ("a^b", "a^b", true),
    ("a^*", "a^x", false),
    // Classes go to the regex engine: `[!a]` is a class of `!` and `a`.
    ("[a-c]x", "bx", true),
    ("[a-c]x", "dx", false),
    ("[!a]x", "!x", true),
    ("[!a]x", "ax", true),
    ("[!a]x", "bx", false),
    ("[^a]x", "bx", true),
    ("[^a]x", "ax", false),
    // A negated class does not exclude `/` (unlike `?` and `*`).
    ("[^a]x", "/x", true),
    ("[[]x", "[x", true),
    ("[a&&b]", "&", true),
    // Backslash escapes the next character.
    ("a\\*b", "a*b", true),
    ("a\\*b", "axb", false),
    ("a\\?b", "a?b", true),
    ("a\\?b", "axb", false),
    ("\\[x\\]", "[x]", true),
    // Go reads `\<` as `<`, `\d` as an ASCII digit.
    ("a\\<", "a<", true),
    ("f\\d", "f7", true),
    ("f\\d", "fx", false),
];

#[test]
fn single_patterns_match_like_patternmatcher() {
    let mut failures = Vec::new();
    for &(pattern, path, want) in SINGLE {
        let matcher = m(&[pattern]);
        let got = matcher.matches_or_parent_matches(path);
        if got != want {
            failures.push(format!("{pattern:?} vs {path:?}: got {got}, want {want}"));
        }
        // With a single pattern and no exception, the walk's evaluation agrees.
        let walked = matcher.is_excluded(path);
        if walked != want {
            failures.push(format!(
                "{pattern:?} vs {path:?} (walk): got {walked}, want {want}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn last_match_wins_and_exceptions_only_apply_to_excluded_paths() {
    // Exception after: re-included.
    assert!(!m(&["docs", "!docs/README.md"]).is_excluded("docs/README.md"));
    assert!(m(&["docs", "!docs/README.md"]).is_excluded("docs/other.md"));
    // Exception before the exclusion: the exclusion wins.
    assert!(m(&["!docs/README.md", "docs"]).is_excluded("docs/README.md"));
    // Trailing slash and wildcard forms of the directory.
    assert!(!m(&["docs/", "!docs/README.md"]).is_excluded("docs/README.md"));
    assert!(!m(&["docs/*", "!docs/README.md"]).is_excluded("docs/README.md"));
    assert!(m(&["docs/*", "!docs/README.md"]).is_excluded("docs/a.md"));
    // Alternating (fsutil TestFilteredOpenInvert).
    let alt = m(&["foo", "!foo/bar", "foo/bar/baz", "!foo/bar/baz/x"]);
    for (path, want) in [
        ("foo/a", true),
        ("foo/bar/b", false),
        ("foo/bar/baz/c", true),
        ("foo/bar/baz/x/d", false),
        ("other", false),
    ] {
        assert_eq!(alt.is_excluded(path), want, "{path}");
        assert_eq!(alt.matches_or_parent_matches(path), want, "{path}");
    }
    // `**` then an exception for a deep directory re-includes what is below it.
    let all = m(&["**", "!util/docker/web"]);
    assert!(!all.is_excluded("util/docker/web/foo"));
    assert!(!all.matches_or_parent_matches("util/docker/web/foo"));
    assert!(all.is_excluded("util/docker/other"));
    // The root is never excluded, nor is anything without patterns.
    assert!(!all.is_excluded("."));
    assert!(!m(&[]).is_excluded("anything"));
}

#[test]
fn docker_26_walk_uses_parent_results() {
    // `tmp/**` then `!tmp`: `!tmp` only matches the parent, which was never excluded.
    let tmp = m(&["tmp/**", "!tmp"]);
    assert!(tmp.is_excluded("tmp/a"));
    assert!(tmp.is_excluded("tmp/sub/b"));
    assert!(!tmp.is_excluded("tmp"));
    // ...whereas re-testing every parent would re-include it.
    assert!(!tmp.matches_or_parent_matches("tmp/a"));

    let logs = m(&["**/*.log", "!logs"]);
    assert!(logs.is_excluded("logs/x.log"));
    assert!(!logs.is_excluded("logs/y.txt"));
    assert!(!logs.matches_or_parent_matches("logs/x.log"));
}

#[test]
fn gitignore_differences_table() {
    // pattern without a slash: root only.
    assert!(!m(&["foo"]).is_excluded("a/foo"));
    assert!(!m(&["*.log"]).is_excluded("a/b.log"));
    assert!(m(&["**/*.log"]).is_excluded("a/b.log"));
    assert!(!m(&["node_modules"]).is_excluded("app/node_modules/x"));
    // trailing `/` removed: matches a file too.
    let slash = Matcher::from_ignore_text("foo/\n").unwrap();
    assert!(slash.is_excluded("foo"));
    assert_eq!(slash.patterns()[0].as_str(), "foo");
    // leading `/` removed.
    assert!(
        Matcher::from_ignore_text("/foo\n")
            .unwrap()
            .is_excluded("foo")
    );
    // re-include under an excluded directory works.
    assert!(!m(&["dir", "!dir/keep"]).is_excluded("dir/keep"));
    assert!(!m(&["**", "!src"]).is_excluded("src/main.rs"));
    assert!(!m(&["*", "!dir"]).is_excluded("dir/file"));
    // `**` special anywhere.
    assert!(m(&["a**/x"]).is_excluded("ab/c/x"));
    assert!(m(&["**x"]).is_excluded("ax"));
    // `[!a]` is a literal class.
    assert!(m(&["[!a]bc"]).is_excluded("abc"));
    assert!(!m(&["[!a]bc"]).is_excluded("xbc"));
    // ` #x` is the pattern `#x`; `#x` in column 0 a comment.
    let hash = read_ignore_file(" #x\n#y\n");
    assert_eq!(hash.len(), 1);
    assert_eq!(hash[0].pattern, "#x");
    // trailing whitespace is always trimmed, even escaped.
    assert_eq!(read_ignore_file("foo\\ \n")[0].pattern, "foo\\");
    // `./foo` and `foo/../bar` are cleaned.
    assert_eq!(read_ignore_file("./foo\n")[0].pattern, "foo");
    assert_eq!(read_ignore_file("foo/../bar\n")[0].pattern, "bar");
    assert!(
        Matcher::from_ignore_text("./foo\n")
            .unwrap()
            .is_excluded("foo")
    );
}

#[test]
fn read_all_like_ignorefile() {
    let text = "\u{feff}# comment\n\n  spaced  \r\n!  /inverted/abs/path\n/leading\n//double//slash/\n  \t\n!\n";
    let lines = read_ignore_file(text);
    let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.line, l.pattern.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "spaced"),
            (4, "!inverted/abs/path"),
            (5, "leading"),
            (6, "double/slash"),
            (8, "!"),
        ]
    );
    // `/` alone stays `/`.
    assert_eq!(read_ignore_file("/\n")[0].pattern, "/");
    // A BOM is only stripped on the first line.
    assert_eq!(read_ignore_file("a\n\u{feff}b\n")[1].pattern, "\u{feff}b");
}

#[test]
fn invalid_patterns_are_errors_naming_the_line() {
    let lone = Matcher::from_ignore_text("ok\n\n!\n").unwrap_err();
    assert_eq!(lone.line, 3);
    assert!(lone.reason.contains("illegal exclusion pattern"), "{lone}");

    let bracket = Matcher::from_ignore_text("a\n# c\nfoo[\n").unwrap_err();
    assert_eq!(bracket.line, 3);
    assert!(bracket.to_string().contains("line 3"), "{bracket}");

    for bad in [
        "[",
        "a[b",
        "[]",
        "[a-]",
        "a\\",
        "*[",
        "[^]",
        "[z-a]",
        "[[:nope:]]",
        "\\e",
    ] {
        assert!(Matcher::new(&[bad]).is_err(), "{bad:?} must be rejected");
    }
    // Valid oddities Go accepts.
    for ok in ["a]", "[\\]]", "[[]", "\\_", "[[:alpha:]]"] {
        assert!(Matcher::new(&[ok]).is_ok(), "{ok:?} must be accepted");
    }
    // A malformed pattern after a good one: still an error, and no panic on reuse.
    assert!(Matcher::new(&["good", "bad["]).is_err());
}

#[test]
fn new_cleans_and_skips_empty_patterns() {
    let matcher = m(&["", "  ", " foo/ ", "!bar"]);
    let got: Vec<(&str, bool)> = matcher
        .patterns()
        .iter()
        .map(|p| (p.as_str(), p.is_exception()))
        .collect();
    assert_eq!(got, vec![("foo", false), ("bar", true)]);
    assert!(matcher.has_exceptions());
    assert!(Matcher::new(&["!"]).is_err());
}

mod never_panics {
    use proptest::prelude::*;
    use whittle::dockerignore::Matcher;

    proptest! {
        /// Any ignore file either fails with a line-numbered error or gives a matcher that
        /// answers for any path; neither panics.
        #[test]
        fn arbitrary_patterns_and_paths(
            text in r"([a-c/*?!\[\]\^\\.(){}+|$# \-:&~]{0,12}\n){0,5}",
            path in r"[a-c/.\[\]!*\-]{0,12}",
        ) {
            match Matcher::from_ignore_text(&text) {
                Ok(m) => {
                    let _ = m.is_excluded(&path);
                    let _ = m.matches_or_parent_matches(&path);
                }
                Err(e) => prop_assert!(e.line >= 1 && e.line <= 5, "{e}"),
            }
        }
    }
}

#[test]
fn excluded_by_names_the_deciding_line() {
    let matcher = Matcher::from_ignore_text("# c\n**/*.log\nbuild\n!build/keep\n").unwrap();
    assert_eq!(matcher.excluded_by("a/x.log").map(|p| p.line()), Some(2));
    assert_eq!(
        matcher.excluded_by("build/out.o").map(|p| p.line()),
        Some(3)
    );
    assert_eq!(matcher.excluded_by("build/keep/f").map(|p| p.line()), None);
    // The exception on line 4 matched the parent directory, so with parent results it also
    // re-includes the logs below it.
    assert_eq!(
        matcher.excluded_by("build/keep/x.log").map(|p| p.line()),
        None
    );
    assert_eq!(matcher.excluded_by("src/main.rs").map(|p| p.line()), None);
}
