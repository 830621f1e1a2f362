//! Embedding draft-7 JSON Schemas into an OpenAPI 3.1 document (JSON Schema 2020-12).
//!
//! A scenario's schema is a standalone document: its `$ref`s point into itself (`#/definitions/X`,
//! `#`, `#anchor`). Inside an OpenAPI document they would be resolved against the OpenAPI
//! document instead, so the root `definitions`/`$defs` move to `components/schemas` under unique
//! names and every reference is rewritten. When a reference points anywhere else inside the
//! schema (the root itself, a property, ...), the whole schema becomes a component too and the
//! body refers to it. Draft-7-only keywords are translated to their 2020-12 forms on the way.

use std::collections::HashMap;

use scenic_spel::types::json_ref::{escape_segment, parse_local_ref, LocalRef};
use serde_json::{Map, Value};

use crate::ident;

/// Keywords whose value is one subschema.
const SINGLE: &[&str] = &[
    "additionalProperties",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value is an array of subschemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to subschemas.
const MAP: &[&str] = &["properties", "patternProperties", "dependentSchemas"];

/// Keywords that only hold named subschemas: left out of hoisted component names.
const CONTAINERS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependencies",
    "dependentSchemas",
];

/// Keywords whose value is plain data, copied verbatim.
const DATA: &[&str] = &[
    "type",
    "enum",
    "const",
    "default",
    "examples",
    "example",
    "required",
    "format",
    "pattern",
    "title",
    "description",
    "$comment",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minContains",
    "maxContains",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "contentMediaType",
    "contentEncoding",
    "readOnly",
    "writeOnly",
    "deprecated",
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
];

/// Keywords kept next to a `$ref` (draft 7 ignores every other sibling of `$ref`).
const REF_SIBLINGS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "$comment",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Where component schemas live in an OpenAPI document.
pub(crate) const COMPONENTS_PREFIX: &str = "#/components/schemas/";

/// The `components/schemas` being collected for one document; names are unique.
#[derive(Default)]
pub(crate) struct Components {
    /// `None` marks a name that is reserved but not (yet) filled.
    schemas: Vec<(String, Option<Value>)>,
    index: HashMap<String, usize>,
}

impl Components {
    /// Reserves names that are provided elsewhere (they are never returned by `into_schemas`).
    pub(crate) fn reserve_external(&mut self, name: &str) {
        self.try_reserve(name);
    }

    fn try_reserve(&mut self, name: &str) -> bool {
        if self.index.contains_key(name) {
            return false;
        }
        self.index.insert(name.to_owned(), self.schemas.len());
        self.schemas.push((name.to_owned(), None));
        true
    }

    /// Reserves the first free name among `candidates`, else the last one with a number appended.
    fn reserve(&mut self, candidates: &[String]) -> String {
        for candidate in candidates {
            if self.try_reserve(candidate) {
                return candidate.clone();
            }
        }
        let base = candidates.last().map_or("Schema", String::as_str);
        let mut n = 2u64;
        loop {
            let name = format!("{base}{n}");
            if self.try_reserve(&name) {
                return name;
            }
            n += 1;
        }
    }

    fn set(&mut self, name: &str, schema: Value) {
        if let Some(slot) = self.index.get(name).and_then(|&i| self.schemas.get_mut(i)) {
            slot.1 = Some(schema);
        }
    }

    /// The collected schemas, in the order their names were reserved.
    pub(crate) fn into_schemas(self) -> impl Iterator<Item = (String, Value)> {
        self.schemas
            .into_iter()
            .filter_map(|(name, schema)| schema.map(|s| (name, s)))
    }
}

