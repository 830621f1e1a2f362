//! PostgreSQL types to Scenic's: the output type of a column (deploy time), its value (run
//! time), and arguments encoded for the type the server inferred for their placeholder.
//!
//! The column mapping is the reference's (`enrichers.md` §2.8, by pgjdbc's column classes):
//! `int2`/`int4` → Integer, `int8` → Long, `numeric` → BigDecimal, `float4` → Float,
//! `float8` → Double, `bool` → Boolean, text types → String, `date` → LocalDate, `time` →
//! LocalTime, `timestamp`/`timestamptz` → Instant (a `timestamp` read as UTC), `uuid` → UUID,
//! arrays → List[Unknown] (of the element values). Where pgjdbc has no class of ours
//! (`json`/`jsonb`, which Scenic decodes into maps and lists: Unknown) or none at all (enums and
//! other types: String, their text), the comment at each arm says what Scenic does.

use std::error::Error;
use std::str::FromStr;

use bytes::BytesMut;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use scenic_spel::value::{BigDecimal, Obj};
use scenic_spel::{Class, Type, Value};
use tokio_postgres::types::{FromSql, IsNull, Kind, ToSql, Type as Pg};

type BoxError = Box<dyn Error + Sync + Send>;

/// The Scenic type of a column of type `t`.
pub fn column_type(t: &Pg) -> Type {
    match *t {
        Pg::BOOL => Type::class(Class::Boolean),
        Pg::INT2 | Pg::INT4 => Type::class(Class::Integer),
        Pg::INT8 | Pg::OID => Type::class(Class::Long),
        Pg::FLOAT4 => Type::class(Class::Float),
        Pg::FLOAT8 => Type::class(Class::Double),
        Pg::NUMERIC => Type::class(Class::BigDecimal),
        Pg::DATE => Type::class(Class::LocalDate),
        Pg::TIME => Type::class(Class::LocalTime),
        Pg::TIMESTAMP | Pg::TIMESTAMPTZ => Type::class(Class::Instant),
        Pg::UUID => Type::class(Class::Uuid),
        // Scenic decodes JSON into maps and lists, whose shape the database does not know.
        Pg::JSON | Pg::JSONB => Type::Unknown,
        _ => match t.kind() {
            Kind::Array(_) => Type::list(Type::Unknown),
            // A domain is its base type.
            Kind::Domain(base) => column_type(base),
            // Text types, enums and everything pgjdbc reports as a String: their text.
            _ => Type::class(Class::String),
        },
    }
}

/// Any column's raw bytes: the binary form of types Scenic has no decoder for.
struct Raw<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Pg, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Raw(raw))
    }
    fn accepts(_: &Pg) -> bool {
        true
    }
}

/// One column value, decoded by the column's type.
struct Cell(Value);

impl<'a> FromSql<'a> for Cell {
    fn from_sql(t: &Pg, raw: &'a [u8]) -> Result<Self, BoxError> {
        decode(t, raw).map(Cell)
    }
    fn from_sql_null(_: &Pg) -> Result<Self, BoxError> {
        Ok(Cell(Value::Null))
    }
    fn accepts(_: &Pg) -> bool {
        true
    }
}

