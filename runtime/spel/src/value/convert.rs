//! Strings to the value classes of §15.2 (`'Europe/Warsaw'` to a `ZoneId`, `'2020-01-01'` to a
//! `LocalDate`, ...): the conversion `to(...)`, JSON decoding and the typer's literal check share.

use super::{Obj, Str, Value};
use crate::types::Class;

const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW",
    "ZWL",
];

const CHARSETS: &[&str] = &[
    "UTF-8",
    "US-ASCII",
    "ISO-8859-1",
    "UTF-16",
    "UTF-16BE",
    "UTF-16LE",
    "UTF-32",
    "windows-1250",
    "windows-1252",
];

/// `StringUtils.parseLocale` plus an availability check: `pl`, `pl_PL`, `en-US`.
fn parse_locale(s: &str) -> Option<Value> {
    let norm = s.replace('-', "_");
    let mut parts = norm.split('_');
    let lang = parts.next()?;
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let country = parts.next();
    if let Some(c) = country {
        if !(c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic())
            || c.len() == 3 && c.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
    }
    if parts.next().is_some() {
        return None;
    }
    let text = match country {
        Some(c) => format!("{}_{}", lang.to_lowercase(), c.to_uppercase()),
        None => lang.to_lowercase(),
    };
    Some(Value::obj(Obj::Locale(Str::from(text))))
}

/// String to one of the value classes of §15.2 (`None` when the text does not parse).
pub fn convert_string(s: &str, target: Class) -> Option<Value> {
    use crate::time as d;
    match target {
        Class::String => Some(Value::str(s)),
        Class::Uuid => uuid::Uuid::parse_str(s)
            .ok()
            .filter(|_| s.len() == 36)
            .map(|u| Value::obj(Obj::Uuid(u))),
        Class::Locale => parse_locale(s),
        Class::Currency => CURRENCIES
            .contains(&s)
            .then(|| Value::obj(Obj::Currency(Str::new(s)))),
        Class::Charset => CHARSETS
            .iter()
            .find(|c| {
                c.eq_ignore_ascii_case(s)
                    || c.replace('-', "").eq_ignore_ascii_case(&s.replace('-', ""))
            })
            .map(|c| Value::obj(Obj::Charset(Str::new(c)))),
        Class::ZoneId => d::parse_zone_id(s).map(|z| Value::obj(Obj::ZoneId(z))),
        Class::ZoneOffset => d::parse_zone_offset(s).map(|z| Value::obj(Obj::ZoneOffset(z))),
        Class::LocalDate | Class::ChronoLocalDate => {
            d::parse_local_date(s).map(|v| Value::obj(Obj::LocalDate(v)))
        }
        Class::LocalTime => d::parse_local_time(s).map(|v| Value::obj(Obj::LocalTime(v))),
        Class::LocalDateTime | Class::ChronoLocalDateTime => {
            d::parse_local_date_time(s).map(|v| Value::obj(Obj::LocalDateTime(v)))
        }
        Class::Instant => d::parse_instant(s).map(|v| Value::obj(Obj::Instant(v))),
        Class::OffsetDateTime => {
            d::parse_offset_date_time(s).map(|v| Value::obj(Obj::OffsetDateTime(v)))
        }
        Class::ZonedDateTime => {
            d::parse_zoned_date_time(s).map(|v| Value::obj(Obj::ZonedDateTime(v)))
        }
        Class::DayOfWeek | Class::Month => d::parse_enum(s, target),
        _ => None,
    }
}

/// Does a string literal convert to `target` at compile time (§15.2)?
pub fn string_literal_converts_to(s: &str, target: Class) -> bool {
    matches!(
        target,
        Class::ZoneOffset
            | Class::ZoneId
            | Class::Locale
            | Class::Charset
            | Class::Currency
            | Class::Uuid
            | Class::LocalTime
            | Class::LocalDate
            | Class::LocalDateTime
            | Class::ChronoLocalDate
            | Class::ChronoLocalDateTime
    ) && convert_string(s, target).is_some()
}
