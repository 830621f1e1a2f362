//! Runtime values: what expressions read and produce.
//!
//! One `Value` enum, cheap to clone: strings are small-string-optimised (`SmolStr`), containers
//! and objects are shared through `Arc`, so values cross actix workers and streaming tasks.
//! `PartialEq`/`Hash` follow Java's `equals`/`hashCode` (an `Integer 1` is not a `Long 1`), which
//! is what map keys, `List.contains` and collection equality need. The SpEL `==` operator, which
//! promotes numbers, lives in `eval`.

mod container;
pub mod convert;
mod json;
pub mod number;
mod obj;
mod text;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

pub use bigdecimal::BigDecimal;
pub use num_bigint::BigInt;

pub use container::{List, Map, SLOT_BYTES};
pub use json::{from_json_typed, from_json_untyped, to_json, JsonError};
pub use obj::{Obj, Period, ZoneId, ZonedDateTime};
pub use text::{
    java_bigdecimal_to_string, java_compare_str, java_compare_to, java_double_to_string,
    java_float_to_string, utf16_len,
};

/// An immutable, cheaply cloned string.
pub type Str = smol_str::SmolStr;

/// Builds a `Str`; short strings are copied inline without a `memcpy` call (a measurable share
/// of `substring` and friends).
#[inline]
pub fn new_str(s: &str) -> Str {
    if s.len() <= 23 {
        Str::new_inline(s)
    } else {
        Str::new(s)
    }
}
/// Stack left when a recursive walk (parser, typer, evaluator, a walk over a value) grows a new
/// segment, and the size of that segment. Here at the bottom because values are walked too.
pub(crate) const STACK_RED_ZONE: usize = 64 * 1024;
pub(crate) const STACK_GROWTH: usize = 1024 * 1024;

/// Runs `f` with enough stack left for one more level of a recursive walk over a value (a new
/// stack segment when the thread is short of it): values are bounded in depth, but a walk may
/// start deep inside an evaluation.
#[inline]
pub fn with_stack<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, f)
}