fn decode(t: &Pg, raw: &[u8]) -> Result<Value, BoxError> {
    Ok(match *t {
        Pg::BOOL => Value::Bool(bool::from_sql(t, raw)?),
        Pg::INT2 => Value::Int(i16::from_sql(t, raw)?.into()),
        Pg::INT4 => Value::Int(i32::from_sql(t, raw)?),
        Pg::INT8 => Value::Long(i64::from_sql(t, raw)?),
        Pg::OID => Value::Long(u32::from_sql(t, raw)?.into()),
        Pg::FLOAT4 => Value::Float(f32::from_sql(t, raw)?),
        Pg::FLOAT8 => Value::Double(f64::from_sql(t, raw)?),
        Pg::NUMERIC => {
            let d = rust_decimal::Decimal::from_sql(t, raw)?;
            Value::big_dec(BigDecimal::from_str(&d.to_string())?)
        }
        Pg::DATE => Value::obj(Obj::LocalDate(NaiveDate::from_sql(t, raw)?)),
        Pg::TIME => Value::obj(Obj::LocalTime(NaiveTime::from_sql(t, raw)?)),
        Pg::TIMESTAMP => Value::obj(Obj::Instant(NaiveDateTime::from_sql(t, raw)?.and_utc())),
        Pg::TIMESTAMPTZ => Value::obj(Obj::Instant(DateTime::<Utc>::from_sql(t, raw)?)),
        Pg::UUID => Value::obj(Obj::Uuid(uuid::Uuid::from_sql(t, raw)?)),
        Pg::JSON | Pg::JSONB => {
            let j = serde_json::Value::from_sql(t, raw)?;
            scenic_spel::value::from_json_untyped(&j)
        }
        _ => match t.kind() {
            Kind::Array(_) => {
                let items: Vec<Cell> = Vec::from_sql(t, raw)?;
                Value::list(items.into_iter().map(|c| c.0).collect())
            }
            Kind::Domain(base) => decode(base, raw)?,
            // Text types and enums are sent as their text; for other types the binary form
            // is shown as text when it is UTF-8.
            _ => {
                let Raw(bytes) = Raw::from_sql(t, raw)?;
                match std::str::from_utf8(bytes) {
                    Ok(s) => Value::str(s),
                    Err(_) => {
                        return Err(format!(
                            "column type {} has no Scenic decoder; cast it in the query (::text)",
                            t.name()
                        )
                        .into())
                    }
                }
            }
        },
    })
}

/// Column `i` of `row`.
pub fn cell(row: &tokio_postgres::Row, i: usize) -> Result<Value, tokio_postgres::Error> {
    row.try_get::<_, Cell>(i).map(|c| c.0)
}

/// An argument, encoded for the type the server inferred for its placeholder. A value that does
/// not fit (a string for an integer column, a Long beyond `int4`) is an error naming both.
#[derive(Debug)]
pub struct Arg(pub Value);

fn mismatch(v: &Value, t: &Pg) -> BoxError {
    format!("a {} cannot be passed as {}", v.class_name(), t.name()).into()
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Byte(i) => Some((*i).into()),
        Value::Short(i) => Some((*i).into()),
        Value::Int(i) => Some((*i).into()),
        Value::Long(i) => Some(*i),
        Value::BigInt(b) => i64::try_from(&**b).ok(),
        _ => None,
    }
}

fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some((*f).into()),
        Value::Double(f) => Some(*f),
        Value::BigDec(d) => d.to_string().parse().ok(),
        other => integer(other).map(|i| i as f64),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        Value::Char(c) => Some(c.to_string()),
        _ => None,
    }
}

impl ToSql for Arg {
    fn to_sql(&self, t: &Pg, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        encode(&self.0, t, out)
    }
    fn accepts(_: &Pg) -> bool {
        true
    }
    tokio_postgres::types::to_sql_checked!();
}

