//! Glob patterns, the one translation to a regex shared by the configuration's path patterns
//! (`exclude`, `overrides`) and custom rules' image patterns (`image: "registry.acme.io/**"`):
//! `*` and `?` stay within a `/`-separated segment, `**` crosses segments (`**/` also matches
//! nothing), `[...]` is a class (`[!...]` negated); everything else is literal.

/// The regex (without anchors) that `pattern` stands for; `Err` says what is malformed.
pub fn to_regex(pattern: &str) -> Result<String, String> {
    let p = pattern;
    let mut re = String::new();
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
    Ok(re)
}

/// A glob matched against a whole string (anchored at both ends).
#[derive(Debug, Clone)]
pub struct Glob {
    pattern: String,
    regex: regex::Regex,
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.is_empty() {
            return Err("empty pattern".to_string());
        }
        let regex =
            regex::Regex::new(&format!("^{}$", to_regex(pattern)?)).map_err(|e| e.to_string())?;
        Ok(Glob {
            pattern: pattern.to_string(),
            regex,
        })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn stars_stay_in_segments_double_stars_cross() {
        let g = Glob::new("registry.acme.io/**").expect("compiles");
        assert!(g.is_match("registry.acme.io/team/app:1.0"));
        assert!(!g.is_match("registry.acme.io.evil.com/x"));
        let g = Glob::new("docker.io/library/*").expect("compiles");
        assert!(g.is_match("docker.io/library/debian:12"));
        assert!(!g.is_match("docker.io/library/a/b"));
        assert!(
            Glob::new("debian:1?")
                .expect("compiles")
                .is_match("debian:12")
        );
        assert!(Glob::new("[!a]x").expect("compiles").is_match("bx"));
        assert!(Glob::new("a[").is_err());
        assert!(Glob::new("").is_err());
    }
}
