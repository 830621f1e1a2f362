//! How java.time values print: `toString()` (`LocalTime` `10:15`) and the ISO-8601 forms
//! that JSON and `#DATE_FORMAT.format` write (seconds always present).

use std::fmt::Write;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc, Weekday,
};

use crate::value::{Obj, Period, ZoneId};

pub const DAYS: [&str; 7] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];
pub const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

/// Year as `LocalDate.toString`/`ISO_LOCAL_DATE` print it (4 digits, sign beyond 9999).
pub(crate) fn write_year(out: &mut String, y: i32) {
    if y.unsigned_abs() < 1000 {
        if y < 0 {
            let _ = write!(out, "-{:04}", -y);
        } else {
            let _ = write!(out, "{y:04}");
        }
    } else {
        if y > 9999 {
            out.push('+');
        }
        let _ = write!(out, "{y}");
    }
}

pub(crate) fn write_date(out: &mut String, d: &NaiveDate) {
    write_year(out, d.year());
    let _ = write!(out, "-{:02}-{:02}", d.month(), d.day());
}

pub(crate) fn nanos_of(t: &NaiveTime) -> u32 {
    t.nanosecond().min(999_999_999)
}

/// `ISO_LOCAL_TIME`: `HH:mm:ss` plus the shortest fraction.
pub(crate) fn write_time_iso(out: &mut String, t: &NaiveTime) {
    let _ = write!(out, "{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    let n = nanos_of(t);
    if n > 0 {
        let s = format!("{n:09}");
        out.push('.');
        out.push_str(s.trim_end_matches('0'));
    }
}

/// `LocalTime.toString`: seconds omitted when zero, fraction in groups of 3 digits.
pub(crate) fn write_time_java(out: &mut String, t: &NaiveTime) {
    let _ = write!(out, "{:02}:{:02}", t.hour(), t.minute());
    let n = nanos_of(t);
    if t.second() > 0 || n > 0 {
        let _ = write!(out, ":{:02}", t.second());
        write_fraction_groups(out, n);
    }
}

pub(crate) fn write_fraction_groups(out: &mut String, n: u32) {
    if n == 0 {
    } else if n.is_multiple_of(1_000_000) {
        let _ = write!(out, ".{:03}", n / 1_000_000);
    } else if n.is_multiple_of(1000) {
        let _ = write!(out, ".{:06}", n / 1000);
    } else {
        let _ = write!(out, ".{n:09}");
    }
}

/// `ZoneOffset.getId()`: `Z`, `+01:00`, `-05:30:15`.
pub fn offset_id(o: &FixedOffset) -> String {
    let total = o.local_minus_utc();
    if total == 0 {
        return "Z".into();
    }
    let abs = total.unsigned_abs();
    let sign = if total < 0 { '-' } else { '+' };
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

pub fn zone_id_string(z: &ZoneId) -> String {
    match z {
        ZoneId::Offset(o) => offset_id(o),
        ZoneId::Region(tz) => tz.name().to_string(),
    }
}

pub(crate) fn write_instant(out: &mut String, t: &DateTime<Utc>) {
    let n = t.naive_utc();
    write_date(out, &n.date());
    out.push('T');
    let time = n.time();
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    );
    write_fraction_groups(out, nanos_of(&time));
    out.push('Z');
}

/// `Duration.toString` (`PT8H6M12.345S`).
pub fn duration_string(d: &TimeDelta) -> String {
    let (secs, nanos) = duration_parts(d);
    if secs == 0 && nanos == 0 {
        return "PT0S".into();
    }
    let eff = if secs < 0 && nanos > 0 {
        secs + 1
    } else {
        secs
    };
    let hours = eff / 3600;
    let minutes = (eff % 3600) / 60;
    let s = eff % 60;
    let mut buf = String::from("PT");
    if hours != 0 {
        let _ = write!(buf, "{hours}H");
    }
    if minutes != 0 {
        let _ = write!(buf, "{minutes}M");
    }
    if s == 0 && nanos == 0 && buf.len() > 2 {
        return buf;
    }
    if secs < 0 && nanos > 0 {
        if s == 0 {
            buf.push_str("-0");
        } else {
            let _ = write!(buf, "{s}");
        }
    } else {
        let _ = write!(buf, "{s}");
    }
    if nanos > 0 {
        let pos = buf.len();
        let frac = if secs < 0 {
            2_000_000_000 - nanos as i64
        } else {
            nanos as i64 + 1_000_000_000
        };
        let _ = write!(buf, "{frac}");
        while buf.ends_with('0') {
            buf.pop();
        }
        buf.replace_range(pos..pos + 1, ".");
    }
    buf.push('S');
    buf
}

/// Java's (seconds, nanos) form of a duration: seconds floored, nanos in `0..1e9`.
pub(crate) fn duration_parts(d: &TimeDelta) -> (i64, u32) {
    let mut secs = d.num_seconds();
    let mut nanos = d.subsec_nanos();
    if nanos < 0 {
        secs -= 1;
        nanos += 1_000_000_000;
    }
    (secs, nanos as u32)
}

pub fn period_string(p: &Period) -> String {
    if p.years == 0 && p.months == 0 && p.days == 0 {
        return "P0D".into();
    }
    let mut s = String::from("P");
    if p.years != 0 {
        let _ = write!(s, "{}Y", p.years);
    }
    if p.months != 0 {
        let _ = write!(s, "{}M", p.months);
    }
    if p.days != 0 {
        let _ = write!(s, "{}D", p.days);
    }
    s
}

pub(crate) fn weekday_name(w: Weekday) -> &'static str {
    DAYS[w.num_days_from_monday() as usize]
}

