mod tally;

use std::io::{self, BufRead, Write};
use tally::Tally;

fn self_test() -> Result<(), String> {
    let mut t = Tally::default();
    for line in [
        "2024-05-01T09:12:00 INFO started",
        "2024-05-01T09:40:10 WARN slow disk",
        "2024-05-01T10:01:00 ERROR lost connection",
        "garbage",
        "",
    ] {
        t.add(line);
    }
    let want = "level ERROR 1\nlevel INFO 1\nlevel WARN 1\nhour 09 2\nhour 10 1\nunparsed 1\n";
    if t.report() == want {
        println!("self-test ok");
        Ok(())
    } else {
        Err(format!("unexpected report:\n{}", t.report()))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version") {
        println!("logtally {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    if args.iter().any(|a| a == "--self-test") {
        if let Err(e) = self_test() {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return;
    }
    let mut t = Tally::default();
    for line in io::stdin().lock().lines() {
        match line {
            Ok(l) => t.add(&l),
            Err(e) => {
                eprintln!("logtally: {e}");
                std::process::exit(1);
            }
        }
    }
    let _ = io::stdout().write_all(t.report().as_bytes());
}
