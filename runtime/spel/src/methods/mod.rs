//! The method whitelist: every callable method is one `MethodDef`, used by both the typer
//! (parameter and result types) and the evaluator (the `call` function). Nothing else can be
//! called, so no expression reaches the host.

pub mod collection;
pub mod conversions;
mod error;
pub mod map;
pub mod number;
pub mod object;
pub mod string;
pub mod time;

use std::sync::Arc;

use crate::eval::EvalEnv;
use crate::types::{Class, Type};
use crate::value::Value;

pub use error::MethodError;

/// The evaluator side of a method: receiver, already converted arguments, environment.
pub type CallFn = fn(&Value, &[Value], &EvalEnv) -> Result<Value, MethodError>;
/// A typing function: receiver type and argument types to the result type, or the error that
/// fails the compile.
pub type TypingFn = fn(&Type, &[Type]) -> Result<Type, MethodError>;

/// State a method precomputes at compile time from its constant arguments, kept in the
/// compiled call node so every evaluation reuses it.
#[derive(Clone, Debug)]
pub enum Prepared {
    /// A compiled regular expression: the pattern argument was a literal.
    Regex(Arc<regex::Regex>),
}

/// A constant argument refused at compile time: its index and the message of the compile
/// error (which points at that argument).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    pub arg: usize,
    pub message: String,
}

/// Sees the arguments of a call that are constants (`None` for the others) and returns the
/// state to keep, `None` when there is nothing to precompute, or an error that fails the compile.
pub type PrepareFn = fn(&[Option<&Value>]) -> Result<Option<Prepared>, ArgError>;
/// The evaluator side of a prepared call: `CallFn` plus the state `PrepareFn` made.
pub type PreparedCallFn = fn(&Prepared, &Value, &[Value], &EvalEnv) -> Result<Value, MethodError>;

/// The compile-time hook of a method: the typer calls `prepare` when it resolved a call to this
/// one overload, and a call that got a state runs `call` instead of `MethodDef::call`. The two
/// must agree with `MethodDef::call` on every result, so the hook is an optimisation plus an
/// earlier error, never a change of meaning.
#[derive(Clone, Copy)]
pub struct Prepare {
    pub prepare: PrepareFn,
    pub call: PreparedCallFn,
}

/// Parameter type specification (`const`-friendly stand-in for `Type`).
#[derive(Clone, Copy, Debug)]
pub enum P {
    Any,
    Str,
    Int,
    Long,
    Double,
    Number,
    Bool,
    List,
    Collection,
    Map,
    Class(Class),
    /// A full type (`Collection[Number]`), for parameters a class alone cannot express.
    T(fn() -> Type),
}

impl P {
    pub fn to_type(self) -> Type {
        match self {
            P::Any => Type::Unknown,
            P::Str => Type::string(),
            P::Int => Type::integer(),
            P::Long => Type::long(),
            P::Double => Type::double(),
            P::Number => Type::number(),
            P::Bool => Type::boolean(),
            P::List => Type::list(Type::Unknown),
            P::Collection => Type::generic(Class::Collection, vec![Type::Unknown]),
            P::Map => Type::map(Type::Unknown, Type::Unknown),
            P::Class(c) => Type::class(c),
            P::T(f) => f(),
        }
    }

    /// The class a runtime argument is converted to, when the typer saw a loose match.
    pub fn class(self) -> Option<Class> {
        Some(match self {
            P::Any => return None,
            P::Str => Class::String,
            P::Int => Class::Integer,
            P::Long => Class::Long,
            P::Double => Class::Double,
            P::Number => Class::Number,
            P::Bool => Class::Boolean,
            P::List => Class::List,
            P::Collection => Class::Collection,
            P::Map => Class::Map,
            P::Class(c) => c,
            P::T(f) => return f().base_class(),
        })
    }
}

/// How the result type is computed.
#[derive(Clone, Copy)]
pub enum Ret {
    /// A fixed type.
    T(P),
    /// A typing function (generic helpers, `List.get`, `to('X')`, ...).
    Fn(TypingFn),
}

