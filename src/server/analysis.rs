//! Linting one open document, through the same library calls and resolved settings as
//! `whittle check` (configuration, suppressions, build context), and checking `.dockerignore`
//! documents.

use super::documents::{Document, Kind};
use super::workspace::Workspace;
use crate::build_context::BuildContext;
use crate::cli::settings::FileSettings;
use crate::descriptor::RuleMeta;
use crate::diagnostic::{Diagnostic, Severity};
use crate::dockerignore::{Matcher, read_ignore_file};
use crate::fix::{Applicability, apply_once};
use crate::lint::{Settings, fix_source, lint_report_with};
use crate::rules::all_rules;
use crate::syntax::{self, Span};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// A problem that is not a rule's finding: an unreadable configuration, an invalid
/// `.dockerignore` pattern, an internal error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub severity: Severity,
    /// A short tag shown as the diagnostic's code (`configuration`, `dockerignore`).
    pub code: &'static str,
    pub message: String,
}

/// What the server knows about one version of one document.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub version: i32,
    /// The rules' findings on the document's text, sorted by span.
    pub diagnostics: Vec<Diagnostic>,
    pub problems: Vec<Problem>,
    /// The resolved settings the rules ran with (`None` when they could not be resolved).
    pub settings: Option<Arc<FileSettings>>,
    pub context: Option<Arc<BuildContext>>,
}

impl Analysis {
    /// The settings for the fix loop: the file's settings with its build context.
    fn fix_settings(&self) -> Option<Settings> {
        let fs = self.settings.as_ref()?;
        Some(Settings {
            build_context: self.context.clone().or(fs.settings.build_context.clone()),
            ..fs.settings.clone()
        })
    }

    /// The rule an ID, name or alias names: among the rules this document's configuration
    /// runs (custom rules included), else among the built-in ones.
    pub fn rule(&self, code: &str) -> Option<&RuleMeta> {
        let running = self
            .settings
            .iter()
            .flat_map(|s| s.rules.iter().map(|r| r.meta()));
        let builtin = all_rules().iter().map(|r| r.meta());
        running.chain(builtin).find(|m| m.is_named(code))
    }

    /// Whether inline `# whittle ignore=` pragmas are honoured for this document.
    pub fn pragmas_honoured(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| !s.settings.ignore_inline_pragmas)
    }

    /// The text after applying every fix at `level` to a fixpoint, exactly as
    /// `whittle check --fix` would write it; `None` when nothing changes.
    pub fn fix_all(&self, text: &str, level: Applicability) -> Option<String> {
        let settings = self.fix_settings()?;
        let outcome = guarded(|| fix_source(text, &settings, level))?;
        outcome.changed(text).then_some(outcome.text)
    }
}

/// The text after applying one diagnostic's fix (safe or unsafe; display-only fixes are never
/// applied), through the engine's own edit application (line endings, BOM).
pub fn apply_fix(text: &str, diagnostic: &Diagnostic) -> Option<String> {
    let fix = diagnostic.fix.as_ref()?;
    if !fix.applies_at(Applicability::Unsafe) {
        return None;
    }
    let (fixed, n) = apply_once(text, [fix], Applicability::Unsafe);
    (n > 0 && fixed != text).then_some(fixed)
}

/// Lint `doc` (a Dockerfile) or check its patterns (a `.dockerignore`).
pub fn analyze(doc: &Document, ws: &Workspace) -> Analysis {
    let mut analysis = Analysis {
        version: doc.version,
        ..Analysis::default()
    };
    match doc.kind {
        Kind::Dockerfile => lint_dockerfile(doc, ws, &mut analysis),
        Kind::Dockerignore => analysis.problems = dockerignore_problems(&doc.text),
        Kind::Other => {}
    }
    analysis
}

fn lint_dockerfile(doc: &Document, ws: &Workspace, out: &mut Analysis) {
    let lookup = ws.lookup_path(doc.path.as_deref());
    let settings = match ws.settings_for(&lookup) {
        Ok(s) => s,
        Err(message) => {
            out.problems.push(Problem {
                span: Span::empty(0),
                severity: Severity::Error,
                code: "configuration",
                message,
            });
            return;
        }
    };
    let result = guarded(|| {
        let parsed = syntax::parse(&doc.text);
        let context = doc
            .path
            .as_deref()
            .and_then(|p| ws.context_for(p, &parsed, &settings))
            .map(Arc::new);
        let report = lint_report_with(
            &parsed,
            &settings.settings,
            &settings.rules,
            context.as_deref(),
        );
        (report.diagnostics, context)
    });
    match result {
        Some((diagnostics, context)) => {
            out.diagnostics = diagnostics;
            out.context = context;
        }
        None => out.problems.push(Problem {
            span: Span::empty(0),
            severity: Severity::Error,
            code: "internal-error",
            message: "whittle failed on this file (a bug: please report it with the file)"
                .to_string(),
        }),
    }
    out.settings = Some(settings);
}

/// Run `f`, turning a panic (a bug) into `None` so one file cannot stop the server.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

/// Every pattern of a `.dockerignore` text that Docker would reject (the build fails on it).
pub fn dockerignore_problems(text: &str) -> Vec<Problem> {
    // Byte offset of each `\n`-separated line, as the ignore-file reader numbers them.
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    let mut out = Vec::new();
    for line in read_ignore_file(text) {
        let Err(e) = Matcher::new(&[line.pattern.as_str()]) else {
            continue;
        };
        let start = starts.get(line.line - 1).copied().unwrap_or(0);
        let end = starts
            .get(line.line)
            .map_or(text.len(), |&next| next - 1)
            .max(start);
        let raw = &text[start..end];
        let trimmed_end = start + raw.trim_end().len();
        let lead = raw.len() - raw.trim_start().len();
        out.push(Problem {
            span: Span::new((start + lead).min(trimmed_end), trimmed_end),
            severity: Severity::Error,
            code: "dockerignore",
            message: format!(
                "invalid pattern `{}`: {} (docker build fails on it)",
                e.pattern, e.reason
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_dockerignore_patterns_point_at_their_line() {
        let text = "node_modules\n  [z-a]  \r\n!\n*.log\n";
        let p = dockerignore_problems(text);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(&text[p[0].span.start..p[0].span.end], "[z-a]");
        assert_eq!(&text[p[1].span.start..p[1].span.end], "!");
        assert!(dockerignore_problems("a\n# [\n").is_empty());
    }
}
