//! Runs a corpus in the format of `spel-corpus.json` (`spel.md` §19): each case compiles an
//! expression with declared variables and checks the value, the static type or the error.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::{Map as JsonMap, Value as Json};

use crate::eval::EvalEnv;
use crate::expression::{compile, CompileOptions};
use crate::typer::Scope;
use crate::types::{parse_type, Type};
use crate::value::{from_json_typed, from_json_untyped, number, Value};

/// The fixed clock of the reference's helper tests.
pub const HELPERS_CLOCK: &str = "2020-01-01T00:00:00Z";

/// One case's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    pub area: String,
    pub expr: String,
    /// `None` when the case passed, else why it failed.
    pub failure: Option<String>,
}

/// Summary of a corpus run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failure.is_none()).count()
    }
    pub fn failed(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| o.failure.is_some())
    }
    pub fn failed_count(&self) -> usize {
        self.failed().count()
    }
}

/// Parses and runs a corpus file's text.
pub fn run_corpus(text: &str) -> Result<Report, String> {
    let cases: Vec<Json> = serde_json::from_str(text)
        .map_err(|e| format!("corpus is not a JSON array of cases: {e}"))?;
    let mut report = Report::default();
    let mut seen = HashSet::new();
    for (i, c) in cases.iter().enumerate() {
        let obj = c
            .as_object()
            .ok_or_else(|| format!("case {i} is not an object"))?;
        let id = obj
            .get("id")
            .and_then(Json::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{i}"));
        if !seen.insert(id.clone()) {
            return Err(format!("duplicate case id {id}"));
        }
        let area = obj
            .get("area")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let expr = obj
            .get("expr")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        let failure = run_case(obj).err();
        report.outcomes.push(Outcome {
            id,
            area,
            expr,
            failure,
        });
    }
    Ok(report)
}

fn str_field<'a>(c: &'a JsonMap<String, Json>, k: &str) -> Option<&'a str> {
    c.get(k).and_then(Json::as_str)
}

/// Runs one case: `Ok` when it behaves as expected, else the reason.
pub fn run_case(c: &JsonMap<String, Json>) -> Result<(), String> {
    let expr = str_field(c, "expr").ok_or("case has no expr")?;
    let helpers = str_field(c, "env") == Some("helpers");
    let with_values = c
        .get("typed_with_values")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    let mut scope = if helpers {
        Scope::with_helpers()
    } else {
        Scope::new()
    };
    let mut values = Vec::new();
    let empty = JsonMap::new();
    let vars = c.get("vars").and_then(Json::as_object).unwrap_or(&empty);
    let var_types = c
        .get("var_types")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    for (name, json) in vars {
        let (ty, value) = match var_types.get(name).and_then(Json::as_str) {
            Some(t) => {
                let ty = parse_type(t).map_err(|e| format!("bad var_types for {name}: {e}"))?;
                let v =
                    from_json_typed(json, &ty).map_err(|e| format!("bad value for {name}: {e}"))?;
                (ty, v)
            }
            None => {
                let v = from_json_untyped(json);
                let ty = if with_values {
                    Type::of_value(&v)
                } else {
                    Type::of_value_without_value(&v)
                };
                (ty, v)
            }
        };
        let ty = if with_values && var_types.contains_key(name) {
            Type::of_value(&value)
        } else {
            ty
        };
        let slot = scope.declare(name, ty);
        if values.len() <= slot {
            values.resize(slot + 1, Value::Null);
        }
        values[slot] = value;
    }
    let expected = match str_field(c, "expected_type") {
        Some(t) => Some(parse_type(t).map_err(|e| format!("bad expected_type: {e}"))?),
        None => None,
    };
    let opts = CompileOptions {
        expected,
        template: str_field(c, "flavour") == Some("template"),
        ..CompileOptions::default()
    };
    let error = str_field(c, "error");
    let error_message = str_field(c, "error_message");
    let compiled = match compile(expr, &scope, &opts) {
        Ok(e) => e,
        Err(errs) => {
            let msg = errs.to_string();
            return match error {
                Some("compile") => check_message(&msg, error_message),
                _ => Err(format!("unexpected compile error: {msg}")),
            };
        }
    };
    if error == Some("compile") {
        return Err(format!(
            "expected a compile error, compiled to type {}",
            compiled.static_type()
        ));
    }
    if let Some(st) = str_field(c, "static_type") {
        let ours = compiled.static_type();
        if ours.to_string() != st && ours.without_value().to_string() != st {
            return Err(format!("static type {ours}, expected {st}"));
        }
    }
    let env = if helpers {
        let at: DateTime<Utc> = HELPERS_CLOCK.parse().map_err(|e| format!("{e}"))?;
        EvalEnv::fixed(at)
    } else {
        EvalEnv::default()
    };
    let value = match compiled.eval(&values, &env) {
        Ok(v) => v,
        Err(e) => {
            let msg = e.to_string();
            return match error {
                Some("runtime") => check_message(&msg, error_message),
                _ => Err(format!("unexpected runtime error: {msg}")),
            };
        }
    };
    if error.is_some() {
        return Err(format!(
            "expected a {} error, got {}",
            error.unwrap_or(""),
            value.to_java_string()
        ));
    }
    let Some(expect) = c.get("expect") else {
        return Err("case has neither expect nor error".into());
    };
    if let Some(et) = str_field(c, "expect_type") {
        let ours = value.class_name();
        if ours != et {
            return Err(format!(
                "result class {ours}, expected {et} (value {})",
                value.to_java_string()
            ));
        }
    }
    let note = str_field(c, "note").unwrap_or("").to_ascii_lowercase();
    let cmp = Compare {
        tolerance: c.get("tolerance").and_then(Json::as_f64),
        numeric_decimals: note.contains("numeric"),
        ordered_maps: note.contains("order matters"),
    };
    if cmp.matches(&value, expect) {
        Ok(())
    } else {
        Err(format!(
            "got {}, expected {}",
            crate::value::to_json(&value),
            expect
        ))
    }
}

