//! `#DATE` helper (spel.md §13.5) and the ISO renderings of java.time values.
//!
//! Also the shared java.time machinery: ISO parsing (`LocalDate.parse`, `ZoneId.of`, ...), zone
//! resolution (`ZonedDateTime.ofLocal`/`ofInstant`), `compareTo`, `Duration.between`,
//! `Period.between` and the field view (`Fields`) that `DateTimeFormatter` formats from.

use std::cmp::Ordering;
use std::fmt::Write;

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};

use crate::eval::EvalEnv;
use crate::methods::{args, MethodDef, P};
use crate::types::{Class, Type};
use crate::value::{Obj, Period, Value, ZoneId, ZonedDateTime};
use crate::{m, mf};

type R = Result<Value, String>;

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

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

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

fn nanos_of(t: &NaiveTime) -> u32 {
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

fn write_fraction_groups(out: &mut String, n: u32) {
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

fn write_instant(out: &mut String, t: &DateTime<Utc>) {
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

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/// `compareTo` between two java.time values of one class (`None` when not comparable).
pub fn compare_objs(a: &Value, b: &Value) -> Option<Ordering> {
    let (Value::Obj(a), Value::Obj(b)) = (a, b) else {
        return None;
    };
    compare_obj(a, b)
}

pub(crate) fn compare_obj(a: &Obj, b: &Obj) -> Option<Ordering> {
    match (a, b) {
        (Obj::LocalDate(x), Obj::LocalDate(y)) => Some(x.cmp(y)),
        (Obj::LocalTime(x), Obj::LocalTime(y)) => Some(x.cmp(y)),
        (Obj::LocalDateTime(x), Obj::LocalDateTime(y)) => Some(x.cmp(y)),
        (Obj::Instant(x), Obj::Instant(y)) => Some(x.cmp(y)),
        (Obj::OffsetDateTime(x), Obj::OffsetDateTime(y)) => {
            Some(x.cmp(y).then_with(|| x.naive_local().cmp(&y.naive_local())))
        }
        (Obj::ZonedDateTime(x), Obj::ZonedDateTime(y)) => Some(
            x.dt.cmp(&y.dt)
                .then_with(|| x.dt.naive_local().cmp(&y.dt.naive_local()))
                .then_with(|| zone_id_string(&x.zone).cmp(&zone_id_string(&y.zone))),
        ),
        (Obj::Duration(x), Obj::Duration(y)) => Some(x.cmp(y)),
        (Obj::DayOfWeek(x), Obj::DayOfWeek(y)) => {
            Some(x.num_days_from_monday().cmp(&y.num_days_from_monday()))
        }
        (Obj::Month(x), Obj::Month(y)) => Some(x.cmp(y)),
        (Obj::Uuid(x), Obj::Uuid(y)) => {
            // Java compares the two halves as signed longs.
            let (xh, xl) = x.as_u64_pair();
            let (yh, yl) = y.as_u64_pair();
            Some(
                (xh as i64)
                    .cmp(&(yh as i64))
                    .then((xl as i64).cmp(&(yl as i64))),
            )
        }
        (Obj::Locale(x), Obj::Locale(y))
        | (Obj::Currency(x), Obj::Currency(y))
        | (Obj::Charset(x), Obj::Charset(y)) => (x == y).then_some(Ordering::Equal),
        _ => {
            // ZoneOffset is comparable (larger offsets first); ZoneId values only by equality.
            match (as_offset(a), as_offset(b)) {
                (Some(x), Some(y)) => Some(y.local_minus_utc().cmp(&x.local_minus_utc())),
                _ => match (a, b) {
                    (Obj::ZoneId(x), Obj::ZoneId(y)) => (x == y).then_some(Ordering::Equal),
                    (Obj::Period(x), Obj::Period(y)) => (x == y).then_some(Ordering::Equal),
                    _ => None,
                },
            }
        }
    }
}

fn as_offset(o: &Obj) -> Option<FixedOffset> {
    match o {
        Obj::ZoneOffset(x) | Obj::ZoneId(ZoneId::Offset(x)) => Some(*x),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing (ISO formatters of java.time)
// ---------------------------------------------------------------------------------------------

/// A small cursor over ASCII-ish input.
pub(crate) struct Cur<'a> {
    pub s: &'a [u8],
    pub i: usize,
}

impl<'a> Cur<'a> {
    pub fn new(s: &'a str) -> Self {
        Cur {
            s: s.as_bytes(),
            i: 0,
        }
    }
    pub fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    pub fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    pub fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    pub fn eat_ci(&mut self, c: u8) -> bool {
        if self.peek().is_some_and(|x| x.eq_ignore_ascii_case(&c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Exactly `n` digits.
    pub fn digits(&mut self, n: usize) -> Option<i64> {
        let end = self.i.checked_add(n)?;
        let slice = self.s.get(self.i..end)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i = end;
        Some(slice.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
    }
    /// Between `min` and `max` digits (greedy).
    pub fn digits_range(&mut self, min: usize, max: usize) -> Option<(i64, usize)> {
        let start = self.i;
        let mut v: i64 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(d) if d.is_ascii_digit() => {
                    v = v.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
                    self.i += 1;
                }
                _ => break,
            }
        }
        let n = self.i - start;
        if n < min {
            self.i = start;
            return None;
        }
        Some((v, n))
    }
}

fn iso_date(c: &mut Cur) -> Option<NaiveDate> {
    let year = match c.peek() {
        Some(b'+') => {
            c.i += 1;
            let (v, n) = c.digits_range(4, 10)?;
            if n <= 4 {
                return None;
            }
            v
        }
        Some(b'-') => {
            c.i += 1;
            -c.digits_range(4, 10)?.0
        }
        _ => {
            let (v, n) = c.digits_range(4, 10)?;
            if n > 4 {
                return None;
            }
            v
        }
    };
    if !c.eat(b'-') {
        return None;
    }
    let month = c.digits(2)?;
    if !c.eat(b'-') {
        return None;
    }
    let day = c.digits(2)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month as u32, day as u32)
}

fn iso_time(c: &mut Cur) -> Option<NaiveTime> {
    let h = c.digits(2)?;
    if !c.eat(b':') {
        return None;
    }
    let m = c.digits(2)?;
    let (mut s, mut nanos) = (0, 0);
    if c.eat(b':') {
        s = c.digits(2)?;
        if c.eat(b'.') {
            let (v, n) = c.digits_range(1, 9)?;
            nanos = v * 10i64.pow(9 - n as u32);
        }
    }
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    NaiveTime::from_hms_nano_opt(h as u32, m as u32, s as u32, nanos as u32)
}

fn iso_date_time(c: &mut Cur) -> Option<NaiveDateTime> {
    let d = iso_date(c)?;
    if !c.eat_ci(b'T') {
        return None;
    }
    Some(d.and_time(iso_time(c)?))
}

/// Offset id, leniently (`Z`, `+01`, `+0100`, `+01:00`, `+01:00:30`).
fn iso_offset(c: &mut Cur) -> Option<FixedOffset> {
    if c.eat_ci(b'Z') {
        return FixedOffset::east_opt(0);
    }
    let neg = match c.peek() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return None,
    };
    c.i += 1;
    let h = c.digits(2)?;
    let mut m = 0;
    let mut s = 0;
    if c.eat(b':') {
        m = c.digits(2)?;
        if c.eat(b':') {
            s = c.digits(2)?;
        }
    } else if let Some(v) = c.digits(2) {
        m = v;
        if let Some(v) = c.digits(2) {
            s = v;
        }
    }
    if h > 18 || m > 59 || s > 59 {
        return None;
    }
    let total = (h * 3600 + m * 60 + s) as i32;
    if total > 18 * 3600 {
        return None;
    }
    FixedOffset::east_opt(if neg { -total } else { total })
}

fn whole<T>(s: &str, f: impl FnOnce(&mut Cur) -> Option<T>) -> Option<T> {
    let mut c = Cur::new(s);
    let v = f(&mut c)?;
    c.done().then_some(v)
}

/// `ZoneOffset.of`: `Z`, `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`.
pub fn parse_zone_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" {
        return FixedOffset::east_opt(0);
    }
    let b = s.as_bytes();
    let neg = match b.first() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return None,
    };
    let rest = &s[1..];
    let num = |x: &str| -> Option<i32> {
        if x.len() == 2 && x.bytes().all(|c| c.is_ascii_digit()) {
            x.parse().ok()
        } else {
            None
        }
    };
    let (h, m, sec) = match rest.len() {
        1 if rest.bytes().all(|c| c.is_ascii_digit()) => (rest.parse().ok()?, 0, 0),
        2 => (num(rest)?, 0, 0),
        4 => (num(rest.get(0..2)?)?, num(rest.get(2..4)?)?, 0),
        5 if rest.as_bytes()[2] == b':' => (num(rest.get(0..2)?)?, num(rest.get(3..5)?)?, 0),
        6 => (
            num(rest.get(0..2)?)?,
            num(rest.get(2..4)?)?,
            num(rest.get(4..6)?)?,
        ),
        8 if rest.as_bytes()[2] == b':' && rest.as_bytes()[5] == b':' => (
            num(rest.get(0..2)?)?,
            num(rest.get(3..5)?)?,
            num(rest.get(6..8)?)?,
        ),
        _ => return None,
    };
    if h > 18 || m > 59 || sec > 59 {
        return None;
    }
    let total = h * 3600 + m * 60 + sec;
    if total > 18 * 3600 {
        return None;
    }
    FixedOffset::east_opt(if neg { -total } else { total })
}

/// `ZoneId.of`: offsets, `UTC`/`GMT`/`UT` (optionally with an offset) and region ids.
pub fn parse_zone_id(s: &str) -> Option<ZoneId> {
    if s.starts_with('+') || s.starts_with('-') || s == "Z" {
        return parse_zone_offset(s).map(ZoneId::Offset);
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.starts_with('+') || rest.starts_with('-') {
                return parse_zone_offset(rest).map(ZoneId::Offset);
            }
        }
    }
    if s == "UT" {
        return Some(ZoneId::Region(chrono_tz::Tz::UTC));
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"~/._+-".contains(&c))
    {
        return None;
    }
    s.parse::<chrono_tz::Tz>().ok().map(ZoneId::Region)
}

