//! Whitelisted members of java.time classes (spel.md §10): all public members except
//! `adjustInto` and `from`, plus `UUID` and `DateTimeFormatter.format`. Getters are visible as
//! properties (`getDayOfWeek` -> `dayOfWeek`) through the generic property lookup.
//!
//! Each class has its own table; interface tables (`ChronoLocalDate`, `ChronoLocalDateTime`,
//! `ChronoZonedDateTime`, `TemporalAccessor`, `TemporalAmount`) hold the members shared by the
//! implementations, so a value typed by its interface still has them.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone,
    Timelike, Utc, Weekday,
};

use super::{args, MethodDef, Ret, P};
use crate::helpers::date::{
    arg_local_date, arg_local_date_time, arg_local_time, arg_obj, arg_offset, arg_zone,
    as_day_of_week, as_local_date, as_local_date_time, as_local_time, as_month,
    as_offset_date_time, as_zoned, obj_of, ov,
};
use crate::time::{self as d, *};
use crate::types::Class;
use crate::value::{Obj, Period, Value, ZoneId, ZonedDateTime};
use crate::{m, mf};

type R = Result<Value, crate::methods::MethodError>;

const LD: P = P::Class(Class::LocalDate);
const LT: P = P::Class(Class::LocalTime);
const LDT: P = P::Class(Class::LocalDateTime);
const INST: P = P::Class(Class::Instant);
const ODT: P = P::Class(Class::OffsetDateTime);
const ZDT: P = P::Class(Class::ZonedDateTime);
const DUR: P = P::Class(Class::Duration);
const PER: P = P::Class(Class::Period);
const DOW: P = P::Class(Class::DayOfWeek);
const MON: P = P::Class(Class::Month);
const ZID: P = P::Class(Class::ZoneId);
const ZOFF: P = P::Class(Class::ZoneOffset);
const FMT: P = P::Class(Class::DateTimeFormatter);
const CLD: P = P::Class(Class::ChronoLocalDate);
const CLDT: P = P::Class(Class::ChronoLocalDateTime);
const CZDT: P = P::Class(Class::ChronoZonedDateTime);
const AMOUNT: P = P::Class(Class::TemporalAmount);
const ACCESSOR: P = P::Class(Class::TemporalAccessor);

pub fn methods(class: Class) -> &'static [MethodDef] {
    match class {
        Class::LocalDate => LOCAL_DATE,
        Class::ChronoLocalDate => CHRONO_LOCAL_DATE,
        Class::LocalTime => LOCAL_TIME,
        Class::LocalDateTime => LOCAL_DATE_TIME,
        Class::ChronoLocalDateTime => CHRONO_LOCAL_DATE_TIME,
        Class::Instant => INSTANT,
        Class::OffsetDateTime => OFFSET_DATE_TIME,
        Class::ZonedDateTime => ZONED_DATE_TIME,
        Class::ChronoZonedDateTime => CHRONO_ZONED_DATE_TIME,
        Class::TemporalAccessor => TEMPORAL_ACCESSOR,
        Class::TemporalAmount => TEMPORAL_AMOUNT,
        Class::Duration => DURATION,
        Class::Period => PERIOD,
        Class::DayOfWeek => DAY_OF_WEEK,
        Class::Month => MONTH,
        Class::ZoneId => ZONE_ID,
        Class::ZoneOffset => ZONE_OFFSET,
        Class::Uuid => UUID,
        Class::DateTimeFormatter => FORMATTER,
        _ => &[],
    }
}

// ---------------------------------------------------------------------------------------------
// Generic operations
// ---------------------------------------------------------------------------------------------
fn recv(r: &Value) -> Result<&Obj, String> {
    obj_of(r)
}

fn int(v: i64) -> R {
    Ok(Value::Int(
        i32::try_from(v).map_err(|_| "integer overflow".to_string())?,
    ))
}

fn fmt_call(r: &Value, a: &[Value]) -> R {
    match arg_obj(a, 0)? {
        Obj::Formatter(f) => Ok(Value::from(f.format(recv(r)?)?)),
        o => Err(format!("expected a DateTimeFormatter, got {}", o.class_name()).into()),
    }
}

fn cmp_call(r: &Value, a: &[Value]) -> R {
    Ok(Value::Int(java_compare_to(recv(r)?, arg_obj(a, 0)?)?))
}

fn order(r: &Value, a: &[Value]) -> Result<i32, String> {
    java_compare_to(recv(r)?, arg_obj(a, 0)?).map(i32::signum)
}

