//! Request bytes → `#input` in one pass: a decoder compiled once from the input schema reads
//! the JSON text straight into SpEL values, checking the schema and filling in defaults as it
//! goes, instead of building a `serde_json::Value`, validating it, and converting it.
//!
//! The compiled decoder only ever answers for valid input: the first time the input leaves
//! the happy path (a violation, malformed JSON, a duplicate key, a conversion error) it stops,
//! and the input is decoded again by [`JsonSchema::decode_input`], which reports the error.
//! Errors are thus exactly today's (messages, pointers, order, cap), and a schema feature the
//! compiled decoder does not know makes the whole schema take the old path: behaviour never
//! depends on which path ran.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use scenic_spel::types::json_ref::resolve_ref;
use scenic_spel::value::from_json_typed;
use scenic_spel::{Class, Type, Value, ValueMap};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::compiled::{compile, ref_siblings_ignored, JsonSchema};
use super::error::Violation;
use super::walk::{self, strip_time_offset};

/// Why request bytes are not an `#input`.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON (or trailing text, or nested deeper than serde_json's 128 levels): the error
    /// `serde_json::from_slice` gives, with its line and column.
    #[error("{0}")]
    Malformed(#[from] serde_json::Error),
    /// JSON that the schema rejects, or that does not convert to `#input`'s type: what
    /// [`JsonSchema::decode_input`] reports (capped at
    /// [`MAX_VIOLATIONS`](super::MAX_VIOLATIONS) plus a count).
    #[error("{}", Violation::describe_all(.0))]
    Invalid(Vec<Violation>),
}

/// The input schema compiled for one-pass decoding (see the module comment).
pub struct Decoder {
    schema: Arc<JsonSchema>,
    /// `None` when the schema uses something the one-pass decoder does not handle.
    plan: Option<Node>,
}

impl fmt::Debug for Decoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("one_pass", &self.plan.is_some())
            .finish_non_exhaustive()
    }
}

impl Decoder {
    /// Compiles the decoder of a schema (at deploy time: this builds small validators for
    /// constrained scalars and decodes the defaults).
    pub fn compile(schema: &Arc<JsonSchema>) -> Decoder {
        let root = schema.raw();
        let mut c = Compiler {
            root,
            siblings_ignored: ref_siblings_ignored(root),
            draft: root.get("$schema").cloned(),
            refs: Vec::new(),
        };
        let plan = c.node(root, schema.static_type(), 0);
        Decoder {
            schema: schema.clone(),
            plan,
        }
    }

    /// Does this schema decode in one pass (else every input takes the old path)?
    pub fn is_one_pass(&self) -> bool {
        self.plan.is_some()
    }

    /// The schema it decodes by.
    pub fn schema(&self) -> &Arc<JsonSchema> {
        &self.schema
    }

    /// Request body → `#input`, exactly as `serde_json::from_slice` then
    /// [`JsonSchema::decode_input`] would (serde_json's strictness and nesting limit apply).
    pub fn decode(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        if let Some(plan) = &self.plan {
            if let Some(v) = one_pass(plan, bytes) {
                return Ok(v);
            }
        }
        self.decode_slow(bytes)
    }

    /// Did the one-pass decoder answer by itself (for tests: the old path was not needed)?
    #[cfg(test)]
    pub(crate) fn answered_in_one_pass(&self, bytes: &[u8]) -> bool {
        self.plan
            .as_ref()
            .and_then(|p| one_pass(p, bytes))
            .is_some()
    }

    /// The old path: parse, fill in defaults, validate, convert.
    pub fn decode_slow(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        let json: Json = serde_json::from_slice(bytes)?;
        self.schema.decode_input(json).map_err(DecodeError::Invalid)
    }
}

fn one_pass(plan: &Node, bytes: &[u8]) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = Seed(plan).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(v)
}

// ---- the compiled schema ----

enum Node {
    /// `true`, `{}`: any JSON, decoded untyped.
    Any,
    Scalar(Box<Scalar>),
    Object(Box<Object>),
    Array(Box<Array>),
}

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const INTEGER: u8 = 4;
const NUMBER: u8 = 8;
const STRING: u8 = 16;
/// `object` or `array` (which one is in `type`).
const CONTAINER: u8 = 0x80;

struct Scalar {
    kinds: u8,
    /// An `enum` of strings only, checked here rather than by `check`.
    strings: Option<Vec<String>>,
    /// The validator of the scalar's own schema, for keywords checked on a JSON value
    /// (bounds, patterns, formats, other enums).
    check: Option<jsonschema::Validator>,
    ty: Type,
    /// `#input`'s type here is a plain string: the text becomes a `Str` without a detour.
    plain_string: bool,
    /// `format: time`: the offset is dropped after validation (the value is a `LocalTime`).
    time: bool,
}

