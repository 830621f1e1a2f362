//! Result value → response JSON, guided by the output schema (the reference's
//! `ToJsonSchemaBasedEncoder` in lax mode), then validated against it.

use std::cell::Cell;

use scenic_spel::value::{to_json, Obj as JavaObj};
use scenic_spel::Value;
use serde_json::{Map, Number, Value as Json};

use super::compiled::JsonSchema;
use super::error::{cap_violations, echo, push_pointer, Violation};
use super::walk::{self, types_of, MAX_HOPS};

type Encoded = Result<Json, Vec<Violation>>;

impl JsonSchema {
    /// Encodes a result against the schema: objects by their properties (undeclared fields
    /// kept only if `additionalProperties` allows them, null optional fields dropped, missing
    /// required ones filled with their default or `null` when the schema allows), combined
    /// schemas by their first member that encodes, `{}` generically; java.time values become
    /// ISO strings and BigDecimals numbers. A Double's NaN or infinity (no JSON number holds
    /// them) is `null` where the schema allows `null` or says nothing (`{}`), and a violation
    /// naming the field where a number is required; so is a BigDecimal beyond a double's
    /// range. The JSON is then validated; object keys are sorted at every level. At most
    /// [`MAX_VIOLATIONS`](super::MAX_VIOLATIONS) violations are reported, then their count.
    pub fn encode_output(&self, v: &Value) -> Result<Json, Vec<Violation>> {
        let enc = Encoder {
            root: self.raw(),
            budget: Cell::new(STEP_BUDGET),
        };
        let json = enc
            .encode(v, self.raw(), &mut String::new(), 0)
            .map_err(cap_violations)?;
        let violations = self.validate(&json);
        if violations.is_empty() {
            Ok(json)
        } else {
            Err(violations)
        }
    }
}

/// Generic JSON of a value (schema `{}`): like `to_json`, with zoned date-times in the offset
/// form and object keys sorted.
pub(crate) fn generic(v: &Value) -> Json {
    match v {
        Value::List(l) => Json::Array(l.iter().map(generic).collect()),
        Value::Map(m) => {
            let mut o = Map::with_capacity(m.len());
            for (k, v) in m.iter() {
                o.insert(key_string(k), generic(v));
            }
            o.sort_keys();
            Json::Object(o)
        }
        Value::Obj(o) => match temporal_string(o) {
            Some(s) => Json::String(s),
            None => to_json(v),
        },
        other => to_json(other),
    }
}

fn key_string(k: &Value) -> String {
    match k {
        Value::Str(s) => s.to_string(),
        other => other.to_java_string(),
    }
}

/// ISO text of a java.time value; zoned date-times without their `[region]` (RFC 3339).
fn temporal_string(o: &JavaObj) -> Option<String> {
    match o {
        JavaObj::ZonedDateTime(z) => Some(JavaObj::OffsetDateTime(z.dt).to_iso_string()),
        JavaObj::LocalDate(_)
        | JavaObj::LocalTime(_)
        | JavaObj::LocalDateTime(_)
        | JavaObj::Instant(_)
        | JavaObj::OffsetDateTime(_) => Some(o.to_iso_string()),
        _ => None,
    }
}

/// Schema steps one encoding may take (guards against combinator blow-up in absurd schemas;
/// then the rest is encoded generically and left to the validator).
const STEP_BUDGET: usize = 4_000_000;

struct Encoder<'a> {
    root: &'a Json,
    budget: Cell<usize>,
}

