//! JSON to values and back. Untyped decoding follows the corpus' default typing (integral ->
//! Integer or Long, fractional -> Double); typed decoding follows a declared `Type`.

use std::str::FromStr;
use std::sync::Arc;

use num_bigint::BigInt;
use serde_json::Value as Json;

use super::{Str, Value};
use crate::types::{Class, Type};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct JsonError {
    /// JSON pointer of the offending value.
    pub path: String,
    pub message: String,
}

/// Decodes JSON without a declared type.
pub fn from_json_untyped(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                match i32::try_from(i) {
                    Ok(v) => Value::Int(v),
                    Err(_) => Value::Long(i),
                }
            } else if let Some(u) = n.as_u64() {
                Value::big_int(BigInt::from(u))
            } else {
                Value::Double(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Json::String(s) => Value::Str(Str::from(s.as_str())),
        Json::Array(a) => Value::list(a.iter().map(from_json_untyped).collect()),
        Json::Object(o) => {
            let mut m = Value::map_with_capacity(o.len());
            for (k, v) in o {
                m.insert(Value::Str(Str::from(k.as_str())), from_json_untyped(v));
            }
            Value::map(m)
        }
    }
}

/// Decodes JSON as a value of the declared type (numbers take the declared class, strings
/// become dates, BigDecimals come from strings or numbers).
pub fn from_json_typed(j: &Json, t: &Type) -> Result<Value, JsonError> {
    decode(j, t, &mut String::new())
}

fn fail(path: &str, message: impl Into<String>) -> JsonError {
    JsonError {
        path: if path.is_empty() {
            "/".into()
        } else {
            path.to_string()
        },
        message: message.into(),
    }
}

fn decode(j: &Json, t: &Type, path: &mut String) -> Result<Value, JsonError> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    match t {
        Type::Unknown | Type::Null => Ok(from_json_untyped(j)),
        Type::Const(c) => decode(j, &c.0, path),
        Type::Union(members) => {
            for m in members.iter() {
                if let Ok(v) = decode(j, m, path) {
                    return Ok(v);
                }
            }
            Err(fail(path, format!("value does not match any of {t}")))
        }
        Type::Record(fields) => {
            let obj = j
                .as_object()
                .ok_or_else(|| fail(path, "expected an object"))?;
            let mut m = Value::map_with_capacity(obj.len());
            // Declared fields first, in declared order: compiled field accesses look there
            // before hashing. Undeclared keys follow in input order.
            let declared = fields.iter().filter_map(|(k, t)| {
                obj.get_key_value(k.as_str())
                    .map(|(k, v)| (k, v, t.clone()))
            });
            let extra = obj
                .iter()
                .filter(|(k, _)| !fields.contains_key(k.as_str()))
                .map(|(k, v)| (k, v, Type::Unknown));
            for (k, v, ft) in declared.chain(extra) {
                let len = path.len();
                crate::types::json_ref::push_segment(path, k);
                let val = decode(v, &ft, path)?;
                path.truncate(len);
                m.insert(Value::str(k), val);
            }
            Ok(Value::map(m))
        }
        Type::Class(c, params) => {
            let p0 = params.first().cloned().unwrap_or(Type::Unknown);
            match c {
                Class::List | Class::Set | Class::Array | Class::Collection => {
                    let arr = j
                        .as_array()
                        .ok_or_else(|| fail(path, "expected an array"))?;
                    let mut out = Vec::with_capacity(arr.len());
                    for (i, v) in arr.iter().enumerate() {
                        let len = path.len();
                        path.push('/');
                        path.push_str(&i.to_string());
                        out.push(decode(v, &p0, path)?);
                        path.truncate(len);
                    }
                    Ok(Value::list(out))
                }
                Class::Map => {
                    let obj = j
                        .as_object()
                        .ok_or_else(|| fail(path, "expected an object"))?;
                    let vt = params.get(1).cloned().unwrap_or(Type::Unknown);
                    let mut m = Value::map_with_capacity(obj.len());
                    for (k, v) in obj {
                        let len = path.len();
                        path.push('/');
                        path.push_str(k);
                        let val = decode(v, &vt, path)?;
                        path.truncate(len);
                        m.insert(Value::str(k), val);
                    }
                    Ok(Value::map(m))
                }
                _ => decode_scalar(j, *c).map_err(|m| fail(path, m)),
            }
        }
    }
}

