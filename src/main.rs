//! The `dossier` binary: parses the command line and hands over to a command driver.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dossier::cmd::Cli::parse();
    dossier::cmd::run(cli)
}
