//! The closed set of Java classes the dialect knows: the class-definition set of `spel.md` §10.

use super::Helper;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    Object,
    String,
    Boolean,
    Character,
    Number,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Collection,
    List,
    Set,
    /// A Java array; displayed as `List[...]`.
    Array,
    Map,
    LocalDate,
    LocalTime,
    LocalDateTime,
    Instant,
    OffsetDateTime,
    ZonedDateTime,
    Duration,
    Period,
    DayOfWeek,
    Month,
    ZoneId,
    ZoneOffset,
    Locale,
    Currency,
    Charset,
    Uuid,
    DateTimeFormatter,
    ChronoLocalDate,
    ChronoLocalDateTime,
    ChronoZonedDateTime,
    Temporal,
    TemporalAccessor,
    TemporalAmount,
    /// `java.lang.Class`, the value of `T(...)`.
    ClassRef,
    /// A global helper object (`#DATE`, `#COLLECTION`, ...).
    Helper(Helper),
}

/// Classes visible by name in `T(...)`, `canBe`/`to`, `instanceof` and type strings.
const NAMED: &[(Class, &str, &str)] = &[
    (Class::Object, "Object", "java.lang.Object"),
    (Class::String, "String", "java.lang.String"),
    (Class::Boolean, "Boolean", "java.lang.Boolean"),
    (Class::Character, "Character", "java.lang.Character"),
    (Class::Number, "Number", "java.lang.Number"),
    (Class::Byte, "Byte", "java.lang.Byte"),
    (Class::Short, "Short", "java.lang.Short"),
    (Class::Integer, "Integer", "java.lang.Integer"),
    (Class::Long, "Long", "java.lang.Long"),
    (Class::Float, "Float", "java.lang.Float"),
    (Class::Double, "Double", "java.lang.Double"),
    (Class::BigInteger, "BigInteger", "java.math.BigInteger"),
    (Class::BigDecimal, "BigDecimal", "java.math.BigDecimal"),
    (Class::Collection, "Collection", "java.util.Collection"),
    (Class::List, "List", "java.util.List"),
    (Class::Set, "Set", "java.util.Set"),
    (Class::Map, "Map", "java.util.Map"),
    (Class::LocalDate, "LocalDate", "java.time.LocalDate"),
    (Class::LocalTime, "LocalTime", "java.time.LocalTime"),
    (
        Class::LocalDateTime,
        "LocalDateTime",
        "java.time.LocalDateTime",
    ),
    (Class::Instant, "Instant", "java.time.Instant"),
    (
        Class::OffsetDateTime,
        "OffsetDateTime",
        "java.time.OffsetDateTime",
    ),
    (
        Class::ZonedDateTime,
        "ZonedDateTime",
        "java.time.ZonedDateTime",
    ),
    (Class::Duration, "Duration", "java.time.Duration"),
    (Class::Period, "Period", "java.time.Period"),
    (Class::DayOfWeek, "DayOfWeek", "java.time.DayOfWeek"),
    (Class::Month, "Month", "java.time.Month"),
    (Class::ZoneId, "ZoneId", "java.time.ZoneId"),
    (Class::ZoneOffset, "ZoneOffset", "java.time.ZoneOffset"),
    (Class::Locale, "Locale", "java.util.Locale"),
    (Class::Currency, "Currency", "java.util.Currency"),
    (Class::Charset, "Charset", "java.nio.charset.Charset"),
    (Class::Uuid, "UUID", "java.util.UUID"),
    (
        Class::DateTimeFormatter,
        "DateTimeFormatter",
        "java.time.format.DateTimeFormatter",
    ),
    (
        Class::ChronoLocalDate,
        "ChronoLocalDate",
        "java.time.chrono.ChronoLocalDate",
    ),
    (
        Class::ChronoLocalDateTime,
        "ChronoLocalDateTime",
        "java.time.chrono.ChronoLocalDateTime",
    ),
    (
        Class::ChronoZonedDateTime,
        "ChronoZonedDateTime",
        "java.time.chrono.ChronoZonedDateTime",
    ),
    (Class::Temporal, "Temporal", "java.time.temporal.Temporal"),
    (
        Class::TemporalAccessor,
        "TemporalAccessor",
        "java.time.temporal.TemporalAccessor",
    ),
    (
        Class::TemporalAmount,
        "TemporalAmount",
        "java.time.temporal.TemporalAmount",
    ),
];