pub(crate) fn month_name(m: u8) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// The ISO-8601 rendering of an object: what `#DATE_FORMAT.format` and JSON output produce
/// (`ISO_LOCAL_TIME` & co. always print seconds).
pub fn obj_to_iso_string(o: &Obj) -> String {
    let mut s = String::new();
    match o {
        Obj::LocalDate(d) => write_date(&mut s, d),
        Obj::LocalTime(t) => write_time_iso(&mut s, t),
        Obj::LocalDateTime(t) => {
            write_date(&mut s, &t.date());
            s.push('T');
            write_time_iso(&mut s, &t.time());
        }
        Obj::Instant(t) => write_instant(&mut s, t),
        Obj::OffsetDateTime(t) => {
            let l = t.naive_local();
            write_date(&mut s, &l.date());
            s.push('T');
            write_time_iso(&mut s, &l.time());
            s.push_str(&offset_id(t.offset()));
        }
        Obj::ZonedDateTime(z) => {
            let l = z.dt.naive_local();
            write_date(&mut s, &l.date());
            s.push('T');
            write_time_iso(&mut s, &l.time());
            s.push_str(&offset_id(z.dt.offset()));
            if let ZoneId::Region(tz) = &z.zone {
                let _ = write!(s, "[{}]", tz.name());
            }
        }
        other => return obj_to_java_string(other),
    }
    s
}

/// Java `toString()` of an object, exactly (`LocalTime` `10:15` without zero seconds).
pub fn obj_to_java_string(o: &Obj) -> String {
    let mut s = String::new();
    match o {
        Obj::LocalDate(d) => write_date(&mut s, d),
        Obj::LocalTime(t) => write_time_java(&mut s, t),
        Obj::LocalDateTime(t) => {
            write_date(&mut s, &t.date());
            s.push('T');
            write_time_java(&mut s, &t.time());
        }
        Obj::Instant(t) => write_instant(&mut s, t),
        Obj::OffsetDateTime(t) => {
            let l = t.naive_local();
            write_date(&mut s, &l.date());
            s.push('T');
            write_time_java(&mut s, &l.time());
            s.push_str(&offset_id(t.offset()));
        }
        Obj::ZonedDateTime(z) => {
            let l = z.dt.naive_local();
            write_date(&mut s, &l.date());
            s.push('T');
            write_time_java(&mut s, &l.time());
            s.push_str(&offset_id(z.dt.offset()));
            if let ZoneId::Region(tz) = &z.zone {
                let _ = write!(s, "[{}]", tz.name());
            }
        }
        Obj::Duration(d) => s = duration_string(d),
        Obj::Period(p) => s = period_string(p),
        Obj::DayOfWeek(d) => s.push_str(weekday_name(*d)),
        Obj::Month(m) => s.push_str(month_name(*m)),
        Obj::ZoneId(z) => s = zone_id_string(z),
        Obj::ZoneOffset(o) => s = offset_id(o),
        Obj::Locale(x) | Obj::Currency(x) | Obj::Charset(x) => s.push_str(x),
        Obj::Uuid(u) => s = u.to_string(),
        Obj::Formatter(f) => s = f.describe(),
        Obj::Class(c) => s = format!("class {}", c.qualified_name()),
    }
    s
}