/// The schema in messages: compact JSON, cut when long.
fn show_schema(s: &Json) -> String {
    let text = s.to_string();
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

fn type_name(v: &Value) -> String {
    match v {
        Value::Null => "Null".to_string(),
        other => scenic_spel::Type::of_value_without_value(other).to_string(),
    }
}

/// The last segment of a pointer, for the reference's `field: 'name'` wording.
fn field_of(pointer: &str) -> Option<String> {
    let last = pointer.rsplit_once('/')?.1;
    Some(last.replace("~1", "/").replace("~0", "~"))
}

/// A NaN or an infinity (Java's double arithmetic overflows to infinity).
fn is_non_finite(v: &Value) -> bool {
    match v {
        Value::Double(d) => !d.is_finite(),
        Value::Float(f) => !f.is_finite(),
        _ => false,
    }
}

/// The largest magnitude a JSON number written by Scenic can have (`Double.MAX_VALUE`).
const LARGEST: &str = "1.7976931348623157E+308";

/// A number that no JSON number can hold, in a field whose schema wants a number (the
/// violation's pointer names the field).
fn unwritable(v: &Value, pointer: &str) -> Vec<Violation> {
    let message = if is_non_finite(v) {
        format!(
            "the {} value {} has no JSON number (JSON has no NaN or Infinity; Double \
             arithmetic overflows to Infinity beyond ±{LARGEST})",
            type_name(v),
            v.to_java_string()
        )
    } else {
        let shown = match v {
            Value::BigDec(d) => d.normalized().to_scientific_notation(),
            other => other.to_java_string(),
        };
        format!(
            "the {} value {} has no JSON number (it is beyond ±{LARGEST}, the largest number \
             Scenic writes)",
            type_name(v),
            echo(&shown)
        )
    };
    vec![Violation::new(pointer, message)]
}

/// The JSON number of a number value, or why there is none.
fn number_json(v: &Value, pointer: &str) -> Encoded {
    match to_json(v) {
        j @ Json::Number(_) => Ok(j),
        _ => Err(unwritable(v, pointer)),
    }
}

fn not_expected(v: &Value, schema: &Json, pointer: &str) -> Vec<Violation> {
    let field = field_of(pointer)
        .map(|f| format!(": '{f}'"))
        .unwrap_or_default();
    vec![Violation::new(
        pointer,
        format!(
            "Not expected type: {} for field{field} with schema: {}.",
            type_name(v),
            show_schema(schema)
        ),
    )]
}

impl<'a> Encoder<'a> {
    fn encode(&self, v: &Value, schema: &'a Json, ptr: &mut String, hops: usize) -> Encoded {
        let left = self.budget.get();
        if hops > MAX_HOPS || left == 0 {
            return Ok(generic(v));
        }
        self.budget.set(left - 1);
        let Some(o) = walk::resolve(self.root, schema).and_then(Json::as_object) else {
            // `true`, `false` (the validator rejects), or an unresolvable reference.
            return Ok(generic(v));
        };
        let types = types_of(o);
        if !types.is_empty() {
            if v.is_null() {
                return if types.contains(&"null") {
                    Ok(Json::Null)
                } else {
                    Err(not_expected(v, schema, ptr))
                };
            }
            if is_non_finite(v) && types.contains(&"null") {
                // The reference writes a NaN or an infinity as `null` (circe's
                // `fromDoubleOrNull`), which a nullable field accepts.
                return Ok(Json::Null);
            }
            let mut first_error = None;
            for t in types.iter().filter(|t| **t != "null") {
                match self.encode_as(t, v, o, schema, ptr) {
                    Ok(j) => return Ok(j),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            return Err(first_error.unwrap_or_else(|| not_expected(v, schema, ptr)));
        }
        if o.contains_key("properties") && matches!(v, Value::Map(_)) {
            return self.encode_as("object", v, o, schema, ptr);
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(members) = o.get(key).and_then(Json::as_array) {
                return members
                    .iter()
                    .find_map(|m| self.encode(v, m, ptr, hops + 1).ok())
                    .ok_or_else(|| not_expected(v, schema, ptr));
            }
        }
        if o.contains_key("items") && matches!(v, Value::List(_)) {
            return self.encode_as("array", v, o, schema, ptr);
        }
        Ok(generic(v))
    }

    fn encode_as(
        &self,
        t: &str,
        v: &Value,
        o: &'a walk::Obj,
        schema: &Json,
        ptr: &mut String,
    ) -> Encoded {
        let mismatch = || not_expected(v, schema, ptr);
        match (t, v) {
            ("object", Value::Map(m)) => self.encode_object(m, o, ptr),
            ("array", Value::List(items)) => self.encode_items(items, o, ptr),
            ("string", Value::Str(s)) => Ok(Json::String(s.to_string())),
            ("string", Value::Char(c)) => Ok(Json::String(c.to_string())),
            ("string", Value::Obj(obj)) => {
                let format = o.get("format").and_then(Json::as_str);
                match (format, &**obj) {
                    // RFC 3339 times carry an offset; a LocalTime is taken as UTC.
                    (Some("time"), JavaObj::LocalTime(_)) => {
                        Ok(Json::String(format!("{}Z", obj.to_iso_string())))
                    }
                    _ => temporal_string(obj).map(Json::String).ok_or_else(mismatch),
                }
            }
            ("integer", _) => self
                .encode_integer(v, ptr)
                .unwrap_or_else(|| Err(mismatch())),
            ("number", v) if v.is_number() => number_json(v, ptr),
            ("boolean", Value::Bool(b)) => Ok(Json::Bool(*b)),
            ("null", Value::Null) => Ok(Json::Null),
            ("object" | "array" | "string" | "number" | "boolean" | "null", _) => Err(mismatch()),
            // An unknown type name: the validator has the last word.
            _ => Ok(generic(v)),
        }
    }

    /// `None` when `v` is not a number at all.
    fn encode_integer(&self, v: &Value, ptr: &str) -> Option<Encoded> {
        let not_integer = || {
            let field = field_of(ptr)
                .map(|f| format!(": '{f}'"))
                .unwrap_or_default();
            Err(vec![Violation::new(
                ptr,
                format!(
                    "Field{field} value '{}' is not an integer.",
                    v.to_java_string()
                ),
            )])
        };
        let from_f64 = |d: f64| {
            if !d.is_finite() {
                Err(unwritable(v, ptr))
            } else if d.fract() == 0.0 && d.abs() < 9.2e18 {
                Ok(Json::from(d as i64))
            } else {
                not_integer()
            }
        };
        Some(match v {
            Value::Byte(_) | Value::Short(_) | Value::Int(_) | Value::Long(_) => Ok(to_json(v)),
            Value::BigInt(_) => number_json(v, ptr),
            Value::Float(f) => from_f64(f64::from(*f)),
            Value::Double(d) => from_f64(*d),
            Value::BigDec(d) => {
                let plain = d.to_plain_string();
                let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
                if frac.bytes().all(|b| b == b'0') {
                    match int.parse::<Number>() {
                        Ok(n) => Ok(Json::Number(n)),
                        Err(_) => Err(unwritable(v, ptr)),
                    }
                } else {
                    not_integer()
                }
            }
            _ => return None,
        })
    }

    fn encode_items(&self, items: &[Value], o: &'a walk::Obj, ptr: &mut String) -> Encoded {
        let tuple = o.get("items").and_then(Json::as_array);
        let single = o.get("items").filter(|s| !s.is_array());
        let rest = o.get("additionalItems");
        let mut out = Vec::with_capacity(items.len());
        let mut errors = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let schema = match tuple {
                Some(t) => t.get(i).or(rest),
                None => single,
            };
            let len = ptr.len();
            push_pointer(ptr, &i.to_string());
            match schema {
                Some(s) => match self.encode(item, s, ptr, 0) {
                    Ok(j) => out.push(j),
                    Err(e) => errors.extend(e),
                },
                None => out.push(generic(item)),
            }
            ptr.truncate(len);
        }
        if errors.is_empty() {
            Ok(Json::Array(out))
        } else {
            Err(errors)
        }
    }

    fn encode_object(
        &self,
        m: &scenic_spel::ValueMap,
        o: &'a walk::Obj,
        ptr: &mut String,
    ) -> Encoded {
        let root = self.root;
        let empty = walk::Obj::new();
        let props = walk::properties(o).unwrap_or(&empty);
        let required = walk::required(o);
        let additional = o.get("additionalProperties");
        let patterns = o.get("patternProperties").is_some_and(|p| p.is_object());
        let mut out = Map::with_capacity(m.len().max(props.len()));
        let mut errors = Vec::new();
        let mut encode_field = |key: &str, value: Option<&Value>, out: &mut Map<String, Json>| {
            let len = ptr.len();
            push_pointer(ptr, key);
            let is_required = required.contains(&key);
            let result = match (props.get(key), value) {
                (Some(s), Some(Value::Null)) | (Some(s), None) => {
                    let default = walk::default_of(root, s);
                    if value.is_some() && walk::is_nullable(root, s) {
                        Some(Ok(Json::Null))
                    } else if !is_required {
                        // Optional and null or absent: left out.
                        None
                    } else if walk::is_nullable(root, s) {
                        Some(Ok(Json::Null))
                    } else if let Some(d) = default {
                        Some(Ok(d.clone()))
                    } else if value.is_none() {
                        Some(Err(vec![Violation::new(
                            ptr.as_str(),
                            format!("Missing property: {key} for schema: {}.", show_schema(s)),
                        )]))
                    } else {
                        Some(self.encode(&Value::Null, s, ptr, 0))
                    }
                }
                (Some(s), Some(v)) => Some(self.encode(v, s, ptr, 0)),
                (None, None) => None,
                (None, Some(v)) => match additional {
                    // Undeclared fields that the schema forbids are dropped (lax).
                    Some(Json::Bool(false)) if !patterns => None,
                    Some(s @ Json::Object(_)) if !patterns => Some(self.encode(v, s, ptr, 0)),
                    _ => Some(Ok(generic(v))),
                },
            };
            match result {
                Some(Ok(j)) => {
                    out.insert(key.to_string(), j);
                }
                Some(Err(e)) => errors.extend(e),
                None => {}
            }
            ptr.truncate(len);
        };
        for (k, v) in m.iter() {
            encode_field(&key_string(k), Some(v), &mut out);
        }
        for k in props.keys() {
            if !m.contains_key(&Value::str(k)) {
                encode_field(k, None, &mut out);
            }
        }
        if errors.is_empty() {
            out.sort_keys();
            Ok(Json::Object(out))
        } else {
            Err(errors)
        }
    }
}
