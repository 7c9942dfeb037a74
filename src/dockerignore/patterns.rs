//! `.dockerignore` reading (moby/patternmatcher `ignorefile.ReadAll`) and matching
//! (`patternmatcher`), reimplemented: same cleaning, same prefix/suffix/exact fast paths (they
//! create the `**foo` quirk), same regex for everything else, same evaluation order.

use super::clean::clean;
use super::goregex;
use regex::Regex;

/// A pattern Docker would reject (the build fails with this error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: invalid .dockerignore pattern {pattern:?}: {reason}")]
pub struct PatternError {
    /// 1-based line in the ignore file (for [`Matcher::new`], the 1-based index in the list).
    pub line: usize,
    pub pattern: String,
    pub reason: String,
}

/// One line of an ignore file after `ReadAll`: the cleaned pattern, `!` kept in front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreLine {
    /// 1-based line number in the file.
    pub line: usize,
    /// As `ReadAll` returns it (e.g. `!foo/bar` for `! /foo//bar/`).
    pub pattern: String,
}

/// `ignorefile.ReadAll`: BOM stripped, column-0 `#` comments skipped, lines trimmed, empty lines
/// skipped, `!` split off and the rest trimmed, `filepath.Clean`ed and one leading `/` removed.
pub fn read_ignore_file(text: &str) -> Vec<IgnoreLine> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    // Go's bufio.ScanLines: split on `\n`, drop one trailing `\r`.
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.starts_with('#') {
            continue;
        }
        let mut pattern = go_trim(raw);
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = go_trim(&pattern[1..]);
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        if invert {
            cleaned.insert(0, '!');
        }
        out.push(IgnoreLine {
            line: index + 1,
            pattern: cleaned,
        });
    }
    out
}

/// Go's `strings.TrimSpace` (Unicode white space).
fn go_trim(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

#[derive(Debug, Clone)]
enum Kind {
    /// `path == pattern`
    Exact,
    /// `path.starts_with(pattern without the trailing "**")`
    Prefix(String),
    /// `path.ends_with(pattern without the leading "**")`, or `**/x` matching `x`.
    Suffix(String),
    Regex(Regex),
}

/// One compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    cleaned: String,
    exclusion: bool,
    kind: Kind,
    line: usize,
}

impl Pattern {
    /// The cleaned pattern without its `!`.
    pub fn as_str(&self) -> &str {
        &self.cleaned
    }

    /// `!` pattern: re-includes what earlier patterns excluded.
    pub fn is_exception(&self) -> bool {
        self.exclusion
    }

    /// Line in the ignore file (or 1-based index for [`Matcher::new`]).
    pub fn line(&self) -> usize {
        self.line
    }