struct Object {
    nullable: bool,
    /// In the record type's field order (the order decoded maps have).
    props: Vec<Prop>,
    extras_allowed: bool,
}

struct Prop {
    name: String,
    key: Value,
    node: Node,
    required: bool,
    default: Default,
}

enum Default {
    None,
    Value(Value),
    /// A default that violates its own schema: the old path reports it.
    Invalid,
}

struct Array {
    nullable: bool,
    items: Node,
    min: Option<u64>,
    max: Option<u64>,
}

/// Keywords that constrain nothing (or only what the decoder resolves itself).
fn is_annotation(k: &str) -> bool {
    matches!(
        k,
        "title"
            | "description"
            | "default"
            | "examples"
            | "$comment"
            | "definitions"
            | "$defs"
            | "$schema"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
    )
}

/// Compile-time nesting at most (the schema's, not the input's); deeper schemas take the old
/// path.
const MAX_COMPILE_DEPTH: usize = 64;

struct Compiler<'a> {
    root: &'a Json,
    siblings_ignored: bool,
    draft: Option<Json>,
    /// `$ref`s being followed: a recursive schema takes the old path.
    refs: Vec<&'a str>,
}

impl<'a> Compiler<'a> {
    fn node(&mut self, schema: &'a Json, ty: &Type, depth: usize) -> Option<Node> {
        if depth > MAX_COMPILE_DEPTH {
            return None;
        }
        let o = match schema {
            Json::Bool(true) => return ty.is_unknown().then_some(Node::Any),
            Json::Object(o) => o,
            _ => return None,
        };
        if let Some(r) = o.get("$ref") {
            let r = r.as_str()?;
            let siblings = o.keys().any(|k| k != "$ref" && !is_annotation(k));
            if (siblings && !self.siblings_ignored) || self.refs.contains(&r) {
                return None;
            }
            let (target, _) = resolve_ref(self.root, r)?;
            self.refs.push(r);
            let node = self.node(target, ty, depth + 1);
            self.refs.pop();
            return node;
        }
        if depth > 0 && o.contains_key("$id") {
            return None;
        }
        let kinds = kinds_of(o)?;
        if kinds == 0 {
            let only_annotations = o.keys().all(|k| is_annotation(k) || k == "$id");
            return (only_annotations && ty.is_unknown()).then_some(Node::Any);
        }
        let types = walk::types_of(o);
        if types.contains(&"object") {
            return self.object(o, ty, kinds, depth);
        }
        if types.contains(&"array") {
            return self.array(o, ty, kinds, depth);
        }
        self.scalar(o, ty, kinds)
    }