fn decode_scalar(j: &Json, c: Class) -> Result<Value, String> {
    let num = |j: &Json| -> Result<Value, String> {
        match j {
            Json::Number(_) => Ok(from_json_untyped(j)),
            Json::String(s) => super::number::parse_number(s, false)
                .ok_or_else(|| format!("'{s}' is not a number")),
            _ => Err(format!("expected a number, got {j}")),
        }
    };
    match c {
        Class::String => match j {
            Json::String(s) => Ok(Value::str(s)),
            _ => Err(format!("expected a string, got {j}")),
        },
        Class::Boolean => j
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| format!("expected a boolean, got {j}")),
        Class::BigDecimal => {
            let text = match j {
                Json::Number(n) => n.to_string(),
                Json::String(s) => s.clone(),
                _ => return Err(format!("expected a decimal, got {j}")),
            };
            super::number::parse_big_decimal(&text)
                .map(|d| Value::BigDec(Arc::new(d)))
                .ok_or_else(|| {
                    format!(
                        "'{}' is not a decimal within {} digits and scale ±{}",
                        crate::value::truncate_for_message(&text),
                        super::number::MAX_DIGITS,
                        super::number::MAX_SCALE
                    )
                })
        }
        Class::BigInteger => {
            let text = match j {
                Json::Number(n) => n.to_string(),
                Json::String(s) => s.clone(),
                _ => return Err(format!("expected an integer, got {j}")),
            };
            super::number::parse_big_int(&text)
                .map(Value::big_int)
                .ok_or_else(|| {
                    format!(
                        "'{}' is not an integer within {} digits",
                        crate::value::truncate_for_message(&text),
                        super::number::MAX_DIGITS
                    )
                })
        }
        Class::Integer
        | Class::Long
        | Class::Short
        | Class::Byte
        | Class::Double
        | Class::Float => super::number::convert(&num(j)?, c),
        Class::Number => num(j),
        Class::Character => match j.as_str().map(|s| s.chars().collect::<Vec<_>>()) {
            Some(cs) if cs.len() == 1 => Ok(Value::Char(cs[0])),
            _ => Err(format!("expected a one-character string, got {j}")),
        },
        Class::Object => Ok(from_json_untyped(j)),
        other => match j {
            Json::String(s) => super::convert::convert_string(s, other)
                .ok_or_else(|| format!("'{s}' is not a valid {}", other.simple_name())),
            _ => Err(format!(
                "expected a {} string, got {j}",
                other.simple_name()
            )),
        },
    }
}

/// Encodes a value as JSON. Non-JSON values use their Java `toString` (dates in ISO-8601);
/// non-finite doubles become `null` (JSON has no NaN or Infinity), BigDecimals beyond a
/// double's range a string in scientific notation, and BigIntegers beyond it `null`.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Byte(x) => Json::from(*x),
        Value::Short(x) => Json::from(*x),
        Value::Int(x) => Json::from(*x),
        Value::Long(x) => Json::from(*x),
        // Through the float's own shortest digits, so 0.3f is 0.3 rather than 0.30000001192...
        Value::Float(x) => x
            .to_string()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Value::Double(x) => serde_json::Number::from_f64(*x)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Value::BigInt(x) => serde_json::Number::from_str(&x.to_string())
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Value::BigDec(x) => {
            // JSON numbers without the scale: 20000.000000000000000000 is written 20000.
            let n = x.normalized();
            let (digits, scale) = n.as_bigint_and_exponent();
            // Only when the integer can fit an i64 (19 digits): no 10^huge is ever computed.
            if scale <= 0 && (n.digits() as i64).saturating_sub(scale) <= 19 {
                let whole = digits * num_traits::pow(BigInt::from(10), (-scale) as usize);
                if let Some(i) = num_traits::ToPrimitive::to_i64(&whole) {
                    return Json::from(i);
                }
            }
            if (n.digits() as i64).saturating_sub(scale) > 309 {
                // Beyond a double's range: no JSON number here holds it (and its plain digits
                // could be huge).
                return Json::String(n.to_scientific_notation());
            }
            let s = n.to_plain_string();
            serde_json::Number::from_str(&s)
                .map(Json::Number)
                .unwrap_or(Json::String(s))
        }
        Value::Char(c) => Json::String(c.to_string()),
        Value::Str(s) => Json::String(s.to_string()),
        Value::List(l) => super::with_stack(|| Json::Array(l.iter().map(to_json).collect())),
        Value::Map(m) => super::with_stack(|| {
            let mut o = serde_json::Map::with_capacity(m.len());
            for (k, v) in m.iter() {
                let key = match k {
                    Value::Str(s) => s.to_string(),
                    other => other.to_java_string(),
                };
                o.insert(key, to_json(v));
            }
            Json::Object(o)
        }),
        Value::Obj(o) => Json::String(o.to_iso_string()),
        Value::Helper(_) => Json::String(v.to_java_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bigdecimal::BigDecimal;

    fn dec(digits: i64, scale: i64) -> Value {
        Value::BigDec(Arc::new(BigDecimal::new(BigInt::from(digits), scale)))
    }

    #[test]
    fn numbers_without_a_json_number() {
        assert_eq!(to_json(&Value::Double(f64::INFINITY)), Json::Null);
        assert_eq!(to_json(&Value::Double(f64::NAN)), Json::Null);
        assert_eq!(to_json(&Value::Float(f32::NEG_INFINITY)), Json::Null);
        assert_eq!(to_json(&dec(1, -308)), serde_json::json!(1e308));
        assert_eq!(to_json(&dec(1, -309)), Json::String("1e309".into()));
        // Neither 10^1000000000 nor its plain digits are computed.
        assert_eq!(
            to_json(&dec(15, -1_000_000_000)),
            Json::String("1.5e1000000001".into())
        );
        assert_eq!(to_json(&dec(20000, 0)), serde_json::json!(20000));
        assert_eq!(
            to_json(&dec(12, -17)),
            serde_json::json!(1_200_000_000_000_000_000_i64)
        );
    }
}
