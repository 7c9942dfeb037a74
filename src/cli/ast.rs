//! `whittle ast`: not implemented yet.

use clap::Args;

#[derive(Debug, Args)]
pub struct AstArgs {
    /// Files to read (`-` for stdin)
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: AstArgs) -> u8 {
    eprintln!("whittle ast: not implemented yet");
    super::EXIT_ERROR
}