    fn object(&mut self, o: &'a walk::Obj, ty: &Type, kinds: u8, depth: usize) -> Option<Node> {
        let allowed = |k: &str| {
            matches!(
                k,
                "type" | "properties" | "required" | "additionalProperties"
            ) || is_annotation(k)
                || (k == "$id" && depth == 0)
        };
        if kinds & !(NULL | CONTAINER) != 0 || !o.keys().all(|k| allowed(k)) {
            return None;
        }
        let Type::Record(fields) = ty else {
            return None;
        };
        let props: Option<&'a walk::Obj> = match o.get("properties") {
            None => None,
            Some(p) => Some(p.as_object()?),
        };
        let extras_allowed = match o.get("additionalProperties") {
            None | Some(Json::Bool(true)) => true,
            Some(Json::Bool(false)) => false,
            Some(_) => return None,
        };
        let required: Vec<&str> = match o.get("required") {
            None => Vec::new(),
            Some(r) => r
                .as_array()?
                .iter()
                .map(Json::as_str)
                .collect::<Option<_>>()?,
        };
        if fields.len() != props.map_or(0, walk::Obj::len) {
            return None;
        }
        let mut out = Vec::with_capacity(fields.len());
        for (name, ft) in fields.iter() {
            let ps = props?.get(name.as_str())?;
            let node = self.node(ps, ft, depth + 1)?;
            let default = match walk::default_of(self.root, ps) {
                None => Default::None,
                // The default is decoded (and its own defaults filled in) as input would be.
                Some(d) => match Seed(&node).deserialize(d) {
                    Ok(v) => Default::Value(v),
                    Err(_) => Default::Invalid,
                },
            };
            out.push(Prop {
                name: name.to_string(),
                key: Value::str(name.as_str()),
                node,
                required: required.contains(&name.as_str()),
                default,
            });
        }
        // A required name that is not a property must be present as an extra; keep it simple.
        if required
            .iter()
            .any(|r| !out.iter().any(|p| p.name.as_str() == *r))
        {
            return None;
        }
        Some(Node::Object(Box::new(Object {
            nullable: kinds & NULL != 0,
            props: out,
            extras_allowed,
        })))
    }

    fn array(&mut self, o: &'a walk::Obj, ty: &Type, kinds: u8, depth: usize) -> Option<Node> {
        let allowed =
            |k: &str| matches!(k, "type" | "items" | "minItems" | "maxItems") || is_annotation(k);
        if kinds & !(NULL | CONTAINER) != 0 || !o.keys().all(|k| allowed(k)) {
            return None;
        }
        let Type::Class(Class::List | Class::Set | Class::Array | Class::Collection, params) = ty
        else {
            return None;
        };
        let elem = params.first().cloned().unwrap_or(Type::Unknown);
        let items = match o.get("items") {
            None => {
                if !elem.is_unknown() {
                    return None;
                }
                Node::Any
            }
            Some(s @ (Json::Object(_) | Json::Bool(true))) => self.node(s, &elem, depth + 1)?,
            Some(_) => return None,
        };
        let count = |k: &str| -> Option<Option<u64>> {
            match o.get(k) {
                None => Some(None),
                Some(n) => n.as_u64().map(Some),
            }
        };
        Some(Node::Array(Box::new(Array {
            nullable: kinds & NULL != 0,
            items,
            min: count("minItems")?,
            max: count("maxItems")?,
        })))
    }

    fn scalar(&mut self, o: &'a walk::Obj, ty: &Type, kinds: u8) -> Option<Node> {
        let checked = |k: &str| {
            matches!(
                k,
                "enum"
                    | "const"
                    | "format"
                    | "minLength"
                    | "maxLength"
                    | "pattern"
                    | "minimum"
                    | "maximum"
                    | "exclusiveMinimum"
                    | "exclusiveMaximum"
                    | "multipleOf"
            )
        };
        if !o
            .keys()
            .all(|k| k == "type" || is_annotation(k) || checked(k))
        {
            return None;
        }
        let strings: Option<Vec<String>> = o.get("enum").and_then(|e| {
            e.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_string))
                .collect()
        });
        let needs_check = o
            .keys()
            .any(|k| checked(k) && !(k == "enum" && strings.is_some()));
        let check = if needs_check {
            let mut own = o.clone();
            own.remove("definitions");
            own.remove("$defs");
            if let Some(d) = &self.draft {
                own.insert("$schema".to_string(), d.clone());
            }
            Some(compile(&Json::Object(own)).ok()?)
        } else {
            None
        };
        let time = o.get("format").and_then(Json::as_str) == Some("time");
        Some(Node::Scalar(Box::new(Scalar {
            kinds,
            strings,
            check,
            plain_string: is_plain_string(ty),
            ty: ty.clone(),
            time,
        })))
    }
}

/// The `type` keyword as a set; `Some(0)` when absent, `None` for names that are not JSON
/// Schema types. Objects and arrays must come alone (or with `null`).
fn kinds_of(o: &walk::Obj) -> Option<u8> {
    let types = walk::types_of(o);
    if o.get("type").is_some() && types.is_empty() {
        return None;
    }
    let mut kinds = 0;
    let mut containers = 0;
    for t in &types {
        kinds |= match *t {
            "null" => NULL,
            "boolean" => BOOLEAN,
            "integer" => INTEGER,
            "number" => NUMBER,
            "string" => STRING,
            "object" | "array" => {
                containers += 1;
                0
            }
            _ => return None,
        };
    }
    match containers {
        0 => Some(kinds),
        1 if kinds & !NULL == 0 => Some(kinds | CONTAINER),
        _ => None,
    }
}

/// A type whose values, from a JSON string, are that string as a `Str`.
fn is_plain_string(t: &Type) -> bool {
    match t {
        Type::Class(Class::String, _) => true,
        Type::Const(c) => is_plain_string(&c.0),
        Type::Union(ms) => !ms.is_empty() && ms.iter().all(is_plain_string),
        _ => false,
    }
}

// ---- decoding ----

/// Any error stops the one-pass decoder; what it says does not matter (the old path runs).
fn stop<E: de::Error>() -> E {
    E::custom("leaves the one-pass decoder")
}

struct Seed<'n>(&'n Node);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0 {
            Node::Any => d.deserialize_any(Untyped),
            Node::Scalar(s) => d.deserialize_any(ScalarVisitor(s)),
            Node::Object(o) => d.deserialize_any(ObjectVisitor(o)),
            Node::Array(a) => d.deserialize_any(ArrayVisitor(a)),
        }
    }
}

struct ScalarVisitor<'n>(&'n Scalar);

