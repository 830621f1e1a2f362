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

type R = Result<Value, String>;

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
        o => Err(format!(
            "expected a DateTimeFormatter, got {}",
            o.class_name()
        )),
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
    o.from_local_datetime(&l)
        .single()
        .map(|x| x.with_timezone(&Utc))
        .ok_or_else(invalid_dt)
}

fn at_time(date: NaiveDate, h: i64, m: i64, s: i64, n: i64) -> R {
    let t = with_time(NaiveTime::MIN, WField::Hour, h)?;
    let t = with_time(t, WField::Minute, m)?;
    let t = with_time(t, WField::Second, s)?;
    let t = with_time(t, WField::Nano, n)?;
    ov(Obj::LocalDateTime(date.and_time(t)))
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/// Members of every TemporalAccessor (all java.time values, DayOfWeek, Month).
static TEMPORAL_ACCESSOR: &[MethodDef] = &[
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        d::obj_to_java_string(recv(r)?)
    ))),
    m!("equals", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        java_equals(recv(r)?, args::get(a, 0)?)
    ))),
];

static TEMPORAL_AMOUNT: &[MethodDef] = &[
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        d::obj_to_java_string(recv(r)?)
    ))),
    m!("equals", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        java_equals(recv(r)?, args::get(a, 0)?)
    ))),
];

static CHRONO_LOCAL_DATE: &[MethodDef] = &[
    m!("isAfter", [CLD], P::Bool, |r, a, _| Ok(Value::Bool(
        order(r, a)? > 0
    ))),
    m!("isBefore", [CLD], P::Bool, |r, a, _| Ok(Value::Bool(
        order(r, a)? < 0
    ))),
    m!("isEqual", [CLD], P::Bool, |r, a, _| Ok(Value::Bool(
        order(r, a)? == 0
    ))),
    m!("compareTo", [CLD], P::Int, |r, a, _| cmp_call(r, a)),
    m!("toEpochDay", [], P::Long, |r, _, _| {
        let e = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or_else(invalid_dt)?;
        Ok(Value::Long((date_of(recv(r)?)? - e).num_days()))
    }),
    m!("lengthOfMonth", [], P::Int, |r, _, _| Ok(Value::Int(
        length_of_month(date_of(recv(r)?)?) as i32
    ))),
    m!("lengthOfYear", [], P::Int, |r, _, _| {
        let y = date_of(recv(r)?)?.year();
        Ok(Value::Int(if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
            366
        } else {
            365
        }))
    }),
    m!("isLeapYear", [], P::Bool, |r, _, _| Ok(Value::Bool(
        NaiveDate::from_ymd_opt(date_of(recv(r)?)?.year(), 2, 29).is_some()
    ))),
    m!("format", [FMT], P::Str, |r, a, _| fmt_call(r, a)),
];

static LOCAL_DATE: &[MethodDef] = table!(LD; [Days, Weeks, Months, Years]; [
    DATE_GETTERS[0], DATE_GETTERS[1], DATE_GETTERS[2], DATE_GETTERS[3], DATE_GETTERS[4], DATE_GETTERS[5],
    with!("withYear", Year, LD),
    with!("withMonth", Month, LD),
    with!("withDayOfMonth", DayOfMonth, LD),
    with!("withDayOfYear", DayOfYear, LD),
    m!("plus", [AMOUNT], LD, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], LD, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
    m!("atStartOfDay", [], LDT, |r, _, _| ov(Obj::LocalDateTime(as_local_date(r)?.and_time(NaiveTime::MIN)))),
    m!("atStartOfDay", [ZID], ZDT, |r, a, _| {
        ov(Obj::ZonedDateTime(zdt_of_local(as_local_date(r)?.and_time(NaiveTime::MIN), arg_zone(a, 0)?, None)?))
    }),
    m!("atTime", [LT], LDT, |r, a, _| ov(Obj::LocalDateTime(as_local_date(r)?.and_time(arg_local_time(a, 0)?)))),
    m!("atTime", [P::Int, P::Int], LDT, |r, a, _| at_time(as_local_date(r)?, args::long(a, 0)?, args::long(a, 1)?, 0, 0)),
    m!("atTime", [P::Int, P::Int, P::Int], LDT, |r, a, _| {
        at_time(as_local_date(r)?, args::long(a, 0)?, args::long(a, 1)?, args::long(a, 2)?, 0)
    }),
    m!("atTime", [P::Int, P::Int, P::Int, P::Int], LDT, |r, a, _| {
        at_time(as_local_date(r)?, args::long(a, 0)?, args::long(a, 1)?, args::long(a, 2)?, args::long(a, 3)?)
    }),
    m!("until", [CLD], PER, |r, a, _| ov(Obj::Period(d::period_between(as_local_date(r)?, arg_local_date(a, 0)?)))),
    m!("toEpochSecond", [LT, ZOFF], P::Long, |r, a, _| {
        Ok(Value::Long(epoch_second_of(as_local_date(r)?.and_time(arg_local_time(a, 0)?), arg_offset(a, 1)?)))
    }),
]);

