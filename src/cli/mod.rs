//! Command line (clap derive). Everything that prints, reads files or looks at the process
//! environment lives under `cli`; the library below it is pure.
//!
//! Each subcommand owns one file here with its `Args` struct and its `run` function, so that
//! adding options to one command touches one file.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod ast;
pub mod check;
pub mod context;
pub mod decode;
pub mod discover;
mod git_index;
pub mod ignore;
pub mod image;
pub mod init;
pub mod measure;
pub mod rules_cmd;
pub mod settings;

/// Exit code: no findings at or above the fail level, or nothing to change.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings, or `--diff`/`--check` found something to change.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "whittle", version, about = "A Dockerfile linter and optimizer")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles and optionally fix them
    Check(check::CheckArgs),
    /// Apply safe fixes in place (`check --fix`)
    Fix(check::CheckArgs),
    /// Print the parse of Dockerfiles as JSON (for tool authors and tests)
    Ast(ast::AstArgs),
    /// Generate or check a .dockerignore for a build context
    Ignore(ignore::IgnoreArgs),
    /// List every rule with its category, severity, fix and aliases
    Rules(rules_cmd::RulesArgs),
    /// Print a rule's documentation page
    Explain(rules_cmd::ExplainArgs),
    /// Look inside a built image: layers, dive's efficiency metrics, waste traced to Dockerfile lines
    Image(image::ImageArgs),
    /// Build a Dockerfile as it is and as --fix leaves it, and compare the images
    Measure(measure::MeasureArgs),
    /// Write a starter .whittle.yaml, or convert a .hadolint.yaml into one
    Init(init::InitArgs),
    /// Run the language server (LSP over standard input and output) for editors
    Server(ServerArgs),
}

/// `whittle server`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Editors start it and talk to it over standard input and output; see \
docs/editors.md for VS Code, Neovim, Helix, Zed and Emacs."
)]
pub struct ServerArgs {
    /// Talk over standard input and output (the default and only transport; accepted because
    /// editors pass it)
    #[arg(long)]
    pub stdio: bool,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fix(args) => check::run_fix(args),
        Command::Ast(args) => ast::run(args),
        Command::Ignore(args) => ignore::run(args),
        Command::Rules(args) => rules_cmd::run_rules(args),
        Command::Explain(args) => rules_cmd::run_explain(args),
        Command::Image(args) => image::run(args),
        Command::Measure(args) => measure::run(args),
        Command::Init(args) => init::run(args),
        Command::Server(_) => crate::server::run(),
    };
    ExitCode::from(code)
}