/// Converts `schema` for embedding: returns the schema to put in the request or response body,
/// and adds its definitions (and, when needed, the schema itself) to `components` under names
/// starting with `prefix` (`kind` — `Input` or `Output` — disambiguates clashes).
///
/// With `request` (the schema the server decodes request bodies with), every integer without a
/// `format` and without a bound beyond the 64-bit range gets `format: int64`: the server types
/// such an integer as a `Long`, as the reference does, and answers 400 for a value beyond it.
pub(crate) fn embed(
    schema: &Value,
    prefix: &str,
    kind: &str,
    request: bool,
    components: &mut Components,
) -> Value {
    let Value::Object(root) = schema else {
        return object_form(schema.clone());
    };
    let mut defs = HashMap::new();
    let mut order = Vec::new();
    for keyword in ["definitions", "$defs"] {
        if let Some(Value::Object(map)) = root.get(keyword) {
            for (name, def) in map {
                let fragment = ident::component_fragment(name);
                let component = components.reserve(&[
                    format!("{prefix}{fragment}"),
                    format!("{prefix}{kind}{fragment}"),
                ]);
                defs.insert((keyword, name.as_str()), component.clone());
                order.push((keyword, name.as_str(), component, def));
            }
        }
    }
    let mut anchors = HashMap::new();
    collect_anchors(schema, &mut Vec::new(), &mut anchors);
    let mut cx = Converter {
        root: schema,
        anchors,
        defs,
        root_component: None,
        prefix,
        kind,
        request,
        components,
        collecting: true,
        targets: Vec::new(),
        hoisted: HashMap::new(),
        path: Vec::new(),
    };

    // Pass 1 collects where the references point; every referenced subschema becomes a
    // component of its own (generators understand `#/components/schemas/X` references only).
    cx.convert_all(&order);
    cx.collecting = false;
    cx.hoist_targets();

    // Pass 2 converts for real.
    let body = cx.convert_all(&order);
    match cx.root_component {
        Some(name) => {
            cx.components.set(&name, body);
            reference_to(&name)
        }
        None => body,
    }
}

/// Whether the server decodes values of this schema as `Long` (64 bits) although the schema
/// does not say so: type `integer` without a `format` and without a bound beyond the 64-bit
/// range (the typing of `#input`, `spel.md` §16; bounds beyond it make a `BigInteger`).
fn is_long(obj: &Map<String, Value>) -> bool {
    let integer = match obj.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    };
    let bound = |keys: [&str; 2]| {
        keys.iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_f64))
    };
    // Compared as the typer compares (`i64::MIN as f64`, `i64::MAX as f64`: both ±2^63).
    let below = bound(["minimum", "exclusiveMinimum"]).is_some_and(|m| m < i64::MIN as f64);
    let above = bound(["maximum", "exclusiveMaximum"]).is_some_and(|m| m > i64::MAX as f64);
    integer && !obj.contains_key("format") && !below && !above
}

fn reference_to(component: &str) -> Value {
    let mut reference = Map::new();
    reference.insert(
        "$ref".to_owned(),
        Value::String(format!("{COMPONENTS_PREFIX}{component}")),
    );
    Value::Object(reference)
}

/// A schema in object form: `true` -> `{}`, `false` -> `{"not": {}}`; non-schemas become `{}`.
/// Boolean schemas are valid in OpenAPI 3.1, but some client generators reject them.
fn object_form(schema: Value) -> Value {
    match schema {
        Value::Object(_) => schema,
        Value::Bool(false) => {
            let mut not = Map::new();
            not.insert("not".to_owned(), Value::Object(Map::new()));
            Value::Object(not)
        }
        _ => Value::Object(Map::new()),
    }
}

/// A root definition: (`definitions` or `$defs`, name, component name, schema).
type RootDef<'a> = (&'static str, &'a str, String, &'a Value);

struct Converter<'a, 'c> {
    root: &'a Value,
    /// Plain-name fragments (`$id: "#name"`) -> the JSON pointer of their schema.
    anchors: HashMap<String, Vec<String>>,
    /// (`definitions` or `$defs`, name) at the root -> component name.
    defs: HashMap<(&'static str, &'a str), String>,
    /// The component holding the whole schema, once a reference needs it.
    root_component: Option<String>,
    prefix: &'a str,
    kind: &'a str,
    /// A request body's schema: integers get their 64-bit range (see [`embed`]).
    request: bool,
    components: &'c mut Components,
    /// Pass 1: only record reference targets (in `targets`), change nothing else.
    collecting: bool,
    /// Reference targets, as pointers (segments) into the original schema.
    targets: Vec<Vec<String>>,
    /// Original pointer of a referenced subschema -> the component it moves to.
    hoisted: HashMap<Vec<String>, String>,
    /// Original pointer of the node being converted.
    path: Vec<String>,
}

