//! `compareTo` between java.time values of one class.

use std::cmp::Ordering;

use chrono::FixedOffset;

use crate::time::text::zone_id_string;
use crate::value::{Obj, Value, ZoneId};

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

pub(crate) fn as_offset(o: &Obj) -> Option<FixedOffset> {
    match o {
        Obj::ZoneOffset(x) | Obj::ZoneId(ZoneId::Offset(x)) => Some(*x),
        _ => None,
    }
}
