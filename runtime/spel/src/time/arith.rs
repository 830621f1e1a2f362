//! `plus`/`minus` on java.time values: by a unit (`plusDays`) and by an amount
//! (`plus(Duration)`, `plus(Period)`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};

use crate::time::period::add_months;
use crate::time::zone::{at_offset, zdt_of_instant, zdt_of_local};
use crate::value::{Obj, Period};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Nanos,
    Millis,
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

impl Unit {
    pub(crate) fn java_name(self) -> &'static str {
        match self {
            Unit::Nanos => "Nanos",
            Unit::Millis => "Millis",
            Unit::Seconds => "Seconds",
            Unit::Minutes => "Minutes",
            Unit::Hours => "Hours",
            Unit::Days => "Days",
            Unit::Weeks => "Weeks",
            Unit::Months => "Months",
            Unit::Years => "Years",
        }
    }
    pub(crate) fn is_time(self) -> bool {
        matches!(
            self,
            Unit::Nanos | Unit::Millis | Unit::Seconds | Unit::Minutes | Unit::Hours
        )
    }
    /// Length in nanoseconds of a time-based unit (days count as 24 hours).
    pub(crate) fn nanos(self) -> i128 {
        match self {
            Unit::Nanos => 1,
            Unit::Millis => 1_000_000,
            Unit::Seconds => 1_000_000_000,
            Unit::Minutes => 60_000_000_000,
            Unit::Hours => 3_600_000_000_000,
            Unit::Days => 86_400_000_000_000,
            Unit::Weeks => 7 * 86_400_000_000_000,
            Unit::Months | Unit::Years => 0,
        }
    }
}

pub(crate) fn overflow() -> String {
    "long overflow".into()
}

pub(crate) fn invalid_dt() -> String {
    "Invalid value for EpochDay / date-time out of range".into()
}

pub(crate) fn unsupported(u: Unit) -> String {
    format!("Unsupported unit: {}", u.java_name())
}

/// A duration of `n` time units, as `TimeDelta` (error when out of range).
pub(crate) fn delta(n: i64, u: Unit) -> Result<TimeDelta, String> {
    let total = i128::from(n) * u.nanos();
    delta_from_nanos(total)
}

pub(crate) fn delta_from_nanos(total: i128) -> Result<TimeDelta, String> {
    let secs = i64::try_from(total.div_euclid(1_000_000_000)).map_err(|_| overflow())?;
    let nanos = total.rem_euclid(1_000_000_000) as u32;
    TimeDelta::new(secs, nanos).ok_or_else(overflow)
}

pub(crate) fn delta_nanos(t: &TimeDelta) -> i128 {
    let (s, n) = crate::time::duration_parts(t);
    i128::from(s) * 1_000_000_000 + i128::from(n)
}

pub(crate) fn add_date(date: NaiveDate, n: i64, u: Unit) -> Result<NaiveDate, String> {
    match u {
        Unit::Days | Unit::Weeks => {
            let days = if u == Unit::Weeks {
                n.checked_mul(7).ok_or_else(overflow)?
            } else {
                n
            };
            let dd = TimeDelta::try_days(days).ok_or_else(overflow)?;
            date.checked_add_signed(dd).ok_or_else(invalid_dt)
        }
        Unit::Months => add_months(date, n).ok_or_else(invalid_dt),
        Unit::Years => {
            add_months(date, n.checked_mul(12).ok_or_else(overflow)?).ok_or_else(invalid_dt)
        }
        _ => Err(unsupported(u)),
    }
}

pub(crate) fn add_local(ldt: NaiveDateTime, n: i64, u: Unit) -> Result<NaiveDateTime, String> {
    if u.is_time() {
        ldt.checked_add_signed(delta(n, u)?).ok_or_else(invalid_dt)
    } else {
        Ok(add_date(ldt.date(), n, u)?.and_time(ldt.time()))
    }
}

pub(crate) fn add_time(t: NaiveTime, n: i64, u: Unit) -> Result<NaiveTime, String> {
    if !u.is_time() {
        return Err(unsupported(u));
    }
    let day: i128 = 86_400_000_000_000;
    let total = (i128::from(n) * u.nanos()).rem_euclid(day);
    Ok(t.overflowing_add_signed(delta_from_nanos(total)?).0)
}

