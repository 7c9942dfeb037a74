//! WH211 `copy-ignored-file`: see `rules/WH211.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::build_context::local_sources;
use crate::diagnostic::Severity;
use crate::dockerignore::Matcher;
use crate::syntax::Dockerfile;

pub struct CopyIgnoredFile;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH211"),
    name: SharedStr::new("copy-ignored-file"),
    category: Category::Correctness,
    severity: Severity::Info,
    fix: FixKind::None,
    aliases: &["buildkit:CopyIgnoredFile"],
    default_enabled: true,
    context: ContextUse::SentFilesWhenCopyingWildcard,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH211.md")),
};

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let Some(bc) = cx.build_context().and_then(|b| b.located()) else {
            return;
        };
        let Some(ignore) = &bc.ignore else {
            return;
        };
        for src in local_sources(file) {
            // The root is always sent (BuildKit's check flags `COPY .` under `*` + exceptions,
            // a known false positive: moby/buildkit#6512), but with no exception an ignore file
            // that excludes every name (`*`, `**`, `**/*`) leaves nothing to copy.
            if src.path == "." {
                let everything = !ignore.has_exceptions()
                    && ["a", ".a", "a.b"].iter().all(|n| ignore.excluded_by(n).is_some());
                if let Some(pattern) = everything.then(|| ignore.excluded_by("a")).flatten() {
                    let verb = if src.is_add { "ADD" } else { "COPY" };
                    cx.report(
                        src.span,
                        format!(
                            "{verb} of `.` copies nothing: {} excludes every file of the build \
                             context (line {}: `{}`) and re-includes none with `!`",
                            bc.ignore_name(),
                            pattern.line(),
                            pattern.as_str(),
                        ),
                    );
                }
                continue;
            }
            // Like BuildKit, a wildcard source is tested as written (`*.pem` under `*.pem`).
            let Some(pattern) = ignore.excluded_by(&src.path) else {
                continue;
            };
            let still_sent = if src.wildcard {
                // Some sent file matches the wildcard: the COPY finds something.
                let glob = Matcher::new(&[src.path.as_str()]).ok();
                match (&bc.sent_files, glob) {
                    (Some(files), Some(glob)) => files.iter().any(|f| glob.is_excluded(f)),
                    _ => false,
                }
            } else {
                // An excluded directory an exception re-includes files from is still sent.
                ignore.may_reinclude_inside(&src.path)
                    && bc
                        .sent_under(&src.path)
                        .is_none_or(|mut it| it.next().is_some())
            };
            if still_sent {
                continue;
            }
            let verb = if src.is_add { "ADD" } else { "COPY" };
            cx.report(
                src.span,
                format!(
                    "{verb} of `{}`, which {} excludes (line {}: `{}`): it is not in the build \
                     context, so the build fails or copies nothing",
                    src.path,
                    bc.ignore_name(),
                    pattern.line(),
                    pattern.as_str(),
                ),
            );
        }
    }
}
