//! `#DATE_FORMAT` helper (spel.md §13.6). The `DateTimeFormatter` it builds is
//! `crate::time::Formatter`.

use super::date;
use crate::eval::EvalEnv;
use crate::m;
use crate::methods::{args, MethodDef, P};
use crate::time::*;
use crate::types::Class;
use crate::value::{Obj, Str, Value};

// The formatter's home moved to the time engine; these paths stay for callers.
pub use crate::time::{parse_iso, Formatter, Target};

type R = Result<Value, crate::methods::MethodError>;

// ---------------------------------------------------------------------------------------------
// #DATE_FORMAT
// ---------------------------------------------------------------------------------------------

fn arg_formatter(a: &[Value], i: usize) -> Result<Formatter, String> {
    match date::arg_obj(a, i)? {
        Obj::Formatter(f) => Ok(f.clone()),
        o => Err(format!(
            "expected a DateTimeFormatter, got {}",
            o.class_name()
        )),
    }
}

fn arg_locale(a: &[Value], i: usize) -> Result<Str, String> {
    match date::arg_obj(a, i)? {
        Obj::Locale(l) => Ok(l.clone()),
        o => Err(format!("expected a Locale, got {}", o.class_name())),
    }
}

fn iso(a: &[Value], t: Target) -> R {
    Ok(parse_iso(args::str(a, 0)?, t).map(Value::obj)?)
}

fn with_pattern(a: &[Value], env: &EvalEnv, t: Target) -> R {
    let f = Formatter::new(args::str(a, 1)?, &env.locale, false)?;
    Ok(f.parse(args::str(a, 0)?, t).map(Value::obj)?)
}

fn with_formatter(a: &[Value], t: Target) -> R {
    Ok(arg_formatter(a, 1)?
        .parse(args::str(a, 0)?, t)
        .map(Value::obj)?)
}

/// `#DATE_FORMAT.format(temporal)`: the ISO formatter of the value's class.
fn iso_format(a: &[Value]) -> R {
    let o = date::arg_obj(a, 0)?;
    match o {
        Obj::LocalDate(_)
        | Obj::LocalTime(_)
        | Obj::LocalDateTime(_)
        | Obj::Instant(_)
        | Obj::OffsetDateTime(_)
        | Obj::ZonedDateTime(_) => Ok(Value::from(obj_to_iso_string(o))),
        other => Err(format!(
            "Unsupported field: {} is not a date-time",
            other.class_name()
        )
        .into()),
    }
}

fn new_formatter(pattern: &str, locale: &str, lenient: bool) -> R {
    Ok(Value::obj(Obj::Formatter(Formatter::new(
        pattern, locale, lenient,
    )?)))
}

const FMT: P = P::Class(Class::DateTimeFormatter);
const LOCALE: P = P::Class(Class::Locale);

