//! The pattern compiler of `DateTimeFormatter.ofPattern`: letters, optional sections `[...]`,
//! quoted literals and padding, compiled to printer-parser elements.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum F {
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
    pub(crate) fn java_name(self) -> &'static str {
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
pub(crate) enum Sign {
    Normal,
    ExceedsPad,
    NotNegative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Full,
    Short,
    Narrow,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Elem {
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

pub(crate) fn compile(pattern: &str) -> Result<Vec<Elem>, String> {
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

pub(crate) fn letter(c: char, n: usize, pattern: &str) -> Result<Elem, String> {
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
