//! `DateTimeFormatter`: construction, `toString()` and formatting a temporal value.

use std::sync::Arc;

use chrono::{Datelike, Timelike};

use crate::time::fields::Fields;
use crate::time::format::locale::{names, week_def};
use crate::time::format::pattern::{compile, Elem, Sign, Style, F};
use crate::time::format::text::{describe_elem, format_offset, localized_offset, zone_text};
use crate::time::format::week::{localized_dow, week_based, week_of_month};
use crate::value::{Obj, Str};

/// A `java.time.format.DateTimeFormatter` built from a pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Formatter {
    pub pattern: Str,
    pub locale: Str,
    pub lenient: bool,
    /// The compiled pattern.
    pub(crate) elems: Arc<Vec<Elem>>,
}

impl Formatter {
    pub fn new(pattern: &str, locale: &str, lenient: bool) -> Result<Formatter, String> {
        let elems = Arc::new(compile(pattern)?);
        Ok(Formatter {
            pattern: Str::new(pattern),
            locale: Str::new(locale),
            lenient,
            elems,
        })
    }

    /// What `toString` shows.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.lenient {
            out.push_str("ParseCaseSensitive(false)ParseStrict(false)");
        }
        for e in self.elems.iter() {
            describe_elem(e, &mut out);
        }
        out
    }

    pub(crate) fn unsupported(f: F) -> String {
        format!("Unsupported field: {}", f.java_name())
    }

    pub(crate) fn value(&self, fl: &Fields, f: F) -> Result<i64, String> {
        let date = || fl.date.ok_or_else(|| Self::unsupported(f));
        let time = || fl.time.ok_or_else(|| Self::unsupported(f));
        Ok(match f {
            F::Era => i64::from(date()?.year() > 0),
            F::YearOfEra => {
                let y = date()?.year();
                i64::from(if y > 0 { y } else { 1 - y })
            }
            F::Year => i64::from(date()?.year()),
            F::WeekBasedYear => i64::from(week_based(date()?, week_def(&self.locale)).0),
            F::WeekOfWeekBasedYear => week_based(date()?, week_def(&self.locale)).1,
            F::WeekOfMonth => week_of_month(date()?, week_def(&self.locale)),
            F::Quarter => i64::from((fl.month.ok_or_else(|| Self::unsupported(f))? - 1) / 3 + 1),
            F::Month => i64::from(fl.month.ok_or_else(|| Self::unsupported(f))?),
            F::Day => i64::from(date()?.day()),
            F::DayOfYear => i64::from(date()?.ordinal()),
            F::AlignedDowInMonth => i64::from((date()?.day() - 1) % 7 + 1),
            F::DayOfWeek => i64::from(
                fl.dow
                    .ok_or_else(|| Self::unsupported(f))?
                    .number_from_monday(),
            ),
            F::LocalizedDow => i64::from(localized_dow(
                fl.dow.ok_or_else(|| Self::unsupported(f))?,
                week_def(&self.locale).0,
            )),
            F::AmPm => i64::from(time()?.hour() >= 12),
            F::ClockHourOfAmPm => {
                let h = time()?.hour() % 12;
                i64::from(if h == 0 { 12 } else { h })
            }
            F::HourOfAmPm => i64::from(time()?.hour() % 12),
            F::ClockHourOfDay => {
                let h = time()?.hour();
                i64::from(if h == 0 { 24 } else { h })
            }
            F::HourOfDay => i64::from(time()?.hour()),
            F::Minute => i64::from(time()?.minute()),
            F::Second => i64::from(time()?.second()),
            F::NanoOfSecond => i64::from(time()?.nanosecond().min(999_999_999)),
            F::MilliOfDay => {
                let t = time()?;
                i64::from(t.num_seconds_from_midnight()) * 1000
                    + i64::from(t.nanosecond().min(999_999_999) / 1_000_000)
            }
            F::NanoOfDay => {
                let t = time()?;
                i64::from(t.num_seconds_from_midnight()) * 1_000_000_000
                    + i64::from(t.nanosecond().min(999_999_999))
            }
        })
    }

    pub(crate) fn text(
        &self,
        f: F,
        v: i64,
        style: Style,
        standalone: bool,
    ) -> Result<String, String> {
        let n = names(&self.locale);
        let idx = |len: i64, base: i64| -> Result<usize, String> {
            let i = v - base;
            if (0..len).contains(&i) {
                Ok(i as usize)
            } else {
                Err(format!("Invalid value for {}: {v}", f.java_name()))
            }
        };
        Ok(match f {
            F::Month => {
                let i = idx(12, 1)?;
                match (style, standalone) {
                    (Style::Full, false) => n.months_full[i],
                    (Style::Full, true) => n.months_full_sa[i],
                    (Style::Short, false) => n.months_short[i],
                    (Style::Short, true) => n.months_short_sa[i],
                    (Style::Narrow, _) => n.months_narrow[i],
                }
                .to_string()
            }
            F::DayOfWeek => {
                let i = idx(7, 1)?;
                match (style, standalone) {
                    (Style::Full, _) => n.days_full[i],
                    (Style::Short, false) => n.days_short[i],
                    (Style::Short, true) => n.days_short_sa[i],
                    (Style::Narrow, _) => n.days_narrow[i],
                }
                .to_string()
            }
            F::AmPm => n.ampm[idx(2, 0)?].to_string(),
            F::Era => {
                let i = idx(2, 0)?;
                match style {
                    Style::Full => n.eras_full[i].to_string(),
                    Style::Short => n.eras_short[i].to_string(),
                    Style::Narrow => n.eras_short[i]
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default(),
                }
            }
            F::Quarter => {
                let i = idx(4, 1)?;
                match style {
                    Style::Full => n.quarters_full[i].to_string(),
                    Style::Short => n.quarters_short[i].to_string(),
                    Style::Narrow => (i + 1).to_string(),
                }
            }
            _ => v.to_string(),
        })
    }

    pub(crate) fn format_elems(
        &self,
        elems: &[Elem],
        fl: &Fields,
        out: &mut String,
    ) -> Result<(), String> {
        for e in elems {
            self.format_elem(e, fl, out)?;
        }
        Ok(())
    }

    pub(crate) fn format_elem(
        &self,
        e: &Elem,
        fl: &Fields,
        out: &mut String,
    ) -> Result<(), String> {
        match e {
            Elem::Lit(s) => out.push_str(s),
            Elem::Num { f, min, max, sign } => {
                let v = self.value(fl, *f)?;
                let digits = v.unsigned_abs().to_string();
                if digits.len() > *max {
                    return Err(format!(
                        "Field {} cannot be printed as the value {v} exceeds the maximum print width of {max}",
                        f.java_name()
                    ));
                }
                if v < 0 {
                    if *sign == Sign::NotNegative {
                        return Err(format!(
                            "Field {} cannot be printed as the value {v} cannot be negative",
                            f.java_name()
                        ));
                    }
                    out.push('-');
                } else if *sign == Sign::ExceedsPad && digits.len() > *min {
                    out.push('+');
                }
                for _ in digits.len()..*min {
                    out.push('0');
                }
                out.push_str(&digits);
            }
            Elem::Reduced { f } => {
                let v = self.value(fl, *f)?;
                out.push_str(&format!("{:02}", v.rem_euclid(100)));
            }
            Elem::Text {
                f,
                style,
                standalone,
            } => {
                let v = self.value(fl, *f)?;
                out.push_str(&self.text(*f, v, *style, *standalone)?);
            }
            Elem::Fraction { min, max } => {
                let n = self.value(fl, F::NanoOfSecond)?;
                let s = format!("{n:09}");
                let mut digits: &str = &s[..(*max).min(9)];
                while digits.len() > *min && digits.ends_with('0') {
                    digits = &digits[..digits.len() - 1];
                }
                out.push_str(digits);
                for _ in 9..*min {
                    out.push('0');
                }
            }
            Elem::Offset { pattern, zero } => {
                let o = fl
                    .offset
                    .ok_or_else(|| "Unsupported field: OffsetSeconds".to_string())?;
                out.push_str(&format_offset(o.local_minus_utc(), pattern, zero));
            }
            Elem::LocalizedOffset { full } => {
                let o = fl
                    .offset
                    .ok_or_else(|| "Unsupported field: OffsetSeconds".to_string())?;
                out.push_str(&localized_offset(o.local_minus_utc(), *full));
            }
            Elem::ZoneId => {
                let z = fl.zone.as_ref().ok_or_else(|| {
                    format!("Unable to extract ZoneId from temporal {}", self.pattern)
                })?;
                out.push_str(&crate::time::zone_id_string(z));
            }
            Elem::ZoneText { full } => {
                let z = fl.zone.as_ref().ok_or_else(|| {
                    format!("Unable to extract ZoneId from temporal {}", self.pattern)
                })?;
                out.push_str(&zone_text(z, fl.instant, *full));
            }
            Elem::Optional(inner) => {
                let mut tmp = String::new();
                if self.format_elems(inner, fl, &mut tmp).is_ok() {
                    out.push_str(&tmp);
                }
            }
            Elem::Pad { width, elem } => {
                let mut tmp = String::new();
                self.format_elem(elem, fl, &mut tmp)?;
                let len = tmp.chars().count();
                if len > *width {
                    return Err(format!(
                        "Cannot print as output of {len} characters exceeds pad width of {width}"
                    ));
                }
                for _ in len..*width {
                    out.push(' ');
                }
                out.push_str(&tmp);
            }
        }
        Ok(())
    }

    /// `DateTimeFormatter.format(temporal)`.
    pub fn format(&self, o: &Obj) -> Result<String, String> {
        let elems = &self.elems;
        let fl = crate::time::fields_of(o)
            .ok_or_else(|| format!("Unsupported temporal: {}", o.class_name()))?;
        let mut out = String::new();
        self.format_elems(elems, &fl, &mut out)?;
        Ok(out)
    }
}
