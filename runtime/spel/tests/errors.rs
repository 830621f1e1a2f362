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
        template: false,
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
    assert!(msg.contains("nested too deeply"), "{msg}");
    let deep_unary = format!("{}true", "!".repeat(5000));
    assert!(first_error(&deep_unary).2.contains("nested too deeply"));
    let deep_list = format!("{}{}", "{".repeat(3000), "}".repeat(3000));
    assert!(first_error(&deep_list).2.contains("nested too deeply"));
}

#[test]
fn nesting_up_to_the_limit_compiles_and_evaluates_on_a_small_stack() {
    // 99 levels of each construct, compiled and evaluated on a 1 MiB thread (smaller than the
    // 2 MiB Rust and tokio default), in a debug build.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let s = Scope::new();
            for src in [
                format!("{}1{}", "(".repeat(98), ")".repeat(98)),
                format!("{}true", "!".repeat(98)),
                format!("{}1{}", "{".repeat(98), "}".repeat(98)),
                format!("{}1{}", "-(".repeat(24), ")".repeat(24)),
            ] {
                let e = compile(&src, &s, &CompileOptions::default()).expect("compiles");
                e.eval(&[], &EvalEnv::default()).expect("evaluates");
            }
        })
        .expect("thread");
    handle.join().expect("no stack overflow");
}
