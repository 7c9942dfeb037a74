//! WH233 `add-instead-of-copy`: see `rules/WH233.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::syntax::{Dockerfile, InstructionView};

pub struct AddInsteadOfCopy;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH233"),
    name: SharedStr::new("add-instead-of-copy"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3020", "DS-0005", "CKV_DOCKER_4"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH233.md")),
};

/// Names of the tar archives `ADD` unpacks (plain, gzip, bzip2, xz; zstd on newer BuildKit).
const ARCHIVE_SUFFIXES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".taz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
];

/// A remote source: fetched, not copied (`https://`, `git@host:repo`).
pub(crate) fn is_remote(src: &str) -> bool {
    src.contains("://") || src.starts_with("git@")
}

/// A source `ADD` might unpack: an archive name, or a pattern or variable that could be one.
fn may_be_archive(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s))
        || lower.ends_with('*')
        || lower.ends_with('?')
        || lower.ends_with(']')
        || lower.contains('$')
}

impl Rule for AddInsteadOfCopy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        for ins in &file.instructions {
            let InstructionView::Add(view) = ins.view() else {
                continue;
            };
            if view.sources.is_empty() || view.sources.iter().any(|s| is_remote(&s.value)) {
                continue;
            }
            // An archive is what ADD is for (it unpacks it).
            if view.sources.iter().any(|s| may_be_archive(&s.value)) {
                continue;
            }
            let builder = cx.report(
                ins.keyword_span,
                "`ADD` of local files: use `COPY`, which does only that",
            );
            // Flags only ADD knows have no COPY spelling.
            if view.checksum.is_some() || view.keep_git_dir.is_some() || view.unpack.is_some() {
                continue;
            }
            builder.safe_fix(
                "Use `COPY`",
                vec![Edit::replace(
                    ins.keyword_span,
                    // Keep the file's keyword case.
                    if file.text(ins.keyword_span) == "add" {
                        "copy"
                    } else {
                        "COPY"
                    },
                )],
            );
        }
    }
}