fn encode(v: &Value, t: &Pg, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    if matches!(v, Value::Null) {
        return Ok(IsNull::Yes);
    }
    let bad = || mismatch(v, t);
    let int = |bits: u32| -> Result<i64, BoxError> {
        let i = integer(v).ok_or_else(bad)?;
        let fits = match bits {
            16 => i16::try_from(i).is_ok(),
            32 => i32::try_from(i).is_ok(),
            _ => true,
        };
        if fits {
            Ok(i)
        } else {
            Err(format!("{i} is out of the range of {}", t.name()).into())
        }
    };
    match *t {
        Pg::BOOL => match v {
            Value::Bool(b) => b.to_sql(t, out),
            _ => Err(bad()),
        },
        Pg::INT2 => (int(16)? as i16).to_sql(t, out),
        Pg::INT4 => (int(32)? as i32).to_sql(t, out),
        Pg::INT8 => int(64)?.to_sql(t, out),
        Pg::FLOAT4 => (float(v).ok_or_else(bad)? as f32).to_sql(t, out),
        Pg::FLOAT8 => float(v).ok_or_else(bad)?.to_sql(t, out),
        Pg::NUMERIC => {
            let text = match v {
                Value::BigDec(d) => d.to_string(),
                Value::Float(_) | Value::Double(_) => float(v).ok_or_else(bad)?.to_string(),
                other => integer(other).ok_or_else(bad)?.to_string(),
            };
            let d = rust_decimal::Decimal::from_str_exact(&text)
                .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
                .map_err(|e| format!("{text} cannot be passed as numeric: {e}"))?;
            d.to_sql(t, out)
        }
        Pg::DATE => match v {
            Value::Obj(o) => match &**o {
                Obj::LocalDate(d) => d.to_sql(t, out),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        },
        Pg::TIME => match v {
            Value::Obj(o) => match &**o {
                Obj::LocalTime(d) => d.to_sql(t, out),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        },
        Pg::TIMESTAMP | Pg::TIMESTAMPTZ => {
            let at: DateTime<Utc> = match v {
                Value::Obj(o) => match &**o {
                    Obj::Instant(i) => *i,
                    Obj::OffsetDateTime(d) => d.with_timezone(&Utc),
                    Obj::ZonedDateTime(z) => z.dt.with_timezone(&Utc),
                    // A local date-time is taken as UTC, as timestamps are read.
                    Obj::LocalDateTime(d) => d.and_utc(),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            };
            if *t == Pg::TIMESTAMP {
                at.naive_utc().to_sql(t, out)
            } else {
                at.to_sql(t, out)
            }
        }
        Pg::UUID => match v {
            Value::Obj(o) => match &**o {
                Obj::Uuid(u) => u.to_sql(t, out),
                _ => Err(bad()),
            },
            Value::Str(s) => uuid::Uuid::parse_str(s)?.to_sql(t, out),
            _ => Err(bad()),
        },
        Pg::JSON | Pg::JSONB => scenic_spel::value::to_json(v).to_sql(t, out),
        _ => match t.kind() {
            Kind::Array(member) => match v {
                Value::List(items) => {
                    let args: Vec<Arg> = items.iter().cloned().map(Arg).collect();
                    // postgres-types writes the array header, each member by `member`.
                    let _ = member;
                    args.to_sql(t, out)
                }
                _ => Err(bad()),
            },
            Kind::Domain(base) => encode(v, base, out),
            // Text types and enums take text (an enum's binary form is its label).
            _ => {
                let s = text(v).ok_or_else(bad)?;
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_type_as_the_reference_types_them() {
        assert_eq!(column_type(&Pg::INT4).to_string(), "Integer");
        assert_eq!(column_type(&Pg::INT2).to_string(), "Integer");
        assert_eq!(column_type(&Pg::INT8).to_string(), "Long");
        assert_eq!(column_type(&Pg::NUMERIC).to_string(), "BigDecimal");
        assert_eq!(column_type(&Pg::VARCHAR).to_string(), "String");
        assert_eq!(column_type(&Pg::TIMESTAMPTZ).to_string(), "Instant");
        assert_eq!(column_type(&Pg::INT4_ARRAY).to_string(), "List[Unknown]");
    }

    #[test]
    fn arguments_that_do_not_fit_are_errors_naming_the_type() {
        let mut out = BytesMut::new();
        let err = |v: Value| match encode(&v, &Pg::INT4, &mut BytesMut::new()) {
            Err(e) => e.to_string(),
            Ok(_) => "encoded".into(),
        };
        let e = err(Value::str("x"));
        assert_eq!(e, "a String cannot be passed as int4");
        let e = err(Value::Long(1 << 40));
        assert_eq!(e, "1099511627776 is out of the range of int4");
        assert!(matches!(
            encode(&Value::Null, &Pg::INT4, &mut out),
            Ok(IsNull::Yes)
        ));
    }
}
