//! The rule descriptor: everything about a rule except its logic ([`RuleMeta`]), with the
//! vocabulary it is made of ([`Category`], [`FixKind`]). It sits below the registry, the
//! settings, the configuration, the outputs and the docs, which all read rules through it, and it
//! knows nothing of how rules run.

use crate::diagnostic::{Applicability, Severity};
use serde::Serialize;
use std::fmt;

pub use crate::shared_str::SharedStr;

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

    /// The category called `s`: `image-size`, `image_size` or `ImageSize` (ASCII case, `-` and
    /// `_` ignored).
    pub fn from_name(s: &str) -> Option<Category> {
        let norm = |x: &str| -> String {
            x.chars()
                .filter(|c| *c != '-' && *c != '_')
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let wanted = norm(s);
        Category::ALL
            .into_iter()
            .find(|c| norm(c.as_str()) == wanted)
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

/// What of the build context a rule reads (the CLI takes the snapshot only when a rule that is
/// on needs it; without a context these rules are silent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContextUse {
    /// Only the Dockerfile.
    None,
    /// The context's ignore file (`.dockerignore`).
    IgnoreFile,
    /// The ignore file, and the files the context sends from each directory a `COPY`/`ADD`
    /// source names.
    SentFilesWhenCopyingDirectory,
    /// The ignore file, and the files the context sends from the directory of a wildcard
    /// `COPY`/`ADD` source that the ignore file excludes.
    SentFilesWhenCopyingWildcard,
    /// The ignore file, and the contents of the context files a fix copies or installs
    /// (dependency manifests, `ADD` sources): a fix whose safety depends on them.
    Files,
}

impl ContextUse {
    /// Whether the rule reads the build context at all.
    pub const fn reads_context(self) -> bool {
        !matches!(self, ContextUse::None)
    }
}

/// The type of a rule option, as `.whittle.yaml` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    String,
    /// One of these words (ASCII case ignored).
    OneOf(&'static [&'static str]),
    StringList,
    /// A map from names to one of these words (ASCII case ignored).
    MapOf(&'static [&'static str]),
}

impl OptionKind {
    /// What a value of this kind is, for messages and docs: "a list of strings".
    pub fn describe(self) -> String {
        let words = |w: &[&str]| {
            w.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            OptionKind::Bool => "true or false".to_string(),
            OptionKind::Integer { min, max } => format!("an integer from {min} to {max}"),
            OptionKind::String => "a string".to_string(),
            OptionKind::OneOf(w) => format!("one of {}", words(w)),
            OptionKind::StringList => "a list of strings".to_string(),
            OptionKind::MapOf(w) => format!("a map from names to one of {}", words(w)),
        }
    }

    /// `Err` says what is wrong with `value`.
    pub fn check(self, value: &serde_json::Value) -> Result<(), String> {
        use serde_json::Value;
        let word_in = |w: &[&str], s: &str| w.iter().any(|x| x.eq_ignore_ascii_case(s));
        let ok = match (self, value) {
            (OptionKind::Bool, Value::Bool(_)) => true,
            (OptionKind::Integer { min, max }, Value::Number(n)) => {
                n.as_i64().is_some_and(|i| (min..=max).contains(&i))
            }
            (OptionKind::String, Value::String(_)) => true,
            (OptionKind::OneOf(w), Value::String(s)) => word_in(w, s),
            (OptionKind::StringList, Value::Array(items)) => items.iter().all(Value::is_string),
            (OptionKind::MapOf(w), Value::Object(map)) => {
                for (name, v) in map {
                    match v {
                        Value::String(s) if word_in(w, s) => {}
                        _ => {
                            return Err(format!(
                                "expected {} (`{name}` is {})",
                                self.describe(),
                                found(v)
                            ));
                        }
                    }
                }
                true
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "expected {}, found {}",
                self.describe(),
                found(value)
            ))
        }
    }
}

/// How a JSON value reads in a message: "the string `x`", "a list".
fn found(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a map".to_string(),
    }
}

/// One option a rule reads from `rules: {ID: {options: ...}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The key, kebab-case: `trusted-registries`.
    pub name: &'static str,
    pub kind: OptionKind,
    /// The value when the option is not given, as JSON (`[]`, `false`, `{}`).
    pub default: &'static str,
    /// One sentence for the docs.
    pub doc: &'static str,
}

/// A problem with a rule's options: the key it is about and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub key: String,
    pub message: String,
}

/// Everything about a rule except its logic: what the registry, the settings, the
/// configuration, the outputs and the docs know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// `WH301`: `WH` + 3 digits, the hundreds digit the category; never reused.
    pub id: SharedStr,
    /// `apt-lists-not-cleaned`: kebab-case, names the problem.
    pub name: SharedStr,
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
    /// What of the build context the rule reads.
    pub context: ContextUse,
    /// The options the rule reads; configuration giving any other is an error.
    pub options: &'static [OptionSpec],
    /// The rule page, `include_str!("../../rules/<ID>.md")`.
    pub doc: SharedStr,
}