impl Class {
    /// Java simple name.
    pub fn simple_name(self) -> &'static str {
        match self {
            Class::Array => "Array",
            Class::ClassRef => "Class",
            Class::Helper(h) => h.class_name(),
            c => NAMED
                .iter()
                .find(|(k, _, _)| *k == c)
                .map(|(_, s, _)| *s)
                .unwrap_or("Object"),
        }
    }

    /// Name in type displays (arrays display as lists, like the reference).
    pub fn display_name(self) -> &'static str {
        match self {
            Class::Array => "List",
            c => c.simple_name(),
        }
    }

    /// Fully qualified Java name.
    pub fn qualified_name(self) -> &'static str {
        match self {
            Class::Array => "java.lang.Object[]",
            Class::ClassRef => "java.lang.Class",
            Class::Helper(h) => h.class_name(),
            c => NAMED
                .iter()
                .find(|(k, _, _)| *k == c)
                .map(|(_, _, q)| *q)
                .unwrap_or("java.lang.Object"),
        }
    }

    /// Resolves a simple or qualified name (case-sensitive, as Java is).
    pub fn by_name(name: &str) -> Option<Class> {
        NAMED
            .iter()
            .find(|(_, s, q)| *s == name || *q == name)
            .map(|(c, _, _)| *c)
    }

    /// Resolves a simple or qualified name ignoring case (`canBe`/`to` arguments).
    pub fn by_name_ignore_case(name: &str) -> Option<Class> {
        NAMED
            .iter()
            .find(|(_, s, q)| s.eq_ignore_ascii_case(name) || q.eq_ignore_ascii_case(name))
            .map(|(c, _, _)| *c)
    }

    /// Direct supertypes (superclass and interfaces that matter to the typer).
    pub fn parents(self) -> &'static [Class] {
        use Class::*;
        match self {
            Object => &[],
            Byte | Short | Integer | Long | Float | Double | BigInteger | BigDecimal => &[Number],
            List | Set => &[Collection],
            LocalDate => &[ChronoLocalDate],
            LocalDateTime => &[ChronoLocalDateTime],
            ZonedDateTime => &[ChronoZonedDateTime],
            ChronoLocalDate | ChronoLocalDateTime | ChronoZonedDateTime | Instant
            | OffsetDateTime | LocalTime => &[Temporal],
            Temporal | DayOfWeek | Month => &[TemporalAccessor],
            Duration | Period => &[TemporalAmount],
            ZoneOffset => &[ZoneId],
            _ => &[Object],
        }
    }

    /// `self` and all its supertypes, nearest first.
    pub fn ancestors(self) -> Vec<Class> {
        let mut out = vec![self];
        let mut i = 0;
        while i < out.len() {
            for p in out[i].parents() {
                if !out.contains(p) {
                    out.push(*p);
                }
            }
            i += 1;
        }
        if !out.contains(&Class::Object) {
            out.push(Class::Object);
        }
        out
    }

    pub fn is_subclass_of(self, other: Class) -> bool {
        self == other || other == Class::Object || self.ancestors().contains(&other)
    }

    pub fn is_number(self) -> bool {
        self.is_subclass_of(Class::Number)
    }

    pub fn is_integral(self) -> bool {
        matches!(
            self,
            Class::Byte | Class::Short | Class::Integer | Class::Long | Class::BigInteger
        )
    }

    /// Java's `Comparable` classes (for sorting helpers and `between`).
    pub fn is_comparable(self) -> bool {
        use Class::*;
        self.is_number() && self != Number
            || matches!(
                self,
                String
                    | Boolean
                    | Character
                    | LocalDate
                    | LocalTime
                    | LocalDateTime
                    | Instant
                    | OffsetDateTime
                    | ZonedDateTime
                    | Duration
                    | DayOfWeek
                    | Month
                    | ChronoLocalDate
                    | ChronoLocalDateTime
                    | ChronoZonedDateTime
                    | Uuid
            )
    }
}
