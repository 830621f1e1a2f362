//! Java number semantics: promotion (`spel.md` §8.1), wrapping integer arithmetic,
//! BigDecimal scale rules, `^`, comparisons and `NumberUtils`-style conversions.

use std::cmp::Ordering;
use std::str::FromStr;
use std::sync::Arc;

use bigdecimal::BigDecimal;
use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};

use super::{java_double_to_string, Value};
use crate::types::Class;

/// Minimum scale of a BigDecimal made from an integer or a string (`BigDecimalScaleEnsurer`).
pub const MIN_BIG_DECIMAL_SCALE: i64 = 18;

/// Most digits a BigDecimal or BigInteger may have, and the largest scale (either sign) of a
/// BigDecimal. Java's are bounded by memory only; ours keep every operation's cost bounded:
/// aligning scales multiplies by `10^Δscale`, so `1e-999999999 + 1` would need a billion
/// digits. Far beyond any decimal a decision needs (DECIMAL128 has 34 digits).
pub const MAX_DIGITS: u64 = 10_000;
pub const MAX_SCALE: i64 = 10_000;
/// Longest text parsed as a number (digits, sign, point and exponent).
const MAX_NUMBER_TEXT: usize = MAX_DIGITS as usize + 32;

/// Checks a big number against [`MAX_DIGITS`] and [`MAX_SCALE`].
pub fn check_big(v: &Value) -> Result<(), String> {
    match v {
        Value::BigDec(d) => check_decimal(d),
        Value::BigInt(i) if i.bits() > MAX_DIGITS * 10 / 3 => Err(format!(
            "A BigInteger of {} bits is larger than the limit of {MAX_DIGITS} digits",
            i.bits()
        )),
        _ => Ok(()),
    }
}

fn check_decimal(d: &BigDecimal) -> Result<(), String> {
    let (unscaled, scale) = d.as_bigint_and_scale();
    if scale.abs() > MAX_SCALE {
        return Err(format!(
            "A BigDecimal with scale {scale} is beyond the limit of ±{MAX_SCALE}"
        ));
    }
    // Counting decimal digits is costly: only when the bits say it may be over (10 digits
    // need at least 30 bits, so `bits * 3 / 10` never exceeds the digit count).
    if unscaled.bits() * 3 / 10 > MAX_DIGITS / 2 && d.digits() > MAX_DIGITS {
        return Err(format!(
            "A BigDecimal of {} digits is larger than the limit of {MAX_DIGITS} digits",
            d.digits()
        ));
    }
    Ok(())
}

/// `new BigDecimal(text)`, within [`MAX_DIGITS`] and [`MAX_SCALE`].
pub fn parse_big_decimal(text: &str) -> Option<BigDecimal> {
    if text.len() > MAX_NUMBER_TEXT {
        return None;
    }
    BigDecimal::from_str(text)
        .ok()
        .filter(|d| check_decimal(d).is_ok())
}

