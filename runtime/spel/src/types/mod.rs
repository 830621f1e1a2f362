//! Static types of the typer: the lattice of `spel.md` §1.2 and the rules of §15
//! (assignability, comparability, common supertype), plus the display syntax
//! (`Record{a: Integer}`, `List[String]`, `Integer(4)`, `A | B`) and its parser.

mod class;
mod helper;
pub mod json_ref;
mod parse;
mod relations;
mod schema;

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;

pub use class::Class;
pub use helper::Helper;
pub use parse::{parse_type, TypeParseError};
pub use relations::{common_supertype, comparable, NumberPromotion};
pub use schema::type_of_schema;

use crate::value::{Str, Value};

/// Field types of a record, in declaration order (display sorts them).
pub type Fields = IndexMap<Str, Type, ahash::RandomState>;

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// Top type: anything is assignable to and from it.
    Unknown,
    /// The type of the `null` literal.
    Null,
    /// A class with type parameters (`List[Integer]`, `Map[String,Long]`).
    Class(Class, Arc<[Type]>),
    /// A map with a known set of string keys.
    Record(Arc<Fields>),
    /// `A | B`: two or more members, no nested unions, no `Null`.
    Union(Arc<[Type]>),
    /// A class type that carries a compile-time known scalar value (`Integer(4)`).
    Const(Arc<(Type, Value)>),
}

impl Type {
    /// Levels of nesting (a plain class is 1): records and type parameters add one each.
    /// Recursive, on a stack that grows on demand.
    pub fn depth(&self) -> usize {
        crate::value::with_stack(|| match self {
            Type::Unknown | Type::Null => 1,
            Type::Class(_, params) | Type::Union(params) => {
                1 + params.iter().map(Type::depth).max().unwrap_or(0)
            }
            Type::Record(fields) => 1 + fields.values().map(Type::depth).max().unwrap_or(0),
            Type::Const(c) => c.0.depth(),
        })
    }

    pub fn class(c: Class) -> Type {
        Type::Class(c, Arc::from([]))
    }
    pub fn generic(c: Class, params: Vec<Type>) -> Type {
        Type::Class(c, Arc::from(params))
    }
    pub fn list(elem: Type) -> Type {
        Type::generic(Class::List, vec![elem])
    }
    pub fn set(elem: Type) -> Type {
        Type::generic(Class::Set, vec![elem])
    }
    pub fn array(elem: Type) -> Type {
        Type::generic(Class::Array, vec![elem])
    }
    pub fn map(k: Type, v: Type) -> Type {
        Type::generic(Class::Map, vec![k, v])
    }
    pub fn record(fields: Fields) -> Type {
        Type::Record(Arc::new(fields))
    }
    pub fn empty_fields() -> Fields {
        Fields::with_hasher(ahash::RandomState::new())
    }
    pub fn string() -> Type {
        Type::class(Class::String)
    }
    pub fn boolean() -> Type {
        Type::class(Class::Boolean)
    }
    pub fn integer() -> Type {
        Type::class(Class::Integer)
    }
    pub fn long() -> Type {
        Type::class(Class::Long)
    }
    pub fn double() -> Type {
        Type::class(Class::Double)
    }
    pub fn number() -> Type {
        Type::class(Class::Number)
    }

    /// A type carrying a known value: the class of the value, plus the value for scalars.
    pub fn of_value(v: &Value) -> Type {
        let base = Type::of_value_without_value(v);
        match v {
            Value::Null => Type::Null,
            Value::Bool(_)
            | Value::Byte(_)
            | Value::Short(_)
            | Value::Int(_)
            | Value::Long(_)
            | Value::Float(_)
            | Value::Double(_)
            | Value::BigInt(_)
            | Value::BigDec(_)
            | Value::Str(_) => Type::Const(Arc::new((base, v.clone()))),
            Value::Map(m) => {
                let mut fields = Type::empty_fields();
                for (k, v) in m.iter() {
                    if let Value::Str(k) = k {
                        fields.insert(k.clone(), Type::of_value(v));
                    } else {
                        return base;
                    }
                }
                Type::record(fields)
            }
            _ => base,
        }
    }

    /// The type of a runtime value without carrying the value itself (`Typed.fromInstance`
    /// minus the value, as scenario variables are typed).
    pub fn of_value_without_value(v: &Value) -> Type {
        match v {
            Value::Null => Type::Null,
            Value::List(l) => {
                let elem = l
                    .iter()
                    .map(Type::of_value_without_value)
                    .reduce(|a, b| common_supertype(&a, &b))
                    .unwrap_or(Type::Unknown);
                Type::list(elem)
            }
            Value::Map(m) => {
                let mut fields = Type::empty_fields();
                for (k, v) in m.iter() {
                    match k {
                        Value::Str(k) => {
                            fields.insert(k.clone(), Type::of_value_without_value(v));
                        }
                        _ => return Type::map(Type::Unknown, Type::Unknown),
                    }
                }
                Type::record(fields)
            }
            other => Type::class(other.class()),
        }
    }