fn check_message(actual: &str, expected: Option<&str>) -> Result<(), String> {
    match expected {
        Some(m) if !actual.contains(m) => {
            Err(format!("error message '{actual}' does not contain '{m}'"))
        }
        _ => Ok(()),
    }
}

struct Compare {
    tolerance: Option<f64>,
    numeric_decimals: bool,
    ordered_maps: bool,
}

impl Compare {
    fn matches(&self, v: &Value, e: &Json) -> bool {
        match (v, e) {
            (Value::Null, Json::Null) => true,
            (Value::Bool(a), Json::Bool(b)) => a == b,
            (Value::BigDec(d), Json::String(s)) => {
                d.to_plain_string() == *s
                    || v.to_java_string() == *s
                    || (self.numeric_decimals
                        && s.parse::<bigdecimal::BigDecimal>().is_ok_and(|x| x == **d))
            }
            (Value::BigDec(d), Json::Number(n)) => n
                .to_string()
                .parse::<bigdecimal::BigDecimal>()
                .is_ok_and(|x| x == **d),
            (n, Json::Number(en)) if n.is_number() => {
                if let (Some(a), Some(b)) = (number::to_i64(n), en.as_i64()) {
                    if matches!(
                        n,
                        Value::Int(_) | Value::Long(_) | Value::Short(_) | Value::Byte(_)
                    ) {
                        return a == b;
                    }
                }
                if let Value::BigInt(bi) = n {
                    return bi.to_string() == en.to_string();
                }
                match (number::to_f64(n), en.as_f64()) {
                    (Some(a), Some(b)) => match self.tolerance {
                        Some(t) => (a - b).abs() <= t,
                        None => a == b || (a - b).abs() <= f64::EPSILON * b.abs().max(1.0) * 4.0,
                    },
                    _ => false,
                }
            }
            (Value::Str(a), Json::String(b)) => a.as_str() == b,
            (Value::Char(a), Json::String(b)) => b.chars().count() == 1 && b.starts_with(*a),
            (Value::Obj(o), Json::String(b)) => o.to_iso_string() == *b || o.to_java_string() == *b,
            (Value::BigInt(a), Json::String(b)) => a.to_string() == *b,
            (Value::List(a), Json::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| self.matches(x, y))
            }
            (Value::Map(a), Json::Object(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                if self.ordered_maps {
                    a.iter()
                        .zip(b.iter())
                        .all(|((k, x), (kb, y))| k.to_java_string() == *kb && self.matches(x, y))
                } else {
                    a.iter().all(|(k, x)| {
                        b.get(&k.to_java_string())
                            .is_some_and(|y| self.matches(x, y))
                    })
                }
            }
            _ => false,
        }
    }
}
