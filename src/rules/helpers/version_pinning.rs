//! Shared by the version-pinning rules (WH252-WH260): registry packages installed without a
//! version, read through the package-manager table (`pin` syntax, options that take values,
//! local files, lockfile installs). One rule per manager family so each can be turned on or off,
//! as hadolint's DL3008, DL3013 ... are.

use super::run_commands::run_commands;
use crate::package_managers::Action;
use crate::rules::Context;

/// Tools whose own upgrade (`pip install --upgrade pip`) is not a dependency of the app.
const SELF_UPGRADES: [&str; 4] = ["pip", "setuptools", "wheel", "npm"];

/// Report every unpinned registry package installed by one of `managers` (table names);
/// `subcommands`, when given, limits which install subcommands count (`go install`, not
/// `go get`). `how` shows the pinned spelling in the message.
pub fn report_unpinned(
    cx: &mut Context<'_>,
    managers: &[&str],
    subcommands: Option<&[&str]>,
    how: &str,
) {
    let sem = cx.semantic();
    for c in run_commands(sem) {
        let Some(inv) = c.package() else { continue };
        if inv.action != Action::Install || !managers.contains(&inv.manager.name) {
            continue;
        }
        let sub = inv.subcommand_text(c.words).unwrap_or_default();
        if subcommands.is_some_and(|s| !s.contains(&sub.as_str())) {
            continue;
        }
        let upgrade = c.words.iter().any(|w| w == "--upgrade" || w == "-U");
        for i in inv.unpinned_packages(c.words) {
            let Some(word) = c.words.get(i) else { continue };
            if upgrade && SELF_UPGRADES.contains(&word.as_str()) {
                continue;
            }
            // A module's stream is its version line (`dnf module install nodejs:20`).
            if sub == "module install" && word.contains(':') {
                continue;
            }
            let Some(span) = c.word_file_span(i) else {
                continue;
            };
            // `pip`, or `python3 -m pip` as written
            let tool = c
                .words
                .get(..inv.command_words)
                .map(|w| w.join(" "))
                .unwrap_or_else(|| inv.manager.name.to_string());
            cx.report(
                span,
                format!(
                    "`{tool} {sub} {word}` installs whatever version is current: pin it ({how})"
                ),
            );
        }
    }
}
