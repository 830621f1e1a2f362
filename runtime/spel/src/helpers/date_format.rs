//! `#DATE_FORMAT` helper (spel.md §13.6) and the `DateTimeFormatter` object.
//!
//! `Formatter` follows `DateTimeFormatter.ofPattern(pattern, locale)` (resolver style SMART):
//! Java pattern letters, optional sections `[...]`, quoted literals, padding `p`, locale-aware
//! month/day/AM-PM/era names (en, pl, de, fr, es, it; other languages fall back to English).
//! The lenient variant (`lenientFormatter`) parses case-insensitively and accepts 1..9 digits
//! for fixed-width numeric fields, like `parseCaseInsensitive().parseLenient()`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Utc, Weekday,
};

use chrono_tz::OffsetName;

use super::date::{self, Cur, Fields};
use crate::eval::EvalEnv;
use crate::m;
use crate::methods::{args, MethodDef, P};
use crate::types::Class;
use crate::value::{Obj, Str, Value, ZoneId, ZonedDateTime};

type R = Result<Value, String>;

/// A `java.time.format.DateTimeFormatter` built from a pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Formatter {
    pub pattern: Str,
    pub locale: Str,
    pub lenient: bool,
    /// The compiled pattern.
    elems: Arc<Vec<Elem>>,
}

// ---------------------------------------------------------------------------------------------
// Locale data
// ---------------------------------------------------------------------------------------------

