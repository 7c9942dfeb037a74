//! `.whittle.yaml` and `.hadolint.yaml`: every key, located errors, selector resolution,
//! per-path overrides, exclusion globs and discovery in nested directories.

use std::path::{Path, PathBuf};

use whittle::config::{Config, ConfigFinder, ConfigFormat, FailLevel, Severity};
use whittle::descriptor::{Category, OptionKind, OptionSpec, RuleMeta};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

/// A made-up rule list: the config module must not depend on the real registry.
fn rules() -> Vec<RuleMeta> {
    vec![
        rule("WH001", "syntax-error", &[], Category::Syntax, true, &[]),
        rule(
            "WH101",
            "runs-as-root",
            &["DL3002"],
            Category::Security,
            true,
            &[],
        ),
        rule(
            "WH102",
            "trusted-base-images",
            &["DL3026"],
            Category::Security,
            false,
            TRUSTED,
        ),
        rule(
            "WH301",
            "apt-lists-not-cleaned",
            &["DL3009"],
            Category::ImageSize,
            true,
            KEEP_LISTS,
        ),
        rule(
            "WH302",
            "apt-no-recommends",
            &["DL3015"],
            Category::ImageSize,
            true,
            &[],
        ),
        rule(
            "WH303",
            "apt-unpinned",
            &["DL3008"],
            Category::ImageSize,
            true,
            &[],
        ),
        rule(
            "WH401",
            "copy-before-install",
            &[],
            Category::BuildCache,
            true,
            &[],
        ),
        rule(
            "WH501",
            "stage-name-casing",
            &["buildkit:StageNameCasing"],
            Category::Style,
            true,
            &[],
        ),
        rule(
            "WH520",
            "missing-label",
            &["DL3049"],
            Category::Style,
            false,
            SCHEMA,
        ),
        rule(
            "WH521",
            "superfluous-label",
            &["DL3050"],
            Category::Style,
            false,
            SCHEMA_STRICT,
        ),
        rule(
            "WH599",
            "unused-suppression",
            &[],
            Category::Style,
            false,
            &[],
        ),
    ]
}

const fn option(name: &'static str, kind: OptionKind) -> OptionSpec {
    OptionSpec {
        name,
        kind,
        default: "null",
        doc: "",
    }
}

const TRUSTED: &[OptionSpec] = &[
    option("registries", OptionKind::StringList),
    option("trusted-registries", OptionKind::StringList),
];
const KEEP_LISTS: &[OptionSpec] = &[option("keep-lists", OptionKind::Bool)];
const LABEL_TYPES: &[&str] = &["text", "url", "semver"];
const SCHEMA: &[OptionSpec] = &[option("label-schema", OptionKind::MapOf(LABEL_TYPES))];
const SCHEMA_STRICT: &[OptionSpec] = &[
    option("label-schema", OptionKind::MapOf(LABEL_TYPES)),
    option("strict-labels", OptionKind::Bool),
];

fn rule(
    id: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    category: Category,
    default_enabled: bool,
    options: &'static [OptionSpec],
) -> RuleMeta {
    RuleMeta {
        aliases,
        category,
        default_enabled,
        options,
        ..RuleMeta::new(id, name)
    }
}

fn ids(set: &std::collections::BTreeSet<String>) -> Vec<&str> {
    set.iter().map(String::as_str).collect()
}

