//! `#DATE` helper (spel.md §13.5), and the argument extractors the java.time method tables
//! share. The java.time machinery itself is in `crate::time`.

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc, Weekday,
};

use crate::eval::EvalEnv;
use crate::methods::{args, MethodDef, P};
use crate::time::*;
use crate::types::{Class, Type};
use crate::value::{Obj, Period, Value, ZoneId, ZonedDateTime};
use crate::{m, mf};

type R = Result<Value, crate::methods::MethodError>;

// ---------------------------------------------------------------------------------------------
// Value access
// ---------------------------------------------------------------------------------------------

pub(crate) fn obj_of(v: &Value) -> Result<&Obj, String> {
    match v {
        Value::Obj(o) => Ok(o),
        Value::Null => Err("Cannot invoke a method on a null value".into()),
        other => Err(format!(
            "expected a java.time value, got {}",
            other.class_name()
        )),
    }
}

pub(crate) fn arg_obj(a: &[Value], i: usize) -> Result<&Obj, String> {
    match args::get(a, i)? {
        Value::Null => Err(format!("argument {} is null", i + 1)),
        v => obj_of(v),
    }
}

pub(crate) fn arg_zone(a: &[Value], i: usize) -> Result<ZoneId, String> {
    match arg_obj(a, i)? {
        Obj::ZoneId(z) => Ok(*z),
        Obj::ZoneOffset(o) => Ok(ZoneId::Offset(*o)),
        o => Err(format!("expected a ZoneId, got {}", o.class_name())),
    }
}

pub(crate) fn arg_offset(a: &[Value], i: usize) -> Result<FixedOffset, String> {
    match arg_obj(a, i)? {
        Obj::ZoneOffset(o) | Obj::ZoneId(ZoneId::Offset(o)) => Ok(*o),
        o => Err(format!("expected a ZoneOffset, got {}", o.class_name())),
    }
}

macro_rules! extractor {
    ($name:ident, $arg:ident, $variant:ident, $t:ty, $label:literal) => {
        #[allow(dead_code)]
        pub(crate) fn $name(v: &Value) -> Result<$t, String> {
            match obj_of(v)? {
                Obj::$variant(x) => Ok(x.clone()),
                o => Err(format!(
                    concat!("expected a ", $label, ", got {}"),
                    o.class_name()
                )),
            }
        }
        #[allow(dead_code)]
        pub(crate) fn $arg(a: &[Value], i: usize) -> Result<$t, String> {
            match args::get(a, i)? {
                Value::Null => Err(format!("argument {} is null", i + 1)),
                v => $name(v),
            }
        }
    };
}

extractor!(
    as_local_date,
    arg_local_date,
    LocalDate,
    NaiveDate,
    "LocalDate"
);
extractor!(
    as_local_time,
    arg_local_time,
    LocalTime,
    NaiveTime,
    "LocalTime"
);
extractor!(
    as_local_date_time,
    arg_local_date_time,
    LocalDateTime,
    NaiveDateTime,
    "LocalDateTime"
);
extractor!(as_instant, arg_instant, Instant, DateTime<Utc>, "Instant");
extractor!(
    as_offset_date_time,
    arg_offset_date_time,
    OffsetDateTime,
    DateTime<FixedOffset>,
    "OffsetDateTime"
);
extractor!(
    as_zoned,
    arg_zoned,
    ZonedDateTime,
    ZonedDateTime,
    "ZonedDateTime"
);
extractor!(as_duration, arg_duration, Duration, TimeDelta, "Duration");
extractor!(as_period, arg_period, Period, Period, "Period");
extractor!(
    as_day_of_week,
    arg_day_of_week,
    DayOfWeek,
    Weekday,
    "DayOfWeek"
);
extractor!(as_month, arg_month, Month, u8, "Month");

pub(crate) fn ov(o: Obj) -> R {
    Ok(Value::obj(o))
}

// ---------------------------------------------------------------------------------------------
// #DATE
// ---------------------------------------------------------------------------------------------

