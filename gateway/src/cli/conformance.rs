//! `scenic conformance FILE.json`: runs an expression corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args, Debug)]
pub struct ConformanceArgs {
    /// A corpus file in the format of spel-corpus.json.
    pub file: PathBuf,
}

pub fn run(a: ConformanceArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&a.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", a.file.display());
            return ExitCode::from(2);
        }
    };
    let report = match scenic_spel::conformance::run_corpus(&text) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}: {e}", a.file.display());
            return ExitCode::from(2);
        }
    };
    for o in report.failed() {
        println!(
            "FAIL {} [{}] {} :: {}",
            o.id,
            o.area,
            o.expr,
            o.failure.as_deref().unwrap_or("")
        );
    }
    println!(
        "{} passed, {} failed",
        report.passed(),
        report.failed_count()
    );
    if report.failed_count() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
