//! Error positions and messages: every compile error names line and column in the expression,
//! runtime errors name the expression.

use scenic_spel::{compile, parse_type, CompileOptions, EvalEnv, Scope, Type, Value};

fn scope() -> Scope {
    let mut s = Scope::with_helpers();
    s.declare(
        "input",
        parse_type("Record{amount: Long, city: String, tags: List[String]}").expect("type"),
    );
    s.declare("n", Type::Null);
    s
}

/// Compiles and returns the first error as (line, column, message).
fn first_error(src: &str) -> (usize, usize, String) {
    let errs = compile(src, &scope(), &CompileOptions::default()).expect_err("should not compile");
    let d = &errs.0[0];
    (d.line, d.column, d.message())
}

#[test]
fn unknown_property_points_at_the_property_name() {
    assert_eq!(
        first_error("#input.amount > 3 && #input.citty == 'x'"),
        (1, 29, "There is no property 'citty' in type: Record{amount: Long, city: String, tags: List[String]}".into())
    );
}

#[test]
fn positions_count_lines_and_columns() {
    let (line, col, msg) = first_error("#input.amount\n  + #nope");
    assert_eq!((line, col), (2, 5));
    assert_eq!(msg, "Unresolved reference 'nope'");
}

#[test]
fn operator_errors_point_at_the_operator() {
    let (line, col, msg) = first_error("#input.city - 1");
    assert_eq!((line, col), (1, 13));
    assert_eq!(
        msg,
        "Operator '-' used with mismatch types: String and Integer(1)"
    );
}

#[test]
fn parse_errors_point_at_the_offending_token() {
    assert_eq!(first_error("1 + * 2").0..=first_error("1 + * 2").1, 1..=5);
    let (_, col, msg) = first_error("(1 + 2");
    assert_eq!(col, 7);
    assert!(msg.contains("expected ')'"), "{msg}");
    let (_, col, msg) = first_error("'abc");
    assert_eq!(col, 1);
    assert_eq!(msg, "Non-terminating quoted string");
}

#[test]
fn several_errors_are_reported_at_once() {
    let errs = compile(
        "#a + #b.foo + #input.bar",
        &scope(),
        &CompileOptions::default(),
    )
    .expect_err("errors");
    let messages: Vec<String> = errs.0.iter().map(|d| d.message()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[0], "Unresolved reference 'a'");
    assert_eq!(messages[1], "Unresolved reference 'b'");
    assert!(messages[2].starts_with("There is no property 'bar'"));
}

#[test]
fn reference_messages_for_the_catalogue() {
    let cases = [
        ("abcd", "Non reference 'abcd' occurred. Maybe you missed '#' in front of it?"),
        ("#n.foo", "Property access on Null is not allowed"),
        ("#n.foo()", "Method invocation on Null is not allowed"),
        ("'a'.nope()", "Unknown method 'nope' in String(a)"),
        ("'a'.substring('x')", "Mismatch parameter types. Found: substring(String(x)). Required: substring(Integer) or substring(Integer, Integer)"),
        ("'ab'.![#this]", "Cannot do projection/selection on String(ab)"),
        ("1 / 0", "Division by zero: 1 / 0"),
        ("5 % 0", "Taking remainder modulo zero: 5 % 0"),
        ("'1' == 1", "Operator '==' used with not comparable types: String(1) and Integer(1)"),
        ("1 ? 2 : 3", "Not a boolean expression used in ternary operator (expr ? onTrue : onFalse). Computed expression type: Integer(1)"),
        ("#input = 1", "Value modifications are not supported"),
        ("@bean", "Bean reference is not supported"),
        ("new int[3]", "Array constructor is not supported"),
        ("T(java.lang.System).exit(0)", "class java.lang.System is not allowed to be passed as TypeReference"),
        ("T(com.Nope)", "Class com.Nope does not exist"),
        ("{1: 2}", "Currently only string keys for inline maps are supported"),
        ("foo(1)", "Invalid method reference: foo(1)."),
        ("'abc'[0]", "Dynamic property access is not allowed"),
        ("'x' < 'y'", "Wrong part types"),
    ];
    for (src, want) in cases {
        let (_, _, got) = first_error(src);
        assert_eq!(got, want, "for {src}");
    }
}