static LOCAL_TIME: &[MethodDef] = table!(LT; [Nanos, Seconds, Minutes, Hours]; [
    TIME_GETTERS[0], TIME_GETTERS[1], TIME_GETTERS[2], TIME_GETTERS[3],
    with!("withHour", Hour, LT),
    with!("withMinute", Minute, LT),
    with!("withSecond", Second, LT),
    with!("withNano", Nano, LT),
    m!("plus", [AMOUNT], LT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], LT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
    m!("isAfter", [LT], P::Bool, |r, a, _| Ok(Value::Bool(order(r, a)? > 0))),
    m!("isBefore", [LT], P::Bool, |r, a, _| Ok(Value::Bool(order(r, a)? < 0))),
    m!("compareTo", [LT], P::Int, |r, a, _| cmp_call(r, a)),
    m!("toSecondOfDay", [], P::Int, |r, _, _| Ok(Value::Int(as_local_time(r)?.num_seconds_from_midnight() as i32))),
    m!("toNanoOfDay", [], P::Long, |r, _, _| {
        let t = as_local_time(r)?;
        Ok(Value::Long(i64::from(t.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(nano(&t))))
    }),
    m!("atDate", [LD], LDT, |r, a, _| ov(Obj::LocalDateTime(arg_local_date(a, 0)?.and_time(as_local_time(r)?)))),
    m!("toEpochSecond", [LD, ZOFF], P::Long, |r, a, _| {
        Ok(Value::Long(epoch_second_of(arg_local_date(a, 0)?.and_time(as_local_time(r)?), arg_offset(a, 1)?)))
    }),
    m!("format", [FMT], P::Str, |r, a, _| fmt_call(r, a)),
]);

static CHRONO_LOCAL_DATE_TIME: &[MethodDef] = &[
    m!("isAfter", [CLDT], P::Bool, |r, a, _| Ok(Value::Bool(
        order(r, a)? > 0
    ))),
    m!("isBefore", [CLDT], P::Bool, |r, a, _| Ok(Value::Bool(
        order(r, a)? < 0
    ))),
    m!("isEqual", [CLDT], P::Bool, |r, a, _| Ok(Value::Bool(
        order(r, a)? == 0
    ))),
    m!("compareTo", [CLDT], P::Int, |r, a, _| cmp_call(r, a)),
    m!("toLocalDate", [], LD, |r, _, _| ov(Obj::LocalDate(
        date_of(recv(r)?)?
    ))),
    m!("toLocalTime", [], LT, |r, _, _| ov(Obj::LocalTime(
        time_of(recv(r)?)?
    ))),
    m!("toEpochSecond", [ZOFF], P::Long, |r, a, _| Ok(Value::Long(
        epoch_second_of(local_of(recv(r)?)?, arg_offset(a, 0)?)
    ))),
    m!("toInstant", [ZOFF], INST, |r, a, _| ov(Obj::Instant(
        to_instant_at(local_of(recv(r)?)?, arg_offset(a, 0)?)?
    ))),
    m!("format", [FMT], P::Str, |r, a, _| fmt_call(r, a)),
];

static LOCAL_DATE_TIME: &[MethodDef] = table!(LDT; [Nanos, Seconds, Minutes, Hours, Days, Weeks, Months, Years]; [
    DATE_GETTERS[0], DATE_GETTERS[1], DATE_GETTERS[2], DATE_GETTERS[3], DATE_GETTERS[4], DATE_GETTERS[5],
    TIME_GETTERS[0], TIME_GETTERS[1], TIME_GETTERS[2], TIME_GETTERS[3],
    with!("withYear", Year, LDT),
    with!("withMonth", Month, LDT),
    with!("withDayOfMonth", DayOfMonth, LDT),
    with!("withDayOfYear", DayOfYear, LDT),
    with!("withHour", Hour, LDT),
    with!("withMinute", Minute, LDT),
    with!("withSecond", Second, LDT),
    with!("withNano", Nano, LDT),
    m!("plus", [AMOUNT], LDT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], LDT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
    m!("atZone", [ZID], ZDT, |r, a, _| ov(Obj::ZonedDateTime(zdt_of_local(as_local_date_time(r)?, arg_zone(a, 0)?, None)?))),
    m!("atOffset", [ZOFF], ODT, |r, a, _| {
        ov(Obj::OffsetDateTime(arg_offset(a, 0)?.from_local_datetime(&as_local_date_time(r)?).single().ok_or_else(invalid_dt)?))
    }),
]);

static INSTANT: &[MethodDef] = table!(INST; [Nanos, Millis, Seconds]; [
    m!("getEpochSecond", [], P::Long, |r, _, _| Ok(Value::Long(instant_of(recv(r)?)?.timestamp()))),
    m!("getNano", [], P::Int, |r, _, _| Ok(Value::Int(nano(&instant_of(recv(r)?)?.time()) as i32))),
    m!("toEpochMilli", [], P::Long, |r, _, _| Ok(Value::Long(instant_of(recv(r)?)?.timestamp_millis()))),
    m!("atZone", [ZID], ZDT, |r, a, _| ov(Obj::ZonedDateTime(zdt_of_instant(instant_of(recv(r)?)?, arg_zone(a, 0)?)))),
    m!("atOffset", [ZOFF], ODT, |r, a, _| ov(Obj::OffsetDateTime(instant_of(recv(r)?)?.with_timezone(&arg_offset(a, 0)?)))),
    m!("isAfter", [INST], P::Bool, |r, a, _| Ok(Value::Bool(order(r, a)? > 0))),
    m!("isBefore", [INST], P::Bool, |r, a, _| Ok(Value::Bool(order(r, a)? < 0))),
    m!("compareTo", [INST], P::Int, |r, a, _| cmp_call(r, a)),
    m!("plus", [AMOUNT], INST, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], INST, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
]);

fn zoned_with_zone_same_instant(z: &ZonedDateTime, zone: ZoneId) -> ZonedDateTime {
    zdt_of_instant(z.dt.with_timezone(&Utc), zone)
}

static OFFSET_DATE_TIME: &[MethodDef] = table!(ODT; [Nanos, Seconds, Minutes, Hours, Days, Weeks, Months, Years]; [
    DATE_GETTERS[0], DATE_GETTERS[1], DATE_GETTERS[2], DATE_GETTERS[3], DATE_GETTERS[4], DATE_GETTERS[5],
    TIME_GETTERS[0], TIME_GETTERS[1], TIME_GETTERS[2], TIME_GETTERS[3],
    with!("withYear", Year, ODT),
    with!("withMonth", Month, ODT),
    with!("withDayOfMonth", DayOfMonth, ODT),
    with!("withDayOfYear", DayOfYear, ODT),
    with!("withHour", Hour, ODT),
    with!("withMinute", Minute, ODT),
    with!("withSecond", Second, ODT),
    with!("withNano", Nano, ODT),
    m!("plus", [AMOUNT], ODT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], ODT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
    m!("getOffset", [], ZOFF, |r, _, _| ov(Obj::ZoneOffset(offset_of(recv(r)?)?))),
    m!("toInstant", [], INST, |r, _, _| ov(Obj::Instant(instant_of(recv(r)?)?))),
    m!("toEpochSecond", [], P::Long, |r, _, _| Ok(Value::Long(instant_of(recv(r)?)?.timestamp()))),
    m!("toLocalDateTime", [], LDT, |r, _, _| ov(Obj::LocalDateTime(local_of(recv(r)?)?))),
    m!("toLocalDate", [], LD, |r, _, _| ov(Obj::LocalDate(date_of(recv(r)?)?))),
    m!("toLocalTime", [], LT, |r, _, _| ov(Obj::LocalTime(time_of(recv(r)?)?))),
    m!("toZonedDateTime", [], ZDT, |r, _, _| {
        let x = as_offset_date_time(r)?;
        ov(Obj::ZonedDateTime(ZonedDateTime { dt: x, zone: ZoneId::Offset(*x.offset()) }))
    }),
    m!("atZoneSameInstant", [ZID], ZDT, |r, a, _| ov(Obj::ZonedDateTime(zdt_of_instant(instant_of(recv(r)?)?, arg_zone(a, 0)?)))),
    m!("atZoneSimilarLocal", [ZID], ZDT, |r, a, _| {
        let x = as_offset_date_time(r)?;
        ov(Obj::ZonedDateTime(zdt_of_local(x.naive_local(), arg_zone(a, 0)?, Some(*x.offset()))?))
    }),
    m!("withOffsetSameInstant", [ZOFF], ODT, |r, a, _| {
        ov(Obj::OffsetDateTime(as_offset_date_time(r)?.with_timezone(&arg_offset(a, 0)?)))
    }),
    m!("withOffsetSameLocal", [ZOFF], ODT, |r, a, _| {
        let l = as_offset_date_time(r)?.naive_local();
        ov(Obj::OffsetDateTime(arg_offset(a, 0)?.from_local_datetime(&l).single().ok_or_else(invalid_dt)?))
    }),
    m!("isAfter", [ODT], P::Bool, |r, a, _| Ok(Value::Bool(timeline(r, a)?.is_gt()))),
    m!("isBefore", [ODT], P::Bool, |r, a, _| Ok(Value::Bool(timeline(r, a)?.is_lt()))),
    m!("isEqual", [ODT], P::Bool, |r, a, _| Ok(Value::Bool(timeline(r, a)?.is_eq()))),
    m!("compareTo", [ODT], P::Int, |r, a, _| cmp_call(r, a)),
    m!("format", [FMT], P::Str, |r, a, _| fmt_call(r, a)),
]);

static CHRONO_ZONED_DATE_TIME: &[MethodDef] = &[
    m!("isAfter", [CZDT], P::Bool, |r, a, _| Ok(Value::Bool(
        timeline(r, a)?.is_gt()
    ))),
    m!("isBefore", [CZDT], P::Bool, |r, a, _| Ok(Value::Bool(
        timeline(r, a)?.is_lt()
    ))),
    m!("isEqual", [CZDT], P::Bool, |r, a, _| Ok(Value::Bool(
        timeline(r, a)?.is_eq()
    ))),
    m!("compareTo", [CZDT], P::Int, |r, a, _| cmp_call(r, a)),
    m!("getOffset", [], ZOFF, |r, _, _| ov(Obj::ZoneOffset(
        offset_of(recv(r)?)?
    ))),
    m!("getZone", [], ZID, |r, _, _| ov(Obj::ZoneId(
        as_zoned(r)?.zone
    ))),
    m!("toInstant", [], INST, |r, _, _| ov(Obj::Instant(
        instant_of(recv(r)?)?
    ))),
    m!("toEpochSecond", [], P::Long, |r, _, _| Ok(Value::Long(
        instant_of(recv(r)?)?.timestamp()
    ))),
    m!("toLocalDateTime", [], LDT, |r, _, _| ov(
        Obj::LocalDateTime(local_of(recv(r)?)?)
    )),
    m!("toLocalDate", [], LD, |r, _, _| ov(Obj::LocalDate(
        date_of(recv(r)?)?
    ))),
    m!("toLocalTime", [], LT, |r, _, _| ov(Obj::LocalTime(
        time_of(recv(r)?)?
    ))),
    m!("format", [FMT], P::Str, |r, a, _| fmt_call(r, a)),
];

static ZONED_DATE_TIME: &[MethodDef] = table!(ZDT; [Nanos, Seconds, Minutes, Hours, Days, Weeks, Months, Years]; [
    DATE_GETTERS[0], DATE_GETTERS[1], DATE_GETTERS[2], DATE_GETTERS[3], DATE_GETTERS[4], DATE_GETTERS[5],
    TIME_GETTERS[0], TIME_GETTERS[1], TIME_GETTERS[2], TIME_GETTERS[3],
    with!("withYear", Year, ZDT),
    with!("withMonth", Month, ZDT),
    with!("withDayOfMonth", DayOfMonth, ZDT),
    with!("withDayOfYear", DayOfYear, ZDT),
    with!("withHour", Hour, ZDT),
    with!("withMinute", Minute, ZDT),
    with!("withSecond", Second, ZDT),
    with!("withNano", Nano, ZDT),
    m!("plus", [AMOUNT], ZDT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, 1)?)),
    m!("minus", [AMOUNT], ZDT, |r, a, _| ov(plus_amount(recv(r)?, arg_obj(a, 0)?, -1)?)),
    m!("toOffsetDateTime", [], ODT, |r, _, _| ov(Obj::OffsetDateTime(as_zoned(r)?.dt))),
    m!("withZoneSameInstant", [ZID], ZDT, |r, a, _| ov(Obj::ZonedDateTime(zoned_with_zone_same_instant(&as_zoned(r)?, arg_zone(a, 0)?)))),
    m!("withZoneSameLocal", [ZID], ZDT, |r, a, _| {
        let z = as_zoned(r)?;
        ov(Obj::ZonedDateTime(zdt_of_local(z.dt.naive_local(), arg_zone(a, 0)?, Some(*z.dt.offset()))?))
    }),
    m!("withFixedOffsetZone", [], ZDT, |r, _, _| {
        let z = as_zoned(r)?;
        ov(Obj::ZonedDateTime(ZonedDateTime { dt: z.dt, zone: ZoneId::Offset(*z.dt.offset()) }))
    }),
    m!("withEarlierOffsetAtOverlap", [], ZDT, |r, _, _| {
        let z = as_zoned(r)?;
        ov(Obj::ZonedDateTime(zdt_of_local(z.dt.naive_local(), z.zone, None)?))
    }),
    m!("withLaterOffsetAtOverlap", [], ZDT, |r, _, _| {
        let z = as_zoned(r)?;
        let l = z.dt.naive_local();
        let earlier = zdt_of_local(l, z.zone, None)?;
        // The later offset is the one in force a day later when the local time is ambiguous.
        let later_off = d::offset_at(&z.zone, &l.checked_add_signed(TimeDelta::days(1)).unwrap_or(l));
        let later = zdt_of_local(l, z.zone, Some(later_off))?;
        ov(Obj::ZonedDateTime(if later.dt.naive_local() == l { later } else { earlier }))
    }),
]);