/// `new BigInteger(text)`, within [`MAX_DIGITS`].
pub fn parse_big_int(text: &str) -> Option<BigInt> {
    if text.len() > MAX_NUMBER_TEXT {
        return None;
    }
    BigInt::from_str(text).ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Int,
    Long,
    BigInt,
    Float,
    Double,
    BigDec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

pub fn kind_of(v: &Value) -> Option<Kind> {
    Some(match v {
        Value::Byte(_) | Value::Short(_) | Value::Int(_) => Kind::Int,
        Value::Long(_) => Kind::Long,
        Value::BigInt(_) => Kind::BigInt,
        Value::Float(_) => Kind::Float,
        Value::Double(_) => Kind::Double,
        Value::BigDec(_) => Kind::BigDec,
        _ => return None,
    })
}

/// §8.1: the first rule that matches either operand.
pub fn promote(a: Kind, b: Kind) -> Kind {
    use Kind::*;
    if a == BigDec || b == BigDec {
        BigDec
    } else if a == Double || b == Double {
        Double
    } else if a == Float || b == Float {
        Float
    } else if a == BigInt || b == BigInt {
        BigInt
    } else if a == Long || b == Long {
        Long
    } else {
        Int
    }
}

pub fn to_i64(v: &Value) -> Option<i64> {
    Some(match v {
        Value::Byte(x) => *x as i64,
        Value::Short(x) => *x as i64,
        Value::Int(x) => *x as i64,
        Value::Long(x) => *x,
        Value::Float(x) => *x as i64,
        Value::Double(x) => *x as i64,
        Value::BigInt(x) => x.to_i64().unwrap_or_else(|| truncate_bigint_i64(x)),
        Value::BigDec(x) => {
            let (i, _) = x.with_scale(0).into_bigint_and_exponent();
            i.to_i64().unwrap_or_else(|| truncate_bigint_i64(&i))
        }
        _ => return None,
    })
}

/// Java's `BigInteger.longValue()`: the low 64 bits.
fn truncate_bigint_i64(x: &BigInt) -> i64 {
    let bytes = x.to_signed_bytes_le();
    let mut buf = [if x.sign() == Sign::Minus { 0xffu8 } else { 0 }; 8];
    for (i, b) in bytes.iter().take(8).enumerate() {
        buf[i] = *b;
    }
    i64::from_le_bytes(buf)
}

pub fn to_f64(v: &Value) -> Option<f64> {
    Some(match v {
        Value::Byte(x) => *x as f64,
        Value::Short(x) => *x as f64,
        Value::Int(x) => *x as f64,
        Value::Long(x) => *x as f64,
        Value::Float(x) => *x as f64,
        Value::Double(x) => *x,
        Value::BigInt(x) => x.to_f64().unwrap_or(f64::NAN),
        Value::BigDec(x) => x.to_f64().unwrap_or(f64::NAN),
        _ => return None,
    })
}

pub fn to_bigint(v: &Value) -> Option<BigInt> {
    Some(match v {
        Value::BigInt(x) => (**x).clone(),
        Value::BigDec(x) => x.with_scale(0).into_bigint_and_exponent().0,
        Value::Float(_) | Value::Double(_) => BigInt::from(to_i64(v)?),
        other => BigInt::from(to_i64(other)?),
    })
}

/// Conversion to BigDecimal as Nussknacker's patched `NumberUtils` does it: integers get scale
/// 18, doubles go through `Double.toString` (scale raised to at least 18 too, see
/// `docs/decisions` in the repository for why not 1074).
pub fn to_bigdec(v: &Value) -> Option<BigDecimal> {
    Some(match v {
        Value::BigDec(x) => (**x).clone(),
        Value::BigInt(x) => BigDecimal::new((**x).clone(), 0).with_scale(MIN_BIG_DECIMAL_SCALE),
        Value::Float(_) | Value::Double(_) => {
            let d = to_f64(v)?;
            if !d.is_finite() {
                return None;
            }
            let s = if let Value::Float(f) = v {
                super::java_float_to_string(*f)
            } else {
                java_double_to_string(d)
            };
            let bd = parse_big_decimal(&s)?;
            ensure_scale(bd)
        }
        other => BigDecimal::new(BigInt::from(to_i64(other)?), 0).with_scale(MIN_BIG_DECIMAL_SCALE),
    })
}

/// Raises the scale to at least 18, keeping larger scales.
pub fn ensure_scale(bd: BigDecimal) -> BigDecimal {
    if bd.fractional_digit_count() < MIN_BIG_DECIMAL_SCALE {
        bd.with_scale(MIN_BIG_DECIMAL_SCALE)
    } else {
        bd
    }
}

fn err(msg: &str) -> String {
    msg.to_string()
}

/// Binary arithmetic on two numbers, after promotion. Errors are Java's messages.
pub fn arith(op: ArithOp, a: &Value, b: &Value) -> Result<Value, String> {
    let (ka, kb) = match (kind_of(a), kind_of(b)) {
        (Some(x), Some(y)) => (x, y),
        _ => {
            return Err(format!(
                "Operator '{}' not supported between objects of type '{}' and '{}'",
                op_symbol(op),
                a.class_name(),
                b.class_name()
            ))
        }
    };
    let none = || err("number conversion failed");
    Ok(match promote(ka, kb) {
        Kind::Int => {
            let (x, y) = (
                to_i64(a).ok_or_else(none)? as i32,
                to_i64(b).ok_or_else(none)? as i32,
            );
            Value::Int(match op {
                ArithOp::Add => x.wrapping_add(y),
                ArithOp::Sub => x.wrapping_sub(y),
                ArithOp::Mul => x.wrapping_mul(y),
                ArithOp::Div if y == 0 => return Err(err("/ by zero")),
                ArithOp::Div => x.wrapping_div(y),
                ArithOp::Rem if y == 0 => return Err(err("/ by zero")),
                ArithOp::Rem => x.wrapping_rem(y),
            })
        }
        Kind::Long => {
            let (x, y) = (to_i64(a).ok_or_else(none)?, to_i64(b).ok_or_else(none)?);
            Value::Long(match op {
                ArithOp::Add => x.wrapping_add(y),
                ArithOp::Sub => x.wrapping_sub(y),
                ArithOp::Mul => x.wrapping_mul(y),
                ArithOp::Div if y == 0 => return Err(err("/ by zero")),
                ArithOp::Div => x.wrapping_div(y),
                ArithOp::Rem if y == 0 => return Err(err("/ by zero")),
                ArithOp::Rem => x.wrapping_rem(y),
            })
        }
        Kind::Float => {
            let (x, y) = (
                to_f64(a).ok_or_else(none)? as f32,
                to_f64(b).ok_or_else(none)? as f32,
            );
            Value::Float(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            })
        }
        Kind::Double => {
            let (x, y) = (to_f64(a).ok_or_else(none)?, to_f64(b).ok_or_else(none)?);
            Value::Double(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            })
        }
        Kind::BigInt => {
            let (x, y) = (
                to_bigint(a).ok_or_else(none)?,
                to_bigint(b).ok_or_else(none)?,
            );
            Value::BigInt(Arc::new(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div if y.is_zero() => return Err(err("BigInteger divide by zero")),
                ArithOp::Div => x / y,
                ArithOp::Rem if y.is_zero() => return Err(err("BigInteger divide by zero")),
                ArithOp::Rem => x % y,
            }))
        }
        Kind::BigDec => {
            let conv = |v: &Value| to_bigdec(v).ok_or_else(|| err("cannot convert to BigDecimal"));
            let (x, y) = (conv(a)?, conv(b)?);
            Value::BigDec(Arc::new(bigdec_arith(op, &x, &y)?))
        }
    })
}