impl ScalarVisitor<'_> {
    fn finish<E: de::Error>(&self, json: Json) -> Result<Value, E> {
        let s = self.0;
        if let Some(check) = &s.check {
            if !check.is_valid(&json) {
                return Err(stop());
            }
        }
        from_json_typed(&json, &s.ty).map_err(|_| stop())
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        if self.0.kinds & NULL == 0 {
            return Err(stop());
        }
        match &self.0.check {
            Some(check) if !check.is_valid(&Json::Null) => Err(stop()),
            _ => Ok(Value::Null),
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        if self.0.kinds & BOOLEAN == 0 {
            return Err(stop());
        }
        self.finish(Json::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        if self.0.kinds & (INTEGER | NUMBER) == 0 {
            return Err(stop());
        }
        self.finish(Json::from(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        if self.0.kinds & (INTEGER | NUMBER) == 0 {
            return Err(stop());
        }
        self.finish(Json::from(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        let integral = n.is_finite() && n.fract() == 0.0;
        let k = self.0.kinds;
        if k & NUMBER == 0 && !(k & INTEGER != 0 && integral) {
            return Err(stop());
        }
        let json = serde_json::Number::from_f64(n).ok_or_else(stop)?;
        self.finish(Json::Number(json))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        let s = self.0;
        if s.kinds & STRING == 0 {
            return Err(stop());
        }
        if let Some(allowed) = &s.strings {
            if !allowed.iter().any(|a| a == text) {
                return Err(stop());
            }
        }
        if s.plain_string && s.check.is_none() {
            return Ok(Value::str(text));
        }
        if let Some(check) = &s.check {
            if !check.is_valid(&Json::String(text.to_string())) {
                return Err(stop());
            }
        }
        let text = if s.time {
            strip_time_offset(text)
        } else {
            text
        };
        if s.plain_string {
            return Ok(Value::str(text));
        }
        from_json_typed(&Json::String(text.to_string()), &s.ty).map_err(|_| stop())
    }
}

struct ObjectVisitor<'n>(&'n Object);

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        if self.0.nullable {
            Ok(Value::Null)
        } else {
            Err(stop())
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let o = self.0;
        let mut slots: smallvec::SmallVec<[Option<Value>; 8]> = std::iter::repeat_with(|| None)
            .take(o.props.len())
            .collect();
        let mut extras: Option<ValueMap> = None;
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match o.props.iter().position(|p| p.name == key) {
                Some(i) => {
                    let v = map.next_value_seed(Seed(&o.props[i].node))?;
                    let slot = slots.get_mut(i).ok_or_else(stop)?;
                    // A duplicate key: the old path keeps the last value at the first place.
                    if slot.replace(v).is_some() {
                        return Err(stop());
                    }
                }
                None if o.extras_allowed => {
                    let v = map.next_value_seed(Seed(&Node::Any))?;
                    let extras = extras.get_or_insert_with(|| Value::map_with_capacity(4));
                    if extras.insert(Value::str(&*key), v).is_some() {
                        return Err(stop());
                    }
                }
                None => return Err(stop()),
            }
        }
        let extra_count = extras.as_ref().map_or(0, ValueMap::len);
        let mut out = Value::map_with_capacity(o.props.len() + extra_count);
        for (p, slot) in o.props.iter().zip(slots) {
            let v = match (slot, &p.default) {
                (Some(v), _) => v,
                (None, Default::Value(d)) => d.clone(),
                (None, Default::Invalid) => return Err(stop()),
                (None, Default::None) if p.required => return Err(stop()),
                (None, Default::None) => continue,
            };
            out.insert(p.key.clone(), v);
        }
        if let Some(extras) = extras {
            out.extend(extras);
        }
        Ok(Value::map(out))
    }
}

struct ArrayVisitor<'n>(&'n Array);

impl<'de> Visitor<'de> for ArrayVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        if self.0.nullable {
            Ok(Value::Null)
        } else {
            Err(stop())
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let a = self.0;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(Seed(&a.items))? {
            out.push(v);
            if a.max.is_some_and(|m| out.len() as u64 > m) {
                return Err(stop());
            }
        }
        if a.min.is_some_and(|m| (out.len() as u64) < m) {
            return Err(stop());
        }
        Ok(Value::list(out))
    }
}

/// Any JSON as `from_json_untyped` decodes it (integral → Integer or Long, beyond a Long a
/// BigInteger, fractional → Double).
struct Untyped;

impl<'de> DeserializeSeed<'de> for Untyped {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(Untyped)
    }
}

impl<'de> Visitor<'de> for Untyped {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(match i32::try_from(n) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Long(n),
        })
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        match i64::try_from(n) {
            Ok(i) => self.visit_i64(i),
            Err(_) => Ok(Value::big_int(n.into())),
        }
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Double(n))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::str(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(Untyped)? {
            out.push(v);
        }
        Ok(Value::list(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Value::map_with_capacity(map.size_hint().unwrap_or(0).min(1024));
        while let Some(Key(k)) = map.next_key::<Key>()? {
            let v = map.next_value_seed(Untyped)?;
            if m.insert(Value::str(&*k), v).is_some() {
                return Err(stop());
            }
        }
        Ok(Value::map(m))
    }
}
