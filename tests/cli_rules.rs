//! `whittle rules` and `whittle explain`.

use assert_cmd::Command;

fn whittle() -> Command {
    Command::cargo_bin("whittle").expect("binary")
}

#[test]
fn rules_json_lists_every_registered_rule_with_aliases() {
    let out = whittle()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), whittle::rules::all_rules().len());
    let wh301 = rows
        .iter()
        .find(|r| r["id"] == "WH301")
        .expect("WH301 listed");
    assert_eq!(wh301["name"], "apt-lists-not-cleaned");
    assert!(
        wh301["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "DL3009")
    );
}

#[test]
fn rules_table_has_a_line_per_rule_and_marks_rules_that_are_off() {
    let out = whittle().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), whittle::rules::all_rules().len() + 1);
    assert!(
        text.lines()
            .any(|l| l.starts_with("WH590") && l.contains("(off)"))
    );
}

#[test]
fn explain_finds_a_rule_by_id_name_or_alias() {
    for key in ["WH301", "apt-lists-not-cleaned", "DL3009"] {
        let out = whittle().args(["explain", key]).output().unwrap();
        assert!(out.status.success(), "{key}");
        assert!(
            String::from_utf8(out.stdout)
                .unwrap()
                .starts_with("# WH301: apt-lists-not-cleaned")
        );
    }
}

#[test]
fn explain_of_an_unknown_rule_is_a_usage_error() {
    let out = whittle()
        .args(["explain", "no-such-rule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no-such-rule")
    );
}
