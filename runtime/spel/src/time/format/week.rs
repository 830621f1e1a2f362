//! Week-based fields (`Y`, `w`, `W`, `e`/`c`) by the locale's week definition.

use chrono::{Datelike, NaiveDate, Weekday};

pub(crate) fn localized_dow(d: Weekday, first: Weekday) -> u32 {
    (d.num_days_from_monday() + 7 - first.num_days_from_monday()) % 7 + 1
}

pub(crate) fn start_of_week_offset(day: i64, dow: i64, min_days: i64) -> i64 {
    let week_start = (day - dow).rem_euclid(7);
    let mut offset = -week_start;
    if week_start + 1 > min_days {
        offset = 7 - week_start;
    }
    offset
}

pub(crate) fn compute_week(offset: i64, day: i64) -> i64 {
    (7 + offset + (day - 1)).div_euclid(7)
}

pub(crate) fn year_len(y: i32) -> i64 {
    if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// (week-based-year, week-of-week-based-year) per `WeekFields`.
pub(crate) fn week_based(d: NaiveDate, wd: (Weekday, u32)) -> (i32, i64) {
    let dow = i64::from(localized_dow(d.weekday(), wd.0));
    let min = i64::from(wd.1);
    let doy = i64::from(d.ordinal());
    let offset = start_of_week_offset(doy, dow, min);
    let week = compute_week(offset, doy);
    if week == 0 {
        let prev_len = year_len(d.year() - 1);
        let doy2 = doy + prev_len;
        let off2 = start_of_week_offset(doy2, dow, min);
        return (d.year() - 1, compute_week(off2, doy2));
    }
    let new_year_week = compute_week(offset, year_len(d.year()) + min);
    if week >= new_year_week {
        return (d.year() + 1, week - new_year_week + 1);
    }
    (d.year(), week)
}

pub(crate) fn week_of_month(d: NaiveDate, wd: (Weekday, u32)) -> i64 {
    let dow = i64::from(localized_dow(d.weekday(), wd.0));
    let dom = i64::from(d.day());
    let offset = start_of_week_offset(dom, dow, i64::from(wd.1));
    compute_week(offset, dom)
}