#[test]
fn expected_type_mismatch_is_reported() {
    let opts = CompileOptions {
        expected: Some(Type::integer()),
        ..CompileOptions::default()
    };
    let errs = compile("'abc'", &scope(), &opts).expect_err("mismatch");
    assert_eq!(
        errs.0[0].message(),
        "Bad expression type, expected: Integer, found: String(abc)"
    );
}

#[test]
fn runtime_errors_name_the_expression() {
    let mut s = Scope::new();
    s.declare("s", Type::string());
    let e = compile("#s.length()", &s, &CompileOptions::default()).expect("compiles");
    let err = e
        .eval(&[Value::Null], &EvalEnv::default())
        .expect_err("null receiver");
    let text = err.to_string();
    assert!(
        text.starts_with("Expression [#s.length()] evaluation failed, message: "),
        "{text}"
    );
    assert!(text.contains("length"), "{text}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let (_, _, msg) = first_error(&deep);
    assert!(msg.contains("too deep"), "{msg}");
    let deep_unary = format!("{}true", "!".repeat(5000));
    assert!(first_error(&deep_unary).2.contains("too deep"));
    let deep_list = format!("{}{}", "{".repeat(3000), "}".repeat(3000));
    assert!(first_error(&deep_list).2.contains("too deep"));
}

/// Flat runs build deep trees without nesting: the parser loops, and the typer and evaluator
/// would recurse once per operator or call (issue #9: these aborted the server).
#[test]
fn long_operator_runs_and_method_chains_are_compile_errors_with_a_position() {
    let s = {
        let mut s = Scope::new();
        s.declare("input", parse_type("Record{n: Integer}").expect("type"));
        s
    };
    let cases = [
        format!("'a'{}", ".trim()".repeat(5000)),
        vec!["#input.n"; 10_000].join(" + "),
        vec!["1"; 40_000].join("+"),
        vec!["true"; 10_000].join(" && "),
        vec!["#input.n > 1"; 10_000].join(" or "),
        format!("{{1}}{}", ".![#this]".repeat(5000)),
        format!("{{1}}{}", "[0]".repeat(5000)),
        vec!["1"; 10_000].join(" * "),
    ];
    for src in &cases {
        let errs = compile(src, &s, &CompileOptions::default()).expect_err("too deep");
        let d = &errs.0[0];
        assert!(d.message().contains("too deep"), "{}", d.message());
        assert_eq!(d.line, 1);
        // The position is where the limit was crossed: past the first 200 levels, not at 1:1.
        assert!(d.column > 200, "column {} for {}", d.column, &src[..40]);
    }
}

#[test]
fn the_depth_limit_is_configurable() {
    let opts = CompileOptions {
        limits: scenic_spel::limits::Limits {
            max_expression_depth: 10,
            ..Default::default()
        },
        ..CompileOptions::default()
    };
    let src = ["1"; 12].join("+");
    assert!(compile(&src, &Scope::new(), &opts).is_err());
    let src = ["1"; 9].join("+");
    assert!(compile(&src, &Scope::new(), &opts).is_ok());
}

#[test]
fn depth_up_to_the_limit_compiles_and_evaluates_on_a_small_stack() {
    // Just under the default limit of each shape, compiled and evaluated on a 1 MiB thread
    // (half the 2 MiB Rust and tokio default), in a debug build.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let mut s = Scope::with_helpers();
            s.declare("input", parse_type("Record{n: Integer}").expect("type"));
            let limit = scenic_spel::parser::MAX_DEPTH;
            let n = limit - 2;
            for src in [
                format!("{}1{}", "(".repeat(n), ")".repeat(n)),
                format!("{}true", "!".repeat(n)),
                format!("{}1{}", "{".repeat(n), "}".repeat(n)),
                format!("{}1{}", "-(".repeat(n / 2), ")".repeat(n / 2)),
                vec!["#input.n"; n].join(" + "),
                format!("' a '{}", ".trim()".repeat(n)),
                format!("{{1}}{}", ".![#this]".repeat(n)),
                format!("{{1, 2}}{}", ".?[#this > 0]".repeat(n)),
                vec!["#input.n > 0"; n].join(" && "),
                format!("{}1{}", "{a: ".repeat(n), "}".repeat(n)),
                format!(
                    "{}#input.n{}",
                    "#COLLECTION.max({".repeat(n / 3),
                    "})".repeat(n / 3)
                ),
            ] {
                let e = compile(&src, &s, &CompileOptions::default())
                    .unwrap_or_else(|e| panic!("compiles: {e} for {}", &src[..30]));
                let input = Value::map({
                    let mut m = Value::new_map();
                    m.insert(Value::from("n"), Value::Int(1));
                    m
                });
                e.eval(&[input], &EvalEnv::default()).expect("evaluates");
            }
        })
        .expect("thread");
    handle.join().expect("no stack overflow");
}

