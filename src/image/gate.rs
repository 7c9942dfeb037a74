//! The CI gate: dive's three rules with dive's thresholds, read from a `.dive-ci` file as dive
//! reads it (`rules:` with `lowestEfficiency`, `highestWastedBytes`, `highestUserWastedPercent`;
//! a value of `disabled`, `off`, `false` or empty turns a rule off) and from the command line.

use super::efficiency::Efficiency;

/// One rule's threshold, as written (kept for the report) and as parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Threshold<T> {
    Disabled,
    Value { raw: String, value: T },
}

/// The three rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub lowest_efficiency: Threshold<f64>,
    pub highest_wasted_bytes: Threshold<u64>,
    pub highest_user_wasted_percent: Threshold<f64>,
}

impl Default for Gate {
    /// dive's defaults: efficiency 0.9, wasted bytes off, user-wasted 0.1.
    fn default() -> Self {
        Gate {
            lowest_efficiency: Threshold::Value {
                raw: "0.9".into(),
                value: 0.9,
            },
            highest_wasted_bytes: Threshold::Disabled,
            highest_user_wasted_percent: Threshold::Value {
                raw: "0.1".into(),
                value: 0.1,
            },
        }
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RuleResult {
    /// dive's key (`lowestEfficiency`).
    pub rule: &'static str,
    /// `pass`, `fail` or `skip`.
    pub status: &'static str,
    pub message: String,
}

pub const LOWEST_EFFICIENCY: &str = "lowestEfficiency";
pub const HIGHEST_WASTED_BYTES: &str = "highestWastedBytes";
pub const HIGHEST_USER_WASTED_PERCENT: &str = "highestUserWastedPercent";

fn disabled(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "disabled" | "off" | "false"
    )
}

/// A ratio rule's value (0 to 1).
pub fn parse_ratio(key: &str, value: &str) -> Result<Threshold<f64>, String> {
    if disabled(value) {
        return Ok(Threshold::Disabled);
    }
    let v: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("invalid {key} value `{value}`: not a number"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!(
            "{key} value is outside the allowed range (0-1): `{value}`"
        ));
    }
    Ok(Threshold::Value {
        raw: value.to_string(),
        value: v,
    })
}

/// A byte count rule's value (`20MB`, `1.5 GiB`, `1,000`).
pub fn parse_bytes_threshold(key: &str, value: &str) -> Result<Threshold<u64>, String> {
    if disabled(value) {
        return Ok(Threshold::Disabled);
    }
    let v = parse_bytes(value).map_err(|e| format!("invalid {key} value `{value}`: {e}"))?;
    Ok(Threshold::Value {
        raw: value.to_string(),
        value: v,
    })
}

/// go-humanize's `ParseBytes`, which dive uses: a number (digits, `.`, `,` thousands
/// separators) then an optional unit, case-insensitive: `b`, SI `k`/`kb` ... `e`/`eb` (powers of
/// 1000) and IEC `ki`/`kib` ... `ei`/`eib` (powers of 1024).
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let digits = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(s.len(), |(i, _)| i);
    let number: String = s[..digits].chars().filter(|c| *c != ',').collect();
    let f: f64 = number
        .parse()
        .map_err(|_| format!("`{}` is not a number", &s[..digits]))?;
    let unit = s[digits..].trim().to_ascii_lowercase();
    let multiplier: f64 = match unit.as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "p" | "pb" => 1e15,
        "e" | "eb" => 1e18,
        "ki" | "kib" => 1024f64,
        "mi" | "mib" => 1024f64.powi(2),
        "gi" | "gib" => 1024f64.powi(3),
        "ti" | "tib" => 1024f64.powi(4),
        "pi" | "pib" => 1024f64.powi(5),
        "ei" | "eib" => 1024f64.powi(6),
        other => return Err(format!("unknown size unit `{other}`")),
    };
    let v = f * multiplier;
    if v >= u64::MAX as f64 {
        return Err("too large".into());
    }
    Ok(v as u64)
}

/// A YAML scalar as dive's string fields receive it.
fn scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Null => Some(String::new()),
        _ => None,
    }
}

