//! Custom rules: checks a team writes in YAML (`custom-rules:` in `.whittle.yaml`, or files it
//! lists under `rule-files:`), compiled once when the configuration is read into
//! [`CustomRule`]s. Each carries a [`RuleMeta`] like a built-in rule, so selection, severity
//! overrides, pragmas, every output format, `whittle rules` and `whittle explain` treat it the
//! same; the resolved [`crate::settings::Settings`] carry them to the linter (no global
//! registry: a language server that reloads its configuration drops the old rules with the old
//! settings). What a rule matches is checked by its `Rule` implementation in `rules::custom`.
//!
//! This module is data and its validation: [`spec`] is the YAML, [`compile`] turns it into
//! matchers (regexes and globs compiled once), names problems by rule and key.

pub mod spec;
pub mod template;

use crate::descriptor::{
    Category, ContextUse, FixKind, RuleMeta, Selector, SharedStr, is_kebab_case,
};
use crate::diagnostic::{Applicability, Severity};
use crate::glob::Glob;
use crate::syntax::Keyword;
use regex::Regex;
use spec::{CustomRuleSpec, ExamplesSpec, FixSpec, OneOrMany, WhenSpec};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use template::Template;

/// The custom rules of a configuration, shared by every file it applies to.
pub type CustomRules = Arc<[Arc<CustomRule>]>;

/// A compiled custom rule.
#[derive(Debug)]
pub struct CustomRule {
    pub meta: RuleMeta,
    pub stage: StageFilter,
    pub matcher: Matcher,
    pub message: Template,
    pub fix: Option<CustomFix>,
    pub examples: ExamplesSpec,
    /// The file the rule is written in.
    pub origin: PathBuf,
}

/// Two compiled rules are the same when they describe the same rule from the same file (their
/// pages include what they match and their examples).
impl PartialEq for CustomRule {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta && self.origin == other.origin
    }
}

/// Which stages a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StageFilter {
    #[default]
    Any,
    /// The last stage: the image that is built.
    Final,
    /// Every stage but the last.
    Build,
}

/// What a rule looks for.
#[derive(Debug)]
pub enum Matcher {
    /// `FROM` images matching one of `image` (when given) and none of `not_image`.
    From {
        image: Vec<Glob>,
        not_image: Vec<Glob>,
    },
    /// Commands named one of `commands`, with every condition given holding.
    Run {
        commands: Vec<String>,
        missing_flags: Vec<String>,
        has_flags: Vec<String>,
        args_regex: Option<Pattern>,
    },
    /// Stages where no instruction of these kinds matches `regex`.
    Missing {
        instructions: Vec<Keyword>,
        regex: Option<Pattern>,
    },
    /// Instructions of these kinds (each match of `regex` in their arguments, when given).
    Instruction {
        instructions: Vec<Keyword>,
        regex: Option<Pattern>,
    },
}

/// A rule's regex. Deref gives the regex itself (captures, group names); `is_match` takes a
/// faster path for ASCII text.
#[derive(Debug)]
pub struct Pattern {
    regex: Regex,
    /// The same pattern with Unicode classes off, when it compiles that way. On ASCII text it
    /// matches exactly where `regex` does (`\w`, `\b`, `\s`, `.` and case folding differ only
    /// on non-ASCII characters), and its lazy DFA is a fraction of the size: a pattern such as
    /// `\b(\w*SECRET\w*)=` spent more building Unicode DFA states than all the built-in rules
    /// spend checking.
    ascii: Option<regex::bytes::Regex>,
}

impl Pattern {
    fn new(regex: Regex) -> Self {
        let ascii = regex::bytes::RegexBuilder::new(regex.as_str())
            .unicode(false)
            .build()
            .ok();
        Pattern { regex, ascii }
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.ascii {
            Some(ascii) if text.is_ascii() => ascii.is_match(text.as_bytes()),
            _ => self.regex.is_match(text),
        }
    }

    /// Every match in `text`, in order, each as its groups' byte ranges.
    pub fn matches(&self, text: &str) -> Vec<Groups> {
        match &self.ascii {
            Some(ascii) if text.is_ascii() => ascii
                .captures_iter(text.as_bytes())
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                .collect(),
            _ => self
                .regex
                .captures_iter(text)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                .collect(),
        }
    }

