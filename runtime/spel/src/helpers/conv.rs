//! `#CONV` helper (spel.md §13.1): `conversion.scala`, `FromJsonDecoder`, `ToJsonEncoder`.
//!
//! JSON objects go through a Scala immutable `Map` in the reference (`_.toMap` when decoding,
//! `a.asScala.toMap` when encoding): up to four entries keep their insertion order, more become a
//! CHAMP `HashMap` iterated in hash order. [`scala_map_order`] reproduces that order (Scala 2.13
//! `HashMap`, keys hashed with `##`), so `toJsonString` of a five-key record prints its keys in
//! the same order as the reference.

use bigdecimal::BigDecimal;
use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};

use crate::eval::EvalEnv;
use crate::methods::{args, MethodDef, P};
use crate::types::Type;
use crate::value::{
    java_bigdecimal_to_string, java_double_to_string, java_float_to_string, Obj, Str, Value,
};
use crate::{m, mf};

type R = Result<Value, crate::methods::MethodError>;

// ---------------------------------------------------------------------------------------------
// Java / Scala hashing

/// Java `String.hashCode` (over UTF-16 code units).
pub fn java_string_hash(s: &str) -> i32 {
    let mut h: i32 = 0;
    for u in s.encode_utf16() {
        h = h.wrapping_mul(31).wrapping_add(u as i32);
    }
    h
}

fn long_hash(l: i64) -> i32 {
    (l ^ ((l as u64) >> 32) as i64) as i32
}

fn double_hash(d: f64) -> i32 {
    let bits = if d.is_nan() {
        0x7ff8_0000_0000_0000_i64
    } else {
        d.to_bits() as i64
    };
    long_hash(bits)
}

fn float_hash(f: f32) -> i32 {
    if f.is_nan() {
        0x7fc0_0000
    } else {
        f.to_bits() as i32
    }
}

/// Java `BigInteger.hashCode`.
fn big_int_hash(b: &BigInt) -> i32 {
    let mut h: i32 = 0;
    for w in b.magnitude().to_u32_digits().iter().rev() {
        h = h.wrapping_mul(31).wrapping_add(*w as i32);
    }
    match b.sign() {
        Sign::Minus => h.wrapping_neg(),
        Sign::NoSign => 0,
        Sign::Plus => h,
    }
}

/// Java `hashCode()` of a value.
pub fn java_hash(v: &Value) -> i32 {
    match v {
        Value::Null => 0,
        Value::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        Value::Byte(x) => *x as i32,
        Value::Short(x) => *x as i32,
        Value::Int(x) => *x,
        Value::Long(x) => long_hash(*x),
        Value::Float(x) => float_hash(*x),
        Value::Double(x) => double_hash(*x),
        Value::BigInt(x) => big_int_hash(x),
        Value::BigDec(x) => {
            let (u, scale) = x.as_bigint_and_exponent();
            big_int_hash(&u).wrapping_mul(31).wrapping_add(scale as i32)
        }
        Value::Char(c) => *c as i32,
        Value::Str(s) => java_string_hash(s),
        Value::List(l) => l
            .iter()
            .fold(1i32, |h, e| h.wrapping_mul(31).wrapping_add(java_hash(e))),
        Value::Map(m) => m.iter().fold(0i32, |h, (k, v)| {
            h.wrapping_add(java_hash(k) ^ java_hash(v))
        }),
        other => java_string_hash(&other.to_java_string()),
    }
}

/// Scala `##` (`Statics.anyHash`): numerically equal boxed primitives hash alike.
pub fn scala_hash(v: &Value) -> i32 {
    match v {
        Value::Long(l) => {
            let i = *l as i32;
            if i as i64 == *l {
                i
            } else {
                long_hash(*l)
            }
        }
        Value::Double(d) => {
            let i = *d as i32;
            if i as f64 == *d {
                return i;
            }
            let l = *d as i64;
            if l as f64 == *d {
                return long_hash(l);
            }
            let f = *d as f32;
            if f as f64 == *d {
                return float_hash(f);
            }
            double_hash(*d)
        }
        Value::Float(f) => {
            let i = *f as i32;
            if i as f32 == *f {
                return i;
            }
            let l = *f as i64;
            if l as f32 == *f {
                return long_hash(l);
            }
            float_hash(*f)
        }
        other => java_hash(other),
    }
}

