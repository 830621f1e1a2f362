//! `java.time.Duration`: `Duration.between` and `Duration.parse`.

use chrono::{DateTime, TimeDelta, Utc};

use crate::time::arith::delta_from_nanos;
use crate::value::Obj;

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

/// `Duration.parse`: `PnDTnHnMn.nS` with optional signs.
pub(crate) fn parse_duration(s: &str) -> Option<TimeDelta> {
    let (neg_all, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let (days_part, time_part) = match rest.find(['T', 't']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut total: i128 = 0;
    let mut any = false;
    if !days_part.is_empty() {
        let n = days_part.strip_suffix(['D', 'd'])?;
        total += i128::from(n.parse::<i64>().ok()?) * 86_400_000_000_000;
        any = true;
    }
    if let Some(mut t) = time_part {
        if t.is_empty() {
            return None;
        }
        for (unit, mult) in [('H', 3_600_000_000_000i128), ('M', 60_000_000_000)] {
            if let Some(i) = t.find([unit, unit.to_ascii_lowercase()]) {
                total += i128::from(t[..i].parse::<i64>().ok()?) * mult;
                t = &t[i + 1..];
                any = true;
            }
        }
        if !t.is_empty() {
            let n = t.strip_suffix(['S', 's'])?;
            let (int_part, frac) = match n.find(['.', ',']) {
                Some(i) => (&n[..i], &n[i + 1..]),
                None => (n, ""),
            };
            let negative = int_part.starts_with('-');
            let secs = i128::from(int_part.parse::<i64>().ok()?);
            if frac.len() > 9 || !frac.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let nanos = if frac.is_empty() {
                0
            } else {
                i128::from(format!("{frac:0<9}").parse::<i64>().ok()?)
            };
            total += secs * 1_000_000_000 + if negative { -nanos } else { nanos };
            any = true;
        }
    }
    if !any {
        return None;
    }
    delta_from_nanos(if neg_all { -total } else { total }).ok()
}
