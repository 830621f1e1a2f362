//! `#DATE` helper (spel.md §13.5) and the ISO renderings of java.time values.

use crate::methods::MethodDef;
use crate::value::Obj;

pub static METHODS: &[MethodDef] = &[];

/// Java `toString()` of an object value.
pub fn obj_to_string(o: &Obj) -> String {
    match o {
        Obj::LocalDate(d) => d.format("%Y-%m-%d").to_string(),
        Obj::LocalTime(t) => t.format("%H:%M:%S").to_string(),
        Obj::LocalDateTime(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        Obj::Instant(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Obj::OffsetDateTime(t) => t.to_rfc3339(),
        Obj::ZonedDateTime(z) => z.dt.to_rfc3339(),
        Obj::Duration(d) => format!("PT{}S", d.num_seconds()),
        Obj::Period(p) => format!("P{}Y{}M{}D", p.years, p.months, p.days),
        Obj::DayOfWeek(d) => format!("{d:?}").to_uppercase(),
        Obj::Month(m) => m.to_string(),
        Obj::ZoneId(z) => format!("{z:?}"),
        Obj::ZoneOffset(o) => o.to_string(),
        Obj::Locale(s) | Obj::Currency(s) | Obj::Charset(s) => s.to_string(),
        Obj::Uuid(u) => u.to_string(),
        Obj::Formatter(f) => f.pattern.to_string(),
        Obj::Class(c) => format!("class {}", c.qualified_name()),
    }
}

/// `compareTo` between two java.time values of one class (`None` when not comparable).
pub fn compare_objs(a: &crate::value::Value, b: &crate::value::Value) -> Option<std::cmp::Ordering> {
    use crate::value::Value;
    let (Value::Obj(a), Value::Obj(b)) = (a, b) else { return None };
    match (&**a, &**b) {
        (Obj::LocalDate(x), Obj::LocalDate(y)) => Some(x.cmp(y)),
        (Obj::LocalTime(x), Obj::LocalTime(y)) => Some(x.cmp(y)),
        (Obj::LocalDateTime(x), Obj::LocalDateTime(y)) => Some(x.cmp(y)),
        (Obj::Instant(x), Obj::Instant(y)) => Some(x.cmp(y)),
        (Obj::OffsetDateTime(x), Obj::OffsetDateTime(y)) => Some(x.cmp(y)),
        (Obj::ZonedDateTime(x), Obj::ZonedDateTime(y)) => Some(x.dt.cmp(&y.dt)),
        (Obj::Duration(x), Obj::Duration(y)) => Some(x.cmp(y)),
        (Obj::DayOfWeek(x), Obj::DayOfWeek(y)) => Some(x.num_days_from_monday().cmp(&y.num_days_from_monday())),
        (Obj::Month(x), Obj::Month(y)) => Some(x.cmp(y)),
        (Obj::Uuid(x), Obj::Uuid(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

use crate::types::Class;
use crate::value::{Value, ZoneId, ZonedDateTime};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

pub fn parse_zone_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" {
        return FixedOffset::east_opt(0);
    }
    DateTime::parse_from_str(&format!("2000-01-01T00:00:00{s}"), "%Y-%m-%dT%H:%M:%S%:z").ok().map(|d| *d.offset())
}

pub fn parse_zone_id(s: &str) -> Option<ZoneId> {
    if let Some(o) = parse_zone_offset(s) {
        return Some(ZoneId::Offset(o));
    }
    s.parse::<chrono_tz::Tz>().ok().map(ZoneId::Region)
}

pub fn parse_local_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
pub fn parse_local_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M:%S%.f").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M")).ok()
}
pub fn parse_local_date_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")).ok()
}
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}
pub fn parse_offset_date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}
pub fn parse_zoned_date_time(s: &str) -> Option<ZonedDateTime> {
    let (dt, zone) = match s.find('[') {
        Some(i) => (&s[..i], parse_zone_id(s[i + 1..].trim_end_matches(']'))?),
        None => {
            let d = DateTime::parse_from_rfc3339(s).ok()?;
            return Some(ZonedDateTime { dt: d, zone: ZoneId::Offset(*d.offset()) });
        }
    };
    Some(ZonedDateTime { dt: DateTime::parse_from_rfc3339(dt).ok()?, zone })
}
pub fn parse_enum(s: &str, class: Class) -> Option<Value> {
    const DAYS: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
    const MONTHS: [&str; 12] = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];
    match class {
        Class::DayOfWeek => DAYS.iter().position(|d| *d == s).and_then(|i| chrono::Weekday::try_from(i as u8).ok()).map(|w| Value::obj(Obj::DayOfWeek(w))),
        Class::Month => MONTHS.iter().position(|d| *d == s).map(|i| Value::obj(Obj::Month(i as u8 + 1))),
        _ => None,
    }
}
