//! Reading `EXPOSE` port specs the way BuildKit does (`convert_expose.go`):
//! `[ip:][hostPort:]containerPort[/proto]`, shared by WH209 and WH506.

use crate::semantic::Semantic;
use crate::syntax::{Dockerfile, InstructionView, Span, Word};

/// One port spec of an `EXPOSE` word.
pub struct PortSpec {
    /// The spec as BuildKit sees it (after variable expansion).
    pub text: String,
    pub ip: Option<String>,
    pub host_port: Option<String>,
    pub container_port: String,
    pub proto: Option<String>,
    /// Whether `text` is written verbatim at `span` (no variable, quote or continuation), so
    /// that edits can target its parts.
    pub literal: bool,
    /// The word in the file.
    pub span: Span,
}

impl PortSpec {
    fn parse(text: &str, literal: bool, span: Span) -> PortSpec {
        let parts: Vec<&str> = text.split(':').collect();
        let (ip, host, rest) = match parts.as_slice() {
            [rest] => (None, None, *rest),
            [host, rest] => (None, Some(*host), *rest),
            [ip, host, rest] => (Some(ip.to_string()), Some(*host), *rest),
            // IPv6 addresses contain `:`: the last two parts are the ports.
            [.., host, rest] => (Some(parts[..parts.len() - 2].join(":")), Some(*host), *rest),
            [] => (None, None, ""),
        };
        let (container, proto) = match rest.split_once('/') {
            Some((port, proto)) => (port, Some(proto.to_string())),
            None => (rest, None),
        };
        PortSpec {
            text: text.to_string(),
            ip,
            host_port: host.map(str::to_string),
            container_port: container.to_string(),
            proto,
            literal,
            span,
        }
    }

    /// The container port with its protocol: what the image records.
    pub fn container_part(&self) -> String {
        match &self.proto {
            Some(p) => format!("{}/{p}", self.container_port),
            None => self.container_port.clone(),
        }
    }
}

/// The port specs of every `EXPOSE` of the file, in order (words whose variables have no known
/// value left out): what the EXPOSE rules walk.
pub fn expose_specs(file: &Dockerfile, semantic: &Semantic) -> Vec<PortSpec> {
    let mut out = Vec::new();
    for (i, ins) in file.instructions.iter().enumerate() {
        if let InstructionView::Expose(expose) = ins.view() {
            for word in &expose.ports {
                out.extend(port_specs(file, semantic, word, i));
            }
        }
    }
    out
}

/// The port specs of an `EXPOSE` word at instruction `at`; none when the word depends on a
/// variable whose value is not known here.
pub fn port_specs(file: &Dockerfile, semantic: &Semantic, word: &Word, at: usize) -> Vec<PortSpec> {
    let expanded = semantic.expand(file, &word.value, at);
    if expanded.error.is_some() || !expanded.unresolved.is_empty() {
        return Vec::new();
    }
    let literal = expanded.value == word.value && file.text(word.span) == word.value;
    let specs: Vec<&str> = expanded.value.split_whitespace().collect();
    let literal = literal && specs.len() == 1;
    specs
        .into_iter()
        .map(|s| PortSpec::parse(s, literal, word.span))
        .collect()
}