fn load(name: &str) -> Config {
    Config::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_key_is_read() {
    let c = load("full.whittle.yaml");
    assert_eq!(c.format, ConfigFormat::Whittle);
    assert_eq!(
        c.select.as_deref(),
        Some(&["WH3".to_string(), "security".to_string()][..])
    );
    assert_eq!(c.extend_select, vec!["WH599"]);
    assert_eq!(c.ignore, vec!["DL3009", "apt-no-recommends"]);
    assert_eq!(c.fail_level, Some(FailLevel::Warning));
    assert_eq!(c.exclude.len(), 3);
    assert_eq!(c.rules.0.len(), 3);
    assert_eq!(c.unsafe_fixes_as_safe, vec!["WH302"]);
    assert!(c.disable_inline_ignores);
    assert_eq!(c.overrides.len(), 2);
    assert_eq!(c.root, fixture(""));
}

#[test]
fn resolve_project_wide() {
    let c = load("full.whittle.yaml");
    let r = c.resolve(&rules()).expect("resolves");
    // select WH3 + security, extend WH599, ignore DL3009 (WH301) and apt-no-recommends (WH302)
    assert_eq!(ids(&r.enabled), vec!["WH101", "WH102", "WH303", "WH599"]);
    // category first, then the exact ID wins for WH301
    assert_eq!(r.severity.get("WH301"), Some(&Severity::Error));
    assert_eq!(r.severity.get("WH302"), Some(&Severity::Info));
    assert_eq!(r.severity.get("WH303"), Some(&Severity::Info));
    assert_eq!(r.severity_of("WH101", Severity::Warning), Severity::Warning);
    let opts = r.options_of("WH102").expect("options by rule name");
    assert_eq!(
        opts.get("registries"),
        Some(&serde_json::json!(["docker.io", "ghcr.io"]))
    );
    assert_eq!(
        r.options_of("WH301").and_then(|o| o.get("keep-lists")),
        Some(&serde_json::json!(false))
    );
    assert_eq!(ids(&r.unsafe_fixes_as_safe), vec!["WH302"]);
    assert_eq!(r.fail_level, Some(FailLevel::Warning));
    assert!(r.disable_inline_ignores);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn per_path_overrides() {
    let c = load("full.whittle.yaml");
    let base = c.resolve(&rules()).expect("resolves");
    let dev = c
        .resolve_for(&fixture("services/api/app.dev.Dockerfile"), &rules())
        .expect("resolves");
    assert!(base.is_enabled("WH101"));
    assert!(!dev.is_enabled("WH101"));
    assert_eq!(dev.severity.get("WH301"), Some(&Severity::Style));
    let legacy = c
        .resolve_for(Path::new("legacy/Dockerfile"), &rules())
        .expect("resolves");
    assert_eq!(ids(&legacy.enabled), vec!["WH001", "WH302"]);
    assert_eq!(ids(&legacy.unsafe_fixes_as_safe), vec!["WH302", "WH303"]);
    let other = c
        .resolve_for(Path::new("app/Dockerfile"), &rules())
        .expect("resolves");
    assert_eq!(other, base);
}

#[test]
fn exclude_globs() {
    let c = load("full.whittle.yaml");
    assert!(c.is_excluded(Path::new("vendor/x/Dockerfile")));
    assert!(c.is_excluded(&fixture("vendor/Dockerfile")));
    assert!(c.is_excluded(Path::new("deep/dir/app.generated.Dockerfile")));
    assert!(c.is_excluded(Path::new("build/Dockerfile")));
    assert!(!c.is_excluded(Path::new("app/Dockerfile")));
    assert!(!c.is_excluded(Path::new("app/vendor.Dockerfile")));
    assert!(!c.is_excluded(Path::new("rebuild/Dockerfile")));
}

#[test]
fn default_config_enables_default_rules() {
    let r = Config::default().resolve(&rules()).expect("resolves");
    assert_eq!(
        ids(&r.enabled),
        vec![
            "WH001", "WH101", "WH301", "WH302", "WH303", "WH401", "WH501"
        ]
    );
    assert_eq!(r.fail_level, None);
    let empty = load("empty.whittle.yaml");
    assert_eq!(empty.resolve(&rules()).expect("resolves"), r);
}

#[test]
fn selector_kinds() {
    let text =
        "select: [ALL]\nignore: [wh3, buildkit:StageNameCasing, build-cache, syntax-error]\n";
    let c = Config::from_str(text, Path::new("x/.whittle.yaml")).expect("parses");
    let r = c.resolve(&rules()).expect("resolves");
    assert_eq!(
        ids(&r.enabled),
        vec!["WH101", "WH102", "WH520", "WH521", "WH599"]
    );
    let c = Config::from_str("select: [ImageSize]\n", Path::new(".whittle.yaml")).expect("parses");
    assert_eq!(
        ids(&c.resolve(&rules()).expect("resolves").enabled),
        vec!["WH301", "WH302", "WH303"]
    );
}

fn error_of(name: &str) -> whittle::config::ConfigError {
    match Config::load(&fixture(name)) {
        Ok(_) => panic!("{name} should not load"),
        Err(e) => e,
    }
}

#[test]
fn unknown_top_level_key_is_located() {
    let e = error_of("unknown-key.whittle.yaml");
    assert_eq!(e.file, fixture("unknown-key.whittle.yaml"));
    assert_eq!(e.line, 3);
    assert!(e.message.contains("ignored"), "{}", e.message);
    assert!(e.to_string().contains("unknown-key.whittle.yaml:3:"), "{e}");
}

#[test]
fn bad_values_are_located() {
    let e = error_of("bad-severity.whittle.yaml");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("critical"), "{}", e.message);
    let e = error_of("bad-fail-level.whittle.yaml");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("sometimes"), "{}", e.message);
    let e = error_of("unknown-rule-key.whittle.yaml");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("severty"), "{}", e.message);
    let e = error_of("bad-glob.whittle.yaml");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("broken[abc"), "{}", e.message);
    let e =
        Config::from_str("select: WH3\n", Path::new("s.yaml")).expect_err("a string is not a list");
    assert_eq!(e.line, 1);
}

