//! Conversions: the extension methods `canBe`/`to`/`toOrNull` and their `toX` shortcuts
//! (spel.md §12), and the runtime conversion used for arguments and expected types.

use super::args;
use super::{MethodDef, Ret, P};
use crate::eval::EvalEnv;
use crate::types::{Class, Type};
use crate::value::{number, Value};

/// Classes in the conversion registry of `to(...)`.
const CONVERTIBLE: &[Class] = &[
    Class::Long,
    Class::Double,
    Class::BigDecimal,
    Class::Boolean,
    Class::String,
    Class::Map,
    Class::List,
    Class::Byte,
    Class::Short,
    Class::Integer,
    Class::Float,
    Class::BigInteger,
    Class::ZoneOffset,
    Class::ZoneId,
    Class::Locale,
    Class::Charset,
    Class::Currency,
    Class::Uuid,
    Class::LocalTime,
    Class::LocalDate,
    Class::LocalDateTime,
    Class::ChronoLocalDate,
    Class::ChronoLocalDateTime,
];

// String-to-value conversion is value-level (JSON decoding and the typer use it too).
pub use crate::value::convert::{convert_string, string_literal_converts_to};

fn string_to_number(s: &str, target: Class) -> Option<Value> {
    if target == Class::BigDecimal {
        return number::parse_big_decimal(s.trim())
            .filter(|_| !s.trim().is_empty() && s.trim() == s)
            .map(|d| Value::big_dec(number::ensure_scale(d)));
    }
    let parsed = number::parse_number(s, true)?;
    number::convert(&parsed, target).ok()
}

/// The runtime conversion of §12.3: cast when the value already is an instance, else convert.
pub fn convert_value(v: &Value, target: Class) -> Result<Value, String> {
    try_convert(v, target).ok_or_else(|| {
        format!(
            "Cannot cast or convert value: {} to: '{}'",
            v.to_java_string(),
            target.qualified_name()
        )
    })
}

fn try_convert(v: &Value, target: Class) -> Option<Value> {
    if v.is_null() {
        return Some(Value::Null);
    }
    if target == Class::Object {
        return Some(v.clone());
    }
    match target {
        Class::BigDecimal => {
            return match v {
                Value::Str(s) => string_to_number(s, target),
                n if n.is_number() => {
                    number::to_bigdec(n).map(|d| Value::big_dec(number::ensure_scale(d)))
                }
                _ => None,
            }
        }
        t if t.is_number() => {
            return match v {
                Value::Str(s) => string_to_number(s, t),
                n if n.is_number() => number::convert(n, t).ok(),
                _ => None,
            }
        }
        Class::Boolean => {
            return match v {
                Value::Bool(_) => Some(v.clone()),
                Value::Str(s) if s.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
                Value::Str(s) if s.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
                _ => None,
            }
        }
        Class::String => {
            return match v {
                Value::Str(_) => Some(v.clone()),
                other => Some(Value::from(other.to_java_string())),
            }
        }
        Class::List | Class::Collection | Class::Array | Class::Set => {
            return match v {
                Value::List(_) => Some(v.clone()),
                Value::Map(m) => Some(Value::list(
                    m.iter()
                        .map(|(k, v)| {
                            let mut e = Value::map_with_capacity(2);
                            e.insert(Value::str("key"), k.clone());
                            e.insert(Value::str("value"), v.clone());
                            Value::map(e)
                        })
                        .collect(),
                )),
                _ => None,
            }
        }
        Class::Map => {
            return match v {
                Value::Map(_) => Some(v.clone()),
                Value::List(l) => {
                    let key = Value::str("key");
                    let value = Value::str("value");
                    let mut out = Value::map_with_capacity(l.len());
                    for item in l.iter() {
                        match item {
                            Value::Map(m) if m.contains_key(&key) && m.contains_key(&value) => {
                                out.insert(m.get(&key)?.clone(), m.get(&value)?.clone());
                            }
                            _ => return None,
                        }
                    }
                    Some(Value::map(out))
                }
                _ => None,
            }
        }
        _ => {}
    }
    if v.class().is_subclass_of(target) {
        return Some(v.clone());
    }
    match v {
        Value::Str(s) => convert_string(s, target),
        _ => None,
    }
}

