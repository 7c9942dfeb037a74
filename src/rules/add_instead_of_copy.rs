//! WH233 `add-instead-of-copy`: see `rules/WH233.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::build_context::FileContent;
use crate::diagnostic::Severity;
use crate::fix::{Applicability, Edit};
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
    context: ContextUse::Files,
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

/// A source word without the quotes around it.
fn unquoted(word: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|q| word.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(word)
}

/// Whether the first bytes of a file are an archive ADD unpacks: tar (`ustar` at 257), or gzip,
/// bzip2, xz or zstd compression (BuildKit unpacks compressed tars; a compressed non-tar fails to
/// unpack and is copied, which the build would show).
pub(crate) fn is_archive(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
        || head.starts_with(&[0x1f, 0x8b])
        || head.starts_with(b"BZh")
        || head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00])
        || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
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
            // ADD decides by content, not by name: a tar under another name is unpacked too.
            // What each source holds, when the build context is known.
            let contents: Vec<FileContent> = view
                .sources
                .iter()
                .map(|s| match (cx.build_context(), &view.from) {
                    (Some(bc), None) => bc.read(unquoted(&s.value)),
                    _ => FileContent::Unknown,
                })
                .collect();
            if contents.iter().any(|c| match c {
                FileContent::Bytes(b) => is_archive(b),
                _ => false,
            }) {
                continue;
            }
            let known = contents.iter().all(|c| !matches!(c, FileContent::Unknown));
            let builder = cx.report(
                ins.keyword_span,
                "`ADD` of local files: use `COPY`, which does only that",
            );
            // Flags only ADD knows have no COPY spelling.
            if view.checksum.is_some() || view.keep_git_dir.is_some() || view.unpack.is_some() {
                continue;
            }
            // Without the files, a misnamed archive cannot be ruled out: only with
            // `--unsafe-fixes`.
            let applicability = if known {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            builder.fix(
                "Use `COPY`",
                applicability,
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
