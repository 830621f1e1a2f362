//! Tables of `DayOfWeek`, `Month`, `ZoneId`, `ZoneOffset`, `UUID` and `DateTimeFormatter`.

use super::*;

pub(super) fn dow_of(r: &Value) -> Result<Weekday, String> {
    as_day_of_week(r)
}

pub(super) fn dow_plus(r: &Value, n: i64) -> R {
    let i = (i64::from(dow_of(r)?.num_days_from_monday()) + n.rem_euclid(7)).rem_euclid(7);
    ov(Obj::DayOfWeek(
        Weekday::try_from(i as u8).map_err(|e| e.to_string())?,
    ))
}

pub(super) static DAY_OF_WEEK: &[MethodDef] = &[
    m!("getValue", [], P::Int, |r, _, _| Ok(Value::Int(
        dow_of(r)?.number_from_monday() as i32
    ))),
    m!("name", [], P::Str, |r, _, _| Ok(Value::str(
        d::weekday_name(dow_of(r)?)
    ))),
    m!("ordinal", [], P::Int, |r, _, _| Ok(Value::Int(
        dow_of(r)?.num_days_from_monday() as i32
    ))),
    m!("plus", [P::Long], DOW, |r, a, _| dow_plus(
        r,
        args::long(a, 0)?
    )),
    m!("minus", [P::Long], DOW, |r, a, _| dow_plus(
        r,
        -(args::long(a, 0)?.rem_euclid(7))
    )),
    m!("compareTo", [DOW], P::Int, |r, a, _| cmp_call(r, a)),
];

pub(super) fn month_of(r: &Value) -> Result<u8, String> {
    as_month(r)
}

pub(super) fn month_plus(r: &Value, n: i64) -> R {
    let i = (i64::from(month_of(r)?) - 1 + n.rem_euclid(12)).rem_euclid(12);
    ov(Obj::Month(i as u8 + 1))
}

pub(super) fn first_day_of_year(m: u8, leap: bool) -> i32 {
    let mut day = 1;
    for k in 1..m {
        day += month_length(if leap { 2000 } else { 2001 }, u32::from(k)) as i32;
    }
    day
}

pub(super) static MONTH: &[MethodDef] = &[
    m!("getValue", [], P::Int, |r, _, _| Ok(Value::Int(i32::from(
        month_of(r)?
    )))),
    m!("name", [], P::Str, |r, _, _| Ok(Value::str(d::month_name(
        month_of(r)?
    )))),
    m!("ordinal", [], P::Int, |r, _, _| Ok(Value::Int(
        i32::from(month_of(r)?) - 1
    ))),
    m!("plus", [P::Long], MON, |r, a, _| month_plus(
        r,
        args::long(a, 0)?
    )),
    m!("minus", [P::Long], MON, |r, a, _| month_plus(
        r,
        -(args::long(a, 0)?.rem_euclid(12))
    )),
    m!("compareTo", [MON], P::Int, |r, a, _| cmp_call(r, a)),
    m!("length", [P::Bool], P::Int, |r, a, _| {
        let leap = matches!(args::get(a, 0)?, Value::Bool(true));
        Ok(Value::Int(
            month_length(if leap { 2000 } else { 2001 }, u32::from(month_of(r)?)) as i32,
        ))
    }),
    m!("minLength", [], P::Int, |r, _, _| Ok(Value::Int(
        month_length(2001, u32::from(month_of(r)?)) as i32
    ))),
    m!("maxLength", [], P::Int, |r, _, _| Ok(Value::Int(
        month_length(2000, u32::from(month_of(r)?)) as i32
    ))),
    m!("firstDayOfYear", [P::Bool], P::Int, |r, a, _| {
        let leap = matches!(args::get(a, 0)?, Value::Bool(true));
        Ok(Value::Int(first_day_of_year(month_of(r)?, leap)))
    }),
    m!("firstMonthOfQuarter", [], MON, |r, _, _| ov(Obj::Month(
        (month_of(r)? - 1) / 3 * 3 + 1
    ))),
];

pub(super) fn zone_of(r: &Value) -> Result<ZoneId, String> {
    match recv(r)? {
        Obj::ZoneId(z) => Ok(*z),
        Obj::ZoneOffset(o) => Ok(ZoneId::Offset(*o)),
        o => Err(format!("expected a ZoneId, got {}", o.class_name())),
    }
}

