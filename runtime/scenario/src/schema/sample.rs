//! A sample value of a schema: the request body of the `curl` line `scenic serve` prints for
//! each scenario. Built from the schema's keywords (types, lengths, bounds, `pattern`s,
//! `format`s, `required`, item counts, `const`/`enum`/`default`, `$ref`s and combinators),
//! then checked by the schema itself: a sample is never one the scenario would reject.

use std::cell::Cell;

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{json, Map, Number, Value as Json};

use super::compiled::{compile, ref_siblings_ignored, JsonSchema};
use super::error::push_pointer;
use super::walk::{self, Obj};

/// Schema steps one sample may take (large or recursive schemas give up rather than stall).
const STEP_BUDGET: usize = 20_000;
/// How deep optional properties are shown; deeper, only required ones are built.
const OPTIONAL_DEPTH: usize = 4;
/// How deep a sample nests at most (a recursive schema whose required fields never end has no
/// sample).
const MAX_DEPTH: usize = 32;
/// Sub-schema validators compiled per sample, to choose between `oneOf`/`anyOf` members and
/// `enum`/`default` values.
const MAX_CHECKS: usize = 64;
/// Array items or object properties added at most to reach `minItems`/`minProperties`.
const MAX_FILL: usize = 64;
/// Characters of a string generated from a `pattern`, at most.
const MAX_PATTERN_TEXT: usize = 1000;
/// Not a JSON pointer: the location of a schema built here rather than found in the document.
const NOWHERE: &str = "\u{0}";

impl JsonSchema {
    /// A value this schema accepts (defaults not filled in: what a client would send), or
    /// `None` when none was found. Optional properties are shown when that still gives a valid
    /// value; otherwise only the required ones.
    pub fn sample(&self) -> Option<Json> {
        for optional in [true, false] {
            let sampler = Sampler {
                schema: self,
                budget: Cell::new(STEP_BUDGET),
                checks: Cell::new(MAX_CHECKS),
                optional,
            };
            if let Some(v) = sampler.build(self.raw(), Some(String::new()), 0) {
                if self.decode_input(v.clone()).is_ok() {
                    return Some(v);
                }
            }
        }
        None
    }
}

struct Sampler<'a> {
    schema: &'a JsonSchema,
    budget: Cell<usize>,
    checks: Cell<usize>,
    /// Build optional properties too.
    optional: bool,
}

/// `loc` with `keys` appended (when it is known).
fn at(loc: &Option<String>, keys: &[&str]) -> Option<String> {
    let mut l = loc.clone()?;
    for k in keys {
        push_pointer(&mut l, k);
    }
    Some(l)
}