#[test]
fn unknown_selector_is_an_error_foreign_code_a_warning() {
    let c = load("unknown-selector.whittle.yaml");
    let e = c.resolve(&rules()).expect_err("no-such-rule is unknown");
    assert_eq!((e.line, e.column), (4, 5), "{e}");
    assert!(e.message.contains("no-such-rule"));
    let c =
        Config::from_str("ignore: [DL4000, SC2086]\n", Path::new(".whittle.yaml")).expect("parses");
    let r = c.resolve(&rules()).expect("foreign codes are tolerated");
    assert_eq!(r.warnings.len(), 2);
    assert!(r.warnings[0].message.contains("DL4000"));
    assert_eq!(r.warnings[0].line, 1);
}

#[test]
fn hadolint_migration() {
    let c = load("hadolint.yaml");
    assert_eq!(c.format, ConfigFormat::Hadolint);
    let r = c.resolve(&rules()).expect("resolves");
    // DL3008 -> WH303 ignored; DL3050 enabled by strict-labels
    assert!(!r.is_enabled("WH303"));
    assert!(r.is_enabled("WH521"));
    assert!(r.is_enabled("WH301"));
    assert_eq!(r.severity.get("WH301"), Some(&Severity::Error));
    assert_eq!(r.severity.get("WH302"), Some(&Severity::Info));
    assert_eq!(
        r.options_of("WH102")
            .and_then(|o| o.get("trusted-registries")),
        Some(&serde_json::json!(["docker.io", "my-company.com:5000"]))
    );
    assert_eq!(
        r.options_of("WH520").and_then(|o| o.get("label-schema")),
        Some(&serde_json::json!({"author": "text", "version": "semver"}))
    );
    assert_eq!(
        r.options_of("WH521").and_then(|o| o.get("strict-labels")),
        Some(&serde_json::json!(true))
    );
    assert_eq!(r.fail_level, Some(FailLevel::Warning));
    assert!(r.disable_inline_ignores);
    let messages: Vec<String> = r.warnings.iter().map(|w| w.message.clone()).collect();
    assert!(
        messages.iter().any(|m| m.contains("SC2086")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("no-color")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("`format`")),
        "{messages:?}"
    );

    let e = error_of("hadolint-bad-threshold.yaml");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("critical"));
    let c = Config::from_hadolint_str(
        "trustedRegistries: docker.io\nno-fail: true\n",
        Path::new(".hadolint.yaml"),
    )
    .expect("parses");
    assert_eq!(c.fail_level, Some(FailLevel::None));
    let r = c.resolve(&rules()).expect("resolves");
    assert_eq!(
        r.options_of("WH102")
            .and_then(|o| o.get("trusted-registries")),
        Some(&serde_json::json!(["docker.io"]))
    );
}

