//! Parsing with the ISO formatters of java.time (`LocalDate.parse`, `ZoneId.of`, ...).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};

use crate::time::text::{DAYS, MONTHS};
use crate::time::zone::zdt_of_instant;
use crate::types::Class;
use crate::value::{Obj, Value, ZoneId, ZonedDateTime};

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

pub(crate) fn iso_date(c: &mut Cur) -> Option<NaiveDate> {
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

pub(crate) fn iso_time(c: &mut Cur) -> Option<NaiveTime> {
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

pub(crate) fn iso_date_time(c: &mut Cur) -> Option<NaiveDateTime> {
    let d = iso_date(c)?;
    if !c.eat_ci(b'T') {
        return None;
    }
    Some(d.and_time(iso_time(c)?))
}

/// Offset id, leniently (`Z`, `+01`, `+0100`, `+01:00`, `+01:00:30`).
pub(crate) fn iso_offset(c: &mut Cur) -> Option<FixedOffset> {
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

pub(crate) fn whole<T>(s: &str, f: impl FnOnce(&mut Cur) -> Option<T>) -> Option<T> {
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
