//! Data-driven parser cases: every `tests/parser/cases/<name>.Dockerfile` is parsed and its
//! `whittle ast` JSON compared with `<name>.json`. The expected files were written by running
//! with `WHITTLE_BLESS=1` and then reviewed by hand against BuildKit's behaviour.

use std::path::Path;
use whittle::cli::ast::file_ast;
use whittle::syntax;

#[test]
fn parser_cases_match_expected_ast() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parser/cases");
    let bless = std::env::var_os("WHITTLE_BLESS").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 40,
        "expected the full case set, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let df = syntax::parse(&text);
        let mut got = serde_json::to_value(file_ast(&name, &df)).unwrap();
        strip_shell_fields(&mut got);
        let expected_path = path.with_extension("json");
        if bless {
            let pretty = serde_json::to_string_pretty(&got).unwrap() + "\n";
            std::fs::write(&expected_path, pretty).unwrap();
            continue;
        }
        let expected: serde_json::Value = match std::fs::read_to_string(&expected_path) {
            Ok(t) => serde_json::from_str(&t).unwrap(),
            Err(_) => {
                failures.push(format!("{name}: missing {}", expected_path.display()));
                continue;
            }
        };
        if got != expected {
            failures.push(format!(
                "{name}: got\n{}",
                serde_json::to_string_pretty(&got).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// These cases pin the Dockerfile layer; the shell view of each RUN (`shell_dialect`,
/// `commands`, `shell_error`) is checked by `tests/ast_shell.rs`.
fn strip_shell_fields(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for key in ["shell_dialect", "commands", "shell_error"] {
                map.remove(key);
            }
            map.values_mut().for_each(strip_shell_fields);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_shell_fields),
        _ => {}
    }
}