fn op_symbol(op: ArithOp) -> &'static str {
    match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "-",
        ArithOp::Mul => "*",
        ArithOp::Div => "/",
        ArithOp::Rem => "%",
    }
}

/// BigDecimal arithmetic with Java's scales: `+ -` max scale, `*` sum of scales,
/// `/` max scale with HALF_EVEN, `%` remainder with the sign of the dividend.
pub fn bigdec_arith(op: ArithOp, x: &BigDecimal, y: &BigDecimal) -> Result<BigDecimal, String> {
    let (xu, xs) = x.as_bigint_and_exponent();
    let (yu, ys) = y.as_bigint_and_exponent();
    Ok(match op {
        ArithOp::Add | ArithOp::Sub => {
            let s = xs.max(ys);
            let xa = rescale(&xu, xs, s);
            let ya = rescale(&yu, ys, s);
            BigDecimal::new(if op == ArithOp::Add { xa + ya } else { xa - ya }, s)
        }
        ArithOp::Mul => BigDecimal::new(xu * yu, xs + ys),
        ArithOp::Div => {
            if yu.is_zero() {
                return Err(err("Division by zero"));
            }
            divide_half_even(&xu, xs, &yu, ys, xs.max(ys))
        }
        ArithOp::Rem => {
            if yu.is_zero() {
                return Err(err("Division by zero"));
            }
            let s = xs.max(ys);
            let xa = rescale(&xu, xs, s);
            let ya = rescale(&yu, ys, s);
            BigDecimal::new(xa % ya, s)
        }
    })
}

fn pow10(n: u64) -> BigInt {
    num_traits::pow(BigInt::from(10), n as usize)
}

