//! Views of a java.time value (its date, time, instant, offset) and Java `compareTo`/`equals`
//! between values of possibly different classes.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

use crate::value::{Obj, Value, ZoneId};

pub(crate) fn date_of(o: &Obj) -> Result<NaiveDate, String> {
    match o {
        Obj::LocalDate(x) => Ok(*x),
        Obj::LocalDateTime(x) => Ok(x.date()),
        Obj::OffsetDateTime(x) => Ok(x.naive_local().date()),
        Obj::ZonedDateTime(z) => Ok(z.dt.naive_local().date()),
        other => Err(format!("{} has no date", other.class_name())),
    }
}

pub(crate) fn time_of(o: &Obj) -> Result<NaiveTime, String> {
    match o {
        Obj::LocalTime(x) => Ok(*x),
        Obj::LocalDateTime(x) => Ok(x.time()),
        Obj::OffsetDateTime(x) => Ok(x.naive_local().time()),
        Obj::ZonedDateTime(z) => Ok(z.dt.naive_local().time()),
        Obj::Instant(x) => Ok(x.naive_utc().time()),
        other => Err(format!("{} has no time", other.class_name())),
    }
}

pub(crate) fn local_of(o: &Obj) -> Result<NaiveDateTime, String> {
    match o {
        Obj::LocalDateTime(x) => Ok(*x),
        Obj::OffsetDateTime(x) => Ok(x.naive_local()),
        Obj::ZonedDateTime(z) => Ok(z.dt.naive_local()),
        other => Err(format!("{} has no local date-time", other.class_name())),
    }
}

pub(crate) fn instant_of(o: &Obj) -> Result<DateTime<Utc>, String> {
    match o {
        Obj::Instant(x) => Ok(*x),
        Obj::OffsetDateTime(x) => Ok(x.with_timezone(&Utc)),
        Obj::ZonedDateTime(z) => Ok(z.dt.with_timezone(&Utc)),
        other => Err(format!("{} is not an instant", other.class_name())),
    }
}

pub(crate) fn offset_of(o: &Obj) -> Result<FixedOffset, String> {
    match o {
        Obj::OffsetDateTime(x) => Ok(*x.offset()),
        Obj::ZonedDateTime(z) => Ok(*z.dt.offset()),
        Obj::ZoneOffset(x) | Obj::ZoneId(ZoneId::Offset(x)) => Ok(*x),
        other => Err(format!("{} has no offset", other.class_name())),
    }
}

pub(crate) fn nano(t: &NaiveTime) -> u32 {
    t.nanosecond().min(999_999_999)
}

pub(crate) fn sgn(o: std::cmp::Ordering) -> i32 {
    o as i32
}

/// Java's `compareTo` (which returns differences, not just -1/0/1, for some classes).
pub(crate) fn java_compare_to(a: &Obj, b: &Obj) -> Result<i32, String> {
    let cmp_date = |x: &NaiveDate, y: &NaiveDate| -> i32 {
        let c = x.year() - y.year();
        if c != 0 {
            return c;
        }
        let c = x.month() as i32 - y.month() as i32;
        if c != 0 {
            return c;
        }
        x.day() as i32 - y.day() as i32
    };
    let cmp_time = |x: &NaiveTime, y: &NaiveTime| -> i32 {
        sgn((x.hour(), x.minute(), x.second(), nano(x)).cmp(&(
            y.hour(),
            y.minute(),
            y.second(),
            nano(y),
        )))
    };
    let cmp_local = |x: &NaiveDateTime, y: &NaiveDateTime| -> i32 {
        let c = cmp_date(&x.date(), &y.date());
        if c != 0 {
            c
        } else {
            cmp_time(&x.time(), &y.time())
        }
    };
    let cmp_instant = |x: &DateTime<Utc>, y: &DateTime<Utc>| -> i32 {
        let c = sgn(x.timestamp().cmp(&y.timestamp()));
        if c != 0 {
            c
        } else {
            nano(&x.time()) as i32 - nano(&y.time()) as i32
        }
    };
    Ok(match (a, b) {
        (Obj::LocalDate(x), Obj::LocalDate(y)) => cmp_date(x, y),
        (Obj::LocalTime(x), Obj::LocalTime(y)) => cmp_time(x, y),
        (Obj::LocalDateTime(x), Obj::LocalDateTime(y)) => cmp_local(x, y),
        (Obj::Instant(x), Obj::Instant(y)) => cmp_instant(x, y),
        (Obj::OffsetDateTime(x), Obj::OffsetDateTime(y)) => {
            let c = if x.offset() == y.offset() {
                cmp_local(&x.naive_local(), &y.naive_local())
            } else {
                let c = cmp_instant(&x.with_timezone(&Utc), &y.with_timezone(&Utc));
                if c != 0 {
                    c
                } else {
                    cmp_local(&x.naive_local(), &y.naive_local())
                }
            };
            c
        }
        (Obj::ZonedDateTime(x), Obj::ZonedDateTime(y)) => {
            let c = cmp_instant(&x.dt.with_timezone(&Utc), &y.dt.with_timezone(&Utc));
            if c != 0 {
                c
            } else {
                let c = cmp_local(&x.dt.naive_local(), &y.dt.naive_local());
                if c != 0 {
                    c
                } else {
                    crate::value::java_compare_to(
                        &crate::time::zone_id_string(&x.zone),
                        &crate::time::zone_id_string(&y.zone),
                    )
                }
            }
        }
        (Obj::Duration(x), Obj::Duration(y)) => {
            let (xs, xn) = crate::time::duration_parts(x);
            let (ys, yn) = crate::time::duration_parts(y);
            let c = sgn(xs.cmp(&ys));
            if c != 0 {
                c
            } else {
                xn as i32 - yn as i32
            }
        }
        (Obj::DayOfWeek(x), Obj::DayOfWeek(y)) => {
            x.num_days_from_monday() as i32 - y.num_days_from_monday() as i32
        }
        (Obj::Month(x), Obj::Month(y)) => i32::from(*x) - i32::from(*y),
        _ => match (offset_of(a), offset_of(b)) {
            (Ok(x), Ok(y)) if matches!(a, Obj::ZoneOffset(_) | Obj::ZoneId(_)) => {
                y.local_minus_utc() - x.local_minus_utc()
            }
            _ => {
                return Err(format!(
                    "class {} cannot be cast to class {}",
                    b.class().qualified_name(),
                    a.class().qualified_name()
                ))
            }
        },
    })
}

/// Java `equals` of two java.time values.
pub(crate) fn java_equals(a: &Obj, b: &Value) -> bool {
    let Value::Obj(b) = b else { return false };
    match (a, &**b) {
        (Obj::OffsetDateTime(x), Obj::OffsetDateTime(y)) => {
            x.naive_local() == y.naive_local() && x.offset() == y.offset()
        }
        (Obj::ZonedDateTime(x), Obj::ZonedDateTime(y)) => {
            x.dt.naive_local() == y.dt.naive_local()
                && x.dt.offset() == y.dt.offset()
                && x.zone == y.zone
        }
        (x, y) => match (offset_of(x), offset_of(y)) {
            (Ok(p), Ok(q))
                if matches!(x, Obj::ZoneOffset(_) | Obj::ZoneId(_))
                    && matches!(y, Obj::ZoneOffset(_) | Obj::ZoneId(_)) =>
            {
                p == q
            }
            _ => x == y,
        },
    }
}
