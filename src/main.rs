//! The `dossier` binary: parses the command line and hands over to a command driver.

use std::process::ExitCode;

use clap::Parser;

// A build allocates many small strings (page data, HTML); mimalloc is markedly faster than the
// system allocator at that, and its behaviour is the same on every platform.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = dossier::cmd::Cli::parse();
    dossier::cmd::run(cli)
}
