//! `scenic openapi FILE`: prints the scenario's OpenAPI document.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use scenic_rr::metrics::Metrics;
use scenic_rr::{Deployed, Scenarios};

use super::files;

#[derive(Args, Debug)]
pub struct OpenApiArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub fragments: Option<PathBuf>,
    #[command(flatten)]
    pub config: files::ConfigArgs,
}

pub fn run(a: OpenApiArgs) -> ExitCode {
    let registry = match a.config.registry_or_exit() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let fragments = files::fragments_for(a.fragments.as_ref(), std::slice::from_ref(&a.file));
    match files::load(
        &a.file,
        &registry,
        fragments.as_ref(),
        &scenic_scenario::ScenarioLimits::default(),
    ) {
        Ok(s) => {
            let metrics = Metrics::new(Arc::new(Scenarios::new()));
            let d = Deployed::new(Arc::new(s), &metrics);
            println!("{}", d.definition);
            ExitCode::SUCCESS
        }
        Err(errors) => {
            files::print_errors(&a.file, &errors);
            ExitCode::from(1)
        }
    }
}
