//! `#NUMERIC` helper (spel.md §13.3): `numeric.scala` + `MathUtils.scala`.
//!
//! The two-operand methods promote both operands with one of the reference's
//! `NumberTypesPromotionStrategy`s (the same rules drive the typing functions and the runtime), then
//! compute in the promoted class with Java semantics.

use std::cmp::Ordering;

use num_traits::Signed;

use crate::eval::EvalEnv;
use crate::methods::{args, MethodDef, P};
use crate::types::{Class, Type};
use crate::value::number::{self, ArithOp};
use crate::value::Value;
use crate::{m, mf};

type R = Result<Value, crate::methods::MethodError>;

/// The reference's `NumberTypesPromotionStrategy` variants used by the helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Promotion {
    /// `ForMathOperation`: Byte/Short widen to Integer.
    Math,
    /// `ForLargeNumbersOperation`: Byte/Short/Integer to Long, Float to Double.
    Large,
    /// `ForMinMax`: the widest of the two classes, nothing else widened.
    MinMax,
}

/// Widest first, as in `NumberTypesPromotionStrategy.FloatingNumbers`.
const FLOATING: [Class; 3] = [Class::BigDecimal, Class::Double, Class::Float];
/// Widest first, as in `NumberTypesPromotionStrategy.DecimalNumbers`.
const DECIMAL: [Class; 5] = [
    Class::BigInteger,
    Class::Long,
    Class::Integer,
    Class::Short,
    Class::Byte,
];

fn pos(list: &[Class], c: Class) -> Option<usize> {
    list.iter().position(|x| *x == c)
}

impl Promotion {
    fn floating(self, c: Class) -> Class {
        match (self, c) {
            (Promotion::Large, Class::Float) => Class::Double,
            _ => c,
        }
    }

    fn decimal(self, c: Class) -> Class {
        match (self, c) {
            (Promotion::Math, Class::Byte | Class::Short) => Class::Integer,
            (Promotion::Large, Class::Byte | Class::Short | Class::Integer) => Class::Long,
            _ => c,
        }
    }

    /// `promoteClasses(left, right)` (`BaseToCommonWidestTypePromotionStrategy`); `Number` for
    /// classes outside the known number set.
    pub fn classes(self, a: Class, b: Class) -> Class {
        match (
            pos(&FLOATING, a),
            pos(&FLOATING, b),
            pos(&DECIMAL, a),
            pos(&DECIMAL, b),
        ) {
            (Some(x), Some(y), _, _) => self.floating(FLOATING[x.min(y)]),
            (_, _, Some(x), Some(y)) => self.decimal(DECIMAL[x.min(y)]),
            (Some(_), None, None, Some(_)) => self.floating(a),
            (None, Some(_), Some(_), None) => self.floating(b),
            _ => Class::Number,
        }
    }

    /// `promote(left, right)` on static types: `Unknown` when either side is Unknown or Null,
    /// the union of all combinations for unions, values dropped.
    pub fn types(self, a: &Type, b: &Type) -> Type {
        let (Some(xs), Some(ys)) = (number_classes(a), number_classes(b)) else {
            return Type::Unknown;
        };
        let mut out = Vec::new();
        for x in &xs {
            for y in &ys {
                out.push(Type::class(self.classes(*x, *y)));
            }
        }
        Type::union(out)
    }

    /// Promotion of one static type on its own (`promoteSingle`).
    pub fn single(self, t: &Type) -> Type {
        self.types(t, t)
    }

    /// The class both runtime operands are converted to.
    pub fn values(self, a: &Value, b: &Value) -> Class {
        self.classes(a.class(), b.class())
    }
}

/// The classes of the single types making up `t` (None for Unknown / Null).
fn number_classes(t: &Type) -> Option<Vec<Class>> {
    match t {
        Type::Unknown | Type::Null => None,
        Type::Union(members) => {
            let mut out = Vec::new();
            for m in members.iter() {
                out.extend(number_classes(m)?);
            }
            Some(out)
        }
        other => Some(vec![other.base_class().unwrap_or(Class::Object)]),
    }
}