fn usize_of(o: &Obj, key: &str) -> Option<usize> {
    o.get(key)
        .and_then(Json::as_u64)
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

impl Sampler<'_> {
    /// A value of `schema`, found at `loc` in the document (`None`: built here, e.g. merged).
    fn build(&self, schema: &Json, loc: Option<String>, depth: usize) -> Option<Json> {
        let left = self.budget.get();
        if left == 0 || depth > MAX_DEPTH {
            return None;
        }
        self.budget.set(left - 1);
        let root = self.schema.raw();
        let (s, l) = walk::resolve_at(root, schema, loc.unwrap_or_else(|| NOWHERE.into()))?;
        let loc = (l != NOWHERE).then_some(l);
        let o = match s {
            Json::Object(o) => o,
            Json::Bool(true) => return Some(json!({})),
            _ => return None,
        };
        if let Some(c) = o.get("const") {
            return Some(c.clone());
        }
        // Values the author wrote: the first the schema accepts.
        let written = o
            .get("default")
            .into_iter()
            .chain(
                o.get("examples")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten(),
            )
            .chain(o.get("example"))
            .chain(o.get("enum").and_then(Json::as_array).into_iter().flatten());
        for v in written {
            if self.fits(&loc, v) {
                return Some(v.clone());
            }
        }
        if o.contains_key("enum") {
            return None;
        }
        if let Some(members) = o.get("allOf").and_then(Json::as_array) {
            let mut merged = without(o, "allOf");
            for m in members {
                match walk::resolve(root, m)? {
                    Json::Object(m) => merged = merge(&merged, m),
                    Json::Bool(true) => {}
                    _ => return None,
                }
            }
            let v = self.build(&Json::Object(merged), None, depth + 1)?;
            return self.fits(&loc, &v).then_some(v);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = o.get(key).and_then(Json::as_array) {
                // Each member with the keywords beside the combinator, the first that fits.
                let base = without(o, key);
                for m in members {
                    let merged = match walk::resolve(root, m) {
                        Some(Json::Object(m)) => merge(&base, m),
                        Some(Json::Bool(true)) => base.clone(),
                        _ => continue,
                    };
                    if let Some(v) = self.build(&Json::Object(merged), None, depth + 1) {
                        if self.fits(&loc, &v) {
                            return Some(v);
                        }
                    }
                }
                return None;
            }
        }
        let types: Vec<&str> = if o.contains_key("type") {
            let declared = walk::types_of(o);
            let (null, rest): (Vec<&str>, Vec<&str>) =
                declared.into_iter().partition(|t| *t == "null");
            rest.into_iter().chain(null).collect()
        } else {
            match inferred_type(o) {
                Some(t) => vec![t],
                None => return Some(json!({})),
            }
        };
        types
            .into_iter()
            .find_map(|t| self.build_as(t, o, &loc, depth))
    }

    fn build_as(&self, t: &str, o: &Obj, loc: &Option<String>, depth: usize) -> Option<Json> {
        match t {
            "null" => Some(Json::Null),
            "boolean" => Some(Json::Bool(true)),
            "string" => string(o).map(Json::String),
            "integer" => number(o, true),
            "number" => number(o, false),
            "array" => self.array(o, loc, depth),
            "object" => self.object(o, loc, depth),
            _ => None,
        }
    }

    fn array(&self, o: &Obj, loc: &Option<String>, depth: usize) -> Option<Json> {
        let min = usize_of(o, "minItems").unwrap_or(0);
        let max = usize_of(o, "maxItems").unwrap_or(usize::MAX);
        // One item shows the item's shape; more only when the schema asks for them.
        let n = if min > 0 { min } else { max.min(1) };
        if n > MAX_FILL || n > max {
            return None;
        }
        let mut items = Vec::with_capacity(n);
        match o.get("items") {
            Some(Json::Array(tuple)) => {
                for i in 0..n {
                    let item = match (tuple.get(i), o.get("additionalItems")) {
                        (Some(s), _) => {
                            self.build(s, at(loc, &["items", &i.to_string()]), depth + 1)
                        }
                        (None, Some(s)) => self.build(s, at(loc, &["additionalItems"]), depth + 1),
                        (None, None) => Some(json!({})),
                    };
                    items.push(item?);
                }
            }
            Some(s) => {
                if n > 0 {
                    let item = self.build(s, at(loc, &["items"]), depth + 1)?;
                    items.resize(n, item);
                }
            }
            None => items.resize(n, json!({})),
        }
        Some(Json::Array(items))
    }

    fn object(&self, o: &Obj, loc: &Option<String>, depth: usize) -> Option<Json> {
        let required = walk::required(o);
        let mut out = Map::new();
        if let Some(props) = walk::properties(o) {
            for (k, ps) in props {
                let needed = required.contains(&k.as_str());
                let shown = needed || (self.optional && depth < OPTIONAL_DEPTH);
                if !shown {
                    continue;
                }
                match self.build(ps, at(loc, &["properties", k]), depth + 1) {
                    Some(v) => {
                        out.insert(k.clone(), v);
                    }
                    None if needed => return None,
                    None => {}
                }
            }
        }
        // Required but not declared: the schema of undeclared properties decides.
        for k in required {
            if !out.contains_key(k) {
                let v = self.undeclared(o, k, loc, depth)?;
                out.insert(k.to_string(), v);
            }
        }
        let min = usize_of(o, "minProperties").unwrap_or(0);
        if min > MAX_FILL {
            return None;
        }
        let mut i = 1;
        while out.len() < min {
            let k = format!("property{i}");
            if !out.contains_key(&k) {
                let v = self.undeclared(o, &k, loc, depth)?;
                out.insert(k, v);
            }
            i += 1;
        }
        Some(Json::Object(out))
    }

    /// A value for an undeclared property `k`: by the first `patternProperties` entry that
    /// matches it, else by `additionalProperties`.
    fn undeclared(&self, o: &Obj, k: &str, loc: &Option<String>, depth: usize) -> Option<Json> {
        if let Some(patterns) = o.get("patternProperties").and_then(Json::as_object) {
            for (p, s) in patterns {
                if regex::Regex::new(p).is_ok_and(|r| r.is_match(k)) {
                    return self.build(s, at(loc, &["patternProperties", p]), depth + 1);
                }
            }
        }
        match o.get("additionalProperties") {
            Some(s) => self.build(s, at(loc, &["additionalProperties"]), depth + 1),
            None => Some(json!({})),
        }
    }

    /// Does the schema at `loc` accept `v`? Unknown when the location is not in the document,
    /// when the checks are used up, or for drafts where `$ref` has siblings (the sample as a
    /// whole is checked in the end anyway).
    fn fits(&self, loc: &Option<String>, v: &Json) -> bool {
        let Some(loc) = loc else {
            return true;
        };
        let raw = self.schema.raw();
        if loc.is_empty() {
            return self.schema.is_valid(v);
        }
        let left = self.checks.get();
        let Json::Object(root) = raw else {
            return true;
        };
        if left == 0 || !ref_siblings_ignored(raw) {
            return true;
        }
        self.checks.set(left - 1);
        // The whole document (its definitions resolve), with a `$ref` to the location, which in
        // drafts 4 to 7 replaces the root's own keywords.
        let mut doc = root.clone();
        doc.insert("$ref".into(), Json::String(format!("#{}", fragment(loc))));
        compile(&Json::Object(doc)).map_or(true, |validator| validator.is_valid(v))
    }
}

