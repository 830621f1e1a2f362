//! Navigating a schema document: `$ref`s into the same document, keyword helpers, and a walk
//! that visits every (sub-schema, instance value) pair of a JSON instance, used to fill in
//! defaults before validation.

use serde_json::{Map, Value as Json};

pub(crate) type Obj = Map<String, Json>;

/// How many `$ref`s are followed in a row before a schema is treated as accepting anything
/// (recursive or absurd schemas).
pub(crate) const MAX_REFS: usize = 32;

/// How deep `allOf`/`anyOf`/`oneOf` nest at one instance location before the walks stop
/// descending (the same guard: members may refer back to their parent).
pub(crate) const MAX_HOPS: usize = 8;

/// Follows `$ref`s from `s`. `None` when a reference does not resolve inside the document (an
/// anchor, a remote document) or the chain is too long.
pub(crate) fn resolve<'a>(root: &'a Json, mut s: &'a Json) -> Option<&'a Json> {
    for _ in 0..MAX_REFS {
        match ref_of(s) {
            Some(r) => s = lookup(root, r)?.0,
            None => return Some(s),
        }
    }
    None
}

/// Like [`resolve`], also tracking the JSON pointer of the schema inside the document.
pub(crate) fn resolve_at<'a>(
    root: &'a Json,
    mut s: &'a Json,
    mut loc: String,
) -> Option<(&'a Json, String)> {
    for _ in 0..MAX_REFS {
        match ref_of(s) {
            Some(r) => {
                let (target, pointer) = lookup(root, r)?;
                s = target;
                loc = pointer;
            }
            None => return Some((s, loc)),
        }
    }
    None
}

fn ref_of(s: &Json) -> Option<&str> {
    s.as_object()?.get("$ref")?.as_str()
}

/// A `#/json/pointer` reference: the target and its (decoded) pointer.
fn lookup<'a>(root: &'a Json, reference: &str) -> Option<(&'a Json, String)> {
    scenic_spel::types::json_ref::resolve_ref(root, reference)
}