    /// Whether this single pattern matches `path` (slash-separated, relative), ignoring `!`.
    pub fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Kind::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Kind::Regex(re) => re.is_match(path),
        }
    }

    /// `patternWithoutTrailingGlob` of fsutil: the pattern with one trailing `/**` or `/*` cut.
    fn without_trailing_glob(&self) -> &str {
        let p = self.cleaned.as_str();
        let p = p.strip_suffix("/**").unwrap_or(p);
        p.strip_suffix("/*").unwrap_or(p)
    }

    fn compile(cleaned: String, exclusion: bool, line: usize) -> Result<Pattern, PatternError> {
        let error = |reason: String| PatternError {
            line,
            pattern: if exclusion {
                format!("!{cleaned}")
            } else {
                cleaned.clone()
            },
            reason,
        };
        if !goregex::go_match_syntax_ok(&cleaned) {
            return Err(error("syntax error in pattern".into()));
        }
        let (go_regex, kind) = to_go_regex(&cleaned);
        let kind = match kind {
            GoKind::Exact => Kind::Exact,
            GoKind::Prefix => Kind::Prefix(cleaned[..cleaned.len() - 2].to_string()),
            GoKind::Suffix => Kind::Suffix(cleaned[2..].to_string()),
            GoKind::Regex => {
                let rust = goregex::translate(&go_regex).map_err(error)?;
                Kind::Regex(Regex::new(&rust).map_err(|e| error(e.to_string()))?)
            }
        };
        Ok(Pattern {
            cleaned,
            exclusion,
            kind,
            line,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GoKind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

/// patternmatcher's `compile`: the Go regex text and the match type it picks.
fn to_go_regex(pattern: &str) -> (String, GoKind) {
    const ESCAPED: &str = ".+()|{}$";
    let mut re = String::from("^");
    let mut kind = GoKind::Exact;
    let mut chars = pattern.chars().peekable();
    let mut i = 0;
    while let Some(ch) = chars.next() {
        match ch {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                // `**/` is treated as `**`.
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                if chars.peek().is_none() {
                    if kind == GoKind::Exact {
                        kind = GoKind::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = GoKind::Regex;
                    }
                } else {
                    re.push_str("(.*/)?");
                    kind = GoKind::Regex;
                }
                if i == 0 {
                    kind = GoKind::Suffix;
                }
            }
            '*' => {
                re.push_str("[^/]*");
                kind = GoKind::Regex;
            }
            '?' => {
                re.push_str("[^/]");
                kind = GoKind::Regex;
            }
            c if ESCAPED.contains(c) => {
                re.push('\\');
                re.push(c);
            }
            '\\' => match chars.next() {
                Some(next) => {
                    re.push('\\');
                    re.push(next);
                    kind = GoKind::Regex;
                }
                None => re.push('\\'),
            },
            '[' | ']' => {
                re.push(ch);
                kind = GoKind::Regex;
            }
            c => re.push(c),
        }
        i += 1;
    }
    if kind == GoKind::Regex {
        re.push('$');
    }
    (re, kind)
}

/// The per-pattern results for a directory, handed to its children during a walk
/// (patternmatcher's `MatchInfo`). The default value means "no information".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParentResults(Vec<bool>);

/// A compiled list of patterns, evaluated exactly as Docker does.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
    has_exceptions: bool,
    /// No exception has a wildcard once a trailing `/**` or `/*` is cut (fsutil's
    /// `onlyPrefixExcludeExceptions`).
    only_prefix_exceptions: bool,
}

impl Matcher {
    /// `patternmatcher.New`: each string is trimmed, `filepath.Clean`ed, then a leading `!`
    /// makes it an exception. Empty strings are skipped. Errors name the 1-based index.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Matcher, PatternError> {
        let lines: Vec<IgnoreLine> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| IgnoreLine {
                line: i + 1,
                pattern: p.as_ref().to_string(),
            })
            .collect();
        Matcher::from_lines(&lines)
    }

    /// Parse the text of a `.dockerignore` file (`ReadAll`, then `New`).
    pub fn from_ignore_text(text: &str) -> Result<Matcher, PatternError> {
        Matcher::from_lines(&read_ignore_file(text))
    }

    fn from_lines(lines: &[IgnoreLine]) -> Result<Matcher, PatternError> {
        let mut m = Matcher::default();
        for l in lines {
            let p = go_trim(&l.pattern);
            if p.is_empty() {
                continue;
            }
            let p = clean(p);
            let (exclusion, body) = match p.strip_prefix('!') {
                Some("") => {
                    return Err(PatternError {
                        line: l.line,
                        pattern: p.clone(),
                        reason: "illegal exclusion pattern: \"!\"".into(),
                    });
                }
                Some(body) => (true, body.to_string()),
                None => (false, p.clone()),
            };
            m.has_exceptions |= exclusion;
            m.patterns.push(Pattern::compile(body, exclusion, l.line)?);
        }
        m.only_prefix_exceptions = m.patterns.iter().filter(|p| p.exclusion).all(|p| {
            !p.without_trailing_glob()
                .contains(['*', '[', ']', '?', '^', '\\'])
        });
        Ok(m)
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether any pattern is a `!` exception.
    pub fn has_exceptions(&self) -> bool {
        self.has_exceptions
    }

    /// `MatchesOrParentMatches`: each pattern is tried on the path and on each parent prefix.
    /// Last match wins; an exclusion is only tried while the path is not excluded, an exception
    /// only while it is. `.` is never excluded.
    pub fn matches_or_parent_matches(&self, path: &str) -> bool {
        let path = clean(path);
        if path == "." {
            return false;
        }
        let parents = parent_prefixes(&path);
        let mut matched = false;
        for p in &self.patterns {
            if p.exclusion != matched {
                continue;
            }
            let hit = p.matches(&path) || parents.iter().any(|parent| p.matches(parent));
            if hit {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// `MatchesUsingParentResults`: like [`Matcher::matches_or_parent_matches`], but a pattern
    /// that matched the parent directory counts as matching without testing this path, and
    /// parents are not re-tested (the walk's behaviour on Docker 26). Pass the parent's returned
    /// [`ParentResults`] (or the default for a top-level path).
    pub fn matches_using_parent_results(
        &self,
        path: &str,
        parent: &ParentResults,
    ) -> (bool, ParentResults) {
        let (matched, info, _) = self.evaluate(path, parent);
        (matched, info)
    }

    /// `MatchesUsingParentResults`, also giving the index of the pattern that decided.
    fn evaluate(&self, path: &str, parent: &ParentResults) -> (bool, ParentResults, Option<usize>) {
        let have_parent = parent.0.len() == self.patterns.len() && !parent.0.is_empty();
        let mut matched = false;
        let mut decided_by = None;
        let mut info = vec![false; self.patterns.len()];
        for (i, p) in self.patterns.iter().enumerate() {
            let mut hit = have_parent && parent.0.get(i).copied().unwrap_or(false);
            if !hit {
                if p.exclusion != matched {
                    continue;
                }
                hit = p.matches(path);
                if !hit && !have_parent {
                    hit = parent_prefixes(path).iter().any(|parent| p.matches(parent));
                }
            }
            if let Some(slot) = info.get_mut(i) {
                *slot = hit;
            }
            if hit {
                matched = !p.exclusion;
                decided_by = Some(i);
            }
        }
        (matched, ParentResults(info), decided_by)
    }

    /// Whether Docker leaves `path` (relative, `/`-separated, file or directory) out of the
    /// context: the walk's evaluation, directory by directory from the root.
    pub fn is_excluded(&self, path: &str) -> bool {
        self.excluded_by(path).is_some()
    }

    /// The pattern that leaves `path` out of the context (the last one that matched it or one
    /// of its parent directories), or `None` when `path` is sent. For diagnostics such as
    /// "COPY of a path excluded by line N".
    pub fn excluded_by(&self, path: &str) -> Option<&Pattern> {
        let path = clean(path);
        if path == "." || self.patterns.is_empty() {
            return None;
        }
        let mut info = ParentResults::default();
        let mut result = (false, None);
        let mut end = 0;
        while end < path.len() {
            end = path[end..].find('/').map_or(path.len(), |i| end + i);
            let (m, next, by) = self.evaluate(&path[..end], &info);
            result = (m, by);
            info = next;
            end += 1;
        }
        match result {
            (true, Some(i)) => self.patterns.get(i),
            _ => None,
        }
    }

    /// fsutil's decision for an excluded directory: can an exception re-include something
    /// inside `dir`? When every exception is a plain path (no `*[]?^\`), only those that start
    /// with `dir/` can; otherwise the walk has to look inside.
    pub fn may_reinclude_inside(&self, dir: &str) -> bool {
        if !self.has_exceptions {
            return false;
        }
        if !self.only_prefix_exceptions {
            return true;
        }
        let dir_slash = format!("{dir}/");
        self.patterns
            .iter()
            .filter(|p| p.exclusion)
            .any(|p| format!("{}/", p.without_trailing_glob()).starts_with(&dir_slash))
    }
}

/// `a`, `a/b` for `a/b/c` (Go: `filepath.Dir` split and re-joined).
fn parent_prefixes(path: &str) -> Vec<&str> {
    path.match_indices('/').map(|(i, _)| &path[..i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(p: &str) -> GoKind {
        to_go_regex(p).1
    }

    #[test]
    fn compile_picks_go_match_types() {
        assert_eq!(kind("foo"), GoKind::Exact);
        assert_eq!(kind("foo.txt"), GoKind::Exact);
        assert_eq!(kind("foo/**"), GoKind::Prefix);
        assert_eq!(kind("**/foo"), GoKind::Suffix);
        assert_eq!(kind("**foo"), GoKind::Suffix);
        assert_eq!(kind("**"), GoKind::Suffix);
        assert_eq!(kind("**/foo/**"), GoKind::Regex);
        assert_eq!(kind("a*"), GoKind::Regex);
        assert_eq!(kind("a\\b"), GoKind::Regex);
        assert_eq!(to_go_regex("**/*.go").0, "^(.*/)?[^/]*\\.go$");
        assert_eq!(to_go_regex("a+(b)").0, "^a\\+\\(b\\)");
    }
}
