//! Custom rules (`custom-rules:`, `rule-files:`): every key, the exact ranges, selection,
//! severity, pragmas, every output format, `whittle rules`, `whittle explain`,
//! `whittle rules --test`, configuration errors, and that reloading frees the old rules.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use whittle::config::Config;
use whittle::descriptor::RuleMeta;
use whittle::diagnostic::Diagnostic;
use whittle::lint::{Settings, check_examples, fix_source, lint};
use whittle::rules::all_rules;
use whittle::syntax::parse;

/// The settings a `.whittle.yaml` with `yaml` resolves to (the CLI's way: built-in rules plus
/// the configuration's own).
fn settings(yaml: &str) -> Settings {
    let config = Config::from_str(yaml, Path::new("/p/.whittle.yaml"))
        .unwrap_or_else(|e| panic!("{yaml}\n{e}"));
    let builtin: Vec<&RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    config
        .resolve(&builtin)
        .unwrap_or_else(|e| panic!("{yaml}\n{e}"))
        .to_settings()
}

/// Only the custom rules' diagnostics, as (rule, covered text, message).
fn found(yaml: &str, dockerfile: &str) -> Vec<(String, String, String)> {
    let s = settings(yaml);
    lint(&parse(dockerfile), &s)
        .into_iter()
        .filter(|d| !d.rule_id.starts_with("WH"))
        .map(|d| {
            (
                d.rule_id.to_string(),
                dockerfile[d.span.start..d.span.end].to_string(),
                d.message,
            )
        })
        .collect()
}

fn config_error(yaml: &str) -> whittle::config::ConfigError {
    let builtin: Vec<&RuleMeta> = all_rules().iter().map(|r| r.meta()).collect();
    match Config::from_str(yaml, Path::new("/p/.whittle.yaml")) {
        Err(e) => e,
        Ok(c) => c.resolve(&builtin).expect_err("a configuration error"),
    }
}

/// The issue's four rules, exactly as written there.
const ISSUE_RULES: &str = r#"custom-rules:
  - id: ACME001                    # letters then digits; must not collide with WH/DL/built-in aliases
    name: approved-base-image      # kebab-case, unique
    severity: error                # error | warning | info | style (default warning)
    message: "base image {image} is not from registry.acme.io"
    when:
      from:
        not-image: "registry.acme.io/**"   # glob over the resolved image reference; `image:` matches
  - id: ACME002
    name: curl-without-fail
    message: "curl without --fail turns HTTP errors into a successful step"
    when:
      run:
        command: curl                      # a command in a RUN, found by the shell parser
        missing-flag: ["-f", "--fail", "-fsSL"]   # or `has-flag:`, `args-regex:`
    fix:
      add-flag: "--fail"                   # or `replace: {regex: ..., with: ...}` on the matched text
      applicability: safe
  - id: ACME003
    name: source-label
    message: "the final stage has no org.opencontainers.image.source label"
    when:
      stage: final                         # final | any (default) | build
      missing:
        instruction: LABEL
        regex: 'org\.opencontainers\.image\.source='
  - id: ACME004
    name: no-debug-env
    message: "DEBUG is switched on in the image"
    when:
      instruction: ENV
      regex: '\bDEBUG=(1|true|yes)\b'      # over the instruction's arguments; {0}, {1}... in message
"#;

const ISSUE_DOCKERFILE: &str = "FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y curl \\
 && curl -sSL https://example.com/x.tgz -o /x.tgz
FROM registry.acme.io/base/runtime:1.2
ENV DEBUG=1 OTHER=2
COPY --from=build /x.tgz /x.tgz
";

#[test]
fn the_issues_rules_work_as_written_at_exact_ranges() {
    let f = found(ISSUE_RULES, ISSUE_DOCKERFILE);
    let expected = [
        (
            "ACME001",
            "debian:bookworm-slim",
            "base image debian:bookworm-slim is not from registry.acme.io",
        ),
        (
            "ACME002",
            "curl",
            "curl without --fail turns HTTP errors into a successful step",
        ),
        (
            "ACME003",
            "FROM registry.acme.io/base/runtime:1.2",
            "the final stage has no org.opencontainers.image.source label",
        ),
        ("ACME004", "DEBUG=1", "DEBUG is switched on in the image"),
    ];
    let got: Vec<(&str, &str, &str)> = f
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expected);
    // ACME002's safe fix, through the library's fix loop
    let out = fix_source(
        ISSUE_DOCKERFILE,
        &settings(ISSUE_RULES),
        whittle::fix::Applicability::Safe,
    );
    assert!(
        out.text
            .contains("&& curl --fail -sSL https://example.com/x.tgz"),
        "{}",
        out.text
    );
}

