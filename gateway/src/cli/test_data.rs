//! `scenic test FILE --input samples.jsonl`: runs each input through the scenario and prints
//! each sink's output or each error, one JSON line per input (the reference's "test with data").

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use scenic_scenario::InvokeError;
use serde_json::json;

use super::files;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// JSON lines, one input per line (`-` for standard input).
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long)]
    pub fragments: Option<PathBuf>,
    #[command(flatten)]
    pub config: files::ConfigArgs,
    /// Seconds each input may run (a runtime error past it).
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

pub fn run(a: TestArgs) -> ExitCode {
    let registry = match a.config.registry_or_exit() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let fragments = files::fragments_for(a.fragments.as_ref(), std::slice::from_ref(&a.file));
    let scenario = match files::load(
        &a.file,
        &registry,
        fragments.as_ref(),
        &scenic_scenario::ScenarioLimits::default(),
    ) {
        Ok(s) => s,
        Err(errors) => {
            files::print_errors(&a.file, &errors);
            return ExitCode::from(1);
        }
    };
    let text = if a.input.as_os_str() == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut s) {
            eprintln!("error: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        s
    } else {
        match std::fs::read_to_string(&a.input) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", a.input.display());
                return ExitCode::from(2);
            }
        }
    };
    let mut any_error = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        // Each input has the time a request would have.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(a.timeout.max(1));
        let run = futures::executor::block_on(scenario.invoke_test(
            line.as_bytes(),
            Some(deadline),
            None,
        ));
        let report = match run {
            Err(InvokeError::InvalidInput(vs)) => {
                json!({"line": n, "errors": vs.iter().map(|v| json!({"message": v.message, "path": v.pointer, "nodeId": null})).collect::<Vec<_>>()})
            }
            Err(e) => json!({"line": n, "errors": [{"message": e.to_string(), "nodeId": null}]}),
            Ok(r) => json!({
                "line": n,
                "outputs": r.outputs.iter().map(|o| crate::manage::output_json(&o.node_id, &o.value(), scenario.graph().limits())).collect::<Vec<_>>(),
                "errors": r.errors.iter().map(|e| json!({"nodeId": &*e.node_id, "message": e.message()})).collect::<Vec<_>>(),
                "skippedCalls": crate::manage::skipped_calls_json(&r.skipped_calls),
            }),
        };
        if report["errors"].as_array().is_some_and(|e| !e.is_empty()) {
            any_error = true;
        }
        println!("{report}");
    }
    if any_error {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}