struct Names {
    months_full: [&'static str; 12],
    months_full_sa: [&'static str; 12],
    months_short: [&'static str; 12],
    months_short_sa: [&'static str; 12],
    months_narrow: [&'static str; 12],
    days_full: [&'static str; 7],
    days_short: [&'static str; 7],
    days_short_sa: [&'static str; 7],
    days_narrow: [&'static str; 7],
    ampm: [&'static str; 2],
    eras_short: [&'static str; 2],
    eras_full: [&'static str; 2],
    quarters_short: [&'static str; 4],
    quarters_full: [&'static str; 4],
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const EN_DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

static EN: Names = Names {
    months_full: EN_MONTHS,
    months_full_sa: EN_MONTHS,
    months_short: EN_MONTHS_SHORT,
    months_short_sa: EN_MONTHS_SHORT,
    months_narrow: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    days_short: EN_DAYS_SHORT,
    days_short_sa: EN_DAYS_SHORT,
    days_narrow: ["M", "T", "W", "T", "F", "S", "S"],
    ampm: ["AM", "PM"],
    eras_short: ["BC", "AD"],
    eras_full: ["Before Christ", "Anno Domini"],
    quarters_short: ["Q1", "Q2", "Q3", "Q4"],
    quarters_full: ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"],
};

const PL_MONTHS_SHORT: [&str; 12] = [
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
];
const PL_DAYS_SHORT: [&str; 7] = ["pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz."];
static PL: Names = Names {
    months_full: [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    months_full_sa: [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    months_short: PL_MONTHS_SHORT,
    months_short_sa: PL_MONTHS_SHORT,
    months_narrow: ["s", "l", "m", "k", "m", "c", "l", "s", "w", "p", "l", "g"],
    days_full: [
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
        "niedziela",
    ],
    days_short: PL_DAYS_SHORT,
    days_short_sa: PL_DAYS_SHORT,
    days_narrow: ["p", "w", "ś", "c", "p", "s", "n"],
    ampm: ["AM", "PM"],
    eras_short: ["p.n.e.", "n.e."],
    eras_full: ["przed naszą erą", "naszej ery"],
    quarters_short: ["I kw.", "II kw.", "III kw.", "IV kw."],
    quarters_full: ["I kwartał", "II kwartał", "III kwartał", "IV kwartał"],
};

const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
static DE: Names = Names {
    months_full: DE_MONTHS,
    months_full_sa: DE_MONTHS,
    months_short: [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ],
    months_short_sa: [
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ],
    months_narrow: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    days_short: ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    days_short_sa: ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    days_narrow: ["M", "D", "M", "D", "F", "S", "S"],
    ampm: ["AM", "PM"],
    eras_short: ["v. Chr.", "n. Chr."],
    eras_full: ["v. Chr.", "n. Chr."],
    quarters_short: ["Q1", "Q2", "Q3", "Q4"],
    quarters_full: ["1. Quartal", "2. Quartal", "3. Quartal", "4. Quartal"],
};

const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const FR_MONTHS_SHORT: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const FR_DAYS_SHORT: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
static FR: Names = Names {
    months_full: FR_MONTHS,
    months_full_sa: FR_MONTHS,
    months_short: FR_MONTHS_SHORT,
    months_short_sa: FR_MONTHS_SHORT,
    months_narrow: ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    days_short: FR_DAYS_SHORT,
    days_short_sa: FR_DAYS_SHORT,
    days_narrow: ["L", "M", "M", "J", "V", "S", "D"],
    ampm: ["AM", "PM"],
    eras_short: ["av. J.-C.", "ap. J.-C."],
    eras_full: ["avant Jésus-Christ", "après Jésus-Christ"],
    quarters_short: ["T1", "T2", "T3", "T4"],
    quarters_full: [
        "1er trimestre",
        "2e trimestre",
        "3e trimestre",
        "4e trimestre",
    ],
};

const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const ES_MONTHS_SHORT: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];
const ES_DAYS_SHORT: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
static ES: Names = Names {
    months_full: ES_MONTHS,
    months_full_sa: ES_MONTHS,
    months_short: ES_MONTHS_SHORT,
    months_short_sa: ES_MONTHS_SHORT,
    months_narrow: ["E", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"],
    days_full: [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ],
    days_short: ES_DAYS_SHORT,
    days_short_sa: ES_DAYS_SHORT,
    days_narrow: ["L", "M", "X", "J", "V", "S", "D"],
    ampm: ["a. m.", "p. m."],
    eras_short: ["a. C.", "d. C."],
    eras_full: ["antes de Cristo", "después de Cristo"],
    quarters_short: ["T1", "T2", "T3", "T4"],
    quarters_full: [
        "1.er trimestre",
        "2.º trimestre",
        "3.er trimestre",
        "4.º trimestre",
    ],
};

const IT_MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const IT_MONTHS_SHORT: [&str; 12] = [
    "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
];
const IT_DAYS_SHORT: [&str; 7] = ["lun", "mar", "mer", "gio", "ven", "sab", "dom"];
static IT: Names = Names {
    months_full: IT_MONTHS,
    months_full_sa: IT_MONTHS,
    months_short: IT_MONTHS_SHORT,
    months_short_sa: IT_MONTHS_SHORT,
    months_narrow: ["G", "F", "M", "A", "M", "G", "L", "A", "S", "O", "N", "D"],
    days_full: [
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ],
    days_short: IT_DAYS_SHORT,
    days_short_sa: IT_DAYS_SHORT,
    days_narrow: ["L", "M", "M", "G", "V", "S", "D"],
    ampm: ["AM", "PM"],
    eras_short: ["a.C.", "d.C."],
    eras_full: ["avanti Cristo", "dopo Cristo"],
    quarters_short: ["T1", "T2", "T3", "T4"],
    quarters_full: [
        "1º trimestre",
        "2º trimestre",
        "3º trimestre",
        "4º trimestre",
    ],
};

fn language(locale: &str) -> String {
    locale
        .split(['_', '-'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn country(locale: &str) -> String {
    locale
        .split(['_', '-'])
        .nth(1)
        .unwrap_or("")
        .to_ascii_uppercase()
}

fn names(locale: &str) -> &'static Names {
    match language(locale).as_str() {
        "pl" => &PL,
        "de" => &DE,
        "fr" => &FR,
        "es" => &ES,
        "it" => &IT,
        _ => &EN,
    }
}

/// `WeekFields.of(locale)`: (first day of week, minimal days in first week).
fn week_def(locale: &str) -> (Weekday, u32) {
    let c = country(locale);
    let l = language(locale);
    match c.as_str() {
        "US" | "CA" | "JP" | "BR" | "MX" | "IL" | "KR" | "ZA" | "AU" | "IN" | "PH" => {
            (Weekday::Sun, 1)
        }
        "" => match l.as_str() {
            "pl" | "de" | "fr" | "es" | "it" | "nl" | "sv" | "da" | "fi" | "nb" | "no" | "cs"
            | "sk" | "hu" | "pt" => (Weekday::Mon, 4),
            "en" => (Weekday::Sun, 1),
            _ => (Weekday::Mon, 1),
        },
        "GB" | "IE" | "DE" | "PL" | "FR" | "ES" | "IT" | "NL" | "BE" | "AT" | "CH" | "SE"
        | "DK" | "FI" | "NO" | "CZ" | "SK" | "HU" | "PT" | "LU" => (Weekday::Mon, 4),
        _ => (Weekday::Mon, 1),
    }
}

// ---------------------------------------------------------------------------------------------
// Pattern compilation
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum F {
    Era,
    YearOfEra,
    Year,
    WeekBasedYear,
    Quarter,
    Month,
    Day,
    DayOfYear,
    AlignedDowInMonth,
    DayOfWeek,
    LocalizedDow,
    AmPm,
    ClockHourOfAmPm,
    HourOfAmPm,
    ClockHourOfDay,
    HourOfDay,
    Minute,
    Second,
    MilliOfDay,
    NanoOfSecond,
    NanoOfDay,
    WeekOfWeekBasedYear,
    WeekOfMonth,
}

impl F {
    fn java_name(self) -> &'static str {
        match self {
            F::Era => "Era",
            F::YearOfEra => "YearOfEra",
            F::Year => "Year",
            F::WeekBasedYear => "WeekBasedYear",
            F::Quarter => "QuarterOfYear",
            F::Month => "MonthOfYear",
            F::Day => "DayOfMonth",
            F::DayOfYear => "DayOfYear",
            F::AlignedDowInMonth => "AlignedDayOfWeekInMonth",
            F::DayOfWeek => "DayOfWeek",
            F::LocalizedDow => "DayOfWeek",
            F::AmPm => "AmPmOfDay",
            F::ClockHourOfAmPm => "ClockHourOfAmPm",
            F::HourOfAmPm => "HourOfAmPm",
            F::ClockHourOfDay => "ClockHourOfDay",
            F::HourOfDay => "HourOfDay",
            F::Minute => "MinuteOfHour",
            F::Second => "SecondOfMinute",
            F::MilliOfDay => "MilliOfDay",
            F::NanoOfSecond => "NanoOfSecond",
            F::NanoOfDay => "NanoOfDay",
            F::WeekOfWeekBasedYear => "WeekOfWeekBasedYear",
            F::WeekOfMonth => "WeekOfMonth",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sign {
    Normal,
    ExceedsPad,
    NotNegative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Full,
    Short,
    Narrow,
}

#[derive(Clone, Debug, PartialEq)]
enum Elem {
    Lit(String),
    Num {
        f: F,
        min: usize,
        max: usize,
        sign: Sign,
    },
    Reduced {
        f: F,
    },
    Text {
        f: F,
        style: Style,
        standalone: bool,
    },
    Fraction {
        min: usize,
        max: usize,
    },
    /// `+HH:MM:ss`-like pattern and the text printed for a zero offset.
    Offset {
        pattern: &'static str,
        zero: &'static str,
    },
    LocalizedOffset {
        full: bool,
    },
    ZoneId,
    ZoneText {
        full: bool,
    },
    Optional(Vec<Elem>),
    Pad {
        width: usize,
        elem: Box<Elem>,
    },
}

fn compile(pattern: &str) -> Result<Vec<Elem>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut stack: Vec<Vec<Elem>> = vec![Vec::new()];
    let mut i = 0;
    let mut pad: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        let mut elem: Option<Elem> = None;
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i] == c {
                i += 1;
            }
            let count = i - start;
            if c == 'p' {
                // Pad modifier: the next element is padded to the number of 'p's.
                pad = Some(count);
                continue;
            }
            elem = Some(letter(c, count, pattern)?);
        } else if c == '\'' {
            let start = i;
            i += 1;
            let mut lit = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(format!(
                            "Pattern ends with an incomplete string literal: {pattern}"
                        ))
                    }
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        lit.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        lit.push(*ch);
                        i += 1;
                    }
                }
            }
            if i - start == 2 {
                lit = "'".into();
            }
            elem = Some(Elem::Lit(lit));
        } else if c == '[' {
            stack.push(Vec::new());
            i += 1;
        } else if c == ']' {
            if stack.len() < 2 {
                return Err("Pattern invalid as it contains ] without previous [".into());
            }
            let inner = stack.pop().unwrap_or_default();
            elem = Some(Elem::Optional(inner));
            i += 1;
        } else if c == '{' || c == '}' || c == '#' {
            return Err(format!("Pattern includes reserved character: '{c}'"));
        } else {
            elem = Some(Elem::Lit(c.to_string()));
            i += 1;
        }
        if let Some(e) = elem {
            let e = match pad.take() {
                Some(width) => Elem::Pad {
                    width,
                    elem: Box::new(e),
                },
                None => e,
            };
            if let Some(top) = stack.last_mut() {
                top.push(e);
            }
        }
    }
    while stack.len() > 1 {
        let inner = stack.pop().unwrap_or_default();
        if let Some(top) = stack.last_mut() {
            top.push(Elem::Optional(inner));
        }
    }
    Ok(stack.pop().unwrap_or_default())
}

fn letter(c: char, n: usize, pattern: &str) -> Result<Elem, String> {
    let too_many = || format!("Too many pattern letters: {c}");
    let num = |f: F| -> Result<Elem, String> {
        match n {
            1 => Ok(Elem::Num {
                f,
                min: 1,
                max: 19,
                sign: Sign::Normal,
            }),
            2 => Ok(Elem::Num {
                f,
                min: 2,
                max: 2,
                sign: Sign::NotNegative,
            }),
            _ => Err(too_many()),
        }
    };
    let text_style = |n: usize| match n {
        4 => Style::Full,
        5 => Style::Narrow,
        _ => Style::Short,
    };
    Ok(match c {
        'G' => {
            if n > 5 {
                return Err(too_many());
            }
            Elem::Text {
                f: F::Era,
                style: text_style(n),
                standalone: false,
            }
        }
        'y' | 'u' | 'Y' => {
            let f = match c {
                'y' => F::YearOfEra,
                'u' => F::Year,
                _ => F::WeekBasedYear,
            };
            match n {
                2 => Elem::Reduced { f },
                1 => Elem::Num {
                    f,
                    min: 1,
                    max: 19,
                    sign: Sign::Normal,
                },
                3 => Elem::Num {
                    f,
                    min: 3,
                    max: 19,
                    sign: Sign::Normal,
                },
                _ if n <= 19 => Elem::Num {
                    f,
                    min: n,
                    max: 19,
                    sign: Sign::ExceedsPad,
                },
                _ => return Err(too_many()),
            }
        }
        'Q' | 'q' => match n {
            1 => Elem::Num {
                f: F::Quarter,
                min: 1,
                max: 1,
                sign: Sign::NotNegative,
            },
            2 => Elem::Num {
                f: F::Quarter,
                min: 2,
                max: 2,
                sign: Sign::NotNegative,
            },
            3..=5 => Elem::Text {
                f: F::Quarter,
                style: text_style(n),
                standalone: c == 'q',
            },
            _ => return Err(too_many()),
        },
        'M' | 'L' => match n {
            1 => Elem::Num {
                f: F::Month,
                min: 1,
                max: 19,
                sign: Sign::Normal,
            },
            2 => Elem::Num {
                f: F::Month,
                min: 2,
                max: 2,
                sign: Sign::NotNegative,
            },
            3..=5 => Elem::Text {
                f: F::Month,
                style: text_style(n),
                standalone: c == 'L',
            },
            _ => return Err(too_many()),
        },
        'd' => num(F::Day)?,
        'h' => num(F::ClockHourOfAmPm)?,
        'H' => num(F::HourOfDay)?,
        'k' => num(F::ClockHourOfDay)?,
        'K' => num(F::HourOfAmPm)?,
        'm' => num(F::Minute)?,
        's' => num(F::Second)?,
        'D' => match n {
            1 => Elem::Num {
                f: F::DayOfYear,
                min: 1,
                max: 19,
                sign: Sign::Normal,
            },
            2 => Elem::Num {
                f: F::DayOfYear,
                min: 2,
                max: 3,
                sign: Sign::NotNegative,
            },
            3 => Elem::Num {
                f: F::DayOfYear,
                min: 3,
                max: 3,
                sign: Sign::NotNegative,
            },
            _ => return Err(too_many()),
        },
        'F' => match n {
            1 => Elem::Num {
                f: F::AlignedDowInMonth,
                min: 1,
                max: 19,
                sign: Sign::Normal,
            },
            _ => return Err(too_many()),
        },
        'E' => {
            if n > 5 {
                return Err(too_many());
            }
            Elem::Text {
                f: F::DayOfWeek,
                style: text_style(n),
                standalone: false,
            }
        }
        'e' | 'c' => match n {
            1 => Elem::Num {
                f: F::LocalizedDow,
                min: 1,
                max: 1,
                sign: Sign::NotNegative,
            },
            2 if c == 'e' => Elem::Num {
                f: F::LocalizedDow,
                min: 2,
                max: 2,
                sign: Sign::NotNegative,
            },
            3..=5 => Elem::Text {
                f: F::DayOfWeek,
                style: text_style(n),
                standalone: c == 'c',
            },
            _ => return Err(too_many()),
        },
        'a' => match n {
            1 => Elem::Text {
                f: F::AmPm,
                style: Style::Short,
                standalone: false,
            },
            _ => return Err(too_many()),
        },
        'w' => match n {
            1 => Elem::Num {
                f: F::WeekOfWeekBasedYear,
                min: 1,
                max: 2,
                sign: Sign::NotNegative,
            },
            2 => Elem::Num {
                f: F::WeekOfWeekBasedYear,
                min: 2,
                max: 2,
                sign: Sign::NotNegative,
            },
            _ => return Err(too_many()),
        },
        'W' => match n {
            1 => Elem::Num {
                f: F::WeekOfMonth,
                min: 1,
                max: 1,
                sign: Sign::NotNegative,
            },
            _ => return Err(too_many()),
        },
        'S' => Elem::Fraction { min: n, max: n },
        'n' => Elem::Num {
            f: F::NanoOfSecond,
            min: n,
            max: 19.max(n),
            sign: Sign::NotNegative,
        },
        'N' => Elem::Num {
            f: F::NanoOfDay,
            min: n,
            max: 19.max(n),
            sign: Sign::NotNegative,
        },
        'A' => Elem::Num {
            f: F::MilliOfDay,
            min: n,
            max: 19.max(n),
            sign: Sign::NotNegative,
        },
        'V' => {
            if n != 2 {
                return Err("Pattern letter count must be 2: V".into());
            }
            Elem::ZoneId
        }
        'v' => {
            if n != 1 && n != 4 {
                return Err("Wrong number of pattern letters: v".into());
            }
            Elem::ZoneText { full: n == 4 }
        }
        'z' => {
            if n > 4 {
                return Err(too_many());
            }
            Elem::ZoneText { full: n == 4 }
        }
        'O' => match n {
            1 => Elem::LocalizedOffset { full: false },
            4 => Elem::LocalizedOffset { full: true },
            _ => return Err("Pattern letter count must be 1 or 4: O".into()),
        },
        'X' | 'x' => {
            let zero_z = c == 'X';
            let (p, zero) = match n {
                1 => ("+HHmm", if zero_z { "Z" } else { "+00" }),
                2 => ("+HHMM", if zero_z { "Z" } else { "+0000" }),
                3 => ("+HH:MM", if zero_z { "Z" } else { "+00:00" }),
                4 => ("+HHMMss", if zero_z { "Z" } else { "+0000" }),
                5 => ("+HH:MM:ss", if zero_z { "Z" } else { "+00:00" }),
                _ => return Err(too_many()),
            };
            Elem::Offset { pattern: p, zero }
        }
        'Z' => match n {
            1..=3 => Elem::Offset {
                pattern: "+HHMM",
                zero: "+0000",
            },
            4 => Elem::LocalizedOffset { full: true },
            5 => Elem::Offset {
                pattern: "+HH:MM:ss",
                zero: "Z",
            },
            _ => return Err(too_many()),
        },
        _ => {
            return Err(format!(
                "Unknown pattern letter: {c} (in pattern {pattern})"
            ))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

fn localized_dow(d: Weekday, first: Weekday) -> u32 {
    (d.num_days_from_monday() + 7 - first.num_days_from_monday()) % 7 + 1
}

fn start_of_week_offset(day: i64, dow: i64, min_days: i64) -> i64 {
    let week_start = (day - dow).rem_euclid(7);
    let mut offset = -week_start;
    if week_start + 1 > min_days {
        offset = 7 - week_start;
    }
    offset
}

fn compute_week(offset: i64, day: i64) -> i64 {
    (7 + offset + (day - 1)).div_euclid(7)
}

fn year_len(y: i32) -> i64 {
    if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// (week-based-year, week-of-week-based-year) per `WeekFields`.
fn week_based(d: NaiveDate, wd: (Weekday, u32)) -> (i32, i64) {
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

fn week_of_month(d: NaiveDate, wd: (Weekday, u32)) -> i64 {
    let dow = i64::from(localized_dow(d.weekday(), wd.0));
    let dom = i64::from(d.day());
    let offset = start_of_week_offset(dom, dow, i64::from(wd.1));
    compute_week(offset, dom)
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

    fn unsupported(f: F) -> String {
        format!("Unsupported field: {}", f.java_name())
    }

    fn value(&self, fl: &Fields, f: F) -> Result<i64, String> {
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

    fn text(&self, f: F, v: i64, style: Style, standalone: bool) -> Result<String, String> {
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

    fn format_elems(&self, elems: &[Elem], fl: &Fields, out: &mut String) -> Result<(), String> {
        for e in elems {
            self.format_elem(e, fl, out)?;
        }
        Ok(())
    }

    fn format_elem(&self, e: &Elem, fl: &Fields, out: &mut String) -> Result<(), String> {
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
                out.push_str(&date::zone_id_string(z));
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
        let fl = date::fields_of(o)
            .ok_or_else(|| format!("Unsupported temporal: {}", o.class_name()))?;
        let mut out = String::new();
        self.format_elems(elems, &fl, &mut out)?;
        Ok(out)
    }
}

/// `DateTimeFormatter.toString()` of one printer-parser.
fn describe_elem(e: &Elem, out: &mut String) {
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

fn format_offset(total: i32, pattern: &str, zero: &str) -> String {
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

fn localized_offset(total: i32, full: bool) -> String {
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

fn zone_text(z: &ZoneId, instant: Option<DateTime<Utc>>, full: bool) -> String {
    match z {
        ZoneId::Offset(o) => date::offset_id(o),
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

fn full_zone_name(abbr: &str) -> Option<&'static str> {
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

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
struct Parsed {
    fields: HashMap<F, i64>,
    offset: Option<FixedOffset>,
    zone: Option<ZoneId>,
}

impl Parsed {
    fn set(&mut self, f: F, v: i64) -> Result<(), String> {
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

struct ParseCx<'a> {
    f: &'a Formatter,
    text: &'a str,
    pos: usize,
    parsed: Parsed,
}

fn fail_at(text: &str, pos: usize) -> String {
    format!("Text '{text}' could not be parsed at index {pos}")
}

impl ParseCx<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn case_insensitive(&self) -> bool {
        self.f.lenient
    }

    fn parse_elems(&mut self, elems: &[Elem]) -> Result<(), usize> {
        for (i, e) in elems.iter().enumerate() {
            self.parse_elem(e, &elems[i + 1..])?;
        }
        Ok(())
    }

    /// Width reserved by the fixed-width numeric fields that directly follow (adjacent value
    /// parsing, e.g. `yyyyMMdd`).
    fn reserved(next: &[Elem]) -> usize {
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

    fn parse_elem(&mut self, e: &Elem, next: &[Elem]) -> Result<(), usize> {
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
                    if let Some(z) = date::parse_zone_id(&rest[..l]) {
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

    fn parse_text(&mut self, f: F, style: Style, standalone: bool) -> Option<i64> {
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

    fn parse_offset(&mut self, zero: &str) -> Option<FixedOffset> {
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

/// What a parse resolved to.
#[derive(Clone, Debug, Default)]
struct Resolved {
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
    zone: Option<ZoneId>,
}

fn resolve(p: &Parsed, text: &str) -> Result<Resolved, String> {
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
            let d = (d as u32).min(date::month_length(y, m as u32));
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
                date::obj_to_iso_string(&Obj::LocalDate(d))
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
    fn name(self) -> &'static str {
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
                        Obj::ZonedDateTime(date::zdt_of_instant(inst, z))
                    }
                    (Some(z), None) => Obj::ZonedDateTime(date::zdt_of_local(l, z, None)?),
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
                    (None, Some(z)) => date::zdt_of_local(l, z, None)?.dt.with_timezone(&Utc),
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
        Target::LocalDate => date::parse_local_date(text).map(Obj::LocalDate),
        Target::LocalTime => date::parse_local_time(text).map(Obj::LocalTime),
        Target::LocalDateTime => date::parse_local_date_time(text).map(Obj::LocalDateTime),
        Target::OffsetDateTime => date::parse_offset_date_time(text).map(Obj::OffsetDateTime),
        Target::ZonedDateTime => date::parse_zoned_date_time(text).map(Obj::ZonedDateTime),
        Target::Instant => date::parse_instant(text).map(Obj::Instant),
    };
    o.ok_or_else(|| format!("Text '{text}' could not be parsed as {}", target.name()))
}

// ---------------------------------------------------------------------------------------------
// #DATE_FORMAT
// ---------------------------------------------------------------------------------------------

fn arg_formatter(a: &[Value], i: usize) -> Result<Formatter, String> {
    match date::arg_obj(a, i)? {
        Obj::Formatter(f) => Ok(f.clone()),
        o => Err(format!(
            "expected a DateTimeFormatter, got {}",
            o.class_name()
        )),
    }
}

fn arg_locale(a: &[Value], i: usize) -> Result<Str, String> {
    match date::arg_obj(a, i)? {
        Obj::Locale(l) => Ok(l.clone()),
        o => Err(format!("expected a Locale, got {}", o.class_name())),
    }
}

fn iso(a: &[Value], t: Target) -> R {
    parse_iso(args::str(a, 0)?, t).map(Value::obj)
}

fn with_pattern(a: &[Value], env: &EvalEnv, t: Target) -> R {
    let f = Formatter::new(args::str(a, 1)?, &env.locale, false)?;
    f.parse(args::str(a, 0)?, t).map(Value::obj)
}

fn with_formatter(a: &[Value], t: Target) -> R {
    arg_formatter(a, 1)?
        .parse(args::str(a, 0)?, t)
        .map(Value::obj)
}

/// `#DATE_FORMAT.format(temporal)`: the ISO formatter of the value's class.
fn iso_format(a: &[Value]) -> R {
    let o = date::arg_obj(a, 0)?;
    match o {
        Obj::LocalDate(_)
        | Obj::LocalTime(_)
        | Obj::LocalDateTime(_)
        | Obj::Instant(_)
        | Obj::OffsetDateTime(_)
        | Obj::ZonedDateTime(_) => Ok(Value::from(date::obj_to_iso_string(o))),
        other => Err(format!(
            "Unsupported field: {} is not a date-time",
            other.class_name()
        )),
    }
}

fn new_formatter(pattern: &str, locale: &str, lenient: bool) -> R {
    Ok(Value::obj(Obj::Formatter(Formatter::new(
        pattern, locale, lenient,
    )?)))
}

const FMT: P = P::Class(Class::DateTimeFormatter);
const LOCALE: P = P::Class(Class::Locale);

pub static METHODS: &[MethodDef] = &[
    m!(
        "parseLocalTime",
        [P::Str],
        P::Class(Class::LocalTime),
        |_, a, _| iso(a, Target::LocalTime)
    ),
    m!(
        "parseLocalTime",
        [P::Str, P::Str],
        P::Class(Class::LocalTime),
        |_, a, e| with_pattern(a, e, Target::LocalTime)
    ),
    m!(
        "parseLocalTime",
        [P::Str, FMT],
        P::Class(Class::LocalTime),
        |_, a, _| with_formatter(a, Target::LocalTime)
    ),
    m!(
        "parseLocalDate",
        [P::Str],
        P::Class(Class::LocalDate),
        |_, a, _| iso(a, Target::LocalDate)
    ),
    m!(
        "parseLocalDate",
        [P::Str, P::Str],
        P::Class(Class::LocalDate),
        |_, a, e| with_pattern(a, e, Target::LocalDate)
    ),
    m!(
        "parseLocalDate",
        [P::Str, FMT],
        P::Class(Class::LocalDate),
        |_, a, _| with_formatter(a, Target::LocalDate)
    ),
    m!(
        "parseLocalDateTime",
        [P::Str],
        P::Class(Class::LocalDateTime),
        |_, a, _| iso(a, Target::LocalDateTime)
    ),
    m!(
        "parseLocalDateTime",
        [P::Str, P::Str],
        P::Class(Class::LocalDateTime),
        |_, a, e| { with_pattern(a, e, Target::LocalDateTime) }
    ),
    m!(
        "parseLocalDateTime",
        [P::Str, FMT],
        P::Class(Class::LocalDateTime),
        |_, a, _| with_formatter(a, Target::LocalDateTime)
    ),
    m!(
        "parseInstant",
        [P::Str],
        P::Class(Class::Instant),
        |_, a, _| iso(a, Target::Instant)
    ),
    m!(
        "parseOffsetDateTime",
        [P::Str],
        P::Class(Class::OffsetDateTime),
        |_, a, _| iso(a, Target::OffsetDateTime)
    ),
    m!(
        "parseOffsetDateTime",
        [P::Str, P::Str],
        P::Class(Class::OffsetDateTime),
        |_, a, e| { with_pattern(a, e, Target::OffsetDateTime) }
    ),
    m!(
        "parseOffsetDateTime",
        [P::Str, FMT],
        P::Class(Class::OffsetDateTime),
        |_, a, _| { with_formatter(a, Target::OffsetDateTime) }
    ),
    m!(
        "parseZonedDateTime",
        [P::Str],
        P::Class(Class::ZonedDateTime),
        |_, a, _| iso(a, Target::ZonedDateTime)
    ),
    m!(
        "parseZonedDateTime",
        [P::Str, P::Str],
        P::Class(Class::ZonedDateTime),
        |_, a, e| { with_pattern(a, e, Target::ZonedDateTime) }
    ),
    m!(
        "parseZonedDateTime",
        [P::Str, FMT],
        P::Class(Class::ZonedDateTime),
        |_, a, _| { with_formatter(a, Target::ZonedDateTime) }
    ),
    m!(
        "format",
        [P::Class(Class::TemporalAccessor)],
        P::Str,
        |_, a, _| iso_format(a)
    ),
    m!("formatter", [P::Str], FMT, |_, a, e| new_formatter(
        args::str(a, 0)?,
        &e.locale,
        false
    )),
    m!("formatter", [P::Str, LOCALE], FMT, |_, a, _| new_formatter(
        args::str(a, 0)?,
        &arg_locale(a, 1)?,
        false
    )),
    m!("lenientFormatter", [P::Str], FMT, |_, a, e| new_formatter(
        args::str(a, 0)?,
        &e.locale,
        true
    )),
    m!("lenientFormatter", [P::Str, LOCALE], FMT, |_, a, _| {
        new_formatter(args::str(a, 0)?, &arg_locale(a, 1)?, true)
    }),
];

/// `DateTimeFormatter.format(temporal)` for the method table of `DateTimeFormatter` and the
/// `format(DateTimeFormatter)` methods of the java.time classes.
pub fn format_with(f: &Formatter, o: &Obj) -> Result<String, String> {
    f.format(o)
}

#[cfg(test)]
mod tests {
    use crate::helpers::date::tests::s;

    #[test]
    fn patterns_format() {
        assert_eq!(
            s("#DATE_FORMAT.formatter('dd.MM.yyyy HH:mm').format(#DATE_FORMAT.parseLocalDateTime('2020-03-04T05:06:07'))"),
            "04.03.2020 05:06"
        );
        assert_eq!(s("#DATE_FORMAT.formatter('EEEE, d MMMM yyyy', 'pl').format(#DATE_FORMAT.parseLocalDate('2021-10-12'))"), "wtorek, 12 października 2021");
        assert_eq!(s("#DATE_FORMAT.formatter('LLLL', 'pl').format(#DATE_FORMAT.parseLocalDate('2021-10-12'))"), "październik");
        assert_eq!(s("#DATE_FORMAT.formatter('EEE MMM d yyyy').format(#DATE_FORMAT.parseLocalDate('2021-10-12'))"), "Tue Oct 12 2021");
        assert_eq!(s("#DATE_FORMAT.formatter('EEEE d MMMM', 'de').format(#DATE_FORMAT.parseLocalDate('2021-03-12'))"), "Freitag 12 März");
        assert_eq!(
            s("#DATE_FORMAT.formatter('h:mm a').format(#DATE_FORMAT.parseLocalTime('13:05'))"),
            "1:05 PM"
        );
        assert_eq!(
            s("#DATE_FORMAT.formatter('yyyy-MM-dd HH:mm:ss.SSS XXX').format(#DATE_FORMAT.parseOffsetDateTime('2021-01-01T01:00:00.5+01:00'))"),
            "2021-01-01 01:00:00.500 +01:00"
        );
        assert_eq!(
            s("#DATE_FORMAT.formatter('yyyy-MM-dd HH:mm z').format(#DATE_FORMAT.parseZonedDateTime('2021-07-01T01:00:00+02:00[Europe/Warsaw]'))"),
            "2021-07-01 01:00 CEST"
        );
        assert_eq!(s("#DATE_FORMAT.formatter(\"yyyy-MM-dd'T'HH:mm:ssZ\").format(#DATE.nowAtDefaultTimeZone)"), "2020-01-01T00:00:00+0000");
        assert_eq!(s("#DATE_FORMAT.formatter('YYYY-ww', 'pl').format(#DATE_FORMAT.parseLocalDate('2021-01-01'))"), "2020-53");
        assert_eq!(s("#DATE_FORMAT.formatter('QQQ yy').format(#DATE_FORMAT.parseLocalDate('2021-08-13'))"), "Q3 21");
        assert!(s(
            "#DATE_FORMAT.formatter('HH').format(#DATE_FORMAT.parseLocalDate('2020-01-01'))"
        )
        .starts_with("ERR runtime"));
        assert!(s("#DATE_FORMAT.formatter('bb')").starts_with("ERR runtime"));
        assert_eq!(
            s("#DATE_FORMAT.formatter('yyyy-MM-dd').toString"),
            "Value(YearOfEra,4,19,EXCEEDS_PAD)'-'Value(MonthOfYear,2)'-'Value(DayOfMonth,2)"
        );
    }

    #[test]
    fn patterns_parse() {
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('12/03/2021', 'dd/MM/yyyy')"),
            "2021-03-12"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('20210312', 'yyyyMMdd')"),
            "2021-03-12"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('12 March 2021', 'dd MMMM yyyy')"),
            "2021-03-12"
        );
        assert_eq!(s("#DATE_FORMAT.parseLocalDate('12 march 2021', #DATE_FORMAT.lenientFormatter('dd MMMM yyyy'))"), "2021-03-12");
        assert_eq!(s("#DATE_FORMAT.parseLocalDate('2021-1-1', #DATE_FORMAT.lenientFormatter('yyyy-MM-dd'))"), "2021-01-01");
        assert!(
            s("#DATE_FORMAT.parseLocalDate('2021-1-1', #DATE_FORMAT.formatter('yyyy-MM-dd'))")
                .starts_with("ERR runtime")
        );
        assert_eq!(
            s("#DATE_FORMAT.parseZonedDateTime('2021-03-12 10:11 Europe/Warsaw', 'yyyy-MM-dd HH:mm VV')"),
            "2021-03-12T10:11:00+01:00[Europe/Warsaw]"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseOffsetDateTime('2021-03-12 10:11 +0200', 'yyyy-MM-dd HH:mm Z')"),
            "2021-03-12T10:11:00+02:00"
        );
        assert_eq!(
            s("#DATE_FORMAT.parseLocalDate('2021-02-31', 'yyyy-MM-dd')"),
            "2021-02-28"
        );
        assert!(
            s("#DATE_FORMAT.parseLocalDate('2020-01-01', 'yyyy-MM-dd HH')")
                .starts_with("ERR runtime")
        );
    }

    #[test]
    fn no_panics_on_odd_input() {
        use super::{parse_iso, Formatter, Target};
        use crate::value::Obj;
        let patterns = [
            "yyyyMMdd",
            "p",
            "ppH",
            "[",
            "]",
            "'",
            "''",
            "y",
            "uuuuuuuuuuuuuuuuuuuu",
            "nnnnnnnnnnnnnnnnnnnn",
            "SSSSSSSSSSSS",
            "VV",
            "zzzz",
            "O",
            "XXXXX",
            "xx",
            "Z",
            "ZZZZ",
            "EEEEE",
            "MMMMM",
            "LLL",
            "GGGG",
            "QQQQ",
            "e",
            "c",
            "w",
            "W",
            "Y",
            "D",
            "F",
            "A",
            "N",
            "hh a",
            "kk",
            "KK",
            "ż",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX'['VV']'",
        ];
        let inputs = [
            "",
            "2021",
            "20210312",
            "+",
            "-1-1-1",
            "ż",
            "99999999999999999999999",
            "2021-02-29",
            "Z",
            "GMT+5",
            "Europe/Warsaw",
            "PM",
            "'",
        ];
        let now = Obj::ZonedDateTime(crate::helpers::date::zdt_of_instant(
            chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap_or_default(),
            crate::value::ZoneId::Region(chrono_tz::Tz::Europe__Warsaw),
        ));
        for p in patterns {
            for lenient in [false, true] {
                if let Ok(f) = Formatter::new(p, "pl_PL", lenient) {
                    let _ = f.format(&now);
                    let _ = f.describe();
                    for i in inputs {
                        for t in [
                            Target::LocalDate,
                            Target::LocalTime,
                            Target::LocalDateTime,
                            Target::OffsetDateTime,
                            Target::ZonedDateTime,
                            Target::Instant,
                        ] {
                            let _ = f.parse(i, t);
                            let _ = parse_iso(i, t);
                        }
                    }
                }
            }
        }
        for i in inputs {
            let _ = crate::helpers::date::parse_zone_id(i);
            let _ = crate::helpers::date::parse_zone_offset(i);
            let _ = crate::methods::time::parse_duration(i);
            let _ = crate::methods::time::parse_period(i);
        }
    }
}