/// Renders the "Mismatch parameter types" error the reference produces when a typing function
/// rejects its arguments.
pub fn mismatch(name: &str, args: &[Type], required: &str) -> String {
    let found: Vec<String> = args.iter().map(|t| t.to_string()).collect();
    format!(
        "Mismatch parameter types. Found: {name}({}). Required: {name}({required})",
        found.join(", ")
    )
}

fn t_math(_: &Type, a: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Promotion::Math.types(arg_type(a, 0), arg_type(a, 1)))
}
fn t_large(_: &Type, a: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Promotion::Large.types(arg_type(a, 0), arg_type(a, 1)))
}
fn t_min_max(_: &Type, a: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Promotion::MinMax.types(arg_type(a, 0), arg_type(a, 1)))
}
fn t_single(_: &Type, a: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(arg_type(a, 0).without_value())
}

/// `ToNumberTypingFunction`: declared `toNumber(String | Number)`; numbers keep their type,
/// anything else is `Number`.
pub fn t_to_number(_: &Type, a: &[Type]) -> Result<Type, crate::methods::MethodError> {
    let t = arg_type(a, 0);
    let declared = Type::union([Type::string(), Type::number()]);
    if !t.can_be_converted_to(&declared) {
        return Err(mismatch("toNumber", a, "String | Number").into());
    }
    if t.can_be_converted_to(&Type::number()) {
        Ok(t.without_value())
    } else {
        Ok(Type::number())
    }
}

static UNKNOWN: Type = Type::Unknown;

fn arg_type(a: &[Type], i: usize) -> &Type {
    a.get(i).unwrap_or(&UNKNOWN)
}

fn number_arg(a: &[Value], i: usize) -> Result<&Value, String> {
    let v = args::get(a, i)?;
    if v.is_number() {
        Ok(v)
    } else if v.is_null() {
        Err(format!(
            "Cannot invoke \"java.lang.Number\" method because argument {} is null",
            i + 1
        ))
    } else {
        Err(format!(
            "class {} cannot be cast to class java.lang.Number",
            v.class().qualified_name()
        ))
    }
}

/// `SpringNumberUtils.convertNumberToTargetClass` to a promoted class.
fn to_class(v: &Value, c: Class) -> R {
    if v.class() == c || c == Class::Number {
        return Ok(v.clone());
    }
    Ok(number::convert(v, c)?)
}

/// `withNotNullValues`: a null operand is ignored, the other one converted to its own promoted
/// class; two nulls give null.
fn with_not_null(p: Promotion, a: &[Value], f: fn(Promotion, &Value, &Value) -> R) -> R {
    let x = args::get(a, 0)?;
    let y = args::get(a, 1)?;
    match (x.is_null(), y.is_null()) {
        (true, true) => Ok(Value::Null),
        (true, false) => {
            let y = number_arg(a, 1)?;
            to_class(y, p.values(y, y))
        }
        (false, true) => {
            let x = number_arg(a, 0)?;
            to_class(x, p.values(x, x))
        }
        (false, false) => f(p, number_arg(a, 0)?, number_arg(a, 1)?),
    }
}

/// Adds two numbers in the class chosen by the promotion.
pub fn promote_then_sum(p: Promotion, x: &Value, y: &Value) -> R {
    let c = p.values(x, y);
    Ok(number::arith(
        ArithOp::Add,
        &to_class(x, c)?,
        &to_class(y, c)?,
    )?)
}

