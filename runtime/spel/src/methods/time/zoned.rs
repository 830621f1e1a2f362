//! Tables of the classes on the time line: `Instant`, `OffsetDateTime`,
//! `ChronoZonedDateTime`, `ZonedDateTime`.

use super::*;

pub(super) static INSTANT: &[MethodDef] = table!(INST; [Nanos, Millis, Seconds]; [
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

pub(super) fn zoned_with_zone_same_instant(z: &ZonedDateTime, zone: ZoneId) -> ZonedDateTime {
    zdt_of_instant(z.dt.with_timezone(&Utc), zone)
}

pub(super) static OFFSET_DATE_TIME: &[MethodDef] = table!(ODT; [Nanos, Seconds, Minutes, Hours, Days, Weeks, Months, Years]; [
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
        ov(Obj::OffsetDateTime(d::at_offset(l, arg_offset(a, 0)?)?))
    }),
    m!("isAfter", [ODT], P::Bool, |r, a, _| Ok(Value::Bool(timeline(r, a)?.is_gt()))),
    m!("isBefore", [ODT], P::Bool, |r, a, _| Ok(Value::Bool(timeline(r, a)?.is_lt()))),
    m!("isEqual", [ODT], P::Bool, |r, a, _| Ok(Value::Bool(timeline(r, a)?.is_eq()))),
    m!("compareTo", [ODT], P::Int, |r, a, _| cmp_call(r, a)),
    m!("format", [FMT], P::Str, |r, a, _| fmt_call(r, a)),
]);

pub(super) static CHRONO_ZONED_DATE_TIME: &[MethodDef] = &[
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

pub(super) static ZONED_DATE_TIME: &[MethodDef] = table!(ZDT; [Nanos, Seconds, Minutes, Hours, Days, Weeks, Months, Years]; [
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