pub fn can_convert(v: &Value, target: Class) -> bool {
    !v.is_null() && try_convert(v, target).is_some()
}

/// Resolves the class name of `to('X')`: conversions first, then casts to subclasses of the
/// receiver's static class.
fn target_class(recv: &Type, name: &str) -> Option<Class> {
    let c = Class::by_name_ignore_case(name)?;
    if CONVERTIBLE.contains(&c) {
        return Some(c);
    }
    match recv.base_class() {
        None => Some(c),
        Some(rc) if c.is_subclass_of(rc) => Some(c),
        _ => None,
    }
}

fn result_type_for(c: Class) -> Type {
    match c {
        Class::Map => Type::map(Type::Unknown, Type::Unknown),
        Class::List => Type::list(Type::Unknown),
        c => Type::class(c),
    }
}

fn class_arg(recv: &Type, args: &[Type]) -> Result<Class, String> {
    let name = args.first().and_then(|t| t.known_str()).ok_or_else(|| {
        format!(
            "Mismatch parameter types. Found: to({}). Required: to(String)",
            args.first().map(|t| t.to_string()).unwrap_or_default()
        )
    })?;
    target_class(recv, name).ok_or_else(|| format!("Cannot cast or convert to: '{name}'"))
}

fn t_to(recv: &Type, args: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(class_arg(recv, args).map(result_type_for)?)
}
fn t_can_be(recv: &Type, args: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(class_arg(recv, args).map(|_| Type::boolean())?)
}

fn runtime_class(a: &[Value]) -> Result<Class, String> {
    let name = args::str(a, 0)?;
    Class::by_name_ignore_case(name).ok_or_else(|| format!("Cannot cast or convert to: '{name}'"))
}

fn call_to(r: &Value, a: &[Value], _: &EvalEnv) -> Result<Value, crate::methods::MethodError> {
    Ok(convert_value(r, runtime_class(a)?)?)
}
fn call_to_or_null(
    r: &Value,
    a: &[Value],
    _: &EvalEnv,
) -> Result<Value, crate::methods::MethodError> {
    Ok(try_convert(r, runtime_class(a)?).unwrap_or(Value::Null))
}
fn call_can_be(r: &Value, a: &[Value], _: &EvalEnv) -> Result<Value, crate::methods::MethodError> {
    Ok(Value::Bool(can_convert(r, runtime_class(a)?)))
}

/// Where `canBe`/`to`/`toOrNull` exist: Unknown, String, numbers, collections, maps, arrays.
fn applies_generic(t: &Type) -> bool {
    match t.base_class() {
        None => !t.is_null(),
        Some(c) => {
            c == Class::String
                || c.is_number()
                || c == Class::Map
                || c == Class::Array
                || c.is_subclass_of(Class::Collection)
        }
    }
}

fn applies_numeric(t: &Type, x: Class) -> bool {
    match t.base_class() {
        None => t.is_unknown(),
        Some(c) => c != x && (c.is_number() || c == Class::String),
    }
}
fn applies_boolean(t: &Type) -> bool {
    t.is_unknown() || t.is_string()
}
fn applies_list(t: &Type) -> bool {
    match t.base_class() {
        None => t.is_unknown(),
        Some(c) => {
            c != Class::List
                && (c == Class::Map || c == Class::Array || c.is_subclass_of(Class::Collection))
        }
    }
}
fn applies_map(t: &Type) -> bool {
    match t.base_class() {
        None => t.is_unknown(),
        Some(c) => c == Class::Array || c.is_subclass_of(Class::Collection),
    }
}

fn t_to_list(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    if let Some(e) = recv.element_type() {
        return Ok(Type::list(e));
    }
    if let Some(entry) = recv.map_entry_type() {
        return Ok(Type::list(entry));
    }
    Ok(Type::list(Type::Unknown))
}

fn t_to_map(recv: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    match recv.element_type() {
        Some(Type::Record(fields)) => match (fields.get("key"), fields.get("value")) {
            (Some(k), Some(v)) => Ok(Type::map(k.without_value(), v.without_value())),
            _ => Err("List element must contain 'key' and 'value' fields".into()),
        },
        _ => Ok(Type::map(Type::Unknown, Type::Unknown)),
    }
}

