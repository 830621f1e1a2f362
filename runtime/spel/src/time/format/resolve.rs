//! Resolving parsed fields into a java.time value (resolver style SMART), and the ISO parse
//! of one of the java.time classes.

use std::sync::Arc;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::time::format::formatter::Formatter;
use crate::time::format::parser::{fail_at, ParseCx, Parsed};
use crate::time::format::pattern::F;
use crate::value::{Obj, ZoneId, ZonedDateTime};

/// What a parse resolved to.
#[derive(Clone, Debug, Default)]
pub(crate) struct Resolved {
    pub(crate) date: Option<NaiveDate>,
    pub(crate) time: Option<NaiveTime>,
    pub(crate) offset: Option<FixedOffset>,
    pub(crate) zone: Option<ZoneId>,
}

pub(crate) fn resolve(p: &Parsed, text: &str) -> Result<Resolved, String> {
    let bad = |msg: String| format!("Text '{text}' could not be parsed: {msg}");
    let g = |f: F| p.fields.get(&f).copied();
    let mut r = Resolved {
        offset: p.offset,
        zone: p.zone,
        ..Resolved::default()
    };
    // Year
    let year = match (g(F::Year), g(F::YearOfEra), g(F::Era)) {
        (Some(y), _, _) => Some(y),
        (None, Some(yoe), Some(0)) => Some(1 - yoe),
        (None, Some(yoe), _) => Some(yoe),
        _ => None,
    };
    if let Some(m) = g(F::Month) {
        if !(1..=12).contains(&m) {
            return Err(bad(format!(
                "Invalid value for MonthOfYear (valid values 1 - 12): {m}"
            )));
        }
    }
    if let Some(d) = g(F::Day) {
        if !(1..=31).contains(&d) {
            return Err(bad(format!(
                "Invalid value for DayOfMonth (valid values 1 - 28/31): {d}"
            )));
        }
    }
    if let Some(y) = year {
        let y = i32::try_from(y).map_err(|_| bad(format!("Invalid value for Year: {y}")))?;
        if let (Some(m), Some(d)) = (g(F::Month), g(F::Day)) {
            let d = (d as u32).min(crate::time::month_length(y, m as u32));
            r.date = NaiveDate::from_ymd_opt(y, m as u32, d);
        } else if let Some(doy) = g(F::DayOfYear) {
            r.date = NaiveDate::from_yo_opt(y, doy as u32);
            if r.date.is_none() {
                return Err(bad(format!("Invalid value for DayOfYear: {doy}")));
            }
        }
    }
    if let (Some(d), Some(dow)) = (r.date, g(F::DayOfWeek)) {
        if i64::from(d.weekday().number_from_monday()) != dow {
            return Err(bad(format!(
                "Conflict found: Field DayOfWeek {} differs from DayOfWeek {dow} derived from {}",
                d.weekday().number_from_monday(),
                crate::time::obj_to_iso_string(&Obj::LocalDate(d))
            )));
        }
    }
    // Time
    let mut hour = g(F::HourOfDay);
    if hour.is_none() {
        if let Some(k) = g(F::ClockHourOfDay) {
            hour = Some(if k == 24 { 0 } else { k });
        }
    }
    if let Some(ap) = g(F::AmPm) {
        let hoa =
            g(F::HourOfAmPm).or_else(|| g(F::ClockHourOfAmPm).map(|h| if h == 12 { 0 } else { h }));
        if let Some(h) = hoa {
            if !(0..=11).contains(&h) {
                return Err(bad(format!("Invalid value for HourOfAmPm: {h}")));
            }
            let v = ap * 12 + h;
            if hour.is_some_and(|x| x != v) {
                return Err(bad("Conflict found: HourOfDay".into()));
            }
            hour = Some(v);
        }
    }
    let mut extra_day = false;
    let (mut min, mut sec, mut nano) = (g(F::Minute), g(F::Second), g(F::NanoOfSecond));
    if hour.is_none() {
        if let Some(ms) = g(F::MilliOfDay) {
            hour = Some(ms / 3_600_000);
            min = Some(ms / 60_000 % 60);
            sec = Some(ms / 1000 % 60);
            nano = Some(nano.unwrap_or(0).max(ms % 1000 * 1_000_000));
        } else if let Some(ns) = g(F::NanoOfDay) {
            hour = Some(ns / 3_600_000_000_000);
            min = Some(ns / 60_000_000_000 % 60);
            sec = Some(ns / 1_000_000_000 % 60);
            nano = Some(ns % 1_000_000_000);
        }
    }
    if let Some(mut h) = hour {
        if min.is_none() && (sec.is_some() || nano.is_some()) || sec.is_none() && nano.is_some() {
            // unresolvable partial time
        } else {
            let (mi, s, n) = (min.unwrap_or(0), sec.unwrap_or(0), nano.unwrap_or(0));
            if h == 24 && mi == 0 && s == 0 && n == 0 {
                h = 0;
                extra_day = true;
            }
            if !(0..=23).contains(&h) {
                return Err(bad(format!(
                    "Invalid value for HourOfDay (valid values 0 - 23): {h}"
                )));
            }
            if !(0..=59).contains(&mi) {
                return Err(bad(format!(
                    "Invalid value for MinuteOfHour (valid values 0 - 59): {mi}"
                )));
            }
            if !(0..=59).contains(&s) {
                return Err(bad(format!(
                    "Invalid value for SecondOfMinute (valid values 0 - 59): {s}"
                )));
            }
            r.time = NaiveTime::from_hms_nano_opt(h as u32, mi as u32, s as u32, n as u32);
        }
    }
    if extra_day {
        r.date = r.date.and_then(|d| d.succ_opt());
    }
    Ok(r)
}