impl<'a> Converter<'a, '_> {
    /// Converts the root (returned) and the root definitions (set as components).
    fn convert_all(&mut self, defs: &[RootDef<'a>]) -> Value {
        self.path.clear();
        let body = object_form(self.convert(self.root, true));
        for (keyword, name, component, def) in defs {
            self.path = vec![(*keyword).to_owned(), (*name).to_owned()];
            let converted = object_form(self.convert(def, false));
            if !self.collecting {
                self.components.set(component, converted);
            }
        }
        self.path.clear();
        body
    }

    /// Names a component for every referenced subschema (not the root, not a root definition).
    fn hoist_targets(&mut self) {
        for target in std::mem::take(&mut self.targets) {
            if target.is_empty() || self.hoisted.contains_key(&target) {
                continue;
            }
            let (base, rest) = match self.root_def(&target) {
                Some((component, def, rest)) => {
                    if rest.is_empty() {
                        continue;
                    }
                    let Some((_, true)) = translate_pointer(def, rest, false) else {
                        continue;
                    };
                    (component, rest)
                }
                None => {
                    let Some((_, true)) = translate_pointer(self.root, &target, true) else {
                        continue;
                    };
                    (format!("{}{}", self.prefix, self.kind), target.as_slice())
                }
            };
            let fragment: String = rest
                .iter()
                .filter(|s| !CONTAINERS.contains(&s.as_str()))
                .map(|s| ident::component_fragment(s))
                .collect();
            let name = self.components.reserve(&[format!("{base}{fragment}")]);
            self.hoisted.insert(target, name);
        }
    }

    /// For a pointer into a root definition: its component, its schema and the rest.
    fn root_def<'p>(&self, segments: &'p [String]) -> Option<(String, &'a Value, &'p [String])> {
        let [keyword, name, rest @ ..] = segments else {
            return None;
        };
        let keyword = match keyword.as_str() {
            "definitions" => "definitions",
            "$defs" => "$defs",
            _ => return None,
        };
        let component = self.defs.get(&(keyword, name.as_str()))?.clone();
        let def = self.root.get(keyword)?.get(name)?;
        Some((component, def, rest))
    }

    fn convert_at(&mut self, key: &str, sub: Option<&str>, node: &'a Value) -> Value {
        let depth = self.path.len();
        self.path.push(key.to_owned());
        if let Some(sub) = sub {
            self.path.push(sub.to_owned());
        }
        let converted = match self.hoisted.get(&self.path).cloned() {
            Some(component) => {
                let converted = object_form(self.convert(node, false));
                self.components.set(&component, converted);
                reference_to(&component)
            }
            None => self.convert(node, false),
        };
        self.path.truncate(depth);
        converted
    }

    fn convert(&mut self, node: &'a Value, is_root: bool) -> Value {
        match node {
            Value::Object(obj) => self.convert_object(obj, is_root),
            // Object form: some client generators accept boolean schemas only as
            // `additionalProperties` (kept there, see `convert_object`).
            _ => object_form(node.clone()),
        }
    }

    fn convert_object(&mut self, obj: &'a Map<String, Value>, is_root: bool) -> Value {
        let mut out = Map::new();
        if let Some(Value::String(reference)) = obj.get("$ref") {
            if let Some(rewritten) = self.rewrite_ref(reference) {
                out.insert("$ref".to_owned(), Value::String(rewritten));
            }
            for (key, value) in obj {
                if REF_SIBLINGS.contains(&key.as_str()) {
                    out.insert(key.clone(), value.clone());
                } else if !is_root && (key == "definitions" || key == "$defs") {
                    self.merge_defs(&mut out, key, value);
                }
            }
            return Value::Object(out);
        }
        let items_is_array = matches!(obj.get("items"), Some(Value::Array(_)));
        for (key, value) in obj {
            match key.as_str() {
                "$schema" | "$id" | "$ref" => {}
                "definitions" | "$defs" => {
                    if !is_root {
                        self.merge_defs(&mut out, key, value);
                    }
                }
                "items" => match value {
                    Value::Array(list) => {
                        let list = list
                            .iter()
                            .enumerate()
                            .map(|(i, s)| self.convert_at(key, Some(&i.to_string()), s))
                            .collect();
                        out.insert("prefixItems".to_owned(), Value::Array(list));
                    }
                    _ => {
                        let converted = self.convert_at(key, None, value);
                        out.insert("items".to_owned(), converted);
                    }
                },
                "additionalItems" => {
                    if items_is_array {
                        let converted = self.convert_at(key, None, value);
                        out.insert("items".to_owned(), converted);
                    }
                }
                "dependencies" | "dependentRequired" | "dependentSchemas" => {
                    if let Value::Object(map) = value {
                        for (name, dependency) in map {
                            if dependency.is_array() {
                                let dependency = dependency.clone();
                                insert_into(
                                    &mut out,
                                    "dependentRequired",
                                    name.clone(),
                                    dependency,
                                );
                            } else {
                                let converted = self.convert_at(key, Some(name), dependency);
                                insert_into(&mut out, "dependentSchemas", name.clone(), converted);
                            }
                        }
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => {
                    // Draft 4's boolean form; handled below.
                }
                "additionalProperties" | "unevaluatedProperties" | "unevaluatedItems"
                    if value.is_boolean() =>
                {
                    out.insert(key.clone(), value.clone());
                }
                k if SINGLE.contains(&k) => {
                    let converted = self.convert_at(key, None, value);
                    out.insert(key.clone(), converted);
                }
                k if LIST.contains(&k) => {
                    let converted = match value {
                        Value::Array(list) => Value::Array(
                            list.iter()
                                .enumerate()
                                .map(|(i, s)| self.convert_at(key, Some(&i.to_string()), s))
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    out.insert(key.clone(), converted);
                }
                k if MAP.contains(&k) => {
                    let converted = match value {
                        Value::Object(map) => Value::Object(
                            map.iter()
                                .map(|(name, s)| {
                                    (name.clone(), self.convert_at(key, Some(name), s))
                                })
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    out.insert(key.clone(), converted);
                }
                k if DATA.contains(&k) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    // An unknown keyword: keep it, but fix the references of any schemas in it.
                    let converted = self.rewrite_nested_refs(value);
                    out.insert(key.clone(), converted);
                }
            }
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if obj.get(exclusive) == Some(&Value::Bool(true)) {
                if let Some(limit) = out.remove(bound) {
                    out.insert(exclusive.to_owned(), limit);
                }
            }
        }
        if self.request && is_long(obj) {
            out.insert("format".to_owned(), Value::String("int64".to_owned()));
        }
        Value::Object(out)
    }

    fn merge_defs(&mut self, out: &mut Map<String, Value>, key: &str, defs: &'a Value) {
        if let Value::Object(map) = defs {
            for (name, def) in map {
                let converted = self.convert_at(key, Some(name), def);
                insert_into(out, "$defs", name.clone(), converted);
            }
        }
    }

    fn rewrite_nested_refs(&mut self, value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, v)| {
                        let converted = match v {
                            Value::String(reference) if key == "$ref" => self
                                .rewrite_ref(reference)
                                .map_or_else(|| v.clone(), Value::String),
                            _ => self.rewrite_nested_refs(v),
                        };
                        (key.clone(), converted)
                    })
                    .collect(),
            ),
            Value::Array(list) => {
                Value::Array(list.iter().map(|v| self.rewrite_nested_refs(v)).collect())
            }
            _ => value.clone(),
        }
    }

    /// The reference rewritten to point into the OpenAPI document; `None` when it points
    /// nowhere inside the schema (it is dropped). References to other documents are kept.
    fn rewrite_ref(&mut self, reference: &str) -> Option<String> {
        if !reference.starts_with('#') {
            return Some(reference.to_owned());
        }
        // The one reading of a `$ref` that typing and validation share.
        let segments: Vec<String> = match parse_local_ref(reference)? {
            LocalRef::Pointer(segments) => segments,
            LocalRef::Anchor(name) => self.anchors.get(&name)?.clone(),
        };
        if self.collecting {
            self.targets.push(segments);
            return Some(reference.to_owned());
        }
        if let Some(component) = self.hoisted.get(&segments) {
            return Some(format!("{COMPONENTS_PREFIX}{component}"));
        }
        if let Some((component, def, rest)) = self.root_def(&segments) {
            let (rest, _) = translate_pointer(def, rest, false)?;
            return Some(format!(
                "{COMPONENTS_PREFIX}{component}{}",
                encode_pointer(&rest)
            ));
        }
        if matches!(
            segments.first().map(String::as_str),
            Some("definitions" | "$defs")
        ) {
            // A root definition that does not exist.
            return None;
        }
        let (rest, _) = translate_pointer(self.root, &segments, true)?;
        let component = self.root_component();
        Some(format!(
            "{COMPONENTS_PREFIX}{component}{}",
            encode_pointer(&rest)
        ))
    }

    fn root_component(&mut self) -> String {
        if let Some(name) = &self.root_component {
            return name.clone();
        }
        let name = self
            .components
            .reserve(&[format!("{}{}", self.prefix, self.kind)]);
        self.root_component = Some(name.clone());
        name
    }
}

