//! `scenic`: the command-line entry point. Parsing arguments and exit codes live here; the work
//! lives in the library crates.

mod cli;
mod manage;
mod scenario_file;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Logs (`log` processors, server events) go to stderr; RUST_LOG overrides the level.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal, not in log files and collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = cli::Cli::parse();
    cli::run(args)
}
