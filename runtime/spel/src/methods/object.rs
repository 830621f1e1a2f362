//! Members every value has (`toString`), `Boolean` and `Character` members, and the statics
//! reachable through `T(...)`.

use super::args;
use super::{MethodDef, P};
use crate::types::Class;
use crate::value::{number, Value};
use crate::{m, mf};

pub static OBJECT_METHODS: &[MethodDef] = &[m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
    r.to_java_string()
)))];

pub static BOOLEAN_METHODS: &[MethodDef] = &[
    m!("booleanValue", [], P::Bool, |r, _, _| Ok(r.clone())),
    m!(
        "compareTo",
        [P::Bool],
        P::Int,
        |r, a, _| match (r, args::get(a, 0)?) {
            (Value::Bool(x), Value::Bool(y)) => Ok(Value::Int(*x as i32 - *y as i32)),
            _ => Err("expected booleans".into()),
        }
    ),
];

pub static CHARACTER_METHODS: &[MethodDef] = &[m!(
    "charValue",
    [],
    P::Class(Class::Character),
    |r, _, _| Ok(r.clone())
)];

fn parse_int(a: &[Value]) -> Result<i64, String> {
    let s = args::str(a, 0)?;
    s.parse::<i64>()
        .map_err(|_| format!("For input string: \"{s}\""))
}

fn t_string(
    _: &crate::types::Type,
    _: &[crate::types::Type],
) -> Result<crate::types::Type, super::MethodError> {
    Ok(crate::types::Type::string())
}

/// `T(class).member` statics.
pub static STATIC_METHODS: &[(Class, MethodDef)] = &[
    (
        Class::Long,
        m!("valueOf", [P::Str], P::Long, |_, a, _| Ok(
            parse_int(a).map(Value::Long)?
        )),
    ),
    (
        Class::Long,
        m!("valueOf", [P::Long], P::Long, |_, a, _| Ok(args::long(
            a, 0
        )
        .map(Value::Long)?)),
    ),
    (
        Class::Long,
        m!("parseLong", [P::Str], P::Long, |_, a, _| Ok(parse_int(a)
            .map(
            Value::Long
        )?)),
    ),
    (
        Class::Long,
        m!("min", [P::Long, P::Long], P::Long, |_, a, _| Ok(
            Value::Long(args::long(a, 0)?.min(args::long(a, 1)?))
        )),
    ),
    (
        Class::Long,
        m!("max", [P::Long, P::Long], P::Long, |_, a, _| Ok(
            Value::Long(args::long(a, 0)?.max(args::long(a, 1)?))
        )),
    ),
    (
        Class::Integer,
        m!("valueOf", [P::Str], P::Int, |_, a, _| Ok(parse_int(a)
            .and_then(|v| i32::try_from(v).map_err(|_| "overflow".into()))
            .map(Value::Int)?)),
    ),
    (
        Class::Integer,
        m!("valueOf", [P::Int], P::Int, |_, a, _| Ok(args::int(a, 0)
            .map(
            Value::Int
        )?)),
    ),
    (
        Class::Integer,
        m!("parseInt", [P::Str], P::Int, |_, a, _| Ok(parse_int(a)
            .and_then(|v| i32::try_from(v).map_err(|_| "overflow".into()))
            .map(Value::Int)?)),
    ),
    (
        Class::Integer,
        m!("min", [P::Int, P::Int], P::Int, |_, a, _| Ok(Value::Int(
            args::int(a, 0)?.min(args::int(a, 1)?)
        ))),
    ),
    (
        Class::Integer,
        m!("max", [P::Int, P::Int], P::Int, |_, a, _| Ok(Value::Int(
            args::int(a, 0)?.max(args::int(a, 1)?)
        ))),
    ),
    (
        Class::Integer,
        m!("MAX_VALUE", [], P::Int, |_, _, _| Ok(Value::Int(i32::MAX))),
    ),
    (
        Class::Integer,
        m!("MIN_VALUE", [], P::Int, |_, _, _| Ok(Value::Int(i32::MIN))),
    ),
    (
        Class::Long,
        m!("MAX_VALUE", [], P::Long, |_, _, _| Ok(Value::Long(
            i64::MAX
        ))),
    ),
    (
        Class::Long,
        m!("MIN_VALUE", [], P::Long, |_, _, _| Ok(Value::Long(
            i64::MIN
        ))),
    ),
    (
        Class::Double,
        m!("valueOf", [P::Str], P::Double, |_, a, _| {
            let s = args::str(a, 0)?;
            Ok(s.trim()
                .parse::<f64>()
                .map(Value::Double)
                .map_err(|_| format!("For input string: \"{s}\""))?)
        }),
    ),
    (
        Class::Double,
        m!("parseDouble", [P::Str], P::Double, |_, a, _| {
            let s = args::str(a, 0)?;
            Ok(s.trim()
                .parse::<f64>()
                .map(Value::Double)
                .map_err(|_| format!("For input string: \"{s}\""))?)
        }),
    ),
    (
        Class::Boolean,
        m!("valueOf", [P::Str], P::Bool, |_, a, _| Ok(Value::Bool(
            args::str(a, 0)?.eq_ignore_ascii_case("true")
        ))),
    ),
    (
        Class::Boolean,
        m!("parseBoolean", [P::Str], P::Bool, |_, a, _| Ok(
            Value::Bool(args::str(a, 0)?.eq_ignore_ascii_case("true"))
        )),
    ),
    (
        Class::BigDecimal,
        m!(
            "valueOf",
            [P::Double],
            P::Class(Class::BigDecimal),
            |_, a, _| {
                let v = args::get(a, 0)?;
                number::to_bigdec(&Value::Double(number::to_f64(v).ok_or("not a number")?))
                    .map(Value::big_dec)
                    .ok_or_else(|| "not a finite number".into())
            }
        ),
    ),
    (
        Class::String,
        MethodDef {
            name: "join",
            params: &[P::Str],
            varargs: Some(P::Any),
            ret: super::Ret::Fn(t_string),
            call: super::string::join,
            applies: None,
            prepare: None,
        },
    ),
    (
        Class::String,
        mf!("valueOf", [P::Any], t_string, |_, a, _| Ok(Value::from(
            args::get(a, 0)?.to_java_string()
        ))),
    ),
    (
        Class::Uuid,
        m!("randomUUID", [], P::Class(Class::Uuid), |_, _, _| Ok(
            Value::obj(crate::value::Obj::Uuid(uuid::Uuid::new_v4()))
        )),
    ),
    (
        Class::Uuid,
        m!("fromString", [P::Str], P::Class(Class::Uuid), |_, a, _| {
            Ok(uuid::Uuid::parse_str(args::str(a, 0)?)
                .map(|u| Value::obj(crate::value::Obj::Uuid(u)))
                .map_err(|e| e.to_string())?)
        }),
    ),
];