/// A JSON pointer as a URI fragment (percent-encoded).
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The type a schema without `type` constrains, from its keywords.
fn inferred_type(o: &Obj) -> Option<&'static str> {
    let has = |keys: &[&str]| keys.iter().any(|k| o.contains_key(*k));
    if has(&[
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "minProperties",
        "maxProperties",
    ]) {
        Some("object")
    } else if has(&["items", "minItems", "maxItems", "contains", "uniqueItems"]) {
        Some("array")
    } else if has(&["minLength", "maxLength", "pattern", "format"]) {
        Some("string")
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        Some("number")
    } else {
        None
    }
}

fn without(o: &Obj, key: &str) -> Obj {
    let mut out = o.clone();
    out.shift_remove(key);
    out
}

/// The keywords of two schemas that must both hold, as one schema (as far as the sample
/// needs: properties and `required` united, bounds tightened, types intersected; other
/// conflicts keep `a`'s, and the final check has the last word).
fn merge(a: &Obj, b: &Obj) -> Obj {
    let mut out = a.clone();
    for (k, bv) in b {
        let Some(av) = out.get(k) else {
            out.insert(k.clone(), bv.clone());
            continue;
        };
        let merged = match (k.as_str(), av, bv) {
            ("properties", Json::Object(pa), Json::Object(pb)) => {
                let mut props = pa.clone();
                for (name, s) in pb {
                    let s = match pa.get(name) {
                        Some(sa) => json!({"allOf": [sa, s]}),
                        None => s.clone(),
                    };
                    props.insert(name.clone(), s);
                }
                Json::Object(props)
            }
            ("required", Json::Array(ra), Json::Array(rb)) => {
                let mut all = ra.clone();
                all.extend(rb.iter().filter(|r| !ra.contains(r)).cloned());
                Json::Array(all)
            }
            ("type", ta, tb) => intersect_types(ta, tb),
            ("allOf", Json::Array(ma), Json::Array(mb)) => {
                Json::Array(ma.iter().chain(mb).cloned().collect())
            }
            ("anyOf" | "oneOf", _, _) => {
                let mut all_of = out
                    .get("allOf")
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default();
                all_of.push(json!({ k.as_str(): bv }));
                out.insert("allOf".into(), Json::Array(all_of));
                continue;
            }
            (
                "minimum" | "exclusiveMinimum" | "minLength" | "minItems" | "minProperties",
                Json::Number(x),
                Json::Number(y),
            ) => bound(x, y, f64::max),
            (
                "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" | "maxProperties",
                Json::Number(x),
                Json::Number(y),
            ) => bound(x, y, f64::min),
            _ => continue,
        };
        out.insert(k.clone(), merged);
    }
    out
}

