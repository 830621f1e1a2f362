//! Tables of the local date-time classes and the interfaces they share:
//! `TemporalAccessor`, `TemporalAmount`, `ChronoLocalDate`, `LocalDate`, `LocalTime`,
//! `ChronoLocalDateTime`, `LocalDateTime`.

use super::*;

/// Members of every TemporalAccessor (all java.time values, DayOfWeek, Month).
pub(super) static TEMPORAL_ACCESSOR: &[MethodDef] = &[
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        d::obj_to_java_string(recv(r)?)
    ))),
    m!("equals", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        java_equals(recv(r)?, args::get(a, 0)?)
    ))),
];

pub(super) static TEMPORAL_AMOUNT: &[MethodDef] = &[
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        d::obj_to_java_string(recv(r)?)
    ))),
    m!("equals", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        java_equals(recv(r)?, args::get(a, 0)?)
    ))),
];

pub(super) static CHRONO_LOCAL_DATE: &[MethodDef] = &[
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

pub(super) static LOCAL_DATE: &[MethodDef] = table!(LD; [Days, Weeks, Months, Years]; [
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

pub(super) static LOCAL_TIME: &[MethodDef] = table!(LT; [Nanos, Seconds, Minutes, Hours]; [
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

pub(super) static CHRONO_LOCAL_DATE_TIME: &[MethodDef] = &[
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

pub(super) static LOCAL_DATE_TIME: &[MethodDef] = table!(LDT; [Nanos, Seconds, Minutes, Hours, Days, Weeks, Months, Years]; [
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