pub static METHODS: &[MethodDef] = &[
    m!(
        "parseLocalTime",
        [P::Str],
        P::Class(Class::LocalTime),
        |_, a, _| iso(a, Target::LocalTime)
    ),
    m!(
        "parseLocalTime",
        [P::Str, P::Str],
        P::Class(Class::LocalTime),
        |_, a, e| with_pattern(a, e, Target::LocalTime)
    ),
    m!(
        "parseLocalTime",
        [P::Str, FMT],
        P::Class(Class::LocalTime),
        |_, a, _| with_formatter(a, Target::LocalTime)
    ),
    m!(
        "parseLocalDate",
        [P::Str],
        P::Class(Class::LocalDate),
        |_, a, _| iso(a, Target::LocalDate)
    ),
    m!(
        "parseLocalDate",
        [P::Str, P::Str],
        P::Class(Class::LocalDate),
        |_, a, e| with_pattern(a, e, Target::LocalDate)
    ),
    m!(
        "parseLocalDate",
        [P::Str, FMT],
        P::Class(Class::LocalDate),
        |_, a, _| with_formatter(a, Target::LocalDate)
    ),
    m!(
        "parseLocalDateTime",
        [P::Str],
        P::Class(Class::LocalDateTime),
        |_, a, _| iso(a, Target::LocalDateTime)
    ),
    m!(
        "parseLocalDateTime",
        [P::Str, P::Str],
        P::Class(Class::LocalDateTime),
        |_, a, e| { with_pattern(a, e, Target::LocalDateTime) }
    ),
    m!(
        "parseLocalDateTime",
        [P::Str, FMT],
        P::Class(Class::LocalDateTime),
        |_, a, _| with_formatter(a, Target::LocalDateTime)
    ),
    m!(
        "parseInstant",
        [P::Str],
        P::Class(Class::Instant),
        |_, a, _| iso(a, Target::Instant)
    ),
    m!(
        "parseOffsetDateTime",
        [P::Str],
        P::Class(Class::OffsetDateTime),
        |_, a, _| iso(a, Target::OffsetDateTime)
    ),
    m!(
        "parseOffsetDateTime",
        [P::Str, P::Str],
        P::Class(Class::OffsetDateTime),
        |_, a, e| { with_pattern(a, e, Target::OffsetDateTime) }
    ),
    m!(
        "parseOffsetDateTime",
        [P::Str, FMT],
        P::Class(Class::OffsetDateTime),
        |_, a, _| { with_formatter(a, Target::OffsetDateTime) }
    ),
    m!(
        "parseZonedDateTime",
        [P::Str],
        P::Class(Class::ZonedDateTime),
        |_, a, _| iso(a, Target::ZonedDateTime)
    ),
    m!(
        "parseZonedDateTime",
        [P::Str, P::Str],
        P::Class(Class::ZonedDateTime),
        |_, a, e| { with_pattern(a, e, Target::ZonedDateTime) }
    ),
    m!(
        "parseZonedDateTime",
        [P::Str, FMT],
        P::Class(Class::ZonedDateTime),
        |_, a, _| { with_formatter(a, Target::ZonedDateTime) }
    ),
    m!(
        "format",
        [P::Class(Class::TemporalAccessor)],
        P::Str,
        |_, a, _| iso_format(a)
    ),
    m!("formatter", [P::Str], FMT, |_, a, e| new_formatter(
        args::str(a, 0)?,
        &e.locale,
        false
    )),
    m!("formatter", [P::Str, LOCALE], FMT, |_, a, _| new_formatter(
        args::str(a, 0)?,
        &arg_locale(a, 1)?,
        false
    )),
    m!("lenientFormatter", [P::Str], FMT, |_, a, e| new_formatter(
        args::str(a, 0)?,
        &e.locale,
        true
    )),
    m!("lenientFormatter", [P::Str, LOCALE], FMT, |_, a, _| {
        new_formatter(args::str(a, 0)?, &arg_locale(a, 1)?, true)
    }),
];

/// `DateTimeFormatter.format(temporal)` for the method table of `DateTimeFormatter` and the
/// `format(DateTimeFormatter)` methods of the java.time classes.
pub fn format_with(f: &Formatter, o: &Obj) -> Result<String, String> {
    f.format(o)
}

#[cfg(test)]
mod tests {
    use crate::helpers::date::tests::s;

    #[test]
    fn patterns_format() {
        assert_eq!(
            s("#DATE_FORMAT.formatter('dd.MM.yyyy HH:mm').format(#DATE_FORMAT.parseLocalDateTime('2020-03-04T05:06:07'))"),
            "04.03.2020 05:06"
        );
        assert_eq!(s("#DATE_FORMAT.formatter('EEEE, d MMMM yyyy', 'pl').format(#DATE_FORMAT.parseLocalDate('2021-10-12'))"), "wtorek, 12 października 2021");
        assert_eq!(s("#DATE_FORMAT.formatter('LLLL', 'pl').format(#DATE_FORMAT.parseLocalDate('2021-10-12'))"), "październik");
        assert_eq!(s("#DATE_FORMAT.formatter('EEE MMM d yyyy').format(#DATE_FORMAT.parseLocalDate('2021-10-12'))"), "Tue Oct 12 2021");
        assert_eq!(s("#DATE_FORMAT.formatter('EEEE d MMMM', 'de').format(#DATE_FORMAT.parseLocalDate('2021-03-12'))"), "Freitag 12 März");
        assert_eq!(
            s("#DATE_FORMAT.formatter('h:mm a').format(#DATE_FORMAT.parseLocalTime('13:05'))"),
            "1:05 PM"
        );
        assert_eq!(
            s("#DATE_FORMAT.formatter('yyyy-MM-dd HH:mm:ss.SSS XXX').format(#DATE_FORMAT.parseOffsetDateTime('2021-01-01T01:00:00.5+01:00'))"),
            "2021-01-01 01:00:00.500 +01:00"
        );
        assert_eq!(
            s("#DATE_FORMAT.formatter('yyyy-MM-dd HH:mm z').format(#DATE_FORMAT.parseZonedDateTime('2021-07-01T01:00:00+02:00[Europe/Warsaw]'))"),
            "2021-07-01 01:00 CEST"
        );
        assert_eq!(s("#DATE_FORMAT.formatter(\"yyyy-MM-dd'T'HH:mm:ssZ\").format(#DATE.nowAtDefaultTimeZone)"), "2020-01-01T00:00:00+0000");
        assert_eq!(s("#DATE_FORMAT.formatter('YYYY-ww', 'pl').format(#DATE_FORMAT.parseLocalDate('2021-01-01'))"), "2020-53");
        assert_eq!(s("#DATE_FORMAT.formatter('QQQ yy').format(#DATE_FORMAT.parseLocalDate('2021-08-13'))"), "Q3 21");
        assert!(s(
            "#DATE_FORMAT.formatter('HH').format(#DATE_FORMAT.parseLocalDate('2020-01-01'))"
        )
        .starts_with("ERR runtime"));
        assert!(s("#DATE_FORMAT.formatter('bb')").starts_with("ERR runtime"));
        assert_eq!(
            s("#DATE_FORMAT.formatter('yyyy-MM-dd').toString"),
            "Value(YearOfEra,4,19,EXCEEDS_PAD)'-'Value(MonthOfYear,2)'-'Value(DayOfMonth,2)"
        );
    }