fn now_zoned(env: &EvalEnv, zone: ZoneId) -> ZonedDateTime {
    zdt_of_instant(env.now(), zone)
}

fn is_between<T: PartialOrd>(v: T, from: T, to: T, wrap: bool) -> bool {
    if wrap && from > to {
        v >= from || v <= to
    } else {
        v >= from && v <= to
    }
}

fn between_call(a: &[Value], wrap: bool) -> R {
    let (x, y, z) = (arg_obj(a, 0)?, arg_obj(a, 1)?, arg_obj(a, 2)?);
    let ok = match (x, y, z) {
        (Obj::LocalTime(v), Obj::LocalTime(f), Obj::LocalTime(t)) => is_between(v, f, t, wrap),
        (Obj::DayOfWeek(v), Obj::DayOfWeek(f), Obj::DayOfWeek(t)) => is_between(
            v.num_days_from_monday(),
            f.num_days_from_monday(),
            t.num_days_from_monday(),
            wrap,
        ),
        (Obj::Month(v), Obj::Month(f), Obj::Month(t)) => is_between(v, f, t, wrap),
        (Obj::LocalDate(v), Obj::LocalDate(f), Obj::LocalDate(t)) => is_between(v, f, t, false),
        (Obj::LocalDateTime(v), Obj::LocalDateTime(f), Obj::LocalDateTime(t)) => {
            is_between(v, f, t, false)
        }
        _ => return Err("isBetween: arguments of different classes".into()),
    };
    Ok(Value::Bool(ok))
}

fn t_zone_id(_: &Type, _: &[Type]) -> Result<Type, crate::methods::MethodError> {
    Ok(Type::class(Class::ZoneId))
}

const DOW: P = P::Class(Class::DayOfWeek);
const MON: P = P::Class(Class::Month);
const LT: P = P::Class(Class::LocalTime);
const LD: P = P::Class(Class::LocalDate);
const LDT: P = P::Class(Class::LocalDateTime);
const ZDT: P = P::Class(Class::ZonedDateTime);
const ODT: P = P::Class(Class::OffsetDateTime);
const ZID: P = P::Class(Class::ZoneId);
const ZOFF: P = P::Class(Class::ZoneOffset);
const TEMPORAL: P = P::Class(Class::Temporal);

fn dow(i: u8) -> R {
    ov(Obj::DayOfWeek(
        Weekday::try_from(i).map_err(|e| e.to_string())?,
    ))
}

