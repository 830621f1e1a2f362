//! Static members of `Duration`, `Period`, `DayOfWeek`, `Month`, `ZoneId`, `ZoneOffset` and
//! `DateTimeFormatter` reachable through `T(...)`.

use super::statics::*;
use super::*;

/// Statics of the amounts, enums, zones and formatters.
pub(super) static OTHER: &[(Class, MethodDef)] = &[
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
                )
                .into());
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
                return Err(format!("Invalid value for DayOfWeek: {v}").into());
            }
            dow_const(v as u8 - 1)
        }),
    ),
    (
        Class::DayOfWeek,
        m!("valueOf", [P::Str], DOW, |_, a, _| {
            let s = args::str(a, 0)?;
            Ok(d::parse_enum(s, Class::DayOfWeek)
                .ok_or_else(|| format!("No enum constant java.time.DayOfWeek.{s}"))?)
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
                return Err(format!("Invalid value for MonthOfYear: {v}").into());
            }
            ov(Obj::Month(v as u8))
        }),
    ),
    (
        Class::Month,
        m!("valueOf", [P::Str], MON, |_, a, _| {
            let s = args::str(a, 0)?;
            Ok(d::parse_enum(s, Class::Month)
                .ok_or_else(|| format!("No enum constant java.time.Month.{s}"))?)
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
                o => Err(format!("expected a Locale, got {}", o.class_name()).into()),
            }
        ),
    ),
];