/// One overload of one whitelisted method.
#[derive(Clone, Copy)]
pub struct MethodDef {
    pub name: &'static str,
    pub params: &'static [P],
    /// Element type of a trailing varargs parameter.
    pub varargs: Option<P>,
    pub ret: Ret,
    pub call: CallFn,
    /// For extension methods: on which receiver types the method exists.
    pub applies: Option<fn(&Type) -> bool>,
    /// Work done once at compile time when some arguments are constants.
    pub prepare: Option<Prepare>,
}

impl std::fmt::Debug for MethodDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.signature())
    }
}

impl MethodDef {
    /// The same method with a compile-time hook (for use in the `const` tables).
    pub const fn with_prepare(self, prepare: Prepare) -> MethodDef {
        MethodDef {
            prepare: Some(prepare),
            ..self
        }
    }

    /// `name(Type, Type)` as the mismatch error shows it.
    pub fn signature(&self) -> String {
        let mut s = format!("{}(", self.name);
        let mut parts: Vec<String> = self
            .params
            .iter()
            .map(|p| p.to_type().to_string())
            .collect();
        if let Some(v) = self.varargs {
            parts.push(format!("{}...", v.to_type()));
        }
        s.push_str(&parts.join(", "));
        s.push(')');
        s
    }

    pub fn arity_ok(&self, n: usize) -> bool {
        if self.varargs.is_some() {
            n >= self.params.len()
        } else {
            n == self.params.len()
        }
    }

    /// The declared parameter for argument `i`.
    pub fn param(&self, i: usize) -> Option<P> {
        self.params.get(i).copied().or(self.varargs)
    }

    /// Computes the result type for the given receiver and argument types.
    pub fn result_type(&self, recv: &Type, args: &[Type]) -> Result<Type, MethodError> {
        match self.ret {
            Ret::T(p) => Ok(p.to_type()),
            Ret::Fn(f) => f(recv, args),
        }
    }
}

/// Builds a `MethodDef` with a fixed result type.
#[macro_export]
macro_rules! m {
    ($name:literal, [$($p:expr),*], $ret:expr, $call:expr) => {
        $crate::methods::MethodDef {
            name: $name,
            params: &[$($p),*],
            varargs: None,
            ret: $crate::methods::Ret::T($ret),
            call: $call,
            applies: None,
            prepare: None,
        }
    };
}

/// Builds a `MethodDef` whose result type comes from a typing function.
#[macro_export]
macro_rules! mf {
    ($name:literal, [$($p:expr),*], $typing:expr, $call:expr) => {
        $crate::methods::MethodDef {
            name: $name,
            params: &[$($p),*],
            varargs: None,
            ret: $crate::methods::Ret::Fn($typing),
            call: $call,
            applies: None,
            prepare: None,
        }
    };
}

/// The instance-method table of one class (not its ancestors).
fn own_table(class: Class) -> &'static [MethodDef] {
    match class {
        Class::String => string::METHODS,
        Class::Collection | Class::List | Class::Set | Class::Array => collection::METHODS,
        Class::Map => map::METHODS,
        Class::Number => number::NUMBER_METHODS,
        Class::Integer | Class::Long | Class::Short | Class::Byte | Class::BigInteger => {
            number::INTEGRAL_METHODS
        }
        Class::Double | Class::Float => number::FLOATING_METHODS,
        Class::BigDecimal => number::BIG_DECIMAL_METHODS,
        Class::Boolean => object::BOOLEAN_METHODS,
        Class::Character => object::CHARACTER_METHODS,
        Class::Helper(h) => h.methods(),
        Class::ClassRef => &[],
        c => time::methods(c),
    }
}

/// All overloads of `name` visible on a receiver of static type `recv` (whose class is
/// `class`), including extension methods. `None` class means `Unknown`.
pub fn lookup(recv: &Type, class: Option<Class>, name: &str) -> Vec<&'static MethodDef> {
    let mut out: Vec<&'static MethodDef> = Vec::new();
    if let Some(class) = class {
        let is_helper = matches!(class, Class::Helper(_));
        let mut seen_tables: Vec<*const MethodDef> = Vec::new();
        for c in class.ancestors() {
            let table = own_table(c);
            if table.is_empty() || seen_tables.contains(&table.as_ptr()) {
                continue;
            }
            seen_tables.push(table.as_ptr());
            out.extend(table.iter().filter(|m| m.name == name));
        }
        if is_helper {
            // Helper objects hide `toString` and have no extension methods.
            return out;
        }
    }
    out.extend(object::OBJECT_METHODS.iter().filter(|m| m.name == name));
    out.extend(
        conversions::EXT_METHODS
            .iter()
            .filter(|m| m.name == name && m.applies.is_none_or(|f| f(recv))),
    );
    out
}

