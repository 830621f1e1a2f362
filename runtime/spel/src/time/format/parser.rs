//! Parsing text with a `DateTimeFormatter` pattern into raw fields.

use std::collections::HashMap;

use chrono::FixedOffset;

use crate::time::format::formatter::Formatter;
use crate::time::format::locale::names;
use crate::time::format::pattern::{Elem, Sign, Style, F};
use crate::time::iso::Cur;
use crate::value::ZoneId;

#[derive(Clone, Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) fields: HashMap<F, i64>,
    pub(crate) offset: Option<FixedOffset>,
    pub(crate) zone: Option<ZoneId>,
}

impl Parsed {
    pub(crate) fn set(&mut self, f: F, v: i64) -> Result<(), String> {
        match self.fields.insert(f, v) {
            Some(old) if old != v => Err(format!(
                "Conflict found: {} {old} differs from {} {v}",
                f.java_name(),
                f.java_name()
            )),
            _ => Ok(()),
        }
    }
}

pub(crate) struct ParseCx<'a> {
    pub(crate) f: &'a Formatter,
    pub(crate) text: &'a str,
    pub(crate) pos: usize,
    pub(crate) parsed: Parsed,
}

pub(crate) fn fail_at(text: &str, pos: usize) -> String {
    format!("Text '{text}' could not be parsed at index {pos}")
}

