//! Configuration errors and warnings, located in their file, and finding where in the file a
//! key or selector is written.

use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration problem, located in its file where possible (`line` and `column` are
/// 1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    fn render(&self) -> String {
        if self.line == 0 {
            format!("{}: {}", self.file.display(), self.message)
        } else {
            format!(
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

/// A problem that does not stop linting (a hadolint setting whittle does not use, a DL code
/// no whittle rule implements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A warning always names where it comes from.
        let file = if self.file.as_os_str().is_empty() {
            "command line".to_string()
        } else {
            self.file.display().to_string()
        };
        if self.line == 0 {
            write!(f, "{file}: {}", self.message)
        } else {
            write!(f, "{file}:{}: {}", self.line, self.message)
        }
    }
}

pub(super) fn yaml_error(path: &Path, e: &serde_yaml::Error) -> ConfigError {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let mut message = e.to_string();
    // the location is reported separately
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    ConfigError {
        file: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// 1-based line and column of the first occurrence of `needle` as a whole word (not part of a
/// longer selector); (0, 0) when absent.
pub(super) fn locate(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (0, 0);
    }
    let word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == ':';
    for (pos, _) in text.match_indices(needle) {
        let before = text[..pos].chars().next_back();
        let rest = &text[pos + needle.len()..];
        // `key:` followed by a space or line end is a key, not part of `buildkit:Name`
        let key_colon =
            rest.starts_with(':') && rest[1..].chars().next().is_none_or(char::is_whitespace);
        let after = rest.chars().next();
        if before.is_some_and(word_char) || (after.is_some_and(word_char) && !key_colon) {
            continue;
        }
        let line_start = text[..pos].rfind('\n').map(|p| p + 1).unwrap_or(0);
        let line = text[..pos].matches('\n').count() + 1;
        let column = text[line_start..pos].chars().count() + 1;
        return (line, column);
    }
    (0, 0)
}

/// [`locate`] for `needle` at or after the first place `anchor` is written (an option key under
/// its rule's selector); anywhere when the anchor is not found.
pub(super) fn locate_after(text: &str, anchor: &str, needle: &str) -> (usize, usize) {
    let (line, _) = locate(text, anchor);
    if line == 0 {
        return locate(text, needle);
    }
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    match locate(&text[start..], needle) {
        (0, _) => locate(text, needle),
        (l, c) => (l + line - 1, c),
    }
}