#[test]
fn discovery_nearest_ancestor() {
    let finder = ConfigFinder::new();
    let a = finder
        .find(&fixture("nested/a/Dockerfile"))
        .expect("ok")
        .expect("found");
    assert!(
        a.path.ends_with("nested/.whittle.yaml"),
        "{}",
        a.path.display()
    );
    assert_eq!(a.ignore, vec!["WH301"]);
    let b = finder
        .find(&fixture("nested/a/b/Dockerfile"))
        .expect("ok")
        .expect("found");
    assert!(
        b.path.ends_with("nested/a/b/.whittle.yml"),
        "{}",
        b.path.display()
    );
    // a directory finds its own configuration
    let dir = finder
        .find(&fixture("nested/a/b"))
        .expect("ok")
        .expect("found");
    assert_eq!(dir.path, b.path);
    let h = finder
        .find(&fixture("hadolint-project/sub/Dockerfile"))
        .expect("ok")
        .expect("found");
    assert_eq!(h.format, ConfigFormat::Hadolint);
    assert_eq!(h.fail_level, Some(FailLevel::None));
}

#[test]
fn discovery_in_temp_dirs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let deep = root.join("x/y/z");
    std::fs::create_dir_all(&deep).expect("mkdir");
    let finder = ConfigFinder::new();
    assert!(finder.find(&deep.join("Dockerfile")).expect("ok").is_none());

    // .whittle.yaml wins over .hadolint.yaml in the same directory
    std::fs::write(root.join("x/.hadolint.yaml"), "ignored: [DL3008]\n").expect("write");
    std::fs::write(root.join("x/.whittle.yaml"), "ignore: [WH302]\n").expect("write");
    let finder = ConfigFinder::new();
    let c = finder
        .find(&deep.join("Dockerfile"))
        .expect("ok")
        .expect("found");
    assert_eq!(c.format, ConfigFormat::Whittle);
    assert_eq!(c.ignore, vec!["WH302"]);

    // a broken file is an error naming it
    std::fs::write(root.join("x/y/.whittle.yaml"), "select: [WH3]\nbogus: 1\n").expect("write");
    let finder = ConfigFinder::new();
    let e = finder.find(&deep.join("Dockerfile")).expect_err("error");
    assert!(e.file.ends_with("x/y/.whittle.yaml"));
    assert_eq!(e.line, 2);
}

#[test]
fn hadolint_settings_for_missing_rules_point_at_the_setting() {
    // no rule implements DL3026 or the label checks here
    let few = [rule(
        "WH301",
        "apt-lists-not-cleaned",
        &["DL3009"],
        Category::ImageSize,
        true,
        &[],
    )];
    let c = load("hadolint.yaml");
    let r = c.resolve(&few).expect("foreign codes are tolerated");
    let trusted = r
        .warnings
        .iter()
        .find(|w| w.message.contains("DL3026"))
        .expect("a warning for trustedRegistries");
    assert!(
        trusted.message.contains("trustedRegistries"),
        "{}",
        trusted.message
    );
    assert_eq!(trusted.line, 9);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("label-schema") && w.line == 13)
    );
}

#[test]
fn relative_paths_resolve_against_the_config_directory() {
    let c = load("full.whittle.yaml");
    // an existing file given by a path that is not under the (canonical) root as written
    let via_dots = fixture("nested/../vendor-free.Dockerfile");
    assert!(!c.is_excluded(&via_dots));
    let excluded = fixture("nested/a/../../vendor/x/Dockerfile");
    assert!(c.is_excluded(&excluded));
}

#[test]
fn finder_is_shared_between_threads() {
    let finder = ConfigFinder::new();
    let paths = [
        fixture("nested/a/Dockerfile"),
        fixture("nested/a/b/Dockerfile"),
    ];
    let found: Vec<PathBuf> = std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .iter()
            .map(|p| {
                let finder = &finder;
                s.spawn(move || finder.find(p).ok().flatten().map(|c| c.path.clone()))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok().flatten())
            .collect()
    });
    assert_eq!(found.len(), 2);
    assert!(found[0].ends_with("nested/.whittle.yaml"));
    assert!(found[1].ends_with("nested/a/b/.whittle.yml"));
    // cached: the same Arc comes back
    let again = finder.find(&paths[0]).ok().flatten().expect("found");
    let first = finder.find(&paths[0]).ok().flatten().expect("found");
    assert!(std::sync::Arc::ptr_eq(&again, &first));
}