/// At most 200 characters of `s`, for echoing input in an error message.
pub fn truncate_for_message(s: &str) -> String {
    const MAX: usize = 200;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The hasher of value maps: random keys drawn once per process (input keys come from the
/// network, so they must not be predictable), copied into each map rather than drawn anew (a
/// quarter of the cost of a small map).
#[inline]
fn hasher() -> ahash::RandomState {
    static STATE: std::sync::OnceLock<ahash::RandomState> = std::sync::OnceLock::new();
    STATE.get_or_init(ahash::RandomState::new).clone()
}

/// Insertion-ordered map with a randomised hasher (input keys come from the network).
pub type ValueMap = indexmap::IndexMap<Value, Value, ahash::RandomState>;

/// A runtime value. Java arrays and sets are represented as lists: JSON cannot tell them apart
/// and the typer keeps the distinction where it matters.
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Byte(i8),
    Short(i16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    BigInt(Arc<BigInt>),
    BigDec(Arc<BigDecimal>),
    Char(char),
    Str(Str),
    List(Arc<List>),
    Map(Arc<Map>),
    /// java.time values, locales, UUIDs and other whitelisted objects.
    Obj(Arc<Obj>),
    /// A global helper object such as `#DATE`.
    Helper(crate::types::Helper),
}

impl Value {
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::Str(new_str(s.as_ref()))
    }
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Arc::new(List::new(v)))
    }
    pub fn map(m: ValueMap) -> Value {
        Value::Map(Arc::new(Map::new(m)))
    }
    pub fn obj(o: Obj) -> Value {
        Value::Obj(Arc::new(o))
    }
    pub fn big_dec(d: BigDecimal) -> Value {
        Value::BigDec(Arc::new(d))
    }
    pub fn big_int(i: BigInt) -> Value {
        Value::BigInt(Arc::new(i))
    }
    pub fn new_map() -> ValueMap {
        ValueMap::with_hasher(hasher())
    }
    pub fn map_with_capacity(n: usize) -> ValueMap {
        ValueMap::with_capacity_and_hasher(n, hasher())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Byte(_)
                | Value::Short(_)
                | Value::Int(_)
                | Value::Long(_)
                | Value::Float(_)
                | Value::Double(_)
                | Value::BigInt(_)
                | Value::BigDec(_)
        )
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The Java simple class name of the value, as error messages and `expect_type` use it.
    pub fn class_name(&self) -> &'static str {
        match self {
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Byte(_) => "Byte",
            Value::Short(_) => "Short",
            Value::Int(_) => "Integer",
            Value::Long(_) => "Long",
            Value::Float(_) => "Float",
            Value::Double(_) => "Double",
            Value::BigInt(_) => "BigInteger",
            Value::BigDec(_) => "BigDecimal",
            Value::Char(_) => "Character",
            Value::Str(_) => "String",
            Value::List(_) => "List",
            Value::Map(_) => "Map",
            Value::Obj(o) => o.class_name(),
            Value::Helper(h) => h.class_name(),
        }
    }

    /// The runtime class, used for dynamic dispatch when the static type is a union or Unknown.
    pub fn class(&self) -> crate::types::Class {
        use crate::types::Class;
        match self {
            Value::Null => Class::Object,
            Value::Bool(_) => Class::Boolean,
            Value::Byte(_) => Class::Byte,
            Value::Short(_) => Class::Short,
            Value::Int(_) => Class::Integer,
            Value::Long(_) => Class::Long,
            Value::Float(_) => Class::Float,
            Value::Double(_) => Class::Double,
            Value::BigInt(_) => Class::BigInteger,
            Value::BigDec(_) => Class::BigDecimal,
            Value::Char(_) => Class::Character,
            Value::Str(_) => Class::String,
            Value::List(_) => Class::List,
            Value::Map(_) => Class::Map,
            Value::Obj(o) => o.class(),
            Value::Helper(h) => Class::Helper(*h),
        }
    }

    /// Java `toString()`: what string concatenation and `toString` render.
    pub fn to_java_string(&self) -> String {
        let mut s = String::new();
        self.write_java(&mut s);
        s
    }

    pub fn write_java(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Byte(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Short(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Long(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Float(v) => out.push_str(&java_float_to_string(*v)),
            Value::Double(v) => out.push_str(&java_double_to_string(*v)),
            Value::BigInt(v) => {
                let _ = write!(out, "{v}");
            }
            Value::BigDec(v) => out.push_str(&java_bigdecimal_to_string(v)),
            Value::Char(c) => out.push(*c),
            Value::Str(s) => out.push_str(s),
            Value::List(l) => with_stack(|| {
                out.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_java(out);
                }
                out.push(']');
            }),
            Value::Map(m) => with_stack(|| {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_java(out);
                    out.push('=');
                    v.write_java(out);
                }
                out.push('}');
            }),
            Value::Obj(o) => out.push_str(&o.to_java_string()),
            Value::Helper(h) => out.push_str(h.class_name()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(Str::from(s))
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Long(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// Java `equals`: same class and equal content. BigDecimal equality is scale-sensitive,
/// doubles compare by bits (so NaN equals NaN), maps ignore order.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Byte(a), Byte(b)) => a == b,
            (Short(a), Short(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Long(a), Long(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Double(a), Double(b)) => a.to_bits() == b.to_bits(),
            (BigInt(a), BigInt(b)) => a == b,
            (BigDec(a), BigDec(b)) => a.as_bigint_and_exponent() == b.as_bigint_and_exponent(),
            (Char(a), Char(b)) => a == b,
            (Str(a), Str(b)) => a == b,
            (List(a), List(b)) => Arc::ptr_eq(a, b) || with_stack(|| a == b),
            (Map(a), Map(b)) => {
                Arc::ptr_eq(a, b)
                    || (a.len() == b.len()
                        && with_stack(|| a.iter().all(|(k, v)| b.get(k) == Some(v))))
            }
            (Obj(a), Obj(b)) => a == b,
            (Helper(a), Helper(b)) => a == b,
            _ => false,
        }
    }
}
impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        use Value::*;
        std::mem::discriminant(self).hash(state);
        match self {
            Null => {}
            Bool(b) => b.hash(state),
            Byte(v) => v.hash(state),
            Short(v) => v.hash(state),
            Int(v) => v.hash(state),
            Long(v) => v.hash(state),
            Float(v) => v.to_bits().hash(state),
            Double(v) => v.to_bits().hash(state),
            BigInt(v) => v.hash(state),
            BigDec(v) => v.as_bigint_and_exponent().hash(state),
            Char(c) => c.hash(state),
            Str(s) => s.as_str().hash(state),
            List(l) => with_stack(|| {
                l.len().hash(state);
                for v in l.iter() {
                    v.hash(state);
                }
            }),
            Map(m) => with_stack(|| {
                // Order-independent: sum of per-entry hashes with a fixed hasher.
                let mut sum: u64 = 0;
                for (k, v) in m.iter() {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    k.hash(&mut h);
                    v.hash(&mut h);
                    sum = sum.wrapping_add(h.finish());
                }
                m.len().hash(state);
                sum.hash(state);
            }),
            Obj(o) => o.to_java_string().hash(state),
            Helper(h) => h.hash(state),
        }
    }
}
