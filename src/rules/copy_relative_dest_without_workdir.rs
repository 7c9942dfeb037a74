//! WH218 `copy-relative-dest-without-workdir`: see `rules/WH218.md`.

use super::{Category, Context, ContextUse, FixKind, Rule, RuleMeta, SharedStr};
use crate::diagnostic::Severity;
use crate::syntax::{Dockerfile, InstructionView};

pub struct CopyRelativeDestWithoutWorkdir;

static META: RuleMeta = RuleMeta {
    id: SharedStr::new("WH218"),
    name: SharedStr::new("copy-relative-dest-without-workdir"),
    category: Category::Correctness,
    severity: Severity::Warning,
    fix: FixKind::None,
    aliases: &["DL3045"],
    default_enabled: true,
    context: ContextUse::None,
    options: &[],
    doc: SharedStr::new(include_str!("../../rules/WH218.md")),
};

/// Whether a WORKDIR (relative ones included: WH206 reports those) comes before instruction
/// `at` in its stage or the stages it is built on.
fn workdir_before(file: &Dockerfile, sem: &crate::semantic::Semantic, at: usize) -> bool {
    let Some(mut stage) = sem.stage_of(at) else {
        return false;
    };
    let mut end = at;
    for _ in 0..=sem.stages.len() {
        if (stage.from..end).any(|i| {
            file.instructions
                .get(i)
                .is_some_and(|x| x.keyword == crate::syntax::Keyword::Workdir)
        }) {
            return true;
        }
        match stage.base.stage.and_then(|p| sem.stages.get(p)) {
            Some(parent) if parent.index < stage.index => {
                end = parent.body.end;
                stage = parent;
            }
            _ => return false,
        }
    }
    false
}

impl Rule for CopyRelativeDestWithoutWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, file: &Dockerfile, cx: &mut Context<'_>) {
        let sem = cx.semantic();
        for (i, ins) in file.instructions.iter().enumerate() {
            let (verb, copy) = match ins.view() {
                InstructionView::Copy(c) => ("COPY", c),
                InstructionView::Add(c) => ("ADD", c),
                _ => continue,
            };
            let Some(dest) = &copy.dest else { continue };
            let value = dest.value.trim_matches('"');
            // `C:/app` and `C:\\app` are absolute on Windows images.
            let drive = value.as_bytes().get(1) == Some(&b':')
                && value.as_bytes()[0].is_ascii_alphabetic();
            if value.starts_with('/') || value.starts_with('$') || value.is_empty() || drive {
                continue;
            }
            let Some(state) = sem.states.get(i) else {
                continue;
            };
            if state.workdir.is_some() || workdir_before(file, sem, i) {
                continue;
            }
            // The chain of stages this one is built from: a WORKDIR in any of them counts.
            // `state.workdir` already follows `FROM <stage>`; what is left is an external base.
            let Some(root) = state.stage.and_then(|s| sem.root_stage(s)) else {
                continue;
            };
            // scratch has no WORKDIR: `/`. An image from a registry may set one we cannot see;
            // only the well-known bases that do not are reported.
            let known_without_workdir = root.base.repository.as_deref().is_some_and(|r| {
                let full = match &root.base.registry {
                    Some(reg) => format!("{reg}/{r}"),
                    None => r.to_string(),
                };
                crate::base_images::image_config(&full).is_some_and(|c| c.workdir.is_none())
            });
            let base_sets_none = root.base.is_scratch
                || known_without_workdir
                || root.base.repository.as_deref().is_some_and(|r| {
                    matches!(
                        r.trim_start_matches("library/"),
                        "debian"
                            | "ubuntu"
                            | "alpine"
                            | "busybox"
                            | "fedora"
                            | "centos"
                            | "rockylinux"
                            | "almalinux"
                            | "amazonlinux"
                            | "archlinux"
                            | "opensuse/leap"
                            | "opensuse/tumbleweed"
                            | "oraclelinux"
                    )
                });
            if !base_sets_none {
                continue;
            }
            cx.report(
                dest.span,
                format!("`{verb}` to the relative path `{value}` with no `WORKDIR` set: it lands under `/`; set a `WORKDIR` or write an absolute path"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, lint_source};

    #[test]
    fn a_relative_workdir_is_a_workdir() {
        let settings = Settings::only(["WH218"]);
        let src = "FROM debian:bookworm-slim\nWORKDIR app\nCOPY app.sh bin/\n";
        assert!(lint_source(src, &settings).diagnostics.is_empty());
        let m = lint_source("FROM debian:bookworm-slim\nCOPY app.sh bin/\n", &settings).diagnostics;
        assert_eq!(m.len(), 1);
        assert!(m[0].message.contains("WORKDIR"), "{}", m[0].message);
    }
}
