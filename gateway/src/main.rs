//! `scenic`: the command-line entry point. Parsing arguments and exit codes live here; the work
//! lives in the library crates.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::run(args)
}