/// Static methods reachable through `T(class)`.
pub fn static_lookup(class: Class, name: &str) -> Vec<&'static MethodDef> {
    object::STATIC_METHODS
        .iter()
        .chain(time::static_methods())
        .filter(|(c, _)| *c == class)
        .map(|(_, m)| m)
        .filter(|m| m.name == name)
        .collect()
}

/// Names under which a no-argument method is visible as a property (`getKey` -> `key`,
/// `isEmpty` -> `empty`).
pub fn property_method_names(prop: &str) -> [String; 3] {
    let mut cap = String::with_capacity(prop.len());
    let mut chars = prop.chars();
    if let Some(c) = chars.next() {
        cap.extend(c.to_uppercase());
        cap.push_str(chars.as_str());
    }
    [prop.to_string(), format!("get{cap}"), format!("is{cap}")]
}

/// Runtime check used for dynamic dispatch: does this value fit the parameter?
pub fn value_fits(v: &Value, p: P) -> bool {
    match p {
        P::Any => true,
        _ if v.is_null() => true,
        P::Str => matches!(v, Value::Str(_)),
        P::Int | P::Long | P::Double | P::Number => v.is_number(),
        P::Bool => matches!(v, Value::Bool(_)),
        P::List | P::Collection => matches!(v, Value::List(_)),
        P::Map => matches!(v, Value::Map(_)),
        P::Class(c) => v.class().is_subclass_of(c) || conversions::can_convert(v, c),
        P::T(f) => match f().base_class() {
            Some(c) => value_fits(v, P::Class(c)),
            None => true,
        },
    }
}

/// Argument accessors for method implementations: mismatches are errors, never panics.
pub mod args {
    use crate::value::{number, Value};

    #[inline]
    pub fn get(a: &[Value], i: usize) -> Result<&Value, String> {
        a.get(i)
            .ok_or_else(|| format!("missing argument {}", i + 1))
    }
    #[inline]
    pub fn str(a: &[Value], i: usize) -> Result<&str, String> {
        match get(a, i)? {
            Value::Str(s) => Ok(s.as_str()),
            Value::Null => Err("argument is null".into()),
            other => Err(format!(
                "expected a String argument, got {}",
                other.class_name()
            )),
        }
    }
    #[inline]
    pub fn int(a: &[Value], i: usize) -> Result<i32, String> {
        let v = get(a, i)?;
        if let Value::Int(x) = v {
            return Ok(*x);
        }
        number::to_i64(v)
            .map(|x| x as i32)
            .ok_or_else(|| format!("expected a number argument, got {}", v.class_name()))
    }
    #[inline]
    pub fn long(a: &[Value], i: usize) -> Result<i64, String> {
        let v = get(a, i)?;
        if let Value::Long(x) = v {
            return Ok(*x);
        }
        number::to_i64(v)
            .ok_or_else(|| format!("expected a number argument, got {}", v.class_name()))
    }
    #[inline]
    pub fn double(a: &[Value], i: usize) -> Result<f64, String> {
        let v = get(a, i)?;
        number::to_f64(v)
            .ok_or_else(|| format!("expected a number argument, got {}", v.class_name()))
    }
    #[inline]
    pub fn list(a: &[Value], i: usize) -> Result<&[Value], String> {
        match get(a, i)? {
            Value::List(l) => Ok(l.as_slice()),
            Value::Null => Err("argument is null".into()),
            other => Err(format!(
                "expected a List argument, got {}",
                other.class_name()
            )),
        }
    }
    #[inline]
    pub fn map(a: &[Value], i: usize) -> Result<&crate::value::ValueMap, String> {
        match get(a, i)? {
            Value::Map(m) => Ok(m),
            Value::Null => Err("argument is null".into()),
            other => Err(format!(
                "expected a Map argument, got {}",
                other.class_name()
            )),
        }
    }
}