#[test]
fn from_globs_match_the_written_and_the_resolved_reference() {
    let rules = |when: &str| {
        format!(
            "custom-rules:\n  - id: X1\n    name: img\n    message: '{{image}} {{resolved}} {{registry}} {{repository}} {{tag}} {{stage}}'\n    when:\n{when}"
        )
    };
    let hub = rules("      from:\n        image: 'docker.io/library/*'\n");
    let f = found(&hub, "FROM debian AS base\nFROM ghcr.io/a/b:1\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].1, "debian");
    assert_eq!(
        f[0].2,
        "debian docker.io/library/debian:latest docker.io library/debian latest base"
    );
    // as written, too; a list means any
    let written = rules("      from:\n        image: ['debian:*', 'alpine:*']\n");
    assert_eq!(
        found(&written, "FROM debian:12\nFROM ubuntu:24.04\n").len(),
        1
    );
    // ARGs are expanded; stage references, scratch and unknown ARGs are not images
    let not = rules("      from:\n        not-image: 'registry.acme.io/**'\n");
    let f = found(
        &not,
        "ARG BASE=quay.io/x/y:1\nARG UNSET\nFROM ${BASE} AS a\nFROM a\nFROM scratch\nFROM ${UNSET}\n",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].1, "${BASE}");
    assert!(
        f[0].2
            .starts_with("quay.io/x/y:1 quay.io/x/y:1 quay.io x/y 1")
    );
    // both keys: matches `image` and none of `not-image`
    let both = rules(
        "      from:\n        image: 'docker.io/**'\n        not-image: 'docker.io/library/*'\n",
    );
    let f = found(&both, "FROM debian\nFROM someone/tool:1\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].1, "someone/tool:1");
}

#[test]
fn run_finds_commands_through_the_shell_and_each_condition_narrows() {
    let rule = |run: &str, message: &str| {
        format!(
            "custom-rules:\n  - id: X1\n    name: cmd\n    message: '{message}'\n    when:\n      run:\n{run}"
        )
    };
    // command alone: every use, through sudo and pipes and $(...), by basename; not in strings
    let banned = rule("        command: [sudo, su]\n", "{command} in {stage}");
    let f = found(
        &banned,
        "FROM debian\nRUN sudo ls | cat && echo \"sudo\" && x=$(su -c id)\nRUN /usr/bin/sudo -i\n",
    );
    let words: Vec<&str> = f.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(words, ["sudo", "su", "/usr/bin/sudo"]);
    // a name that merely ends like one is another command
    assert!(found(&banned, "FROM debian\nRUN pseudo ls && ./xsu -c id\n").is_empty());
    assert_eq!(f[0].2, "sudo in 0");
    // missing-flag: short clusters and --long=value count
    let fail = rule(
        "        command: curl\n        missing-flag: [-f, --fail]\n",
        "no fail: {args}",
    );
    let f = found(
        &fail,
        "FROM debian\nRUN curl -fsSL a && curl --fail=yes b && curl -sS c && curl -sSLo out d\n",
    );
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0].2, "no fail: -sS c");
    // has-flag: the finding is the flag
    let insecure = rule(
        "        command: [curl, wget]\n        has-flag: [-k, --insecure, --no-check-certificate]\n",
        "{command} {flag}",
    );
    let f = found(
        &insecure,
        "FROM debian\nRUN curl -sSk https://x && wget --no-check-certificate https://y && curl https://z\n",
    );
    let got: Vec<(&str, &str)> = f.iter().map(|x| (x.1.as_str(), x.2.as_str())).collect();
    assert_eq!(
        got,
        [
            ("-sSk", "curl -k"),
            ("--no-check-certificate", "wget --no-check-certificate")
        ]
    );
    // args-regex: the finding is the match, with groups in the message
    let upgrade = rule(
        "        command: apt-get\n        args-regex: '(?P<what>dist-upgrade|upgrade)'\n",
        "{0} {what} {1}",
    );
    let f = found(
        &upgrade,
        "FROM debian\nRUN apt-get update && \\\n    apt-get -y dist-upgrade\n",
    );
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].1.as_str(), f[0].2.as_str()),
        ("dist-upgrade", "dist-upgrade dist-upgrade dist-upgrade")
    );
}

