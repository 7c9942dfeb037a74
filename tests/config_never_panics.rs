//! Arbitrary configuration text, command lines and image references never panic the readers.

use std::path::Path;

use proptest::prelude::*;
use whittle::base_images::slim_variant;
use whittle::config::Config;
use whittle::descriptor::{Category, RuleMeta};
use whittle::package_managers::{by_name, parse_invocation, pin_status, split_version, table};

static RULES: std::sync::LazyLock<[RuleMeta; 2]> = std::sync::LazyLock::new(|| {
    [
        RuleMeta {
            aliases: &["DL3009"],
            category: Category::ImageSize,
            ..RuleMeta::new("WH301", "apt-lists-not-cleaned")
        },
        RuleMeta {
            category: Category::Security,
            ..RuleMeta::new("WH101", "runs-as-root")
        },
    ]
});

fn yamlish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "select",
        "ignore",
        "extend-select",
        "rules",
        "WH301",
        "severity",
        "options",
        "fail-level",
        "exclude",
        "overrides",
        "files",
        "unsafe-fixes-as-safe",
        "ignored",
        "override",
        "error",
        "trustedRegistries",
        "failure-threshold",
        "label-schema",
        "strict-labels",
        "no-fail",
        ":",
        ": ",
        "\n",
        "  ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\"",
        "'",
        "*",
        "**/",
        "[!a",
        "#",
        "&a",
        "*a",
        "warning",
        "none",
        "true",
        "1",
        "~",
        "DL3009",
        "image-size",
        "é",
        "\t",
        "!!str",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn config_text_never_panics(text in yamlish()) {
        let path = Path::new("x/.whittle.yaml");
        match Config::from_str(&text, path) {
            Ok(c) => {
                let _ = c.resolve(&*RULES);
                let _ = c.resolve_for(Path::new("x/a/Dockerfile"), &*RULES);
                let _ = c.is_excluded(Path::new("a/b/c"));
            }
            // an error always names the file
            Err(e) => prop_assert_eq!(e.file.as_path(), path),
        }
        if let Ok(c) = Config::from_hadolint_str(&text, Path::new(".hadolint.yaml")) {
            let _ = c.resolve(&*RULES);
        }
    }

    #[test]
    fn any_config_string_never_panics(text in "\\PC{0,80}") {
        let _ = Config::from_str(&text, Path::new(".whittle.yaml"));
        let _ = Config::from_hadolint_str(&text, Path::new(".hadolint.yaml"));
    }

    #[test]
    fn command_lines_never_panic(words in prop::collection::vec("[-a-z0-9=@:./~ ]{0,12}", 0..8), cmd in prop::sample::select(vec!["apt-get", "apk", "pip", "python3", "npm", "yarn", "zypper", "dnf", "gem", "go", "conda", "uv"])) {
        let mut argv = vec![cmd.to_string()];
        argv.extend(words);
        if let Some(inv) = parse_invocation(&argv) {
            let _ = inv.is_non_interactive(&argv);
            let _ = inv.unpinned_packages(&argv);
            let _ = inv.subcommand_text(&argv);
            for &i in &inv.operands {
                prop_assert!(i < argv.len());
            }
        }
    }

    #[test]
    fn package_args_never_panic(arg in "\\PC{0,24}") {
        for m in &table().managers {
            let (name, version) = split_version(m, &arg);
            // the name is a prefix of the argument
            prop_assert!(arg.starts_with(name));
            if let Some(v) = version {
                prop_assert!(arg.contains(v));
            }
            let _ = pin_status(m, &arg);
        }
        let _ = by_name(&arg);
    }

    #[test]
    fn image_refs_never_panic(repo in "[a-z./:-]{0,20}", tag in "\\PC{0,20}") {
        for r in [repo.as_str(), "python", "golang", "eclipse-temurin", "maven", "debian", "openjdk"] {
            if let Some(s) = slim_variant(r, &tag) {
                prop_assert!(!s.new_tag.is_empty() || tag.is_empty());
            }
        }
    }
}
