//! Tables of the amounts of time: `Duration`, `Period`.

use super::*;

pub(super) fn dur(r: &Value) -> Result<(i64, u32), String> {
    match recv(r)? {
        Obj::Duration(x) => Ok(d::duration_parts(x)),
        o => Err(format!("expected a Duration, got {}", o.class_name())),
    }
}

pub(super) fn dur_nanos(r: &Value) -> Result<i128, String> {
    match recv(r)? {
        Obj::Duration(x) => Ok(delta_nanos(x)),
        o => Err(format!("expected a Duration, got {}", o.class_name())),
    }
}

pub(super) fn long128(v: i128) -> R {
    Ok(Value::Long(
        i64::try_from(v).map_err(|_| "long overflow".to_string())?,
    ))
}

pub(super) fn dur_value(total: i128) -> R {
    ov(Obj::Duration(delta_from_nanos(total)?))
}

pub(super) static DURATION: &[MethodDef] = table!(DUR; [Nanos, Millis, Seconds, Minutes, Hours, Days]; [
    m!("getSeconds", [], P::Long, |r, _, _| Ok(Value::Long(dur(r)?.0))),
    m!("getNano", [], P::Int, |r, _, _| Ok(Value::Int(dur(r)?.1 as i32))),
    m!("toDays", [], P::Long, |r, _, _| Ok(Value::Long(dur(r)?.0 / 86_400))),
    m!("toHours", [], P::Long, |r, _, _| Ok(Value::Long(dur(r)?.0 / 3600))),
    m!("toMinutes", [], P::Long, |r, _, _| Ok(Value::Long(dur(r)?.0 / 60))),
    m!("toSeconds", [], P::Long, |r, _, _| Ok(Value::Long(dur(r)?.0))),
    m!("toMillis", [], P::Long, |r, _, _| {
        let (s, n) = dur(r)?;
        long128(i128::from(s) * 1000 + i128::from(n / 1_000_000))
    }),
    m!("toNanos", [], P::Long, |r, _, _| long128(dur_nanos(r)?)),
    m!("toDaysPart", [], P::Long, |r, _, _| Ok(Value::Long(dur(r)?.0 / 86_400))),
    m!("toHoursPart", [], P::Int, |r, _, _| int(dur(r)?.0 / 3600 % 24)),
    m!("toMinutesPart", [], P::Int, |r, _, _| int(dur(r)?.0 / 60 % 60)),
    m!("toSecondsPart", [], P::Int, |r, _, _| int(dur(r)?.0 % 60)),
    m!("toMillisPart", [], P::Int, |r, _, _| int(i64::from(dur(r)?.1 / 1_000_000))),
    m!("toNanosPart", [], P::Int, |r, _, _| int(i64::from(dur(r)?.1))),
    m!("isZero", [], P::Bool, |r, _, _| Ok(Value::Bool(dur_nanos(r)? == 0))),
    m!("isNegative", [], P::Bool, |r, _, _| Ok(Value::Bool(dur_nanos(r)? < 0))),
    m!("negated", [], DUR, |r, _, _| dur_value(-dur_nanos(r)?)),
    m!("abs", [], DUR, |r, _, _| dur_value(dur_nanos(r)?.abs())),
    m!("plus", [DUR], DUR, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [DUR], DUR, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
    m!("multipliedBy", [P::Long], DUR, |r, a, _| dur_value(dur_nanos(r)?.checked_mul(i128::from(args::long(a, 0)?)).ok_or_else(overflow)?)),
    m!("dividedBy", [P::Long], DUR, |r, a, _| {
        let n = args::long(a, 0)?;
        if n == 0 {
            return Err("Cannot divide by zero".into());
        }
        dur_value(dur_nanos(r)? / i128::from(n))
    }),
    m!("dividedBy", [DUR], P::Long, |r, a, _| {
        let x = dur_nanos(r)?;
        let y = match arg_obj(a, 0)? {
            Obj::Duration(y) => delta_nanos(y),
            o => return Err(format!("expected a Duration, got {}", o.class_name()).into()),
        };
        if y == 0 {
            return Err("Cannot divide by zero".into());
        }
        long128(x / y)
    }),
    m!("withSeconds", [P::Long], DUR, |r, a, _| {
        let (_, n) = dur(r)?;
        dur_value(i128::from(args::long(a, 0)?) * 1_000_000_000 + i128::from(n))
    }),
    m!("withNanos", [P::Int], DUR, |r, a, _| {
        let (s, _) = dur(r)?;
        let n = args::long(a, 0)?;
        if !(0..=999_999_999).contains(&n) {
            return Err(range_err("NanoOfSecond", 0, "999999999", n).into());
        }
        dur_value(i128::from(s) * 1_000_000_000 + i128::from(n))
    }),
    m!("compareTo", [DUR], P::Int, |r, a, _| cmp_call(r, a)),
]);

pub(super) fn per(r: &Value) -> Result<Period, String> {
    match recv(r)? {
        Obj::Period(p) => Ok(*p),
        o => Err(format!("expected a Period, got {}", o.class_name())),
    }
}

pub(super) fn per_value(y: i64, m: i64, dd: i64) -> R {
    let c = |v: i64| i32::try_from(v).map_err(|_| "integer overflow".to_string());
    ov(Obj::Period(Period {
        years: c(y)?,
        months: c(m)?,
        days: c(dd)?,
    }))
}

pub(super) static PERIOD: &[MethodDef] = table!(PER; [Days, Months, Years]; [
    m!("getYears", [], P::Int, |r, _, _| Ok(Value::Int(per(r)?.years))),
    m!("getMonths", [], P::Int, |r, _, _| Ok(Value::Int(per(r)?.months))),
    m!("getDays", [], P::Int, |r, _, _| Ok(Value::Int(per(r)?.days))),
    m!("toTotalMonths", [], P::Long, |r, _, _| {
        let p = per(r)?;
        Ok(Value::Long(i64::from(p.years) * 12 + i64::from(p.months)))
    }),
    m!("isZero", [], P::Bool, |r, _, _| Ok(Value::Bool(per(r)? == Period { years: 0, months: 0, days: 0 }))),
    m!("isNegative", [], P::Bool, |r, _, _| {
        let p = per(r)?;
        Ok(Value::Bool(p.years < 0 || p.months < 0 || p.days < 0))
    }),
    m!("negated", [], PER, |r, _, _| {
        let p = per(r)?;
        per_value(-i64::from(p.years), -i64::from(p.months), -i64::from(p.days))
    }),
    m!("normalized", [], PER, |r, _, _| {
        let p = per(r)?;
        let total = i64::from(p.years) * 12 + i64::from(p.months);
        per_value(total / 12, total % 12, i64::from(p.days))
    }),
    m!("multipliedBy", [P::Int], PER, |r, a, _| {
        let p = per(r)?;
        let k = args::long(a, 0)?;
        let mul = |x: i32| i64::from(x).checked_mul(k).ok_or_else(overflow);
        per_value(mul(p.years)?, mul(p.months)?, mul(p.days)?)
    }),
    m!("withYears", [P::Int], PER, |r, a, _| {
        let p = per(r)?;
        per_value(args::long(a, 0)?, i64::from(p.months), i64::from(p.days))
    }),
    m!("withMonths", [P::Int], PER, |r, a, _| {
        let p = per(r)?;
        per_value(i64::from(p.years), args::long(a, 0)?, i64::from(p.days))
    }),
    m!("withDays", [P::Int], PER, |r, a, _| {
        let p = per(r)?;
        per_value(i64::from(p.years), i64::from(p.months), args::long(a, 0)?)
    }),
    m!("plus", [AMOUNT], PER, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], PER, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
]);
