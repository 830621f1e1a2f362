//! Subcommands of `scenic`.

mod conformance;
mod expr;
mod files;
mod gateway;
mod k8s;
mod limits;
mod openapi;
mod serve;
mod test_data;
mod validate;

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
    /// Serve every request-response scenario of the given files or folders under
    /// /scenario/{slug}, with OpenAPI, Swagger UI, health and metrics.
    Serve(serve::ServeArgs),
    /// Serve one scenario at / (what a Kubernetes pod runs).
    Run(serve::RunArgs),
    /// Compile scenario files and report every error (exit 1), or "ok".
    Validate(validate::ValidateArgs),
    /// Run sample inputs (JSON lines) through a scenario and print each output or error.
    Test(test_data::TestArgs),
    /// Print a scenario's OpenAPI document.
    Openapi(openapi::OpenApiArgs),
    /// Route /scenario/{slug} to `scenic run` backends by weighted versions (--routes FILE),
    /// with the merged /openapi.json, Swagger UI, health and metrics.
    Gateway(gateway::GatewayArgs),
    /// Scenic on Kubernetes: `manifests` prints each scenario version's objects.
    K8s(k8s::K8sArgs),
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Expr(a) => expr::run(a),
        Command::Conformance(a) => conformance::run(a),
        Command::Serve(a) => serve::serve(a),
        Command::Run(a) => serve::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Test(a) => test_data::run(a),
        Command::Openapi(a) => openapi::run(a),
        Command::Gateway(a) => gateway::run(a),
        Command::K8s(a) => k8s::run(a),
    }
}
