//! `java.time.Period` arithmetic: `Period.between`, month lengths, `plusMonths`, `Period.parse`.

use chrono::{Datelike, NaiveDate};

use crate::value::Period;

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

/// `Period.parse`: `PnYnMnWnD` with optional signs.
pub(crate) fn parse_period(s: &str) -> Option<Period> {
    let (neg_all, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut t = rest.strip_prefix(['P', 'p'])?;
    if t.is_empty() {
        return None;
    }
    let mut p = Period {
        years: 0,
        months: 0,
        days: 0,
    };
    for unit in ['Y', 'M', 'W', 'D'] {
        if let Some(i) = t.find([unit, unit.to_ascii_lowercase()]) {
            let n: i32 = t[..i].parse().ok()?;
            match unit {
                'Y' => p.years = n,
                'M' => p.months = n,
                'W' => p.days = p.days.checked_add(n.checked_mul(7)?)?,
                _ => p.days = p.days.checked_add(n)?,
            }
            t = &t[i + 1..];
        }
    }
    if !t.is_empty() {
        return None;
    }
    if neg_all {
        p = Period {
            years: p.years.checked_neg()?,
            months: p.months.checked_neg()?,
            days: p.days.checked_neg()?,
        };
    }
    Some(p)
}
