//! Static members of the java.time classes reachable through `T(...)`
//! (`T(java.time.LocalDate).of(2020, 1, 1)`), chained into `methods::static_lookup`.

use super::*;

pub(super) fn parse_text(a: &[Value], target: Target) -> R {
    Ok(parse_iso(args::str(a, 0)?, target).map(Value::obj)?)
}

pub(super) fn of_duration(n: i64, u: Unit) -> R {
    ov(Obj::Duration(delta(n, u)?))
}

pub(super) fn dow_const(i: u8) -> R {
    ov(Obj::DayOfWeek(
        Weekday::try_from(i).map_err(|e| e.to_string())?,
    ))
}

pub(super) fn zero_offset() -> Result<FixedOffset, String> {
    FixedOffset::east_opt(0).ok_or_else(|| "invalid offset".to_string())
}

/// Statics of the date-time classes (`LocalDate` to `ZonedDateTime`).
pub(super) static DATE_TIME: &[(Class, MethodDef)] = &[
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
                o => return Err(format!("expected a Month, got {}", o.class_name()).into()),
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
            o => Err(format!("expected a DateTimeFormatter, got {}", o.class_name()).into()),
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
                return Err(range_err("SecondOfDay", 0, "86399", s).into());
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
                o => Err(format!("expected a DateTimeFormatter, got {}", o.class_name()).into()),
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
            ov(Obj::OffsetDateTime(d::at_offset(l, arg_offset(a, 1)?)?))
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
];