/// `scala.collection.Hashing.improve`.
fn improve(h: i32) -> i32 {
    let mut h = h.wrapping_add(!(h << 9));
    h ^= ((h as u32) >> 14) as i32;
    h = h.wrapping_add(h << 4);
    h ^ ((h as u32) >> 10) as i32
}

/// Iteration order of a Scala 2.13 immutable `Map`/`Set` built from entries with these hashes
/// (`##`), given in insertion order: indices into the input.
pub fn scala_map_order(hashes: &[i32]) -> Vec<usize> {
    if hashes.len() <= 4 {
        return (0..hashes.len()).collect();
    }
    let improved: Vec<(usize, u32)> = hashes
        .iter()
        .enumerate()
        .map(|(i, h)| (i, improve(*h) as u32))
        .collect();
    let mut out = Vec::with_capacity(hashes.len());
    champ_walk(&improved, 0, &mut out);
    out
}

/// Pre-order walk of a CHAMP node: its inline entries in bit order, then its sub-nodes in bit
/// order.
fn champ_walk(entries: &[(usize, u32)], shift: u32, out: &mut Vec<usize>) {
    if shift >= 32 {
        // Full hash collision: a collision node keeps insertion order.
        out.extend(entries.iter().map(|(i, _)| *i));
        return;
    }
    let mut groups: Vec<Vec<(usize, u32)>> = vec![Vec::new(); 32];
    for e in entries {
        groups[((e.1 >> shift) & 31) as usize].push(*e);
    }
    for g in groups.iter().filter(|g| g.len() == 1) {
        out.push(g[0].0);
    }
    for g in groups.iter().filter(|g| g.len() > 1) {
        if g.iter().all(|e| e.1 == g[0].1) {
            out.extend(g.iter().map(|(i, _)| *i));
        } else {
            champ_walk(g, shift + 5, out);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON text to values (`FromJsonDecoder.jsonToAny` over circe's parser)

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

/// Nesting accepted by `toJson` and `toJsonString`: no more than a value may have
/// (`Limits::max_value_depth`'s default), each level on a stack that grows on demand.
const MAX_DEPTH: usize = 256;

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, lit: &str) -> Result<(), ()> {
        if self.text.get(self.i..self.i + lit.len()) == Some(lit) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(())
        }
    }

    fn value(&mut self) -> Result<Value, ()> {
        self.ws();
        match self.peek().ok_or(())? {
            b'n' => self.expect("null").map(|_| Value::Null),
            b't' => self.expect("true").map(|_| Value::Bool(true)),
            b'f' => self.expect("false").map(|_| Value::Bool(false)),
            b'"' => self.string().map(Value::Str),
            b'[' => {
                self.enter()?;
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(crate::value::with_stack(|| self.value())?);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(()),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::list(items))
            }
            b'{' => {
                self.enter()?;
                self.i += 1;
                let mut fields: indexmap::IndexMap<Str, Value, ahash::RandomState> =
                    indexmap::IndexMap::default();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        if self.peek() != Some(b'"') {
                            return Err(());
                        }
                        let k = self.string()?;
                        self.ws();
                        if self.peek() != Some(b':') {
                            return Err(());
                        }
                        self.i += 1;
                        let v = crate::value::with_stack(|| self.value())?;
                        fields.insert(k, v);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(()),
                        }
                    }
                }
                self.depth -= 1;
                Ok(scala_ordered_map(
                    fields
                        .into_iter()
                        .map(|(k, v)| (Value::Str(k), v))
                        .collect(),
                ))
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(()),
        }
    }

    fn enter(&mut self) -> Result<(), ()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(())
        } else {
            Ok(())
        }
    }

    fn hex4(&mut self) -> Result<u32, ()> {
        let h = self.text.get(self.i..self.i + 4).ok_or(())?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        self.i += 4;
        u32::from_str_radix(h, 16).map_err(|_| ())
    }

    fn string(&mut self) -> Result<Str, ()> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while self.i < self.s.len() && self.s[self.i] != b'"' && self.s[self.i] != b'\\' {
                self.i += 1;
            }
            out.push_str(self.text.get(start..self.i).ok_or(())?);
            match self.peek().ok_or(())? {
                b'"' => {
                    self.i += 1;
                    return Ok(Str::from(out));
                }
                _ => {
                    self.i += 1;
                    let c = self.peek().ok_or(())?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u)
                                && self.text.get(self.i..self.i + 2) == Some("\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                    out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                    continue;
                                }
                                self.i = save;
                            }
                            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(()),
                    }
                }
            }
        }
    }

    /// A JSON number: Integer if it is whole and fits, else Long, else BigDecimal (circe's
    /// `toInt orElse toLong orElse toBigDecimal`, trailing zeros stripped as circe's
    /// `BiggerDecimal` does).
    fn number(&mut self) -> Result<Value, ()> {
        let b = self.s;
        let mut i = self.i;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            _ => return Err(()),
        }
        let int_digits = &self.text[int_start..i];
        let mut frac_digits = "";
        if b.get(i) == Some(&b'.') {
            i += 1;
            let fs = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == fs {
                return Err(());
            }
            frac_digits = &self.text[fs..i];
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let neg_exp = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let es = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == es {
                return Err(());
            }
            exp = self.text[es..i].parse::<i64>().map_err(|_| ())?;
            if exp > i32::MAX as i64 {
                return Err(());
            }
            if neg_exp {
                exp = -exp;
            }
        }
        self.i = i;
        let digits = format!("{int_digits}{frac_digits}");
        let mut unscaled: BigInt = digits.parse().map_err(|_| ())?;
        let mut scale: i64 = frac_digits.len() as i64 - exp;
        if unscaled.is_zero() {
            return Ok(Value::Int(0));
        }
        let ten = BigInt::from(10);
        while (&unscaled % &ten).is_zero() {
            unscaled /= &ten;
            scale -= 1;
        }
        if negative {
            unscaled = -unscaled;
        }
        if scale <= 0 && scale > -20 {
            let whole = unscaled.clone() * num_traits::pow(ten, (-scale) as usize);
            if let Some(v) = whole.to_i32() {
                return Ok(Value::Int(v));
            }
            if let Some(v) = whole.to_i64() {
                return Ok(Value::Long(v));
            }
        }
        if scale > i32::MAX as i64 || scale < i32::MIN as i64 {
            return Err(());
        }
        Ok(Value::big_dec(BigDecimal::new(unscaled, scale)))
    }
}

