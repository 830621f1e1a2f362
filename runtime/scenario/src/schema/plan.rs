//! Result value → response bytes in one pass: a plan compiled once from the output schema
//! writes the JSON text straight from the SpEL value, instead of building a
//! `serde_json::Value`, validating it against the schema, sorting its keys and serializing it.
//!
//! As with the input [`Decoder`](super::Decoder), the plan only ever answers for the happy
//! path: it compiles only schemas whose every keyword it checks itself (types, nullability,
//! declared properties, `required`, `additionalProperties: false`, string `enum`s, numeric
//! bounds, `items`), so a value it writes is one the validator would accept. The first time a
//! value leaves that path (a missing required field, an undeclared field it would have to keep,
//! a NaN, a BigDecimal, a date) it stops, and [`JsonSchema::encode_output`] encodes the value
//! again, validates it and reports. The bytes are exactly `serde_json::to_vec` of what
//! `encode_output` returns (keys sorted at every level), whichever path ran; equivalence tests
//! check that.

use std::fmt;
use std::sync::Arc;

use scenic_spel::value::to_json;
use scenic_spel::Value;
use serde_json::Value as Json;

use super::compiled::JsonSchema;
use super::encode::generic;
use super::error::Violation;

/// Declared properties an object of a compiled plan may have (beyond, the old path runs; the
/// plan keeps one slot per property on the stack).
const MAX_PROPERTIES: usize = 64;

/// The output schema compiled for one-pass encoding (see the module comment).
pub struct EncodePlan {
    schema: Arc<JsonSchema>,
    /// `None` when the schema uses a keyword the plan does not check.
    plan: Option<Node>,
}

impl fmt::Debug for EncodePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodePlan")
            .field("one_pass", &self.plan.is_some())
            .finish_non_exhaustive()
    }
}

impl EncodePlan {
    /// Compiles the plan of an output schema (at deploy time).
    pub fn compile(schema: &Arc<JsonSchema>) -> EncodePlan {
        EncodePlan {
            schema: schema.clone(),
            plan: compile_root(schema.raw()),
        }
    }

    /// Does this schema encode in one pass (else every value takes the old path)?
    pub fn is_one_pass(&self) -> bool {
        self.plan.is_some()
    }

    /// Appends the response JSON of `v` to `out`: exactly `serde_json::to_vec` of
    /// [`JsonSchema::encode_output`]'s answer, or its violations (`out` is then unchanged).
    pub fn encode(&self, v: &Value, out: &mut Vec<u8>) -> Result<(), Vec<Violation>> {
        let start = out.len();
        if let Some(plan) = &self.plan {
            if write(plan, v, out).is_some() {
                return Ok(());
            }
            out.truncate(start);
        }
        let json = self.schema.encode_output(v)?;
        write_json(&json, out);
        Ok(())
    }

    /// Did the plan answer by itself (for tests: the old path was not needed)?
    #[cfg(test)]
    pub(crate) fn answered_in_one_pass(&self, v: &Value) -> bool {
        self.plan
            .as_ref()
            .is_some_and(|p| write(p, v, &mut Vec::new()).is_some())
    }
}

/// serde_json's own text of a JSON value (writing to a `Vec` cannot fail; a failure would be a
/// bug in serde_json, and writes nothing more).
fn write_json(json: &Json, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(&mut *out, json);
}

/// A string in JSON, escaped as serde_json escapes it.
fn write_str(s: &str, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(&mut *out, s);
}

// ---- the compiled schema ----

enum Node {
    /// `true`, `{}`: the value's generic JSON (keys sorted).
    Any,
    Typed {
        kind: Kind,
        /// `null` is among the schema's types.
        nullable: bool,
    },
}

enum Kind {
    String { allowed: Option<Vec<String>> },
    Integer(Bounds),
    Number(Bounds),
    Boolean,
    Null,
    Array(Box<Node>),
    Object(Box<Object>),
}

struct Object {
    /// Declared properties in key order (the order the response writes them in).
    properties: Vec<Property>,
    /// `additionalProperties: false`: undeclared fields are dropped. Otherwise an undeclared
    /// field would be kept, which the old path does.
    closed: bool,
}

struct Property {
    name: String,
    /// `"name":`, escaped once.
    key: Vec<u8>,
    required: bool,
    node: Node,
}

/// Numeric bounds, each `(bound, exclusive)`.
#[derive(Default)]
struct Bounds {
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
}

