//! `whittle check`: not implemented yet.

use clap::Args;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to read (`-` for stdin)
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: CheckArgs) -> u8 {
    eprintln!("whittle check: not implemented yet");
    super::EXIT_ERROR
}