/// A map whose iteration order is that of a Scala immutable `Map` built from these entries.
fn scala_ordered_map(entries: Vec<(Value, Value)>) -> Value {
    let hashes: Vec<i32> = entries.iter().map(|(k, _)| scala_hash(k)).collect();
    let order = scala_map_order(&hashes);
    let mut slots: Vec<Option<(Value, Value)>> = entries.into_iter().map(Some).collect();
    let mut m = Value::map_with_capacity(slots.len());
    for i in order {
        if let Some((k, v)) = slots.get_mut(i).and_then(Option::take) {
            m.insert(k, v);
        }
    }
    Value::map(m)
}

/// Parses JSON text as `#CONV.toJson` does.
pub fn parse_json(text: &str) -> Result<Value, String> {
    let fail = || format!("Cannot convert [{text}] to JSON");
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
    };
    let v = p.value().map_err(|_| fail())?;
    p.ws();
    if p.i != text.len() {
        return Err(fail());
    }
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// Values to JSON text (`ToJsonEncoder` with `failOnUnknown = true`, printed `noSpaces`)

fn push_json_string(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    }
}

/// ISO fraction of a second with trailing zeros dropped (`appendFraction(NANO, 0, 9, true)`).
fn iso_fraction(nanos: u32) -> String {
    if nanos == 0 {
        return String::new();
    }
    let s = format!(".{:09}", nanos % 1_000_000_000);
    s.trim_end_matches('0').to_string()
}

/// `Instant.toString` fraction: in groups of three digits.
fn instant_fraction(nanos: u32) -> String {
    let n = nanos % 1_000_000_000;
    if n == 0 {
        String::new()
    } else if (n / 1_000_000) * 1_000_000 == n {
        format!(".{:03}", n / 1_000_000)
    } else if (n / 1_000) * 1_000 == n {
        format!(".{:06}", n / 1_000)
    } else {
        format!(".{n:09}")
    }
}

