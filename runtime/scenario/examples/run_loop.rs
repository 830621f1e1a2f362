//! Runs the LoanRequest-like benchmark scenario in a loop, for instruction counts under
//! callgrind: `valgrind --tool=callgrind target/release/examples/run_loop 100000 [full|old]`.
//! `full` measures what a request costs besides HTTP, through the invocation API
//! (`CompiledScenario::invoke`: bytes → one-pass decode → run → encode plan → bytes); `old`
//! the path it replaced (bytes → JSON tree → schema decode → run → schema encode with
//! validation → bytes); with neither, the interpreter alone.

#[path = "../benches/invoke.rs"]
#[allow(dead_code)]
mod bench;

use scenic_scenario::{load_scenario, NoFragments, Registry};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mode = std::env::args().nth(2).unwrap_or_default();
    let s = load_scenario(&bench::loan_scenario(), &Registry::builtin(), &NoFragments)
        .expect("compiles");
    let body = serde_json::json!({"customerId": "c-1", "location": {"city": "Warszawa", "street": "x"}, "requestType": "loan", "requestedAmount": 1000});
    let bytes = serde_json::to_vec(&body).expect("bytes");
    let input = s.source().decode(body).expect("valid");
    let schema = s.output_schema().expect("output schema").clone();
    let mut outputs = 0;
    for _ in 0..n {
        if mode == "full" {
            let opts = scenic_scenario::RunOptions::default();
            outputs += futures::executor::block_on(s.invoke(&bytes, &opts))
                .expect("answers")
                .len();
        } else if mode == "old" {
            let json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
            let input = s.source().decode(json).expect("valid");
            let r = futures::executor::block_on(s.run(input));
            let out = schema
                .encode_output(&r.outputs[0].value())
                .expect("encodes");
            outputs += serde_json::to_vec(&out).expect("bytes").len();
        } else {
            outputs += futures::executor::block_on(s.run(input.clone()))
                .outputs
                .len();
        }
    }
    println!("{outputs}");
}
