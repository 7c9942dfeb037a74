//! Code several rules share that is not a rule itself: reading RUN commands, the multi-stage
//! split, version pinning, labels, ports, sub-spans and the parser's syntax
//! diagnostics.

pub mod expose_ports;
pub mod image_purpose;
pub mod label_schema;
pub mod label_values;
pub mod lines;
pub mod node_split;
pub mod run_commands;
pub mod run_paths;
pub mod stage_split;
pub mod sub_span;
pub mod syntax_errors;
pub mod version_pinning;
