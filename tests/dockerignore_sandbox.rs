//! `scripts/dockerignore-sandbox.sh` from `cargo test`: real `docker build` against
//! `whittle ignore --list`. Ignored by default (needs a Docker engine and takes ~20 s):
//! `cargo test --test dockerignore_sandbox -- --ignored`.

use std::process::Command;

#[test]
#[ignore = "needs a running Docker engine"]
fn docker_sends_exactly_what_whittle_lists() {
    let docker_up = Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        docker_up,
        "docker is not available (start the sandbox engine first)"
    );
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("bash")
        .arg(format!("{root}/scripts/dockerignore-sandbox.sh"))
        .env("WHITTLE", env!("CARGO_BIN_EXE_whittle"))
        .output()
        .expect("run the sandbox script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
