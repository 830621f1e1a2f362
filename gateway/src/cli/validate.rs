//! `scenic validate FILE…`: compiles each file and reports every error, or "ok".

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::files;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario files, or folders of them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder of fragment definitions.
    #[arg(long)]
    pub fragments: Option<PathBuf>,
    #[command(flatten)]
    pub config: files::ConfigArgs,
}

pub fn run(a: ValidateArgs) -> ExitCode {
    let paths = match files::scenario_paths(&a.paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let registry = match a.config.registry_or_exit() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let fragments = files::fragments_for(a.fragments.as_ref(), &a.paths);
    let mut failed = false;
    for p in paths.iter().filter(|p| !a.config.is_config(p)) {
        if files::is_streaming(p) {
            // Its Kafka components and topic schemas live in the streaming binary.
            println!(
                "{}: a streaming scenario: check it with `scenic-stream {} --config FILE --check`",
                p.display(),
                p.display()
            );
            continue;
        }
        match files::load(
            p,
            &registry,
            fragments.as_ref(),
            &scenic_scenario::ScenarioLimits::default(),
        ) {
            Ok(_) => println!("{}: ok", p.display()),
            Err(errors) => {
                failed = true;
                files::print_errors(p, &errors);
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