fn dur(r: &Value) -> Result<(i64, u32), String> {
    match recv(r)? {
        Obj::Duration(x) => Ok(d::duration_parts(x)),
        o => Err(format!("expected a Duration, got {}", o.class_name())),
    }
}

fn dur_nanos(r: &Value) -> Result<i128, String> {
    match recv(r)? {
        Obj::Duration(x) => Ok(delta_nanos(x)),
        o => Err(format!("expected a Duration, got {}", o.class_name())),
    }
}

fn long128(v: i128) -> R {
    Ok(Value::Long(
        i64::try_from(v).map_err(|_| "long overflow".to_string())?,
    ))
}

fn dur_value(total: i128) -> R {
    ov(Obj::Duration(delta_from_nanos(total)?))
}

static DURATION: &[MethodDef] = table!(DUR; [Nanos, Millis, Seconds, Minutes, Hours, Days]; [
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
            o => return Err(format!("expected a Duration, got {}", o.class_name())),
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
            return Err(range_err("NanoOfSecond", 0, "999999999", n));
        }
        dur_value(i128::from(s) * 1_000_000_000 + i128::from(n))
    }),
    m!("compareTo", [DUR], P::Int, |r, a, _| cmp_call(r, a)),
]);

fn per(r: &Value) -> Result<Period, String> {
    match recv(r)? {
        Obj::Period(p) => Ok(*p),
        o => Err(format!("expected a Period, got {}", o.class_name())),
    }
}

fn per_value(y: i64, m: i64, dd: i64) -> R {
    let c = |v: i64| i32::try_from(v).map_err(|_| "integer overflow".to_string());
    ov(Obj::Period(Period {
        years: c(y)?,
        months: c(m)?,
        days: c(dd)?,
    }))
}