/// An invalid literal regex given to `split`/`replaceAll`/`replaceFirst`/`matches` is caught by
/// the method's compile-time hook, at the pattern argument.
#[test]
fn invalid_literal_regex_arguments_are_compile_errors_at_the_pattern() {
    for (src, col) in [
        ("#input.city.split('(')", 19),
        ("#input.city.split('[a-', 2)", 19),
        ("#input.city.replaceAll('(x', 'y')", 24),
        ("#input.city.replaceFirst('*', 'y')", 26),
        ("#input.city.matches('a{2,1}')", 21),
    ] {
        let (line, column, msg) = first_error(src);
        assert_eq!((line, column), (1, col), "{src}: {msg}");
        assert!(
            msg.starts_with("Invalid regular expression: "),
            "{src}: {msg}"
        );
    }
    let (line, column, _) =
        first_error("#input.amount > 0 &&\n  #input.city.split('(').size() > 1");
    assert_eq!((line, column), (2, 21));
}

fn eval_with_city(src: &str, vars: &[(&str, Value)]) -> Result<Value, String> {
    let mut s = scope();
    let mut values = vec![Value::Null, Value::Null];
    for (name, v) in vars {
        s.declare(name, Type::string());
        values.push(v.clone());
    }
    let e = compile(src, &s, &CompileOptions::default()).map_err(|e| format!("{e:?}"))?;
    e.eval(&values, &EvalEnv::default())
        .map_err(|e| e.to_string())
}

fn strs(v: &[&str]) -> Value {
    Value::list(v.iter().map(|s| Value::from(*s)).collect())
}

/// A literal pattern (compiled once by the typer) and the same pattern in a variable
/// (compiled at run time) give the same results.
#[test]
fn literal_and_dynamic_regex_patterns_agree() {
    let cases: &[(&str, &str, Value)] = &[
        ("'a1b22c'.split(P)", "[0-9]+", strs(&["a", "b", "c"])),
        ("'a,b,,'.split(P)", ",", strs(&["a", "b"])),
        ("'a,b,,'.split(P, -1)", ",", strs(&["a", "b", "", ""])),
        ("'a,b,c'.split(P, 2)", ",", strs(&["a", "b"])),
        ("''.split(P)", ",", strs(&[""])),
        ("'a1b22'.replaceAll(P, '#')", "[0-9]+", Value::from("a#b#")),
        (
            "'a1b22'.replaceFirst(P, '<$1>')",
            "([0-9]+)",
            Value::from("a<1>b22"),
        ),
        ("'abc'.matches(P)", "a.c", Value::Bool(true)),
        ("'abcd'.matches(P)", "a.c", Value::Bool(false)),
    ];
    for (template, pattern, expected) in cases {
        let literal = template.replace('P', &format!("'{pattern}'"));
        let dynamic = template.replace('P', "#p");
        assert_eq!(
            eval_with_city(&literal, &[]).as_ref(),
            Ok(expected),
            "{literal}"
        );
        assert_eq!(
            eval_with_city(&dynamic, &[("p", Value::from(*pattern))]).as_ref(),
            Ok(expected),
            "{dynamic}"
        );
    }
}

/// A pattern only known at run time still works, and an invalid one still fails at run time.
#[test]
fn dynamic_regex_patterns_are_checked_at_run_time() {
    assert_eq!(
        eval_with_city("'x-y'.split(#p)", &[("p", Value::from("-"))]),
        Ok(strs(&["x", "y"]))
    );
    let err = eval_with_city("'x-y'.split(#p)", &[("p", Value::from("("))])
        .expect_err("invalid pattern at run time");
    assert!(err.contains("regex parse error"), "{err}");
}