fn math_op(op: ArithOp, a: &[Value]) -> R {
    let x = number_arg(a, 0)?;
    let y = number_arg(a, 1)?;
    let c = Promotion::Math.values(x, y);
    let (x, y) = (to_class(x, c)?, to_class(y, c)?);
    match (op, &y) {
        (ArithOp::Div | ArithOp::Rem, Value::Int(0) | Value::Long(0)) => Err("/ by zero".into()),
        (ArithOp::Div | ArithOp::Rem, Value::BigInt(b)) if b.bits() == 0 => {
            Err("BigInteger divide by zero".into())
        }
        (ArithOp::Div | ArithOp::Rem, Value::BigDec(b))
            if b.as_bigint_and_exponent().0.bits() == 0 =>
        {
            Err(if op == ArithOp::Div {
                "Division by zero"
            } else {
                "Division undefined"
            }
            .into())
        }
        _ => Ok(number::arith(op, &x, &y)?),
    }
}

/// Java's `Double.compare`: total order, `-0.0 < 0.0`, NaN above everything.
pub fn java_double_compare(x: f64, y: f64) -> Ordering {
    if x < y {
        return Ordering::Less;
    }
    if x > y {
        return Ordering::Greater;
    }
    let bits = |d: f64| {
        if d.is_nan() {
            0x7ff8_0000_0000_0000_i64
        } else {
            d.to_bits() as i64
        }
    };
    bits(x).cmp(&bits(y))
}

/// `compareTo` of two numbers of the same class.
pub fn same_class_compare(x: &Value, y: &Value) -> Option<Ordering> {
    match (x, y) {
        (Value::Double(a), Value::Double(b)) => Some(java_double_compare(*a, *b)),
        (Value::Float(a), Value::Float(b)) => Some(java_double_compare(*a as f64, *b as f64)),
        _ => number::compare(x, y),
    }
}

fn min_max_op(p: Promotion, x: &Value, y: &Value, want_min: bool) -> R {
    let c = p.values(x, y);
    let (x, y) = (to_class(x, c)?, to_class(y, c)?);
    // Java Math.min/max for floating point: NaN wins, -0.0 is below 0.0.
    let floating = |a: f64, b: f64| -> f64 {
        if a.is_nan() || b.is_nan() {
            f64::NAN
        } else if a == 0.0 && b == 0.0 {
            if want_min == a.is_sign_negative() {
                a
            } else {
                b
            }
        } else if (a <= b) == want_min {
            a
        } else {
            b
        }
    };
    Ok(match (&x, &y) {
        (Value::Double(a), Value::Double(b)) => Value::Double(floating(*a, *b)),
        (Value::Float(a), Value::Float(b)) => Value::Float(floating(*a as f64, *b as f64) as f32),
        _ => {
            let ord =
                number::compare(&x, &y).ok_or_else(|| "cannot compare numbers".to_string())?;
            // BigDecimal/BigInteger min/max return the receiver on ties.
            let take_x = if want_min {
                ord != Ordering::Greater
            } else {
                ord != Ordering::Less
            };
            if take_x {
                x
            } else {
                y
            }
        }
    })
}

fn min_op(p: Promotion, x: &Value, y: &Value) -> R {
    min_max_op(p, x, y, true)
}
fn max_op(p: Promotion, x: &Value, y: &Value) -> R {
    min_max_op(p, x, y, false)
}

fn compare_op(a: &[Value]) -> Result<Ordering, String> {
    let x = number_arg(a, 0)?;
    let y = number_arg(a, 1)?;
    let c = Promotion::Math.values(x, y);
    let (x, y) = (to_class(x, c)?, to_class(y, c)?);
    same_class_compare(&x, &y).ok_or_else(|| "cannot compare numbers".to_string())
}

fn abs(a: &[Value]) -> R {
    Ok(match number_arg(a, 0)? {
        Value::Byte(x) => Value::Int((*x as i32).abs()),
        Value::Short(x) => Value::Int((*x as i32).abs()),
        Value::Int(x) => Value::Int(x.wrapping_abs()),
        Value::Long(x) => Value::Long(x.wrapping_abs()),
        Value::Float(x) => Value::Float(x.abs()),
        Value::Double(x) => Value::Double(x.abs()),
        Value::BigInt(x) => Value::big_int(x.abs()),
        Value::BigDec(x) => Value::big_dec(x.abs()),
        other => other.clone(),
    })
}