static PERIOD: &[MethodDef] = table!(PER; [Days, Months, Years]; [
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

fn dow_of(r: &Value) -> Result<Weekday, String> {
    as_day_of_week(r)
}

fn dow_plus(r: &Value, n: i64) -> R {
    let i = (i64::from(dow_of(r)?.num_days_from_monday()) + n.rem_euclid(7)).rem_euclid(7);
    ov(Obj::DayOfWeek(
        Weekday::try_from(i as u8).map_err(|e| e.to_string())?,
    ))
}

static DAY_OF_WEEK: &[MethodDef] = &[
    m!("getValue", [], P::Int, |r, _, _| Ok(Value::Int(
        dow_of(r)?.number_from_monday() as i32
    ))),
    m!("name", [], P::Str, |r, _, _| Ok(Value::str(
        d::weekday_name(dow_of(r)?)
    ))),
    m!("ordinal", [], P::Int, |r, _, _| Ok(Value::Int(
        dow_of(r)?.num_days_from_monday() as i32
    ))),
    m!("plus", [P::Long], DOW, |r, a, _| dow_plus(
        r,
        args::long(a, 0)?
    )),
    m!("minus", [P::Long], DOW, |r, a, _| dow_plus(
        r,
        -(args::long(a, 0)?.rem_euclid(7))
    )),
    m!("compareTo", [DOW], P::Int, |r, a, _| cmp_call(r, a)),
];

fn month_of(r: &Value) -> Result<u8, String> {
    as_month(r)
}

fn month_plus(r: &Value, n: i64) -> R {
    let i = (i64::from(month_of(r)?) - 1 + n.rem_euclid(12)).rem_euclid(12);
    ov(Obj::Month(i as u8 + 1))
}

fn first_day_of_year(m: u8, leap: bool) -> i32 {
    let mut day = 1;
    for k in 1..m {
        day += month_length(if leap { 2000 } else { 2001 }, u32::from(k)) as i32;
    }
    day
}

static MONTH: &[MethodDef] = &[
    m!("getValue", [], P::Int, |r, _, _| Ok(Value::Int(i32::from(
        month_of(r)?
    )))),
    m!("name", [], P::Str, |r, _, _| Ok(Value::str(d::month_name(
        month_of(r)?
    )))),
    m!("ordinal", [], P::Int, |r, _, _| Ok(Value::Int(
        i32::from(month_of(r)?) - 1
    ))),
    m!("plus", [P::Long], MON, |r, a, _| month_plus(
        r,
        args::long(a, 0)?
    )),
    m!("minus", [P::Long], MON, |r, a, _| month_plus(
        r,
        -(args::long(a, 0)?.rem_euclid(12))
    )),
    m!("compareTo", [MON], P::Int, |r, a, _| cmp_call(r, a)),
    m!("length", [P::Bool], P::Int, |r, a, _| {
        let leap = matches!(args::get(a, 0)?, Value::Bool(true));
        Ok(Value::Int(
            month_length(if leap { 2000 } else { 2001 }, u32::from(month_of(r)?)) as i32,
        ))
    }),
    m!("minLength", [], P::Int, |r, _, _| Ok(Value::Int(
        month_length(2001, u32::from(month_of(r)?)) as i32
    ))),
    m!("maxLength", [], P::Int, |r, _, _| Ok(Value::Int(
        month_length(2000, u32::from(month_of(r)?)) as i32
    ))),
    m!("firstDayOfYear", [P::Bool], P::Int, |r, a, _| {
        let leap = matches!(args::get(a, 0)?, Value::Bool(true));
        Ok(Value::Int(first_day_of_year(month_of(r)?, leap)))
    }),
    m!("firstMonthOfQuarter", [], MON, |r, _, _| ov(Obj::Month(
        (month_of(r)? - 1) / 3 * 3 + 1
    ))),
];

fn zone_of(r: &Value) -> Result<ZoneId, String> {
    match recv(r)? {
        Obj::ZoneId(z) => Ok(*z),
        Obj::ZoneOffset(o) => Ok(ZoneId::Offset(*o)),
        o => Err(format!("expected a ZoneId, got {}", o.class_name())),
    }
}

static ZONE_ID: &[MethodDef] = &[
    m!("getId", [], P::Str, |r, _, _| Ok(Value::from(
        d::zone_id_string(&zone_of(r)?)
    ))),
    mf!(
        "normalized",
        [],
        |_, _| Ok(crate::types::Type::class(Class::ZoneId)),
        |r, _, _| {
            let z = zone_of(r)?;
            ov(match z {
                ZoneId::Offset(o) => Obj::ZoneOffset(o),
                ZoneId::Region(tz) => {
                    // A region with fixed rules normalizes to its offset (`UTC`, `Etc/GMT+1`).
                    let jan = d::offset_at(
                        &ZoneId::Region(tz),
                        &NaiveDate::from_ymd_opt(2000, 1, 1)
                            .unwrap_or_default()
                            .and_time(NaiveTime::MIN),
                    );
                    let jul = d::offset_at(
                        &ZoneId::Region(tz),
                        &NaiveDate::from_ymd_opt(2000, 7, 1)
                            .unwrap_or_default()
                            .and_time(NaiveTime::MIN),
                    );
                    if jan == jul
                        && (tz.name().starts_with("Etc/")
                            || matches!(tz.name(), "UTC" | "GMT" | "UCT" | "Zulu" | "Universal"))
                    {
                        Obj::ZoneOffset(jan)
                    } else {
                        Obj::ZoneId(ZoneId::Region(tz))
                    }
                }
            })
        }
    ),
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        d::zone_id_string(&zone_of(r)?)
    ))),
    m!("equals", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        java_equals(recv(r)?, args::get(a, 0)?)
    ))),
];

static ZONE_OFFSET: &[MethodDef] = &[
    m!("getTotalSeconds", [], P::Int, |r, _, _| Ok(Value::Int(
        offset_of(recv(r)?)?.local_minus_utc()
    ))),
    m!("compareTo", [ZOFF], P::Int, |r, a, _| cmp_call(r, a)),
];

fn uuid_of(r: &Value) -> Result<(i64, i64), String> {
    match recv(r)? {
        Obj::Uuid(u) => {
            let (h, l) = u.as_u64_pair();
            Ok((h as i64, l as i64))
        }
        o => Err(format!("expected a UUID, got {}", o.class_name())),
    }
}

fn uuid_v1(r: &Value) -> Result<(i64, i64), String> {
    let (h, l) = uuid_of(r)?;
    if (h >> 12) & 0xf != 1 {
        return Err("Not a time-based UUID".into());
    }
    Ok((h, l))
}