impl Gate {
    /// A `.dive-ci` file: dive's defaults, overridden by the file's `rules:`.
    pub fn from_dive_ci(text: &str) -> Result<Gate, String> {
        let doc: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
        let mut gate = Gate::default();
        let Some(rules) = doc.get("rules") else {
            return Ok(gate);
        };
        if let Some(v) = rules.get(LOWEST_EFFICIENCY).and_then(scalar) {
            gate.lowest_efficiency = parse_ratio(LOWEST_EFFICIENCY, &v)?;
        }
        if let Some(v) = rules.get(HIGHEST_WASTED_BYTES).and_then(scalar) {
            gate.highest_wasted_bytes = parse_bytes_threshold(HIGHEST_WASTED_BYTES, &v)?;
        }
        if let Some(v) = rules.get(HIGHEST_USER_WASTED_PERCENT).and_then(scalar) {
            gate.highest_user_wasted_percent = parse_ratio(HIGHEST_USER_WASTED_PERCENT, &v)?;
        }
        Ok(gate)
    }

    /// dive's verdicts: efficiency below the threshold fails, wasted bytes above it fail, the
    /// user-wasted ratio above it fails (a one-layer image has no ratio and passes, as dive's
    /// NaN comparison does).
    pub fn evaluate(&self, e: &Efficiency) -> Vec<RuleResult> {
        let mut out = Vec::new();
        out.push(match &self.highest_user_wasted_percent {
            Threshold::Disabled => skip(HIGHEST_USER_WASTED_PERCENT),
            Threshold::Value { raw, value } => match e.user_wasted_ratio {
                Some(r) if r > *value => fail(
                    HIGHEST_USER_WASTED_PERCENT,
                    format!(
                        "too many bytes wasted, relative to the user bytes added \
                         (user-wasted-ratio={r:.2} > threshold={raw})"
                    ),
                ),
                _ => pass(HIGHEST_USER_WASTED_PERCENT, raw),
            },
        });
        out.push(match &self.highest_wasted_bytes {
            Threshold::Disabled => skip(HIGHEST_WASTED_BYTES),
            Threshold::Value { raw, value } if e.wasted_bytes > *value => fail(
                HIGHEST_WASTED_BYTES,
                format!(
                    "too many bytes wasted (wasted-bytes={} > threshold={raw})",
                    e.wasted_bytes
                ),
            ),
            Threshold::Value { raw, .. } => pass(HIGHEST_WASTED_BYTES, raw),
        });
        out.push(match &self.lowest_efficiency {
            Threshold::Disabled => skip(LOWEST_EFFICIENCY),
            Threshold::Value { raw, value } if *value > e.score => fail(
                LOWEST_EFFICIENCY,
                format!(
                    "image efficiency is too low (efficiency={:.4} < threshold={raw})",
                    e.score
                ),
            ),
            Threshold::Value { raw, .. } => pass(LOWEST_EFFICIENCY, raw),
        });
        out
    }
}

fn pass(rule: &'static str, raw: &str) -> RuleResult {
    RuleResult {
        rule,
        status: "pass",
        message: raw.to_string(),
    }
}

fn fail(rule: &'static str, message: String) -> RuleResult {
    RuleResult {
        rule,
        status: "fail",
        message,
    }
}

fn skip(rule: &'static str) -> RuleResult {
    RuleResult {
        rule,
        status: "skip",
        message: "disabled".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_like_go_humanize() {
        assert_eq!(parse_bytes("20Mb"), Ok(20_000_000));
        assert_eq!(parse_bytes("19Mb"), Ok(19_000_000));
        assert_eq!(parse_bytes("1.5 GiB"), Ok(1_610_612_736));
        assert_eq!(parse_bytes("1,000"), Ok(1000));
        assert_eq!(parse_bytes("42"), Ok(42));
        assert_eq!(parse_bytes("2k"), Ok(2000));
        assert!(parse_bytes("MB").is_err());
        assert!(parse_bytes("3 furlongs").is_err());
    }

    #[test]
    fn reads_a_dive_ci_file_as_dive_does() {
        // dive's own example file (its repository's `.data/.dive-ci`, comments dropped).
        let g = Gate::from_dive_ci(
            "plugins:\n  - plugin1\nrules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\n  highestUserWastedPercent: 0.5\n  plugin1/rule1: error\n",
        )
        .unwrap();
        assert!(matches!(g.lowest_efficiency, Threshold::Value { value, .. } if value == 0.95));
        assert!(matches!(
            g.highest_wasted_bytes,
            Threshold::Value {
                value: 20_000_000,
                ..
            }
        ));
        let g = Gate::from_dive_ci("rules:\n  highestUserWastedPercent: disabled\n").unwrap();
        assert_eq!(g.highest_user_wasted_percent, Threshold::Disabled);
        assert_eq!(g.lowest_efficiency, Gate::default().lowest_efficiency);
        assert!(Gate::from_dive_ci("rules:\n  lowestEfficiency: 1.5\n").is_err());
    }
}
