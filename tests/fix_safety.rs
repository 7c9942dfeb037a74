//! Regression tests for fixes that changed what the build does (docs/fix-safety.md). Each test
//! names the defect it guards; tests/fix-builds/ proves the same cases with real builds.

use assert_cmd::Command;
use whittle::base_images::slim_variant;
use whittle::fix::Applicability;
use whittle::lint::{Settings, fix_source, lint_source};

fn fixed(src: &str, rules: &[&str], level: Applicability) -> String {
    let settings = if rules.is_empty() {
        Settings::default()
    } else {
        Settings::only(rules.iter().copied())
    };
    let out = fix_source(src, &settings, level);
    assert!(out.converged, "did not converge:\n{src}");
    out.text
}

/// 1. A cleanup appended after `if ...; fi` ran whichever branch ran: with npm and no yarn,
///    `yarn cache clean` failed the build. Each cleanup now goes inside its branch.
#[test]
fn cleanups_stay_in_the_branch_of_their_tool() {
    let src = "FROM debian:bookworm-slim\n\
               RUN if [ -f yarn.lock ]; then yarn install --frozen-lockfile; else npm ci; fi\n";
    let out = fixed(src, &["WH306"], Applicability::Safe);
    assert!(
        out.contains("then yarn install --frozen-lockfile && yarn cache clean; else npm ci && npm cache clean --force; fi"),
        "{out}"
    );
    assert!(!out.contains("fi &&"), "{out}");
    // after `||`: grouped with the branch, not appended to the whole chain
    let src = "FROM debian:bookworm-slim\n\
               RUN command -v yarn && yarn install || npm ci\n";
    let out = fixed(src, &["WH306"], Applicability::Safe);
    assert!(
        out.contains("|| { npm ci && npm cache clean --force; }"),
        "{out}"
    );
    assert!(!out.contains("npm ci && yarn cache clean"), "{out}");
}

/// 1. `yarn --version` is a version probe, not an install: no `yarn cache clean` after it.
#[test]
fn version_probes_get_no_cleanup() {
    let src = "FROM debian:bookworm-slim\nRUN node --version && (yarn --version || true)\n";
    assert_eq!(fixed(src, &["WH306"], Applicability::Safe), src);
}

/// 2. A cache mount over /var/lib/apt hid the package lists an earlier RUN wrote.
#[test]
fn no_cache_mount_over_lists_from_an_earlier_layer() {
    let src = "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY motd /etc/motd\n\
               RUN apt-get install -y --no-install-recommends jq\n";
    let out = fixed(src, &["WH402"], Applicability::Unsafe);
    assert!(!out.contains("target=/var/lib/apt"), "{out}");
}

/// 3. `USER app` was inserted before ONBUILD steps and after `pip install --user` as root.
#[test]
fn no_user_switch_where_the_image_needs_root() {
    for src in [
        "FROM debian:bookworm-slim\nRUN mkdir -p /opt/site\nONBUILD COPY pages/ /opt/site/pages/\n\
         ONBUILD RUN build-site /opt/site\nCMD [\"cat\", \"/opt/site/index.txt\"]\n",
        "FROM debian:bookworm-slim\nRUN pip3 install --user --break-system-packages six\n\
         CMD [\"python3\", \"-c\", \"import six\"]\n",
    ] {
        let out = fixed(src, &["WH130"], Applicability::Unsafe);
        assert!(!out.contains("USER"), "{out}");
    }
}

/// 4. `--omit=dev` on an image whose npm (6, node 14) ignores it did nothing.
#[test]
fn npm_production_flag_follows_the_npm_version() {
    let src = "FROM node:14\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCMD [\"node\", \"s.js\"]\n";
    let out = fixed(src, &["WH311"], Applicability::Unsafe);
    assert!(out.contains("npm ci --production"), "{out}");
    let src = "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCMD [\"node\", \"s.js\"]\n";
    let out = fixed(src, &["WH311"], Applicability::Unsafe);
    assert!(out.contains("npm ci --omit=dev"), "{out}");
}

