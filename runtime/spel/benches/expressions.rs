//! Criterion benchmarks of the expression language. Each scenic case runs beside a hand-written
//! Rust baseline doing the same work on the same data, so `docs/benchmarks.md` can give a ratio
//! measured in one run.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use scenic_spel::value::from_json_typed;
use scenic_spel::{compile, parse_type, CompileOptions, EvalEnv, Scope, Type, Value};

fn substring(c: &mut Criterion) {
    let mut scope = Scope::new();
    scope.declare("input", Type::string());
    let e = compile("#input.substring(0,3)", &scope, &CompileOptions::default()).expect("compiles");
    let vars = [Value::from("Warszawa")];
    let env = EvalEnv::default();
    let mut g = c.benchmark_group("substring");
    g.bench_function("scenic", |b| {
        b.iter(|| black_box(e.eval(black_box(&vars), &env)))
    });
    g.bench_function("native", |b| {
        b.iter(|| {
            let s = match black_box(&vars[0]) {
                Value::Str(s) => s,
                _ => unreachable!(),
            };
            black_box(Value::str(&s[..3]))
        })
    });
    g.finish();
}

fn record_scope() -> (Scope, Vec<Value>) {
    let mut scope = Scope::new();
    let t = parse_type(
        "Record{amount: Long, city: String, items: List[Record{id: String, amount: Long}]}",
    )
    .expect("type");
    scope.declare("input", t.clone());
    let items: Vec<serde_json::Value> = (0..100)
        .map(|i| serde_json::json!({"id": format!("item-{i}"), "amount": i}))
        .collect();
    let json = serde_json::json!({"amount": 42, "city": "Warszawa", "items": items});
    let v = from_json_typed(&json, &t).expect("value");
    (scope, vec![v])
}

fn boolean(c: &mut Criterion) {
    let (scope, vars) = record_scope();
    let e = compile(
        "#input.amount > 30 && #input.city == 'Warszawa'",
        &scope,
        &CompileOptions::default(),
    )
    .expect("compiles");
    let env = EvalEnv::default();
    let amount = Value::from("amount");
    let city = Value::from("city");
    let mut g = c.benchmark_group("boolean");
    g.bench_function("scenic", |b| {
        b.iter(|| black_box(e.eval(black_box(&vars), &env)))
    });
    g.bench_function("native", |b| {
        b.iter(|| {
            let m = match black_box(&vars[0]) {
                Value::Map(m) => m,
                _ => unreachable!(),
            };
            let a = matches!(m.get(&amount), Some(Value::Long(x)) if *x > 30);
            black_box(a && matches!(m.get(&city), Some(Value::Str(s)) if s == "Warszawa"))
        })
    });
    g.finish();
}

fn selection_projection(c: &mut Criterion) {
    let (scope, vars) = record_scope();
    let e = compile(
        "#input.items.?[#this.amount > 50].![#this.id]",
        &scope,
        &CompileOptions::default(),
    )
    .expect("compiles");
    let env = EvalEnv::default();
    let items = Value::from("items");
    let amount = Value::from("amount");
    let id = Value::from("id");
    let mut g = c.benchmark_group("select_project_100");
    g.bench_function("scenic", |b| {
        b.iter(|| black_box(e.eval(black_box(&vars), &env)))
    });
    g.bench_function("native", |b| {
        b.iter(|| {
            let m = match black_box(&vars[0]) {
                Value::Map(m) => m,
                _ => unreachable!(),
            };
            let list = match m.get(&items) {
                Some(Value::List(l)) => l,
                _ => unreachable!(),
            };
            let selected: Vec<Value> = list
                .iter()
                .filter(|v| matches!(v, Value::Map(r) if matches!(r.get(&amount), Some(Value::Long(a)) if *a > 50)))
                .cloned()
                .collect();
            let projected: Vec<Value> = selected
                .iter()
                .map(|v| match v {
                    Value::Map(r) => r.get(&id).cloned().unwrap_or(Value::Null),
                    _ => Value::Null,
                })
                .collect();
            black_box(Value::list(projected))
        })
    });
    g.finish();
}

/// The expressions of a 20-node loan-decision scenario: filters, variables, a choice, a
/// record-variable, enricher parameters and response fields.
pub const SCENARIO_EXPRESSIONS: &[&str] = &[
    "#input.amount > 0",
    "#input.customer != null && #input.customer.age >= 18",
    "#input.amount * 12",
    "#input.customer.income - #input.customer.expenses",
    "#input.amount / #input.months",
    "#disposable > #monthly * 2",
    "#input.customer.country == 'PL' ? 'domestic' : 'foreign'",
    "{score: #input.customer.score, risk: #input.customer.score < 500 ? 'high' : 'low'}",
    "#input.customer.score >= 700",
    "#input.customer.score >= 500 && #input.customer.score < 700",
    "#input.customer.score < 500",
    "#input.customer.tags.contains('vip')",
    "#input.customer.tags.?[#this.startsWith('seg-')].size() > 0",
    "#input.history.![#this.amount].size()",
    "#input.history.?[#this.late].size() == 0",
    "#input.customer.name.toUpperCase()",
    "'APPROVED'",
    "'REJECTED'",
    "#input.customer.name + ' (' + #input.customer.country + ')'",
    "#monthly",
    "#segment",
    "#input.amount > 100000 ? 'manual' : 'auto'",
    "#input.customer.email?.toLowerCase() ?: 'none'",
    "#input.months between {6, 120}",
    "#input.customer.id",
    "#input.requestId",
    "{decision: 'APPROVED', amount: #input.amount, months: #input.months}",
    "#risk.risk == 'low' and #disposable > 1000",
    "#input.history.size() > 3 ? #input.history[0].amount : 0",
    "#input.customer.score.toString()",
    "#input.amount.toString() + ' PLN'",
    "#input.customer.age * 1.5 > 30",
    "#monthly > 0",
    "#segment == 'domestic'",
    "#input.customer.tags.isEmpty()",
    "#input.customer.income > 5000 || #input.customer.score > 800",
    "#input.history.^[#this.late].amount",
    "#input.customer.country matches '[A-Z]{2}'",
    "#input.amount",
    "#input.customer.score",
];

pub fn scenario_scope() -> Scope {
    let mut s = Scope::new();
    s.declare(
        "input",
        parse_type(
            "Record{requestId: String, amount: Long, months: Integer, customer: Record{id: String, name: String, \
             email: String, age: Integer, country: String, income: Long, expenses: Long, score: Integer, \
             tags: List[String]}, history: List[Record{amount: Long, late: Boolean}]}",
        )
        .expect("type"),
    );
    s.declare("monthly", Type::long());
    s.declare("disposable", Type::long());
    s.declare("segment", Type::string());
    s.declare(
        "risk",
        parse_type("Record{score: Integer, risk: String}").expect("type"),
    );
    s
}

fn compile_scenario(c: &mut Criterion) {
    let scope = scenario_scope();
    for src in SCENARIO_EXPRESSIONS {
        compile(src, &scope, &CompileOptions::default()).unwrap_or_else(|e| panic!("{src}: {e}"));
    }
    let mut g = c.benchmark_group("compile_20_node_scenario");
    g.bench_function("scenic_compile", |b| {
        b.iter(|| {
            for src in SCENARIO_EXPRESSIONS {
                black_box(compile(black_box(src), &scope, &CompileOptions::default()).ok());
            }
        })
    });
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            for src in SCENARIO_EXPRESSIONS {
                black_box(scenic_spel::parser::parse(black_box(src)).ok());
            }
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    substring,
    boolean,
    selection_projection,
    compile_scenario
);
criterion_main!(benches);
