//! Text printed by formatter elements: `toString()` of one element, offsets (`XXX`, `O`)
//! and zone names (`z`, `zzzz`).

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::OffsetName;

use crate::time::format::pattern::{Elem, Sign, Style};
use crate::value::ZoneId;

/// `DateTimeFormatter.toString()` of one printer-parser.
pub(crate) fn describe_elem(e: &Elem, out: &mut String) {
    let style_name = |style: Style, standalone: bool| -> &'static str {
        match (style, standalone) {
            (Style::Full, false) => "FULL",
            (Style::Full, true) => "FULL_STANDALONE",
            (Style::Short, false) => "SHORT",
            (Style::Short, true) => "SHORT_STANDALONE",
            (Style::Narrow, false) => "NARROW",
            (Style::Narrow, true) => "NARROW_STANDALONE",
        }
    };
    match e {
        Elem::Lit(s) => {
            if s == "'" {
                out.push_str("''");
            } else if s.chars().count() == 1 {
                out.push_str(&format!("'{s}'"));
            } else {
                out.push_str(&format!("'{}'", s.replace('\'', "''")));
            }
        }
        Elem::Num { f, min, max, sign } => {
            let name = f.java_name();
            if *min == 1 && *max == 19 && *sign == Sign::Normal {
                out.push_str(&format!("Value({name})"));
            } else if min == max && *sign == Sign::NotNegative {
                out.push_str(&format!("Value({name},{min})"));
            } else {
                let sn = match sign {
                    Sign::Normal => "NORMAL",
                    Sign::ExceedsPad => "EXCEEDS_PAD",
                    Sign::NotNegative => "NOT_NEGATIVE",
                };
                out.push_str(&format!("Value({name},{min},{max},{sn})"));
            }
        }
        Elem::Reduced { f } => {
            out.push_str(&format!("ReducedValue({},2,2,2000-01-01)", f.java_name()))
        }
        Elem::Text {
            f,
            style,
            standalone,
        } => {
            if *style == Style::Full && !*standalone {
                out.push_str(&format!("Text({})", f.java_name()));
            } else {
                out.push_str(&format!(
                    "Text({},{})",
                    f.java_name(),
                    style_name(*style, *standalone)
                ));
            }
        }
        Elem::Fraction { min, max } => out.push_str(&format!("Fraction(NanoOfSecond,{min},{max})")),
        Elem::Offset { pattern, zero } => {
            out.push_str(&format!("Offset({pattern},'{}')", zero.replace('\'', "''")))
        }
        Elem::LocalizedOffset { full } => out.push_str(if *full {
            "LocalizedOffset(FULL)"
        } else {
            "LocalizedOffset(SHORT)"
        }),
        Elem::ZoneId => out.push_str("ZoneId()"),
        Elem::ZoneText { full } => out.push_str(if *full {
            "ZoneText(FULL)"
        } else {
            "ZoneText(SHORT)"
        }),
        Elem::Optional(inner) => {
            out.push('[');
            for i in inner {
                describe_elem(i, out);
            }
            out.push(']');
        }
        Elem::Pad { width, elem } => {
            out.push_str("Pad(");
            describe_elem(elem, out);
            out.push_str(&format!(",{width})"));
        }
    }
}

pub(crate) fn format_offset(total: i32, pattern: &str, zero: &str) -> String {
    if total == 0 {
        return zero.to_string();
    }
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let mut out = String::from(if total < 0 { "-" } else { "+" });
    out.push_str(&format!("{h:02}"));
    let colon = pattern.contains(':');
    let sep = if colon { ":" } else { "" };
    match pattern {
        "+HHmm" => {
            if m != 0 || s != 0 {
                out.push_str(&format!("{sep}{m:02}"));
            }
        }
        "+HHMM" | "+HH:MM" => out.push_str(&format!("{sep}{m:02}")),
        _ => {
            out.push_str(&format!("{sep}{m:02}"));
            if s != 0 {
                out.push_str(&format!("{sep}{s:02}"));
            }
        }
    }
    out
}

pub(crate) fn localized_offset(total: i32, full: bool) -> String {
    if total == 0 {
        return "GMT".into();
    }
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let sign = if total < 0 { '-' } else { '+' };
    if full {
        let mut out = format!("GMT{sign}{h:02}:{m:02}");
        if s != 0 {
            out.push_str(&format!(":{s:02}"));
        }
        out
    } else {
        let mut out = format!("GMT{sign}{h}");
        if m != 0 || s != 0 {
            out.push_str(&format!(":{m:02}"));
            if s != 0 {
                out.push_str(&format!(":{s:02}"));
            }
        }
        out
    }
}

pub(crate) fn zone_text(z: &ZoneId, instant: Option<DateTime<Utc>>, full: bool) -> String {
    match z {
        ZoneId::Offset(o) => crate::time::offset_id(o),
        ZoneId::Region(tz) => {
            let at = instant
                .unwrap_or_else(|| DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default());
            let off = tz.offset_from_utc_datetime(&at.naive_utc());
            let abbr = off
                .abbreviation()
                .map(str::to_string)
                .unwrap_or_else(|| tz.name().to_string());
            if full {
                full_zone_name(&abbr).map(str::to_string).unwrap_or(abbr)
            } else if abbr.starts_with('+') || abbr.starts_with('-') {
                localized_offset(off.fix().local_minus_utc(), false)
            } else {
                abbr
            }
        }
    }
}

pub(crate) fn full_zone_name(abbr: &str) -> Option<&'static str> {
    Some(match abbr {
        "CET" => "Central European Standard Time",
        "CEST" => "Central European Summer Time",
        "EET" => "Eastern European Standard Time",
        "EEST" => "Eastern European Summer Time",
        "WET" => "Western European Standard Time",
        "WEST" => "Western European Summer Time",
        "GMT" => "Greenwich Mean Time",
        "BST" => "British Summer Time",
        "UTC" => "Coordinated Universal Time",
        "EST" => "Eastern Standard Time",
        "EDT" => "Eastern Daylight Time",
        "CST" => "Central Standard Time",
        "CDT" => "Central Daylight Time",
        "MST" => "Mountain Standard Time",
        "MDT" => "Mountain Daylight Time",
        "PST" => "Pacific Standard Time",
        "PDT" => "Pacific Daylight Time",
        _ => return None,
    })
}
