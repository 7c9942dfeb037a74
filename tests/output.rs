//! Every output format over the same hand-made diagnostics (no parser or rules involved):
//! insta snapshots for the exact text, plus structural checks that would catch a broken schema.

use serde_json::Value;
use whittle::descriptor::{RuleMeta, SharedStr};
use whittle::diagnostic::{Diagnostic, Severity};
use whittle::fix::{Edit, Fix};
use whittle::output::{
    FileReport, Format, RenderOptions, RuleCatalog, Summary, checkstyle, github, gitlab, json,
    render, sarif, text,
};
use whittle::syntax::Span;

const APT_DOC: &str = "# WH301: apt-lists-not-cleaned\n\n## What it does\n\nChecks that apt lists are removed\nin the layer that downloaded them.\n\n## Why is this bad?\n\nThey waste space.\n";
const CASE_DOC: &str =
    "# WH501: instruction-casing\n\n## What it does\n\nChecks instruction casing.\n";

fn catalog() -> RuleCatalog {
    RuleCatalog::new(vec![
        RuleMeta {
            severity: Severity::Style,
            doc: SharedStr::new(CASE_DOC),
            ..RuleMeta::new("WH501", "instruction-casing")
        },
        RuleMeta {
            severity: Severity::Warning,
            doc: SharedStr::new(APT_DOC),
            ..RuleMeta::new("WH301", "apt-lists-not-cleaned")
        },
    ])
}

const FIRST: &str = "FROM debian:bookworm\nrun apt-get update && apt-get install -y curl\n";
/// CRLF, a BOM and a non-ASCII character before the flagged range.
const SECOND: &str = "\u{feff}FROM debian\r\nLABEL x=\"é😀\" # <&>\r\nRUN apt-get update\r\n";

fn at(src: &str, needle: &str) -> Span {
    let start = src.find(needle).expect("needle in fixture");
    Span::new(start, start + needle.len())
}

fn first_diagnostics() -> Vec<Diagnostic> {
    let run = at(FIRST, "run");
    let body = at(FIRST, "apt-get update && apt-get install -y curl");
    vec![
        Diagnostic {
            rule_id: "WH301".into(),
            rule_name: "apt-lists-not-cleaned".into(),
            severity: Severity::Warning,
            span: body,
            message: "`apt-get update` lists are left in the layer".into(),
            fix: Some(Fix::safe(
                "Append `rm -rf /var/lib/apt/lists/*`",
                vec![Edit::insert(body.end, " && rm -rf /var/lib/apt/lists/*")],
            )),
        },
        Diagnostic {
            rule_id: "WH501".into(),
            rule_name: "instruction-casing".into(),
            severity: Severity::Style,
            span: run,
            message: "Instruction `run` is not upper case".into(),
            fix: Some(Fix::unsafe_("Write `RUN`", vec![Edit::replace(run, "RUN")])),
        },
    ]
}

fn second_diagnostics() -> Vec<Diagnostic> {
    let update = at(SECOND, "apt-get update");
    let label = at(SECOND, "# <&>");
    vec![
        Diagnostic {
            rule_id: "WH501".into(),
            rule_name: "instruction-casing".into(),
            severity: Severity::Info,
            span: label,
            message: "Comment text `# <&>` \"quoted\", 100% odd".into(),
            fix: None,
        },
        Diagnostic {
            rule_id: "WH301".into(),
            rule_name: "apt-lists-not-cleaned".into(),
            severity: Severity::Error,
            span: update,
            message: "`apt-get update` lists are left in the layer".into(),
            fix: Some(Fix::display_only(
                "Consider a cache mount",
                vec![Edit::insert(update.start, "--mount=type=cache ")],
            )),
        },
    ]
}