impl RuleMeta {
    /// A descriptor named `id` and `name`, otherwise the plainest: a style rule, severity
    /// style, no fix, no aliases, on by default, no context, no options, no page. For building
    /// descriptors field by field (`RuleMeta { severity: .., ..RuleMeta::new(id, name) }`).
    pub const fn new(id: &'static str, name: &'static str) -> RuleMeta {
        RuleMeta {
            id: SharedStr::new(id),
            name: SharedStr::new(name),
            category: Category::Style,
            severity: Severity::Style,
            fix: FixKind::None,
            aliases: &[],
            default_enabled: true,
            context: ContextUse::None,
            options: &[],
            doc: SharedStr::new(""),
        }
    }

    /// Whether `code` names this rule: its ID, name or an alias (ASCII case ignored). This is
    /// how pragmas (`# whittle ignore=`, `# hadolint ignore=`) and `whittle explain` name rules.
    pub fn is_named(&self, code: &str) -> bool {
        code.eq_ignore_ascii_case(&self.id)
            || code.eq_ignore_ascii_case(&self.name)
            || self.aliases.iter().any(|a| code.eq_ignore_ascii_case(a))
    }

    /// One sentence for listings (SARIF `shortDescription`): the first paragraph under
    /// `## What it does` of the page, or the rule name when the page has none.
    pub fn summary(&self) -> String {
        doc_summary(&self.doc).unwrap_or_else(|| self.name.to_string())
    }

    /// The option called `name`.
    pub fn option(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().find(|o| o.name == name)
    }

    /// Check options given to this rule: every key one it declares, every value of its type.
    pub fn check_options(
        &self,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), OptionError> {
        for (key, value) in options {
            let Some(spec) = self.option(key) else {
                return Err(OptionError {
                    key: key.clone(),
                    message: self.unknown_option(key),
                });
            };
            self.check_option(spec, value)?;
        }
        Ok(())
    }

    /// Check one value of a declared option.
    pub fn check_option(
        &self,
        spec: &OptionSpec,
        value: &serde_json::Value,
    ) -> Result<(), OptionError> {
        spec.kind.check(value).map_err(|what| OptionError {
            key: spec.name.to_string(),
            message: format!("option `{}` of rule `{}`: {what}", spec.name, self.id),
        })
    }

    /// "unknown option `x` of rule `WH110`, expected `trusted-registries`", with a suggestion
    /// when one is close.
    pub fn unknown_option(&self, key: &str) -> String {
        if self.options.is_empty() {
            return format!(
                "unknown option `{key}`: rule `{}` ({}) takes no options",
                self.id, self.name
            );
        }
        let names: Vec<String> = self
            .options
            .iter()
            .map(|o| format!("`{}`", o.name))
            .collect();
        let expected = if names.len() == 1 {
            names.join("")
        } else {
            format!("one of {}", names.join(", "))
        };
        let hint = crate::syntax::suggest::closest(key, self.options.iter().map(|o| o.name))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        format!(
            "unknown option `{key}` of rule `{}`, expected {expected}{hint}",
            self.id
        )
    }
}

/// The first paragraph of the `## What it does` section of a rule page, joined into one line.
pub fn doc_summary(doc: &str) -> Option<String> {
    let mut lines = doc.lines().skip_while(|l| l.trim() != "## What it does");
    lines.next()?;
    let para: Vec<&str> = lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    if para.is_empty() {
        None
    } else {
        Some(para.join(" "))
    }
}

/// A rule selector, the one grammar of `--select`, `--ignore`, `select:`, `ignore:`, `rules:`
/// and the other lists of rules in the configuration. ASCII case is ignored everywhere:
///
/// - `ALL`: every rule;
/// - a category: `image-size` (also `image_size`, `ImageSize`);
/// - an ID prefix: the ID's letters and some of its digits, `WH`, `WH3`, `WH30`;
/// - a rule's ID (`WH301`), name (`apt-lists-not-cleaned`) or alias (`DL3009`,
///   `buildkit:StageNameCasing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    Category(Category),
    /// Upper-cased letters, then digits.
    IdPrefix(String),
    /// An ID, name or alias.
    Code(String),
}

