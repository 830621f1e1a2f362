//! Runs the LoanRequest-like benchmark scenario in a loop, for instruction counts under
//! callgrind: `valgrind --tool=callgrind target/release/examples/run_loop 100000`.

#[path = "../benches/invoke.rs"]
#[allow(dead_code)]
mod bench;

use scenic_scenario::{load_scenario, NoFragments, Registry};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let s = load_scenario(&bench::loan_scenario(), &Registry::builtin(), &NoFragments)
        .expect("compiles");
    let body = serde_json::json!({"customerId": "c-1", "location": {"city": "Warszawa", "street": "x"}, "requestType": "loan", "requestedAmount": 1000});
    let input = s.source().decode(body).expect("valid");
    let mut outputs = 0;
    for _ in 0..n {
        outputs += futures::executor::block_on(s.run(input.clone()))
            .outputs
            .len();
    }
    println!("{outputs}");
}
