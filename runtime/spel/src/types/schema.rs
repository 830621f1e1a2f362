//! Static types from JSON Schema (`spel.md` §16, the reference's `SwaggerTyped`): how `#input`
//! is typed from a scenario's `inputSchema`.

use serde_json::Value as Json;

use super::{Class, Type};
use crate::value::{from_json_untyped, Str};

/// Types a JSON Schema document. `$ref`s into the same document are followed; a recursive
/// reference is `Unknown`.
pub fn type_of_schema(schema: &Json) -> Type {
    let mut seen = Vec::new();
    typed(schema, schema, &mut seen)
}

fn resolve<'a>(root: &'a Json, reference: &str) -> Option<&'a Json> {
    super::json_ref::resolve_ref(root, reference).map(|(target, _)| target)
}

fn typed(s: &Json, root: &Json, seen: &mut Vec<String>) -> Type {
    let Some(obj) = s.as_object() else {
        // `true` (or anything else) admits any value.
        return Type::Unknown;
    };
    if let Some(r) = obj.get("$ref").and_then(Json::as_str) {
        if seen.iter().any(|x| x == r) {
            return Type::Unknown;
        }
        return match resolve(root, r) {
            Some(target) => {
                seen.push(r.to_string());
                let t = typed(target, root, seen);
                seen.pop();
                t
            }
            None => Type::Unknown,
        };
    }
    if let Some(values) = obj.get("enum").and_then(Json::as_array) {
        return Type::union(values.iter().map(|v| Type::of_value(&from_json_untyped(v))));
    }
    if let Some(v) = obj.get("const") {
        return Type::of_value(&from_json_untyped(v));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = obj.get(key).and_then(Json::as_array) {
            return union_or_unknown(members.iter().map(|m| typed(m, root, seen)));
        }
    }
    if let Some(all) = obj.get("allOf").and_then(Json::as_array) {
        // Records of every member merged; anything else types as the first member.
        let types: Vec<Type> = all.iter().map(|m| typed(m, root, seen)).collect();
        if types.iter().all(|t| matches!(t, Type::Record(_))) && !types.is_empty() {
            let mut fields = Type::empty_fields();
            for t in types {
                if let Type::Record(f) = t {
                    for (k, v) in f.iter() {
                        fields.insert(k.clone(), v.clone());
                    }
                }
            }
            return Type::record(fields);
        }
        return types.into_iter().next().unwrap_or(Type::Unknown);
    }
    match obj.get("type") {
        Some(Json::String(t)) => typed_as(t, obj, root, seen),
        Some(Json::Array(ts)) => union_or_unknown(
            ts.iter()
                .filter_map(Json::as_str)
                .map(|t| typed_as(t, obj, root, seen)),
        ),
        _ => {
            // No type: properties still describe an object.
            if obj.contains_key("properties") {
                typed_as("object", obj, root, seen)
            } else {
                Type::Unknown
            }
        }
    }
}

fn union_or_unknown(types: impl Iterator<Item = Type>) -> Type {
    let all: Vec<Type> = types.collect();
    if all.iter().any(Type::is_unknown) {
        return Type::Unknown;
    }
    Type::union(all)
}

fn bound(obj: &serde_json::Map<String, Json>, keys: [&str; 2]) -> Option<f64> {
    keys.iter().find_map(|k| obj.get(*k).and_then(Json::as_f64))
}