macro_rules! shortcut {
    ($name:literal, $target:expr, $applies:expr, $ret:expr, or_null) => {
        MethodDef {
            name: $name,
            params: &[],
            varargs: None,
            ret: $ret,
            call: |r, _, _| Ok(try_convert(r, $target).unwrap_or(Value::Null)),
            applies: Some($applies),
            prepare: None,
        }
    };
    ($name:literal, $target:expr, $applies:expr, $ret:expr, to) => {
        MethodDef {
            name: $name,
            params: &[],
            varargs: None,
            ret: $ret,
            call: |r, _, _| Ok(convert_value(r, $target)?),
            applies: Some($applies),
            prepare: None,
        }
    };
    ($name:literal, $target:expr, $applies:expr, can_be) => {
        MethodDef {
            name: $name,
            params: &[],
            varargs: None,
            ret: Ret::T(P::Bool),
            call: |r, _, _| Ok(Value::Bool(can_convert(r, $target))),
            applies: Some($applies),
            prepare: None,
        }
    };
}

macro_rules! numeric_shortcuts {
    ($x:ident, $can:literal, $to:literal, $or:literal) => {
        [
            shortcut!($can, Class::$x, |t| applies_numeric(t, Class::$x), can_be),
            shortcut!(
                $to,
                Class::$x,
                |t| applies_numeric(t, Class::$x),
                Ret::T(P::Class(Class::$x)),
                to
            ),
            shortcut!(
                $or,
                Class::$x,
                |t| applies_numeric(t, Class::$x),
                Ret::T(P::Class(Class::$x)),
                or_null
            ),
        ]
    };
}

const LONG: [MethodDef; 3] = numeric_shortcuts!(Long, "canBeLong", "toLong", "toLongOrNull");
const INTEGER: [MethodDef; 3] =
    numeric_shortcuts!(Integer, "canBeInteger", "toInteger", "toIntegerOrNull");
const DOUBLE: [MethodDef; 3] =
    numeric_shortcuts!(Double, "canBeDouble", "toDouble", "toDoubleOrNull");
const BIG_DECIMAL: [MethodDef; 3] = numeric_shortcuts!(
    BigDecimal,
    "canBeBigDecimal",
    "toBigDecimal",
    "toBigDecimalOrNull"
);

pub static EXT_METHODS: &[MethodDef] = &[
    MethodDef {
        name: "canBe",
        params: &[P::Str],
        varargs: None,
        ret: Ret::Fn(t_can_be),
        call: call_can_be,
        applies: Some(applies_generic),
        prepare: None,
    },
    MethodDef {
        name: "to",
        params: &[P::Str],
        varargs: None,
        ret: Ret::Fn(t_to),
        call: call_to,
        applies: Some(applies_generic),
        prepare: None,
    },
    MethodDef {
        name: "toOrNull",
        params: &[P::Str],
        varargs: None,
        ret: Ret::Fn(t_to),
        call: call_to_or_null,
        applies: Some(applies_generic),
        prepare: None,
    },
    LONG[0],
    LONG[1],
    LONG[2],
    INTEGER[0],
    INTEGER[1],
    INTEGER[2],
    DOUBLE[0],
    DOUBLE[1],
    DOUBLE[2],
    BIG_DECIMAL[0],
    BIG_DECIMAL[1],
    BIG_DECIMAL[2],
    shortcut!("canBeBoolean", Class::Boolean, applies_boolean, can_be),
    shortcut!(
        "toBoolean",
        Class::Boolean,
        applies_boolean,
        Ret::T(P::Bool),
        to
    ),
    shortcut!(
        "toBooleanOrNull",
        Class::Boolean,
        applies_boolean,
        Ret::T(P::Bool),
        or_null
    ),
    shortcut!("canBeList", Class::List, applies_list, can_be),
    shortcut!("toList", Class::List, applies_list, Ret::Fn(t_to_list), to),
    shortcut!(
        "toListOrNull",
        Class::List,
        applies_list,
        Ret::Fn(t_to_list),
        or_null
    ),
    shortcut!("canBeMap", Class::Map, applies_map, can_be),
    shortcut!("toMap", Class::Map, applies_map, Ret::Fn(t_to_map), to),
    shortcut!(
        "toMapOrNull",
        Class::Map,
        applies_map,
        Ret::Fn(t_to_map),
        or_null
    ),
];
