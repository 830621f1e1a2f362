//! `java.util.Map` whitelist (spel.md §10). Records are maps at run time.

use super::args;
use super::{MethodDef, P};
use crate::types::{common_supertype, Class, Type};
use crate::value::Value;
use crate::{m, mf};

fn entries(v: &Value) -> Result<&crate::value::ValueMap, String> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(format!("expected a map, got {}", other.class_name())),
    }
}

/// Key and value types of a map-like type (records: String and the supertype of the fields).
pub fn key_value_types(t: &Type) -> (Type, Type) {
    match t {
        Type::Record(fields) => (
            Type::string(),
            fields
                .values()
                .map(|t| t.without_value())
                .reduce(|a, b| common_supertype(&a, &b))
                .unwrap_or(Type::Unknown),
        ),
        Type::Const(c) => key_value_types(&c.0),
        t if t.is_class(Class::Map) => (t.param(0), t.param(1)),
        _ => (Type::Unknown, Type::Unknown),
    }
}

fn t_value(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(key_value_types(recv).1)
}
fn t_values(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Type::generic(
        Class::Collection,
        vec![key_value_types(recv).1],
    ))
}
fn t_keys(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Type::set(key_value_types(recv).0))
}

pub static METHODS: &[MethodDef] = &[
    m!("containsKey", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        entries(r)?.contains_key(args::get(a, 0)?)
    ))),
    m!("containsValue", [P::Any], P::Bool, |r, a, _| {
        let x = args::get(a, 0)?;
        Ok(Value::Bool(entries(r)?.values().any(|v| v == x)))
    }),
    mf!("get", [P::Any], t_value, |r, a, _| Ok(entries(r)?
        .get(args::get(a, 0)?)
        .cloned()
        .unwrap_or(Value::Null))),
    mf!("getOrDefault", [P::Any, P::Any], t_value, |r, a, _| {
        Ok(entries(r)?
            .get(args::get(a, 0)?)
            .cloned()
            .unwrap_or_else(|| a.get(1).cloned().unwrap_or(Value::Null)))
    }),
    m!("isEmpty", [], P::Bool, |r, _, _| Ok(Value::Bool(
        entries(r)?.is_empty()
    ))),
    m!("size", [], P::Int, |r, _, _| Ok(Value::Int(
        entries(r)?.len() as i32
    ))),
    mf!("values", [], t_values, |r, _, _| Ok(Value::list(
        entries(r)?.values().cloned().collect()
    ))),
    mf!("keySet", [], t_keys, |r, _, _| Ok(Value::list(
        entries(r)?.keys().cloned().collect()
    ))),
];