/// Inserts `name: value` into the object at `out[key]`, creating (or replacing a non-object) it.
fn insert_into(out: &mut Map<String, Value>, key: &str, name: String, value: Value) {
    let slot = out
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(map) = slot {
        map.insert(name, value);
    } else {
        let mut map = Map::new();
        map.insert(name, value);
        *slot = Value::Object(map);
    }
}

/// Translates a JSON pointer into a draft-7 schema to the same place in the converted schema,
/// telling whether it points at a schema (rather than into data such as an `enum`); `None`
/// when it points nowhere (or at something the conversion drops).
fn translate_pointer(
    mut node: &Value,
    segments: &[String],
    mut at_root: bool,
) -> Option<(Vec<String>, bool)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(segment) = segments.get(i) {
        let obj = node.as_object()?;
        let seg = segment.as_str();
        if obj.contains_key("$ref")
            && !REF_SIBLINGS.contains(&seg)
            && !(seg == "definitions" || seg == "$defs")
        {
            return None;
        }
        match seg {
            "definitions" | "$defs" => {
                if at_root {
                    return None;
                }
                let name = segments.get(i + 1)?;
                node = obj.get(seg)?.get(name)?;
                out.extend(["$defs".to_owned(), name.clone()]);
                i += 2;
            }
            "items" => match obj.get("items")? {
                Value::Array(list) => {
                    let index = segments.get(i + 1)?;
                    node = list.get(index.parse::<usize>().ok()?)?;
                    out.extend(["prefixItems".to_owned(), index.clone()]);
                    i += 2;
                }
                single => {
                    node = single;
                    out.push("items".to_owned());
                    i += 1;
                }
            },
            "additionalItems" => {
                if !matches!(obj.get("items"), Some(Value::Array(_))) {
                    return None;
                }
                node = obj.get(seg)?;
                out.push("items".to_owned());
                i += 1;
            }
            "dependencies" | "dependentSchemas" | "dependentRequired" => {
                let name = segments.get(i + 1)?;
                let dependency = obj.get(seg)?.get(name)?;
                if dependency.is_array() {
                    out.extend(["dependentRequired".to_owned(), name.clone()]);
                    return Some((verbatim(dependency, &segments[i + 2..], out)?, false));
                }
                node = dependency;
                out.extend(["dependentSchemas".to_owned(), name.clone()]);
                i += 2;
            }
            "exclusiveMinimum" | "exclusiveMaximum" | "$schema" | "$id"
                if obj.get(seg).is_some_and(|v| !v.is_number()) =>
            {
                return None;
            }
            s if SINGLE.contains(&s) => {
                node = obj.get(seg)?;
                out.push(segment.clone());
                i += 1;
            }
            s if LIST.contains(&s) || MAP.contains(&s) => {
                let key = segments.get(i + 1)?;
                let child = obj.get(seg)?;
                node = match child {
                    Value::Array(list) => list.get(key.parse::<usize>().ok()?)?,
                    other => other.get(key)?,
                };
                out.extend([segment.clone(), key.clone()]);
                i += 2;
            }
            _ => return Some((verbatim(node, &segments[i..], out)?, false)),
        }
        at_root = false;
    }
    Some((out, true))
}

