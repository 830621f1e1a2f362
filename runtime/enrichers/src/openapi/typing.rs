//! OpenAPI schemas to Scenic types (`enrichers.md` §3.8): parameters are typed from their
//! schemas, the output from the response schema.

use std::collections::HashSet;

use scenic_spel::types::Fields;
use scenic_spel::{Class, Str, Type};
use serde_json::Value as Json;

use super::doc::Document;

/// Deepest schema nesting typed; deeper parts are Unknown (a guard, not a limit users meet).
const MAX_DEPTH: usize = 64;
/// Schema nodes typed for one parameter or answer: `$ref`s are typed where they are used, so a
/// chain of `anyOf: [$ref X, $ref X]` doubles at each link; past this it is an error.
const MAX_STEPS: usize = 100_000;

/// Types `schema`. `lists_of_objects`: whether an array of objects keeps its element type
/// (outputs) or becomes `List[Unknown]` (inputs, so optional fields of the elements are not
/// enforced, as the reference does since 1.17). Unsupported formats are errors.
pub fn type_of(doc: &Document, schema: &Json, lists_of_objects: bool) -> Result<Type, String> {
    Typer {
        doc,
        lists_of_objects,
        active: HashSet::new(),
        steps: 0,
    }
    .ty(schema, 0)
}

struct Typer<'a> {
    doc: &'a Document,
    lists_of_objects: bool,
    /// The `$ref`s being typed: a reference back to one of them (recursion) is Unknown.
    active: HashSet<String>,
    steps: usize,
}

impl Typer<'_> {
    fn ty(&mut self, schema: &Json, depth: usize) -> Result<Type, String> {
        if depth > MAX_DEPTH {
            return Ok(Type::Unknown);
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(format!(
                "the schema is too complex to type (over {MAX_STEPS} schema nodes)"
            ));
        }
        if let Some(r) = schema.get("$ref").and_then(Json::as_str) {
            if !self.active.insert(r.to_string()) {
                return Ok(Type::Unknown);
            }
            let target = self.doc.pointer(r).cloned();
            let t = match target {
                Some(t) => self.ty(&t, depth + 1),
                None => Err(format!("the reference {r} names nothing in the document")),
            };
            self.active.remove(r);
            return t;
        }
        let Some(o) = schema.as_object() else {
            return Ok(Type::Unknown);
        };
        if let Some(values) = o.get("enum").and_then(Json::as_array) {
            let types: Vec<Type> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Json::String(_) => Type::class(Class::String),
                    Json::Bool(_) => Type::class(Class::Boolean),
                    Json::Number(n) if n.is_i64() => Type::class(Class::Long),
                    Json::Number(_) => Type::class(Class::Double),
                    _ => Type::Unknown,
                })
                .collect();
            return Ok(union(types));
        }
        for combinator in ["anyOf", "oneOf"] {
            if let Some(alternatives) = o.get(combinator).and_then(Json::as_array) {
                let mut types = Vec::new();
                for a in alternatives {
                    types.push(self.ty(a, depth + 1)?);
                }
                return Ok(union(types));
            }
        }
        if let Some(all) = o.get("allOf").and_then(Json::as_array) {
            // allOf of objects: their properties together.
            let mut fields = Fields::default();
            for part in all {
                match self.ty(part, depth + 1)? {
                    Type::Record(f) => fields.extend(f.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    other if all.len() == 1 => return Ok(other),
                    _ => return Ok(Type::Unknown),
                }
            }
            return Ok(Type::record(fields));
        }
        let type_name = match o.get("type") {
            Some(Json::String(t)) => Some(t.as_str()),
            // OpenAPI 3.1: `type: [string, "null"]`; null is not part of Scenic's types.
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).find(|t| *t != "null"),
            _ => None,
        };
        let format = o.get("format").and_then(Json::as_str);
        let type_name = match type_name {
            Some(t) => t,
            None if o.contains_key("properties") => "object",
            None if o.contains_key("items") => "array",
            None => return Ok(Type::Unknown),
        };
        Ok(match type_name {
            "boolean" => Type::class(Class::Boolean),
            "string" => Type::class(match format {
                Some("date-time") => Class::ZonedDateTime,
                Some("date") => Class::LocalDate,
                Some("time") => Class::LocalTime,
                _ => Class::String,
            }),
            "integer" => Type::class(match format {
                Some("int32") => Class::Integer,
                Some("int64") => Class::Long,
                _ => integer_class(o),
            }),
            "number" => match format {
                None => Type::class(Class::BigDecimal),
                Some("double") | Some("float") => Type::class(Class::Double),
                Some(f) => return Err(format!("Type 'number' in format '{f}' is not supported")),
            },
            "null" => Type::Null,
            "array" => {
                let item = match o.get("items") {
                    Some(items) => self.ty(items, depth + 1)?,
                    None => Type::Unknown,
                };
                if !self.lists_of_objects && matches!(item, Type::Record(_)) {
                    Type::list(Type::Unknown)
                } else {
                    Type::list(item)
                }
            }
            "object" => match o.get("properties").and_then(Json::as_object) {
                Some(props) => {
                    let mut fields = Fields::default();
                    for (name, s) in props {
                        fields.insert(Str::from(name.as_str()), self.ty(s, depth + 1)?);
                    }
                    Type::record(fields)
                }
                None => match o.get("additionalProperties") {
                    Some(Json::Bool(false)) if !o.contains_key("patternProperties") => {
                        Type::record(Fields::default())
                    }
                    Some(s @ Json::Object(_)) => {
                        Type::map(Type::class(Class::String), self.ty(s, depth + 1)?)
                    }
                    _ => Type::map(Type::class(Class::String), Type::Unknown),
                },
            },
            other => return Err(format!("Type '{other}' is not supported")),
        })
    }
}

