//! Path patterns of `exclude` and `overrides`.

use regex::Regex;

/// A compiled glob: `*` and `?` stay within a path segment, `**` crosses them, `[...]` is a
/// class (`[!...]` negated). A pattern without `/` matches a file or directory name at any
/// depth; one with `/` matches the path from the configuration's directory.
#[derive(Debug, Clone)]
pub(super) struct Glob {
    regex: Regex,
}

impl Glob {
    pub(super) fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.trim().is_empty() {
            return Err("empty pattern".to_string());
        }
        let p = pattern.trim().trim_start_matches("./");
        let anchored = p.trim_end_matches('/').contains('/');
        let p = p.trim_start_matches('/').trim_end_matches('/');
        let mut re = String::from("^");
        if !anchored {
            re.push_str("(?:.*/)?");
        }
        re.push_str(&crate::glob::to_regex(p)?);
        re.push('$');
        Regex::new(&re)
            .map(|regex| Glob { regex })
            .map_err(|e| e.to_string())
    }

    /// The path, or one of its parent directories, matches (excluding `vendor` excludes
    /// everything under it).
    pub(super) fn matches_path_or_parent(&self, rel: &str) -> bool {
        if self.regex.is_match(rel) {
            return true;
        }
        rel.match_indices('/')
            .any(|(pos, _)| self.regex.is_match(&rel[..pos]))
    }
}
