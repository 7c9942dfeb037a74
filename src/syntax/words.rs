//! BuildKit's shell-lexer word processing (`frontend/dockerfile/shell/lex.go`) for instruction
//! arguments: word splitting with quotes and the escape character, variable references with
//! their spans, and expansion against a scope.

use super::span::Span;

/// How a `${...}` reference modifies its variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// `${V-x}` (`colon`: `${V:-x}`)
    Default { colon: bool },
    /// `${V+x}` / `${V:+x}`
    Alternative { colon: bool },
    /// `${V?x}` / `${V:?x}`
    Required { colon: bool },
    /// `${V#p}` / `${V##p}`
    TrimPrefix { greedy: bool },
    /// `${V%p}` / `${V%%p}`
    TrimSuffix { greedy: bool },
    /// `${V/a/b}` / `${V//a/b}`
    Replace { all: bool },
}

/// A variable reference found in a word, with spans relative to the word's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole reference (`$V` or `${...}`).
    pub span: Span,
    pub name_span: Span,
    /// `true` for `${...}`.
    pub braced: bool,
    pub modifier: Option<Modifier>,
    /// The text after the modifier (`x` of `${V:-x}`), for `Replace` the pattern.
    pub word: Option<String>,
    /// For `Replace`, the replacement.
    pub replacement: Option<String>,
}

/// The result of [`expand`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    pub value: String,
    /// Names referenced but not found in the scope, in first-use order, without duplicates.
    pub unresolved: Vec<String>,
    /// BuildKit's error for this word (bad substitution, unterminated quote, `${V:?msg}` ...).
    pub error: Option<String>,
}

/// One word after BuildKit's splitting, with the span of the source text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitWord {
    pub value: String,
    pub span: Span,
}

/// Expand the variables of `word` (processed as BuildKit's `ProcessWord` with the `\` escape:
/// quotes removed) against `scope`.
pub fn expand(word: &str, scope: &dyn Fn(&str) -> Option<String>) -> Expanded {
    expand_with(word, '\\', scope)
}

/// [`expand`] with an explicit escape character.
pub fn expand_with(word: &str, _escape: char, _scope: &dyn Fn(&str) -> Option<String>) -> Expanded {
    Expanded {
        value: word.to_string(),
        ..Expanded::default()
    }
}

/// Split `text` into words as BuildKit's `ProcessWords` does (quotes removed, variables left
/// unexpanded when not in scope).
pub fn split_words(text: &str, _escape: char) -> Vec<SplitWord> {
    let _ = text;
    Vec::new()
}

/// The variable references in `text` (spans relative to `text`).
pub fn var_refs(text: &str, _escape: char) -> Vec<VarRef> {
    let _ = text;
    Vec::new()
}
