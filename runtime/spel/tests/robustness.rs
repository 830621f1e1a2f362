//! No input makes the parser, typer or evaluator panic or hang: random token soups, random
//! mutations of corpus expressions and random bytes go through the whole pipeline.
//!
//! `PROPTEST_CASES` raises the number of cases for a longer run (the note on issue 2 says how
//! long it was run and what it found).

use proptest::prelude::*;
use scenic_spel::{compile, parse_type, CompileOptions, EvalEnv, Scope, Value};

fn scope() -> (Scope, Vec<Value>) {
    let mut s = Scope::with_helpers();
    let t = parse_type(
        "Record{a: Long, s: String, l: List[Integer], m: Map[String,Unknown], d: BigDecimal}",
    )
    .expect("type");
    s.declare("input", t.clone());
    s.declare("u", scenic_spel::Type::Unknown);
    let v = scenic_spel::value::from_json_typed(
        &serde_json::json!({"a": 5, "s": "Warszawa", "l": [1, 2, 3], "m": {"k": [1, {"x": null}]}, "d": "1.50"}),
        &t,
    )
    .expect("value");
    (
        s,
        vec![
            v,
            scenic_spel::value::from_json_untyped(&serde_json::json!({"x": [1, "a", null, 2.5]})),
        ],
    )
}

/// Compiles and, if that works, evaluates; any outcome but a panic is fine.
fn run(src: &str) {
    let (s, vars) = scope();
    for template in [false, true] {
        if let Ok(e) = compile(
            src,
            &s,
            &CompileOptions {
                expected: None,
                template,
                ..CompileOptions::default()
            },
        ) {
            let _ = e.eval(&vars, &EvalEnv::default());
        }
    }
}

const ATOMS: &[&str] = &[
    "#input",
    "#u",
    "#this",
    "#root",
    "#DATE",
    "#COLLECTION",
    "#CONV",
    "#NUMERIC",
    "#UTIL",
    "#BASE64",
    ".a",
    ".s",
    ".l",
    ".m",
    ".d",
    "?.",
    ".?[",
    ".![",
    ".^[",
    ".$[",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ":",
    ",",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "!",
    "?",
    "?:",
    "and",
    "or",
    "not",
    "matches",
    "between",
    "instanceof",
    "T(String)",
    "T(java.lang.Long)",
    "new",
    "@x",
    "=",
    "++",
    "'str'",
    "\"dq\"",
    "''",
    "0",
    "1",
    "-1",
    "2147483647",
    "9223372036854775807L",
    "1.5",
    "1e308",
    "0x1F",
    "null",
    "true",
    "false",
    ".size()",
    ".substring(",
    ".toLong",
    ".toMap",
    ".to('Map')",
    ".canBe('Long')",
    ".get(",
    ".keySet",
    ".split(','",
    "'(a+)+b'",
    "'[a-'",
    ".sum(",
    ".merge(",
    ".toJson(",
    ".now",
    ".length()",
    "#{",
    " ",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ATOMS), 0..24).prop_map(|v| v.concat())
}

fn corpus_exprs() -> &'static [String] {
    static EXPRS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    EXPRS.get_or_init(|| {
        let text = include_str!("data/spel-corpus.json");
        let cases: Vec<serde_json::Value> = serde_json::from_str(text).expect("corpus");
        cases
            .iter()
            .filter_map(|c| c["expr"].as_str().map(str::to_string))
            .collect()
    })
}

proptest! {
#![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn token_soup_never_panics(src in soup()) {
        run(&src);
    }

    #[test]
    fn random_text_never_panics(src in "\\PC{0,60}") {
        run(&src);
    }

    #[test]
    fn mutated_corpus_expressions_never_panic(i in 0usize..10_000, cut in 0usize..200, insert in prop::sample::select(ATOMS)) {
        let exprs = corpus_exprs();
        let e = &exprs[i % exprs.len()];
        let mut at = cut.min(e.len());
        while !e.is_char_boundary(at) { at -= 1; }
        run(&format!("{}{}{}", &e[..at], insert, &e[at..]));
        run(&e[..at]);
    }
}

#[test]
fn every_corpus_expression_survives_every_truncation() {
    for e in corpus_exprs().iter() {
        for (i, _) in e.char_indices() {
            run(&e[..i]);
            run(&e[i..]);
        }
    }
}

#[test]
fn pathological_regex_runs_in_linear_time() {
    let (s, vars) = scope();
    let e = compile(
        "#input.s + 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' matches '(a+)+b'",
        &s,
        &CompileOptions::default(),
    )
    .expect("compiles");
    let start = std::time::Instant::now();
    assert_eq!(
        e.eval(&vars, &EvalEnv::default()).expect("evaluates"),
        Value::Bool(false)
    );
    // A backtracking engine takes hours here; a generous bound keeps the test stable on CI.
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
