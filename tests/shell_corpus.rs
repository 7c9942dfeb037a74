//! Dev-only corpus measurement: parse every RUN body that `bash -n` accepts and report the accept
//! rate and throughput. The directory (one file per body, `valid.txt` listing the valid ones) is
//! named by `WHITTLE_SHELL_CORPUS`:
//!
//! `WHITTLE_SHELL_CORPUS=/work/corpus/run-bodies cargo test --release --test shell_corpus -- --ignored --nocapture`

mod shell_common;

use std::time::Instant;

use shell_common::check_invariants;
use whittle::syntax::shell::parse;

#[test]
#[ignore = "needs WHITTLE_SHELL_CORPUS"]
fn corpus_bodies_parse() {
    let Ok(dir) = std::env::var("WHITTLE_SHELL_CORPUS") else {
        panic!("set WHITTLE_SHELL_CORPUS to the run-bodies directory");
    };
    let dir = std::path::Path::new(&dir);
    let list = std::fs::read_to_string(dir.join("valid.txt")).expect("valid.txt");
    let bodies: Vec<(String, String)> = list
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|name| {
            let text = std::fs::read(dir.join(name.trim())).ok()?;
            Some((name.trim().to_string(), String::from_utf8(text).ok()?))
        })
        .collect();
    assert!(!bodies.is_empty(), "no bodies read");

    let mut failures = Vec::new();
    let mut commands = 0usize;
    for (name, body) in &bodies {
        match parse(body) {
            Ok(script) => {
                check_invariants(body, &script);
                commands += script.cmds.len();
            }
            Err(e) => failures.push(format!("{name} at {:?}: {}", e.span, e.message)),
        }
    }

    // Throughput: parse the whole set several times.
    let rounds = 5;
    let start = Instant::now();
    let mut ok = 0usize;
    for _ in 0..rounds {
        for (_, body) in &bodies {
            ok += usize::from(parse(body).is_ok());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let bytes: usize = bodies.iter().map(|(_, b)| b.len()).sum();
    let n = bodies.len();
    println!(
        "{} of {n} valid bodies parsed ({:.3}%), {commands} commands, {} bytes",
        n - failures.len(),
        100.0 * (n - failures.len()) as f64 / n as f64,
        bytes
    );
    println!(
        "{:.0} bodies/s, {:.1} MB/s ({ok} parses in {secs:.3}s)",
        (rounds * n) as f64 / secs,
        (rounds * bytes) as f64 / secs / 1e6
    );
    for f in failures.iter().take(40) {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} valid bodies failed",
        failures.len()
    );
}
