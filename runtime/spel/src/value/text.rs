//! Java's renderings of numbers, which string concatenation and `toString` must reproduce, and
//! Java's UTF-16 view of strings (`length()`, `compareTo`).

use std::cmp::Ordering;

use bigdecimal::BigDecimal;

/// Java `String.length()`: UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Java `String.compareTo`: difference of the first differing UTF-16 units, else of lengths.
pub fn java_compare_to(a: &str, b: &str) -> i32 {
    let mut ia = a.encode_utf16();
    let mut ib = b.encode_utf16();
    loop {
        match (ia.next(), ib.next()) {
            (Some(x), Some(y)) if x != y => return x as i32 - y as i32,
            (Some(_), Some(_)) => {}
            _ => return utf16_len(a) as i32 - utf16_len(b) as i32,
        }
    }
}

pub fn java_compare_str(a: &str, b: &str) -> Ordering {
    java_compare_to(a, b).cmp(&0)
}

/// Digits and decimal exponent of the shortest representation that round-trips:
/// value = 0.d1d2d3... * 10^exp10 is NOT used; we return (digits, e) with value = d1.d2d3.. * 10^e.
fn shortest_digits(sci: &str) -> (bool, String, i32) {
    // `sci` is Rust's `{:e}` output, e.g. "-1.2345e19" or "5e-324".
    let (neg, rest) = match sci.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, sci),
    };
    let (mant, exp) = rest.split_once('e').unwrap_or((rest, "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    (neg, digits, exp.parse().unwrap_or(0))
}

fn java_fp(neg: bool, digits: &str, exp: i32, plain: bool) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if plain {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(digits);
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if digits.len() > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('E');
        out.push_str(&exp.to_string());
    }
    out
}

/// `Double.toString(d)`: plain notation for 10^-3 <= |d| < 10^7, else `1.0E10` style.
pub fn java_double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let (neg, digits, exp) = shortest_digits(&format!("{d:e}"));
    let a = d.abs();
    java_fp(neg, &digits, exp, (1e-3..1e7).contains(&a))
}

/// `Float.toString(f)`, same rules with float precision.
pub fn java_float_to_string(f: f32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let (neg, digits, exp) = shortest_digits(&format!("{f:e}"));
    let a = f.abs();
    java_fp(neg, &digits, exp, (1e-3..1e7).contains(&a))
}

/// `BigDecimal.toString()`: plain when scale >= 0 and the adjusted exponent >= -6,
/// otherwise scientific (`1.23E+5`).
pub fn java_bigdecimal_to_string(d: &BigDecimal) -> String {
    let (unscaled, scale) = d.as_bigint_and_exponent();
    let neg = unscaled.sign() == num_bigint::Sign::Minus;
    let digits = unscaled.magnitude().to_string();
    let adjusted = -(scale as i128) + (digits.len() as i128 - 1);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if scale >= 0 && adjusted >= -6 {
        if scale == 0 {
            out.push_str(&digits);
        } else {
            let scale = scale as usize;
            if digits.len() > scale {
                let p = digits.len() - scale;
                out.push_str(&digits[..p]);
                out.push('.');
                out.push_str(&digits[p..]);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', scale - digits.len()));
                out.push_str(&digits);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('E');
        if adjusted >= 0 {
            out.push('+');
        }
        out.push_str(&adjusted.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn doubles_render_like_java() {
        assert_eq!(java_double_to_string(1.0), "1.0");
        assert_eq!(java_double_to_string(1.0e10), "1.0E10");
        assert_eq!(
            java_double_to_string(0.30000000000000004),
            "0.30000000000000004"
        );
        assert_eq!(
            java_double_to_string(1.2345678901234567e19),
            "1.2345678901234567E19"
        );
        assert_eq!(java_double_to_string(0.001), "0.001");
        assert_eq!(java_double_to_string(0.0001), "1.0E-4");
        assert_eq!(java_double_to_string(-2.5), "-2.5");
        assert_eq!(java_double_to_string(1234567.0), "1234567.0");
        assert_eq!(java_double_to_string(12345678.0), "1.2345678E7");
    }

    #[test]
    fn big_decimals_render_like_java() {
        let d = |s| BigDecimal::from_str(s).expect("valid decimal");
        assert_eq!(
            java_bigdecimal_to_string(&d("1.500000000000000000")),
            "1.500000000000000000"
        );
        assert_eq!(java_bigdecimal_to_string(&d("0")), "0");
        assert_eq!(java_bigdecimal_to_string(&d("-0.0000001")), "-1E-7");
        assert_eq!(
            java_bigdecimal_to_string(&BigDecimal::new(123.into(), -3)),
            "1.23E+5"
        );
    }
}