#[test]
fn stages_missing_and_instruction_rules() {
    let yaml = r#"custom-rules:
  - id: X1
    name: need-user
    message: "stage {stage} has no {instruction}"
    when:
      stage: final
      missing: {instruction: USER}
  - id: X2
    name: need-healthcheck-anywhere
    message: "no {instruction} in {stage}"
    when:
      missing: {instruction: [HEALTHCHECK, CMD], regex: 'curl'}
  - id: X3
    name: no-maintainer-in-build
    message: "{instruction} {args}"
    when:
      stage: build
      instruction: [MAINTAINER, ADD]
  - id: X4
    name: secret-arg
    message: "{1} looks secret"
    when:
      instruction: [ARG, ENV]
      regex: '(\w*(?:PASSWORD|TOKEN)\w*)='
"#;
    let dockerfile = "FROM debian AS base\nUSER app\nMAINTAINER me\nARG DB_PASSWORD=x GITHUB_TOKEN=y\nFROM base AS final\nADD a /a\nHEALTHCHECK CMD curl -f localhost\n";
    let f = found(yaml, dockerfile);
    let got: Vec<(&str, &str, &str)> = f
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    // X1: the final stage inherits USER from `base`; X2: `base` has no HEALTHCHECK/CMD with
    // curl, `final` has; X3: only in the build stage; X4: both matches.
    assert_eq!(
        got,
        [
            ("X2", "FROM debian AS base", "no HEALTHCHECK or CMD in base"),
            ("X3", "MAINTAINER me", "MAINTAINER me"),
            ("X4", "DB_PASSWORD=", "DB_PASSWORD looks secret"),
            ("X4", "GITHUB_TOKEN=", "GITHUB_TOKEN looks secret"),
        ]
    );
    // without the USER in `base`, the final stage is reported at its FROM
    let f = found(yaml, "FROM debian AS base\nFROM base AS final\nCMD curl\n");
    assert!(f.contains(&(
        "X1".to_string(),
        "FROM base AS final".to_string(),
        "stage final has no USER".to_string()
    )));
}

#[test]
fn fixes_replace_and_add_lines_and_respect_applicability() {
    let yaml = r#"custom-rules:
  - id: X1
    name: debug-off
    message: debug on
    when:
      instruction: ENV
      regex: 'DEBUG=\w+'
    fix:
      replace: {regex: '=\w+', with: '=0'}
  - id: X2
    name: vendor-label
    message: no vendor
    when:
      stage: final
      missing: {instruction: LABEL, regex: vendor}
    fix:
      add-line: 'LABEL vendor="ACME"'
      applicability: safe
      title: Label the vendor
select: [X1, X2]
"#;
    let src = "FROM debian\nENV DEBUG=yes";
    let s = settings(yaml);
    let d: Vec<Diagnostic> = lint(&parse(src), &s)
        .into_iter()
        .filter(|d| !d.rule_id.starts_with("WH"))
        .collect();
    let fixes: Vec<(String, String)> = d
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .map(|f| (f.title.clone(), f.applicability.to_string()))
        .collect();
    assert_eq!(
        fixes,
        [
            ("Label the vendor".to_string(), "safe".to_string()),
            ("Replace with `=0`".to_string(), "unsafe".to_string()),
        ]
    );
    // --fix applies the safe one only; the file keeps its missing final newline
    let safe = fix_source(src, &s, whittle::fix::Applicability::Safe);
    assert_eq!(
        safe.text,
        "FROM debian\nLABEL vendor=\"ACME\"\nENV DEBUG=yes"
    );
    let all = fix_source(src, &s, whittle::fix::Applicability::Unsafe);
    assert_eq!(all.text, "FROM debian\nLABEL vendor=\"ACME\"\nENV DEBUG=0");
}

