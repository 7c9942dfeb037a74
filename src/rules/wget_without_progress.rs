//! WH540 `wget-without-progress`: see `rules/WH540.md`.

use super::helpers::run_commands::{insert_after_word, run_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct WgetWithoutProgress;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH540"),
    name: SharedStr::new("wget-without-progress"),
    category: Category::Style,
    severity: Severity::Info,
    fix: FixKind::Safe,
    aliases: &["DL3047"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH540.md")),
};

/// Options after which wget prints no per-kilobyte progress: `-q` also inside a bundle
/// (`-qO-`), unless it comes after a letter that takes a value (`-Oq` writes to a file `q`).
fn quiet(word: &str) -> bool {
    const VALUE_SHORTS: &str = "aABDeiIloOPQtTUwXY";
    if matches!(word, "-q" | "--quiet" | "-nv" | "--no-verbose") || word.starts_with("--progress") {
        return true;
    }
    let Some(letters) = word.strip_prefix('-').filter(|l| !l.starts_with('-')) else {
        return false;
    };
    for ch in letters.chars() {
        if ch == 'q' {
            return true;
        }
        if VALUE_SHORTS.contains(ch) || !ch.is_ascii_alphabetic() {
            return false;
        }
    }
    false
}

impl Rule for WgetWithoutProgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            if c.name() != Some("wget") {
                continue;
            }
            if c.words.iter().skip(1).any(|w| quiet(w)) {
                continue;
            }
            // wget writes its progress to stderr: only a redirect of stderr silences it.
            let text = &c.run.text;
            if c.cmd.redirects.iter().any(|r| {
                text.get(r.span.start..r.span.end)
                    .is_some_and(|t| t.starts_with("2>") || t.starts_with("&>"))
            }) {
                continue;
            }
            let builder = cx.report(
                c.file_span(),
                "`wget` without `--progress` or `-q` writes a progress line per kilobyte into the build log",
            );
            if let Some(first) = c.argv.first()
                && !first.has_expansion
            {
                builder.safe_fix(
                    "Add `--progress=dot:giga`",
                    vec![insert_after_word(c.run, first, "--progress=dot:giga")],
                );
            }
        }
    }
}
