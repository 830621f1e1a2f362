//! Whitelisted Java objects that are not plain data: java.time values, zones, locales, UUIDs,
//! formatters and class references (`T(...)`).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

use super::Str;
use crate::types::Class;

/// `java.time.ZoneId`: a fixed offset (`Z`, `+01:00`) or a region (`Europe/Warsaw`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ZoneId {
    Offset(FixedOffset),
    Region(chrono_tz::Tz),
}

/// `java.time.ZonedDateTime`: local date-time, the offset in force, and the zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZonedDateTime {
    pub dt: DateTime<FixedOffset>,
    pub zone: ZoneId,
}

/// `java.time.Period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub years: i32,
    pub months: i32,
    pub days: i32,
}

#[derive(Clone, Debug)]
pub enum Obj {
    LocalDate(NaiveDate),
    LocalTime(NaiveTime),
    LocalDateTime(NaiveDateTime),
    Instant(DateTime<Utc>),
    OffsetDateTime(DateTime<FixedOffset>),
    ZonedDateTime(ZonedDateTime),
    Duration(chrono::TimeDelta),
    Period(Period),
    DayOfWeek(Weekday),
    /// 1..=12
    Month(u8),
    ZoneId(ZoneId),
    ZoneOffset(FixedOffset),
    Locale(Str),
    Currency(Str),
    Charset(Str),
    Uuid(uuid::Uuid),
    Formatter(crate::time::Formatter),
    /// A class reference from `T(...)`: its static members are callable.
    Class(Class),
}

impl Obj {
    pub fn class(&self) -> Class {
        match self {
            Obj::LocalDate(_) => Class::LocalDate,
            Obj::LocalTime(_) => Class::LocalTime,
            Obj::LocalDateTime(_) => Class::LocalDateTime,
            Obj::Instant(_) => Class::Instant,
            Obj::OffsetDateTime(_) => Class::OffsetDateTime,
            Obj::ZonedDateTime(_) => Class::ZonedDateTime,
            Obj::Duration(_) => Class::Duration,
            Obj::Period(_) => Class::Period,
            Obj::DayOfWeek(_) => Class::DayOfWeek,
            Obj::Month(_) => Class::Month,
            Obj::ZoneId(ZoneId::Offset(_)) => Class::ZoneOffset,
            Obj::ZoneId(_) => Class::ZoneId,
            Obj::ZoneOffset(_) => Class::ZoneOffset,
            Obj::Locale(_) => Class::Locale,
            Obj::Currency(_) => Class::Currency,
            Obj::Charset(_) => Class::Charset,
            Obj::Uuid(_) => Class::Uuid,
            Obj::Formatter(_) => Class::DateTimeFormatter,
            Obj::Class(_) => Class::ClassRef,
        }
    }

    pub fn class_name(&self) -> &'static str {
        self.class().simple_name()
    }

    /// Java `toString()` of the object (`LocalTime` `10:15`, without zero seconds), as string
    /// concatenation and templates render it.
    pub fn to_java_string(&self) -> String {
        crate::time::obj_to_java_string(self)
    }

    /// The ISO-8601 form with seconds always present, as JSON encoders write java.time values.
    pub fn to_iso_string(&self) -> String {
        crate::time::obj_to_iso_string(self)
    }
}

/// Java `equals`: an OffsetDateTime or ZonedDateTime equals another only with the same local
/// time and offset (and zone), not merely the same instant.
impl PartialEq for Obj {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Obj::OffsetDateTime(a), Obj::OffsetDateTime(b)) => a == b && a.offset() == b.offset(),
            (Obj::ZonedDateTime(a), Obj::ZonedDateTime(b)) => {
                a.dt == b.dt && a.dt.offset() == b.dt.offset() && a.zone == b.zone
            }
            (Obj::LocalDate(a), Obj::LocalDate(b)) => a == b,
            (Obj::LocalTime(a), Obj::LocalTime(b)) => a == b,
            (Obj::LocalDateTime(a), Obj::LocalDateTime(b)) => a == b,
            (Obj::Instant(a), Obj::Instant(b)) => a == b,
            (Obj::Duration(a), Obj::Duration(b)) => a == b,
            (Obj::Period(a), Obj::Period(b)) => a == b,
            (Obj::DayOfWeek(a), Obj::DayOfWeek(b)) => a == b,
            (Obj::Month(a), Obj::Month(b)) => a == b,
            (Obj::ZoneId(a), Obj::ZoneId(b)) => a == b,
            (Obj::ZoneOffset(a), Obj::ZoneOffset(b)) => a == b,
            (Obj::Locale(a), Obj::Locale(b)) => a == b,
            (Obj::Currency(a), Obj::Currency(b)) => a == b,
            (Obj::Charset(a), Obj::Charset(b)) => a == b,
            (Obj::Uuid(a), Obj::Uuid(b)) => a == b,
            (Obj::Formatter(a), Obj::Formatter(b)) => a == b,
            (Obj::Class(a), Obj::Class(b)) => a == b,
            _ => false,
        }
    }
}
