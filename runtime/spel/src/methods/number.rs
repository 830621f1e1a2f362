//! Members of `Number` subclasses (all public members are whitelisted; these are the useful
//! ones).

use super::args;
use super::{MethodDef, P};
use crate::types::{Class, Type};
use crate::value::{number, Value};
use crate::{m, mf};

fn num(v: &Value) -> Result<&Value, String> {
    if v.is_number() {
        Ok(v)
    } else {
        Err(format!("expected a number, got {}", v.class_name()))
    }
}

fn t_self(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(recv.without_value())
}

pub static NUMBER_METHODS: &[MethodDef] = &[
    m!("intValue", [], P::Int, |r, _, _| number::to_i64(num(r)?)
        .map(|x| Value::Int(x as i32))
        .ok_or_else(|| "not a number".into())),
    m!("longValue", [], P::Long, |r, _, _| number::to_i64(num(r)?)
        .map(Value::Long)
        .ok_or_else(|| "not a number".into())),
    m!("doubleValue", [], P::Double, |r, _, _| number::to_f64(num(
        r
    )?)
    .map(Value::Double)
    .ok_or_else(|| "not a number".into())),
    m!("floatValue", [], P::Class(Class::Float), |r, _, _| {
        number::to_f64(num(r)?)
            .map(|x| Value::Float(x as f32))
            .ok_or_else(|| "not a number".into())
    }),
    m!("shortValue", [], P::Class(Class::Short), |r, _, _| {
        number::to_i64(num(r)?)
            .map(|x| Value::Short(x as i16))
            .ok_or_else(|| "not a number".into())
    }),
    m!("byteValue", [], P::Class(Class::Byte), |r, _, _| {
        number::to_i64(num(r)?)
            .map(|x| Value::Byte(x as i8))
            .ok_or_else(|| "not a number".into())
    }),
    m!("compareTo", [P::Number], P::Int, |r, a, _| {
        let o = number::compare(num(r)?, args::get(a, 0)?).ok_or("cannot compare")?;
        Ok(Value::Int(o as i32))
    }),
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        r.to_java_string()
    ))),
];

pub static INTEGRAL_METHODS: &[MethodDef] = &[];

pub static FLOATING_METHODS: &[MethodDef] = &[
    m!("isNaN", [], P::Bool, |r, _, _| Ok(Value::Bool(
        number::to_f64(num(r)?).is_some_and(f64::is_nan)
    ))),
    m!("isInfinite", [], P::Bool, |r, _, _| Ok(Value::Bool(
        number::to_f64(num(r)?).is_some_and(f64::is_infinite)
    ))),
];

pub static BIG_DECIMAL_METHODS: &[MethodDef] = &[
    m!("scale", [], P::Int, |r, _, _| match r {
        Value::BigDec(d) => Ok(Value::Int(d.as_bigint_and_exponent().1 as i32)),
        _ => Err("expected a BigDecimal".into()),
    }),
    m!("toPlainString", [], P::Str, |r, _, _| match r {
        Value::BigDec(d) => Ok(Value::from(d.to_plain_string())),
        _ => Err("expected a BigDecimal".into()),
    }),
    mf!("stripTrailingZeros", [], t_self, |r, _, _| match r {
        Value::BigDec(d) => Ok(Value::big_dec(d.normalized())),
        _ => Err("expected a BigDecimal".into()),
    }),
    mf!("setScale", [P::Int], t_self, |r, a, _| match r {
        Value::BigDec(d) => {
            let s = args::int(a, 0)? as i64;
            if s.abs() > number::MAX_SCALE {
                return Err(
                    format!("Scale {s} is beyond the limit of ±{}", number::MAX_SCALE).into(),
                );
            }
            if s < d.fractional_digit_count()
                && d.with_scale(s).with_scale(d.fractional_digit_count()) != **d
            {
                return Err("Rounding necessary".into());
            }
            Ok(Value::big_dec(d.with_scale(s)))
        }
        _ => Err("expected a BigDecimal".into()),
    }),
    mf!("abs", [], t_self, |r, _, _| match r {
        Value::BigDec(d) => Ok(Value::big_dec(d.abs())),
        _ => Err("expected a BigDecimal".into()),
    }),
    mf!("negate", [], t_self, |r, _, _| Ok(number::negate(r)?)),
    m!(
        "signum",
        [],
        P::Int,
        |r, _, _| match number::compare(r, &Value::Int(0)) {
            Some(o) => Ok(Value::Int(o as i32)),
            None => Err("expected a number".into()),
        }
    ),
];