/// Java `Math.pow` (differs from C's `pow` for NaN exponents and `±1 ^ ±Infinity`).
pub fn java_pow(x: f64, y: f64) -> f64 {
    if y == 0.0 {
        return 1.0;
    }
    if y.is_nan() || (x.abs() == 1.0 && y.is_infinite()) {
        return f64::NAN;
    }
    x.powf(y)
}

/// Java `Math.round(double)` (half up towards positive infinity), as a double.
pub fn java_round(x: f64) -> f64 {
    if x.is_nan() {
        return 0.0;
    }
    let f = x.floor();
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    // Math.round returns a long: saturate like the Java conversion does.
    (r as i64) as f64
}

/// Java `Double.parseDouble`: surrounding whitespace (chars <= ' ') ignored, optional
/// `d`/`f` suffix, `NaN` and `Infinity` spelled out.
pub fn java_parse_double(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "NaN" {
        return Some(f64::NAN);
    }
    if body == "Infinity" {
        return Some(sign * f64::INFINITY);
    }
    let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
    // [digits][.digits][e[+-]digits] with at least one digit in the mantissa.
    let b = body.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut mantissa_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        mantissa_digits += i - frac_start;
    }
    if mantissa_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    body.parse::<f64>().ok().map(|d| sign * d)
}

/// Java `Integer.parseInt` / `Long.parseLong` grammar: optional sign, ASCII digits only.
fn java_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
}

/// `NumericUtils.toNumber`: numbers unchanged; strings parsed as the first of Integer, Long,
/// Double, BigDecimal, BigInteger that accepts them.
pub fn to_number(v: &Value) -> R {
    match v {
        Value::Str(s) => {
            let s = s.as_str();
            if java_integer_text(s) {
                if let Ok(i) = s.parse::<i32>() {
                    return Ok(Value::Int(i));
                }
                if let Ok(l) = s.parse::<i64>() {
                    return Ok(Value::Long(l));
                }
            }
            if let Some(d) = java_parse_double(s) {
                return Ok(Value::Double(d));
            }
            // Double.parseDouble accepts everything BigDecimal/BigInteger would; what is left is
            // the NumberFormatException of `new BigDecimal(s)`.
            if let Some(bd) = crate::value::number::parse_big_decimal(s) {
                return Ok(Value::big_dec(bd));
            }
            if let Some(bi) = crate::value::number::parse_big_int(s) {
                return Ok(Value::big_int(bi));
            }
            Err(format!("Character array is missing \"exponent\" mark 'e' or 'E'. Cannot convert [{s}] to a number").into())
        }
        n if n.is_number() => Ok(n.clone()),
        Value::Null => Err("scala.MatchError: null".into()),
        other => Err(format!(
            "scala.MatchError: {} (of class {})",
            other.to_java_string(),
            other.class().qualified_name()
        )
        .into()),
    }
}

fn call_to_number(_: &Value, a: &[Value], _: &EvalEnv) -> R {
    to_number(args::get(a, 0)?)
}

fn double_arg(a: &[Value], i: usize) -> Result<f64, String> {
    let v = args::get(a, i)?;
    if v.is_null() {
        return Err("Cannot convert null to the primitive double".into());
    }
    args::double(a, i)
}