fn iso_offset(o: &chrono::FixedOffset) -> String {
    let secs = o.local_minus_utc();
    if secs == 0 {
        return "Z".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

fn iso_time(t: &chrono::NaiveTime) -> String {
    use chrono::Timelike;
    format!("{}{}", t.format("%H:%M:%S"), iso_fraction(t.nanosecond()))
}

fn iso_date(d: &chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn iso_offset_date_time(dt: &chrono::DateTime<chrono::FixedOffset>) -> String {
    let local = dt.naive_local();
    format!(
        "{}T{}{}",
        iso_date(&local.date()),
        iso_time(&local.time()),
        iso_offset(dt.offset())
    )
}

fn encode_obj(o: &Obj, out: &mut String) -> Result<(), String> {
    use chrono::Timelike;
    let s = match o {
        Obj::LocalDate(d) => iso_date(d),
        Obj::LocalTime(t) => iso_time(t),
        Obj::LocalDateTime(t) => format!("{}T{}", iso_date(&t.date()), iso_time(&t.time())),
        Obj::Instant(t) => format!(
            "{}{}Z",
            t.format("%Y-%m-%dT%H:%M:%S"),
            instant_fraction(t.nanosecond())
        ),
        Obj::OffsetDateTime(t) => iso_offset_date_time(t),
        Obj::ZonedDateTime(z) => iso_offset_date_time(&z.dt),
        Obj::Uuid(u) => u.to_string(),
        Obj::DayOfWeek(_) | Obj::Month(_) => o.to_java_string(),
        other => {
            return Err(format!(
                "Invalid type: class {}",
                other.class().qualified_name()
            ))
        }
    };
    push_json_string(out, &s);
    Ok(())
}

/// Encodes a value as compact JSON text (`#CONV.toJsonString`).
pub fn encode_json(v: &Value, out: &mut String, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("Value nested too deeply to encode as JSON".into());
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Long(l) => out.push_str(&l.to_string()),
        // `case a: Number => safeNumber(a.doubleValue())`: Byte and Short print as doubles.
        Value::Byte(x) => out.push_str(&java_double_to_string(*x as f64)),
        Value::Short(x) => out.push_str(&java_double_to_string(*x as f64)),
        Value::Double(d) => {
            if d.is_finite() {
                out.push_str(&java_double_to_string(*d))
            } else {
                out.push_str("null")
            }
        }
        Value::Float(f) => {
            if f.is_finite() {
                out.push_str(&java_float_to_string(*f))
            } else {
                out.push_str("null")
            }
        }
        Value::BigInt(b) => out.push_str(&b.to_string()),
        Value::BigDec(d) => out.push_str(&java_bigdecimal_to_string(d)),
        Value::Str(s) => push_json_string(out, s),
        Value::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::value::with_stack(|| encode_json(e, out, depth + 1))?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            // `encodeMap(a.asScala.toMap)`: Scala Map order, keys rendered with toString; keys
            // that render alike keep the first position and the last value.
            let entries: Vec<(&Value, &Value)> = m.iter().collect();
            let hashes: Vec<i32> = entries.iter().map(|(k, _)| scala_hash(k)).collect();
            let mut fields: indexmap::IndexMap<String, String, ahash::RandomState> =
                indexmap::IndexMap::default();
            for i in scala_map_order(&hashes) {
                let Some((k, val)) = entries.get(i) else {
                    continue;
                };
                if k.is_null() {
                    return Err(
                        "Cannot invoke \"Object.toString()\" because the map key is null".into(),
                    );
                }
                let mut enc = String::new();
                crate::value::with_stack(|| encode_json(val, &mut enc, depth + 1))?;
                fields.insert(k.to_java_string(), enc);
            }
            out.push('{');
            for (i, (k, enc)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_string(out, k);
                out.push(':');
                out.push_str(enc);
            }
            out.push('}');
        }
        Value::Obj(o) => encode_obj(o, out)?,
        Value::Char(_) => return Err("Invalid type: class java.lang.Character".into()),
        Value::Helper(h) => return Err(format!("Invalid type: class {}", h.class_name())),
    }
    Ok(())
}

pub fn to_json_string(v: &Value) -> Result<String, String> {
    let mut out = String::new();
    encode_json(v, &mut out, 0)?;
    Ok(out)
}

fn json_arg(a: &[Value]) -> Result<&str, String> {
    match args::get(a, 0)? {
        Value::Str(s) => Ok(s.as_str()),
        Value::Null => Err("Cannot invoke \"String.length()\" because \"input\" is null".into()),
        other => Err(format!(
            "expected a String argument, got {}",
            other.class_name()
        )),
    }
}

fn t_unknown(_: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Type::Unknown)
}