/// `integer` without a format: by its bounds, as the reference infers it.
fn integer_class(o: &serde_json::Map<String, Json>) -> Class {
    let bound = |k: &str| o.get(k).and_then(Json::as_f64);
    let low = bound("minimum").or(bound("exclusiveMinimum"));
    let high = bound("maximum").or(bound("exclusiveMaximum"));
    let int = |v: f64| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&v);
    let long = |v: f64| (i64::MIN as f64..=i64::MAX as f64).contains(&v);
    match (low, high) {
        (Some(l), Some(h)) if int(l) && int(h) => Class::Integer,
        (Some(l), Some(h)) if long(l) && long(h) => Class::Long,
        (Some(l), Some(h)) if !long(l) || !long(h) => Class::BigInteger,
        (Some(b), None) | (None, Some(b)) if !long(b) => Class::BigInteger,
        _ => Class::Long,
    }
}

fn union(types: Vec<Type>) -> Type {
    if types.is_empty() || types.iter().any(|t| matches!(t, Type::Unknown)) {
        return Type::Unknown;
    }
    Type::union(types)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(schema: Json) -> String {
        let doc = Document {
            root: json!({"components": {"schemas": {
                "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}}),
            url: reqwest::Url::parse("file:///d.json").expect("url"),
        };
        match type_of(&doc, &schema, true) {
            Ok(t) => t.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn a_schema_that_doubles_at_each_reference_is_an_error_not_a_hang() {
        let mut schemas = serde_json::Map::new();
        for i in 0..40 {
            let next = format!("#/components/schemas/S{}", i + 1);
            schemas.insert(
                format!("S{i}"),
                json!({"anyOf": [{"$ref": next}, {"$ref": next}]}),
            );
        }
        schemas.insert("S40".into(), json!({"type": "string"}));
        let doc = Document {
            root: json!({"components": {"schemas": schemas}}),
            url: reqwest::Url::parse("file:///d.json").expect("url"),
        };
        let started = std::time::Instant::now();
        let r = type_of(&doc, &json!({"$ref": "#/components/schemas/S0"}), true);
        assert!(r.expect_err("too complex").contains("too complex"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn schemas_type_as_the_reference_types_them() {
        assert_eq!(
            t(json!({"type": "string", "format": "date-time"})),
            "ZonedDateTime"
        );
        assert_eq!(t(json!({"type": "integer", "format": "int32"})), "Integer");
        assert_eq!(t(json!({"type": "integer"})), "Long");
        assert_eq!(
            t(json!({"type": "integer", "minimum": 0, "maximum": 10})),
            "Integer"
        );
        assert_eq!(t(json!({"type": "number"})), "BigDecimal");
        assert_eq!(t(json!({"type": "number", "format": "double"})), "Double");
        assert_eq!(
            t(json!({"type": "number", "format": "decimal"})),
            "error: Type 'number' in format 'decimal' is not supported"
        );
        assert_eq!(
            t(
                json!({"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}, "tags": {"type": "array", "items": {"type": "string"}}}})
            ),
            "Record{id: Long, tags: List[String]}"
        );
        assert_eq!(t(json!({"type": "object"})), "Map[String,Unknown]");
        assert_eq!(
            t(json!({"type": "object", "additionalProperties": false})),
            "Record{}"
        );
        assert_eq!(t(json!({})), "Unknown");
        assert_eq!(t(json!({"type": ["string", "null"]})), "String");
        assert_eq!(
            t(json!({"$ref": "#/components/schemas/Node"})),
            "Record{next: Unknown}",
            "a recursive schema ends in Unknown"
        );
    }
}
