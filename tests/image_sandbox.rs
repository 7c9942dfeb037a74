//! Attribution on real images: the Dockerfiles under tests/image/ are built with the local
//! Docker engine, exported with `docker save`, and `whittle image --dockerfile` must name the
//! right line and rule for each piece of waste. Ignored by default (needs a Docker engine and
//! the Debian archive, about a minute the first time):
//! `cargo test --test image_sandbox -- --ignored`; CI runs it when an engine is up.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn docker_up() -> bool {
    Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Build tests/image/NAME, save it, and return `whittle image --format json` of it.
fn analyze(name: &str) -> Value {
    assert!(
        docker_up(),
        "docker is not available (start the sandbox engine first)"
    );
    let root = env!("CARGO_MANIFEST_DIR");
    let context = Path::new(root).join("tests/image").join(name);
    let tag = format!("whittle-image-fixture-{name}");
    let build = Command::new("docker")
        .args(["build", "--network=host", "-q", "-t", &tag])
        .arg(&context)
        .env("DOCKER_BUILDKIT", "1")
        .output()
        .expect("docker build");
    assert!(
        build.status.success(),
        "build of {name} failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("image.tar");
    let save = Command::new("docker")
        .args(["image", "save", "-o"])
        .arg(&archive)
        .arg(&tag)
        .output()
        .expect("docker save");
    assert!(
        save.status.success(),
        "{}",
        String::from_utf8_lossy(&save.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_whittle"))
        .args(["image", "--format", "json", "--dockerfile"])
        .arg(context.join("Dockerfile"))
        .arg(&archive)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The finding of `kind` (and `rule`) at `line`.
fn finding<'a>(v: &'a Value, kind: &str, rule: Option<&str>, line: u64) -> &'a Value {
    let all = v["attribution"]["findings"].as_array().unwrap();
    all.iter()
        .find(|f| f["kind"] == kind && f["line"] == line && f["rule"].as_str() == rule)
        .unwrap_or_else(|| panic!("no {kind} {rule:?} finding at line {line}: {all:#?}"))
}

#[test]
#[ignore = "needs a running Docker engine"]
fn cleanup_in_a_later_layer_overwrites_and_downloads() {
    let v = analyze("cleanup-later");
    // The apt lists of line 2, removed by line 9: WH304 at the removing line, with its fix.
    let f = finding(&v, "removed-later", Some("WH304"), 9);
    assert_eq!(f["stored_by_line"], 2);
    assert_eq!(f["lint_confirms"], true);
    assert!(f["fix"].as_str().is_some());
    assert!(f["bytes"].as_u64().unwrap() > 10_000_000, "{f}");
    // A directory made by line 7 and removed by line 8: the same waste, which the lint rule
    // (package-manager files only) does not report.
    let f = finding(&v, "removed-later", Some("WH304"), 8);
    assert_eq!(f["stored_by_line"], 7);
    assert_eq!(f["bytes"], 2_000_000);
    assert_eq!(f["lint_confirms"], false);
    // chmod in its own RUN copies the whole file.
    let f = finding(&v, "overwritten-later", None, 6);
    assert_eq!(f["stored_by_line"], 5);
    assert_eq!(f["bytes"], 1_000_000);
    // The downloaded archive left beside what was extracted from it.
    let f = finding(&v, "downloaded-archive", Some("WH310"), 3);
    assert_eq!(f["paths"][0]["path"], "/tmp/hello.tar.gz");
    assert_eq!(f["lint_confirms"], true);
    // Layers are matched to their lines: the base image's layer to none.
    let lines: Vec<Value> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["instruction"]["line"].clone())
        .collect();
    assert_eq!(lines[0], Value::Null);
    assert_eq!(lines[1..], [2, 3, 5, 6, 7, 8, 9].map(Value::from));
}

#[test]
#[ignore = "needs a running Docker engine"]
fn multi_stage_build_points_at_the_final_stage() {
    let v = analyze("multistage");
    // The build stage (lines 1-4) is not in the image; its twin RUN on line 7 is.
    let f = finding(&v, "build-toolchain", Some("WH307"), 7);
    assert!(f["bytes"].as_u64().unwrap() > 100_000_000, "{f}");
    assert_eq!(f["lint_confirms"], true);
    let f = finding(&v, "package-cache", Some("WH301"), 7);
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("rm -rf /var/lib/apt/lists")
    );
    for f in v["attribution"]["findings"].as_array().unwrap() {
        assert!(f["line"].as_u64().unwrap() >= 6, "{f}");
    }
}

#[test]
#[ignore = "needs a running Docker engine"]
fn multi_stage_chain_keeps_the_base_stage_lines() {
    let v = analyze("multistage-chain");
    // The final stage is `FROM base`: base's RUN (line 2) is a layer of the image.
    let f = finding(&v, "build-toolchain", Some("WH307"), 2);
    assert!(f["bytes"].as_u64().unwrap() > 100_000_000, "{f}");
    let f = finding(&v, "removed-later", Some("WH304"), 10);
    assert_eq!(f["stored_by_line"], 2);
    let lines: Vec<Value> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["instruction"]["line"].clone())
        .collect();
    assert_eq!(lines, [Value::Null, 2.into(), 9.into(), 10.into()]);
}
