//! `whittle image` output: a readable report (layer table, dive's numbers, the top wasted
//! paths, waste by Dockerfile line, the gate) and a JSON document (schema in `docs/image.md`).

use super::attribution::Finding;
use super::gate::RuleResult;
use super::{Attribution, Image};
use crate::syntax::Dockerfile;
use serde_json::json;
use std::fmt::Write;

/// A Dockerfile with the attribution made from it.
pub struct DockerfileView<'a> {
    pub path: &'a str,
    pub file: &'a Dockerfile,
    pub attribution: &'a Attribution,
}

/// Decimal units, one decimal (`1.2 MB`), as dive prints sizes.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

fn one_line(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max.saturating_sub(3)).collect();
        format!("{cut}...")
    } else {
        flat
    }
}

/// What made layer `i`: `line 7: RUN ...` with a Dockerfile, else the history's command.
fn layer_origin(image: &Image, df: Option<&DockerfileView<'_>>, i: usize, max: usize) -> String {
    if let Some(df) = df
        && let Some(Some(ins)) = df.attribution.layer_instruction.get(i)
    {
        let ins = &df.file.instructions[*ins];
        return format!(
            "line {}: {}",
            ins.start_line,
            one_line(df.file.text(ins.span), max)
        );
    }
    let l = &image.layers[i];
    let base = if df.is_some() { " (base image)" } else { "" };
    if l.command.trim().is_empty() {
        format!("(no command){base}")
    } else {
        format!(
            "{}{base}",
            one_line(&l.command, max.saturating_sub(base.len()))
        )
    }
}