pub static METHODS: &[MethodDef] = &[
    mf!("toAny", [P::Any], t_unknown, |_, a, _| Ok(
        args::get(a, 0)?.clone()
    )),
    mf!(
        "toNumber",
        [P::Any],
        super::numeric::t_to_number,
        |_, a, _| super::numeric::to_number(args::get(a, 0)?)
    ),
    // `toNumberOrNull(Any): Number`: unparsable strings and non-numbers give null.
    m!("toNumberOrNull", [P::Any], P::Number, |_, a, _| {
        Ok(match args::get(a, 0)? {
            s @ Value::Str(_) => super::numeric::to_number(s).unwrap_or(Value::Null),
            n if n.is_number() => n.clone(),
            _ => Value::Null,
        })
    }),
    mf!("toJson", [P::Str], t_unknown, |_, a, _| Ok(parse_json(
        json_arg(a)?
    )?)),
    mf!("toJsonOrNull", [P::Str], t_unknown, |_, a, _| Ok(
        parse_json(json_arg(a)?).unwrap_or(Value::Null)
    )),
    m!("toJsonString", [P::Any], P::Str, |_, a, _: &EvalEnv| -> R {
        Ok(Value::Str(Str::from(to_json_string(args::get(a, 0)?)?)))
    }),
];

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, run};
    use crate::Value;

    #[test]
    fn to_json_numbers_are_never_double() {
        assert_eq!(
            run("#CONV.toJson('1')"),
            (Ok(Value::Int(1)), "Unknown".into())
        );
        assert_eq!(
            eval("#CONV.toJson('12345678901')"),
            Value::Long(12345678901)
        );
        assert_eq!(eval("#CONV.toJson('1e2')"), Value::Int(100));
        let v = eval("#CONV.toJson('1.234')");
        assert_eq!(
            (v.class_name(), v.to_java_string().as_str()),
            ("BigDecimal", "1.234")
        );
        let v = eval("#CONV.toJson('123456789012345678901234')");
        assert_eq!(v.class_name(), "BigDecimal");
    }

    #[test]
    fn to_json_structures() {
        assert_eq!(eval("#CONV.toJson('null')"), Value::Null);
        assert_eq!(eval("#CONV.toJson('\"str\"')"), Value::str("str"));
        assert_eq!(eval("#CONV.toJson('[]')").to_java_string(), "[]");
        assert_eq!(
            eval("#CONV.toJson('{\"a\": [1, true, \"x\\u0041\"]}')").to_java_string(),
            "{a=[1, true, xA]}"
        );
        // Five keys: Scala HashMap order.
        assert_eq!(
            eval("#CONV.toJson('{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}')").to_java_string(),
            "{e=5, a=1, b=2, c=3, d=4}"
        );
        let err = run("#CONV.toJson('{ \"a\": 1 ')").0.expect_err("invalid");
        assert!(
            err.contains("Cannot convert [{ \"a\": 1 ] to JSON"),
            "{err}"
        );
        assert_eq!(eval("#CONV.toJsonOrNull('{ \"a\": 1 ')"), Value::Null);
    }

    #[test]
    fn to_json_string() {
        assert_eq!(
            run("#CONV.toJsonString(null)"),
            (Ok(Value::str("null")), "String".into())
        );
        assert_eq!(
            eval("#CONV.toJsonString({ 1, \"str\", true })"),
            Value::str("[1,\"str\",true]")
        );
        assert_eq!(eval("#CONV.toJsonString({})"), Value::str("[]"));
        assert_eq!(eval("#CONV.toJsonString(1.5)"), Value::str("1.5"));
        assert_eq!(
            eval("#CONV.toJsonString({a: 'x\"y'})"),
            Value::str("{\"a\":\"x\\\"y\"}")
        );
        assert_eq!(
            eval("#CONV.toJsonString({ a: 1, b: true, c: \"str\", d: {}, e: { f: 2 } })"),
            Value::str("{\"e\":{\"f\":2},\"a\":1,\"b\":true,\"c\":\"str\",\"d\":[]}")
        );
        assert_eq!(run("#CONV.toAny(1)"), (Ok(Value::Int(1)), "Unknown".into()));
    }

    #[test]
    fn scala_orders() {
        assert_eq!(super::scala_map_order(&[97, 98, 99, 100]), vec![0, 1, 2, 3]);
        assert_eq!(
            super::scala_map_order(&[97, 98, 99, 100, 101]),
            vec![4, 0, 1, 2, 3]
        );
        assert_eq!(
            super::scala_map_order(&[1, 2, 3, 4, 5]),
            vec![4, 0, 1, 2, 3]
        );
    }
}