impl Selector {
    /// Read a selector (surrounding blanks ignored); `None` for an empty one.
    pub fn parse(text: &str) -> Option<Selector> {
        let s = text.trim();
        if s.is_empty() {
            return None;
        }
        if s.eq_ignore_ascii_case("all") {
            return Some(Selector::All);
        }
        if let Some(c) = Category::from_name(s) {
            return Some(Selector::Category(c));
        }
        let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters > 0 && s.bytes().skip(letters).all(|b| b.is_ascii_digit()) {
            return Some(Selector::IdPrefix(s.to_ascii_uppercase()));
        }
        Some(Selector::Code(s.to_string()))
    }

    /// Whether this selects `rule`.
    pub fn matches(&self, rule: &RuleMeta) -> bool {
        match self {
            Selector::All => true,
            Selector::Category(c) => rule.category == *c,
            Selector::IdPrefix(p) => {
                let id = rule.id.as_bytes();
                let letters = id.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                // The prefix covers the ID's letters: `WH3` selects WH301, `W` selects nothing.
                (p.len() >= letters
                    && id.len() >= p.len()
                    && id[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
                    || rule.is_named(p)
            }
            Selector::Code(code) => rule.is_named(code),
        }
    }

    /// Whether this can select many rules (`ALL`, a category, a partial ID): configuration
    /// applies broad selectors first, so a rule named exactly wins.
    pub fn is_broad(&self, rules: &[&RuleMeta]) -> bool {
        match self {
            Selector::All | Selector::Category(_) => true,
            Selector::IdPrefix(p) => !rules.iter().any(|r| r.is_named(p)),
            Selector::Code(_) => false,
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

    #[test]
    fn selector_grammar_ignores_case_everywhere() {
        let rule = RuleMeta {
            aliases: &["DL3009", "buildkit:SomeCheck"],
            category: Category::ImageSize,
            ..RuleMeta::new("WH301", "apt-lists-not-cleaned")
        };
        for yes in [
            "ALL",
            "all",
            "image-size",
            "Image_Size",
            "ImageSize",
            "WH",
            "wh3",
            "WH30",
            "WH301",
            "Apt-Lists-Not-Cleaned",
            "dl3009",
            "BuildKit:somecheck",
            " WH301 ",
        ] {
            let s = Selector::parse(yes).expect("a selector");
            assert!(s.matches(&rule), "{yes}");
        }
        for no in ["W", "WH4", "WH3011", "style", "DL3008", "apt-lists"] {
            let s = Selector::parse(no).expect("a selector");
            assert!(!s.matches(&rule), "{no}");
        }
        assert_eq!(Selector::parse("  "), None);
        let custom = RuleMeta::new("ACME001", "approved-base-image");
        for yes in ["ACME", "acme0", "ACME001"] {
            assert!(
                Selector::parse(yes).is_some_and(|s| s.matches(&custom)),
                "{yes}"
            );
        }
        assert!(!Selector::parse("AC").is_some_and(|s| s.matches(&custom)));
        let all = [&rule, &custom];
        assert!(Selector::parse("WH3").is_some_and(|s| s.is_broad(&all)));
        assert!(Selector::parse("image-size").is_some_and(|s| s.is_broad(&all)));
        assert!(!Selector::parse("WH301").is_some_and(|s| s.is_broad(&all)));
        assert!(!Selector::parse("DL3009").is_some_and(|s| s.is_broad(&all)));
    }

    #[test]
    fn options_are_checked_against_their_kind() {
        use serde_json::json;
        assert!(OptionKind::StringList.check(&json!(["a"])).is_ok());
        assert_eq!(
            OptionKind::StringList.check(&json!("a")),
            Err("expected a list of strings, found the string `a`".to_string())
        );
        assert!(
            OptionKind::Integer { min: 1, max: 3 }
                .check(&json!(4))
                .is_err()
        );
        assert!(OptionKind::OneOf(&["x", "y"]).check(&json!("Y")).is_ok());
        assert!(
            OptionKind::MapOf(&["url"])
                .check(&json!({"a": "url"}))
                .is_ok()
        );
        assert!(OptionKind::MapOf(&["url"]).check(&json!({"a": 1})).is_err());
        static SPECS: [OptionSpec; 1] = [OptionSpec {
            name: "trusted-registries",
            kind: OptionKind::StringList,
            default: "[]",
            doc: "",
        }];
        let rule = RuleMeta {
            options: &SPECS,
            ..RuleMeta::new("WH110", "untrusted-registry")
        };
        let mut given = serde_json::Map::new();
        given.insert("trusted-registrys".into(), json!([]));
        let e = rule.check_options(&given).expect_err("misspelt");
        assert_eq!(e.key, "trusted-registrys");
        assert_eq!(
            e.message,
            "unknown option `trusted-registrys` of rule `WH110`, expected `trusted-registries` \
             (did you mean `trusted-registries`?)"
        );
        assert!(
            RuleMeta::new("WH001", "x")
                .unknown_option("y")
                .contains("takes no options")
        );
    }
}
