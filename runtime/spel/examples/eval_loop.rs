//! Evaluates one benchmark expression in a loop, for instruction counts under callgrind:
//!
//! ```sh
//! cargo build --release -p scenic-spel --example eval_loop
//! valgrind --tool=callgrind target/release/examples/eval_loop substring 200000
//! ```
//!
//! Cases: `substring` (`#input.substring(0,3)`), `boolean`
//! (`#input.amount > 30 && #input.city == 'Warszawa'`) and `substring-native`, the benchmark's
//! hand-written baseline for the first (the floor an evaluation is compared with).

use scenic_spel::value::from_json_typed;
use scenic_spel::{compile, parse_type, CompileOptions, EvalEnv, Scope, Type, Value};

fn main() {
    let case = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "substring".into());
    let iterations: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    if case == "substring-native" {
        let vars = [Value::from("Warszawa")];
        let ok = (0..iterations)
            .filter(|_| {
                let s = match std::hint::black_box(&vars[0]) {
                    Value::Str(s) => s,
                    _ => return false,
                };
                std::hint::black_box(Value::str(&s[..3])).as_str().is_some()
            })
            .count();
        println!("{case}: {ok} evaluations");
        return;
    }
    let mut scope = Scope::new();
    let (src, vars) = if case == "substring" {
        scope.declare("input", Type::string());
        ("#input.substring(0,3)", vec![Value::from("Warszawa")])
    } else {
        let t = parse_type("Record{amount: Long, city: String}").expect("type");
        scope.declare("input", t.clone());
        let input = from_json_typed(&serde_json::json!({"amount": 42, "city": "Warszawa"}), &t)
            .expect("input");
        (
            "#input.amount > 30 && #input.city == 'Warszawa'",
            vec![input],
        )
    };
    let e = compile(src, &scope, &CompileOptions::default()).expect("compiles");
    let env = EvalEnv::default();
    let ok = (0..iterations)
        .filter(|_| e.eval(&vars, &env).is_ok())
        .count();
    println!("{case}: {ok} evaluations");
}
