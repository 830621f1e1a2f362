//! The field view of a temporal value (what `TemporalAccessor.get` offers), that
//! `DateTimeFormatter` formats from.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};

use crate::value::{Obj, ZoneId};

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