/// The names in `type` (a string or an array of strings); empty when absent.
pub(crate) fn types_of(o: &Obj) -> Vec<&str> {
    match o.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// An object schema whose properties are known: `type: object` (alone) or no type and
/// `properties` (everit's `ObjectSchema`).
pub(crate) fn is_object_schema(o: &Obj) -> bool {
    match types_of(o).as_slice() {
        ["object"] => true,
        [] => o.contains_key("properties") && !has_combinators(o),
        _ => false,
    }
}

pub(crate) fn has_combinators(o: &Obj) -> bool {
    ["anyOf", "oneOf", "allOf"]
        .iter()
        .any(|k| o.get(*k).is_some_and(Json::is_array))
}

pub(crate) fn properties(o: &Obj) -> Option<&Obj> {
    o.get("properties").and_then(Json::as_object)
}

pub(crate) fn required(o: &Obj) -> Vec<&str> {
    o.get("required")
        .and_then(Json::as_array)
        .map(|r| r.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

/// The `default` of a property schema (its own, or that of the schema it refers to).
pub(crate) fn default_of<'a>(root: &'a Json, s: &'a Json) -> Option<&'a Json> {
    let own = s.as_object().and_then(|o| o.get("default"));
    own.or_else(|| resolve(root, s)?.as_object()?.get("default"))
}

/// Does the schema admit `null` explicitly (everit's `isNullableSchema`): a `null` type, a
/// `null` in `enum`/`const`, or a nullable `anyOf`/`oneOf` member.
pub(crate) fn is_nullable(root: &Json, s: &Json) -> bool {
    nullable(root, s, &mut 1000)
}

fn nullable(root: &Json, s: &Json, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some(o) = resolve(root, s).and_then(Json::as_object) else {
        return false;
    };
    types_of(o).contains(&"null")
        || o.get("enum")
            .and_then(Json::as_array)
            .is_some_and(|e| e.iter().any(Json::is_null))
        || o.get("const").is_some_and(Json::is_null)
        || ["anyOf", "oneOf"].iter().any(|k| {
            o.get(*k)
                .and_then(Json::as_array)
                .is_some_and(|ms| ms.iter().any(|m| nullable(root, m, budget)))
        })
}

/// Does a JSON value have one of the JSON Schema types?
pub(crate) fn json_has_type(j: &Json, t: &str) -> bool {
    match (t, j) {
        ("null", Json::Null)
        | ("boolean", Json::Bool(_))
        | ("string", Json::String(_))
        | ("array", Json::Array(_))
        | ("object", Json::Object(_))
        | ("number", Json::Number(_)) => true,
        ("integer", Json::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Visits (schema, value) pairs of an instance, top-down: `visit` sees a value before its
/// children, so what it inserts is walked too. Follows `properties`, `additionalProperties`,
/// `items`, `additionalItems`, `$ref`, `allOf`, and of `anyOf`/`oneOf` the first member whose
/// type admits the value. Recursion follows the instance's depth; the work done at one instance
/// location is bounded by [`MAX_HOPS`] and a global budget.
pub(crate) struct Walker<'a, F> {
    root: &'a Json,
    visit: F,
    budget: usize,
}

impl<'a, F: FnMut(&'a Obj, &mut Json)> Walker<'a, F> {
    pub(crate) fn new(root: &'a Json, visit: F) -> Self {
        Walker {
            root,
            visit,
            budget: 4_000_000,
        }
    }

    pub(crate) fn walk(&mut self, schema: &'a Json, inst: &mut Json) {
        self.walk_at(schema, inst, 0);
    }

    fn walk_at(&mut self, schema: &'a Json, inst: &mut Json, hops: usize) {
        if hops > MAX_HOPS || self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let root = self.root;
        let Some(o) = resolve(root, schema).and_then(Json::as_object) else {
            return;
        };
        (self.visit)(o, inst);
        if let Some(all) = o.get("allOf").and_then(Json::as_array) {
            for m in all {
                self.walk_at(m, inst, hops + 1);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(members) = o.get(key).and_then(Json::as_array) {
                if let Some(m) = members.iter().find(|m| admits_kind(root, m, inst)) {
                    self.walk_at(m, inst, hops + 1);
                }
            }
        }
        match inst {
            Json::Object(map) => {
                let props = properties(o);
                let additional = o.get("additionalProperties").filter(|a| a.is_object());
                for (k, v) in map.iter_mut() {
                    if let Some(sub) = props.and_then(|p| p.get(k)).or(additional) {
                        self.walk_at(sub, v, 0);
                    }
                }
            }
            Json::Array(items) => match o.get("items") {
                Some(s @ Json::Object(_)) => {
                    for v in items.iter_mut() {
                        self.walk_at(s, v, 0);
                    }
                }
                Some(Json::Array(tuple)) => {
                    let rest = o.get("additionalItems").filter(|a| a.is_object());
                    for (i, v) in items.iter_mut().enumerate() {
                        if let Some(s) = tuple.get(i).or(rest) {
                            self.walk_at(s, v, 0);
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// Does a combinator member declare (or imply) a type the value has? Members that say nothing
/// about the type are skipped: they have no structure to walk.
fn admits_kind(root: &Json, member: &Json, inst: &Json) -> bool {
    let Some(o) = resolve(root, member).and_then(Json::as_object) else {
        return false;
    };
    let types = types_of(o);
    if types.is_empty() {
        return (o.contains_key("properties") && inst.is_object())
            || (o.contains_key("items") && inst.is_array());
    }
    types.iter().any(|t| json_has_type(inst, t))
}

/// Does some object in the document satisfy `pred` (e.g. declare a `default`)?
pub(crate) fn any_object(s: &Json, pred: impl Fn(&Obj) -> bool) -> bool {
    let mut stack = vec![s];
    while let Some(s) = stack.pop() {
        match s {
            Json::Object(o) => {
                if pred(o) {
                    return true;
                }
                stack.extend(o.values());
            }
            Json::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    false
}

/// `10:15:30+01:00` / `10:15:30Z` → `10:15:30`: RFC 3339 times carry an offset, the typed value
/// is a `LocalTime`.
pub(crate) fn strip_time_offset(s: &str) -> &str {
    if let Some(t) = s.strip_suffix(['Z', 'z']) {
        return t;
    }
    match s.rfind(['+', '-']) {
        Some(i) => &s[..i],
        None => s,
    }
}