pub(super) static ZONE_ID: &[MethodDef] = &[
    m!("getId", [], P::Str, |r, _, _| Ok(Value::from(
        d::zone_id_string(&zone_of(r)?)
    ))),
    mf!(
        "normalized",
        [],
        |_, _| Ok(crate::types::Type::class(Class::ZoneId)),
        |r, _, _| {
            let z = zone_of(r)?;
            ov(match z {
                ZoneId::Offset(o) => Obj::ZoneOffset(o),
                ZoneId::Region(tz) => {
                    // A region with fixed rules normalizes to its offset (`UTC`, `Etc/GMT+1`).
                    let jan = d::offset_at(
                        &ZoneId::Region(tz),
                        &NaiveDate::from_ymd_opt(2000, 1, 1)
                            .unwrap_or_default()
                            .and_time(NaiveTime::MIN),
                    );
                    let jul = d::offset_at(
                        &ZoneId::Region(tz),
                        &NaiveDate::from_ymd_opt(2000, 7, 1)
                            .unwrap_or_default()
                            .and_time(NaiveTime::MIN),
                    );
                    if jan == jul
                        && (tz.name().starts_with("Etc/")
                            || matches!(tz.name(), "UTC" | "GMT" | "UCT" | "Zulu" | "Universal"))
                    {
                        Obj::ZoneOffset(jan)
                    } else {
                        Obj::ZoneId(ZoneId::Region(tz))
                    }
                }
            })
        }
    ),
    m!("toString", [], P::Str, |r, _, _| Ok(Value::from(
        d::zone_id_string(&zone_of(r)?)
    ))),
    m!("equals", [P::Any], P::Bool, |r, a, _| Ok(Value::Bool(
        java_equals(recv(r)?, args::get(a, 0)?)
    ))),
];

pub(super) static ZONE_OFFSET: &[MethodDef] = &[
    m!("getTotalSeconds", [], P::Int, |r, _, _| Ok(Value::Int(
        offset_of(recv(r)?)?.local_minus_utc()
    ))),
    m!("compareTo", [ZOFF], P::Int, |r, a, _| cmp_call(r, a)),
];

pub(super) fn uuid_of(r: &Value) -> Result<(i64, i64), String> {
    match recv(r)? {
        Obj::Uuid(u) => {
            let (h, l) = u.as_u64_pair();
            Ok((h as i64, l as i64))
        }
        o => Err(format!("expected a UUID, got {}", o.class_name())),
    }
}

pub(super) fn uuid_v1(r: &Value) -> Result<(i64, i64), String> {
    let (h, l) = uuid_of(r)?;
    if (h >> 12) & 0xf != 1 {
        return Err("Not a time-based UUID".into());
    }
    Ok((h, l))
}

pub(super) static UUID: &[MethodDef] = &[
    m!("getLeastSignificantBits", [], P::Long, |r, _, _| Ok(
        Value::Long(uuid_of(r)?.1)
    )),
    m!("getMostSignificantBits", [], P::Long, |r, _, _| Ok(
        Value::Long(uuid_of(r)?.0)
    )),
    m!("version", [], P::Int, |r, _, _| Ok(Value::Int(
        ((uuid_of(r)?.0 >> 12) & 0x0f) as i32
    ))),
    m!("variant", [], P::Int, |r, _, _| {
        let l = uuid_of(r)?.1;
        let lu = l as u64;
        let shift = 64 - (lu >> 62);
        let v = if shift >= 64 { 0 } else { (lu >> shift) as i64 } & (l >> 63);
        Ok(Value::Int(v as i32))
    }),
    m!("timestamp", [], P::Long, |r, _, _| {
        let (h, _) = uuid_v1(r)?;
        let hu = h as u64;
        Ok(Value::Long(
            ((hu & 0x0FFF) << 48 | ((hu >> 16) & 0xFFFF) << 32 | hu >> 32) as i64,
        ))
    }),
    m!("clockSequence", [], P::Int, |r, _, _| {
        let (_, l) = uuid_v1(r)?;
        Ok(Value::Int(
            (((l as u64) & 0x3FFF_0000_0000_0000) >> 48) as i32,
        ))
    }),
    m!("node", [], P::Long, |r, _, _| {
        let (_, l) = uuid_v1(r)?;
        Ok(Value::Long(l & 0x0000_FFFF_FFFF_FFFF))
    }),
];

pub(super) static FORMATTER: &[MethodDef] = &[
    m!("format", [ACCESSOR], P::Str, |r, a, _| match recv(r)? {
        Obj::Formatter(f) => Ok(Value::from(f.format(arg_obj(a, 0)?)?)),
        o => Err(format!("expected a DateTimeFormatter, got {}", o.class_name()).into()),
    }),
    m!(
        "getLocale",
        [],
        P::Class(Class::Locale),
        |r, _, _| match recv(r)? {
            Obj::Formatter(f) => ov(Obj::Locale(f.locale.clone())),
            o => Err(format!("expected a DateTimeFormatter, got {}", o.class_name()).into()),
        }
    ),
    m!(
        "withLocale",
        [P::Class(Class::Locale)],
        FMT,
        |r, a, _| match (recv(r)?, arg_obj(a, 0)?) {
            (Obj::Formatter(f), Obj::Locale(l)) => {
                let mut f = f.clone();
                f.locale = l.clone();
                ov(Obj::Formatter(f))
            }
            _ => Err("expected a DateTimeFormatter and a Locale".into()),
        }
    ),
];