    /// Drops a carried value (`Integer(4)` -> `Integer`), recursively in records.
    pub fn without_value(&self) -> Type {
        match self {
            Type::Const(c) => c.0.clone(),
            Type::Record(f) => Type::record(
                f.iter()
                    .map(|(k, t)| (k.clone(), t.without_value()))
                    .collect(),
            ),
            Type::Class(c, params) if !params.is_empty() => {
                Type::generic(*c, params.iter().map(Type::without_value).collect())
            }
            Type::Union(m) => Type::union(m.iter().map(Type::without_value)),
            other => other.clone(),
        }
    }

    /// The compile-time known value, if any.
    pub fn known_value(&self) -> Option<&Value> {
        match self {
            Type::Const(c) => Some(&c.1),
            _ => None,
        }
    }

    /// The known string value (`String(abc)`).
    pub fn known_str(&self) -> Option<&str> {
        self.known_value().and_then(|v| v.as_str())
    }

    /// The underlying class (records are maps); `None` for Unknown, Null and unions.
    pub fn base_class(&self) -> Option<Class> {
        match self {
            Type::Class(c, _) => Some(*c),
            Type::Record(_) => Some(Class::Map),
            Type::Const(c) => c.0.base_class(),
            _ => None,
        }
    }

    /// The type parameters of a class type.
    pub fn params(&self) -> &[Type] {
        match self {
            Type::Class(_, p) => p,
            Type::Const(c) => c.0.params(),
            _ => &[],
        }
    }

    pub fn param(&self, i: usize) -> Type {
        self.params().get(i).cloned().unwrap_or(Type::Unknown)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Type::Unknown)
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Type::Null)
    }

    pub fn is_class(&self, c: Class) -> bool {
        self.base_class() == Some(c)
    }

    /// Is this a (subclass of) `Number`?
    pub fn is_number(&self) -> bool {
        match self {
            Type::Union(m) => m.iter().all(Type::is_number),
            _ => self
                .base_class()
                .is_some_and(|c| c.is_subclass_of(Class::Number)),
        }
    }
    pub fn is_string(&self) -> bool {
        self.is_class(Class::String)
    }
    pub fn is_boolean(&self) -> bool {
        self.is_class(Class::Boolean)
    }

    /// Element type for lists, sets, arrays and other collections.
    pub fn element_type(&self) -> Option<Type> {
        match self.base_class()? {
            c if c.is_subclass_of(Class::Collection) || c == Class::Array => Some(self.param(0)),
            _ => None,
        }
    }

    /// The record of a map entry, as projections over maps see it.
    pub fn map_entry_type(&self) -> Option<Type> {
        let (k, v) = match self {
            Type::Record(f) => (
                Type::string(),
                f.values()
                    .cloned()
                    .reduce(|a, b| common_supertype(&a, &b))
                    .unwrap_or(Type::Unknown),
            ),
            t if t.is_class(Class::Map) => (t.param(0), t.param(1)),
            _ => return None,
        };
        let mut fields = Type::empty_fields();
        fields.insert(Str::new_static("key"), k);
        fields.insert(Str::new_static("value"), v);
        Some(Type::record(fields))
    }

    /// Union constructor: flattens, drops `Null` and duplicates; one member is returned as is.
    pub fn union(members: impl IntoIterator<Item = Type>) -> Type {
        let mut out: Vec<Type> = Vec::new();
        for m in members {
            let items: Vec<Type> = match m {
                Type::Union(u) => u.to_vec(),
                other => vec![other],
            };
            for t in items {
                if t.is_null() {
                    continue;
                }
                if t.is_unknown() {
                    return Type::Unknown;
                }
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        match out.len() {
            0 => Type::Null,
            1 => out.pop().unwrap_or(Type::Null),
            _ => Type::Union(Arc::from(out)),
        }
    }

    /// The members of a union, or the type itself.
    pub fn members(&self) -> Vec<Type> {
        match self {
            Type::Union(u) => u.to_vec(),
            other => vec![other.clone()],
        }
    }

    /// §15.2 assignability ("can be converted to"), loose conversions included.
    pub fn can_be_converted_to(&self, target: &Type) -> bool {
        relations::assignable(self, target, true)
    }

    /// Strict subtyping without conversions (used for map-key checks).
    pub fn is_assignable_without_conversion(&self, target: &Type) -> bool {
        relations::assignable(self, target, false)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Unknown => f.write_str("Unknown"),
            Type::Null => f.write_str("Null"),
            Type::Class(c, params) => {
                f.write_str(c.display_name())?;
                if !params.is_empty() {
                    f.write_str("[")?;
                    for (i, p) in params.iter().enumerate() {
                        if i > 0 {
                            f.write_str(",")?;
                        }
                        write!(f, "{p}")?;
                    }
                    f.write_str("]")?;
                }
                Ok(())
            }
            Type::Record(fields) => {
                let mut names: Vec<&Str> = fields.keys().collect();
                names.sort();
                f.write_str("Record{")?;
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{n}: {}", fields[*n])?;
                }
                f.write_str("}")
            }
            Type::Union(members) => {
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{m}")?;
                }
                Ok(())
            }
            Type::Const(c) => write!(f, "{}({})", c.0, display_value(&c.1)),
        }
    }
}

/// A carried value as the reference displays it: lists in braces (`{1, 2}`), maps as `{k=v}`.
fn display_value(v: &Value) -> String {
    match v {
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(display_value).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}={}", k.to_java_string(), display_value(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_java_string(),
    }
}
