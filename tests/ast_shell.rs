//! `whittle ast` gives, for each RUN the shell runs, its dialect and parsed commands with their
//! positions in the Dockerfile, or the shell parse error.

use serde_json::{Value, json};
use whittle::cli::ast::file_ast;
use whittle::syntax;

fn runs(src: &str) -> Vec<Value> {
    let df = syntax::parse(src);
    let v = serde_json::to_value(file_ast("t", &df)).unwrap();
    v["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["keyword"] == "RUN")
        .cloned()
        .collect()
}

#[test]
fn commands_carry_argv_positions_and_operators() {
    let r =
        runs("FROM d\nRUN apt-get update && \\\n  # note\n    apt-get install -y \"curl\" $PKG\n");
    assert_eq!(r[0]["shell_dialect"], "posix");
    assert_eq!(
        r[0]["commands"],
        json!([
            {"argv": ["apt-get", "update"], "line": 2, "column": 5, "op_before": null},
            {"argv": ["apt-get", "install", "-y", "curl", "$PKG"], "line": 4, "column": 5, "op_before": "&&"}
        ])
    );
}

#[test]
fn heredoc_scripts_and_dialects() {
    let src = "FROM d\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\nset -e\n[[ -d /x ]] || mkdir /x\nEOF\n\
               RUN python3 <<EOF\nprint('hi')\nEOF\n";
    let r = runs(src);
    assert_eq!(r[0]["shell_dialect"], "bash");
    let names: Vec<&str> = r[0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["argv"][0].as_str().unwrap())
        .collect();
    assert_eq!(names, ["set", "[[", "mkdir"]);
    assert_eq!(r[0]["commands"][2]["line"], 5);
    // the command line is shell; python's input is data
    let names: Vec<&str> = r[1]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["argv"][0].as_str().unwrap())
        .collect();
    assert_eq!(names, ["python3"]);
}

#[test]
fn unparseable_bodies_and_non_shell_runs() {
    let r = runs(
        "FROM d\nRUN echo 'open\nRUN [\"echo\", \"x\"]\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN dir\n",
    );
    assert_eq!(r[0]["shell_error"]["line"], 2);
    assert!(r[0].get("commands").is_none());
    for other in &r[1..] {
        assert!(other.get("commands").is_none() && other.get("shell_error").is_none());
    }
}
