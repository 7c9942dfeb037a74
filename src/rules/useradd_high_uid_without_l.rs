//! WH353 `useradd-high-uid-without-l`: see `rules/WH353.md`.

use super::helpers::run_commands::{insert_after_word, run_commands};
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct UseraddHighUidWithoutL;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH353"),
    name: SharedStr::new("useradd-high-uid-without-l"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &["DL3046"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH353.md")),
};

/// Above this UID the sparse `/var/log/lastlog` (and `faillog`) entry lands far enough into the
/// file that copying the layer materializes gigabytes (hadolint's threshold too).
const HIGH_UID: u64 = 99_999;

impl Rule for UseraddHighUidWithoutL {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for c in run_commands(sem) {
            if c.name() != Some("useradd") {
                continue;
            }
            let words = &c.words;
            let no_log_init = words.iter().any(|w| {
                w == "-l"
                    || w == "--no-log-init"
                    || (w.starts_with('-')
                        && !w.starts_with("--")
                        && w.len() > 2
                        && w[1..].chars().all(|ch| ch.is_ascii_alphabetic())
                        && w.contains('l'))
            });
            if no_log_init {
                continue;
            }
            let uid = words.iter().enumerate().find_map(|(i, w)| {
                if w == "-u" || w == "--uid" {
                    words.get(i + 1).map(String::as_str)
                } else {
                    w.strip_prefix("--uid=")
                        .or_else(|| w.strip_prefix("-u").filter(|r| !r.is_empty()))
                }
            });
            let Some(uid) = uid.and_then(|u| u.parse::<u64>().ok()) else {
                continue;
            };
            if uid <= HIGH_UID {
                continue;
            }
            let builder = cx.report(
                c.file_span(),
                format!("`useradd` with UID {uid} and without `-l`: the sparse lastlog/faillog entry for it can add gigabytes to the layer"),
            );
            if let Some(first) = c.argv.first()
                && !first.has_expansion
            {
                builder.safe_fix(
                    "Add `-l` (`--no-log-init`)",
                    vec![insert_after_word(c.run, first, "-l")],
                );
            }
        }
    }
}
