//! `java.util.Collection`/`List` whitelist and the array extensions (spel.md §10, §12.4).

use super::args;
use super::{MethodDef, P};
use crate::types::Type;
use crate::value::Value;
use crate::{m, mf};

fn items(v: &Value) -> Result<&[Value], String> {
    match v {
        Value::List(l) => Ok(l.as_slice()),
        other => Err(format!("expected a collection, got {}", other.class_name())),
    }
}

fn t_elem(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(recv.element_type().unwrap_or(Type::Unknown))
}

pub static METHODS: &[MethodDef] = &[
    m!("contains", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        items(r)?.contains(args::get(a, 0)?)
    ))),
    m!("containsAll", [P::Collection], P::Bool, |r, a, env| {
        // Quadratic: each element searched for counts its search, so it stops at the deadline.
        let l = items(r)?;
        for x in args::list(a, 0)?.iter() {
            env.budget
                .tick((l.len() / 8).min(u32::MAX as usize) as u32)?;
            if !l.contains(x) {
                return Ok(Value::Bool(false));
            }
        }
        Ok(Value::Bool(true))
    }),
    mf!("get", [P::Int], t_elem, |r, a, _| {
        let l = items(r)?;
        let i = args::int(a, 0)?;
        Ok(usize::try_from(i)
            .ok()
            .and_then(|i| l.get(i))
            .cloned()
            .ok_or_else(|| format!("Index {i} out of bounds for length {}", l.len()))?)
    }),
    m!("indexOf", [P::Any], P::Int, |r, a, _| {
        let x = args::get(a, 0)?;
        Ok(Value::Int(
            items(r)?
                .iter()
                .position(|v| v == x)
                .map(|i| i as i32)
                .unwrap_or(-1),
        ))
    }),
    m!("lastIndexOf", [P::Any], P::Int, |r, a, _| {
        let x = args::get(a, 0)?;
        Ok(Value::Int(
            items(r)?
                .iter()
                .rposition(|v| v == x)
                .map(|i| i as i32)
                .unwrap_or(-1),
        ))
    }),
    m!("isEmpty", [], P::Bool, |r, _, _| Ok(Value::Bool(
        items(r)?.is_empty()
    ))),
    m!("size", [], P::Int, |r, _, _| Ok(Value::Int(
        items(r)?.len() as i32
    ))),
];
