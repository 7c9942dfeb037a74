//! Counting: a log line is `<date>T<hh>:<mm>:<ss> <LEVEL> <message>`; lines that do not look
//! like that are counted as unparsed.

use std::collections::BTreeMap;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub levels: BTreeMap<String, u64>,
    pub hours: BTreeMap<String, u64>,
    pub unparsed: u64,
}

impl Tally {
    pub fn add(&mut self, line: &str) {
        let mut words = line.split_whitespace();
        let (stamp, level) = match (words.next(), words.next()) {
            (Some(stamp), Some(level)) => (stamp, level),
            _ => {
                if !line.trim().is_empty() {
                    self.unparsed += 1;
                }
                return;
            }
        };
        let hour = stamp
            .split_once('T')
            .and_then(|(_, time)| time.get(..2))
            .filter(|h| h.chars().all(|c| c.is_ascii_digit()));
        let known = matches!(level, "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR");
        match hour {
            Some(h) if known => {
                *self.levels.entry(level.to_string()).or_default() += 1;
                *self.hours.entry(h.to_string()).or_default() += 1;
            }
            _ => self.unparsed += 1,
        }
    }

    pub fn report(&self) -> String {
        let mut out = String::new();
        for (level, n) in &self.levels {
            out.push_str(&format!("level {level} {n}\n"));
        }
        for (hour, n) in &self.hours {
            out.push_str(&format!("hour {hour} {n}\n"));
        }
        out.push_str(&format!("unparsed {}\n", self.unparsed));
        out
    }
}