/// 5. A fix whose edits overlapped (two neighbouring late cleanups of one RUN) was dropped
///    without a word. It now applies; and no rule's fix overlaps itself on any fixture.
#[test]
fn neighbouring_late_cleanups_move_together() {
    let src = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n\
               RUN apt-get clean && rm -rf /var/lib/apt/lists/* && echo done\n";
    let out = fixed(src, &["WH304"], Applicability::Unsafe);
    assert_eq!(
        out,
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n\
         RUN echo done\n"
    );
}

#[test]
fn no_fix_overlaps_itself_on_any_fixture() {
    let mut checked = 0;
    let mut dirs = vec![std::path::PathBuf::from("tests/fixtures")];
    dirs.extend(
        std::fs::read_dir("tests/fix-builds")
            .expect("tests/fix-builds")
            .flatten()
            .map(|e| e.path()),
    );
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if !name.ends_with("Dockerfile") {
                continue;
            }
            let Ok(original) = std::fs::read_to_string(&path) else {
                continue;
            };
            let all = Settings {
                enabled: Some(
                    whittle::rules::all_rules()
                        .iter()
                        .map(|r| r.meta().id.to_string())
                        .collect(),
                ),
                ..Settings::default()
            };
            // The fixes of the file and of each text the fix passes produce on the way.
            let mut src = original.clone();
            for _pass in 0..10 {
                let diagnostics = lint_source(&src, &all).diagnostics;
                for d in &diagnostics {
                    let Some(fix) = &d.fix else { continue };
                    let mut spans: Vec<(usize, usize)> = fix
                        .edits
                        .iter()
                        .map(|e| (e.span.start, e.span.end))
                        .collect();
                    spans.sort();
                    for w in spans.windows(2) {
                        let ((_, a1), (b0, _)) = (w[0], w[1]);
                        assert!(
                            b0 >= a1,
                            "{}: {} `{}` has overlapping edits {:?}",
                            path.display(),
                            d.rule_id,
                            fix.title,
                            fix.edits
                        );
                    }
                    for e in &fix.edits {
                        assert!(
                            e.span.end <= src.len() && src.is_char_boundary(e.span.start),
                            "{}: {} edit out of range",
                            path.display(),
                            d.rule_id
                        );
                    }
                    checked += 1;
                }
                let (next, n) = whittle::fix::apply_once(
                    &src,
                    diagnostics.iter().filter_map(|d| d.fix.as_ref()),
                    Applicability::Unsafe,
                );
                if n == 0 || next == src {
                    break;
                }
                src = next;
            }
        }
    }
    // (fewer since the image-purpose checks: toolchain images get no WH307/WH311/WH130)
    assert!(checked > 200, "only {checked} fixes checked");
}

/// 6. `whittle fix --diff FILE` wrote the file and printed no diff.
#[test]
fn fix_subcommand_with_diff_never_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Dockerfile");
    let src = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n";
    std::fs::write(&path, src).expect("write");
    let out = Command::cargo_bin("whittle")
        .expect("binary")
        .args(["fix", "--diff"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), src);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("+RUN apt-get update"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

/// 7. Suggested bases that cannot work: an Ubuntu JRE for an Alpine image, JRE versions that
///    do not exist, a Linux image for a Windows one.
#[test]
fn base_suggestions_exist_and_keep_the_os() {
    assert!(slim_variant("openjdk", "17-jdk-alpine").is_none());
    for v in ["13", "12", "7"] {
        assert!(slim_variant("openjdk", v).is_none(), "openjdk:{v}");
    }
    assert!(slim_variant("openjdk", "11-windowsservercore").is_none());
    assert!(slim_variant("openjdk", "17").is_some());
}

/// 8. A cleanup moved into the install RUN must never pass a RUN in between that uses what it
///    removes: the purged tool, or the package lists (`apt-cache`).
#[test]
fn cleanups_never_move_past_a_use() {
    let src = "FROM debian:bookworm-slim\n\
               RUN apt-get update && apt-get install -y --no-install-recommends bzip2 && rm -rf /var/lib/apt/lists/*\n\
               RUN bunzip2 -c /tmp/notes.bz2 > /opt/notes.txt\n\
               RUN apt-get purge -y --auto-remove bzip2\n";
    let out = fixed(src, &[], Applicability::Unsafe);
    let purge = out.find("apt-get purge").expect("the purge stays");
    let use_ = out.find("bunzip2 -c").expect("the use stays");
    assert!(purge > use_, "{out}");
    let src = "FROM debian:bookworm-slim\n\
               RUN apt-get update && apt-get install -y --no-install-recommends jq\n\
               RUN apt-cache show hello > /opt/hello.txt\n\
               RUN rm -rf /var/lib/apt/lists/*\n";
    let out = fixed(src, &[], Applicability::Unsafe);
    let rm = out
        .find("rm -rf /var/lib/apt/lists")
        .expect("the cleanup stays");
    let show = out.find("apt-cache show").expect("the reader stays");
    assert!(rm > show, "{out}");
}

/// 9. `debian:bookworm` -> `debian:bookworm-slim` broke a JDK install (its scripts need
///    /usr/share/man/man1, which slim lacks).
#[test]
fn slim_base_keeps_jdk_installs_working() {
    let src = "FROM debian:bookworm\n\
               RUN apt-get update && apt-get install -y --no-install-recommends default-jdk-headless && rm -rf /var/lib/apt/lists/*\n";
    let out = fixed(src, &["WH308"], Applicability::Unsafe);
    assert!(
        !out.contains("bookworm-slim") || out.contains("mkdir -p /usr/share/man/man1 && apt-get"),
        "{out}"
    );
    assert!(
        out.contains("bookworm-slim"),
        "the slim base is still offered: {out}"
    );
}

/// After fixing, the exit status counts the findings left: 0 when every finding was fixed, 1 when
/// some remain.
#[test]
fn fix_exit_status_counts_the_findings_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Dockerfile");
    let run = |src: &str, args: &[&str]| {
        std::fs::write(&path, src).expect("write");
        Command::cargo_bin("whittle")
            .expect("binary")
            .args(args)
            .arg(&path)
            .output()
            .expect("runs")
    };
    // every finding fixed: clean
    let all_fixed = run(
        "FROM debian:bookworm-slim\nMAINTAINER Jane <jane@example.com>\n",
        &["check", "--fix", "--select", "WH504"],
    );
    assert_eq!(all_fixed.status.code(), Some(0), "{all_fixed:?}");
    // a finding without a fix stays: findings
    let left = run(
        "FROM debian:bookworm-slim\nMAINTAINER Jane <jane@example.com>\nEXPOSE 99999\n",
        &["check", "--fix", "--select", "WH504,WH212"],
    );
    assert_eq!(left.status.code(), Some(1), "{left:?}");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("LABEL org.opencontainers.image.authors"),
        "{text}"
    );
}