static UUID: &[MethodDef] = &[
    m!("getLeastSignificantBits", [], P::Long, |r, _, _| Ok(
        Value::Long(uuid_of(r)?.1)
    )),
    m!("getMostSignificantBits", [], P::Long, |r, _, _| Ok(
        Value::Long(uuid_of(r)?.0)
    )),
    m!("version", [], P::Int, |r, _, _| Ok(Value::Int(
        ((uuid_of(r)?.0 >> 12) & 0x0f) as i32
    ))),
    m!("variant", [], P::Int, |r, _, _| {
        let l = uuid_of(r)?.1;
        let lu = l as u64;
        let shift = 64 - (lu >> 62);
        let v = if shift >= 64 { 0 } else { (lu >> shift) as i64 } & (l >> 63);
        Ok(Value::Int(v as i32))
    }),
    m!("timestamp", [], P::Long, |r, _, _| {
        let (h, _) = uuid_v1(r)?;
        let hu = h as u64;
        Ok(Value::Long(
            ((hu & 0x0FFF) << 48 | ((hu >> 16) & 0xFFFF) << 32 | hu >> 32) as i64,
        ))
    }),
    m!("clockSequence", [], P::Int, |r, _, _| {
        let (_, l) = uuid_v1(r)?;
        Ok(Value::Int(
            (((l as u64) & 0x3FFF_0000_0000_0000) >> 48) as i32,
        ))
    }),
    m!("node", [], P::Long, |r, _, _| {
        let (_, l) = uuid_v1(r)?;
        Ok(Value::Long(l & 0x0000_FFFF_FFFF_FFFF))
    }),
];

static FORMATTER: &[MethodDef] = &[
    m!("format", [ACCESSOR], P::Str, |r, a, _| match recv(r)? {
        Obj::Formatter(f) => Ok(Value::from(f.format(arg_obj(a, 0)?)?)),
        o => Err(format!(
            "expected a DateTimeFormatter, got {}",
            o.class_name()
        )),
    }),
    m!(
        "getLocale",
        [],
        P::Class(Class::Locale),
        |r, _, _| match recv(r)? {
            Obj::Formatter(f) => ov(Obj::Locale(f.locale.clone())),
            o => Err(format!(
                "expected a DateTimeFormatter, got {}",
                o.class_name()
            )),
        }
    ),
    m!(
        "withLocale",
        [P::Class(Class::Locale)],
        FMT,
        |r, a, _| match (recv(r)?, arg_obj(a, 0)?) {
            (Obj::Formatter(f), Obj::Locale(l)) => {
                let mut f = f.clone();
                f.locale = l.clone();
                ov(Obj::Formatter(f))
            }
            _ => Err("expected a DateTimeFormatter and a Locale".into()),
        }
    ),
];

// ---------------------------------------------------------------------------------------------
// Statics (`T(java.time.LocalDate).of(2020, 1, 1)`), to be merged into `static_lookup`
// ---------------------------------------------------------------------------------------------

fn parse_text(a: &[Value], target: Target) -> R {
    parse_iso(args::str(a, 0)?, target).map(Value::obj)
}

fn of_duration(n: i64, u: Unit) -> R {
    ov(Obj::Duration(delta(n, u)?))
}

fn dow_const(i: u8) -> R {
    ov(Obj::DayOfWeek(
        Weekday::try_from(i).map_err(|e| e.to_string())?,
    ))
}

fn zero_offset() -> Result<FixedOffset, String> {
    FixedOffset::east_opt(0).ok_or_else(|| "invalid offset".to_string())
}

