//! The rule descriptor: everything about a rule except its logic ([`RuleMeta`]), with the
//! vocabulary it is made of ([`Category`], [`FixKind`]). It sits below the registry, the
//! settings, the configuration, the outputs and the docs, which all read rules through it, and it
//! knows nothing of how rules run.

use crate::diagnostic::{Applicability, Severity};
use serde::Serialize;
use std::fmt;

/// What a rule is about; the hundreds digit of its ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// 0xx: what BuildKit rejects or warns about while parsing.
    Syntax,
    /// 1xx
    Security,
    /// 2xx
    Correctness,
    /// 3xx
    ImageSize,
    /// 4xx
    BuildCache,
    /// 5xx
    Style,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Syntax,
        Category::Security,
        Category::Correctness,
        Category::ImageSize,
        Category::BuildCache,
        Category::Style,
    ];

    /// The hundreds digit of the IDs in this category.
    pub const fn digit(self) -> u8 {
        match self {
            Category::Syntax => 0,
            Category::Security => 1,
            Category::Correctness => 2,
            Category::ImageSize => 3,
            Category::BuildCache => 4,
            Category::Style => 5,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::ImageSize => "image-size",
            Category::BuildCache => "build-cache",
            Category::Style => "style",
        }
    }

    pub fn from_name(s: &str) -> Option<Category> {
        let norm = s.replace('_', "-");
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(&norm))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The most a rule's fixes claim. Ordered: `None < DisplayOnly < Unsafe < Safe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    None,
    DisplayOnly,
    Unsafe,
    Safe,
}

impl FixKind {
    /// The highest applicability a fix of this rule may have; `None` for rules without fixes.
    pub const fn max_applicability(self) -> Option<Applicability> {
        match self {
            FixKind::None => None,
            FixKind::DisplayOnly => Some(Applicability::DisplayOnly),
            FixKind::Unsafe => Some(Applicability::Unsafe),
            FixKind::Safe => Some(Applicability::Safe),
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::DisplayOnly => "display-only",
            FixKind::Unsafe => "unsafe",
            FixKind::Safe => "safe",
        }
    }
}

/// Everything about a rule except its logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// `WH301`: `WH` + 3 digits, the hundreds digit the category; never reused.
    pub id: &'static str,
    /// `apt-lists-not-cleaned`: kebab-case, names the problem.
    pub name: &'static str,
    pub category: Category,
    /// The default severity (configuration can override it).
    pub severity: Severity,
    /// The most this rule's fixes claim.
    pub fix: FixKind,
    /// The same check elsewhere: `DL3009` (hadolint), `SC2086` (ShellCheck),
    /// `buildkit:StageNameCasing` (`docker build --check`).
    pub aliases: &'static [&'static str],
    /// Whether the rule runs when the configuration does not mention it.
    pub default_enabled: bool,
    /// The rule page, `include_str!("../../rules/<ID>.md")`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// Whether `code` names this rule: its ID, name or an alias (ASCII case ignored).
    pub fn is_named(&self, code: &str) -> bool {
        code.eq_ignore_ascii_case(self.id)
            || code.eq_ignore_ascii_case(self.name)
            || self.aliases.iter().any(|a| code.eq_ignore_ascii_case(a))
    }

    /// The renderers' view of this rule.
    pub fn info(&self) -> crate::output::RuleInfo {
        crate::output::RuleInfo {
            id: self.id,
            name: self.name,
            severity: self.severity,
            doc: self.doc,
        }
    }

    pub fn names(&self) -> crate::suppress::RuleNames<'static> {
        crate::suppress::RuleNames {
            id: self.id,
            name: self.name,
            aliases: self.aliases,
        }
    }
}

/// Whether `id` has the shape `WH` + 3 digits.
pub fn is_valid_id(id: &str) -> bool {
    id.len() == 5 && id.starts_with("WH") && id[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Whether `name` is kebab-case: lower-case ASCII words joined by single dashes.
pub fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_shapes() {
        assert!(is_valid_id("WH301"));
        assert!(!is_valid_id("WH31"));
        assert!(!is_valid_id("DL3009"));
        assert!(is_kebab_case("apt-lists-not-cleaned"));
        assert!(!is_kebab_case("Apt-lists"));
        assert!(!is_kebab_case("a--b"));
        assert!(!is_kebab_case("-a"));
    }
}