#[test]
fn selection_severity_categories_and_pragmas_treat_custom_rules_like_builtin_ones() {
    let base = "custom-rules:
  - id: ACME1
    name: no-add
    category: security
    message: ADD
    when: {instruction: ADD}
  - id: ACME2
    name: no-maintainer
    enabled: false
    message: MAINTAINER
    when: {instruction: MAINTAINER}
";
    let src = "FROM debian\nADD a /a\nMAINTAINER me\n";
    let ids = |extra: &str, src: &str| -> Vec<String> {
        found(&format!("{base}{extra}"), src)
            .into_iter()
            .map(|f| f.0)
            .collect()
    };
    assert_eq!(ids("", src), ["ACME1"], "ACME2 is off by default");
    assert_eq!(
        ids("extend-select: [no-maintainer]\n", src),
        ["ACME1", "ACME2"]
    );
    assert_eq!(
        ids("select: [acme]\n", src),
        ["ACME1", "ACME2"],
        "an ID prefix"
    );
    assert_eq!(ids("select: [security]\n", src), ["ACME1"], "a category");
    assert!(ids("ignore: [ACME1]\n", src).is_empty());
    assert!(
        ids("ignore: [No-Add]\n", src).is_empty(),
        "names ignore case"
    );
    // severity override
    let s = settings(&format!("{base}rules:\n  no-add: {{severity: info}}\n"));
    let d = lint(&parse(src), &s);
    let acme = d.iter().find(|d| d.rule_id == "ACME1").expect("ACME1");
    assert_eq!(acme.severity, whittle::diagnostic::Severity::Info);
    // inline pragmas by ID and by name, and an unused one is reported by WH590
    assert!(ids("", "FROM debian\n# whittle ignore=ACME1\nADD a /a\n").is_empty());
    assert!(ids("", "FROM debian\n# hadolint ignore=no-add\nADD a /a\n").is_empty());
    let s = settings(&format!("{base}extend-select: [WH590]\n"));
    let d = lint(
        &parse("FROM debian\n# whittle ignore=ACME1\nRUN true\n"),
        &s,
    );
    assert!(
        d.iter()
            .any(|d| d.rule_id == "WH590" && d.message.contains("ACME1")),
        "{d:?}"
    );
    // WH592: a custom rule's ID or name is a known code, even when the rule is off; an
    // unknown one is reported
    let s = settings(base);
    let d = lint(
        &parse("FROM debian\n# whittle ignore=ACME2,no-maintainer,ACME9\nADD a /a\n"),
        &s,
    );
    let invalid: Vec<&str> = d
        .iter()
        .filter(|d| d.rule_id == "WH592")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(invalid[0].contains("`ACME9`"), "{invalid:?}");
}

#[test]
fn mistakes_are_located_configuration_errors() {
    // an unknown key: file, line, column and the keys expected
    let e = config_error("custom-rules:\n  - id: X1\n    name: a\n    mesage: m\n");
    assert_eq!((e.line, e.column), (4, 5), "{e}");
    assert!(
        e.message
            .contains("unknown field `mesage`, expected one of `id`, `name`"),
        "{e}"
    );
    let e = config_error(
        "custom-rules:\n  - id: X1\n    name: a\n    message: m\n    when: {run: {comand: x}}\n",
    );
    assert_eq!(e.line, 5, "{e}");
    assert!(e.message.contains("expected one of `command`"), "{e}");
    // an invalid regex or glob names the rule and points at its key
    let e = config_error(
        "custom-rules:\n  - id: X1\n    name: a\n    message: m\n    when: {instruction: ENV}\n  - id: X2\n    name: b\n    message: m\n    when:\n      instruction: ENV\n      regex: 'a(b'\n",
    );
    assert_eq!((e.line, e.column), (11, 7), "{e}");
    assert!(
        e.message
            .starts_with("custom rule `X2`: invalid regex `a(b` in `regex`"),
        "{e}"
    );
    let e = config_error(
        "custom-rules:\n  - id: X1\n    name: a\n    message: m\n    when: {from: {image: 'a[b'}}\n",
    );
    assert!(
        e.message
            .contains("custom rule `X1`: invalid glob `a[b` in `image`"),
        "{e}"
    );
    // IDs and names that are taken
    for (yaml, want) in [
        ("id: WH999\n    name: a", "may not start with `WH`"),
        ("id: DL3009\n    name: a", "may not start with `DL`"),
        ("id: acme1\n    name: a", "capital letters then digits"),
        (
            "id: X1\n    name: apt-lists-not-cleaned",
            "already taken by the built-in rule WH301",
        ),
        ("id: X1\n    name: Not_Kebab", "must be kebab-case"),
        ("id: X1\n    name: all", "reads as a selector of many rules"),
        (
            "id: X1\n    name: image-size",
            "reads as a selector of many rules",
        ),
        (
            "id: X1\n    name: security",
            "reads as a selector of many rules",
        ),
        (
            "id: X1\n    name: acme2",
            "reads as a selector of many rules",
        ),
    ] {
        let e = config_error(&format!(
            "custom-rules:\n  - {yaml}\n    message: m\n    when: {{instruction: ENV}}\n"
        ));
        assert!(e.message.contains(want), "{yaml}: {e}");
        assert!(e.line > 0, "{yaml}: {e}");
    }
    // a fix that would not satisfy the rule (it would be applied again and again)
    for (run, want) in [
        (
            "{command: curl, missing-flag: [-f]}",
            "must be one of the rule's `missing-flag`",
        ),
        (
            "{command: curl}",
            "must be one of the rule's `missing-flag`",
        ),
    ] {
        let e = config_error(&format!(
            "custom-rules:\n  - id: X1\n    name: a\n    message: m\n    when: {{run: {run}}}\n    fix: {{add-flag: --fail}}\n"
        ));
        assert!(e.message.contains(want), "{run}: {e}");
        assert_eq!(e.line, 6, "{e}");
    }
    let e = config_error(
        "custom-rules:\n  - {id: X1, name: a, message: m, when: {instruction: ENV}}\n  - {id: X1, name: b, message: m, when: {instruction: ENV}}\n",
    );
    assert!(e.message.contains("used twice"), "{e}");
    assert_eq!(e.line, 3, "the second one: {e}");
}

