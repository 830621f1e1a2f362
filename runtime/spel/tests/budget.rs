//! Every evaluation is bounded (issue #9, `decisions.md` §10): the hostile expressions that
//! exhausted memory or time before fail with a limit error, quickly, and nothing else breaks.

use std::time::{Duration, Instant};

use scenic_spel::eval::{Budget, Exhausted, LimitError};
use scenic_spel::limits::Limits;
use scenic_spel::{
    compile, parse_type, CompileOptions, EvalEnv, EvalError, RuntimeError, Scope, Value,
};

fn scope(vars: &[(&str, &str)]) -> Scope {
    let mut s = Scope::with_helpers();
    for (n, t) in vars {
        s.declare(n, parse_type(t).expect("type"));
    }
    s
}

fn env(deadline: Option<Duration>) -> EvalEnv {
    EvalEnv::default().with_budget(
        Budget::new(Limits::default()).with_deadline(deadline.map(|d| Instant::now() + d)),
    )
}

/// Compiles against `vars`, evaluates with `values` and the default limits; the error.
fn fails(src: &str, vars: &[(&str, &str)], values: Vec<Value>, env: &EvalEnv) -> RuntimeError {
    let e = compile(src, &scope(vars), &CompileOptions::default())
        .unwrap_or_else(|e| panic!("{src} compiles: {e}"));
    match e.eval(&values, env) {
        Err(e) => e,
        // Never print the value: it may be megabytes.
        Ok(v) => panic!(
            "{src} evaluated to a {} of size {}",
            v.class_name(),
            v.size()
        ),
    }
}

fn list_of(n: usize, v: Value) -> Value {
    Value::list(vec![v; n])
}

fn empty_map() -> Value {
    Value::map(Value::new_map())
}

/// Runs `f` and asserts it took less than `limit`.
fn quickly<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let r = f();
    assert!(
        started.elapsed() < limit,
        "took {:?} (limit {limit:?})",
        started.elapsed()
    );
    r
}

#[test]
fn product_of_two_long_lists_is_refused_before_allocating() {
    // Issue #9: an 800 KB body aborted the process on a 240 GB allocation.
    let e = env(None);
    let err = quickly(Duration::from_secs(2), || {
        fails(
            "#COLLECTION.product(#a, #b).size()",
            &[
                ("a", "List[Map[String, Unknown]]"),
                ("b", "List[Map[String, Unknown]]"),
            ],
            vec![list_of(100_000, empty_map()), list_of(100_000, empty_map())],
            &e,
        )
    });
    assert!(
        err.to_string()
            .contains("larger than the limit of 1000000 elements"),
        "{err}"
    );
}

#[test]
fn replacing_the_empty_string_is_refused_before_allocating() {
    // Issue #9: `#input.s.replace('', #input.s)` on 200 KB allocated gigabytes.
    let s = Value::str("x".repeat(200_000));
    let err = quickly(Duration::from_secs(2), || {
        fails(
            "#s.replace('', #s)",
            &[("s", "String")],
            vec![s],
            &env(None),
        )
    });
    assert!(
        matches!(err.error, EvalError::Failed(ref m) if m.contains("longer than the limit")),
        "{err}"
    );
}

#[test]
fn nested_projections_stop_at_the_collection_and_memory_limits() {
    // Issue #9: eight nested projections over ten elements allocated 3.3 GB.
    let ten = "{1,2,3,4,5,6,7,8,9,10}";
    let mut src = format!("{ten}.![#this]");
    for _ in 0..7 {
        src = format!("{ten}.![{src}]");
    }
    let e = env(Some(Duration::from_secs(30)));
    let err = quickly(Duration::from_secs(10), || fails(&src, &[], vec![], &e));
    assert!(
        matches!(err.error, EvalError::Limit(LimitError::Memory { .. })),
        "{err}"
    );
    assert_eq!(e.budget.exhausted(), Some(Exhausted::Memory));
    // Exhaustion is sticky: the rest of the invocation stops too.
    let again = compile("'a' + 'b'", &Scope::new(), &CompileOptions::default()).expect("ok");
    assert!(again.eval(&[], &e).is_err() || e.budget.exhausted().is_some());
}

#[test]
fn a_cpu_bound_evaluation_stops_at_its_deadline() {
    // Issue #9: CPU-bound requests ran for 20-50 s past a 3 s timeout. 10^8 iterations here.
    let ten = "{1,2,3,4,5,6,7,8,9,10}";
    let mut src = format!("{ten}.![#this > 5]");
    for _ in 0..7 {
        src = format!("{ten}.![{src}.size()]");
    }
    let e = env(Some(Duration::from_millis(200)));
    let started = Instant::now();
    let err = fails(&src, &[], vec![], &e);
    let took = started.elapsed();
    assert!(
        matches!(err.error, EvalError::Limit(LimitError::Deadline)),
        "{err}"
    );
    assert!(took < Duration::from_millis(600), "stopped after {took:?}");
    assert_eq!(e.budget.exhausted(), Some(Exhausted::Deadline));
}

