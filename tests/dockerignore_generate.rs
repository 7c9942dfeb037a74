//! The `.dockerignore` generator on the fixture contexts of `tests/fixtures/contexts/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use whittle::cli::ignore::copied_sources;
use whittle::dockerignore::context::walk;
use whittle::dockerignore::generate::{
    BEGIN_MARKER, END_MARKER, detect, generate_block, merge, resolve_needed,
};
use whittle::dockerignore::{Matcher, templates};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contexts")
        .join(name)
}

#[test]
fn one_fixture_per_ecosystem_is_detected() {
    for (dir, eco) in [
        ("node", "node"),
        ("python", "python"),
        ("python-requirements", "python"),
        ("go", "go"),
        ("rust", "rust"),
        ("java-maven", "java-maven"),
        ("java-gradle", "java-gradle"),
        ("ruby", "ruby"),
        ("php", "php"),
        ("dotnet", "dotnet"),
        ("terraform", "terraform"),
    ] {
        let got = detect(&fixture(dir)).expect("readable fixture");
        assert_eq!(got, vec!["common", eco], "fixture {dir}");
    }
}

#[test]
fn monorepo_composes_every_ecosystem_once() {
    let ecosystems = detect(&fixture("monorepo")).expect("readable");
    assert_eq!(ecosystems, vec!["common", "node", "go", "terraform"]);
    let block = generate_block(&ecosystems, &[]);
    for eco in &ecosystems {
        assert!(block.contains(&format!("# --- {eco} ---")), "{eco} missing");
    }
    let matcher = Matcher::from_ignore_text(&block).expect("generated block compiles");
    assert!(matcher.is_excluded("services/web/node_modules/x/index.js"));
    assert!(matcher.is_excluded("infra/.terraform/providers/p"));
    assert!(matcher.is_excluded("services/api/vendor/m/m.go"));
    assert!(!matcher.is_excluded("services/web/package.json"));
    assert!(!matcher.is_excluded("README.md"));
    // A pattern two templates share (`**/vendor`: go and php) appears once.
    let patterns: Vec<&str> = block.lines().filter(|l| !l.starts_with('#')).collect();
    let mut deduped = patterns.clone();
    deduped.sort();
    deduped.dedup();
    assert_eq!(
        patterns.len(),
        deduped.len(),
        "duplicate patterns in\n{block}"
    );
}

#[test]
fn templates_exclude_the_usual_suspects_at_any_depth() {
    let common = Matcher::from_ignore_text(templates::template("common").expect("common"))
        .expect("compiles");
    for path in [
        ".git/HEAD",
        "app/.env",
        ".env.local",
        "keys/server.pem",
        ".aws/credentials",
    ] {
        assert!(common.is_excluded(path), "{path} should be excluded");
    }
    for path in ["src/main.rs", "env.rs", "README.md"] {
        assert!(!common.is_excluded(path), "{path} should be kept");
    }
}

#[test]
fn merge_keeps_user_lines_and_is_idempotent() {
    let ctx = fixture("existing");
    let existing = std::fs::read_to_string(ctx.join(".dockerignore")).expect("fixture");
    let ecosystems = detect(&ctx).expect("readable");
    let block = generate_block(&ecosystems, &[]);
    let once = merge(Some(&existing), &block);
    // The user's lines come after the block, unchanged, so their exceptions win.
    assert!(once.starts_with(BEGIN_MARKER));
    assert!(once.ends_with(&existing), "user lines changed:\n{once}");
    let twice = merge(Some(&once), &block);
    assert_eq!(once, twice);
    // A new block replaces the old one in place.
    let other = generate_block(&["common"], &[]);
    let replaced = merge(Some(&once), &other);
    assert_eq!(replaced.matches(BEGIN_MARKER).count(), 1);
    assert_eq!(replaced.matches(END_MARKER).count(), 1);
    assert!(replaced.ends_with(&existing));
    assert!(!replaced.contains("node_modules"));
    // The user's `!.env.example` beats the generated `**/.env.*`.
    let matcher = Matcher::from_ignore_text(&once).expect("compiles");
    assert!(!matcher.is_excluded(".env.example"));
    assert!(matcher.is_excluded(".env.local"));
    assert!(matcher.is_excluded("secrets/token"));
}

#[test]
fn block_in_the_middle_is_replaced_in_place() {
    let block = generate_block(&["common"], &[]);
    let file = format!("before\n{block}after\n");
    let new_block = generate_block(&["common", "rust"], &[]);
    let merged = merge(Some(&file), &new_block);
    assert_eq!(merged, format!("before\n{new_block}after\n"));
}

