//! Zone resolution: the offset in force at an instant, `ZonedDateTime.ofInstant` and
//! `ZonedDateTime.ofLocal` (gaps and overlaps).

use chrono::offset::LocalResult;
use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};

use crate::value::{ZoneId, ZonedDateTime};

/// The offset in force in `zone` at a UTC instant.
pub(crate) fn offset_at(zone: &ZoneId, utc: &NaiveDateTime) -> FixedOffset {
    match zone {
        ZoneId::Offset(o) => *o,
        ZoneId::Region(tz) => tz.offset_from_utc_datetime(utc).fix(),
    }
}

/// `l` at the fixed offset `o`: one instant always, an error only past the representable range.
pub(crate) fn at_offset(l: NaiveDateTime, o: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    o.from_local_datetime(&l)
        .single()
        .ok_or_else(crate::time::arith::invalid_dt)
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