/// Integers that convert to a double exactly (so bounds compare exactly).
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Bounds {
    fn admits(&self, x: f64) -> bool {
        let above = |(b, excl): (f64, bool)| if excl { x > b } else { x >= b };
        let below = |(b, excl): (f64, bool)| if excl { x < b } else { x <= b };
        self.min.is_none_or(above) && self.max.is_none_or(below)
    }
    fn is_empty(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

/// Keywords that constrain nothing the plan writes.
fn is_annotation(k: &str) -> bool {
    matches!(
        k,
        "title"
            | "description"
            | "default"
            | "examples"
            | "$comment"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
    )
}

fn compile_root(raw: &Json) -> Option<Node> {
    let Json::Object(o) = raw else {
        // `true` accepts anything; `false` nothing (the old path reports).
        return (raw == &Json::Bool(true)).then_some(Node::Any);
    };
    // Draft 4 reads `exclusiveMinimum`/`exclusiveMaximum` as booleans beside the bound.
    let draft4 = o
        .get("$schema")
        .and_then(Json::as_str)
        .is_some_and(|d| d.contains("draft-04"));
    if draft4
        && super::walk::any_object(raw, |o| {
            o.contains_key("exclusiveMinimum") || o.contains_key("exclusiveMaximum")
        })
    {
        return None;
    }
    let mut sub = o.clone();
    // The root may name its draft and hold definitions (unused: the plan has no `$ref`).
    sub.remove("$schema");
    sub.remove("definitions");
    sub.remove("$defs");
    compile_node(&Json::Object(sub), 0)
}

/// Nesting the plan compiles (schemas are finite without `$ref`; this bounds absurd ones).
const MAX_DEPTH: usize = 64;

fn compile_node(s: &Json, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return None;
    }
    let o = match s {
        Json::Object(o) => o,
        Json::Bool(true) => return Some(Node::Any),
        _ => return None,
    };
    let known = |k: &str| {
        is_annotation(k)
            || matches!(
                k,
                "type"
                    | "enum"
                    | "minimum"
                    | "maximum"
                    | "exclusiveMinimum"
                    | "exclusiveMaximum"
                    | "items"
                    | "properties"
                    | "required"
                    | "additionalProperties"
            )
    };
    if !o.keys().all(|k| known(k)) {
        return None;
    }
    let types: Vec<&str> = match o.get("type") {
        // No type: `{}` (annotations only) accepts anything; anything else the old path runs.
        None => return o.keys().all(|k| is_annotation(k)).then_some(Node::Any),
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().map(Json::as_str).collect::<Option<_>>()?,
        Some(_) => return None,
    };
    let nullable = types.contains(&"null");
    let named: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    let kind = match named.as_slice() {
        [] if nullable => Kind::Null,
        [t] => compile_kind(t, o, depth)?,
        // Several types: the old path tries each in turn.
        _ => return None,
    };
    // Keywords of another kind than the one compiled are not checked by it.
    let allowed: &[&str] = match kind {
        Kind::String { .. } => &["enum"],
        Kind::Integer(_) | Kind::Number(_) => {
            &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]
        }
        Kind::Array(_) => &["items"],
        Kind::Object(_) => &["properties", "required", "additionalProperties"],
        Kind::Boolean | Kind::Null => &[],
    };
    let extra = o
        .keys()
        .any(|k| k != "type" && !is_annotation(k) && !allowed.contains(&k.as_str()));
    if extra {
        return None;
    }
    Some(Node::Typed { kind, nullable })
}

fn compile_kind(t: &str, o: &serde_json::Map<String, Json>, depth: usize) -> Option<Kind> {
    Some(match t {
        "string" => Kind::String {
            allowed: match o.get("enum") {
                None => None,
                // Only strings: a `null` member (or a number) changes what the old path does.
                Some(Json::Array(e)) => Some(
                    e.iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Option<_>>()?,
                ),
                Some(_) => return None,
            },
        },
        "integer" => Kind::Integer(bounds(o)?),
        "number" => Kind::Number(bounds(o)?),
        "boolean" => Kind::Boolean,
        "array" => Kind::Array(Box::new(match o.get("items") {
            None => Node::Any,
            // A tuple (`items: [...]`) is the old path's.
            Some(items @ (Json::Object(_) | Json::Bool(true))) => compile_node(items, depth + 1)?,
            Some(_) => return None,
        })),
        "object" => Kind::Object(Box::new(compile_object(o, depth)?)),
        _ => return None,
    })
}

fn bounds(o: &serde_json::Map<String, Json>) -> Option<Bounds> {
    // A bound compares exactly when it is a double, or an integer a double holds exactly.
    let bound = |k: &str| -> Option<Option<f64>> {
        match o.get(k) {
            None => Some(None),
            Some(Json::Number(n)) => {
                let exact = n.is_f64() || n.as_i64().is_some_and(|i| (i as f64).abs() <= EXACT);
                if exact {
                    n.as_f64().map(Some)
                } else {
                    None
                }
            }
            // Draft 4's boolean `exclusiveMinimum`: the old path's.
            Some(_) => None,
        }
    };
    let mut b = Bounds::default();
    if let Some(x) = bound("minimum")? {
        b.min = Some((x, false));
    }
    if let Some(x) = bound("exclusiveMinimum")? {
        if b.min.is_some() {
            return None;
        }
        b.min = Some((x, true));
    }
    if let Some(x) = bound("maximum")? {
        b.max = Some((x, false));
    }
    if let Some(x) = bound("exclusiveMaximum")? {
        if b.max.is_some() {
            return None;
        }
        b.max = Some((x, true));
    }
    Some(b)
}