pub static METHODS: &[MethodDef] = &[
    m!("now", [], P::Class(Class::Instant), |_, _, env| ov(
        Obj::Instant(env.now())
    )),
    m!("nowAtZone", [ZID], ZDT, |_, a, env| Ok(Value::obj(
        Obj::ZonedDateTime(now_zoned(env, arg_zone(a, 0)?))
    ))),
    m!("nowAtOffset", [ZOFF], ODT, |_, a, env| ov(
        Obj::OffsetDateTime(env.now().with_timezone(&arg_offset(a, 0)?))
    )),
    m!("nowAtDefaultTimeZone", [], ZDT, |_, _, env| ov(
        Obj::ZonedDateTime(now_zoned(env, env.zone))
    )),
    m!("zone", [P::Str], ZID, |_, a, _| {
        let s = args::str(a, 0)?;
        ov(Obj::ZoneId(parse_zone_id(s).ok_or_else(|| {
            format!("Invalid ID for region-based ZoneId: {s}")
        })?))
    }),
    m!("zoneOffset", [P::Str], ZOFF, |_, a, _| {
        let s = args::str(a, 0)?;
        ov(Obj::ZoneOffset(parse_zone_offset(s).ok_or_else(|| {
            format!("Invalid ID for ZoneOffset, invalid format: {s}")
        })?))
    }),
    m!("toEpochMilli", [ZDT], P::Long, |_, a, _| Ok(Value::Long(
        arg_zoned(a, 0)?.dt.timestamp_millis()
    ))),
    m!("toEpochMilli", [ODT], P::Long, |_, a, _| Ok(Value::Long(
        arg_offset_date_time(a, 0)?.timestamp_millis()
    ))),
    m!("toEpochMilli", [LDT, ZID], P::Long, |_, a, _| {
        let z = zdt_of_local(arg_local_date_time(a, 0)?, arg_zone(a, 1)?, None)?;
        Ok(Value::Long(z.dt.timestamp_millis()))
    }),
    m!("toEpochMilli", [LDT, ZOFF], P::Long, |_, a, _| {
        let o = arg_offset(a, 1)?;
        let dt = o
            .from_local_datetime(&arg_local_date_time(a, 0)?)
            .single()
            .ok_or("invalid date-time")?;
        Ok(Value::Long(dt.timestamp_millis()))
    }),
    m!(
        "toInstant",
        [P::Long],
        P::Class(Class::Instant),
        |_, a, _| {
            let ms = args::long(a, 0)?;
            ov(Obj::Instant(
                DateTime::<Utc>::from_timestamp_millis(ms)
                    .ok_or("Instant exceeds minimum or maximum instant")?,
            ))
        }
    ),
    m!(
        "toInstantAtDefaultTimeZone",
        [LDT],
        P::Class(Class::Instant),
        |_, a, env| {
            let z = zdt_of_local(arg_local_date_time(a, 0)?, env.zone, None)?;
            ov(Obj::Instant(z.dt.with_timezone(&Utc)))
        }
    ),
    m!("localDateTime", [LD, LT], LDT, |_, a, _| ov(
        Obj::LocalDateTime(arg_local_date(a, 0)?.and_time(arg_local_time(a, 1)?))
    )),
    mf!("zuluTimeZone", [], t_zone_id, |_, _, _| ov(Obj::ZoneId(
        ZoneId::Offset(FixedOffset::east_opt(0).ok_or("offset")?)
    ))),
    m!("UTCOffset", [], ZOFF, |_, _, _| ov(Obj::ZoneOffset(
        FixedOffset::east_opt(0).ok_or("offset")?
    ))),
    mf!("defaultTimeZone", [], t_zone_id, |_, _, env| ov(
        Obj::ZoneId(env.zone)
    )),
    m!("MONDAY", [], DOW, |_, _, _| dow(0)),
    m!("TUESDAY", [], DOW, |_, _, _| dow(1)),
    m!("WEDNESDAY", [], DOW, |_, _, _| dow(2)),
    m!("THURSDAY", [], DOW, |_, _, _| dow(3)),
    m!("FRIDAY", [], DOW, |_, _, _| dow(4)),
    m!("SATURDAY", [], DOW, |_, _, _| dow(5)),
    m!("SUNDAY", [], DOW, |_, _, _| dow(6)),
    m!("JANUARY", [], MON, |_, _, _| ov(Obj::Month(1))),
    m!("FEBRUARY", [], MON, |_, _, _| ov(Obj::Month(2))),
    m!("MARCH", [], MON, |_, _, _| ov(Obj::Month(3))),
    m!("APRIL", [], MON, |_, _, _| ov(Obj::Month(4))),
    m!("MAY", [], MON, |_, _, _| ov(Obj::Month(5))),
    m!("JUNE", [], MON, |_, _, _| ov(Obj::Month(6))),
    m!("JULY", [], MON, |_, _, _| ov(Obj::Month(7))),
    m!("AUGUST", [], MON, |_, _, _| ov(Obj::Month(8))),
    m!("SEPTEMBER", [], MON, |_, _, _| ov(Obj::Month(9))),
    m!("OCTOBER", [], MON, |_, _, _| ov(Obj::Month(10))),
    m!("NOVEMBER", [], MON, |_, _, _| ov(Obj::Month(11))),
    m!("DECEMBER", [], MON, |_, _, _| ov(Obj::Month(12))),
    m!(
        "periodBetween",
        [LD, LD],
        P::Class(Class::Period),
        |_, a, _| {
            ov(Obj::Period(period_between(
                arg_local_date(a, 0)?,
                arg_local_date(a, 1)?,
            )))
        }
    ),
    m!(
        "periodBetween",
        [ZDT, ZDT],
        P::Class(Class::Period),
        |_, a, _| {
            ov(Obj::Period(period_between(
                arg_zoned(a, 0)?.dt.naive_local().date(),
                arg_zoned(a, 1)?.dt.naive_local().date(),
            )))
        }
    ),
    m!(
        "periodBetween",
        [ODT, ODT],
        P::Class(Class::Period),
        |_, a, _| {
            ov(Obj::Period(period_between(
                arg_offset_date_time(a, 0)?.naive_local().date(),
                arg_offset_date_time(a, 1)?.naive_local().date(),
            )))
        }
    ),
    m!(
        "durationBetween",
        [TEMPORAL, TEMPORAL],
        P::Class(Class::Duration),
        |_, a, _| {
            ov(Obj::Duration(duration_between(
                arg_obj(a, 0)?,
                arg_obj(a, 1)?,
            )?))
        }
    ),
    m!("isBetween", [LT, LT, LT], P::Bool, |_, a, _| between_call(
        a, true
    )),
    m!("isBetween", [DOW, DOW, DOW], P::Bool, |_, a, _| {
        between_call(a, true)
    }),
    m!("isBetween", [MON, MON, MON], P::Bool, |_, a, _| {
        between_call(a, true)
    }),
    m!("isBetween", [LD, LD, LD], P::Bool, |_, a, _| between_call(
        a, false
    )),
    m!("isBetween", [LDT, LDT, LDT], P::Bool, |_, a, _| {
        between_call(a, false)
    }),
];