impl ParseCx<'_> {
    pub(crate) fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub(crate) fn case_insensitive(&self) -> bool {
        self.f.lenient
    }

    pub(crate) fn parse_elems(&mut self, elems: &[Elem]) -> Result<(), usize> {
        for (i, e) in elems.iter().enumerate() {
            self.parse_elem(e, &elems[i + 1..])?;
        }
        Ok(())
    }

    /// Width reserved by the fixed-width numeric fields that directly follow (adjacent value
    /// parsing, e.g. `yyyyMMdd`).
    pub(crate) fn reserved(next: &[Elem]) -> usize {
        let mut n = 0;
        for e in next {
            match e {
                Elem::Num { min, max, .. } if min == max => n += *min,
                Elem::Reduced { .. } => n += 2,
                Elem::Fraction { min, max } if min == max => n += *min,
                _ => break,
            }
        }
        n
    }

    pub(crate) fn parse_elem(&mut self, e: &Elem, next: &[Elem]) -> Result<(), usize> {
        let start = self.pos;
        match e {
            Elem::Lit(s) => {
                let rest = self.rest();
                let ok = if self.case_insensitive() {
                    rest.get(..s.len())
                        .is_some_and(|p| p.to_lowercase() == s.to_lowercase())
                } else {
                    rest.starts_with(s.as_str())
                };
                if !ok {
                    return Err(start);
                }
                self.pos += s.len();
            }
            Elem::Num { f, min, max, sign } => {
                let mut c = Cur::new(self.text);
                c.i = self.pos;
                let mut neg = false;
                if *sign != Sign::NotNegative {
                    if c.eat(b'-') {
                        neg = true;
                    } else if c.eat(b'+') && *sign == Sign::Normal && !self.f.lenient {
                        return Err(start);
                    }
                }
                let fixed = min == max;
                let (mut lo, mut hi) = (*min, *max);
                if self.f.lenient && !(fixed && Self::reserved(next) > 0) {
                    lo = 1;
                    hi = if fixed { 9 } else { hi.min(19) };
                }
                let reserve = Self::reserved(next);
                if !fixed && reserve > 0 {
                    let avail = self
                        .text
                        .as_bytes()
                        .get(c.i..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    hi = hi.min(avail.saturating_sub(reserve)).max(lo);
                }
                let (v, _) = c.digits_range(lo, hi.min(18)).ok_or(start)?;
                self.pos = c.i;
                self.parsed
                    .set(*f, if neg { -v } else { v })
                    .map_err(|_| start)?;
            }
            Elem::Reduced { f } => {
                let mut c = Cur::new(self.text);
                c.i = self.pos;
                let (v, n) = if self.f.lenient {
                    c.digits_range(1, 9).ok_or(start)?
                } else {
                    (c.digits(2).ok_or(start)?, 2)
                };
                self.pos = c.i;
                let year = if n == 2 { 2000 + v } else { v };
                self.parsed.set(*f, year).map_err(|_| start)?;
            }
            Elem::Text {
                f,
                style,
                standalone,
            } => {
                let v = self.parse_text(*f, *style, *standalone).ok_or(start)?;
                self.parsed.set(*f, v).map_err(|_| start)?;
            }
            Elem::Fraction { min, max } => {
                let mut c = Cur::new(self.text);
                c.i = self.pos;
                let (lo, hi) = if self.f.lenient { (0, 9) } else { (*min, *max) };
                let (v, n) = match c.digits_range(lo.max(1), hi.min(9)) {
                    Some(x) => x,
                    None if lo == 0 => (0, 0),
                    None => return Err(start),
                };
                self.pos = c.i;
                let nanos = if n == 0 {
                    0
                } else {
                    v * 10i64.pow(9 - n as u32)
                };
                self.parsed.set(F::NanoOfSecond, nanos).map_err(|_| start)?;
            }
            Elem::Offset { zero, .. } => {
                let o = self.parse_offset(zero).ok_or(start)?;
                self.parsed.offset = Some(o);
            }
            Elem::LocalizedOffset { .. } => {
                let rest = self.rest();
                if !rest.starts_with("GMT") {
                    return Err(start);
                }
                self.pos += 3;
                let o = self
                    .parse_offset("")
                    .or_else(|| FixedOffset::east_opt(0))
                    .ok_or(start)?;
                self.parsed.offset = Some(o);
            }
            Elem::ZoneId | Elem::ZoneText { .. } => {
                let rest = self.rest();
                let len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || b"~/._+-:".contains(b))
                    .count();
                let mut found = None;
                for l in (1..=len).rev() {
                    if let Some(z) = crate::time::parse_zone_id(&rest[..l]) {
                        found = Some((z, l));
                        break;
                    }
                }
                let (z, l) = found.ok_or(start)?;
                self.pos += l;
                self.parsed.zone = Some(z);
            }
            Elem::Optional(inner) => {
                let saved = (self.pos, self.parsed.clone());
                if self.parse_elems(inner).is_err() {
                    self.pos = saved.0;
                    self.parsed = saved.1;
                }
            }
            Elem::Pad { width, elem } => {
                let mut skipped = 0;
                while skipped < *width && self.rest().starts_with(' ') {
                    self.pos += 1;
                    skipped += 1;
                }
                self.parse_elem(elem, next)?;
            }
        }
        Ok(())
    }

    pub(crate) fn parse_text(&mut self, f: F, style: Style, standalone: bool) -> Option<i64> {
        let n = names(&self.f.locale);
        let (candidates, base): (Vec<&[&str]>, i64) = match f {
            F::Month => {
                let all: Vec<&[&str]> = vec![
                    &n.months_full,
                    &n.months_full_sa,
                    &n.months_short,
                    &n.months_short_sa,
                    &n.months_narrow,
                ];
                let strict: Vec<&[&str]> = match (style, standalone) {
                    (Style::Full, false) => vec![&n.months_full],
                    (Style::Full, true) => vec![&n.months_full_sa],
                    (Style::Short, false) => vec![&n.months_short],
                    (Style::Short, true) => vec![&n.months_short_sa],
                    (Style::Narrow, _) => vec![&n.months_narrow],
                };
                (if self.f.lenient { all } else { strict }, 1)
            }
            F::DayOfWeek => {
                let all: Vec<&[&str]> = vec![
                    &n.days_full,
                    &n.days_short,
                    &n.days_short_sa,
                    &n.days_narrow,
                ];
                let strict: Vec<&[&str]> = match (style, standalone) {
                    (Style::Full, _) => vec![&n.days_full],
                    (Style::Short, false) => vec![&n.days_short],
                    (Style::Short, true) => vec![&n.days_short_sa],
                    (Style::Narrow, _) => vec![&n.days_narrow],
                };
                (if self.f.lenient { all } else { strict }, 1)
            }
            F::AmPm => (vec![&n.ampm], 0),
            F::Era => (vec![&n.eras_full, &n.eras_short], 0),
            F::Quarter => (vec![&n.quarters_full, &n.quarters_short], 1),
            _ => return None,
        };
        let rest = self.rest();
        let mut best: Option<(usize, i64)> = None;
        for list in candidates {
            for (i, name) in list.iter().enumerate() {
                let matches = if self.case_insensitive() {
                    rest.get(..name.len())
                        .is_some_and(|p| p.to_lowercase() == name.to_lowercase())
                } else {
                    rest.starts_with(name)
                };
                if matches && best.is_none_or(|(l, _)| name.len() > l) {
                    best = Some((name.len(), i as i64 + base));
                }
            }
        }
        let (len, v) = best?;
        self.pos += len;
        Some(v)
    }

    pub(crate) fn parse_offset(&mut self, zero: &str) -> Option<FixedOffset> {
        let rest = self.rest();
        if !zero.is_empty() && zero != "+00" && zero != "+0000" && zero != "+00:00" {
            let ok = if self.case_insensitive() {
                rest.get(..zero.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(zero))
            } else {
                rest.starts_with(zero)
            };
            if ok {
                self.pos += zero.len();
                return FixedOffset::east_opt(0);
            }
        }
        let mut c = Cur::new(self.text);
        c.i = self.pos;
        let neg = match c.peek() {
            Some(b'+') => false,
            Some(b'-') => true,
            _ => return None,
        };
        c.i += 1;
        let h = c.digits(2)?;
        let mut m = 0;
        let mut s = 0;
        let colon = c.eat(b':');
        let save = c.i;
        if let Some(v) = c.digits(2) {
            m = v;
            let save2 = c.i;
            if !colon || c.eat(b':') {
                match c.digits(2) {
                    Some(v) => s = v,
                    None => c.i = save2,
                }
            }
        } else if colon {
            c.i = save - 1;
        }
        if h > 18 || m > 59 || s > 59 {
            return None;
        }
        self.pos = c.i;
        let total = (h * 3600 + m * 60 + s) as i32;
        FixedOffset::east_opt(if neg { -total } else { total })
    }
}
