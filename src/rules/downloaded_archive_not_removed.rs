//! WH310 `downloaded-archive-not-removed`: see `rules/WH310.md`.

use super::helpers::run_commands::{RunCommand, image_stages, run_commands};
use crate::placement::Follower;
use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::Dockerfile;

pub struct DownloadedArchiveNotRemoved;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH310"),
    name: SharedStr::new("downloaded-archive-not-removed"),
    category: Category::ImageSize,
    severity: Severity::Warning,
    fix: FixKind::Safe,
    aliases: &[],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH310.md")),
};

/// The file name a URL is saved under by `curl -O` or `wget`: its last segment, a query included
/// (wget keeps it in the name).
fn remote_name(url: &str) -> Option<String> {
    let path = url.split('#').next()?;
    let name = path.rsplit('/').next()?;
    (!name.is_empty() && !path.ends_with("://")).then(|| name.to_string())
}

/// `-fsSL`: single-dash letters only.
fn is_bundle(word: &str) -> bool {
    word.len() > 2
        && word.starts_with('-')
        && !word.starts_with("--")
        && word[1..].chars().all(|c| c.is_ascii_alphabetic())
}

/// The file a `curl` or `wget` command writes, when the command names it literally.
fn downloaded_file(c: &RunCommand<'_>) -> Option<String> {
    let name = c.name()?;
    let w = &c.words;
    let url = w.iter().skip(1).find(|x| x.contains("://"));
    let mut out: Option<String> = None;
    let mut remote = false;
    let mut i = 1;
    while let Some(word) = w.get(i) {
        let next = w.get(i + 1).cloned();
        match (name, word.as_str()) {
            ("curl", "-o" | "--output") | ("wget", "-O" | "--output-document") => {
                out = next;
                i += 1;
            }
            ("curl", "-O" | "--remote-name") => remote = true,
            ("curl", x) if x.starts_with("--output=") => {
                out = x.strip_prefix("--output=").map(str::to_string);
            }
            ("wget", x) if x.starts_with("--output-document=") => {
                out = x.strip_prefix("--output-document=").map(str::to_string);
            }
            // A bundle of short options: `-fsSLo FILE`, `-fsSLO`, `wget -qO FILE`.
            (_, x) if is_bundle(x) && x.ends_with(if name == "curl" { 'o' } else { 'O' }) => {
                out = next;
                i += 1;
            }
            ("curl", x) if is_bundle(x) && x.contains('O') => remote = true,
            ("curl", x) if x.starts_with("-o") && x.len() > 2 && !x.starts_with("--") => {
                out = Some(x[2..].to_string());
            }
            ("wget", x) if x.starts_with("-O") && x.len() > 2 && !x.starts_with("--") => {
                out = Some(x[2..].to_string());
            }
            _ => {}
        }
        i += 1;
    }
    let file = match (name, out) {
        (_, Some(f)) => f,
        ("curl", None) if remote => remote_name(url?)?,
        ("wget", None) => remote_name(url?)?,
        _ => return None,
    };
    // Written to stdout, or a name only known at build time.
    if file == "-" || file.contains('$') || file.contains('*') {
        return None;
    }
    Some(file)
}

/// The archive a `tar` extraction or an `unzip` reads.
fn extracted_file(c: &RunCommand<'_>) -> Option<String> {
    let w = &c.words;
    match c.name()? {
        "tar" => {
            let mut extract = false;
            let mut file = None;
            for (i, word) in w.iter().enumerate().skip(1) {
                if let Some(f) = word.strip_prefix("--file=") {
                    file = Some(f.to_string());
                } else if word == "--file" {
                    file = w.get(i + 1).cloned();
                } else if word == "--extract" || word == "--get" {
                    extract = true;
                } else if !word.starts_with("--") && (word.starts_with('-') || i == 1) {
                    let letters = word.trim_start_matches('-');
                    if letters.contains('x') {
                        extract = true;
                    }
                    if letters.ends_with('f') {
                        file = w.get(i + 1).cloned();
                    }
                }
            }
            file.filter(|_| extract)
        }
        "unzip" => {
            let mut i = 1;
            while let Some(word) = w.get(i) {
                if word == "-d" || word == "-x" {
                    i += 2;
                    continue;
                }
                if !word.starts_with('-') {
                    return Some(word.clone());
                }
                i += 1;
            }
            None
        }
        _ => None,
    }
}

/// `rm` of `file` (by the same name, or with `*` patterns in its last segment).
fn removes(c: &RunCommand<'_>, file: &str) -> bool {
    c.name() == Some("rm")
        && c.words.iter().skip(1).any(|w| {
            w == file
                || w.split_once('*').is_some_and(|(pre, post)| {
                    file.starts_with(pre)
                        && file.ends_with(post)
                        && file.len() >= pre.len() + post.len()
                })
        })
}

impl Rule for DownloadedArchiveNotRemoved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        let stages = image_stages(sem);
        let cmds = run_commands(sem);
        for (k, c) in cmds.iter().enumerate() {
            if !stages.contains(&c.stage) {
                continue;
            }
            let Some(archive) = extracted_file(c) else {
                continue;
            };
            let same_run = |o: &&RunCommand<'_>| o.instruction == c.instruction;
            // Downloaded earlier in this RUN under the same name.
            let downloaded = cmds[..k]
                .iter()
                .filter(same_run)
                .any(|o| downloaded_file(o).as_deref() == Some(archive.as_str()));
            if !downloaded
                || cmds
                    .iter()
                    .filter(same_run)
                    .any(|o| o.position() > c.position() && removes(o, &archive))
            {
                continue;
            }
            let builder = cx.report(
                c.file_span(),
                format!("`{archive}` is extracted but not removed in the same `RUN`: the archive stays in the image"),
            );
            // Safe only when nothing later in the file mentions the archive.
            let base = archive.rsplit('/').next().unwrap_or(&archive);
            let later_use = file
                .instructions
                .iter()
                .skip(c.instruction + 1)
                .any(|i| file.text(i.span).contains(base));
            let plain = archive
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "._-/+@".contains(ch));
            if later_use || !plain {
                continue;
            }
            let rm = format!("rm -f {archive}");
            // After the last command of the RUN that names the archive, on its path.
            let last_use = cmds
                .iter()
                .filter(same_run)
                .filter(|o| o.position() >= c.position())
                .rfind(|o| o.words.iter().any(|w| w.contains(base)))
                .unwrap_or(c);
            if let Ok(edits) = last_use.follow_with(file, &rm, Follower::CannotFail) {
                builder.safe_fix(format!("Append `{rm}`"), edits);
            }
        }
    }
}
