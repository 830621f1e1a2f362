//! Subcommands of `scenic`.

mod conformance;
mod expr;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "scenic",
    version,
    about = "Scenic: a fast runtime for Nussknacker decision scenarios"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Evaluate one expression and print its value as JSON.
    ///
    /// Exit codes: 0 ok, 2 compile error, 3 runtime error.
    Expr(expr::ExprArgs),
    /// Run an expression corpus (the format of spel-corpus.json); prints a line per failing case
    /// and `N passed, M failed`. Exit code 1 if any case failed.
    Conformance(conformance::ConformanceArgs),
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Expr(a) => expr::run(a),
        Command::Conformance(a) => conformance::run(a),
    }
}
