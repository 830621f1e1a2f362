//! Tests of the java.time members and statics.

use crate::helpers::date::tests::s;

#[test]
fn local_date_members() {
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-01').plusDays(31).dayOfWeek"),
        "SATURDAY"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-31').plusMonths(1)"),
        "2020-02-29"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-31').lengthOfMonth"),
        "31"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-31').leapYear"),
        "true"
    );
    assert_eq!(s("#DATE_FORMAT.parseLocalDate('2020-01-31').compareTo(#DATE_FORMAT.parseLocalDate('2020-03-01'))"), "-2");
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-31').atTime(10, 30)"),
        "2020-01-31T10:30:00"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-31').isAfter('2020-01-30')"),
        "true"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseLocalDate('2020-01-31').toEpochDay"),
        "18292"
    );
    assert_eq!(s("'2020-01-01'.to('LocalDate').plusDays(1)"), "2020-01-02");
}

#[test]
fn time_and_offset_members() {
    assert_eq!(
        s("#DATE_FORMAT.parseLocalTime('23:30').plusHours(2)"),
        "01:30:00"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseLocalTime('23:30').toSecondOfDay"),
        "84600"
    );
    assert_eq!(s("#DATE_FORMAT.parseOffsetDateTime('2020-01-01T11:12:13+01:00').withOffsetSameInstant('Z')"), "2020-01-01T10:12:13Z");
    assert_eq!(
        s("#DATE_FORMAT.parseOffsetDateTime('2020-01-01T11:12:13+01:00').offset"),
        "+01:00"
    );
    assert_eq!(
        s("#DATE.now.atOffset(#DATE.UTCOffset)"),
        "2020-01-01T00:00:00Z"
    );
    assert_eq!(
        s("#DATE_FORMAT.parseZonedDateTime('2020-01-01T11:12:13+01:00[Europe/Warsaw]').withZoneSameInstant('UTC')"),
        "2020-01-01T10:12:13Z[UTC]"
    );
    assert_eq!(
        s("#DATE.now.minus(#DATE.durationBetween(#DATE.now, #DATE.now.plusSeconds(60)))"),
        "2019-12-31T23:59:00Z"
    );
    assert_eq!(
        s("#DATE.durationBetween(#DATE.now, #DATE.now.plusSeconds(3723)).toMinutesPart"),
        "2"
    );
    assert_eq!(s("#DATE.FEBRUARY.length(true)"), "29");
    assert!(s("#DATE.now.plusMonths(1)").starts_with("ERR compile"));
}

fn call_static(class: crate::types::Class, name: &str, args: &[crate::value::Value]) -> String {
    let env = crate::helpers::date::tests::env();
    super::static_methods()
        .filter(|(c, m)| *c == class && m.name == name && m.arity_ok(args.len()))
        .find_map(|(_, m)| (m.call)(&crate::value::Value::Null, args, &env).ok())
        .map(|v| v.to_java_string())
        .unwrap_or_else(|| "ERR".into())
}

#[test]
fn statics() {
    use crate::types::Class;
    use crate::value::Value;
    assert_eq!(
        call_static(
            Class::LocalDate,
            "of",
            &[Value::Int(2020), Value::Int(2), Value::Int(29)]
        ),
        "2020-02-29"
    );
    assert_eq!(
        call_static(
            Class::LocalDate,
            "of",
            &[Value::Int(2021), Value::Int(2), Value::Int(29)]
        ),
        "ERR"
    );
    assert_eq!(
        call_static(Class::Duration, "parse", &[Value::str("PT1H30M")]),
        "PT1H30M"
    );
    assert_eq!(
        call_static(Class::Duration, "parse", &[Value::str("P2DT-0.5S")]),
        "PT47H59M59.5S"
    );
    assert_eq!(
        call_static(Class::Duration, "ofMillis", &[Value::Long(-1500)]),
        "PT-1.5S"
    );
    assert_eq!(
        call_static(Class::Period, "parse", &[Value::str("P1Y2M3W4D")]),
        "P1Y2M25D"
    );
    assert_eq!(
        call_static(Class::LocalDateTime, "now", &[]),
        "2020-01-01T00:00"
    );
    assert_eq!(
        call_static(Class::ZoneId, "of", &[Value::str("Europe/Warsaw")]),
        "Europe/Warsaw"
    );
}
