//! Embedding Scenic in a Rust program: load a scenario file once, then invoke it in-process,
//! request bytes to response bytes, with no HTTP server.
//!
//! ```text
//! cargo run -p scenic-embed-example -- examples/loan-request.json \
//!     '{"customerId": "c-1", "location": {"city": "Warszawa", "street": "Zielna"}, "requestType": "loan", "requestedAmount": 1500}'
//! ```
//!
//! Without a request argument, each line of standard input is one request. Each answer is
//! printed on its own line: the response JSON, or `error: ...` naming what failed and where.

use std::io::BufRead;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use scenic_scenario::{load_scenario, InvokeError, NoFragments, Registry, RunOptions};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: embed SCENARIO.json [REQUEST-JSON]   (requests from stdin without one)");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    // Parse, type-check and compile once: every invocation after this only evaluates.
    let scenario = match load_scenario(&text, &Registry::builtin(), &NoFragments) {
        Ok(s) => s,
        Err(e) => {
            for err in e.errors() {
                eprintln!("error: {err}");
            }
            return ExitCode::from(2);
        }
    };
    let requests: Vec<String> = match args.next() {
        Some(r) => vec![r],
        None => std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .filter(|l| !l.trim().is_empty())
            .collect(),
    };
    let mut failed = false;
    for request in requests {
        // Each invocation gets a deadline, as a request would.
        let opts = RunOptions {
            deadline: Some(Instant::now() + Duration::from_secs(10)),
            ..RunOptions::default()
        };
        match futures::executor::block_on(scenario.invoke(request.as_bytes(), &opts)) {
            Ok(bytes) => println!("{}", String::from_utf8_lossy(&bytes)),
            Err(e) => {
                failed = true;
                println!("error: {}", describe(&e));
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The error, with the input pointers of a rejected request.
fn describe(e: &InvokeError) -> String {
    match e {
        InvokeError::InvalidInput(violations) => violations
            .iter()
            .map(|v| v.located())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