/// Which java.time class a parse should produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    LocalDate,
    LocalTime,
    LocalDateTime,
    OffsetDateTime,
    ZonedDateTime,
    Instant,
}

impl Target {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Target::LocalDate => "LocalDate",
            Target::LocalTime => "LocalTime",
            Target::LocalDateTime => "LocalDateTime",
            Target::OffsetDateTime => "OffsetDateTime",
            Target::ZonedDateTime => "ZonedDateTime",
            Target::Instant => "Instant",
        }
    }
}

impl Formatter {
    /// `X.parse(text, formatter)`.
    pub fn parse(&self, text: &str, target: Target) -> Result<Obj, String> {
        let elems = Arc::clone(&self.elems);
        let mut cx = ParseCx {
            f: self,
            text,
            pos: 0,
            parsed: Parsed::default(),
        };
        cx.parse_elems(&elems).map_err(|pos| fail_at(text, pos))?;
        if cx.pos < text.len() {
            return Err(format!(
                "Text '{text}' could not be parsed, unparsed text found at index {}",
                cx.pos
            ));
        }
        let r = resolve(&cx.parsed, text)?;
        let missing = || {
            format!(
                "Text '{text}' could not be parsed: Unable to obtain {} from TemporalAccessor",
                target.name()
            )
        };
        let ldt = || -> Result<NaiveDateTime, String> {
            Ok(r.date
                .ok_or_else(missing)?
                .and_time(r.time.ok_or_else(missing)?))
        };
        Ok(match target {
            Target::LocalDate => Obj::LocalDate(r.date.ok_or_else(missing)?),
            Target::LocalTime => Obj::LocalTime(r.time.ok_or_else(missing)?),
            Target::LocalDateTime => Obj::LocalDateTime(ldt()?),
            Target::OffsetDateTime => {
                let off = r
                    .offset
                    .or(match &r.zone {
                        Some(ZoneId::Offset(o)) => Some(*o),
                        _ => None,
                    })
                    .ok_or_else(missing)?;
                Obj::OffsetDateTime(
                    off.from_local_datetime(&ldt()?)
                        .single()
                        .ok_or_else(missing)?,
                )
            }
            Target::ZonedDateTime => {
                let l = ldt()?;
                match (r.zone, r.offset) {
                    (Some(z), Some(o)) => {
                        let inst = o
                            .from_local_datetime(&l)
                            .single()
                            .ok_or_else(missing)?
                            .with_timezone(&Utc);
                        Obj::ZonedDateTime(crate::time::zdt_of_instant(inst, z))
                    }
                    (Some(z), None) => Obj::ZonedDateTime(crate::time::zdt_of_local(l, z, None)?),
                    (None, Some(o)) => Obj::ZonedDateTime(ZonedDateTime {
                        dt: o.from_local_datetime(&l).single().ok_or_else(missing)?,
                        zone: ZoneId::Offset(o),
                    }),
                    (None, None) => return Err(missing()),
                }
            }
            Target::Instant => {
                let l = ldt()?;
                let inst = match (r.offset, r.zone) {
                    (Some(o), _) => o
                        .from_local_datetime(&l)
                        .single()
                        .ok_or_else(missing)?
                        .with_timezone(&Utc),
                    (None, Some(z)) => crate::time::zdt_of_local(l, z, None)?
                        .dt
                        .with_timezone(&Utc),
                    _ => return Err(missing()),
                };
                Obj::Instant(inst)
            }
        })
    }
}

/// ISO parse of one of the java.time classes (`LocalDate.parse(text)` & co.).
pub fn parse_iso(text: &str, target: Target) -> Result<Obj, String> {
    let o = match target {
        Target::LocalDate => crate::time::parse_local_date(text).map(Obj::LocalDate),
        Target::LocalTime => crate::time::parse_local_time(text).map(Obj::LocalTime),
        Target::LocalDateTime => crate::time::parse_local_date_time(text).map(Obj::LocalDateTime),
        Target::OffsetDateTime => {
            crate::time::parse_offset_date_time(text).map(Obj::OffsetDateTime)
        }
        Target::ZonedDateTime => crate::time::parse_zoned_date_time(text).map(Obj::ZonedDateTime),
        Target::Instant => crate::time::parse_instant(text).map(Obj::Instant),
    };
    o.ok_or_else(|| format!("Text '{text}' could not be parsed as {}", target.name()))
}