/// Runs `check` over the fixture reports; the data outlives the borrowed reports.
fn with_reports(check: impl FnOnce(&[FileReport<'_>])) {
    let d1 = first_diagnostics();
    let d2 = second_diagnostics();
    let errors = vec!["cannot read `missing/Dockerfile`: No such file or directory".to_string()];
    let reports = [
        FileReport::new("Dockerfile", FIRST, &d1),
        FileReport::new("sub dir/app.Dockerfile", SECOND, &d2),
        FileReport {
            path: "missing/Dockerfile",
            source: "",
            diagnostics: &[],
            errors: &errors,
        },
    ];
    check(&reports);
}

#[test]
fn text_output() {
    with_reports(|reports| {
        let out = text::render(reports, false);
        insta::assert_snapshot!("text", out);
        assert!(out.ends_with(
            "Found 4 problems (1 fixable with --fix, 1 with --unsafe-fixes); 1 error\n"
        ));
        assert!(!out.contains('\u{1b}'));
        assert!(!out.contains('\r'));
        let coloured = text::render(reports, true);
        assert!(coloured.contains("\u{1b}["));
    });
}

#[test]
fn concise_text_output() {
    with_reports(|reports| {
        insta::assert_snapshot!("concise", text::render_concise(reports));
    });
}

#[test]
fn summary_counts() {
    with_reports(|reports| {
        let s = Summary::of(reports);
        assert_eq!(
            (s.problems, s.safe_fixable, s.unsafe_fixable, s.errors),
            (4, 1, 1, 1)
        );
    });
}

#[test]
fn json_output() {
    with_reports(|reports| {
        let out = json::render(reports);
        insta::assert_snapshot!("json", out);
        let v: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(v["version"], 1);
        let files = v["files"].as_array().expect("files");
        assert_eq!(files.len(), 3);
        // The BOM is 3 bytes, 1 character and 1 UTF-16 unit; `#` after `é😀` on line 2.
        let label = &files[1]["diagnostics"][0];
        assert_eq!(label["start"]["line"], 2);
        assert_eq!(label["start"]["column"], 14);
        assert_eq!(label["start"]["column_utf16"], 15);
        assert_eq!(label["start"]["offset"], SECOND.find('#').unwrap());
        assert_eq!(label["fix"], Value::Null);
        let fix = &files[0]["diagnostics"][0]["fix"];
        assert_eq!(fix["applicability"], "safe");
        assert_eq!(fix["edits"][0]["start"], fix["edits"][0]["end"]);
        assert!(files[2]["errors"][0]["message"].as_str().is_some());
    });
}

#[test]
fn sarif_output_has_the_2_1_0_shape() {
    // The SARIF 2.1.0 JSON schema cannot be downloaded here, so this checks the properties the
    // schema requires and the ones GitHub code scanning reads.
    with_reports(|reports| {
        let out = sarif::render(reports, &catalog(), "0.1.0");
        insta::assert_snapshot!("sarif", out);
        let v: Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(v["version"], "2.1.0");
        assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let run = &v["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "whittle");
        let rules = driver["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["WH301", "WH501"]);
        for r in rules {
            assert!(r["shortDescription"]["text"].as_str().is_some());
            assert!(r["help"]["text"].as_str().unwrap().starts_with("# WH"));
            let level = r["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(["none", "note", "warning", "error"].contains(&level));
        }
        assert_eq!(
            rules[0]["shortDescription"]["text"],
            "Checks that apt lists are removed in the layer that downloaded them."
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        for r in results {
            let id = r["ruleId"].as_str().unwrap();
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], id);
            assert!(r["message"]["text"].as_str().is_some());
            let region = &r["locations"][0]["physicalLocation"]["region"];
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(region[key].as_u64().unwrap() >= 1, "{key}");
            }
        }
        // The fix of the first result: an insertion is an empty deleted region.
        let fix = &results[0]["fixes"][0];
        assert_eq!(
            fix["description"]["text"],
            "Append `rm -rf /var/lib/apt/lists/*`"
        );
        let change = &fix["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
        let deleted = &change["replacements"][0]["deletedRegion"];
        assert_eq!(deleted["startColumn"], deleted["endColumn"]);
        assert_eq!(
            change["replacements"][0]["insertedContent"]["text"],
            " && rm -rf /var/lib/apt/lists/*"
        );
        // A path with a space is a valid URI reference.
        assert_eq!(
            results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "sub%20dir/app.Dockerfile"
        );
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    });
}

#[test]
fn github_output() {
    with_reports(|reports| {
        let out = github::render(reports);
        insta::assert_snapshot!("github", out);
        let first = out.lines().next().unwrap();
        assert!(first.starts_with(
            "::warning file=Dockerfile,line=2,col=5,endLine=2,endColumn=46,title=WH301 apt-lists-not-cleaned::"
        ));
        assert!(out.contains("100%25 odd"));
        assert!(out.contains("::notice "));
        assert!(out.contains("::error file=missing/Dockerfile,"));
    });
}

#[test]
fn checkstyle_output() {
    with_reports(|reports| {
        let out = checkstyle::render(reports);
        insta::assert_snapshot!("checkstyle", out);
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle"));
        assert_eq!(out.matches("<file ").count(), 3);
        assert_eq!(out.matches("</file>").count(), 3);
        assert!(out.contains("&lt;&amp;&gt;"));
        assert!(!out.contains("<&>"));
    });
}

#[test]
fn gitlab_output() {
    with_reports(|reports| {
        let out = gitlab::render(reports);
        insta::assert_snapshot!("gitlab", out);
        let v: Value = serde_json::from_str(&out).unwrap();
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), 5);
        let mut fps: Vec<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        fps.sort();
        fps.dedup();
        assert_eq!(fps.len(), 5, "fingerprints are unique");
        for i in issues {
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            let sev = i["severity"].as_str().unwrap();
            assert!(["info", "minor", "major", "critical", "blocker"].contains(&sev));
        }
    });
}

#[test]
fn gitlab_fingerprint_survives_lines_added_above() {
    let src = "FROM a\nRUN apt-get update\n";
    let shifted = "FROM a\n# new comment\nRUN apt-get update\n";
    let fp = |src: &'static str| {
        let d = vec![Diagnostic {
            rule_id: "WH301".into(),
            rule_name: "apt-lists-not-cleaned".into(),
            severity: Severity::Warning,
            span: at(src, "apt-get update"),
            message: "m".into(),
            fix: None,
        }];
        gitlab::to_value(&[FileReport::new("Dockerfile", src, &d)])[0]["fingerprint"].clone()
    };
    assert_eq!(fp(src), fp(shifted));
}

#[test]
fn render_dispatches_every_format() {
    with_reports(|reports| {
        let options = RenderOptions {
            color: false,
            version: "0.1.0",
            quiet: false,
        };
        for format in Format::ALL {
            let out = render(format, reports, &catalog(), &options);
            assert!(out.contains("WH301"), "{format}");
        }
    });
}