/// `plus(n, unit)` on any java.time value (`plusDays`, `minusHours`, ...).
pub(crate) fn plus_unit(o: &Obj, n: i64, u: Unit) -> Result<Obj, String> {
    Ok(match o {
        Obj::LocalDate(x) => Obj::LocalDate(add_date(*x, n, u)?),
        Obj::LocalTime(x) => Obj::LocalTime(add_time(*x, n, u)?),
        Obj::LocalDateTime(x) => Obj::LocalDateTime(add_local(*x, n, u)?),
        Obj::Instant(x) => {
            if matches!(u, Unit::Weeks | Unit::Months | Unit::Years) {
                return Err(unsupported(u));
            }
            Obj::Instant(x.checked_add_signed(delta(n, u)?).ok_or_else(invalid_dt)?)
        }
        Obj::OffsetDateTime(x) => {
            Obj::OffsetDateTime(at_offset(add_local(x.naive_local(), n, u)?, *x.offset())?)
        }
        Obj::ZonedDateTime(z) => {
            if u.is_time() {
                let inst =
                    z.dt.with_timezone(&Utc)
                        .checked_add_signed(delta(n, u)?)
                        .ok_or_else(invalid_dt)?;
                Obj::ZonedDateTime(zdt_of_instant(inst, z.zone))
            } else {
                let l = add_local(z.dt.naive_local(), n, u)?;
                Obj::ZonedDateTime(zdt_of_local(l, z.zone, Some(*z.dt.offset()))?)
            }
        }
        Obj::Duration(x) => {
            if matches!(u, Unit::Weeks | Unit::Months | Unit::Years) {
                return Err(unsupported(u));
            }
            Obj::Duration(x.checked_add(&delta(n, u)?).ok_or_else(overflow)?)
        }
        Obj::Period(p) => {
            let add = |a: i32| -> Result<i32, String> {
                i32::try_from(i64::from(a).checked_add(n).ok_or_else(overflow)?)
                    .map_err(|_| "integer overflow".to_string())
            };
            let mut p = *p;
            match u {
                Unit::Years => p.years = add(p.years)?,
                Unit::Months => p.months = add(p.months)?,
                Unit::Days => p.days = add(p.days)?,
                _ => return Err(unsupported(u)),
            }
            Obj::Period(p)
        }
        other => return Err(format!("{} does not support plus", other.class_name())),
    })
}

/// `plus(TemporalAmount)` / `minus(TemporalAmount)`.
pub(crate) fn plus_amount(o: &Obj, amount: &Obj, sign: i64) -> Result<Obj, String> {
    match (o, amount) {
        (Obj::Period(p), Obj::Period(q)) => {
            let f = |a: i32, b: i32| -> Result<i32, String> {
                i32::try_from(i64::from(a) + sign * i64::from(b))
                    .map_err(|_| "integer overflow".to_string())
            };
            Ok(Obj::Period(Period {
                years: f(p.years, q.years)?,
                months: f(p.months, q.months)?,
                days: f(p.days, q.days)?,
            }))
        }
        (Obj::Period(_), other) => Err(format!(
            "Unit must be Years, Months or Days, but was {}",
            other.class_name()
        )),
        (Obj::Duration(x), Obj::Duration(y)) => {
            let r = if sign > 0 {
                x.checked_add(y)
            } else {
                x.checked_sub(y)
            };
            Ok(Obj::Duration(r.ok_or_else(overflow)?))
        }
        (_, Obj::Period(p)) => {
            let months = i64::from(p.years) * 12 + i64::from(p.months);
            let mut cur = o.clone();
            if months != 0 {
                cur = plus_unit(&cur, sign * months, Unit::Months)?;
            }
            if p.days != 0 {
                cur = plus_unit(&cur, sign * i64::from(p.days), Unit::Days)?;
            }
            Ok(cur)
        }
        (_, Obj::Duration(dur)) => {
            let (s, n) = crate::time::duration_parts(dur);
            let mut cur = o.clone();
            if s != 0 {
                cur = plus_unit(
                    &cur,
                    s.checked_mul(sign).ok_or_else(overflow)?,
                    Unit::Seconds,
                )?;
            }
            if n != 0 {
                cur = plus_unit(&cur, sign * i64::from(n), Unit::Nanos)?;
            }
            Ok(cur)
        }
        (_, other) => Err(format!(
            "expected a TemporalAmount, got {}",
            other.class_name()
        )),
    }
}