/// `u * 10^(to - from)` for `to >= from`.
fn rescale(u: &BigInt, from: i64, to: i64) -> BigInt {
    if to > from {
        u * pow10((to - from) as u64)
    } else {
        u.clone()
    }
}

/// `x.divide(y, scale, HALF_EVEN)`.
pub fn divide_half_even(xu: &BigInt, xs: i64, yu: &BigInt, ys: i64, scale: i64) -> BigDecimal {
    // result = xu/10^xs / (yu/10^ys) = (xu * 10^(scale - xs + ys)) / yu, at `scale`.
    let shift = scale - xs + ys;
    let (num, den) = if shift >= 0 {
        (xu * pow10(shift as u64), yu.clone())
    } else {
        (xu.clone(), yu * pow10((-shift) as u64))
    };
    let q = &num / &den;
    let r = &num % &den;
    let twice: BigInt = r.abs() * BigInt::from(2);
    let cmp = twice.cmp(&den.abs());
    let negative = (num.sign() == Sign::Minus) != (den.sign() == Sign::Minus);
    let round_up = match cmp {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => (&q % 2u32) != BigInt::zero(),
    };
    let q = if round_up && !r.is_zero() {
        if negative {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    };
    BigDecimal::new(q, scale)
}

/// `^`, `OperatorPower`.
pub fn power(a: &Value, b: &Value) -> Result<Value, String> {
    let (ka, kb) = match (kind_of(a), kind_of(b)) {
        (Some(x), Some(y)) => (x, y),
        _ => {
            return Err(format!(
                "Operator '^' not supported between objects of type '{}' and '{}'",
                a.class_name(),
                b.class_name()
            ))
        }
    };
    let exp_i32 = || {
        to_i64(b)
            .map(|e| e as i32)
            .ok_or_else(|| err("bad exponent"))
    };
    match ka {
        Kind::BigDec => {
            let e = exp_i32()?;
            if !(0..=999_999_999).contains(&e) {
                return Err(err("Invalid operation"));
            }
            let x = to_bigdec(a).ok_or_else(|| err("bad base"))?;
            let (u, s) = x.as_bigint_and_exponent();
            if (e as u64) * (u.bits().max(1)) > 1 << 24 {
                return Err(err("Result of '^' is too large"));
            }
            Ok(Value::big_dec(BigDecimal::new(
                num_traits::pow(u, e as usize),
                s * e as i64,
            )))
        }
        Kind::BigInt => {
            let e = exp_i32()?;
            if e < 0 {
                return Err(err("Negative exponent"));
            }
            let x = to_bigint(a).ok_or_else(|| err("bad base"))?;
            if (e as u64) * (x.bits().max(1)) > 1 << 24 {
                return Err(err("Result of '^' is too large"));
            }
            Ok(Value::big_int(num_traits::pow(x, e as usize)))
        }
        _ => {
            let x = to_f64(a).ok_or_else(|| err("bad base"))?;
            let y = to_f64(b).ok_or_else(|| err("bad exponent"))?;
            let r = x.powf(y);
            if matches!(ka, Kind::Double | Kind::Float) || matches!(kb, Kind::Double | Kind::Float)
            {
                Ok(Value::Double(r))
            } else if ka == Kind::Long || kb == Kind::Long || r > i32::MAX as f64 {
                Ok(Value::Long(r as i64))
            } else {
                Ok(Value::Int(r as i32))
            }
        }
    }
}

/// Numeric comparison after promotion (`compareTo` for BigDecimal, so scale-insensitive).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let k = promote(kind_of(a)?, kind_of(b)?);
    match k {
        Kind::Int | Kind::Long => Some(to_i64(a)?.cmp(&to_i64(b)?)),
        Kind::Float | Kind::Double => to_f64(a)?.partial_cmp(&to_f64(b)?).or_else(|| {
            // Java's Double.compareTo puts NaN above everything.
            let (x, y) = (to_f64(a)?, to_f64(b)?);
            Some(x.is_nan().cmp(&y.is_nan()))
        }),
        Kind::BigInt => Some(to_bigint(a)?.cmp(&to_bigint(b)?)),
        Kind::BigDec => Some(to_bigdec(a)?.cmp(&to_bigdec(b)?)),
    }
}

