//! whittle: a Dockerfile linter and optimizer.
//!
//! Data flow: bytes -> [`syntax::parse`] (lossless, never fails) -> [`rules`] (lint) ->
//! [`suppress`] -> [`output`] / [`fix`]. Each stage is one module and data flows one way.
//! Nothing below [`cli`] prints or touches the process environment; nothing below `cli` writes
//! files.

pub mod base_images;
pub mod build_context;
pub mod cli;
pub mod config;
pub mod custom;
pub mod descriptor;
pub mod diagnostic;
pub mod dockerignore;
pub mod fix;
pub mod glob;
pub mod image;
pub mod lint;
pub mod manifests;
pub mod output;
pub mod package_managers;
pub mod placement;
pub mod rules;
pub mod semantic;
pub mod server;
pub mod settings;
pub mod shared_str;
pub mod suppress;
pub mod syntax;
