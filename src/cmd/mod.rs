//! Command-line interface: the clap definitions and one driver per subcommand.
//!
//! Drivers are thin: they turn arguments into [`crate::build::Options`], run the pipeline and
//! print what happened. Exit status: 0 built, 1 content errors, 2 usage errors.

mod build;
mod init;
mod watch;

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::Failure;
use crate::diag;

/// dossier: build a static site from a source dossier (articles + claims backed by quotes).
#[derive(Parser, Debug)]
#[command(name = "dossier", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the dossier and build the site into public/ (or --output)
    Build(BuildArgs),
    /// Check everything a build checks, without writing anything
    Check(CommonArgs),
    /// Create a small new dossier in DIR that builds
    Init(InitArgs),
    /// Build, then rebuild whenever anything under content/ or themes/ changes
    Watch(WatchArgs),
    /// Watch, and preview the site on a local web server that reloads the open page
    Serve(ServeArgs),
}

/// Arguments every command that reads a dossier takes.
#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// The dossier's folder, holding content/ [default: the current folder]
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Override base_url from site.yaml ("/", "/sub/path/" or "https://host/path/")
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print only errors and warnings
    #[arg(long, short)]
    pub quiet: bool,
    /// Print how long each phase took
    #[arg(long)]
    pub timings: bool,
}

#[derive(Args, Debug, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Where to write the site [default: ROOT/public]
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Build even when the output is up to date with the content
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug, Clone)]
pub struct WatchArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Where to write the site [default: ROOT/public; serve: nowhere, it builds in memory]
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Compare files on a timer instead of using native file events (network drives, VMs)
    #[arg(long)]
    pub poll: bool,
    /// How long to wait for a burst of saves to end before rebuilding, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 100)]
    pub debounce: u64,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub watch: WatchArgs,
    /// The port to listen on
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; the default serves only this machine
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in a web browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Args, Debug, Clone)]
pub struct InitArgs {
    /// The folder to create the dossier in (created if missing; must have no content/ yet)
    pub dir: PathBuf,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(a) => build::build(&a),
        Command::Check(a) => build::check(&a),
        Command::Init(a) => init::init(&a),
        Command::Watch(a) => watch::watch(&a),
        Command::Serve(a) => watch::serve(&a),
    }
}

/// Prints a failure and gives its exit status.
fn report_failure(f: &Failure) -> ExitCode {
    print_failure(f, "nothing was written");
    match f {
        Failure::Content { .. } => ExitCode::from(1),
        Failure::Usage(_) => ExitCode::from(2),
    }
}

/// Prints a failure to stderr, ending with a count of problems and `outcome`; returns the
/// plain text of the problems (for the browser overlay of `serve`). The problems are rendered
/// once: the plain text is the printed text without its styling.
fn print_failure(f: &Failure, outcome: &str) -> String {
    match f {
        Failure::Content {
            diagnostics,
            sources,
        } => {
            let color = std::io::stderr().is_terminal();
            let text = diag::render(diagnostics, sources, color);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            // One write of the whole report: 20,000 problems are one system call, not 20,000.
            let mut err = std::io::stderr().lock();
            let _ = std::io::Write::write_all(&mut err, text.as_bytes());
            let _ = writeln!(
                err,
                "dossier: {errors} error{} and {warnings} warning{}; {outcome}",
                plural(errors),
                plural(warnings)
            );
            if color { diag::unstyled(&text) } else { text }
        }
        Failure::Usage(msg) => {
            eprintln!("dossier: error: {msg}");
            msg.clone()
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