/// Static members of the java.time classes reachable through `T(...)`. Not yet wired: the
/// owner of `methods/object.rs` can chain this into `static_lookup`.
pub static STATIC_METHODS: &[(Class, MethodDef)] = &[
    (
        Class::LocalDate,
        m!("now", [], LD, |_, _, e| ov(Obj::LocalDate(
            zdt_of_instant(e.now(), e.zone).dt.naive_local().date()
        ))),
    ),
    (
        Class::LocalDate,
        m!("now", [ZID], LD, |_, a, e| ov(Obj::LocalDate(
            zdt_of_instant(e.now(), arg_zone(a, 0)?)
                .dt
                .naive_local()
                .date()
        ))),
    ),
    (
        Class::LocalDate,
        m!("of", [P::Int, P::Int, P::Int], LD, |_, a, _| ov(
            Obj::LocalDate(ymd(
                args::long(a, 0)?,
                args::long(a, 1)?,
                args::long(a, 2)?
            )?)
        )),
    ),
    (
        Class::LocalDate,
        m!("of", [P::Int, MON, P::Int], LD, |_, a, _| {
            let m = match arg_obj(a, 1)? {
                Obj::Month(m) => i64::from(*m),
                o => return Err(format!("expected a Month, got {}", o.class_name())),
            };
            ov(Obj::LocalDate(ymd(
                args::long(a, 0)?,
                m,
                args::long(a, 2)?,
            )?))
        }),
    ),
    (
        Class::LocalDate,
        m!("ofYearDay", [P::Int, P::Int], LD, |_, a, _| {
            let base = ymd(args::long(a, 0)?, 1, 1)?;
            ov(Obj::LocalDate(with_date(
                base,
                WField::DayOfYear,
                args::long(a, 1)?,
            )?))
        }),
    ),
    (
        Class::LocalDate,
        m!("ofEpochDay", [P::Long], LD, |_, a, _| {
            let e = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or_else(invalid_dt)?;
            ov(Obj::LocalDate(add_date(e, args::long(a, 0)?, Unit::Days)?))
        }),
    ),
    (
        Class::LocalDate,
        m!("parse", [P::Str], LD, |_, a, _| parse_text(
            a,
            Target::LocalDate
        )),
    ),
    (
        Class::LocalDate,
        m!("parse", [P::Str, FMT], LD, |_, a, _| match arg_obj(a, 1)? {
            Obj::Formatter(f) => ov(f.parse(args::str(a, 0)?, Target::LocalDate)?),
            o => Err(format!(
                "expected a DateTimeFormatter, got {}",
                o.class_name()
            )),
        }),
    ),
    (
        Class::LocalDate,
        m!("EPOCH", [], LD, |_, _, _| ov(Obj::LocalDate(ymd(
            1970, 1, 1
        )?))),
    ),
    (
        Class::LocalTime,
        m!("now", [], LT, |_, _, e| ov(Obj::LocalTime(
            zdt_of_instant(e.now(), e.zone).dt.naive_local().time()
        ))),
    ),
    (
        Class::LocalTime,
        m!("of", [P::Int, P::Int], LT, |_, a, _| ov(Obj::LocalTime(
            hmsn(args::long(a, 0)?, args::long(a, 1)?, 0, 0)?
        ))),
    ),
    (
        Class::LocalTime,
        m!("of", [P::Int, P::Int, P::Int], LT, |_, a, _| {
            ov(Obj::LocalTime(hmsn(
                args::long(a, 0)?,
                args::long(a, 1)?,
                args::long(a, 2)?,
                0,
            )?))
        }),
    ),
    (
        Class::LocalTime,
        m!("of", [P::Int, P::Int, P::Int, P::Int], LT, |_, a, _| {
            ov(Obj::LocalTime(hmsn(
                args::long(a, 0)?,
                args::long(a, 1)?,
                args::long(a, 2)?,
                args::long(a, 3)?,
            )?))
        }),
    ),
    (
        Class::LocalTime,
        m!("ofSecondOfDay", [P::Long], LT, |_, a, _| {
            let s = args::long(a, 0)?;
            if !(0..86_400).contains(&s) {
                return Err(range_err("SecondOfDay", 0, "86399", s));
            }
            ov(Obj::LocalTime(hmsn(s / 3600, s / 60 % 60, s % 60, 0)?))
        }),
    ),
    (
        Class::LocalTime,
        m!("parse", [P::Str], LT, |_, a, _| parse_text(
            a,
            Target::LocalTime
        )),
    ),
    (
        Class::LocalTime,
        m!("MIDNIGHT", [], LT, |_, _, _| ov(Obj::LocalTime(
            NaiveTime::MIN
        ))),
    ),
    (
        Class::LocalTime,
        m!("MIN", [], LT, |_, _, _| ov(Obj::LocalTime(NaiveTime::MIN))),
    ),
    (
        Class::LocalTime,
        m!("NOON", [], LT, |_, _, _| ov(Obj::LocalTime(hmsn(
            12, 0, 0, 0
        )?))),
    ),
    (
        Class::LocalTime,
        m!("MAX", [], LT, |_, _, _| ov(Obj::LocalTime(hmsn(
            23,
            59,
            59,
            999_999_999
        )?))),
    ),
    (
        Class::LocalDateTime,
        m!("now", [], LDT, |_, _, e| ov(Obj::LocalDateTime(
            zdt_of_instant(e.now(), e.zone).dt.naive_local()
        ))),
    ),
    (
        Class::LocalDateTime,
        m!("of", [LD, LT], LDT, |_, a, _| ov(Obj::LocalDateTime(
            arg_local_date(a, 0)?.and_time(arg_local_time(a, 1)?)
        ))),
    ),
    (
        Class::LocalDateTime,
        m!(
            "of",
            [P::Int, P::Int, P::Int, P::Int, P::Int],
            LDT,
            |_, a, _| {
                let date = ymd(args::long(a, 0)?, args::long(a, 1)?, args::long(a, 2)?)?;
                ov(Obj::LocalDateTime(date.and_time(hmsn(
                    args::long(a, 3)?,
                    args::long(a, 4)?,
                    0,
                    0,
                )?)))
            }
        ),
    ),
    (
        Class::LocalDateTime,
        m!(
            "of",
            [P::Int, P::Int, P::Int, P::Int, P::Int, P::Int],
            LDT,
            |_, a, _| {
                let date = ymd(args::long(a, 0)?, args::long(a, 1)?, args::long(a, 2)?)?;
                ov(Obj::LocalDateTime(date.and_time(hmsn(
                    args::long(a, 3)?,
                    args::long(a, 4)?,
                    args::long(a, 5)?,
                    0,
                )?)))
            }
        ),
    ),
    (
        Class::LocalDateTime,
        m!("parse", [P::Str], LDT, |_, a, _| parse_text(
            a,
            Target::LocalDateTime
        )),
    ),
    (
        Class::LocalDateTime,
        m!(
            "parse",
            [P::Str, FMT],
            LDT,
            |_, a, _| match arg_obj(a, 1)? {
                Obj::Formatter(f) => ov(f.parse(args::str(a, 0)?, Target::LocalDateTime)?),
                o => Err(format!(
                    "expected a DateTimeFormatter, got {}",
                    o.class_name()
                )),
            }
        ),
    ),
    (
        Class::Instant,
        m!("now", [], INST, |_, _, e| ov(Obj::Instant(e.now()))),
    ),
    (
        Class::Instant,
        m!("ofEpochMilli", [P::Long], INST, |_, a, _| {
            ov(Obj::Instant(
                DateTime::<Utc>::from_timestamp_millis(args::long(a, 0)?).ok_or_else(invalid_dt)?,
            ))
        }),
    ),
    (
        Class::Instant,
        m!("ofEpochSecond", [P::Long], INST, |_, a, _| {
            ov(Obj::Instant(
                DateTime::<Utc>::from_timestamp(args::long(a, 0)?, 0).ok_or_else(invalid_dt)?,
            ))
        }),
    ),
    (
        Class::Instant,
        m!("ofEpochSecond", [P::Long, P::Long], INST, |_, a, _| {
            let base =
                DateTime::<Utc>::from_timestamp(args::long(a, 0)?, 0).ok_or_else(invalid_dt)?;
            ov(Obj::Instant(
                base.checked_add_signed(delta(args::long(a, 1)?, Unit::Nanos)?)
                    .ok_or_else(invalid_dt)?,
            ))
        }),
    ),
    (
        Class::Instant,
        m!("parse", [P::Str], INST, |_, a, _| parse_text(
            a,
            Target::Instant
        )),
    ),
    (
        Class::Instant,
        m!("EPOCH", [], INST, |_, _, _| ov(Obj::Instant(
            DateTime::<Utc>::UNIX_EPOCH
        ))),
    ),
    (
        Class::OffsetDateTime,
        m!("now", [], ODT, |_, _, e| {
            let z = zdt_of_instant(e.now(), e.zone);
            ov(Obj::OffsetDateTime(z.dt))
        }),
    ),
    (
        Class::OffsetDateTime,
        m!("of", [LDT, ZOFF], ODT, |_, a, _| {
            let l = arg_local_date_time(a, 0)?;
            ov(Obj::OffsetDateTime(
                arg_offset(a, 1)?
                    .from_local_datetime(&l)
                    .single()
                    .ok_or_else(invalid_dt)?,
            ))
        }),
    ),
    (
        Class::OffsetDateTime,
        m!("parse", [P::Str], ODT, |_, a, _| parse_text(
            a,
            Target::OffsetDateTime
        )),
    ),
    (
        Class::ZonedDateTime,
        m!("now", [], ZDT, |_, _, e| ov(Obj::ZonedDateTime(
            zdt_of_instant(e.now(), e.zone)
        ))),
    ),
    (
        Class::ZonedDateTime,
        m!("now", [ZID], ZDT, |_, a, e| ov(Obj::ZonedDateTime(
            zdt_of_instant(e.now(), arg_zone(a, 0)?)
        ))),
    ),
    (
        Class::ZonedDateTime,
        m!("of", [LDT, ZID], ZDT, |_, a, _| {
            ov(Obj::ZonedDateTime(zdt_of_local(
                arg_local_date_time(a, 0)?,
                arg_zone(a, 1)?,
                None,
            )?))
        }),
    ),
    (
        Class::ZonedDateTime,
        m!("ofInstant", [INST, ZID], ZDT, |_, a, _| {
            ov(Obj::ZonedDateTime(zdt_of_instant(
                instant_of(arg_obj(a, 0)?)?,
                arg_zone(a, 1)?,
            )))
        }),
    ),
    (
        Class::ZonedDateTime,
        m!("parse", [P::Str], ZDT, |_, a, _| parse_text(
            a,
            Target::ZonedDateTime
        )),
    ),
    (
        Class::Duration,
        m!("ofDays", [P::Long], DUR, |_, a, _| of_duration(
            args::long(a, 0)?,
            Unit::Days
        )),
    ),
    (
        Class::Duration,
        m!("ofHours", [P::Long], DUR, |_, a, _| of_duration(
            args::long(a, 0)?,
            Unit::Hours
        )),
    ),
    (
        Class::Duration,
        m!("ofMinutes", [P::Long], DUR, |_, a, _| of_duration(
            args::long(a, 0)?,
            Unit::Minutes
        )),
    ),
    (
        Class::Duration,
        m!("ofSeconds", [P::Long], DUR, |_, a, _| of_duration(
            args::long(a, 0)?,
            Unit::Seconds
        )),
    ),
    (
        Class::Duration,
        m!("ofSeconds", [P::Long, P::Long], DUR, |_, a, _| {
            dur_value(i128::from(args::long(a, 0)?) * 1_000_000_000 + i128::from(args::long(a, 1)?))
        }),
    ),
    (
        Class::Duration,
        m!("ofMillis", [P::Long], DUR, |_, a, _| of_duration(
            args::long(a, 0)?,
            Unit::Millis
        )),
    ),
    (
        Class::Duration,
        m!("ofNanos", [P::Long], DUR, |_, a, _| of_duration(
            args::long(a, 0)?,
            Unit::Nanos
        )),
    ),
    (
        Class::Duration,
        m!(
            "between",
            [P::Class(Class::Temporal), P::Class(Class::Temporal)],
            DUR,
            |_, a, _| {
                ov(Obj::Duration(d::duration_between(
                    arg_obj(a, 0)?,
                    arg_obj(a, 1)?,
                )?))
            }
        ),
    ),
    (
        Class::Duration,
        m!("parse", [P::Str], DUR, |_, a, _| {
            let s = args::str(a, 0)?;
            ov(Obj::Duration(parse_duration(s).ok_or_else(|| {
                format!("Text cannot be parsed to a Duration: {s}")
            })?))
        }),
    ),
    (
        Class::Duration,
        m!("ZERO", [], DUR, |_, _, _| ov(Obj::Duration(
            TimeDelta::zero()
        ))),
    ),
    (
        Class::Period,
        m!("of", [P::Int, P::Int, P::Int], PER, |_, a, _| per_value(
            args::long(a, 0)?,
            args::long(a, 1)?,
            args::long(a, 2)?
        )),
    ),
    (
        Class::Period,
        m!("ofYears", [P::Int], PER, |_, a, _| per_value(
            args::long(a, 0)?,
            0,
            0
        )),
    ),
    (
        Class::Period,
        m!("ofMonths", [P::Int], PER, |_, a, _| per_value(
            0,
            args::long(a, 0)?,
            0
        )),
    ),
    (
        Class::Period,
        m!("ofWeeks", [P::Int], PER, |_, a, _| per_value(
            0,
            0,
            args::long(a, 0)?.checked_mul(7).ok_or_else(overflow)?
        )),
    ),
    (
        Class::Period,
        m!("ofDays", [P::Int], PER, |_, a, _| per_value(
            0,
            0,
            args::long(a, 0)?
        )),
    ),
    (
        Class::Period,
        m!("between", [LD, LD], PER, |_, a, _| ov(Obj::Period(
            d::period_between(arg_local_date(a, 0)?, arg_local_date(a, 1)?)
        ))),
    ),
    (
        Class::Period,
        m!("parse", [P::Str], PER, |_, a, _| {
            let s = args::str(a, 0)?;
            ov(Obj::Period(parse_period(s).ok_or_else(|| {
                format!("Text cannot be parsed to a Period: {s}")
            })?))
        }),
    ),
    (
        Class::Period,
        m!("ZERO", [], PER, |_, _, _| per_value(0, 0, 0)),
    ),
    (
        Class::ZoneId,
        m!("of", [P::Str], ZID, |_, a, _| {
            let s = args::str(a, 0)?;
            ov(Obj::ZoneId(
                d::parse_zone_id(s).ok_or_else(|| format!("Unknown time-zone ID: {s}"))?,
            ))
        }),
    ),
    (
        Class::ZoneId,
        m!("systemDefault", [], ZID, |_, _, e| ov(Obj::ZoneId(e.zone))),
    ),
    (
        Class::ZoneOffset,
        m!("of", [P::Str], ZOFF, |_, a, _| {
            let s = args::str(a, 0)?;
            ov(Obj::ZoneOffset(d::parse_zone_offset(s).ok_or_else(
                || format!("Invalid ID for ZoneOffset, invalid format: {s}"),
            )?))
        }),
    ),
    (
        Class::ZoneOffset,
        m!("ofHours", [P::Int], ZOFF, |_, a, _| {
            let h = args::long(a, 0)?;
            if !(-18..=18).contains(&h) {
                return Err(format!(
                    "Zone offset hours not in valid range: value {h} is not in the range -18 to 18"
                ));
            }
            ov(Obj::ZoneOffset(
                FixedOffset::east_opt(h as i32 * 3600).ok_or_else(invalid_dt)?,
            ))
        }),
    ),
    (
        Class::ZoneOffset,
        m!("ofTotalSeconds", [P::Int], ZOFF, |_, a, _| {
            let s = args::long(a, 0)?;
            if !(-64_800..=64_800).contains(&s) {
                return Err("Zone offset not in valid range: -18:00 to +18:00".into());
            }
            ov(Obj::ZoneOffset(
                FixedOffset::east_opt(s as i32).ok_or_else(invalid_dt)?,
            ))
        }),
    ),
    (
        Class::ZoneOffset,
        m!("UTC", [], ZOFF, |_, _, _| ov(Obj::ZoneOffset(
            zero_offset()?
        ))),
    ),
    (
        Class::DayOfWeek,
        m!("of", [P::Int], DOW, |_, a, _| {
            let v = args::long(a, 0)?;
            if !(1..=7).contains(&v) {
                return Err(format!("Invalid value for DayOfWeek: {v}"));
            }
            dow_const(v as u8 - 1)
        }),
    ),
    (
        Class::DayOfWeek,
        m!("valueOf", [P::Str], DOW, |_, a, _| {
            let s = args::str(a, 0)?;
            d::parse_enum(s, Class::DayOfWeek)
                .ok_or_else(|| format!("No enum constant java.time.DayOfWeek.{s}"))
        }),
    ),
    (
        Class::DayOfWeek,
        m!("MONDAY", [], DOW, |_, _, _| dow_const(0)),
    ),
    (
        Class::DayOfWeek,
        m!("TUESDAY", [], DOW, |_, _, _| dow_const(1)),
    ),
    (
        Class::DayOfWeek,
        m!("WEDNESDAY", [], DOW, |_, _, _| dow_const(2)),
    ),
    (
        Class::DayOfWeek,
        m!("THURSDAY", [], DOW, |_, _, _| dow_const(3)),
    ),
    (
        Class::DayOfWeek,
        m!("FRIDAY", [], DOW, |_, _, _| dow_const(4)),
    ),
    (
        Class::DayOfWeek,
        m!("SATURDAY", [], DOW, |_, _, _| dow_const(5)),
    ),
    (
        Class::DayOfWeek,
        m!("SUNDAY", [], DOW, |_, _, _| dow_const(6)),
    ),
    (
        Class::Month,
        m!("of", [P::Int], MON, |_, a, _| {
            let v = args::long(a, 0)?;
            if !(1..=12).contains(&v) {
                return Err(format!("Invalid value for MonthOfYear: {v}"));
            }
            ov(Obj::Month(v as u8))
        }),
    ),
    (
        Class::Month,
        m!("valueOf", [P::Str], MON, |_, a, _| {
            let s = args::str(a, 0)?;
            d::parse_enum(s, Class::Month)
                .ok_or_else(|| format!("No enum constant java.time.Month.{s}"))
        }),
    ),
    (
        Class::Month,
        m!("JANUARY", [], MON, |_, _, _| ov(Obj::Month(1))),
    ),
    (
        Class::Month,
        m!("FEBRUARY", [], MON, |_, _, _| ov(Obj::Month(2))),
    ),
    (
        Class::Month,
        m!("MARCH", [], MON, |_, _, _| ov(Obj::Month(3))),
    ),
    (
        Class::Month,
        m!("APRIL", [], MON, |_, _, _| ov(Obj::Month(4))),
    ),
    (
        Class::Month,
        m!("MAY", [], MON, |_, _, _| ov(Obj::Month(5))),
    ),
    (
        Class::Month,
        m!("JUNE", [], MON, |_, _, _| ov(Obj::Month(6))),
    ),
    (
        Class::Month,
        m!("JULY", [], MON, |_, _, _| ov(Obj::Month(7))),
    ),
    (
        Class::Month,
        m!("AUGUST", [], MON, |_, _, _| ov(Obj::Month(8))),
    ),
    (
        Class::Month,
        m!("SEPTEMBER", [], MON, |_, _, _| ov(Obj::Month(9))),
    ),
    (
        Class::Month,
        m!("OCTOBER", [], MON, |_, _, _| ov(Obj::Month(10))),
    ),
    (
        Class::Month,
        m!("NOVEMBER", [], MON, |_, _, _| ov(Obj::Month(11))),
    ),
    (
        Class::Month,
        m!("DECEMBER", [], MON, |_, _, _| ov(Obj::Month(12))),
    ),
    (
        Class::DateTimeFormatter,
        m!("ofPattern", [P::Str], FMT, |_, a, e| {
            ov(Obj::Formatter(Formatter::new(
                args::str(a, 0)?,
                &e.locale,
                false,
            )?))
        }),
    ),
    (
        Class::DateTimeFormatter,
        m!(
            "ofPattern",
            [P::Str, P::Class(Class::Locale)],
            FMT,
            |_, a, _| match arg_obj(a, 1)? {
                Obj::Locale(l) => ov(Obj::Formatter(Formatter::new(args::str(a, 0)?, l, false)?)),
                o => Err(format!("expected a Locale, got {}", o.class_name())),
            }
        ),
    ),
];