#[test]
fn rule_options_are_checked_when_resolving() {
    let resolve = |text: &str| {
        Config::from_str(text, Path::new("/p/.whittle.yaml"))
            .expect("parses")
            .resolve(&rules())
    };
    // a misspelt option names its rule, what it expected, and where it is written
    let e =
        resolve("select: [ALL]\nrules:\n  WH102:\n    options:\n      registeries: [docker.io]\n")
            .expect_err("unknown option");
    assert_eq!((e.line, e.column), (5, 7), "{e}");
    assert!(
        e.message
            .contains("unknown option `registeries` of rule `WH102`")
            && e.message
                .contains("expected one of `registries`, `trusted-registries`")
            && e.message.contains("did you mean `registries`?"),
        "{}",
        e.message
    );
    // a rule without options takes none
    let e = resolve("rules:\n  WH001: {options: {strict: true}}\n").expect_err("no options");
    assert!(e.message.contains("takes no options"), "{}", e.message);
    assert_eq!(e.line, 2);
    // the value must have the declared type
    let e = resolve("rules:\n  trusted-base-images:\n    options: {registries: docker.io}\n")
        .expect_err("wrong type");
    assert_eq!(e.line, 3, "{e}");
    assert!(
        e.message
            .contains("expected a list of strings, found the string `docker.io`"),
        "{}",
        e.message
    );
    let e = resolve("rules:\n  WH520: {options: {label-schema: {author: txt}}}\n")
        .expect_err("unknown label type");
    assert!(
        e.message.contains("`author` is the string `txt`"),
        "{}",
        e.message
    );
    // the same key under a second selector is located under that selector
    let e = resolve(
        "rules:\n  WH301: {options: {keep-lists: true}}\n  WH102: {options: {keep-lists: true}}\n",
    )
    .expect_err("WH102 has no keep-lists");
    assert_eq!(e.line, 3, "{e}");
    // a broad selector gives each rule the options it declares, and needs one rule to take each
    let r = resolve("rules:\n  security: {options: {registries: [ghcr.io]}}\n").expect("resolves");
    assert!(r.options_of("WH102").is_some());
    assert!(r.options_of("WH101").is_none());
    let e = resolve("rules:\n  security: {options: {colour: red}}\n").expect_err("no taker");
    assert!(
        e.message
            .contains("none of the rules `security` selects takes it"),
        "{}",
        e.message
    );
}

#[test]
fn hadolint_option_errors_point_at_the_hadolint_setting() {
    let c = Config::from_hadolint_str(
        "ignored: [DL3008]\nlabel-schema:\n  author: txt\n",
        Path::new(".hadolint.yaml"),
    )
    .expect("parses");
    let e = c.resolve(&rules()).expect_err("txt is no label type");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("label-schema"), "{}", e.message);
}

#[test]
fn selectors_ignore_ascii_case_everywhere() {
    let c = Config::from_str(
        "select: [Apt-Lists-Not-Cleaned, dl3015, Build_Cache, wh5, All]\nignore: [all]\n",
        Path::new(".whittle.yaml"),
    )
    .expect("parses");
    let r = c.resolve(&rules()).expect("every selector names rules");
    assert!(r.enabled.is_empty());
    let c = Config::from_str(
        "select: [Apt-Lists-Not-Cleaned, dl3015, Build_Cache, wh5]\n",
        Path::new(".whittle.yaml"),
    )
    .expect("parses");
    let r = c.resolve(&rules()).expect("resolves");
    assert_eq!(
        ids(&r.enabled),
        vec![
            "WH301", "WH302", "WH401", "WH501", "WH520", "WH521", "WH599"
        ]
    );
}