    /// The first match in `text`.
    pub fn first_match(&self, text: &str) -> Option<Groups> {
        match &self.ascii {
            Some(ascii) if text.is_ascii() => ascii
                .captures(text.as_bytes())
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect()),
            _ => self
                .regex
                .captures(text)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect()),
        }
    }
}

/// One match of a [`Pattern`]: the byte range of each group (group 0 is the whole match), `None`
/// for a group that took no part.
pub type Groups = Vec<Option<std::ops::Range<usize>>>;

impl std::ops::Deref for Pattern {
    type Target = Regex;
    fn deref(&self) -> &Regex {
        &self.regex
    }
}

/// A custom rule's fix.
#[derive(Debug)]
pub struct CustomFix {
    pub action: FixAction,
    pub applicability: Applicability,
    pub title: String,
}

#[derive(Debug)]
pub enum FixAction {
    /// Add this flag after the command's name.
    AddFlag(String),
    /// Replace matches of `regex` in the reported text.
    Replace { regex: Regex, with: String },
    /// Add this line after the stage's `FROM`.
    AddLine(String),
}

/// A problem with a custom rule: which rule, the key it is about (to find it in the file) and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The rule's ID as written (empty when the rule has none).
    pub rule: String,
    /// The key the problem is at (`regex`, `not-image`, `id`).
    pub key: String,
    pub message: String,
}

impl CompileError {
    fn new(rule: &str, key: &str, message: impl Into<String>) -> CompileError {
        CompileError {
            rule: rule.to_string(),
            key: key.to_string(),
            message: message.into(),
        }
    }
}

/// ID prefixes custom rules may not take: whittle's own and the codes of other tools that
/// configurations and pragmas already use.
const RESERVED_PREFIXES: [&str; 3] = ["WH", "DL", "SC"];

/// Whether `id` has the shape of a custom rule's ID: capital letters, then digits (`ACME001`).
pub fn is_custom_id(id: &str) -> bool {
    let letters = id.bytes().take_while(u8::is_ascii_uppercase).count();
    letters > 0 && id.len() > letters && id.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

/// Compile every rule of a configuration (`origin` is the file each is written in): each on its
/// own, then IDs and names unique among them.
pub fn compile_all<'s>(
    specs: impl IntoIterator<Item = (&'s CustomRuleSpec, &'s Path)>,
) -> Result<CustomRules, CompileError> {
    let mut out: Vec<Arc<CustomRule>> = Vec::new();
    for (spec, origin) in specs {
        let rule = compile(spec, origin)?;
        if let Some(other) = out
            .iter()
            .find(|r| r.meta.id.eq_ignore_ascii_case(&rule.meta.id))
        {
            return Err(CompileError::new(
                &spec.id,
                "id",
                format!(
                    "custom rule ID `{}` is used twice (also by `{}`)",
                    spec.id, other.meta.name
                ),
            ));
        }
        if let Some(other) = out.iter().find(|r| r.meta.name == rule.meta.name) {
            return Err(CompileError::new(
                &spec.id,
                "name",
                format!(
                    "custom rule name `{}` is used twice (also by `{}`)",
                    spec.name, other.meta.id
                ),
            ));
        }
        out.push(Arc::new(rule));
    }
    Ok(out.into())
}

