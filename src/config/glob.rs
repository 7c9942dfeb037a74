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
        let chars: Vec<char> = p.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '*' if chars.get(i + 1) == Some(&'*') => {
                    let slash_after = chars.get(i + 2) == Some(&'/');
                    if slash_after {
                        re.push_str("(?:.*/)?");
                        i += 3;
                    } else {
                        re.push_str(".*");
                        i += 2;
                    }
                    continue;
                }
                '*' => re.push_str("[^/]*"),
                '?' => re.push_str("[^/]"),
                '[' => {
                    let close = chars[i + 1..]
                        .iter()
                        .position(|&x| x == ']')
                        .map(|p| p + i + 1)
                        .ok_or_else(|| "unclosed `[`".to_string())?;
                    let mut class: String = chars[i + 1..close].iter().collect();
                    if let Some(rest) = class.strip_prefix('!') {
                        class = format!("^{rest}");
                    }
                    if class.is_empty() || class == "^" {
                        return Err("empty character class".to_string());
                    }
                    re.push('[');
                    re.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                    re.push(']');
                    i = close + 1;
                    continue;
                }
                other => re.push_str(&regex::escape(&other.to_string())),
            }
            i += 1;
        }
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
