//! The coverage table: `rules/coverage.yaml` lists every check of hadolint, BuildKit, Trivy and
//! checkov, and why a check no rule covers is not covered. The rules covering a check are those
//! whose descriptor lists its ID in `aliases`. This test keeps the table honest (every check is
//! covered by a rule or says why not, never both; every alias of every rule is listed) and keeps
//! `docs/coverage.md` generated from it (`WHITTLE_BLESS=1 cargo test --test coverage` rewrites
//! it).

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;
use whittle::rules::all_rules;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    title: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    planned: Option<String>,
}

/// Tool key in the YAML -> (heading, how its IDs appear in `aliases`).
const TOOLS: [(&str, &str, &str); 4] = [
    ("hadolint", "hadolint", ""),
    ("buildkit", "Docker build checks (BuildKit)", "buildkit:"),
    ("trivy", "Trivy", ""),
    ("checkov", "checkov", ""),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn table() -> BTreeMap<String, Vec<Entry>> {
    let text = fs::read_to_string(root().join("rules/coverage.yaml")).expect("rules/coverage.yaml");
    serde_yaml::from_str(&text).expect("rules/coverage.yaml parses")
}

/// The rules that list `prefix` + the check's ID among their aliases, in ID order, with names.
fn covering(prefix: &str, e: &Entry) -> Vec<(&'static str, &'static str)> {
    let alias = format!("{prefix}{}", e.id);
    all_rules()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.aliases.contains(&alias.as_str()))
        .map(|m| (m.id.as_str(), m.name.as_str()))
        .collect()
}

#[test]
fn every_entry_is_covered_by_a_rule_that_knows_it_or_says_why() {
    let table = table();
    let mut problems = Vec::new();
    for (tool, _, prefix) in TOOLS {
        let entries = table
            .get(tool)
            .unwrap_or_else(|| panic!("no `{tool}` section"));
        let mut seen = BTreeSet::new();
        for e in entries {
            if !seen.insert(&e.id) {
                problems.push(format!("{tool} {}: listed twice", e.id));
            }
            let kinds = !covering(prefix, e).is_empty() as u8
                + e.reason.is_some() as u8
                + e.planned.is_some() as u8;
            if kinds != 1 {
                problems.push(format!(
                    "{tool} {}: needs exactly one of a rule listing `{prefix}{}` in its aliases, \
                     reason, planned",
                    e.id, e.id
                ));
            }
        }
    }
    // Every alias naming one of these tools is in the table.
    let listed: BTreeSet<String> = TOOLS
        .iter()
        .flat_map(|(tool, _, prefix)| {
            table[*tool]
                .iter()
                .map(move |e| format!("{prefix}{}", e.id))
        })
        .collect();
    for r in all_rules() {
        for alias in r.meta().aliases {
            let ours = alias.starts_with("DL")
                || alias.starts_with("DS-")
                || alias.starts_with("CKV")
                || alias.starts_with("buildkit:");
            if ours && !listed.contains(*alias) {
                problems.push(format!(
                    "{}: alias `{alias}` is not in rules/coverage.yaml",
                    r.meta().id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_landscape_counts_match() {
    // hadolint's 71 rules + ShellCheck, BuildKit's 22 checks, Trivy's 28 and checkov's 28
    // Dockerfile checks (../shared/design/rule-landscape.md): nothing left out.
    let table = table();
    let counts: Vec<usize> = TOOLS.iter().map(|(t, _, _)| table[*t].len()).collect();
    assert_eq!(counts, vec![72, 22, 28, 28]);
}

fn coverage_section() -> String {
    let table = table();
    let mut out = String::new();
    let mut totals = Vec::new();
    for (tool, heading, prefix) in TOOLS {
        let entries = &table[tool];
        let covered = entries
            .iter()
            .filter(|e| !covering(prefix, e).is_empty())
            .count();
        let na = entries.iter().filter(|e| e.reason.is_some()).count();
        let planned = entries.iter().filter(|e| e.planned.is_some()).count();
        totals.push(format!(
            "{heading}: {covered} covered, {na} not applicable, {planned} planned"
        ));
        out.push_str(&format!(
            "\n### {heading}\n\n| check | what it checks | whittle |\n|---|---|---|\n"
        ));
        for e in entries {
            let rules = covering(prefix, e);
            let cell = if !rules.is_empty() {
                rules
                    .iter()
                    .map(|(id, name)| format!("[{id}](../rules/{id}.md) `{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if let Some(r) = &e.reason {
                format!("does not apply: {r}")
            } else {
                format!("**not yet**: {}", e.planned.as_deref().unwrap_or_default())
            };
            out.push_str(&format!(
                "| {} | {} | {cell} |\n",
                e.id,
                e.title.replace('|', "\\|")
            ));
        }
    }
    format!(
        "{}\n{out}",
        totals
            .iter()
            .map(|t| format!("- {t}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

const START: &str = "<!-- coverage:start -->\n";
const END: &str = "<!-- coverage:end -->";

#[test]
fn the_coverage_page_is_current() {
    let path = root().join("docs/coverage.md");
    let doc = fs::read_to_string(&path).expect("docs/coverage.md");
    let section = coverage_section();
    let (Some(s), Some(e)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/coverage.md needs the markers `{START}` and `{END}` around the tables");
    };
    if doc[s + START.len()..e] == section {
        return;
    }
    if std::env::var("WHITTLE_BLESS").as_deref() == Ok("1") {
        let updated = format!("{}{section}{}", &doc[..s + START.len()], &doc[e..]);
        fs::write(&path, updated).expect("write docs/coverage.md");
        return;
    }
    panic!("docs/coverage.md is stale; run `WHITTLE_BLESS=1 cargo test --test coverage`");
}
