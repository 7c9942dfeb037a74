//! `whittle ignore`: not implemented yet.

use clap::Args;

#[derive(Debug, Args)]
pub struct IgnoreArgs {
    /// Files to read (`-` for stdin)
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: IgnoreArgs) -> u8 {
    eprintln!("whittle ignore: not implemented yet");
    super::EXIT_ERROR
}
