//! Dev-only corpus check of the fixes' syntactic guarantees on real Dockerfiles: at each level
//! (`--fix`, `--fix --unsafe-fixes`, and both with every rule on) every fixed file parses with no
//! new syntax error, every RUN body the fixes changed is accepted by `bash -n` when the original
//! file's bodies were, fixing converges, and fixing the fixed file again changes nothing.
//!
//! `WHITTLE_FIX_CORPUS=/path/to/repos cargo test --release --test fix_corpus -- --ignored --nocapture`
//!
//! The directory is searched recursively for Dockerfile, Dockerfile.*, *.Dockerfile,
//! *.dockerfile and Containerfile; each file's directory is its build context.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use whittle::cli::context::build_context_for;
use whittle::fix::{Applicability, FixOutcome};
use whittle::lint::{Settings, fix_source};
use whittle::semantic::Semantic;

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(t) = e.file_type() else { continue };
        if t.is_dir() {
            dockerfiles(&path, out);
        } else if t.is_file() {
            let name = e.file_name().to_string_lossy().to_string();
            let lower = name.to_ascii_lowercase();
            if name == "Dockerfile"
                || name.starts_with("Dockerfile.")
                || lower.ends_with(".dockerfile")
                || name == "Containerfile"
            {
                out.push(path);
            }
        }
    }
}

/// The shell bodies of a file's RUNs (those the shell parser reads).
fn run_bodies(src: &str) -> Vec<String> {
    let file = whittle::syntax::parse(src);
    let sem = Semantic::new(&file);
    sem.run_scripts.iter().map(|r| r.text.clone()).collect()
}

fn bash_accepts(body: &str) -> bool {
    let Ok(mut child) = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        panic!("bash is needed");
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(body.as_bytes());
    }
    child.wait().map(|s| s.success()).unwrap_or(false)
}

#[derive(Default, Debug)]
struct Tally {
    files: usize,
    changed: usize,
    new_syntax_errors: Vec<String>,
    bash_regressions: Vec<String>,
    bodies_checked: usize,
    not_idempotent: Vec<String>,
    not_converged: Vec<String>,
    unapplied: Vec<String>,
}

#[test]
#[ignore = "needs WHITTLE_FIX_CORPUS"]
fn corpus_fixes_keep_the_syntactic_guarantees() {
    let Ok(dir) = std::env::var("WHITTLE_FIX_CORPUS") else {
        panic!("set WHITTLE_FIX_CORPUS to a directory of Dockerfiles");
    };
    let mut files = Vec::new();
    dockerfiles(Path::new(&dir), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no Dockerfiles under {dir}");
    let all_rules: std::collections::BTreeSet<String> = whittle::rules::all_rules()
        .iter()
        .map(|r| r.meta().id.to_string())
        .collect();
    let levels = [
        ("--fix", Applicability::Safe, false),
        ("--fix --unsafe-fixes", Applicability::Unsafe, false),
        (
            "--fix --unsafe-fixes --select ALL",
            Applicability::Unsafe,
            true,
        ),
    ];
    for (name, level, all) in levels {
        let mut t = Tally::default();
        for path in &files {
            let Ok(src) = std::fs::read_to_string(path) else {
                continue;
            };
            t.files += 1;
            let mut settings = if all {
                Settings {
                    enabled: Some(all_rules.clone()),
                    ..Settings::default()
                }
            } else {
                Settings::default()
            };
            let parsed = whittle::syntax::parse(&src);
            settings.build_context = build_context_for(path, &parsed, &settings).map(Arc::new);
            let shown = path.display().to_string();
            let out: FixOutcome = fix_source(&src, &settings, level);
            if !out.converged {
                t.not_converged.push(shown.clone());
            }
            for u in &out.unapplied {
                t.unapplied
                    .push(format!("{shown}: {} `{}`: {}", u.rule, u.title, u.reason));
            }
            if out.text == src {
                continue;
            }
            t.changed += 1;
            let before = whittle::lint::syntax_error_count(&parsed);
            let after = whittle::lint::syntax_error_count(&whittle::syntax::parse(&out.text));
            if after > before {
                t.new_syntax_errors.push(shown.clone());
            }
            let old_bodies = run_bodies(&src);
            if old_bodies.iter().all(|b| bash_accepts(b)) {
                for body in run_bodies(&out.text) {
                    if old_bodies.contains(&body) {
                        continue;
                    }
                    t.bodies_checked += 1;
                    if !bash_accepts(&body) {
                        t.bash_regressions.push(format!("{shown}: {body}"));
                    }
                }
            }
            let again = fix_source(&out.text, &settings, level);
            if again.text != out.text {
                t.not_idempotent.push(shown.clone());
            }
        }
        println!(
            "{name}: {} files, {} changed, {} changed RUN bodies checked with bash -n; \
             new syntax errors {}, bash -n regressions {}, not idempotent {}, not converged {}, \
             fixes not applied {}",
            t.files,
            t.changed,
            t.bodies_checked,
            t.new_syntax_errors.len(),
            t.bash_regressions.len(),
            t.not_idempotent.len(),
            t.not_converged.len(),
            t.unapplied.len()
        );
        for f in t
            .new_syntax_errors
            .iter()
            .chain(&t.bash_regressions)
            .chain(&t.not_idempotent)
            .chain(&t.not_converged)
            .chain(&t.unapplied)
            .take(30)
        {
            println!("  {f}");
        }
        assert!(
            t.new_syntax_errors.is_empty()
                && t.bash_regressions.is_empty()
                && t.not_idempotent.is_empty()
                && t.not_converged.is_empty(),
            "{name}: guarantees broken"
        );
    }
}
