//! Dev-only corpus measurement: parse every RUN body that `bash -n` accepts and report the accept
//! rate and throughput. The directory (one file per body, `valid.txt` listing the valid ones) is
//! named by `WHITTLE_SHELL_CORPUS`:
//!
//! `WHITTLE_SHELL_CORPUS=DIR cargo test --release --test shell_corpus -- --ignored --nocapture`

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

/// One-byte-edit mutants of corpus bodies: every mutant `bash -n` accepts silently must parse.
/// `WHITTLE_SHELL_MUTANTS=n` sets the number of mutants (default 2000), `WHITTLE_SHELL_MUTANTS_SEED`
/// the generator's seed.
#[test]
#[ignore = "needs WHITTLE_SHELL_CORPUS and bash"]
fn corpus_mutants_bash_accepts_parse() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let Ok(dir) = std::env::var("WHITTLE_SHELL_CORPUS") else {
        panic!("set WHITTLE_SHELL_CORPUS to the run-bodies directory");
    };
    let dir = std::path::Path::new(&dir);
    let list = std::fs::read_to_string(dir.join("valid.txt")).expect("valid.txt");
    let bodies: Vec<String> = list
        .lines()
        .filter_map(|n| std::fs::read_to_string(dir.join(n.trim())).ok())
        .filter(|b| !b.is_empty())
        .collect();
    assert!(!bodies.is_empty(), "no bodies read");
    let count: usize = std::env::var("WHITTLE_SHELL_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let bash_accepts = |src: &str| {
        let Ok(mut child) = Command::new("bash")
            .arg("-n")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
        else {
            return false;
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(src.as_bytes());
        }
        child
            .wait_with_output()
            .map(|o| o.status.success() && o.stderr.is_empty())
            .unwrap_or(false)
    };
    // A small deterministic generator (xorshift) keeps the run reproducible.
    let mut state = std::env::var("WHITTLE_SHELL_MUTANTS_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15)
        | 1;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    const INSERTS: &[&str] = &[
        " ", ";", "&", "|", "(", ")", "{", "}", "'", "\"", "`", "$", "\\", "\n", "#", "<", ">",
        "fi", "done", "[[", "]]", "$(", "${",
    ];
    let (mut accepted, mut lenient, mut failures) = (0usize, 0usize, Vec::new());
    for _ in 0..count {
        let body = &bodies[next(bodies.len())];
        let mut at = next(body.len() + 1);
        while !body.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = at + 1;
        while end < body.len() && !body.is_char_boundary(end) {
            end += 1;
        }
        let rest_after = body.get(end..).unwrap_or("");
        let mutant = match next(3) {
            0 => format!("{}{}", &body[..at], rest_after),
            1 => format!(
                "{}{}{}",
                &body[..at],
                INSERTS[next(INSERTS.len())],
                &body[at..]
            ),
            _ => format!(
                "{}{}{}",
                &body[..at],
                INSERTS[next(INSERTS.len())],
                rest_after
            ),
        };
        let ours = parse(&mutant);
        if let Ok(script) = &ours {
            check_invariants(&mutant, script);
        }
        let bash = bash_accepts(&mutant);
        lenient += usize::from(!bash && ours.is_ok());
        if bash {
            accepted += 1;
            if let Err(e) = parse(&mutant) {
                failures.push(format!("{:?} at {:?}: {}", mutant, e.span, e.message));
            }
        }
    }
    println!(
        "{accepted} of {count} mutants accepted by bash; {} of those failed here; \
         {lenient} rejected by bash parsed here",
        failures.len()
    );
    for f in failures.iter().take(20) {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty());
}

/// Word splitting and quote removal agree with bash: for every corpus command whose argv words
/// have no expansions, bash (with globbing and brace expansion off) prints the same arguments as
/// `Word::literal`.
#[test]
#[ignore = "needs WHITTLE_SHELL_CORPUS and bash"]
fn corpus_literals_match_bash() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let Ok(dir) = std::env::var("WHITTLE_SHELL_CORPUS") else {
        panic!("set WHITTLE_SHELL_CORPUS to the run-bodies directory");
    };
    let dir = std::path::Path::new(&dir);
    let list = std::fs::read_to_string(dir.join("valid.txt")).expect("valid.txt");
    let (mut compared, mut mismatches) = (0usize, Vec::new());
    for name in list.lines() {
        let Ok(body) = std::fs::read_to_string(dir.join(name.trim())) else {
            continue;
        };
        let Ok(script) = parse(&body) else { continue };
        let mut lines =
            String::from("set -f +B\nf() { printf '%s\\0' \"$@\"; printf '\\1\\0'; }\n");
        let mut expected: Vec<Vec<String>> = Vec::new();
        for cmd in &script.cmds {
            let words = &cmd.argv;
            let plain = !words.is_empty()
                && words[0].raw(&body) != "[["
                && words.iter().all(|w| {
                    let raw = w.raw(&body);
                    !w.has_expansion && !raw.contains('~') && !raw.contains("=(")
                });
            if !plain {
                continue;
            }
            let lits: Option<Vec<String>> = words
                .iter()
                .map(|w| w.literal(&body).map(|l| l.into_owned()))
                .collect();
            let Some(lits) = lits else { continue };
            lines.push('f');
            for w in words {
                lines.push(' ');
                lines.push_str(w.raw(&body));
            }
            lines.push('\n');
            expected.push(lits);
        }
        if expected.is_empty() {
            continue;
        }
        let mut child = Command::new("bash")
            .arg("-s")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bash");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(lines.as_bytes());
        }
        let out = child.wait_with_output().expect("bash output");
        let text = String::from_utf8_lossy(&out.stdout);
        let got: Vec<Vec<String>> = text
            .split("\u{1}\0")
            .filter(|r| !r.is_empty())
            .map(|r| r.split_terminator('\0').map(str::to_string).collect())
            .collect();
        compared += expected.len();
        if got != expected {
            mismatches.push(format!("{name}: ours {expected:?}\n  bash {got:?}"));
        }
    }
    println!(
        "{compared} commands compared, {} bodies differ",
        mismatches.len()
    );
    for m in mismatches.iter().take(15) {
        println!("DIFF {m}");
    }
    assert!(mismatches.is_empty());
}