pub fn parse_local_date(s: &str) -> Option<NaiveDate> {
    whole(s, iso_date)
}
pub fn parse_local_time(s: &str) -> Option<NaiveTime> {
    whole(s, iso_time)
}
pub fn parse_local_date_time(s: &str) -> Option<NaiveDateTime> {
    whole(s, iso_date_time)
}
/// `ISO_INSTANT`: seconds are required; offsets other than `Z` are accepted (JDK 12+).
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    whole(s, |c| {
        let d = iso_date(c)?;
        if !c.eat_ci(b'T') {
            return None;
        }
        let start = c.i;
        let t = iso_time(c)?;
        if c.i - start < 8 {
            return None;
        }
        let o = iso_offset(c)?;
        o.from_local_datetime(&d.and_time(t))
            .single()
            .map(|x| x.with_timezone(&Utc))
    })
}
pub fn parse_offset_date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    whole(s, |c| {
        let ldt = iso_date_time(c)?;
        let o = iso_offset(c)?;
        o.from_local_datetime(&ldt).single()
    })
}
/// `ISO_ZONED_DATE_TIME`: an offset date-time optionally followed by `[zone]`.
pub fn parse_zoned_date_time(s: &str) -> Option<ZonedDateTime> {
    let (main, zone) = match s.find('[') {
        Some(i) => {
            let z = s.get(i + 1..)?.strip_suffix(']')?;
            (&s[..i], Some(parse_zone_id(z)?))
        }
        None => (s, None),
    };
    let odt = parse_offset_date_time(main)?;
    match zone {
        None => Some(ZonedDateTime {
            dt: odt,
            zone: ZoneId::Offset(*odt.offset()),
        }),
        Some(z) => Some(zdt_of_instant(odt.with_timezone(&Utc), z)),
    }
}
pub fn parse_enum(s: &str, class: Class) -> Option<Value> {
    match class {
        Class::DayOfWeek => DAYS
            .iter()
            .position(|d| *d == s)
            .and_then(|i| Weekday::try_from(i as u8).ok())
            .map(|w| Value::obj(Obj::DayOfWeek(w))),
        Class::Month => MONTHS
            .iter()
            .position(|d| *d == s)
            .map(|i| Value::obj(Obj::Month(i as u8 + 1))),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Zones
// ---------------------------------------------------------------------------------------------

/// The offset in force in `zone` at a UTC instant.
pub(crate) fn offset_at(zone: &ZoneId, utc: &NaiveDateTime) -> FixedOffset {
    match zone {
        ZoneId::Offset(o) => *o,
        ZoneId::Region(tz) => tz.offset_from_utc_datetime(utc).fix(),
    }
}

/// `ZonedDateTime.ofInstant`.
pub(crate) fn zdt_of_instant(utc: DateTime<Utc>, zone: ZoneId) -> ZonedDateTime {
    let off = offset_at(&zone, &utc.naive_utc());
    ZonedDateTime {
        dt: utc.with_timezone(&off),
        zone,
    }
}

/// `ZonedDateTime.ofLocal`: gaps move the time forward, overlaps keep the preferred offset
/// when valid, else the earlier one.
pub(crate) fn zdt_of_local(
    ldt: NaiveDateTime,
    zone: ZoneId,
    preferred: Option<FixedOffset>,
) -> Result<ZonedDateTime, String> {
    let off = match &zone {
        ZoneId::Offset(o) => *o,
        ZoneId::Region(tz) => match tz.offset_from_local_datetime(&ldt) {
            LocalResult::Single(o) => o.fix(),
            LocalResult::Ambiguous(a, b) => {
                let (a, b) = (a.fix(), b.fix());
                if preferred == Some(a) || preferred == Some(b) {
                    preferred.unwrap_or(a)
                } else if a.local_minus_utc() >= b.local_minus_utc() {
                    a
                } else {
                    b
                }
            }
            LocalResult::None => {
                let day = TimeDelta::days(1);
                let before = tz
                    .offset_from_utc_datetime(&ldt.checked_sub_signed(day).unwrap_or(ldt))
                    .fix();
                let after = tz
                    .offset_from_utc_datetime(&ldt.checked_add_signed(day).unwrap_or(ldt))
                    .fix();
                let gap = TimeDelta::seconds(i64::from(
                    after.local_minus_utc() - before.local_minus_utc(),
                ));
                let shifted = ldt.checked_add_signed(gap).ok_or("invalid date-time")?;
                let dt = after
                    .from_local_datetime(&shifted)
                    .single()
                    .ok_or("invalid date-time")?;
                return Ok(ZonedDateTime { dt, zone });
            }
        },
    };
    let dt = off
        .from_local_datetime(&ldt)
        .single()
        .ok_or("invalid date-time")?;
    Ok(ZonedDateTime { dt, zone })
}

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
// Field view (what TemporalAccessor.get offers)
// ---------------------------------------------------------------------------------------------

/// The fields a temporal value supports, for formatting.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fields {
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub offset: Option<FixedOffset>,
    pub zone: Option<ZoneId>,
    pub instant: Option<DateTime<Utc>>,
    pub month: Option<u32>,
    pub dow: Option<Weekday>,
}

pub(crate) fn fields_of(o: &Obj) -> Option<Fields> {
    let mut f = Fields::default();
    match o {
        Obj::LocalDate(d) => f.date = Some(*d),
        Obj::LocalTime(t) => f.time = Some(*t),
        Obj::LocalDateTime(t) => {
            f.date = Some(t.date());
            f.time = Some(t.time());
        }
        Obj::Instant(t) => f.instant = Some(*t),
        Obj::OffsetDateTime(t) => {
            f.date = Some(t.naive_local().date());
            f.time = Some(t.naive_local().time());
            f.offset = Some(*t.offset());
            f.zone = Some(ZoneId::Offset(*t.offset()));
            f.instant = Some(t.with_timezone(&Utc));
        }
        Obj::ZonedDateTime(z) => {
            f.date = Some(z.dt.naive_local().date());
            f.time = Some(z.dt.naive_local().time());
            f.offset = Some(*z.dt.offset());
            f.zone = Some(z.zone);
            f.instant = Some(z.dt.with_timezone(&Utc));
        }
        Obj::DayOfWeek(d) => f.dow = Some(*d),
        Obj::Month(m) => f.month = Some(u32::from(*m)),
        Obj::ZoneOffset(x) => {
            f.offset = Some(*x);
            f.zone = Some(ZoneId::Offset(*x));
        }
        Obj::ZoneId(z) => {
            f.zone = Some(*z);
            if let ZoneId::Offset(x) = z {
                f.offset = Some(*x);
            }
        }
        _ => return None,
    }
    if let Some(d) = f.date {
        f.month = Some(d.month());
        f.dow = Some(d.weekday());
    }
    Some(f)
}

// ---------------------------------------------------------------------------------------------
// Between
// ---------------------------------------------------------------------------------------------

/// `Period.between` (`LocalDate.until(ChronoLocalDate)`).
pub(crate) fn period_between(a: NaiveDate, b: NaiveDate) -> Period {
    let pm = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let mut total_months = pm(b) - pm(a);
    let mut days = b.day() as i64 - a.day() as i64;
    if total_months > 0 && days < 0 {
        total_months -= 1;
        let calc = add_months(a, total_months).unwrap_or(a);
        days = (b - calc).num_days();
    } else if total_months < 0 && days > 0 {
        total_months += 1;
        days -= i64::from(length_of_month(b));
    }
    Period {
        years: (total_months / 12) as i32,
        months: (total_months % 12) as i32,
        days: days as i32,
    }
}

pub(crate) fn length_of_month(d: NaiveDate) -> u32 {
    month_length(d.year(), d.month())
}

pub(crate) fn month_length(y: i32, m: u32) -> u32 {
    match m {
        2 if NaiveDate::from_ymd_opt(y, 2, 29).is_some() => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `plusMonths`: the day is clamped to the month's length.
pub(crate) fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let total = (i64::from(d.year()) * 12 + i64::from(d.month0())).checked_add(n)?;
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    let m = total.rem_euclid(12) as u32 + 1;
    NaiveDate::from_ymd_opt(y, m, d.day().min(month_length(y, m)))
}

fn instant_of(o: &Obj) -> Option<DateTime<Utc>> {
    match o {
        Obj::Instant(t) => Some(*t),
        Obj::OffsetDateTime(t) => Some(t.with_timezone(&Utc)),
        Obj::ZonedDateTime(z) => Some(z.dt.with_timezone(&Utc)),
        _ => None,
    }
}

/// `Duration.between(a, b)`: `b` is converted to `a`'s class (`X.from`).
pub(crate) fn duration_between(a: &Obj, b: &Obj) -> Result<TimeDelta, String> {
    let unsupported = || {
        format!(
            "Unable to obtain {} from TemporalAccessor: {}",
            a.class_name(),
            b.to_java_string()
        )
    };
    match a {
        Obj::Instant(_) | Obj::OffsetDateTime(_) | Obj::ZonedDateTime(_) => {
            if matches!(a, Obj::OffsetDateTime(_) | Obj::ZonedDateTime(_))
                && matches!(b, Obj::Instant(_))
            {
                return Err(unsupported());
            }
            let (x, y) = (
                instant_of(a).ok_or_else(unsupported)?,
                instant_of(b).ok_or_else(unsupported)?,
            );
            Ok(y - x)
        }
        Obj::LocalDateTime(x) => {
            let y = match b {
                Obj::LocalDateTime(y) => *y,
                Obj::OffsetDateTime(y) => y.naive_local(),
                Obj::ZonedDateTime(y) => y.dt.naive_local(),
                _ => return Err(unsupported()),
            };
            Ok(y - *x)
        }
        Obj::LocalTime(x) => {
            let y = match b {
                Obj::LocalTime(y) => *y,
                Obj::LocalDateTime(y) => y.time(),
                Obj::OffsetDateTime(y) => y.naive_local().time(),
                Obj::ZonedDateTime(y) => y.dt.naive_local().time(),
                _ => return Err(unsupported()),
            };
            Ok(y.signed_duration_since(*x))
        }
        Obj::LocalDate(_) => Err("Unsupported unit: Seconds".into()),
        _ => Err(unsupported()),
    }
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

fn t_zone_id(_: &Type, _: &[Type]) -> Result<Type, String> {
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
