//! `scenic`: the command-line entry point. Parsing arguments and exit codes live here; the work
//! lives in the library crates.

mod cli;
mod manage;
mod proxy;
mod scenario_file;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    scenic_rr::process::init_tracing();
    let args = cli::Cli::parse();
    cli::run(args)
}