/// `NumberUtils.convertNumberToTargetClass`: converts a number to the target class, failing on
/// overflow for integral targets (doubles truncate).
pub fn convert(v: &Value, target: Class) -> Result<Value, String> {
    let overflow = || {
        format!(
            "Could not convert number [{}] of type [{}] to target class [{}]: overflow",
            v.to_java_string(),
            v.class_name(),
            target.qualified_name()
        )
    };
    let nan = || err("number conversion failed");
    Ok(match target {
        Class::Integer | Class::Short | Class::Byte | Class::Long => {
            let i: i64 = match v {
                Value::BigInt(x) => x.to_i64().ok_or_else(overflow)?,
                Value::BigDec(x) => x
                    .with_scale(0)
                    .into_bigint_and_exponent()
                    .0
                    .to_i64()
                    .ok_or_else(overflow)?,
                Value::Float(_) | Value::Double(_) => to_i64(v).ok_or_else(nan)?,
                other => to_i64(other).ok_or_else(nan)?,
            };
            let from_float = matches!(v, Value::Float(_) | Value::Double(_));
            match target {
                Class::Long => Value::Long(i),
                Class::Integer => {
                    if from_float {
                        Value::Int(i as i32)
                    } else {
                        Value::Int(i32::try_from(i).map_err(|_| overflow())?)
                    }
                }
                Class::Short => Value::Short(if from_float {
                    i as i16
                } else {
                    i16::try_from(i).map_err(|_| overflow())?
                }),
                _ => Value::Byte(if from_float {
                    i as i8
                } else {
                    i8::try_from(i).map_err(|_| overflow())?
                }),
            }
        }
        Class::Float => Value::Float(to_f64(v).ok_or_else(nan)? as f32),
        Class::Double => Value::Double(to_f64(v).ok_or_else(nan)?),
        Class::BigInteger => Value::big_int(to_bigint(v).ok_or_else(nan)?),
        Class::BigDecimal => Value::big_dec(to_bigdec(v).ok_or_else(nan)?),
        Class::Number => v.clone(),
        _ => {
            return Err(format!(
                "cannot convert a number to {}",
                target.simple_name()
            ))
        }
    })
}

/// Negation keeping the class (Byte/Short widen to Integer, as Spring's OpMinus does).
pub fn negate(v: &Value) -> Result<Value, String> {
    Ok(match v {
        Value::Byte(x) => Value::Int(-(*x as i32)),
        Value::Short(x) => Value::Int(-(*x as i32)),
        Value::Int(x) => Value::Int(x.wrapping_neg()),
        Value::Long(x) => Value::Long(x.wrapping_neg()),
        Value::Float(x) => Value::Float(-x),
        Value::Double(x) => Value::Double(-x),
        Value::BigInt(x) => Value::big_int(-(**x).clone()),
        Value::BigDec(x) => Value::big_dec(-(**x).clone()),
        other => {
            return Err(format!(
                "Operator '-' not supported for type '{}'",
                other.class_name()
            ))
        }
    })
}

/// Parses a string as the narrowest of Integer, Long, Double (if `prefer_double`), BigDecimal,
/// BigInteger — the order of `#NUMERIC.toNumber` and of the extension conversions.
pub fn parse_number(s: &str, prefer_double: bool) -> Option<Value> {
    let t = s.trim();
    if t.is_empty() || t != s {
        return None;
    }
    if let Ok(i) = t.parse::<i32>() {
        return Some(Value::Int(i));
    }
    if let Ok(l) = t.parse::<i64>() {
        return Some(Value::Long(l));
    }
    let looks_numeric = t
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !looks_numeric {
        return None;
    }
    if prefer_double {
        if let Ok(d) = t.parse::<f64>() {
            return Some(Value::Double(d));
        }
    }
    if let Some(bd) = parse_big_decimal(t) {
        if !t.contains(['.', 'e', 'E']) {
            if let Some(bi) = parse_big_int(t) {
                return Some(Value::big_int(bi));
            }
        }
        return Some(Value::big_dec(bd));
    }
    None
}