#[test]
fn quadratic_helpers_stop_at_the_deadline() {
    let a = Value::list((0..100_000).map(Value::Int).collect());
    let b = Value::list((100_000..200_000).map(Value::Int).collect());
    for src in [
        "#COLLECTION.diff(#a, #b)",
        "#COLLECTION.intersect(#a, #b)",
        "#a.containsAll(#COLLECTION.reverse(#a))",
        "#a.![#b.contains(#this)]",
    ] {
        let e = env(Some(Duration::from_millis(200)));
        let started = Instant::now();
        let err = fails(
            src,
            &[("a", "List[Integer]"), ("b", "List[Integer]")],
            vec![a.clone(), b.clone()],
            &e,
        );
        assert!(err.to_string().contains("deadline"), "{src}: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{src} stopped after {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn shared_parts_cannot_blow_a_value_up() {
    // Each level doubles the value while allocating two slots: 2^60 leaves in 60 lists.
    let mut src = "{'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}".to_string();
    for _ in 0..60 {
        src = format!("{src}.![{{#this, #this}}]");
    }
    let err = quickly(Duration::from_secs(2), || {
        fails(&src, &[], vec![], &env(None))
    });
    assert!(
        matches!(
            err.error,
            EvalError::Limit(LimitError::ValueTooLarge { .. })
        ),
        "{err}"
    );
}

#[test]
fn text_of_a_big_value_is_bounded() {
    // The text of a big list is refused once it passes the string limit.
    let big = Value::list((0..1_000_000).map(Value::Int).collect());
    let err = quickly(Duration::from_secs(5), || {
        fails(
            "'' + #a + #a + #a",
            &[("a", "List[Integer]")],
            vec![big],
            &env(None),
        )
    });
    assert!(err.to_string().contains("longer than the limit"), "{err}");
}

#[test]
fn growing_strings_stop_at_the_string_limit() {
    let s = Value::str("y".repeat(3 << 20));
    for src in [
        "#s + #s + #s",
        "#s.concat(#s).concat(#s)",
        "#COLLECTION.join({#s, #s, #s}, '')",
        "#COLLECTION.join({1, 2, 3}, #s + #s)",
        "T(java.lang.String).join(#s, {1, 2, 3, 4})",
        "#s.replaceAll('y+', '$0$0$0')",
    ] {
        let err = quickly(Duration::from_secs(5), || {
            fails(src, &[("s", "String")], vec![s.clone()], &env(None))
        });
        assert!(
            err.to_string().contains("longer than the limit"),
            "{src}: {err}"
        );
    }
}

#[test]
fn templates_stop_at_the_string_limit() {
    let s = Value::str("y".repeat(3 << 20));
    let opts = CompileOptions {
        template: true,
        ..CompileOptions::default()
    };
    let e = compile("#{#s}-#{#s}-#{#s}", &scope(&[("s", "String")]), &opts).expect("compiles");
    let err = e.eval(&[s], &env(None)).expect_err("too long");
    assert!(err.to_string().contains("longer than the limit"), "{err}");
}

#[test]
fn splitting_into_too_many_parts_is_refused() {
    let s = Value::str("a,".repeat(2_000_000));
    let err = quickly(Duration::from_secs(5), || {
        fails("#s.split(',')", &[("s", "String")], vec![s], &env(None))
    });
    assert!(err.to_string().contains("elements"), "{err}");
}

#[test]
fn huge_decimal_scales_and_exponents_are_refused() {
    let cases = [
        "'1e-999999999'.toBigDecimal + 1",
        "(1).toBigDecimal.setScale(999999999)",
        "T(java.math.BigDecimal).valueOf(1).setScale(999999999)",
    ];
    let mut ran = 0;
    for src in cases {
        let e = compile(src, &scope(&[]), &CompileOptions::default());
        let Ok(e) = e else { continue }; // not every spelling exists; those that do must fail
        ran += 1;
        let r = quickly(Duration::from_secs(2), || e.eval(&[], &env(None)));
        match r {
            Err(_) => {}
            Ok(v) => panic!("{src} gave a {}", v.class_name()),
        }
    }
    assert!(ran >= 2, "only {ran} of the cases compile");
}

#[test]
fn a_slice_preempts_and_the_evaluation_can_resume() {
    let ten = "{1,2,3,4,5,6,7,8,9,10}";
    let src = format!("{ten}.![{ten}.![{ten}.![{ten}.![{ten}.![{ten}.![#this]]]]]].size()");
    let e = compile(&src, &Scope::new(), &CompileOptions::default()).expect("compiles");
    let env = EvalEnv::default().with_budget(
        Budget::new(Limits::default()).with_slice(Instant::now() + Duration::from_millis(1)),
    );
    let err = e.eval(&[], &env).expect_err("preempted");
    assert!(
        matches!(err.error, EvalError::Limit(LimitError::Preempted)),
        "{err}"
    );
    assert_eq!(env.budget.exhausted(), Some(Exhausted::Preempted));
    env.budget.end_slice();
    assert_eq!(env.budget.exhausted(), None);
    assert_eq!(e.eval(&[], &env).expect("resumes"), Value::Int(10));
}

#[test]
fn legitimate_work_fits_the_default_limits() {
    // Well-sized lists, strings and records evaluate unchanged.
    let items = Value::list((0..10_000).map(Value::Int).collect());
    let e = compile(
        "#items.?[#this % 2 == 0].![{n: #this, s: 'item-' + #this}].size()",
        &scope(&[("items", "List[Integer]")]),
        &CompileOptions::default(),
    )
    .expect("compiles");
    assert_eq!(
        e.eval(&[items], &env(None)).expect("runs"),
        Value::Int(5_000)
    );
}
