//! `#RANDOM` helper (spel.md §13.8): `random.scala` over `ThreadLocalRandom`. Upper bounds are
//! exclusive; empty ranges are runtime errors with Java's messages.

use std::cmp::Ordering;

use rand::Rng;

use crate::m;
use crate::methods::{args, MethodDef, P};
use crate::value::Value;

type R = Result<Value, crate::methods::MethodError>;

const BAD_BOUND: &str = "bound must be positive";
const BAD_RANGE: &str = "bound must be greater than origin";

fn unit() -> f64 {
    rand::rng().random::<f64>()
}

/// `ThreadLocalRandom.nextDouble(origin, bound)`.
fn double_in(origin: f64, bound: f64) -> R {
    if origin.partial_cmp(&bound) != Some(Ordering::Less) {
        return Err(BAD_RANGE.into());
    }
    let mut r = unit() * (bound - origin) + origin;
    if r >= bound {
        r = next_down(bound);
    }
    Ok(Value::Double(r))
}

fn next_down(d: f64) -> f64 {
    if d.is_nan() || d == f64::NEG_INFINITY {
        d
    } else if d == 0.0 {
        -f64::from_bits(1)
    } else if d > 0.0 {
        f64::from_bits(d.to_bits() - 1)
    } else {
        f64::from_bits(d.to_bits() + 1)
    }
}

fn double_arg(a: &[Value], i: usize) -> Result<f64, String> {
    if args::get(a, i)?.is_null() {
        return Err("Cannot convert null to the primitive double".into());
    }
    args::double(a, i)
}

fn long_arg(a: &[Value], i: usize) -> Result<i64, String> {
    if args::get(a, i)?.is_null() {
        return Err("Cannot convert null to the primitive long".into());
    }
    args::long(a, i)
}

fn int_arg(a: &[Value], i: usize) -> Result<i32, String> {
    if args::get(a, i)?.is_null() {
        return Err("Cannot convert null to the primitive int".into());
    }
    args::int(a, i)
}

fn long_in(origin: i64, bound: i64) -> R {
    if origin >= bound {
        return Err(BAD_RANGE.into());
    }
    Ok(Value::Long(rand::rng().random_range(origin..bound)))
}

fn int_in(origin: i32, bound: i32) -> R {
    if origin >= bound {
        return Err(BAD_RANGE.into());
    }
    Ok(Value::Int(rand::rng().random_range(origin..bound)))
}

pub static METHODS: &[MethodDef] = &[
    m!("nextDouble", [], P::Double, |_, _, _| Ok(Value::Double(
        unit()
    ))),
    m!("nextDouble", [P::Double], P::Double, |_, a, _| {
        let bound = double_arg(a, 0)?;
        if bound.partial_cmp(&0.0) != Some(Ordering::Greater) {
            return Err(BAD_BOUND.into());
        }
        double_in(0.0, bound)
    }),
    m!(
        "nextDouble",
        [P::Double, P::Double],
        P::Double,
        |_, a, _| double_in(double_arg(a, 0)?, double_arg(a, 1)?)
    ),
    m!("nextLong", [P::Long], P::Long, |_, a, _| {
        let bound = long_arg(a, 0)?;
        if bound <= 0 {
            return Err(BAD_BOUND.into());
        }
        long_in(0, bound)
    }),
    m!("nextLong", [P::Long, P::Long], P::Long, |_, a, _| long_in(
        long_arg(a, 0)?,
        long_arg(a, 1)?
    )),
    m!("nextInt", [P::Int], P::Int, |_, a, _| {
        let bound = int_arg(a, 0)?;
        if bound <= 0 {
            return Err(BAD_BOUND.into());
        }
        int_in(0, bound)
    }),
    m!("nextInt", [P::Int, P::Int], P::Int, |_, a, _| int_in(
        int_arg(a, 0)?,
        int_arg(a, 1)?
    )),
    m!("nextBoolean", [], P::Bool, |_, _, _| Ok(Value::Bool(
        rand::rng().random::<bool>()
    ))),
    m!(
        "nextBooleanWithSuccessRate",
        [P::Double],
        P::Bool,
        |_, a, _| Ok(Value::Bool(unit() < double_arg(a, 0)?))
    ),
];

#[cfg(test)]
mod tests {
    use super::super::test_support::run;
    use crate::Value;

    #[test]
    fn bounds() {
        assert_eq!(
            run("#RANDOM.nextInt(1)"),
            (Ok(Value::Int(0)), "Integer".into())
        );
        assert_eq!(run("#RANDOM.nextInt(5, 6)").0, Ok(Value::Int(5)));
        assert_eq!(
            run("#RANDOM.nextLong(7L, 8L)"),
            (Ok(Value::Long(7)), "Long".into())
        );
        assert_eq!(
            run("#RANDOM.nextBooleanWithSuccessRate(0.0)"),
            (Ok(Value::Bool(false)), "Boolean".into())
        );
        assert_eq!(
            run("#RANDOM.nextBooleanWithSuccessRate(1.0)").0,
            Ok(Value::Bool(true))
        );
        assert_eq!(
            run("#RANDOM.nextDouble >= 0.0 && #RANDOM.nextDouble < 1.0").0,
            Ok(Value::Bool(true))
        );
        assert_eq!(
            run("#RANDOM.nextDouble(2.0, 3.0) >= 2.0").0,
            Ok(Value::Bool(true))
        );
        assert_eq!(run("#RANDOM.nextBoolean").1, "Boolean");
        assert!(run("#RANDOM.nextInt(0)").0.is_err());
        assert!(run("#RANDOM.nextLong(-1L)").0.is_err());
        assert!(run("#RANDOM.nextInt(3, 3)").0.is_err());
        assert!(run("#RANDOM.nextDouble(0.0)").0.is_err());
    }
}