#[test]
fn copied_sources_skip_stages_heredocs_and_urls() {
    let text = std::fs::read_to_string(fixture("needed").join("Dockerfile")).expect("fixture");
    assert_eq!(
        copied_sources(&text),
        vec!["package.json", ".env.production", ".github/"]
    );
}

#[test]
fn needed_sources_get_an_exception_or_drop_the_pattern() {
    let ctx = fixture("needed");
    let text = std::fs::read_to_string(ctx.join("Dockerfile")).expect("fixture");
    let everything = walk(&ctx, None).expect("walk");
    let mut paths: Vec<String> = everything.sent.into_iter().map(|e| e.path).collect();
    paths.extend(everything.sent_dirs);
    let needed = resolve_needed(&copied_sources(&text), &paths);
    assert_eq!(needed, vec![".env.production", ".github", "package.json"]);

    let ecosystems = detect(&ctx).expect("readable");
    let block = generate_block(&ecosystems, &needed);
    let matcher = Matcher::from_ignore_text(&block).expect("compiles");
    for path in [".env.production", ".github/workflow.yml", "package.json"] {
        assert!(!matcher.is_excluded(path), "{path} is needed:\n{block}");
    }
    // `.github` was a plain pattern: dropped, with a comment.
    assert!(!block.lines().any(|l| l == ".github"));
    assert!(block.contains("# not excluded: .github is copied by a Dockerfile"));
    // `.env.production` matched `**/.env.*`: an exception with the reason.
    assert!(block.contains("!.env.production"));
    assert!(block.contains("# .env.production is copied by a Dockerfile but matches **/.env.*"));
    // Other env files stay excluded.
    assert!(matcher.is_excluded(".env.local"));
}

#[test]
fn wildcard_needed_sources_resolve_against_the_context() {
    let paths: Vec<String> = ["build/libs/app.jar", "build/libs", "build", "src/A.java"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let needed = resolve_needed(
        &["build/libs/*.jar".to_string(), "./src".to_string()],
        &paths,
    );
    assert_eq!(needed, vec!["build/libs/app.jar", "src"]);
    let block = generate_block(&["common", "java-gradle"], &needed);
    let matcher = Matcher::from_ignore_text(&block).expect("compiles");
    assert!(!matcher.is_excluded("build/libs/app.jar"), "{block}");
    assert!(matcher.is_excluded("build/tmp/x.class"));
}

/// The binary on a copy of the gradle fixture: `--check` fails before `--write`, passes after,
/// and a second `--write` changes nothing.
#[test]
fn cli_write_check_and_list() {
    let tmp = std::env::temp_dir().join(format!("whittle-gen-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("build/libs")).expect("mkdir");
    let src = fixture("java-gradle");
    for f in ["build.gradle.kts", "build/libs/app.jar"] {
        std::fs::copy(src.join(f), tmp.join(f)).expect("copy");
    }
    std::fs::write(
        tmp.join("Dockerfile"),
        "FROM eclipse-temurin\nCOPY build/libs/app.jar /app.jar\n",
    )
    .expect("write");
    let whittle = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_whittle"))
            .arg("ignore")
            .arg(&tmp)
            .args(args)
            .output()
            .expect("run whittle")
    };
    assert_eq!(whittle(&["--check"]).status.code(), Some(1));
    let diff = whittle(&[]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&diff.stdout).contains("+!build/libs/app.jar"));
    assert_eq!(whittle(&["--write"]).status.code(), Some(0));
    let written = std::fs::read_to_string(tmp.join(".dockerignore")).expect("written");
    assert_eq!(whittle(&["--check"]).status.code(), Some(0));
    assert_eq!(whittle(&["--write"]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(tmp.join(".dockerignore")).expect("read"),
        written
    );
    let list = whittle(&["--list"]);
    assert_eq!(list.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&list.stdout),
        "build.gradle.kts\nbuild/libs/app.jar\n"
    );
    let stats = whittle(&["--stats"]);
    assert!(String::from_utf8_lossy(&stats.stdout).contains("files"));
    assert_eq!(whittle(&["--write", "--check"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn comments_of_deduplicated_patterns_are_dropped() {
    // `**/target` comes from rust first; maven's comment for it must not float onto the
    // wrapper-jar pattern.
    let block = generate_block(&["common", "rust", "java-maven"], &[]);
    assert_eq!(block.matches("**/target").count(), 1);
    assert!(!block.contains("# Maven build output"), "{block}");
    assert!(block.contains("# Maven wrapper downloads\n.mvn/wrapper/maven-wrapper.jar"));
}