fn bound(x: &Number, y: &Number, pick: fn(f64, f64) -> f64) -> Json {
    match (x.as_f64(), y.as_f64()) {
        (Some(a), Some(b)) if pick(a, b) == b => Json::Number(y.clone()),
        _ => Json::Number(x.clone()),
    }
}

fn intersect_types(a: &Json, b: &Json) -> Json {
    let names = |t: &Json| -> Vec<String> {
        match t {
            Json::String(s) => vec![s.clone()],
            Json::Array(ts) => ts
                .iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    };
    let (ta, tb) = (names(a), names(b));
    let mut out: Vec<Json> = Vec::new();
    for t in &ta {
        let both = if tb.contains(t) {
            Some(t.as_str())
        } else if (t == "integer" && tb.iter().any(|x| x == "number"))
            || (t == "number" && tb.iter().any(|x| x == "integer"))
        {
            Some("integer")
        } else {
            None
        };
        if let Some(x) = both {
            let x = Json::String(x.to_string());
            if !out.contains(&x) {
                out.push(x);
            }
        }
    }
    Json::Array(out)
}

/// A string within the length bounds: by the `pattern`, else the `format`, else `text`.
fn string(o: &Obj) -> Option<String> {
    let min = usize_of(o, "minLength").unwrap_or(0);
    let max = usize_of(o, "maxLength").unwrap_or(usize::MAX);
    if min > max {
        return None;
    }
    if let Some(p) = o.get("pattern").and_then(Json::as_str) {
        return from_pattern(p, min, max);
    }
    if let Some(f) = o.get("format").and_then(Json::as_str) {
        if let Some(s) = for_format(f) {
            let n = s.chars().count();
            return (min..=max).contains(&n).then(|| s.to_string());
        }
    }
    let mut s: String = "text".chars().take(max).collect();
    while s.chars().count() < min {
        s.push('x');
    }
    Some(s)
}

/// A valid value of each format the validator checks.
fn for_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-01T12:00:00Z",
        "date" => "2024-01-01",
        "time" => "12:00:00Z",
        "duration" => "P1D",
        "email" | "idn-email" => "user@example.com",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "uri" | "iri" | "uri-reference" | "iri-reference" => "https://example.com/",
        "uri-template" => "https://example.com/{id}",
        "uuid" => "123e4567-e89b-42d3-a456-426614174000",
        "json-pointer" => "/a",
        "relative-json-pointer" => "0",
        "regex" => ".*",
        _ => return None,
    })
}

/// A string the pattern matches (JSON Schema patterns are unanchored) within the length
/// bounds: repetitions taken a growing number of times past their minimum, then padding.
fn from_pattern(pattern: &str, min: usize, max: usize) -> Option<String> {
    let regex = regex::Regex::new(pattern).ok()?;
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let fits = |s: &str| (min..=max).contains(&s.chars().count()) && regex.is_match(s);
    for extra in (0..=16).chain([21, 34, 64]) {
        let mut s = String::new();
        if !generate(&hir, extra, &mut s) {
            return None;
        }
        if fits(&s) {
            return Some(s);
        }
        if s.chars().count() < min {
            // An unanchored pattern also matches with text around the match.
            let pad = "x".repeat(min - s.chars().count());
            for padded in [format!("{s}{pad}"), format!("{pad}{s}")] {
                if fits(&padded) {
                    return Some(padded);
                }
            }
        }
    }
    None
}

/// Appends a string `hir` matches; repetitions `extra` times past their minimum (within their
/// maximum). `false` when nothing matches (an empty class) or the text gets too long.
fn generate(hir: &Hir, extra: u32, out: &mut String) -> bool {
    if out.len() > MAX_PATTERN_TEXT {
        return false;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(class) => match pick(class) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        },
        HirKind::Repetition(r) => {
            let n = r.min.saturating_add(extra);
            let n = r.max.map_or(n, |max| n.min(max));
            (0..n).all(|_| generate(&r.sub, extra, out))
        }
        HirKind::Capture(c) => generate(&c.sub, extra, out),
        HirKind::Concat(parts) => parts.iter().all(|p| generate(p, extra, out)),
        HirKind::Alternation(alts) => alts.first().is_some_and(|a| generate(a, extra, out)),
    }
}

