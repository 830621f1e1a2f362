//! One gateway document from single-scenario documents, for a gateway that proxies to
//! scenario runtimes instead of hosting them: each runtime's document has its scenario at
//! `POST /`; the merged one has it at `/scenario/{slug}`, with component names and
//! `operationId`s kept unique (identical components are shared, differing ones renamed) and
//! every `$ref` following its component.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

/// The sections of `components` whose entries `$ref`s name.
const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
];

/// Rewrites every `$ref` of `value` that `renames` maps (`#/components/<section>/<name>`).
fn rewrite_refs(value: &mut Value, renames: &HashMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    // An explicit stack: documents can nest deeply, and recursion would follow them.
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "$ref" {
                        if let Some(new) = child.as_str().and_then(|r| renames.get(r)) {
                            *child = Value::String(new.clone());
                        }
                    } else {
                        stack.push(child);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// The first of `base`, `base2`, `base3`, … that `taken` does not hold.
fn free_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2u64..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken(c))
        .unwrap_or_else(|| base.to_string())
}

/// Merges `(slug, document)` pairs into one document titled `title`, versioned `version`
/// (an `info.version`), with each scenario at `/scenario/{slug}` relative to the server `./`.
/// A slug is one path segment of unreserved characters (the routes' rule).
pub fn merge_documents(title: &str, version: &str, parts: &[(String, Value)]) -> Value {
    let mut paths = Map::new();
    let mut components: Map<String, Value> = Map::new();
    let mut operation_ids: HashSet<String> = HashSet::new();
    for (slug, doc) in parts {
        let mut doc = doc.clone();
        // Component names: shared when identical, renamed when they differ.
        let mut renames: HashMap<String, String> = HashMap::new();
        let mut added: Vec<(String, String, Value)> = Vec::new();
        if let Some(own) = doc.get("components").and_then(Value::as_object) {
            for section in SECTIONS {
                let Some(entries) = own.get(*section).and_then(Value::as_object) else {
                    continue;
                };
                let existing = components.get(*section).and_then(Value::as_object);
                for (name, value) in entries {
                    match existing.and_then(|e| e.get(name)) {
                        Some(same) if same == value => continue,
                        Some(_) => {
                            let new = free_name(name, |c| {
                                existing.is_some_and(|e| e.contains_key(c))
                                    || entries.contains_key(c)
                                    || added.iter().any(|(s, n, _)| s == section && n == c)
                            });
                            renames.insert(
                                format!("#/components/{section}/{name}"),
                                format!("#/components/{section}/{new}"),
                            );
                            added.push((section.to_string(), new, value.clone()));
                        }
                        None => added.push((section.to_string(), name.clone(), value.clone())),
                    }
                }
            }
        }
        for (section, name, mut value) in added {
            rewrite_refs(&mut value, &renames);
            if let Value::Object(s) = components
                .entry(section)
                .or_insert_with(|| Value::Object(Map::new()))
            {
                s.insert(name, value);
            }
        }
        let Some(own_paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
            continue;
        };
        for (path, item) in own_paths.iter_mut() {
            rewrite_refs(item, &renames);
            if let Some(ops) = item.as_object_mut() {
                for op in ops.values_mut() {
                    let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                        continue;
                    };
                    let unique = free_name(id, |c| operation_ids.contains(c));
                    operation_ids.insert(unique.clone());
                    op["operationId"] = Value::String(unique);
                }
            }
            let at = if path == "/" {
                format!("/scenario/{slug}")
            } else {
                format!("/scenario/{slug}{path}")
            };
            paths.insert(at, item.clone());
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Every request-response scenario routed by this gateway, each at `/scenario/<slug>`.",
        },
        "servers": [{"url": "./"}],
        "paths": paths,
        "components": components,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(op: &str, input: Value) -> Value {
        json!({
            "openapi": "3.1.0", "info": {"title": op, "version": "1.0.0+abc"},
            "paths": {"/": {"post": {"operationId": op,
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Input"}}}},
                "responses": {"500": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScenarioErrors"}}}}}}}},
            "components": {"schemas": {"Input": input,
                "ScenarioErrors": {"type": "array", "items": {"$ref": "#/components/schemas/ScenarioError"}},
                "ScenarioError": {"type": "object"}}}
        })
    }

    #[test]
    fn scenarios_move_under_their_slugs_with_unique_components_and_operation_ids() {
        let a = doc(
            "run",
            json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
        );
        let b = doc("run", json!({"type": "string"}));
        let merged = merge_documents(
            "Scenic scenarios",
            "1.0.0+x",
            &[("a".into(), a), ("b".into(), b)],
        );
        let paths = merged["paths"].as_object().expect("paths");
        assert_eq!(
            paths.keys().collect::<Vec<_>>(),
            ["/scenario/a", "/scenario/b"]
        );
        assert_eq!(paths["/scenario/a"]["post"]["operationId"], "run");
        assert_eq!(paths["/scenario/b"]["post"]["operationId"], "run2");
        let schema = |p: &str| {
            paths[p]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].clone()
        };
        assert_eq!(schema("/scenario/a"), "#/components/schemas/Input");
        assert_eq!(schema("/scenario/b"), "#/components/schemas/Input2");
        let schemas = merged["components"]["schemas"]
            .as_object()
            .expect("schemas");
        assert_eq!(schemas["Input2"], json!({"type": "string"}));
        // The shared error schemas once.
        assert_eq!(
            schemas
                .keys()
                .filter(|k| k.starts_with("ScenarioError"))
                .count(),
            2,
            "{schemas:?}"
        );
        assert_eq!(merged["servers"], json!([{"url": "./"}]));
    }
}