#[cfg(test)]
mod tests {
    use crate::helpers::date::tests::s;

    #[test]
    fn local_date_members() {
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-01').plusDays(31).dayOfWeek"),
            "SATURDAY"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-31').plusMonths(1)"),
            "2020-02-29"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-31').lengthOfMonth"),
            "31"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-31').leapYear"),
            "true"
        );
        assert_eq!(s("#DATE_FORMAT.parseLocalDate('2020-01-31').compareTo(#DATE_FORMAT.parseLocalDate('2020-03-01'))"), "-2");
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-31').atTime(10, 30)"),
            "2020-01-31T10:30:00"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-31').isAfter('2020-01-30')"),
            "true"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-31').toEpochDay"),
            "18292"
        );
        assert_eq!(s("'2020-01-01'.to('LocalDate').plusDays(1)"), "2020-01-02");
    }

    #[test]
    fn time_and_offset_members() {
        assert_eq!(
            s("#DATE_FORMAT.parseLocalTime('23:30').plusHours(2)"),
            "01:30:00"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalTime('23:30').toSecondOfDay"),
            "84600"
        );
        assert_eq!(s("#DATE_FORMAT.parseOffsetDateTime('2020-01-01T11:12:13+01:00').withOffsetSameInstant('Z')"), "2020-01-01T10:12:13Z");
        assert_eq!(
            s("#DATE_FORMAT.parseOffsetDateTime('2020-01-01T11:12:13+01:00').offset"),
            "+01:00"
        );
        assert_eq!(
            s("#DATE.now.atOffset(#DATE.UTCOffset)"),
            "2020-01-01T00:00:00Z"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseZonedDateTime('2020-01-01T11:12:13+01:00[Europe/Warsaw]').withZoneSameInstant('UTC')"),
            "2020-01-01T10:12:13Z[UTC]"
        );
        assert_eq!(
            s("#DATE.now.minus(#DATE.durationBetween(#DATE.now, #DATE.now.plusSeconds(60)))"),
            "2019-12-31T23:59:00Z"
        );
        assert_eq!(
            s("#DATE.durationBetween(#DATE.now, #DATE.now.plusSeconds(3723)).toMinutesPart"),
            "2"
        );
        assert_eq!(s("#DATE.FEBRUARY.length(true)"), "29");
        assert!(s("#DATE.now.plusMonths(1)").starts_with("ERR compile"));
    }

    fn call_static(class: crate::types::Class, name: &str, args: &[crate::value::Value]) -> String {
        let env = crate::helpers::date::tests::env();
        super::STATIC_METHODS
            .iter()
            .filter(|(c, m)| *c == class && m.name == name && m.arity_ok(args.len()))
            .find_map(|(_, m)| (m.call)(&crate::value::Value::Null, args, &env).ok())
            .map(|v| v.to_java_string())
            .unwrap_or_else(|| "ERR".into())
    }

    #[test]
    fn statics() {
        use crate::types::Class;
        use crate::value::Value;
        assert_eq!(
            call_static(
                Class::LocalDate,
                "of",
                &[Value::Int(2020), Value::Int(2), Value::Int(29)]
            ),
            "2020-02-29"
        );
        assert_eq!(
            call_static(
                Class::LocalDate,
                "of",
                &[Value::Int(2021), Value::Int(2), Value::Int(29)]
            ),
            "ERR"
        );
        assert_eq!(
            call_static(Class::Duration, "parse", &[Value::str("PT1H30M")]),
            "PT1H30M"
        );
        assert_eq!(
            call_static(Class::Duration, "parse", &[Value::str("P2DT-0.5S")]),
            "PT47H59M59.5S"
        );
        assert_eq!(
            call_static(Class::Duration, "ofMillis", &[Value::Long(-1500)]),
            "PT-1.5S"
        );
        assert_eq!(
            call_static(Class::Period, "parse", &[Value::str("P1Y2M3W4D")]),
            "P1Y2M25D"
        );
        assert_eq!(
            call_static(Class::LocalDateTime, "now", &[]),
            "2020-01-01T00:00"
        );
        assert_eq!(
            call_static(Class::ZoneId, "of", &[Value::str("Europe/Warsaw")]),
            "Europe/Warsaw"
        );
    }
}