#[test]
fn rule_files_are_read_relative_to_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("shared")).unwrap();
    fs::write(
        dir.path().join("shared/team.yaml"),
        "custom-rules:\n  - {id: TEAM1, name: no-add, message: 'no ADD', when: {instruction: ADD}}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join(".whittle.yaml"),
        "rule-files: [shared/team.yaml]\n",
    )
    .unwrap();
    let config = Config::load(&dir.path().join(".whittle.yaml")).expect("loads");
    assert_eq!(config.custom.len(), 1);
    assert_eq!(config.custom[0].origin, dir.path().join("shared/team.yaml"));
    // a broken rule file is an error in that file
    fs::write(
        dir.path().join("shared/team.yaml"),
        "custom-rules:\n  - id: TEAM1\n    nam: x\n",
    )
    .unwrap();
    let e = Config::load(&dir.path().join(".whittle.yaml")).expect_err("broken");
    assert!(e.file.ends_with("shared/team.yaml"), "{e}");
    assert_eq!(e.line, 3, "{e}");
    // a missing one is an error at its name
    fs::write(
        dir.path().join(".whittle.yaml"),
        "rule-files: [nope.yaml]\n",
    )
    .unwrap();
    let e = Config::load(&dir.path().join(".whittle.yaml")).expect_err("missing");
    assert_eq!(e.line, 1, "{e}");
    assert!(
        e.message.contains("cannot read rule file `nope.yaml`"),
        "{e}"
    );
}

#[test]
fn reloading_the_configuration_frees_the_old_rules() {
    let s = settings(ISSUE_RULES);
    let weak = Arc::downgrade(&s.custom_rules[0]);
    let d = lint(&parse(ISSUE_DOCKERFILE), &s);
    assert!(d.iter().any(|d| d.rule_id == "ACME001"));
    drop(s);
    // The diagnostics keep the IDs they name (shared strings), not the rules.
    assert!(
        weak.upgrade().is_none(),
        "no registry holds on to old rules"
    );
    assert!(d.iter().any(|d| d.rule_name == "approved-base-image"));
}

#[test]
fn the_rule_pack_in_examples_passes_its_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("examples/rule-packs/acme.yaml")).expect("loads");
    assert!(config.custom.len() >= 6);
    for rule in config.custom.iter() {
        let report = check_examples(rule);
        assert!(
            report.failures.is_empty(),
            "{}: {:?}",
            rule.meta.id,
            report.failures
        );
        assert!(
            report.bad > 0 && report.good > 0,
            "{} has examples",
            rule.meta.id
        );
    }
}

#[test]
fn examples_that_do_not_hold_fail() {
    let config = Config::from_str(
        "custom-rules:\n  - id: X1\n    name: no-add\n    message: m\n    when: {instruction: ADD}\n    fix: {replace: {regex: ADD, with: COPY}}\n    examples:\n      bad: [\"FROM a\\nCOPY x /x\\n\", \"FROM a\\nADD x /x\\n\"]\n      fixed: [\"\", \"FROM a\\nCOPY x /y\\n\"]\n      good: [\"FROM a\\nADD y /y\\n\"]\n",
        Path::new(".whittle.yaml"),
    )
    .expect("loads");
    let report = check_examples(&config.custom[0]);
    assert_eq!(report.failures.len(), 4, "{:#?}", report.failures);
    assert!(report.failures[0].starts_with("bad example 1: no X1 diagnostic"));
    assert!(report.failures[2].starts_with("bad example 2: fixing it gives"));
    assert!(report.failures[3].starts_with("good example 1: X1 reports at 2:1"));
}