    #[test]
    fn patterns_parse() {
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('12/03/2021', 'dd/MM/yyyy')"),
            "2021-03-12"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('20210312', 'yyyyMMdd')"),
            "2021-03-12"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('12 March 2021', 'dd MMMM yyyy')"),
            "2021-03-12"
        );
        assert_eq!(s("#DATE_FORMAT.parseLocalDate('12 march 2021', #DATE_FORMAT.lenientFormatter('dd MMMM yyyy'))"), "2021-03-12");
        assert_eq!(s("#DATE_FORMAT.parseLocalDate('2021-1-1', #DATE_FORMAT.lenientFormatter('yyyy-MM-dd'))"), "2021-01-01");
        assert!(
            s("#DATE_FORMAT.parseLocalDate('2021-1-1', #DATE_FORMAT.formatter('yyyy-MM-dd'))")
                .starts_with("ERR runtime")
        );
        assert_eq!(
            s("#DATE_FORMAT.parseZonedDateTime('2021-03-12 10:11 Europe/Warsaw', 'yyyy-MM-dd HH:mm VV')"),
            "2021-03-12T10:11:00+01:00[Europe/Warsaw]"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseOffsetDateTime('2021-03-12 10:11 +0200', 'yyyy-MM-dd HH:mm Z')"),
            "2021-03-12T10:11:00+02:00"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2021-02-31', 'yyyy-MM-dd')"),
            "2021-02-28"
        );
        assert!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-01', 'yyyy-MM-dd HH')")
                .starts_with("ERR runtime")
        );
    }

    #[test]
    fn no_panics_on_odd_input() {
        use super::{parse_iso, Formatter, Target};
        use crate::value::Obj;
        let patterns = [
            "yyyyMMdd",
            "p",
            "ppH",
            "[",
            "]",
            "'",
            "''",
            "y",
            "uuuuuuuuuuuuuuuuuuuu",
            "nnnnnnnnnnnnnnnnnnnn",
            "SSSSSSSSSSSS",
            "VV",
            "zzzz",
            "O",
            "XXXXX",
            "xx",
            "Z",
            "ZZZZ",
            "EEEEE",
            "MMMMM",
            "LLL",
            "GGGG",
            "QQQQ",
            "e",
            "c",
            "w",
            "W",
            "Y",
            "D",
            "F",
            "A",
            "N",
            "hh a",
            "kk",
            "KK",
            "ż",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX'['VV']'",
        ];
        let inputs = [
            "",
            "2021",
            "20210312",
            "+",
            "-1-1-1",
            "ż",
            "99999999999999999999999",
            "2021-02-29",
            "Z",
            "GMT+5",
            "Europe/Warsaw",
            "PM",
            "'",
        ];
        let now = Obj::ZonedDateTime(crate::time::zdt_of_instant(
            chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap_or_default(),
            crate::value::ZoneId::Region(chrono_tz::Tz::Europe__Warsaw),
        ));
        for p in patterns {
            for lenient in [false, true] {
                if let Ok(f) = Formatter::new(p, "pl_PL", lenient) {
                    let _ = f.format(&now);
                    let _ = f.describe();
                    for i in inputs {
                        for t in [
                            Target::LocalDate,
                            Target::LocalTime,
                            Target::LocalDateTime,
                            Target::OffsetDateTime,
                            Target::ZonedDateTime,
                            Target::Instant,
                        ] {
                            let _ = f.parse(i, t);
                            let _ = parse_iso(i, t);
                        }
                    }
                }
            }
        }
        for i in inputs {
            let _ = crate::time::parse_zone_id(i);
            let _ = crate::time::parse_zone_offset(i);
            let _ = crate::time::parse_duration(i);
            let _ = crate::time::parse_period(i);
        }
    }
}