/// Check that no custom rule takes an ID, name or alias of `builtin` (the built-in rules).
pub fn check_against_builtin(
    rules: &[Arc<CustomRule>],
    builtin: &[&RuleMeta],
) -> Result<(), CompileError> {
    for r in rules {
        for (key, value) in [("id", &r.meta.id), ("name", &r.meta.name)] {
            if let Some(b) = builtin.iter().find(|b| b.is_named(value)) {
                return Err(CompileError::new(
                    &r.meta.id,
                    key,
                    format!(
                        "custom rule {key} `{value}` is already taken by the built-in rule {} ({})",
                        b.id, b.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Compile one rule.
pub fn compile(spec: &CustomRuleSpec, origin: &Path) -> Result<CustomRule, CompileError> {
    let id = spec.id.as_str();
    let err = |key: &str, message: String| CompileError::new(id, key, message);
    if !is_custom_id(id) {
        return Err(err(
            "id",
            format!("custom rule ID `{id}` must be capital letters then digits (`ACME001`)"),
        ));
    }
    if let Some(p) = RESERVED_PREFIXES
        .iter()
        .find(|p| id.len() >= 2 && id[..2].eq_ignore_ascii_case(p))
    {
        return Err(err(
            "id",
            format!(
                "custom rule ID `{id}` may not start with `{p}` (whittle's and other tools' codes)"
            ),
        ));
    }
    if !is_kebab_case(&spec.name) {
        return Err(err(
            "name",
            format!(
                "custom rule `{id}`: name `{}` must be kebab-case (`approved-base-image`)",
                spec.name
            ),
        ));
    }
    // A name is selected by name alone: `all`, a category or an ID shape would select more.
    match Selector::parse(&spec.name) {
        Some(Selector::Code(_)) => {}
        Some(Selector::IdPrefix(_)) if !spec.name.bytes().any(|b| b.is_ascii_digit()) => {}
        _ => {
            return Err(err(
                "name",
                format!(
                    "custom rule `{id}`: name `{}` reads as a selector of many rules (`all`, a category or an ID); name the problem (`approved-base-image`)",
                    spec.name
                ),
            ));
        }
    }
    let category = match &spec.category {
        None => Category::Correctness,
        Some(c) => Category::from_name(c).ok_or_else(|| {
            err(
                "category",
                format!(
                    "custom rule `{id}`: unknown category `{c}` (expected {})",
                    Category::ALL
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?,
    };
    let stage = stage_filter(id, &spec.when)?;
    let matcher = matcher(id, &spec.when)?;
    let fix = spec
        .fix
        .as_ref()
        .map(|f| fix(id, f, &matcher))
        .transpose()?;
    let message = Template::parse(&spec.message, &|name| placeholder_known(&matcher, name))
        .map_err(|e| {
            err(
                "message",
                format!(
                    "custom rule `{id}`: {e} (this rule has {})",
                    placeholders(&matcher).join(", ")
                ),
            )
        })?;
    let examples = &spec.examples;
    if !examples.fixed.is_empty() && examples.fixed.len() != examples.bad.len() {
        return Err(err(
            "fixed",
            format!(
                "custom rule `{id}`: `examples.fixed` needs one entry per `bad` example ({} bad, {} fixed)",
                examples.bad.len(),
                examples.fixed.len()
            ),
        ));
    }
    if !examples.fixed.is_empty() && fix.is_none() {
        return Err(err(
            "fixed",
            format!("custom rule `{id}`: `examples.fixed` needs a `fix`"),
        ));
    }
    let meta = RuleMeta {
        id: SharedStr::from(spec.id.clone()),
        name: SharedStr::from(spec.name.clone()),
        category,
        severity: spec.severity.unwrap_or(Severity::Warning),
        fix: match fix.as_ref().map(|f| f.applicability) {
            None => FixKind::None,
            Some(Applicability::DisplayOnly) => FixKind::DisplayOnly,
            Some(Applicability::Unsafe) => FixKind::Unsafe,
            Some(Applicability::Safe) => FixKind::Safe,
        },
        aliases: &[],
        default_enabled: spec.enabled,
        context: ContextUse::None,
        options: &[],
        doc: SharedStr::from(page(spec, &message, fix.as_ref(), origin)),
    };
    Ok(CustomRule {
        meta,
        stage,
        matcher,
        message,
        fix,
        examples: spec.examples.clone(),
        origin: origin.to_path_buf(),
    })
}

fn stage_filter(id: &str, when: &WhenSpec) -> Result<StageFilter, CompileError> {
    match when
        .stage
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("any") => Ok(StageFilter::Any),
        Some("final") => Ok(StageFilter::Final),
        Some("build") => Ok(StageFilter::Build),
        Some(other) => Err(CompileError::new(
            id,
            "stage",
            format!(
                "custom rule `{id}`: unknown stage `{other}` (expected `final`, `any` or `build`)"
            ),
        )),
    }
}

fn compile_regex(id: &str, key: &str, pattern: &str) -> Result<Regex, CompileError> {
    Regex::new(pattern).map_err(|e| {
        // The regex crate's message spans several lines; its last line says what is wrong.
        let why = e
            .to_string()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .trim_start_matches("error: ")
            .to_string();
        CompileError::new(
            id,
            key,
            format!("custom rule `{id}`: invalid regex `{pattern}` in `{key}`: {why}"),
        )
    })
}

fn compile_glob(id: &str, key: &str, pattern: &str) -> Result<Glob, CompileError> {
    Glob::new(pattern).map_err(|why| {
        CompileError::new(
            id,
            key,
            format!("custom rule `{id}`: invalid glob `{pattern}` in `{key}`: {why}"),
        )
    })
}

fn keywords(id: &str, key: &str, names: &OneOrMany) -> Result<Vec<Keyword>, CompileError> {
    if names.0.is_empty() {
        return Err(CompileError::new(
            id,
            key,
            format!("custom rule `{id}`: `{key}` names no instruction"),
        ));
    }
    names
        .0
        .iter()
        .map(|n| match Keyword::from_word(n) {
            Keyword::Unknown(_) => Err(CompileError::new(
                id,
                key,
                format!(
                    "custom rule `{id}`: unknown instruction `{n}` in `{key}` (expected one of {})",
                    Keyword::NAMES.join(", ")
                ),
            )),
            k => Ok(k),
        })
        .collect()
}

fn matcher(id: &str, when: &WhenSpec) -> Result<Matcher, CompileError> {
    let given: Vec<&str> = [
        ("from", when.from.is_some()),
        ("run", when.run.is_some()),
        ("missing", when.missing.is_some()),
        ("instruction", when.instruction.is_some()),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(k, _)| k)
    .collect();
    if given.len() != 1 {
        return Err(CompileError::new(
            id,
            "when",
            format!(
                "custom rule `{id}`: `when` needs exactly one of `from`, `run`, `missing`, `instruction` (found {})",
                if given.is_empty() {
                    "none".to_string()
                } else {
                    given.join(", ")
                }
            ),
        ));
    }
    if when.regex.is_some() && when.instruction.is_none() {
        return Err(CompileError::new(
            id,
            "regex",
            format!(
                "custom rule `{id}`: `when.regex` goes with `instruction` (`run` has `args-regex`, `missing` its own `regex`)"
            ),
        ));
    }
    if let Some(from) = &when.from {
        if from.image.is_none() && from.not_image.is_none() {
            return Err(CompileError::new(
                id,
                "from",
                format!("custom rule `{id}`: `from` needs `image` or `not-image`"),
            ));
        }
        let globs = |key: &str, list: &Option<OneOrMany>| -> Result<Vec<Glob>, CompileError> {
            match list {
                None => Ok(Vec::new()),
                Some(l) if l.0.is_empty() => Err(CompileError::new(
                    id,
                    key,
                    format!("custom rule `{id}`: `{key}` names no pattern"),
                )),
                Some(l) => l.0.iter().map(|p| compile_glob(id, key, p)).collect(),
            }
        };
        return Ok(Matcher::From {
            image: globs("image", &from.image)?,
            not_image: globs("not-image", &from.not_image)?,
        });
    }
    if let Some(run) = &when.run {
        if run.command.0.is_empty() || run.command.0.iter().any(|c| c.trim().is_empty()) {
            return Err(CompileError::new(
                id,
                "command",
                format!("custom rule `{id}`: `run.command` needs a command name"),
            ));
        }
        let flags = |key: &str, list: &Option<OneOrMany>| -> Result<Vec<String>, CompileError> {
            let list = list.as_ref().map(|l| l.0.clone()).unwrap_or_default();
            if let Some(bad) = list.iter().find(|f| !f.starts_with('-') || f.len() < 2) {
                return Err(CompileError::new(
                    id,
                    key,
                    format!(
                        "custom rule `{id}`: `{bad}` in `{key}` is not a flag (`-f`, `--fail`)"
                    ),
                ));
            }
            Ok(list)
        };
        return Ok(Matcher::Run {
            commands: run.command.0.clone(),
            missing_flags: flags("missing-flag", &run.missing_flag)?,
            has_flags: flags("has-flag", &run.has_flag)?,
            args_regex: run
                .args_regex
                .as_deref()
                .map(|p| compile_regex(id, "args-regex", p).map(Pattern::new))
                .transpose()?,
        });
    }
    if let Some(missing) = &when.missing {
        return Ok(Matcher::Missing {
            instructions: keywords(id, "instruction", &missing.instruction)?,
            regex: missing
                .regex
                .as_deref()
                .map(|p| compile_regex(id, "regex", p).map(Pattern::new))
                .transpose()?,
        });
    }
    let instruction = when
        .instruction
        .as_ref()
        .map(|i| i.0.clone())
        .unwrap_or_default();
    Ok(Matcher::Instruction {
        instructions: keywords(id, "instruction", &OneOrMany(instruction))?,
        regex: when
            .regex
            .as_deref()
            .map(|p| compile_regex(id, "regex", p).map(Pattern::new))
            .transpose()?,
    })
}

fn fix(id: &str, spec: &FixSpec, matcher: &Matcher) -> Result<CustomFix, CompileError> {
    let err = |key: &str, message: String| CompileError::new(id, key, message);
    let applicability = match spec
        .applicability
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("unsafe") => Applicability::Unsafe,
        Some("safe") => Applicability::Safe,
        Some("display-only") => Applicability::DisplayOnly,
        Some(other) => {
            return Err(err(
                "applicability",
                format!(
                    "custom rule `{id}`: unknown applicability `{other}` (expected `safe`, `unsafe` or `display-only`)"
                ),
            ));
        }
    };
    let actions = [
        spec.add_flag.is_some(),
        spec.replace.is_some(),
        spec.add_line.is_some(),
    ]
    .into_iter()
    .filter(|a| *a)
    .count();
    if actions != 1 {
        return Err(err(
            "fix",
            format!(
                "custom rule `{id}`: `fix` needs exactly one of `add-flag`, `replace`, `add-line`"
            ),
        ));
    }
    let (action, default_title) = if let Some(flag) = &spec.add_flag {
        if !matches!(matcher, Matcher::Run { .. }) {
            return Err(err(
                "add-flag",
                format!("custom rule `{id}`: `add-flag` fixes `run` rules only"),
            ));
        }
        if !flag.starts_with('-') || flag.contains(char::is_whitespace) {
            return Err(err(
                "add-flag",
                format!("custom rule `{id}`: `add-flag` must be one flag (`--fail`), not `{flag}`"),
            ));
        }
        // The flag must be one the rule looks for, else the fixed command is still reported
        // (and a fix loop would add it again and again).
        let satisfies = match matcher {
            Matcher::Run { missing_flags, .. } => missing_flags
                .iter()
                .any(|f| has_flag(std::slice::from_ref(flag), f).is_some()),
            _ => false,
        };
        if !satisfies {
            return Err(err(
                "add-flag",
                format!(
                    "custom rule `{id}`: `add-flag` `{flag}` must be one of the rule's `missing-flag` flags, so that the fixed command is no longer reported"
                ),
            ));
        }
        (FixAction::AddFlag(flag.clone()), format!("Add `{flag}`"))
    } else if let Some(line) = &spec.add_line {
        if !matches!(matcher, Matcher::Missing { .. }) {
            return Err(err(
                "add-line",
                format!("custom rule `{id}`: `add-line` fixes `missing` rules only"),
            ));
        }
        if line.trim().is_empty() || line.contains('\n') {
            return Err(err(
                "add-line",
                format!("custom rule `{id}`: `add-line` must be one instruction on one line"),
            ));
        }
        (FixAction::AddLine(line.clone()), format!("Add `{line}`"))
    } else if let Some(replace) = &spec.replace {
        if matches!(matcher, Matcher::Missing { .. }) {
            return Err(err(
                "replace",
                format!(
                    "custom rule `{id}`: a `missing` rule has nothing to replace (use `add-line`)"
                ),
            ));
        }
        let regex = compile_regex(id, "regex", &replace.regex)?;
        (
            FixAction::Replace {
                regex,
                with: replace.with.clone(),
            },
            format!("Replace with `{}`", replace.with),
        )
    } else {
        unreachable!("one action is given")
    };
    Ok(CustomFix {
        action,
        applicability,
        title: spec.title.clone().unwrap_or(default_title),
    })
}

/// Whether `flag` is among `words` (the command's arguments): the word itself, `--long=value`
/// for a long flag, or one letter of a cluster of short flags (`-fsSL` has `-f`). Words after
/// `--` are operands.
pub fn has_flag(words: &[String], flag: &str) -> Option<usize> {
    let short = flag.len() == 2 && !flag.starts_with("--");
    for (i, w) in words.iter().enumerate() {
        if w == "--" {
            return None;
        }
        if w == flag {
            return Some(i);
        }
        if flag.starts_with("--")
            && w.strip_prefix(flag)
                .is_some_and(|rest| rest.starts_with('='))
        {
            return Some(i);
        }
        let cluster = w.len() > 2
            && w.starts_with('-')
            && !w.starts_with("--")
            && w[1..].bytes().all(|b| b.is_ascii_alphabetic());
        if short && cluster && w[1..].contains(&flag[1..]) {
            return Some(i);
        }
    }
    None
}

/// The placeholders a rule's message may use.
pub fn placeholders(matcher: &Matcher) -> Vec<String> {
    let mut out: Vec<String> = ["id", "name", "stage"].map(String::from).to_vec();
    let regex = match matcher {
        Matcher::From { .. } => {
            out.extend(["image", "resolved", "registry", "repository", "tag"].map(String::from));
            None
        }
        Matcher::Run { args_regex, .. } => {
            out.extend(["command", "args", "flag"].map(String::from));
            args_regex.as_ref()
        }
        Matcher::Missing { .. } => {
            out.push("instruction".into());
            None
        }
        Matcher::Instruction { regex, .. } => {
            out.extend(["instruction", "args"].map(String::from));
            regex.as_ref()
        }
    };
    if let Some(re) = regex {
        out.extend((0..re.captures_len()).map(|i| i.to_string()));
        out.extend(re.capture_names().flatten().map(String::from));
    }
    out.into_iter().map(|p| format!("{{{p}}}")).collect()
}

fn placeholder_known(matcher: &Matcher, name: &str) -> bool {
    placeholders(matcher).contains(&format!("{{{name}}}"))
}

/// The rule's page for `whittle explain`, in the shape of a built-in rule's page.
fn page(
    spec: &CustomRuleSpec,
    message: &Template,
    fix: Option<&CustomFix>,
    origin: &Path,
) -> String {
    let mut out = format!("# {}: {}\n\n## What it does\n\n", spec.id, spec.name);
    match &spec.description {
        Some(d) => {
            let _ = writeln!(out, "{}", d.trim_end());
        }
        None => {
            let _ = writeln!(out, "Reports: {}", message.source());
        }
    }
    let origin_name = origin.file_name().map_or_else(
        || origin.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let _ = writeln!(out, "\nA custom rule, defined in `{origin_name}`.");
    if !spec.examples.bad.is_empty() || !spec.examples.good.is_empty() {
        out.push_str("\n## Example\n");
        for (i, bad) in spec.examples.bad.iter().enumerate() {
            let _ = write!(out, "\n```dockerfile bad\n{}```\n", with_newline(bad));
            if let Some(fixed) = spec.examples.fixed.get(i) {
                let _ = write!(out, "\n```dockerfile fixed\n{}```\n", with_newline(fixed));
            }
        }
        for good in &spec.examples.good {
            let _ = write!(out, "\n```dockerfile good\n{}```\n", with_newline(good));
        }
    }
    if let Some(f) = fix {
        let how = match f.applicability {
            Applicability::Safe => "Safe: applied by `whittle check --fix`.",
            Applicability::Unsafe => "Unsafe: applied by `whittle check --fix --unsafe-fixes`.",
            Applicability::DisplayOnly => "Display-only: shown, never applied.",
        };
        let _ = write!(out, "\n## Fix safety\n\n{how} The fix: {}.\n", f.title);
    }
    out
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> CustomRuleSpec {
        serde_yaml::from_str(yaml).expect("spec parses")
    }

    #[test]
    fn the_four_shapes_compile() {
        for yaml in [
            "id: ACME001\nname: approved-base-image\nseverity: error\nmessage: \"base image {image} is not from registry.acme.io\"\nwhen:\n  from:\n    not-image: \"registry.acme.io/**\"\n",
            "id: ACME002\nname: curl-without-fail\nmessage: curl without --fail\nwhen:\n  run:\n    command: curl\n    missing-flag: [\"-f\", \"--fail\", \"-fsSL\"]\nfix:\n  add-flag: \"--fail\"\n  applicability: safe\n",
            "id: ACME003\nname: source-label\nmessage: no source label\nwhen:\n  stage: final\n  missing:\n    instruction: LABEL\n    regex: 'org\\.opencontainers\\.image\\.source='\n",
            "id: ACME004\nname: no-debug-env\nmessage: \"DEBUG is switched on: {0}\"\nwhen:\n  instruction: ENV\n  regex: '\\bDEBUG=(1|true|yes)\\b'\n",
        ] {
            let r = compile(&spec(yaml), Path::new("x.yaml")).expect(yaml);
            assert!(
                r.meta
                    .doc
                    .starts_with(&format!("# {}: {}", r.meta.id, r.meta.name))
            );
        }
    }

    #[test]
    fn problems_name_the_rule_and_the_key() {
        let e = |yaml: &str| compile(&spec(yaml), Path::new("x.yaml")).expect_err(yaml);
        let base = "name: a-b\nmessage: m\n";
        let bad_id = e(&format!("id: WH900\n{base}when: {{instruction: ENV}}\n"));
        assert_eq!((bad_id.key.as_str(), bad_id.rule.as_str()), ("id", "WH900"));
        assert!(
            e(&format!("id: 9A\n{base}when: {{instruction: ENV}}\n"))
                .message
                .contains("capital letters then digits")
        );
        let re = e(&format!(
            "id: X1\n{base}when: {{instruction: ENV, regex: 'a(b'}}\n"
        ));
        assert_eq!(re.key, "regex");
        assert!(
            re.message
                .starts_with("custom rule `X1`: invalid regex `a(b` in `regex`"),
            "{}",
            re.message
        );
        let glob = e(&format!("id: X1\n{base}when: {{from: {{image: 'a['}}}}\n"));
        assert_eq!(glob.key, "image");
        assert!(
            glob.message.contains("invalid glob `a[`"),
            "{}",
            glob.message
        );
        let two = e(&format!(
            "id: X1\n{base}when: {{instruction: ENV, from: {{image: a}}}}\n"
        ));
        assert!(two.message.contains("exactly one of"), "{}", two.message);
        let kw = e(&format!("id: X1\n{base}when: {{instruction: ENVV}}\n"));
        assert!(
            kw.message.contains("unknown instruction `ENVV`"),
            "{}",
            kw.message
        );
        let ph = e("id: X1\nname: a-b\nmessage: '{command}'\nwhen: {instruction: ENV}\n");
        assert_eq!(ph.key, "message");
        assert!(
            ph.message.contains("unknown placeholder `{command}`"),
            "{}",
            ph.message
        );
        let fx = e(&format!(
            "id: X1\n{base}when: {{instruction: ENV}}\nfix: {{add-flag: -x}}\n"
        ));
        assert!(fx.message.contains("`run` rules only"), "{}", fx.message);
    }

    #[test]
    fn ids_and_names_are_unique_and_not_builtin() {
        let a = spec("id: ACME001\nname: one\nmessage: m\nwhen: {instruction: ENV}\n");
        let b = spec("id: ACME001\nname: two\nmessage: m\nwhen: {instruction: ENV}\n");
        let p = Path::new("x.yaml");
        let e = compile_all([(&a, p), (&b, p)]).expect_err("same ID");
        assert!(e.message.contains("used twice"), "{}", e.message);
        let rules = compile_all([(&a, p)]).expect("compiles");
        let builtin = RuleMeta::new("WH301", "one");
        let e = check_against_builtin(&rules, &[&builtin]).expect_err("name taken");
        assert_eq!(e.key, "name");
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    /// The ASCII fast path finds what the Unicode regex finds, group by group, on ASCII text;
    /// text with other characters takes the Unicode regex.
    #[test]
    fn the_ascii_path_matches_like_the_unicode_regex() {
        let cases = [
            (
                r"\b(\w*(?:PASSWORD|TOKEN)\w*)=",
                "DB_PASSWORD=x API_TOKEN= no=1",
            ),
            (r"(?i)debug=(?P<v>1|true)", "DEBUG=TRUE debug=1 Debug=0"),
            (r"\s+(\S+)$", "curl -k https://example.invalid/x"),
            (r"(a)|(b)", "ab ba"),
            (r"\w+", "naïve café"),
            (r"\bK\b", "\u{212a} K"),
        ];
        for (pattern, text) in cases {
            let p = Pattern::new(Regex::new(pattern).unwrap());
            let unicode: Vec<Groups> = p
                .regex
                .captures_iter(text)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                .collect();
            assert_eq!(p.matches(text), unicode, "{pattern} on {text:?}");
            assert_eq!(p.first_match(text), unicode.first().cloned());
            assert_eq!(p.is_match(text), !unicode.is_empty());
        }
        // (?i)k also matches the Kelvin sign, which only the Unicode regex knows.
        let kelvin = Pattern::new(Regex::new("(?i)k").unwrap());
        assert!(kelvin.ascii.is_some());
        assert!(kelvin.is_match("\u{212a}"));
        // A class with no ASCII form has no fast path.
        assert!(
            Pattern::new(Regex::new(r"\p{Greek}").unwrap())
                .ascii
                .is_none()
        );
    }
}