fn typed_as(
    t: &str,
    obj: &serde_json::Map<String, Json>,
    root: &Json,
    seen: &mut Vec<String>,
) -> Type {
    let format = obj.get("format").and_then(Json::as_str);
    match t {
        "object" => {
            if let Some(props) = obj.get("properties").and_then(Json::as_object) {
                let mut fields = Type::empty_fields();
                for (k, v) in props {
                    fields.insert(Str::from(k.as_str()), typed(v, root, seen));
                }
                return Type::record(fields);
            }
            match obj.get("additionalProperties") {
                Some(Json::Bool(false)) => Type::record(Type::empty_fields()),
                Some(s @ Json::Object(_)) => Type::map(Type::string(), typed(s, root, seen)),
                _ => Type::map(Type::string(), Type::Unknown),
            }
        }
        "array" => {
            let elem = match obj.get("items") {
                Some(items @ Json::Object(_)) => typed(items, root, seen),
                _ => Type::Unknown,
            };
            Type::list(elem)
        }
        "string" => match format {
            Some("date-time") => Type::class(Class::ZonedDateTime),
            Some("date") => Type::class(Class::LocalDate),
            Some("time") => Type::class(Class::LocalTime),
            _ => Type::string(),
        },
        "integer" => match format {
            Some("int32") => Type::integer(),
            Some("int64") => Type::long(),
            _ => {
                let min = bound(obj, ["minimum", "exclusiveMinimum"]);
                let max = bound(obj, ["maximum", "exclusiveMaximum"]);
                let fits =
                    |lo: f64, hi: f64| min.is_some_and(|m| m >= lo) && max.is_some_and(|m| m <= hi);
                if fits(i32::MIN as f64, i32::MAX as f64) {
                    Type::integer()
                } else if min.is_some_and(|m| m < i64::MIN as f64)
                    || max.is_some_and(|m| m > i64::MAX as f64)
                {
                    Type::class(Class::BigInteger)
                } else {
                    Type::long()
                }
            }
        },
        "number" => match format {
            Some("double") | Some("float") => Type::double(),
            _ => Type::class(Class::BigDecimal),
        },
        "boolean" => Type::boolean(),
        "null" => Type::Null,
        _ => Type::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(s: Json) -> String {
        type_of_schema(&s).to_string()
    }

    #[test]
    fn objects_become_records_and_maps() {
        assert_eq!(
            t(
                json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}})
            ),
            "Record{a: String, b: Long}"
        );
        assert_eq!(t(json!({"type": "object"})), "Map[String,Unknown]");
        assert_eq!(
            t(
                json!({"type": "object", "additionalProperties": {"type": "number", "format": "double"}})
            ),
            "Map[String,Double]"
        );
        assert_eq!(
            t(json!({"type": "object", "additionalProperties": false})),
            "Record{}"
        );
    }

    #[test]
    fn scalars_follow_formats_and_bounds() {
        assert_eq!(t(json!({"type": "number"})), "BigDecimal");
        assert_eq!(t(json!({"type": "number", "format": "double"})), "Double");
        assert_eq!(
            t(json!({"type": "integer", "minimum": 0, "maximum": 100})),
            "Integer"
        );
        assert_eq!(t(json!({"type": "integer", "format": "int32"})), "Integer");
        assert_eq!(
            t(json!({"type": "string", "format": "date-time"})),
            "ZonedDateTime"
        );
        assert_eq!(t(json!({"type": "string", "format": "date"})), "LocalDate");
        assert_eq!(
            t(json!({"type": "array", "items": {"type": "boolean"}})),
            "List[Boolean]"
        );
        assert_eq!(t(json!({})), "Unknown");
    }

    #[test]
    fn enums_unions_and_refs() {
        assert_eq!(
            t(json!({"type": "string", "enum": ["one", "two"]})),
            "String(one) | String(two)"
        );
        assert_eq!(t(json!({"type": ["string", "null"]})), "String");
        assert_eq!(
            t(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})),
            "String | Long"
        );
        let s = json!({"definitions": {"p": {"type": "object", "properties": {"n": {"type": "string"}}}},
                       "type": "object", "properties": {"p": {"$ref": "#/definitions/p"}}});
        assert_eq!(t(s), "Record{p: Record{n: String}}");
        let rec = json!({"definitions": {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}},
                         "$ref": "#/definitions/node"});
        assert_eq!(t(rec), "Record{next: Unknown}");
    }
}
