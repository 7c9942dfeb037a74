//! Inline suppressions, read from comment texts (independent of the parser):
//!
//! - `# whittle ignore=WH301,apt-lists-not-cleaned -- reason`: the next instruction;
//! - `# whittle global ignore=...`: the whole file;
//! - `# hadolint ignore=DL3008,SC2086` and `# hadolint global ignore=...`: the same, so that files
//!   written for hadolint keep working (codes match rule aliases);
//! - `# hadolint shell=bash`: recorded (rules that care about the shell can read it);
//! - BuildKit's `# check=skip=StageNameCasing,JSONArgsRecommended` (or `skip=all`) parser
//!   directive: the whole file, for rules with a `buildkit:` alias.
//!
//! A code matches a rule by ID, name or alias, ignoring ASCII case. Every code records whether it
//! suppressed something, so that an "unused suppression" rule can point at the ones that did not.

use crate::descriptor::RuleMeta;
use crate::syntax::Span;
use std::cell::Cell;

/// One comment as the parser sees it.
#[derive(Debug, Clone, Copy)]
pub struct Comment<'a> {
    /// The comment's text from `#` on (exactly the file bytes at `span`).
    pub text: &'a str,
    pub span: Span,
    /// The instruction that follows the comment, if any: where a non-global ignore applies.
    pub next_instruction: Option<Span>,
}

/// Which tool's pragma syntax a suppression was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaKind {
    Whittle,
    Hadolint,
    /// BuildKit's `# check=skip=` directive.
    BuildkitCheck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    File,
    /// The instruction with this span.
    Instruction(Span),
}

/// One code of one pragma, e.g. `WH301` in `# whittle ignore=WH301,WH302`.
#[derive(Debug, Clone)]
pub struct SuppressedCode {
    pub code: String,
    /// Where the code is written (for "unused suppression" diagnostics).
    pub span: Span,
    used: Cell<bool>,
}

impl SuppressedCode {
    pub fn was_used(&self) -> bool {
        self.used.get()
    }
}

#[derive(Debug, Clone)]
pub struct Pragma {
    pub kind: PragmaKind,
    pub scope: Scope,
    /// The whole comment (or directive) the pragma was read from.
    pub span: Span,
    pub codes: Vec<SuppressedCode>,
    /// `skip=all` in a `check` directive.
    pub all: bool,
    /// The text after ` -- `, if given.
    pub reason: Option<String>,
}

/// A comment that looks like a pragma but cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedPragma {
    pub span: Span,
    pub message: String,
}

/// The suppressions of one file.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    pub pragmas: Vec<Pragma>,
    pub malformed: Vec<MalformedPragma>,
    /// The last `# hadolint shell=...` value.
    pub shell: Option<String>,
    /// `error=true` in the `check` directive: BuildKit fails the build on check findings.
    pub check_error: bool,
}

const BUILDKIT_PREFIX: &str = "buildkit:";