pub static METHODS: &[MethodDef] = &[
    mf!("min", [P::Number, P::Number], t_min_max, |_, a, _| {
        with_not_null(Promotion::MinMax, a, min_op)
    }),
    mf!("max", [P::Number, P::Number], t_min_max, |_, a, _| {
        with_not_null(Promotion::MinMax, a, max_op)
    }),
    mf!("sum", [P::Number, P::Number], t_math, |_, a, _| {
        with_not_null(Promotion::Math, a, promote_then_sum)
    }),
    mf!("largeSum", [P::Number, P::Number], t_large, |_, a, _| {
        with_not_null(Promotion::Large, a, promote_then_sum)
    }),
    mf!("plus", [P::Number, P::Number], t_math, |_, a, _| {
        with_not_null(Promotion::Math, a, promote_then_sum)
    }),
    mf!("minus", [P::Number, P::Number], t_math, |_, a, _| math_op(
        ArithOp::Sub,
        a
    )),
    mf!("multiply", [P::Number, P::Number], t_math, |_, a, _| {
        math_op(ArithOp::Mul, a)
    }),
    mf!("divide", [P::Number, P::Number], t_math, |_, a, _| math_op(
        ArithOp::Div,
        a
    )),
    mf!("remainder", [P::Number, P::Number], t_math, |_, a, _| {
        math_op(ArithOp::Rem, a)
    }),
    mf!("negate", [P::Number], t_single, |_, a, _| Ok(
        number::negate(number_arg(a, 0)?)?
    )),
    mf!("abs", [P::Number], t_single, |_, a, _| abs(a)),
    mf!("toNumber", [P::Any], t_to_number, call_to_number),
    m!("pow", [P::Double, P::Double], P::Double, |_, a, _| Ok(
        Value::Double(java_pow(double_arg(a, 0)?, double_arg(a, 1)?))
    )),
    m!("floor", [P::Double], P::Double, |_, a, _| Ok(
        Value::Double(double_arg(a, 0)?.floor())
    )),
    m!("ceil", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.ceil()
    ))),
    m!("round", [P::Double], P::Double, |_, a, _| Ok(
        Value::Double(java_round(double_arg(a, 0)?))
    )),
    m!("greater", [P::Number, P::Number], P::Bool, |_, a, _| Ok(
        Value::Bool(compare_op(a)? == Ordering::Greater)
    )),
    m!(
        "greaterOrEqual",
        [P::Number, P::Number],
        P::Bool,
        |_, a, _| Ok(Value::Bool(compare_op(a)? != Ordering::Less))
    ),
    m!("lesser", [P::Number, P::Number], P::Bool, |_, a, _| Ok(
        Value::Bool(compare_op(a)? == Ordering::Less)
    )),
    m!(
        "lesserOrEqual",
        [P::Number, P::Number],
        P::Bool,
        |_, a, _| Ok(Value::Bool(compare_op(a)? != Ordering::Greater))
    ),
    m!("equal", [P::Number, P::Number], P::Bool, |_, a, _| Ok(
        Value::Bool(compare_op(a)? == Ordering::Equal)
    )),
    m!("notEqual", [P::Number, P::Number], P::Bool, |_, a, _| Ok(
        Value::Bool(compare_op(a)? != Ordering::Equal)
    )),
    // java.lang.Math functions (`double -> double`).
    m!("sqrt", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.sqrt()
    ))),
    m!("cbrt", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.cbrt()
    ))),
    m!("exp", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.exp()
    ))),
    m!("log", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.ln()
    ))),
    m!("log10", [P::Double], P::Double, |_, a, _| Ok(
        Value::Double(double_arg(a, 0)?.log10())
    )),
    m!("sin", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.sin()
    ))),
    m!("cos", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.cos()
    ))),
    m!("tan", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.tan()
    ))),
    m!("asin", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.asin()
    ))),
    m!("acos", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.acos()
    ))),
    m!("atan", [P::Double], P::Double, |_, a, _| Ok(Value::Double(
        double_arg(a, 0)?.atan()
    ))),
    m!("toRadians", [P::Double], P::Double, |_, a, _| Ok(
        Value::Double(double_arg(a, 0)?.to_radians())
    )),
    m!("toDegrees", [P::Double], P::Double, |_, a, _| Ok(
        Value::Double(double_arg(a, 0)?.to_degrees())
    )),
];

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, run};
    use crate::{compile, parse_type, CompileOptions, EvalEnv, Scope, Value};

    #[test]
    fn promotion_of_two_operands() {
        assert_eq!(
            run("#NUMERIC.min(1, 2)"),
            (Ok(Value::Int(1)), "Integer".into())
        );
        assert_eq!(
            run("#NUMERIC.max(1, 2.5)"),
            (Ok(Value::Double(2.5)), "Double".into())
        );
        assert_eq!(
            run("#NUMERIC.min(null, 2)"),
            (Ok(Value::Int(2)), "Unknown".into())
        );
        assert_eq!(
            run("#NUMERIC.sum(1, 2)"),
            (Ok(Value::Int(3)), "Integer".into())
        );
        assert_eq!(
            run("#NUMERIC.largeSum(1, 2)"),
            (Ok(Value::Long(3)), "Long".into())
        );
        assert_eq!(
            run("#NUMERIC.plus(1L, 2)"),
            (Ok(Value::Long(3)), "Long".into())
        );
        assert_eq!(
            run("#NUMERIC.multiply(2, 3.5)"),
            (Ok(Value::Double(7.0)), "Double".into())
        );
        assert_eq!(eval("#NUMERIC.divide(7, 2)"), Value::Int(3));
        assert_eq!(eval("#NUMERIC.remainder(-7, 3)"), Value::Int(-1));
        assert_eq!(eval("#NUMERIC.sum(null, null)"), Value::Null);
        assert!(run("#NUMERIC.divide(1, 0)").0.is_err());
        assert!(run("#NUMERIC.minus(null, 1)").0.is_err());
        assert_eq!(eval("#NUMERIC.greater(2, 1.5)"), Value::Bool(true));
    }

    #[test]
    fn big_decimal_operands() {
        let mut scope = Scope::with_helpers();
        scope.declare("bd", parse_type("BigDecimal").expect("type"));
        let e = compile(
            "#NUMERIC.divide(#bd, 3)",
            &scope,
            &CompileOptions::default(),
        )
        .expect("compiles");
        assert_eq!(e.static_type().to_string(), "BigDecimal");
        let one = Value::big_dec("1".parse().expect("decimal"));
        let v = e.eval(&[one], &EvalEnv::default()).expect("divides");
        assert_eq!(v.to_java_string(), "0.333333333333333333");
    }

    #[test]
    fn single_operand_functions() {
        assert_eq!(
            run("#NUMERIC.abs(-5)"),
            (Ok(Value::Int(5)), "Integer".into())
        );
        assert_eq!(eval("#NUMERIC.abs(-2.5)"), Value::Double(2.5));
        assert_eq!(eval("#NUMERIC.negate(5)"), Value::Int(-5));
        assert_eq!(
            run("#NUMERIC.pow(2, 10)"),
            (Ok(Value::Double(1024.0)), "Double".into())
        );
        assert_eq!(eval("#NUMERIC.floor(2.7)"), Value::Double(2.0));
        assert_eq!(eval("#NUMERIC.ceil(2.1)"), Value::Double(3.0));
        assert_eq!(eval("#NUMERIC.round(2.5)"), Value::Double(3.0));
        assert_eq!(eval("#NUMERIC.round(-2.5)"), Value::Double(-2.0));
    }

    #[test]
    fn to_number() {
        assert_eq!(
            run("#NUMERIC.toNumber('42')"),
            (Ok(Value::Int(42)), "Number".into())
        );
        assert_eq!(
            eval("#NUMERIC.toNumber('12345678901')"),
            Value::Long(12345678901)
        );
        assert_eq!(eval("#NUMERIC.toNumber('53.32')"), Value::Double(53.32));
        assert_eq!(
            eval("#NUMERIC.toNumber('12345678901234567890')"),
            Value::Double(1.2345678901234567e19)
        );
        assert_eq!(
            run("#NUMERIC.toNumber(5L)"),
            (Ok(Value::Long(5)), "Long".into())
        );
        assert_eq!(run("#CONV.toNumber('1.5')").1, "Number");
        assert!(run("#NUMERIC.toNumber('abc')").0.is_err());
        let err = compile(
            "#NUMERIC.toNumber(true)",
            &Scope::with_helpers(),
            &CompileOptions::default(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("Required: toNumber(String | Number)"), "{err}");
    }
}