/// `isAfter`/`isBefore`/`isEqual` of the chrono interfaces compare the position on the time line
/// (epoch day + nano of day, or the instant), ignoring offsets and zones.
fn timeline(r: &Value, a: &[Value]) -> Result<std::cmp::Ordering, String> {
    let (x, y) = (recv(r)?, arg_obj(a, 0)?);
    match (instant_of(x), instant_of(y)) {
        (Ok(p), Ok(q)) => Ok(p.cmp(&q)),
        _ => Ok(order(r, a)?.cmp(&0)),
    }
}

fn neg(n: i64) -> Result<i64, String> {
    n.checked_neg().ok_or_else(overflow)
}

/// `plusX(long)`/`minusX(long)` pairs for the listed units, then extra definitions.
macro_rules! table {
    ($ret:expr; [$($unit:ident),*]; [$($extra:expr),* $(,)?]) => {
        &[
            $(
                MethodDef {
                    name: concat!("plus", stringify!($unit)),
                    params: &[P::Long],
                    varargs: None,
                    ret: Ret::T($ret),
                    call: |r, a, _| ov(plus_unit(recv(r)?, args::long(a, 0)?, Unit::$unit)?),
                    applies: None,
                    prepare: None,
                },
                MethodDef {
                    name: concat!("minus", stringify!($unit)),
                    params: &[P::Long],
                    varargs: None,
                    ret: Ret::T($ret),
                    call: |r, a, _| ov(plus_unit(recv(r)?, neg(args::long(a, 0)?)?, Unit::$unit)?),
                    applies: None,
                    prepare: None,
                },
            )*
            $($extra),*
        ]
    };
}

macro_rules! with {
    ($name:literal, $f:ident, $ret:expr) => {
        m!($name, [P::Int], $ret, |r, a, _| ov(with_field(
            recv(r)?,
            WField::$f,
            args::long(a, 0)?
        )?))
    };
}

macro_rules! date_getters {
    () => {
        [
            m!("getYear", [], P::Int, |r, _, _| Ok(Value::Int(
                date_of(recv(r)?)?.year()
            ))),
            m!("getMonthValue", [], P::Int, |r, _, _| Ok(Value::Int(
                date_of(recv(r)?)?.month() as i32
            ))),
            m!("getMonth", [], MON, |r, _, _| ov(Obj::Month(
                date_of(recv(r)?)?.month() as u8
            ))),
            m!("getDayOfMonth", [], P::Int, |r, _, _| Ok(Value::Int(
                date_of(recv(r)?)?.day() as i32
            ))),
            m!("getDayOfYear", [], P::Int, |r, _, _| Ok(Value::Int(
                date_of(recv(r)?)?.ordinal() as i32
            ))),
            m!("getDayOfWeek", [], DOW, |r, _, _| ov(Obj::DayOfWeek(
                date_of(recv(r)?)?.weekday()
            ))),
        ]
    };
}

macro_rules! time_getters {
    () => {
        [
            m!("getHour", [], P::Int, |r, _, _| Ok(Value::Int(
                time_of(recv(r)?)?.hour() as i32
            ))),
            m!("getMinute", [], P::Int, |r, _, _| Ok(Value::Int(
                time_of(recv(r)?)?.minute() as i32
            ))),
            m!("getSecond", [], P::Int, |r, _, _| Ok(Value::Int(
                time_of(recv(r)?)?.second() as i32
            ))),
            m!("getNano", [], P::Int, |r, _, _| Ok(Value::Int(
                nano(&time_of(recv(r)?)?) as i32
            ))),
        ]
    };
}

const DATE_GETTERS: [MethodDef; 6] = date_getters!();
const TIME_GETTERS: [MethodDef; 4] = time_getters!();

fn epoch_second_of(l: NaiveDateTime, o: FixedOffset) -> i64 {
    l.and_utc().timestamp() - i64::from(o.local_minus_utc())
}

fn to_instant_at(l: NaiveDateTime, o: FixedOffset) -> Result<DateTime<Utc>, String> {
    d::at_offset(l, o).map(|x| x.with_timezone(&Utc))
}

fn at_time(date: NaiveDate, h: i64, m: i64, s: i64, n: i64) -> R {
    let t = with_time(NaiveTime::MIN, WField::Hour, h)?;
    let t = with_time(t, WField::Minute, m)?;
    let t = with_time(t, WField::Second, s)?;
    let t = with_time(t, WField::Nano, n)?;
    ov(Obj::LocalDateTime(date.and_time(t)))
}

// The tables use the macros above, so they are declared after them.
mod amount;
mod local;
mod other;
mod statics;
mod statics_other;
#[cfg(test)]
mod tests;
mod zoned;

use amount::*;
use local::*;
use other::*;
use zoned::*;

/// Static members of the java.time classes reachable through `T(...)`.
pub fn static_methods() -> impl Iterator<Item = &'static (Class, MethodDef)> {
    statics::DATE_TIME.iter().chain(statics_other::OTHER.iter())
}
