//! `scenic expr 'EXPR' [--vars JSON] [--types JSON] [--clock RFC3339]` (decisions §4).

use std::process::ExitCode;

use clap::Args;
use scenic_spel::value::{from_json_typed, from_json_untyped, to_json};
use scenic_spel::{compile, parse_type, CompileOptions, EvalEnv, Scope, Type, Value};

#[derive(Args, Debug)]
pub struct ExprArgs {
    /// The expression, in the SpEL dialect (may start with '-').
    #[arg(allow_hyphen_values = true)]
    pub expr: String,
    /// Variables as a JSON object: `{"input": {"amount": 5}}` makes `#input`.
    #[arg(long)]
    pub vars: Option<String>,
    /// Declared types of variables as a JSON object of type strings:
    /// `{"input": "Record{amount: Long}"}`. Undeclared variables are typed from their values.
    #[arg(long)]
    pub types: Option<String>,
    /// Fix the clock `#DATE` reads (RFC 3339), e.g. 2020-01-01T00:00:00Z.
    #[arg(long)]
    pub clock: Option<String>,
    /// The expected result type; the value is converted to it.
    #[arg(long)]
    pub expected: Option<String>,
    /// Treat the text as a template (`Hello #{#input.name}`).
    #[arg(long)]
    pub template: bool,
    /// Stop evaluating after this many seconds (a runtime error), as a deployment would.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

const COMPILE_ERROR: u8 = 2;
const RUNTIME_ERROR: u8 = 3;

fn usage(msg: String) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(COMPILE_ERROR)
}

pub fn run(a: ExprArgs) -> ExitCode {
    let vars: serde_json::Map<String, serde_json::Value> = match &a.vars {
        Some(s) => match serde_json::from_str(s) {
            Ok(serde_json::Value::Object(m)) => m,
            Ok(_) => return usage("--vars must be a JSON object".into()),
            Err(e) => return usage(format!("--vars is not valid JSON: {e}")),
        },
        None => serde_json::Map::new(),
    };
    let types: serde_json::Map<String, serde_json::Value> = match &a.types {
        Some(s) => match serde_json::from_str(s) {
            Ok(serde_json::Value::Object(m)) => m,
            Ok(_) => return usage("--types must be a JSON object".into()),
            Err(e) => return usage(format!("--types is not valid JSON: {e}")),
        },
        None => serde_json::Map::new(),
    };
    let mut scope = Scope::with_helpers();
    let mut values: Vec<Value> = Vec::new();
    for (name, json) in &vars {
        let (ty, value) = match types.get(name) {
            Some(serde_json::Value::String(t)) => {
                let ty = match parse_type(t) {
                    Ok(t) => t,
                    Err(e) => return usage(format!("--types {name}: {e}")),
                };
                match from_json_typed(json, &ty) {
                    Ok(v) => (ty, v),
                    Err(e) => return usage(format!("--vars {name}{e}")),
                }
            }
            Some(_) => return usage(format!("--types {name}: expected a type string")),
            None => {
                let v = from_json_untyped(json);
                (Type::of_value_without_value(&v), v)
            }
        };
        let slot = scope.declare(name, ty);
        if values.len() <= slot {
            values.resize(slot + 1, Value::Null);
        }
        values[slot] = value;
    }
    let expected = match &a.expected {
        Some(t) => match parse_type(t) {
            Ok(t) => Some(t),
            Err(e) => return usage(format!("--expected: {e}")),
        },
        None => None,
    };
    let env = match &a.clock {
        Some(c) => match chrono::DateTime::parse_from_rfc3339(c) {
            Ok(t) => EvalEnv::fixed(t.with_timezone(&chrono::Utc)),
            Err(e) => return usage(format!("--clock is not RFC 3339: {e}")),
        },
        None => EvalEnv::default(),
    };
    let opts = CompileOptions {
        expected,
        template: a.template,
        ..CompileOptions::default()
    };
    let compiled = match compile(&a.expr, &scope, &opts) {
        Ok(c) => c,
        Err(errs) => {
            for d in &errs.0 {
                eprintln!("compile error at {}:{}: {}", d.line, d.column, d.message());
            }
            return ExitCode::from(COMPILE_ERROR);
        }
    };
    // The default limits of a deployment, and a deadline.
    let env = env.with_budget(scenic_spel::eval::Budget::default().with_deadline(Some(
        std::time::Instant::now() + std::time::Duration::from_secs(a.timeout.max(1)),
    )));
    match compiled.eval(&values, &env) {
        Ok(v) => {
            println!("{}", to_json(&v));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("runtime error: {e}");
            ExitCode::from(RUNTIME_ERROR)
        }
    }
}