impl Suppressions {
    /// Read every pragma from the file's comments (comments that are no pragma are skipped).
    pub fn from_comments<'a>(comments: impl IntoIterator<Item = Comment<'a>>) -> Self {
        let mut s = Suppressions::default();
        for c in comments {
            s.add_comment(c);
        }
        s
    }

    /// Add the value of BuildKit's `check` parser directive (`skip=A,B;error=true`); `span` is
    /// where the directive is written.
    pub fn add_check_directive(&mut self, value: &str, span: Span) {
        for part in value.split(';') {
            let Some((key, val)) = part.split_once('=') else {
                if !part.trim().is_empty() {
                    self.malformed.push(MalformedPragma {
                        span,
                        message: format!("`check` directive part `{}` has no `=`", part.trim()),
                    });
                }
                continue;
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "skip" => {
                    let mut pragma = Pragma {
                        kind: PragmaKind::BuildkitCheck,
                        scope: Scope::File,
                        span,
                        codes: Vec::new(),
                        all: false,
                        reason: None,
                    };
                    for code in val.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                        if code.eq_ignore_ascii_case("all") {
                            pragma.all = true;
                        } else {
                            pragma.codes.push(SuppressedCode {
                                code: code.to_string(),
                                span,
                                used: Cell::new(false),
                            });
                        }
                    }
                    self.pragmas.push(pragma);
                }
                "error" => self.check_error = val.trim().eq_ignore_ascii_case("true"),
                other => self.malformed.push(MalformedPragma {
                    span,
                    message: format!("unknown `check` directive option `{other}`"),
                }),
            }
        }
    }

    fn add_comment(&mut self, c: Comment<'_>) {
        let Some(body) = c.text.trim_start().strip_prefix('#') else {
            return;
        };
        // Offset of `body` inside the comment text, to give each code its own span.
        let body_at = c.text.len() - body.len();
        let trimmed = body.trim_start();
        let mut at = body_at + (body.len() - trimmed.len());
        let (tool, rest) = split_word(trimmed);
        let kind = if tool.eq_ignore_ascii_case("whittle") {
            PragmaKind::Whittle
        } else if tool.eq_ignore_ascii_case("hadolint") {
            PragmaKind::Hadolint
        } else {
            return;
        };
        at += trimmed.len() - rest.len();
        let rest_trimmed = rest.trim_start();
        at += rest.len() - rest_trimmed.len();
        let mut rest = rest_trimmed;

        let mut global = false;
        let (word, after) = split_word(rest);
        // "# whittle is great" is prose, not a pragma: a pragma's first word is `global`,
        // `ignore` or some `key=`.
        let is_pragma = word.eq_ignore_ascii_case("global")
            || word.eq_ignore_ascii_case("ignore")
            || after.trim_start().starts_with('=');
        if !is_pragma {
            return;
        }
        if word.eq_ignore_ascii_case("global") {
            global = true;
            let t = after.trim_start();
            at += rest.len() - t.len();
            rest = t;
        }

        let (reason, directive) = match rest.find(" -- ") {
            Some(i) => (
                Some(rest[i + 4..].trim().to_string()).filter(|r| !r.is_empty()),
                &rest[..i],
            ),
            None => (None, rest),
        };
        let Some((key, value)) = directive.split_once('=') else {
            self.malformed(c, kind, "expected `ignore=CODE,...`");
            return;
        };
        let key = key.trim();
        if kind == PragmaKind::Hadolint && key.eq_ignore_ascii_case("shell") && !global {
            self.shell = Some(value.trim().to_string());
            return;
        }
        if !key.eq_ignore_ascii_case("ignore") {
            self.malformed(c, kind, &format!("unknown option `{key}`"));
            return;
        }
        let value_at = at + directive.len() - value.len();
        // Codes are separated by commas and/or blanks (`DL3008, DL3009` and `DL3008 DL3009`).
        let mut codes = Vec::new();
        let mut start: Option<usize> = None;
        for (i, ch) in value
            .char_indices()
            .chain(std::iter::once((value.len(), ',')))
        {
            let separator = ch == ',' || ch.is_whitespace();
            match (separator, start) {
                (true, Some(s)) => {
                    let at = c.span.start + value_at + s;
                    codes.push(SuppressedCode {
                        code: value[s..i].to_string(),
                        span: Span::new(at, at + (i - s)),
                        used: Cell::new(false),
                    });
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if codes.is_empty() {
            self.malformed(c, kind, "`ignore=` lists no rule");
            return;
        }
        let scope = if global {
            Scope::File
        } else {
            match c.next_instruction {
                Some(span) => Scope::Instruction(span),
                None => {
                    self.malformed(c, kind, "`ignore=` is not followed by an instruction");
                    return;
                }
            }
        };
        self.pragmas.push(Pragma {
            kind,
            scope,
            span: c.span,
            codes,
            all: false,
            reason,
        });
    }

    fn malformed(&mut self, c: Comment<'_>, kind: PragmaKind, what: &str) {
        let tool = match kind {
            PragmaKind::Hadolint => "hadolint",
            _ => "whittle",
        };
        self.malformed.push(MalformedPragma {
            span: c.span,
            message: format!("malformed `{tool}` pragma: {what}"),
        });
    }

    /// Whether a diagnostic of `rule` at `span` is suppressed. Marks the matching codes as used
    /// (every matching code, so that none of them is reported as unused).
    pub fn is_suppressed(&self, rule: &RuleMeta, span: Span) -> bool {
        let mut suppressed = false;
        for p in &self.pragmas {
            let applies = match p.scope {
                Scope::File => true,
                Scope::Instruction(inst) => {
                    (inst.start <= span.start && span.start < inst.end)
                        || (span.is_empty() && span.start == inst.end)
                }
            };
            if !applies {
                continue;
            }
            if p.kind == PragmaKind::BuildkitCheck {
                let buildkit_names = rule
                    .aliases
                    .iter()
                    .filter_map(|a| strip_prefix_ignore_case(a, BUILDKIT_PREFIX));
                for name in buildkit_names {
                    if p.all {
                        suppressed = true;
                    }
                    for code in &p.codes {
                        if code.code.eq_ignore_ascii_case(name) {
                            code.used.set(true);
                            suppressed = true;
                        }
                    }
                }
                continue;
            }
            for code in &p.codes {
                if rule.is_named(&code.code) {
                    code.used.set(true);
                    suppressed = true;
                }
            }
        }
        suppressed
    }

    /// Codes that suppressed nothing so far (call after every diagnostic went through
    /// [`is_suppressed`](Self::is_suppressed)). BuildKit `check=skip` codes are left out: that
    /// directive is for Docker, which tolerates unknown names.
    pub fn unused(&self) -> Vec<(&Pragma, &SuppressedCode)> {
        self.pragmas
            .iter()
            .filter(|p| p.kind != PragmaKind::BuildkitCheck)
            .flat_map(|p| p.codes.iter().map(move |c| (p, c)))
            .filter(|(_, c)| !c.was_used())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.pragmas.is_empty()
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// The first word (up to whitespace or `=`) and the rest.
fn split_word(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::descriptor::{Category, ContextUse, FixKind, SharedStr};
    use crate::diagnostic::Severity;

    const fn rule(
        id: &'static str,
        name: &'static str,
        alias: &'static [&'static str],
    ) -> RuleMeta {
        RuleMeta {
            id: SharedStr::new(id),
            name: SharedStr::new(name),
            category: Category::Style,
            severity: Severity::Info,
            fix: FixKind::None,
            aliases: alias,
            default_enabled: true,
            context: ContextUse::None,
            options: &[],
            doc: SharedStr::new(""),
        }
    }
    static APT: RuleMeta = rule("WH301", "apt-lists-not-cleaned", &["DL3009"]);
    static CASING: RuleMeta = rule("WH501", "stage-name-casing", &["buildkit:StageNameCasing"]);

    fn comment(text: &str, at: usize, next: Option<Span>) -> Comment<'_> {
        Comment {
            text,
            span: Span::new(at, at + text.len()),
            next_instruction: next,
        }
    }

    #[test]
    fn next_instruction_ignore_by_id_name_and_alias() {
        let inst = Span::new(100, 150);
        for text in [
            "# whittle ignore=WH301",
            "#whittle ignore = apt-lists-not-cleaned",
            "# hadolint ignore=DL3008,DL3009",
            "# WHITTLE ignore=wh301 -- lists are removed by the base image's hook",
        ] {
            let s = Suppressions::from_comments([comment(text, 80, Some(inst))]);
            assert!(s.is_suppressed(&APT, Span::new(120, 130)), "{text}");
            assert!(!s.is_suppressed(&APT, Span::new(150, 160)), "{text}");
            assert!(!s.is_suppressed(&CASING, Span::new(120, 130)), "{text}");
        }
    }

    #[test]
    fn reason_and_code_spans() {
        let text = "# whittle ignore=WH301, WH999 -- because";
        let s = Suppressions::from_comments([comment(text, 10, Some(Span::new(60, 70)))]);
        let p = &s.pragmas[0];
        assert_eq!(p.reason.as_deref(), Some("because"));
        let spans: Vec<&str> = p
            .codes
            .iter()
            .map(|c| &text[c.span.start - 10..c.span.end - 10])
            .collect();
        assert_eq!(spans, ["WH301", "WH999"]);
        // Blanks separate codes too.
        let text = "# hadolint ignore=DL3008 DL3009";
        let s = Suppressions::from_comments([comment(text, 0, Some(Span::new(40, 50)))]);
        let codes: Vec<&str> = s.pragmas[0].codes.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["DL3008", "DL3009"]);
        assert_eq!(s.pragmas[0].codes[1].span.text(text), "DL3009");
    }

    #[test]
    fn global_ignore_covers_the_file_and_unused_codes_are_reported() {
        let s = Suppressions::from_comments([
            comment("# whittle global ignore=WH301,WH999", 0, None),
            comment("# hadolint global ignore=DL3009", 40, None),
        ]);
        assert!(s.is_suppressed(&APT, Span::new(500, 510)));
        let unused: Vec<&str> = s.unused().iter().map(|(_, c)| c.code.as_str()).collect();
        assert_eq!(unused, ["WH999"]);
    }

    #[test]
    fn buildkit_check_skip() {
        let mut s = Suppressions::default();
        s.add_check_directive("skip=StageNameCasing;error=true", Span::new(0, 30));
        assert!(s.is_suppressed(&CASING, Span::new(40, 41)));
        assert!(!s.is_suppressed(&APT, Span::new(40, 41)));
        assert!(s.check_error);
        let mut all = Suppressions::default();
        all.add_check_directive("skip=all", Span::new(0, 10));
        assert!(all.is_suppressed(&CASING, Span::new(40, 41)));
        // `all` means Docker's checks, not every whittle rule.
        assert!(!all.is_suppressed(&APT, Span::new(40, 41)));
        assert!(all.unused().is_empty());
    }

    #[test]
    fn shell_pragma_and_ordinary_comments() {
        let s = Suppressions::from_comments([
            comment("# hadolint shell=bash", 0, Some(Span::new(30, 40))),
            comment("# install the tools", 50, Some(Span::new(70, 80))),
            comment("# whittle is nice", 90, Some(Span::new(110, 120))),
        ]);
        assert_eq!(s.shell.as_deref(), Some("bash"));
        assert!(s.is_empty());
        assert!(s.malformed.is_empty());
    }

    #[test]
    fn malformed_pragmas() {
        let s = Suppressions::from_comments([
            comment("# whittle ignore=", 0, Some(Span::new(30, 40))),
            comment("# whittle ignore=WH301", 50, None),
            comment("# whittle disable=WH301", 60, Some(Span::new(90, 99))),
        ]);
        assert!(s.is_empty());
        assert_eq!(s.malformed.len(), 3);
        assert!(s.malformed[2].message.contains("`disable`"));
    }
}
