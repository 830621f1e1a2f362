//! A call to one overload with constant arguments runs on its own path in the evaluator
//! (`Node::CallConst`). The same call with its arguments in variables takes the general one, so
//! each pair below must agree on every result and every error, limits included.

use std::time::Instant;

use scenic_spel::eval::Budget;
use scenic_spel::limits::Limits;
use scenic_spel::{compile, CompileOptions, EvalEnv, Scope, Type, Value};

/// `#s.<method>(constants)` and `#s.<method>(#a0, #a1, ...)`, both evaluated with `s` as the
/// receiver: the results (or error messages) of the direct and the general path.
fn both(method: &str, args: &[Value], s: Value, env: &EvalEnv) -> (String, String) {
    let mut scope = Scope::new();
    scope.declare("s", Type::string());
    let mut values = vec![s];
    let mut names = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let ty = match a {
            Value::Str(_) => Type::string(),
            _ => Type::integer(),
        };
        scope.declare(&format!("a{i}"), ty);
        names.push(format!("#a{i}"));
        values.push(a.clone());
    }
    let literal = |a: &Value| match a {
        Value::Str(s) => format!("'{s}'"),
        other => other.to_java_string(),
    };
    let consts: Vec<String> = args.iter().map(literal).collect();
    let direct = format!("#s{method}({})", consts.join(", "));
    let general = format!("#s{method}({})", names.join(", "));
    let run = |src: &str| {
        let e = compile(src, &scope, &CompileOptions::default())
            .unwrap_or_else(|e| panic!("{src} compiles: {e}"));
        match e.eval(&values, env) {
            Ok(v) => format!("ok {}: {}", v.class_name(), v.to_java_string()),
            Err(e) => format!("error: {}", e.error),
        }
    };
    (run(&direct), run(&general))
}

#[test]
fn substring_agrees_with_the_general_path() {
    let env = EvalEnv::default();
    let texts = [
        "Warszawa",
        "",
        "ab",
        "Żółw i kot",
        "a😀b",
        "x".repeat(40).leak(),
    ];
    let ranges = [
        (0, 3),
        (0, 0),
        (2, 2),
        (1, 2),
        (-1, 2),
        (3, 1),
        (0, 100),
        (1, 3),
        (0, 40),
    ];
    for text in texts {
        for (b, e) in ranges {
            let (direct, general) = both(
                ".substring",
                &[Value::Int(b), Value::Int(e)],
                Value::from(text),
                &env,
            );
            assert_eq!(direct, general, "{text:?}.substring({b}, {e})");
        }
        for b in [0, 1, 3, 9, -1] {
            let (direct, general) = both(".substring", &[Value::Int(b)], Value::from(text), &env);
            assert_eq!(direct, general, "{text:?}.substring({b})");
        }
    }
}

#[test]
fn results_the_direct_path_gives() {
    let env = EvalEnv::default();
    let one = |m: &str, args: &[Value], s: &str| both(m, args, Value::from(s), &env).0;
    let (b, e) = (Value::Int(0), Value::Int(3));
    assert_eq!(
        one(".substring", &[b.clone(), e.clone()], "Warszawa"),
        "ok String: War"
    );
    assert_eq!(
        one(".substring", &[b.clone(), e.clone()], "Żółw"),
        "ok String: Żół"
    );
    assert!(one(".substring", &[b.clone(), e.clone()], "ab").starts_with("error: "));
    // A split surrogate pair is refused, as by the general path.
    assert!(one(".substring", &[Value::Int(0), Value::Int(1)], "😀").starts_with("error: "));
}

#[test]
fn a_null_receiver_fails_or_is_skipped_as_before() {
    let env = EvalEnv::default();
    let (direct, general) = both(
        ".substring",
        &[Value::Int(0), Value::Int(1)],
        Value::Null,
        &env,
    );
    assert_eq!(direct, general);
    assert!(direct.contains("on null context object"), "{direct}");
    let (direct, general) = both(
        "?.substring",
        &[Value::Int(0), Value::Int(1)],
        Value::Null,
        &env,
    );
    assert_eq!(direct, general);
    assert_eq!(direct, "ok Null: null");
}

#[test]
fn methods_with_compile_time_state_and_other_methods_agree() {
    let env = EvalEnv::default();
    let s = || Value::from("a-b--c");
    for (m, args) in [
        (".split", vec![Value::from("-")]),
        (".replaceAll", vec![Value::from("-+"), Value::from("_")]),
        (".startsWith", vec![Value::from("a-")]),
        (".indexOf", vec![Value::from("b")]),
        (".toUpperCase", vec![]),
    ] {
        let (direct, general) = both(m, &args, s(), &env);
        assert_eq!(direct, general, "{m}");
        assert!(direct.starts_with("ok "), "{m}: {direct}");
    }
}

#[test]
fn a_result_over_the_string_limit_is_refused_on_both_paths() {
    let limits = Limits {
        max_string_bytes: 32,
        ..Limits::default()
    };
    let env = EvalEnv::default()
        .with_budget(Budget::new(limits).with_deadline(Some(Instant::now() + limits_time())));
    let long = Value::from("y".repeat(64));
    let (direct, general) = both(".substring", &[Value::Int(0), Value::Int(40)], long, &env);
    assert_eq!(direct, general);
    assert!(direct.starts_with("error: "), "{direct}");
}

fn limits_time() -> std::time::Duration {
    std::time::Duration::from_secs(60)
}