#[cfg(test)]
pub(crate) mod tests {
    use crate::{compile, CompileOptions, EvalEnv, Scope, Type, Value};
    use chrono::TimeZone;

    pub(crate) fn env() -> EvalEnv {
        EvalEnv::fixed(
            chrono::Utc
                .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
                .single()
                .expect("valid date"),
        )
    }

    /// Evaluates with the helpers env and optional typed string variables.
    pub(crate) fn run(src: &str, vars: &[(&str, &str, &str)]) -> Result<Value, String> {
        let mut scope = Scope::with_helpers();
        let mut values = Vec::new();
        for (name, ty, text) in vars {
            let t = crate::parse_type(ty).map_err(|e| format!("{e:?}"))?;
            scope.declare(name, t.clone());
            values.push(
                crate::value::from_json_typed(&serde_json::Value::String((*text).to_string()), &t)
                    .map_err(|e| e.to_string())?,
            );
        }
        let e = compile(src, &scope, &CompileOptions::default())
            .map_err(|e| format!("compile: {e:?}"))?;
        e.eval(&values, &env())
            .map_err(|e| format!("runtime: {e:?}"))
    }

    pub(crate) fn s(src: &str) -> String {
        match run(src, &[]) {
            Ok(crate::value::Value::Obj(o)) => o.to_iso_string(),
            Ok(v) => v.to_java_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn now_and_zones() {
        assert_eq!(s("#DATE.now"), "2020-01-01T00:00:00Z");
        assert_eq!(s("#DATE.nowAtZone('Z')"), "2020-01-01T00:00:00Z");
        assert_eq!(
            s("#DATE.nowAtZone('Europe/Warsaw')"),
            "2020-01-01T01:00:00+01:00[Europe/Warsaw]"
        );
        assert_eq!(
            s("#DATE.nowAtOffset('+02:00')"),
            "2020-01-01T02:00:00+02:00"
        );
        assert_eq!(s("#DATE.nowAtDefaultTimeZone"), "2020-01-01T00:00:00Z");
        assert_eq!(s("#DATE.zone('Europe/Warsaw').id"), "Europe/Warsaw");
        assert_eq!(s("#DATE.zoneOffset('+01:00').totalSeconds"), "3600");
        assert_eq!(s("#DATE.UTCOffset"), "Z");
        assert!(s("#DATE.zone('Mars/Phobos')").starts_with("ERR runtime"));
    }

    #[test]
    fn epoch_and_between() {
        assert_eq!(s("#DATE.toInstant(1609459200000L)"), "2021-01-01T00:00:00Z");
        assert_eq!(s("#DATE.now.toEpochMilli"), "1577836800000");
        assert_eq!(s("#DATE.toEpochMilli(#DATE_FORMAT.parseLocalDateTime('2020-01-01T00:00:00'), 'Europe/Warsaw')"), "1577833200000");
        assert_eq!(
            s("#DATE.periodBetween(#DATE_FORMAT.parseLocalDate('2020-01-31'), #DATE_FORMAT.parseLocalDate('2020-03-01'))"),
            "P1M1D"
        );
        assert_eq!(
            s("#DATE.durationBetween(#DATE.now, #DATE.now.plusSeconds(31536000)).toDays"),
            "365"
        );
        assert_eq!(
            s("#DATE.durationBetween(#DATE.now, #DATE.now.minusMillis(1500))"),
            "PT-1.5S"
        );
        assert_eq!(
            s("#DATE.isBetween(#DATE.MONDAY, #DATE.SATURDAY, #DATE.SUNDAY)"),
            "false"
        );
        assert_eq!(
            s("#DATE.isBetween(#DATE.DECEMBER, #DATE.NOVEMBER, #DATE.JANUARY)"),
            "true"
        );
        let v = run(
            "#DATE.isBetween(#t, '17:00', '09:00')",
            &[("t", "LocalTime", "09:00")],
        );
        assert_eq!(v, Ok(Value::Bool(true)));
        let v = run(
            "#DATE.isBetween(#t, '17:00', '09:00')",
            &[("t", "LocalTime", "10:00")],
        );
        assert_eq!(v, Ok(Value::Bool(false)));
    }

    #[test]
    fn iso_strings() {
        assert_eq!(s("#DATE_FORMAT.parseLocalTime('10:15')"), "10:15:00");
        assert_eq!(s("#DATE_FORMAT.parseLocalTime('10:15').toString"), "10:15");
        assert_eq!(
            s("#DATE_FORMAT.parseLocalTime('10:15:30.120').toString()"),
            "10:15:30.120"
        );
        assert_eq!(
            s("#DATE_FORMAT.format(#DATE_FORMAT.parseLocalTime('10:15:30.120'))"),
            "10:15:30.12"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseInstant('2020-01-01T11:12:13.123Z')"),
            "2020-01-01T11:12:13.123Z"
        );
        assert_eq!(
            s("#DATE.durationBetween(#DATE.now, #DATE.now.plusSeconds(3600*24*365))"),
            "PT8760H"
        );
        assert_eq!(s("#DATE.MONDAY"), "MONDAY");
        assert_eq!(s("#DATE.JANUARY.minus(1)"), "DECEMBER");
        assert!(s("#DATE_FORMAT.parseLocalDate('2020-13-01')").starts_with("ERR runtime"));
        assert_eq!(
            super::parse_local_date("+12345-01-01")
                .map(|d| super::obj_to_iso_string(&super::Obj::LocalDate(d))),
            Some("+12345-01-01".into())
        );
    }

    #[test]
    fn zoned_arithmetic_across_dst() {
        assert_eq!(
            s("#DATE_FORMAT.parseZonedDateTime('2020-03-29T01:30:00+01:00[Europe/Warsaw]').plusHours(1)"),
            "2020-03-29T03:30:00+02:00[Europe/Warsaw]"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseZonedDateTime('2020-03-28T02:30:00+01:00[Europe/Warsaw]').plusDays(1)"),
            "2020-03-29T03:30:00+02:00[Europe/Warsaw]"
        );
        let v = run(
            "#z.dayOfWeek == #DATE.MONDAY",
            &[("z", "ZonedDateTime", "2021-10-11T00:00:00Z")],
        );
        assert_eq!(v, Ok(Value::Bool(true)));
        let _ = Type::Unknown;
    }
}
