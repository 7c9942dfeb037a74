//! The YAML tables under `rules/` are converted to JSON at build time: parsing 40 KB of YAML
//! took most of a one-file `whittle check` (callgrind: 79% of the instructions), JSON parses
//! an order of magnitude faster. The YAML stays the source of truth; a bad table fails the build.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["package-managers", "base-images"] {
        let src = format!("rules/{name}.yaml");
        println!("cargo::rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let value: serde_json::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{src}: {e}"));
        let json = serde_json::to_string(&value).expect("a YAML value is JSON");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json)
            .unwrap_or_else(|e| panic!("writing {name}.json: {e}"));
    }
}