// --- through the command line ----------------------------------------------------------------

fn whittle(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("whittle").expect("binary");
    c.current_dir(dir);
    c
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".whittle.yaml"), ISSUE_RULES).unwrap();
    fs::write(dir.path().join("Dockerfile"), ISSUE_DOCKERFILE).unwrap();
    dir
}

#[test]
fn every_output_format_reports_custom_rules() {
    let dir = project();
    let run = |format: &str| {
        let out = whittle(dir.path())
            .args([
                "check",
                "--format",
                format,
                "--select",
                "ACME",
                "Dockerfile",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    assert!(
        text.contains("error[ACME001]") && text.contains("approved-base-image"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let rules: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["ACME001", "ACME002", "ACME003", "ACME004"]);
    // SARIF lists the rule with its page as help
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let driver_rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let acme = driver_rules
        .iter()
        .find(|r| r["id"] == "ACME002")
        .expect("ACME002 in the driver's rules");
    assert_eq!(acme["name"], "curl-without-fail");
    assert!(
        acme["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# ACME002")
    );
    for (format, needle) in [
        ("github", "title=ACME004 no-debug-env"),
        ("checkstyle", "source=\"ACME003\""),
        ("gitlab", "\"check_name\": \"ACME001\""),
    ] {
        let out = run(format);
        assert!(out.contains(needle), "{format}: {out}");
    }
    // --fix writes the safe fix
    let out = whittle(dir.path())
        .args(["check", "--fix", "--select", "ACME002", "Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(fixed.contains("curl --fail -sSL"), "{fixed}");
}

#[test]
fn command_line_selectors_name_the_custom_rules_of_the_inputs_configurations() {
    // Run from elsewhere, on a project with custom rules and one without.
    let with = project();
    let without = tempfile::tempdir().unwrap();
    fs::write(without.path().join("Dockerfile"), ISSUE_DOCKERFILE).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = whittle(elsewhere.path())
        .args(["check", "--format", "concise", "--select", "ACME004,WH502"])
        .arg(with.path().join("Dockerfile"))
        .arg(without.path().join("Dockerfile"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches("ACME004").count(), 1, "{text}");
    // a selector no configuration knows is still a usage error
    let out = whittle(elsewhere.path())
        .args(["check", "--select", "ACME404"])
        .arg(with.path().join("Dockerfile"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown rule selector `ACME404`"),
        "{out:?}"
    );
}

#[test]
fn rules_and_explain_show_custom_rules() {
    let dir = project();
    let out = whittle(dir.path()).arg("rules").output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("ACME002") && l.contains("curl-without-fail")),
        "{table}"
    );
    let out = whittle(dir.path())
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        all_rules().len() + 4,
        "built-in and custom rules"
    );
    for key in ["ACME003", "source-label"] {
        let out = whittle(dir.path()).args(["explain", key]).output().unwrap();
        assert!(out.status.success(), "{key}");
        let page = String::from_utf8(out.stdout).unwrap();
        assert!(page.starts_with("# ACME003: source-label\n"), "{page}");
        assert!(page.contains("defined in `.whittle.yaml`"), "{page}");
    }
    // a selector naming a custom rule is no usage error
    let out = whittle(dir.path())
        .args(["check", "--select", "no-debug-env", "Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rules_test_runs_the_examples_and_fails_when_one_does_not_hold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = whittle(root)
        .args([
            "rules",
            "--test",
            "--config",
            "examples/rule-packs/acme.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("ok   ACME022 curl-without-fail"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(".whittle.yaml"),
        "custom-rules:\n  - id: X1\n    name: no-add\n    message: m\n    when: {instruction: ADD}\n    examples: {bad: [\"FROM a\\nCOPY x /x\\n\"]}\n",
    )
    .unwrap();
    let out = whittle(dir.path())
        .args(["rules", "--test"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL X1 no-add") && text.contains("bad example 1: no X1 diagnostic"),
        "{text}"
    );
    fs::write(
        dir.path().join(".whittle.yaml"),
        "custom-rules:\n  - id: X1\n",
    )
    .unwrap();
    let out = whittle(dir.path())
        .args(["rules", "--test"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(".whittle.yaml:2:5") && err.contains("missing field `name`"),
        "{err}"
    );
}