/// A readable character of a class: a letter, digit or printable ASCII if it has one.
fn pick(class: &Class) -> Option<char> {
    const READABLE: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.@";
    match class {
        Class::Unicode(c) => {
            let ranges = c.ranges();
            let has = |ch: char| ranges.iter().any(|r| r.start() <= ch && ch <= r.end());
            READABLE
                .chars()
                .chain('!'..='~')
                .find(|ch| has(*ch))
                .or_else(|| ranges.iter().map(|r| r.start()).find(|ch| !ch.is_control()))
                .or_else(|| ranges.first().map(|r| r.start()))
        }
        Class::Bytes(c) => {
            let ranges = c.ranges();
            let has = |b: u8| ranges.iter().any(|r| r.start() <= b && b <= r.end());
            READABLE
                .bytes()
                .chain(b'!'..=b'~')
                .find(|b| has(*b))
                .or_else(|| ranges.iter().map(|r| r.start()).find(u8::is_ascii))
                .map(char::from)
        }
    }
}

/// A number within the bounds (`minimum`, `maximum`, their exclusive forms in both the draft 4
/// and the later spelling, `multipleOf`): 1.5 or 1 when allowed, else one near a bound.
fn number(o: &Obj, integer: bool) -> Option<Json> {
    let f = |k: &str| o.get(k).and_then(Json::as_f64);
    let (mut lo, mut lo_open) = (f("minimum"), false);
    let (mut hi, mut hi_open) = (f("maximum"), false);
    match o.get("exclusiveMinimum") {
        Some(Json::Bool(true)) => lo_open = true,
        Some(Json::Number(n)) => {
            if let Some(x) = n.as_f64() {
                if lo.is_none_or(|l| x >= l) {
                    (lo, lo_open) = (Some(x), true);
                }
            }
        }
        _ => {}
    }
    match o.get("exclusiveMaximum") {
        Some(Json::Bool(true)) => hi_open = true,
        Some(Json::Number(n)) => {
            if let Some(x) = n.as_f64() {
                if hi.is_none_or(|h| x <= h) {
                    (hi, hi_open) = (Some(x), true);
                }
            }
        }
        _ => {}
    }
    let step = f("multipleOf").filter(|m| *m > 0.0 && m.is_finite());
    let ok = |v: f64| {
        v.is_finite()
            && lo.is_none_or(|l| if lo_open { v > l } else { v >= l })
            && hi.is_none_or(|h| if hi_open { v < h } else { v <= h })
            && (!integer || v.fract() == 0.0)
            && step.is_none_or(|m| {
                let q = v / m;
                (q - q.round()).abs() < 1e-9
            })
    };
    let mut candidates: Vec<f64> = if integer {
        vec![1.0, 0.0]
    } else {
        vec![1.5, 1.0, 0.0]
    };
    if let Some(l) = lo {
        candidates.extend([l, l.ceil(), l + 1.0, l.floor() + 1.0, l + 0.5]);
    }
    if let Some(h) = hi {
        candidates.extend([h, h.floor(), h - 1.0, h.ceil() - 1.0, h - 0.5]);
    }
    if let (Some(l), Some(h)) = (lo, hi) {
        let mid = l / 2.0 + h / 2.0;
        candidates.extend([mid, mid.floor(), mid.ceil()]);
    }
    if let Some(m) = step {
        candidates.push(m);
        if let Some(l) = lo {
            let k = (l / m).ceil();
            candidates.extend([k * m, (k + 1.0) * m]);
        }
        if let Some(h) = hi {
            let k = (h / m).floor();
            candidates.extend([k * m, (k - 1.0) * m]);
        }
    }
    let v = candidates.into_iter().find(|v| ok(*v))?;
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Some(Json::from(v as i64))
    } else {
        Number::from_f64(v).map(Json::Number)
    }
}