pub fn text(
    name: &str,
    image: &Image,
    df: Option<&DockerfileView<'_>>,
    gate: Option<&[RuleResult]>,
    top: usize,
) -> String {
    let mut o = String::new();
    let e = &image.efficiency;
    let _ = writeln!(
        o,
        "Image {name}: {} layers, {}",
        image.layers.len(),
        bytes(e.size_bytes)
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:>3}  {:>9}  {:>9}  {:<5}  {:>17}  {:>17}  {:>17}  made by",
        "#", "size", "stored", "comp", "added", "changed", "removed"
    );
    for (i, l) in image.layers.iter().enumerate() {
        let c = &l.changes;
        let count = |n: usize, b: u64| {
            if n == 0 {
                "-".to_string()
            } else {
                format!("{n} ({})", bytes(b))
            }
        };
        let _ = writeln!(
            o,
            "{:>3}  {:>9}  {:>9}  {:<5}  {:>17}  {:>17}  {:>17}  {}",
            i,
            bytes(l.size),
            bytes(l.stored_size),
            l.compression.as_str(),
            count(c.added_files, c.added_bytes),
            count(c.changed_files, c.changed_bytes),
            count(c.removed_files, c.removed_bytes),
            layer_origin(image, df, i, 70)
        );
        if let Some(err) = &l.error {
            let _ = writeln!(
                o,
                "     error: the layer could not be read to its end: {err}"
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "Largest files per layer:");
    for (i, l) in image.layers.iter().enumerate() {
        let items: Vec<String> = l
            .largest
            .iter()
            .take(3)
            .map(|p| format!("{} ({})", p.path, bytes(p.bytes)))
            .collect();
        if !items.is_empty() {
            let _ = writeln!(o, "{:>3}  {}", i, items.join(", "));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "dive's metrics:");
    let _ = writeln!(o, "  efficiency:          {:.4} %", e.score * 100.0);
    let _ = writeln!(
        o,
        "  wasted bytes:        {} ({})",
        e.wasted_bytes,
        bytes(e.wasted_bytes)
    );
    let _ = writeln!(
        o,
        "  user wasted percent: {}",
        e.user_wasted_ratio
            .map_or("- (one layer)".to_string(), |r| format!(
                "{:.2} %",
                r * 100.0
            ))
    );
    if e.inefficient.is_empty() {
        let _ = writeln!(o, "  inefficient paths:   none");
    } else {
        let _ = writeln!(
            o,
            "  inefficient paths:   {} (largest {} below)",
            e.inefficient.len(),
            top.min(e.inefficient.len())
        );
        let _ = writeln!(o, "    {:>5}  {:>9}  path", "count", "wasted");
        for u in e.inefficient.iter().take(top) {
            let _ = writeln!(
                o,
                "    {:>5}  {:>9}  {}",
                u.count,
                bytes(u.cumulative_size.max(0) as u64),
                u.path
            );
        }
    }
    if let Some(df) = df {
        let _ = writeln!(o);
        findings_text(&mut o, df);
    }
    if let Some(results) = gate {
        let _ = writeln!(o);
        let failed = results.iter().any(|r| r.status == "fail");
        let _ = writeln!(o, "CI gate: {}", if failed { "FAIL" } else { "PASS" });
        for r in results {
            let _ = writeln!(
                o,
                "  {}  {} ({})",
                r.status.to_ascii_uppercase(),
                r.rule,
                r.message
            );
        }
    }
    o
}

fn findings_text(o: &mut String, df: &DockerfileView<'_>) {
    let findings = &df.attribution.findings;
    if findings.is_empty() {
        let _ = writeln!(o, "Waste by Dockerfile line ({}): none found", df.path);
        return;
    }
    let total: u64 = findings.iter().map(|f| f.bytes).sum();
    let _ = writeln!(
        o,
        "Waste by Dockerfile line ({}): {} findings, {}",
        df.path,
        findings.len(),
        bytes(total)
    );
    for f in findings {
        let at = f
            .line
            .map_or("(no line)".to_string(), |l| format!("{}:{l}", df.path));
        let rule = match (f.rule, f.rule_name) {
            (Some(id), Some(name)) => format!("{id} {name}"),
            (Some(id), None) => id.to_string(),
            _ => "no rule".to_string(),
        };
        let _ = writeln!(o, "  {at}  {:>9}  {rule}", bytes(f.bytes));
        let _ = writeln!(o, "      {}", f.message);
        match (&f.fix, f.rule, f.lint_confirms) {
            (Some(fix), _, _) => {
                let _ = writeln!(o, "      fix: {fix} (`whittle check --fix`)");
            }
            (None, Some(_), true) => {
                let _ = writeln!(o, "      whittle reports it; no automatic fix");
            }
            (None, Some(_), false) => {
                let _ = writeln!(o, "      whittle's lint does not report it on this line");
            }
            _ => {}
        }
        for p in f.paths.iter().take(3) {
            let _ = writeln!(o, "      {} ({})", p.path, bytes(p.bytes));
        }
    }
}

fn finding_json(f: &Finding) -> serde_json::Value {
    serde_json::to_value(f).unwrap_or(serde_json::Value::Null)
}

pub fn json(
    name: &str,
    image: &Image,
    df: Option<&DockerfileView<'_>>,
    gate: Option<&[RuleResult]>,
) -> String {
    let e = &image.efficiency;
    let layers: Vec<serde_json::Value> = image
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v = serde_json::to_value(l).unwrap_or_default();
            let instruction = df.and_then(|df| {
                let ins = (*df.attribution.layer_instruction.get(i)?)?;
                let ins = &df.file.instructions[ins];
                Some(json!({"line": ins.start_line, "text": df.file.text(ins.span)}))
            });
            v["instruction"] = instruction.unwrap_or(serde_json::Value::Null);
            v
        })
        .collect();
    let doc = json!({
        "schema": "whittle-image/1",
        "image": name,
        "tags": image.tags,
        "layers": layers,
        "dive": {
            "efficiency": e.score,
            "size_bytes": e.size_bytes,
            "user_size_bytes": e.user_size_bytes,
            "wasted_bytes": e.wasted_bytes,
            "user_wasted_ratio": e.user_wasted_ratio,
            "inefficient": e.inefficient,
        },
        "attribution": df.map(|df| json!({
            "dockerfile": df.path,
            "findings": df.attribution.findings.iter().map(finding_json).collect::<Vec<_>>(),
        })),
        "gate": gate.map(|g| json!({
            "pass": !g.iter().any(|r| r.status == "fail"),
            "rules": g,
        })),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