/// Appends `rest` unchanged when it exists below `node`.
fn verbatim(node: &Value, rest: &[String], mut out: Vec<String>) -> Option<Vec<String>> {
    let mut pointer = String::new();
    for segment in rest {
        pointer.push('/');
        pointer.push_str(&escape_segment(segment));
    }
    node.pointer(&pointer)?;
    out.extend(rest.iter().cloned());
    Some(out)
}

/// Records every plain-name fragment (`"$id": "#name"`) with the pointer of its schema.
fn collect_anchors(
    node: &Value,
    path: &mut Vec<String>,
    anchors: &mut HashMap<String, Vec<String>>,
) {
    let Value::Object(obj) = node else {
        return;
    };
    if let Some(Value::String(id)) = obj.get("$id") {
        if let Some(name) = id.strip_prefix('#') {
            if !name.is_empty() && !name.starts_with('/') {
                anchors
                    .entry(name.to_owned())
                    .or_insert_with(|| path.clone());
            }
        }
    }
    for (key, value) in obj {
        let k = key.as_str();
        let is_map = MAP.contains(&k) || matches!(k, "definitions" | "$defs" | "dependencies");
        let is_list = LIST.contains(&k) || (k == "items" && value.is_array());
        let is_single = SINGLE.contains(&k) || k == "items" || k == "additionalItems";
        path.push(key.clone());
        if is_map {
            if let Value::Object(map) = value {
                for (name, child) in map {
                    path.push(name.clone());
                    collect_anchors(child, path, anchors);
                    path.pop();
                }
            }
        } else if is_list {
            if let Value::Array(list) = value {
                for (index, child) in list.iter().enumerate() {
                    path.push(index.to_string());
                    collect_anchors(child, path, anchors);
                    path.pop();
                }
            }
        } else if is_single {
            collect_anchors(value, path, anchors);
        }
        path.pop();
    }
}

