//! `with` on java.time values (`withDayOfMonth`, `withHour`, ...) and the range-checked
//! constructors built on it (`LocalDate.of`, `LocalTime.of`).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::time::arith::invalid_dt;
use crate::time::period::month_length;
use crate::time::zone::{at_offset, zdt_of_local};
use crate::value::Obj;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WField {
    Year,
    Month,
    DayOfMonth,
    DayOfYear,
    Hour,
    Minute,
    Second,
    Nano,
}

pub(crate) fn range_err(name: &str, lo: i64, hi: &str, v: i64) -> String {
    format!("Invalid value for {name} (valid values {lo} - {hi}): {v}")
}

pub(crate) fn with_date(date: NaiveDate, f: WField, v: i64) -> Result<NaiveDate, String> {
    match f {
        WField::Year => {
            if !(-999_999_999..=999_999_999).contains(&v) {
                return Err(range_err("Year", -999_999_999, "999999999", v));
            }
            let y = i32::try_from(v).map_err(|_| invalid_dt())?;
            NaiveDate::from_ymd_opt(
                y,
                date.month(),
                date.day().min(month_length(y, date.month())),
            )
            .ok_or_else(invalid_dt)
        }
        WField::Month => {
            if !(1..=12).contains(&v) {
                return Err(range_err("MonthOfYear", 1, "12", v));
            }
            let m = v as u32;
            NaiveDate::from_ymd_opt(date.year(), m, date.day().min(month_length(date.year(), m)))
                .ok_or_else(invalid_dt)
        }
        WField::DayOfMonth => {
            if !(1..=31).contains(&v) {
                return Err(range_err("DayOfMonth", 1, "28/31", v));
            }
            NaiveDate::from_ymd_opt(date.year(), date.month(), v as u32).ok_or_else(|| {
                format!(
                    "Invalid date '{} {v}'",
                    crate::time::MONTHS[date.month0() as usize]
                )
            })
        }
        WField::DayOfYear => {
            if !(1..=366).contains(&v) {
                return Err(range_err("DayOfYear", 1, "365/366", v));
            }
            NaiveDate::from_yo_opt(date.year(), v as u32).ok_or_else(|| {
                format!(
                    "Invalid date 'DayOfYear 366' as '{}' is not a leap year",
                    date.year()
                )
            })
        }
        _ => Err(format!("Unsupported field: {f:?}")),
    }
}

pub(crate) fn with_time(t: NaiveTime, f: WField, v: i64) -> Result<NaiveTime, String> {
    let (h, m, s, n) = (
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond().min(999_999_999),
    );
    let r = match f {
        WField::Hour => {
            if !(0..=23).contains(&v) {
                return Err(range_err("HourOfDay", 0, "23", v));
            }
            NaiveTime::from_hms_nano_opt(v as u32, m, s, n)
        }
        WField::Minute => {
            if !(0..=59).contains(&v) {
                return Err(range_err("MinuteOfHour", 0, "59", v));
            }
            NaiveTime::from_hms_nano_opt(h, v as u32, s, n)
        }
        WField::Second => {
            if !(0..=59).contains(&v) {
                return Err(range_err("SecondOfMinute", 0, "59", v));
            }
            NaiveTime::from_hms_nano_opt(h, m, v as u32, n)
        }
        WField::Nano => {
            if !(0..=999_999_999).contains(&v) {
                return Err(range_err("NanoOfSecond", 0, "999999999", v));
            }
            NaiveTime::from_hms_nano_opt(h, m, s, v as u32)
        }
        _ => return Err(format!("Unsupported field: {f:?}")),
    };
    r.ok_or_else(invalid_dt)
}

pub(crate) fn with_local(l: NaiveDateTime, f: WField, v: i64) -> Result<NaiveDateTime, String> {
    match f {
        WField::Year | WField::Month | WField::DayOfMonth | WField::DayOfYear => {
            Ok(with_date(l.date(), f, v)?.and_time(l.time()))
        }
        _ => Ok(l.date().and_time(with_time(l.time(), f, v)?)),
    }
}

pub(crate) fn with_field(o: &Obj, f: WField, v: i64) -> Result<Obj, String> {
    Ok(match o {
        Obj::LocalDate(x) => Obj::LocalDate(with_date(*x, f, v)?),
        Obj::LocalTime(x) => Obj::LocalTime(with_time(*x, f, v)?),
        Obj::LocalDateTime(x) => Obj::LocalDateTime(with_local(*x, f, v)?),
        Obj::OffsetDateTime(x) => {
            Obj::OffsetDateTime(at_offset(with_local(x.naive_local(), f, v)?, *x.offset())?)
        }
        Obj::ZonedDateTime(z) => {
            let l = with_local(z.dt.naive_local(), f, v)?;
            Obj::ZonedDateTime(zdt_of_local(l, z.zone, Some(*z.dt.offset()))?)
        }
        other => return Err(format!("{} does not support with", other.class_name())),
    })
}

pub(crate) fn ymd(y: i64, m: i64, dd: i64) -> Result<NaiveDate, String> {
    let y = i32::try_from(y).map_err(|_| range_err("Year", -999_999_999, "999999999", y))?;
    let base = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(invalid_dt)?;
    let date = with_date(base, WField::Month, m)?;
    with_date(date, WField::DayOfMonth, dd)
}

pub(crate) fn hmsn(h: i64, m: i64, s: i64, n: i64) -> Result<NaiveTime, String> {
    let t = with_time(NaiveTime::MIN, WField::Hour, h)?;
    let t = with_time(t, WField::Minute, m)?;
    let t = with_time(t, WField::Second, s)?;
    with_time(t, WField::Nano, n)
}