fn compile_object(o: &serde_json::Map<String, Json>, depth: usize) -> Option<Object> {
    let closed = match o.get("additionalProperties") {
        None | Some(Json::Bool(true)) => false,
        Some(Json::Bool(false)) => true,
        Some(_) => return None,
    };
    let required: Vec<&str> = match o.get("required") {
        None => Vec::new(),
        Some(Json::Array(r)) => r.iter().map(Json::as_str).collect::<Option<_>>()?,
        Some(_) => return None,
    };
    let declared = match o.get("properties") {
        None => &serde_json::Map::new(),
        Some(Json::Object(p)) => p,
        Some(_) => return None,
    };
    if declared.len() > MAX_PROPERTIES || required.iter().any(|r| !declared.contains_key(*r)) {
        return None;
    }
    let mut properties = Vec::with_capacity(declared.len());
    for (name, s) in declared {
        let mut key = serde_json::to_vec(name).ok()?;
        key.push(b':');
        properties.push(Property {
            name: name.clone(),
            key,
            required: required.contains(&name.as_str()),
            node: compile_node(s, depth + 1)?,
        });
    }
    // The old path sorts every object's keys (`Map::sort_keys`: by the key's text).
    properties.sort_by(|a, b| a.name.cmp(&b.name));
    Some(Object { properties, closed })
}

// ---- writing ----

/// Writes `v` by `node`; `None` when the old path must answer (what was written is then
/// thrown away by the caller).
fn write(node: &Node, v: &Value, out: &mut Vec<u8>) -> Option<()> {
    let (kind, nullable) = match node {
        Node::Any => {
            write_json(&generic(v), out);
            return Some(());
        }
        Node::Typed { kind, nullable } => (kind, *nullable),
    };
    if v.is_null() {
        // A null where the schema has no `null` type is the old path's error.
        return nullable.then(|| out.extend_from_slice(b"null"));
    }
    match (kind, v) {
        (Kind::String { allowed }, Value::Str(s)) => {
            if allowed
                .as_ref()
                .is_some_and(|a| !a.iter().any(|e| e == s.as_str()))
            {
                return None;
            }
            write_str(s, out);
        }
        // An integer value is written as itself under `integer` and `number` alike.
        (
            Kind::Integer(b) | Kind::Number(b),
            Value::Byte(_) | Value::Short(_) | Value::Int(_) | Value::Long(_),
        ) => {
            let x = integer(v)?;
            if !b.is_empty() && (x.unsigned_abs() as f64 > EXACT || !b.admits(x as f64)) {
                return None;
            }
            let _ = serde_json::to_writer(&mut *out, &x);
        }
        (Kind::Number(b), Value::Double(_) | Value::Float(_)) => {
            let json = to_json(v);
            let x = json.as_f64()?;
            // A NaN or an infinity (`to_json` gives null) is the old path's.
            if !json.is_number() || !b.admits(x) {
                return None;
            }
            write_json(&json, out);
        }
        (Kind::Boolean, Value::Bool(b)) => {
            out.extend_from_slice(if *b { b"true" } else { b"false" });
        }
        (Kind::Array(items), Value::List(l)) => {
            out.push(b'[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(items, item, out)?;
            }
            out.push(b']');
        }
        (Kind::Object(o), Value::Map(m)) => write_object(o, m, out)?,
        // Other values (a char, a date, a BigDecimal, a value of another type) are the old
        // path's: it converts some and reports the others.
        _ => return None,
    }
    Some(())
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Byte(x) => Some(i64::from(*x)),
        Value::Short(x) => Some(i64::from(*x)),
        Value::Int(x) => Some(i64::from(*x)),
        Value::Long(x) => Some(*x),
        _ => None,
    }
}

fn write_object(o: &Object, m: &scenic_spel::ValueMap, out: &mut Vec<u8>) -> Option<()> {
    let mut found: [Option<&Value>; MAX_PROPERTIES] = [None; MAX_PROPERTIES];
    for (k, v) in m.iter() {
        // A key that is not a string is spelled by the old path.
        let Value::Str(k) = k else { return None };
        match o
            .properties
            .binary_search_by(|p| p.name.as_str().cmp(k.as_str()))
        {
            Ok(i) => found[i] = Some(v),
            // Dropped when the schema forbids undeclared fields; kept (by the old path) else.
            Err(_) if o.closed => {}
            Err(_) => return None,
        }
    }
    out.push(b'{');
    let mut first = true;
    for (p, v) in o.properties.iter().zip(found.iter()) {
        let v = match v {
            // Optional and absent: left out. Required and absent: a default, a null or an
            // error, all the old path's.
            None if p.required => return None,
            None => continue,
            // Null and nullable: written. Null and not nullable (`{}` included): left out when
            // optional; a default, a null or an error (the old path's) when required.
            Some(Value::Null) => match &p.node {
                Node::Typed { nullable: true, .. } => &Value::Null,
                _ if !p.required => continue,
                _ => return None,
            },
            Some(v) => *v,
        };
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&p.key);
        write(&p.node, v, out)?;
    }
    out.push(b'}');
    Some(())
}