/// `/a/b` form of a pointer, escaped for use in a URI fragment.
fn encode_pointer(segments: &[String]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        let escaped = escape_segment(segment);
        for byte in escaped.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn embed_one(schema: Value) -> (Value, Vec<(String, Value)>) {
        let mut components = Components::default();
        let body = embed(&schema, "Loan", "Input", false, &mut components);
        (body, components.into_schemas().collect())
    }

    #[test]
    fn request_integers_get_the_64_bit_range_the_server_accepts() {
        let schema = json!({
            "type": "object",
            "properties": {
                "plain": {"type": "integer"},
                "bounded": {"type": "integer", "minimum": 1},
                "small": {"type": "integer", "minimum": 0, "maximum": 100},
                "nullable": {"type": ["integer", "null"]},
                "int32": {"type": "integer", "format": "int32"},
                "huge": {"type": "integer", "maximum": 1e30},
                "hugeNegative": {"type": "integer", "exclusiveMinimum": -1e30},
                "number": {"type": "number"},
                "list": {"type": "array", "items": {"$ref": "#/definitions/count"}}
            },
            "definitions": {"count": {"type": "integer"}}
        });
        let mut components = Components::default();
        let body = embed(&schema, "Loan", "Input", true, &mut components);
        let p = &body["properties"];
        for name in ["plain", "bounded", "small", "nullable"] {
            assert_eq!(p[name]["format"], "int64", "{name}");
        }
        assert_eq!(p["int32"]["format"], "int32");
        for name in ["huge", "hugeNegative", "number"] {
            assert!(p[name].get("format").is_none(), "{name}");
        }
        assert_eq!(
            p["list"]["items"],
            json!({"$ref": "#/components/schemas/LoanCount"})
        );
        let components: Vec<(String, Value)> = components.into_schemas().collect();
        assert_eq!(
            components,
            [(
                "LoanCount".to_owned(),
                json!({"type": "integer", "format": "int64"})
            )]
        );
        // Responses are described as they are: the server may write integers beyond 64 bits.
        let mut components = Components::default();
        let body = embed(&schema, "Loan", "Output", false, &mut components);
        assert!(body["properties"]["plain"].get("format").is_none());
    }

    #[test]
    fn plain_schema_is_kept() {
        let schema = json!({
            "type": "object",
            "properties": {"city": {"type": "string", "default": "Warsaw", "enum": ["Warsaw", "Paris"]}},
            "required": ["city"]
        });
        let (body, components) = embed_one(schema.clone());
        assert_eq!(body, schema);
        assert!(components.is_empty());
    }

    #[test]
    fn any_schemas() {
        assert_eq!(embed_one(json!({})).0, json!({}));
        assert_eq!(embed_one(json!(true)).0, json!({}));
        assert_eq!(embed_one(json!(false)).0, json!({"not": {}}));
    }

    #[test]
    fn definitions_move_to_components() {
        let schema = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "http://example.com/loan.json",
            "type": "object",
            "properties": {
                "home": {"$ref": "#/definitions/address"},
                "work": {"$ref": "#/definitions/address", "description": "at work", "type": "string"},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}}
            },
            "definitions": {
                "address": {
                    "type": "object",
                    "properties": {"city": {"$ref": "#/definitions/city"}}
                },
                "city": {"type": ["string", "null"]}
            },
            "$defs": {"tag": true}
        });
        let (body, components) = embed_one(schema);
        assert_eq!(
            body,
            json!({
                "type": "object",
                "properties": {
                    "home": {"$ref": "#/components/schemas/LoanAddress"},
                    "work": {"$ref": "#/components/schemas/LoanAddress", "description": "at work"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/LoanTag"}}
                }
            })
        );
        let components: Map<String, Value> = components.into_iter().collect();
        assert_eq!(
            Value::Object(components),
            json!({
                "LoanAddress": {
                    "type": "object",
                    "properties": {"city": {"$ref": "#/components/schemas/LoanCity"}}
                },
                "LoanCity": {"type": ["string", "null"]},
                "LoanTag": {}
            })
        );
    }

    #[test]
    fn referenced_subschemas_become_components() {
        let schema = json!({
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#"}},
                "same": {"$ref": "#/properties/value"},
                "tagged": {"$ref": "#node"},
                "node": {"$id": "#node", "type": "string"},
                "first": {"$ref": "#/enum/0"}
            },
            "enum": [{"value": 1}]
        });
        let (body, components) = embed_one(schema);
        assert_eq!(body, json!({"$ref": "#/components/schemas/LoanInput"}));
        let components: Map<String, Value> = components.into_iter().collect();
        let names: Vec<&String> = components.keys().collect();
        assert_eq!(names, ["LoanInputValue", "LoanInputNode", "LoanInput"]);
        assert_eq!(components["LoanInputValue"], json!({"type": "integer"}));
        assert_eq!(components["LoanInputNode"], json!({"type": "string"}));
        let root = &components["LoanInput"];
        assert_eq!(
            root["properties"],
            json!({
                "value": {"$ref": "#/components/schemas/LoanInputValue"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/LoanInput"}},
                "same": {"$ref": "#/components/schemas/LoanInputValue"},
                "tagged": {"$ref": "#/components/schemas/LoanInputNode"},
                "node": {"$ref": "#/components/schemas/LoanInputNode"},
                "first": {"$ref": "#/components/schemas/LoanInput/enum/0"}
            })
        );
    }

    #[test]
    fn pointers_follow_translated_keywords() {
        let schema = json!({
            "definitions": {
                "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
                "weird name/x": {"type": "string"},
                "codes": {"enum": ["a", "b"]}
            },
            "type": "object",
            "properties": {
                "second": {"$ref": "#/definitions/pair/items/1"},
                "odd": {"$ref": "#/definitions/weird%20name~1x"},
                "code": {"$ref": "#/definitions/codes/enum/1"},
                "broken": {"$ref": "#/definitions/missing"},
                "external": {"$ref": "other.json#/x"}
            }
        });
        let (body, components) = embed_one(schema);
        assert_eq!(
            body["properties"],
            json!({
                "second": {"$ref": "#/components/schemas/LoanPairItems1"},
                "odd": {"$ref": "#/components/schemas/LoanWeirdNameX"},
                "code": {"$ref": "#/components/schemas/LoanCodes/enum/1"},
                "broken": {},
                "external": {"$ref": "other.json#/x"}
            })
        );
        let components: Map<String, Value> = components.into_iter().collect();
        assert_eq!(
            components["LoanPair"],
            json!({
                "type": "array",
                "prefixItems": [{"type": "string"}, {"$ref": "#/components/schemas/LoanPairItems1"}],
                "items": {"not": {}}
            })
        );
        assert_eq!(components["LoanPairItems1"], json!({"type": "integer"}));
    }

    #[test]
    fn draft7_keywords_are_translated() {
        let schema = json!({
            "type": "object",
            "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
            "properties": {
                "n": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false},
                "list": {"type": "array", "items": {"type": "string"}, "additionalItems": false},
                "nested": {"definitions": {"x": {"type": "string"}}, "$ref": "#/properties/nested/definitions/x"}
            }
        });
        let (body, components) = embed_one(schema);
        assert_eq!(body["dependentRequired"], json!({"a": ["b"]}));
        assert_eq!(body["dependentSchemas"], json!({"c": {"required": ["d"]}}));
        assert_eq!(
            body["properties"]["n"],
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 9})
        );
        assert_eq!(
            body["properties"]["list"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            body["properties"]["nested"],
            json!({
                "$ref": "#/components/schemas/LoanInputNestedX",
                "$defs": {"x": {"$ref": "#/components/schemas/LoanInputNestedX"}}
            })
        );
        assert_eq!(
            components,
            [("LoanInputNestedX".to_owned(), json!({"type": "string"}))]
        );
    }

    #[test]
    fn boolean_subschemas() {
        let schema = json!({
            "type": "object",
            "properties": {"any": true, "none": false},
            "additionalProperties": false
        });
        assert_eq!(
            embed_one(schema).0,
            json!({
                "type": "object",
                "properties": {"any": {}, "none": {"not": {}}},
                "additionalProperties": false
            })
        );
    }

    #[test]
    fn data_is_not_rewritten() {
        let schema = json!({
            "type": "object",
            "default": {"$ref": "#/definitions/a"},
            "enum": [{"$ref": "x"}],
            "x-defs": {"b": {"$ref": "#/definitions/a"}},
            "definitions": {"a": {"type": "string"}}
        });
        let (body, _) = embed_one(schema);
        assert_eq!(body["default"], json!({"$ref": "#/definitions/a"}));
        assert_eq!(body["enum"], json!([{"$ref": "x"}]));
        assert_eq!(
            body["x-defs"]["b"],
            json!({"$ref": "#/components/schemas/LoanA"})
        );
    }

    #[test]
    fn component_names_are_unique() {
        let mut components = Components::default();
        components.reserve_external("LoanAddress");
        let schema = json!({"definitions": {"address": {}, "Address": {}, "ADDRESS!": {}}});
        embed(&schema, "Loan", "Input", false, &mut components);
        let names: Vec<String> = components.into_schemas().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["LoanInputAddress", "LoanInputAddress2", "LoanADDRESS"]
        );
    }

    #[test]
    fn pointer_escaping() {
        assert_eq!(
            encode_pointer(&["a b".to_owned(), "c/d~".to_owned(), "ż".to_owned()]),
            "/a%20b/c~1d~0/%C5%BC"
        );
        assert_eq!(
            parse_local_ref("#/a%20b/c~1d~0"),
            Some(LocalRef::Pointer(vec!["a b".to_owned(), "c/d~".to_owned()]))
        );
        assert_eq!(parse_local_ref("#/%zz"), None);
        assert_eq!(parse_local_ref("#/%"), None);
    }
}
