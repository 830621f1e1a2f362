//! Any text as an expression (and as a template): compiled against typed and untyped
//! variables, then evaluated under a budget with a deadline. Nothing may panic, overflow the
//! stack or run away (libFuzzer's `-timeout` and `-rss_limit_mb` catch those).
//!
//! Shared by the cargo-fuzz target and by the test that replays the committed seeds and
//! every input the fuzzer ever found (`runtime/fuzz/seeds/`).

use std::time::{Duration, Instant};

use scenic_spel::eval::Budget;
use scenic_spel::limits::Limits;
use scenic_spel::{compile, parse_type, CompileOptions, EvalEnv, Scope, Value};

fn input() -> Value {
    let json = serde_json::json!({
        "n": 42, "s": "Warszawa", "d": "12.50",
        "l": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        "m": {"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}},
        "t": "2024-01-31T10:15:30Z"
    });
    let ty = parse_type(
        "Record{n: Integer, s: String, d: BigDecimal, l: List[Integer], m: Map[String, Unknown], t: String}",
    )
    .expect("type");
    scenic_spel::value::from_json_typed(&json, &ty).expect("typed")
}

fn scope() -> Scope {
    let mut s = Scope::with_helpers();
    s.declare(
        "input",
        parse_type(
            "Record{n: Integer, s: String, d: BigDecimal, l: List[Integer], m: Map[String, Unknown], t: String}",
        )
        .expect("type"),
    );
    s.declare("u", scenic_spel::Type::Unknown);
    s
}

/// One fuzz input: must not panic, overflow the stack or run away.
pub fn run(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let scope = scope();
    let vars = [
        input(),
        scenic_spel::value::from_json_untyped(&serde_json::json!({"k": [1, "two", {"three": 3}]})),
    ];
    for template in [false, true] {
        let opts = CompileOptions {
            template,
            ..CompileOptions::default()
        };
        if let Ok(e) = compile(src, &scope, &opts) {
            let budget = Budget::new(Limits {
                // Smaller than the defaults, so the fuzzer's memory limit is never the one hit.
                max_invocation_bytes: 64 << 20,
                max_value_bytes: 16 << 20,
                ..Limits::default()
            })
            .with_deadline(Some(Instant::now() + Duration::from_secs(2)));
            let env = EvalEnv::default().with_budget(budget);
            let _ = e.eval(&vars, &env);
        }
    }
}
