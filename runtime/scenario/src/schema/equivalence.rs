//! The one-pass decoder and the encode plan against the paths they replace: same values,
//! same errors, for the schemas of the schema tests, the example scenarios, mutations of
//! their inputs, and hostile bytes.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::{json, Value as Json};

use super::*;

fn parsed(j: &Json) -> Arc<JsonSchema> {
    Arc::new(JsonSchema::parse("inputSchema", &j.to_string()).expect("valid schema"))
}

/// Debug text distinguishes what `==` may not (an Int from an equal Long, map order).
fn shown(r: &Result<scenic_spel::Value, DecodeError>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(DecodeError::Malformed(e)) => format!("malformed {e} at {}:{}", e.line(), e.column()),
        Err(DecodeError::Invalid(v)) => format!("invalid {v:?}"),
    }
}

/// Both paths over `bytes`; true when the one-pass decoder answered by itself.
fn same(d: &Decoder, bytes: &[u8]) -> bool {
    let fast = d.decode(bytes);
    let slow = d.decode_slow(bytes);
    assert_eq!(
        shown(&fast),
        shown(&slow),
        "input {:?} schema {}",
        String::from_utf8_lossy(bytes),
        d.schema().raw()
    );
    d.answered_in_one_pass(bytes)
}

/// The document and variants of it: each field of each object dropped, nulled, replaced by
/// values of other kinds, and each array emptied and doubled.
fn variants(doc: &Json) -> Vec<Json> {
    let mut out = vec![doc.clone()];
    let replacements = [
        json!(null),
        json!("x"),
        json!(""),
        json!(1),
        json!(-7),
        json!(2.5),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(true),
        json!([]),
        json!({}),
        json!("2020-02-29"),
        json!("10:15:30+01:00"),
        json!("2020-01-01T10:00:00Z"),
    ];
    fn paths(j: &Json, at: &mut Vec<Json>, out: &mut Vec<Vec<Json>>) {
        match j {
            Json::Object(o) => {
                for (k, v) in o {
                    at.push(Json::String(k.clone()));
                    out.push(at.clone());
                    paths(v, at, out);
                    at.pop();
                }
            }
            Json::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    at.push(json!(i));
                    out.push(at.clone());
                    paths(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    fn slot<'a>(j: &'a mut Json, path: &[Json]) -> Option<&'a mut Json> {
        let mut cur = j;
        for p in path {
            cur = match p {
                Json::String(k) => cur.as_object_mut()?.get_mut(k)?,
                Json::Number(i) => cur.as_array_mut()?.get_mut(i.as_u64()? as usize)?,
                _ => return None,
            };
        }
        Some(cur)
    }
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    for path in &all {
        for r in &replacements {
            let mut v = doc.clone();
            if let Some(s) = slot(&mut v, path) {
                *s = r.clone();
                out.push(v);
            }
        }
        let (last, parent) = path.split_last().expect("non-empty path");
        let mut v = doc.clone();
        if let (Some(Json::Object(o)), Json::String(k)) = (slot(&mut v, parent), last) {
            o.shift_remove(k);
            out.push(v);
        }
        let mut v = doc.clone();
        if let Some(Json::Array(a)) = slot(&mut v, path) {
            let copy = a.clone();
            a.extend(copy);
            out.push(v.clone());
            if let Some(Json::Array(a)) = slot(&mut v, path) {
                a.clear();
            }
            out.push(v);
        }
    }
    let mut extra = doc.clone();
    if let Json::Object(o) = &mut extra {
        o.insert("undeclared".into(), json!({"n": [1, 2.5, "s", null]}));
        out.push(extra);
    }
    out.extend(replacements);
    out
}

/// Text no JSON value serializes to: duplicate keys, bad UTF-8, trailing text, depth.
fn hostile(doc: &Json) -> Vec<Vec<u8>> {
    let text = doc.to_string();
    let mut out: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"   ".to_vec(),
        b"{".to_vec(),
        b"nul".to_vec(),
        format!("{text} x").into_bytes(),
        format!("{text}{text}").into_bytes(),
        format!(" {text} \n").into_bytes(),
        "[".repeat(200).into_bytes(),
        format!("{}1{}", "[".repeat(127), "]".repeat(127)).into_bytes(),
        format!("{}1{}", "[".repeat(129), "]".repeat(129)).into_bytes(),
        format!("{}{}", "{\"a\":".repeat(130), "}".repeat(130)).into_bytes(),
        b"1e400".to_vec(),
        b"123456789012345678901234567890".to_vec(),
        b"-0".to_vec(),
        b"\"\xff\"".to_vec(),
        b"{\"a\xff\": 1}".to_vec(),
        b"\"\\ud800\"".to_vec(),
    ];
    if let Json::Object(o) = doc {
        for (k, v) in o {
            // The same key twice, with the same and with another value.
            let key = Json::String(k.clone());
            let body = &text[1..];
            out.push(format!("{{{key}: {v}, {body}").into_bytes());
            out.push(format!("{{{key}: null, {body}").into_bytes());
            out.push(format!("{{{key}: 123456789012345678901234567890, {body}").into_bytes());
            // The key spelled with an escape: the same key to JSON.
            let escaped = k
                .chars()
                .next()
                .map(|c| format!("\"\\u{:04x}{}\"", c as u32, &k[c.len_utf8()..]));
            if let Some(e) = escaped {
                out.push(format!("{{{e}: {v}}}").into_bytes());
                out.push(format!("{{{e}: {v}, {body}").into_bytes());
            }
        }
        let mut cut = text.clone().into_bytes();
        cut.truncate(cut.len() / 2);
        out.push(cut);
        let mut bad = text.clone().into_bytes();
        if let Some(b) = bad.iter_mut().find(|b| b.is_ascii_lowercase()) {
            *b = 0xC3;
        }
        out.push(bad);
    }
    out
}

fn check_all(schema: &Json, docs: &[Json]) -> (usize, usize) {
    let d = Decoder::compile(&parsed(schema));
    let (mut fast, mut total) = (0, 0);
    for doc in docs {
        for v in variants(doc) {
            total += 1;
            fast += usize::from(same(&d, &serde_json::to_vec(&v).expect("bytes")));
        }
        for bytes in hostile(doc) {
            total += 1;
            fast += usize::from(same(&d, &bytes));
        }
    }
    (fast, total)
}

fn table() -> Vec<(Json, Vec<Json>, bool)> {
    vec![
        (
            json!({"type": "object", "properties": {
                "customerId": {"type": "string"},
                "location": {"type": "object", "properties": {"city": {"type": "string"}, "street": {"type": "string"}}},
                "requestType": {"type": "string", "enum": ["loan", "mortgage", "insurance"]},
                "requestedAmount": {"type": "integer"}},
                "required": ["customerId", "requestType"]}),
            vec![
                json!({"customerId": "c-1", "location": {"city": "Warszawa", "street": "x"}, "requestType": "loan", "requestedAmount": 1000}),
            ],
            true,
        ),
        (
            json!({
                "type": "object",
                "properties": {
                    "city": {"type": "string", "default": "Warsaw"},
                    "name": {"type": "string"},
                    "address": {"type": "object", "properties": {
                        "street": {"type": "string", "default": "Main"}, "zip": {"type": "string"}}},
                    "items": {"type": "array", "items": {"type": "object",
                        "properties": {"qty": {"type": "integer", "default": 1}}}},
                    "settings": {"type": "object",
                        "properties": {"mode": {"type": "string", "default": "fast"}}, "default": {}}
                }
            }),
            vec![
                json!({"name": "x", "address": {"zip": "00-001"}, "items": [{}, {"qty": 5}]}),
                json!({}),
            ],
            true,
        ),
        (
            json!({"type": "object", "properties": {
                "count": {"type": "integer"},
                "small": {"type": "integer", "minimum": 0, "maximum": 100},
                "amount": {"type": "number"},
                "ratio": {"type": "number", "format": "double"},
                "at": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "clock": {"type": "string", "format": "time"},
                "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
                "maybe": {"type": ["string", "null"]},
                "flag": {"type": "boolean"},
                "big": {"type": "integer", "format": "int64"},
                "huge": {"type": "number", "format": "bigdecimal"}}}),
            vec![
                json!({"name": "n", "count": 7, "small": 3, "amount": 12.5, "ratio": 2,
                "at": "2020-01-01T10:00:00+01:00", "day": "2020-02-29", "clock": "10:15:30Z",
                "maybe": null, "flag": true, "big": -5, "huge": 1.25}),
            ],
            true,
        ),
        (
            json!({"type": "object", "additionalProperties": false, "required": ["a"],
                   "properties": {"a": {"type": "integer", "format": "int32"}, "b": {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 3}}}),
            vec![json!({"a": 1, "b": [1, 2.5]})],
            true,
        ),
        (
            json!({"$defs": {"a b": {"type": "string", "default": "d"}}, "definitions": {"a/b": {"type": "integer"}},
                   "type": "object", "properties": {"s": {"$ref": "#/$defs/a%20b"}, "i": {"$ref": "#/definitions/a~1b"}}}),
            vec![json!({"s": "x", "i": 3})],
            true,
        ),
        (
            json!({"type": "array", "items": {"type": "integer", "format": "int32"}}),
            vec![json!([1, 2])],
            true,
        ),
        (
            json!(true),
            vec![json!({"a": [1, 2.5, "x", null, {"b": false}]})],
            true,
        ),
        (
            json!({}),
            vec![json!([1, {"a": 18446744073709551615u64}])],
            true,
        ),
        (
            json!({"type": "string", "format": "email"}),
            vec![json!("a@b.pl")],
            true,
        ),
        (
            json!({"type": "string", "enum": ["a", "b"]}),
            vec![json!("a")],
            true,
        ),
        (
            json!({"type": "integer", "enum": [1, 2]}),
            vec![json!(1)],
            true,
        ),
        (
            json!({"type": "number", "multipleOf": 0.5, "exclusiveMinimum": 0}),
            vec![json!(1.5)],
            true,
        ),
        // Not handled in one pass: the old path answers every input.
        (
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            vec![json!(5), json!("5")],
            false,
        ),
        (
            json!({"definitions": {"node": {"type": "object", "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/definitions/node"}}}},
                   "$ref": "#/definitions/node"}),
            vec![json!({"v": 1, "next": {"v": 2, "next": {}}})],
            false,
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}),
            vec![json!({"a": "x", "b": 1})],
            false,
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [{"required": ["a"]}]}),
            vec![json!({"a": "x"})],
            false,
        ),
    ]
}

#[test]
fn one_pass_decoding_equals_the_old_path_on_the_schema_tests() {
    for (schema, docs, one_pass) in table() {
        let d = Decoder::compile(&parsed(&schema));
        assert_eq!(d.is_one_pass(), one_pass, "{schema}");
        let (fast, total) = check_all(&schema, &docs);
        if one_pass {
            // Valid variants are answered without the old path.
            assert!(
                fast > 0,
                "{schema}: none of {total} inputs decoded in one pass"
            );
        } else {
            assert_eq!(fast, 0);
        }
    }
}

fn example_scenarios() -> Vec<(std::path::PathBuf, Json, Vec<Json>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let Ok(scenario) =
            serde_json::from_str::<Json>(&std::fs::read_to_string(&p).unwrap_or_default())
        else {
            continue;
        };
        let Some(text) =
            scenario["metaData"]["additionalFields"]["properties"]["inputSchema"].as_str()
        else {
            continue;
        };
        let schema: Json = serde_json::from_str(text).expect("schema JSON");
        let samples = p.with_file_name(name.replace(".json", ".samples.jsonl"));
        let docs = std::fs::read_to_string(samples)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        out.push((p, schema, docs));
    }
    out
}

#[test]
fn one_pass_decoding_equals_the_old_path_on_the_example_scenarios() {
    let examples = example_scenarios();
    assert!(!examples.is_empty(), "no example scenarios found");
    for (path, schema, docs) in examples {
        assert!(!docs.is_empty(), "{}: no samples", path.display());
        let d = Decoder::compile(&parsed(&schema));
        let (fast, total) = check_all(&schema, &docs);
        eprintln!(
            "{}: one pass {} ({fast} of {total} inputs answered by it)",
            path.display(),
            d.is_one_pass()
        );
        if d.is_one_pass() {
            // Every valid sample takes the one pass, none falls back to the old path.
            for doc in &docs {
                let bytes = serde_json::to_vec(doc).expect("bytes");
                if d.decode_slow(&bytes).is_ok() {
                    assert!(d.answered_in_one_pass(&bytes), "{}: {doc}", path.display());
                }
            }
            assert!(fast > 0);
        }
    }
}

fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Json::Number)),
        "[a-z~/%]{0,6}".prop_map(Json::String),
        Just(json!("loan")),
        Just(json!("2020-02-29")),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("customerId".to_string()),
                        Just("location".to_string()),
                        Just("city".to_string()),
                        Just("requestType".to_string()),
                        Just("requestedAmount".to_string()),
                        Just("qty".to_string()),
                        "[a-z]{1,3}"
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|kv| Json::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_json_and_bytes_decode_alike(doc in any_json(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        for (schema, _, _) in table().into_iter().take(6) {
            let d = Decoder::compile(&parsed(&schema));
            let bytes = serde_json::to_vec(&doc).expect("bytes");
            same(&d, &bytes);
            // The same text with one byte replaced: mostly malformed, sometimes another value.
            let mut changed = bytes.clone();
            let i = cut.index(changed.len().max(1));
            if let Some(b) = changed.get_mut(i) {
                *b = byte;
            }
            same(&d, &changed);
        }
    }
}

// ---- the encode plan ----

fn output(j: &Json) -> Arc<JsonSchema> {
    Arc::new(JsonSchema::parse("outputSchema", &j.to_string()).expect("valid schema"))
}

/// The plan's bytes against `serde_json::to_vec` of the old path's JSON, errors included;
/// true when the plan answered by itself.
fn encodes_alike(p: &EncodePlan, schema: &JsonSchema, v: &scenic_spel::Value) -> bool {
    let mut fast = b"prefix".to_vec();
    let fast = p.encode(v, &mut fast).map(|()| fast);
    let slow = schema.encode_output(v).map(|j| {
        let mut out = b"prefix".to_vec();
        out.extend(serde_json::to_vec(&j).expect("bytes"));
        out
    });
    let show = |r: &Result<Vec<u8>, Vec<Violation>>| match r {
        Ok(b) => format!("ok {}", String::from_utf8_lossy(b)),
        Err(v) => format!("err {v:?}"),
    };
    assert_eq!(
        show(&fast),
        show(&slow),
        "value {v:?} schema {}",
        schema.raw()
    );
    p.answered_in_one_pass(v)
}

/// Output schemas: what the plan compiles and what it leaves to the old path.
fn output_schemas() -> Vec<(Json, bool)> {
    vec![
        (json!(true), true),
        (json!({}), true),
        (json!({"type": "string"}), true),
        (json!({"type": ["string", "null"]}), true),
        (json!({"type": "string", "enum": ["A", "B"]}), true),
        (json!({"type": "string", "enum": ["A", null]}), false),
        (
            json!({"type": "integer", "minimum": 0, "maximum": 100}),
            true,
        ),
        (json!({"type": "number", "exclusiveMinimum": 0.5}), true),
        (json!({"type": "string", "format": "date"}), false),
        (json!({"type": "string", "minLength": 2}), false),
        (json!({"type": ["string", "integer"]}), false),
        (
            json!({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "string"}},
                   "required": ["a"], "additionalProperties": false}),
            true,
        ),
        (
            json!({"type": "object", "properties": {"z": {"type": ["integer", "null"]}, "a": {}, "m": {"type": "boolean", "default": true}},
                   "required": ["z", "a"]}),
            true,
        ),
        (
            json!({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object",
                   "properties": {"sku": {"type": "string"}, "q": {"type": "integer"}}, "required": ["sku"]}}}}),
            true,
        ),
        (json!({"type": "array"}), true),
        (
            json!({"type": "array", "items": [{"type": "string"}]}),
            false,
        ),
        (
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"x": {"type": "string"}},
                   "type": "object", "properties": {"x": {"$ref": "#/definitions/x"}}}),
            false,
        ),
        (
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "number",
                   "minimum": 1, "exclusiveMinimum": true}),
            false,
        ),
    ]
}

/// Values of every kind the plan meets, and some it leaves to the old path.
fn output_values() -> Vec<scenic_spel::Value> {
    use scenic_spel::Value;
    let map = |kv: Vec<(&str, Value)>| {
        let mut m = Value::new_map();
        for (k, v) in kv {
            m.insert(Value::str(k), v);
        }
        Value::map(m)
    };
    let scalars = vec![
        Value::Null,
        Value::str("A"),
        Value::str("C"),
        Value::str("quote \" and \u{1} and ł"),
        Value::Char('x'),
        Value::Int(0),
        Value::Int(-3),
        Value::Long(100),
        Value::Long(101),
        Value::Long(i64::MAX),
        Value::Double(0.5),
        Value::Double(2.25),
        Value::Double(42.0),
        Value::Double(f64::NAN),
        Value::Double(f64::INFINITY),
        Value::Float(0.3),
        Value::Bool(true),
    ];
    let mut out = scalars.clone();
    out.push(Value::list(scalars.clone()));
    out.push(Value::list(vec![]));
    for s in &scalars {
        out.push(map(vec![("a", s.clone()), ("b", Value::str("x"))]));
        out.push(map(vec![("b", s.clone())]));
        out.push(map(vec![
            ("z", s.clone()),
            ("a", s.clone()),
            ("extra", Value::Int(1)),
        ]));
        out.push(map(vec![("z", s.clone()), ("a", s.clone())]));
        out.push(map(vec![(
            "items",
            Value::list(vec![
                map(vec![("sku", s.clone()), ("q", Value::Int(2))]),
                map(vec![("q", s.clone()), ("sku", Value::str("s"))]),
            ]),
        )]));
        out.push(map(vec![("x", s.clone())]));
    }
    out.push(map(vec![]));
    let mut odd_key = Value::new_map();
    odd_key.insert(Value::Int(1), Value::Int(2));
    out.push(Value::map(odd_key));
    out
}

#[test]
fn the_encode_plan_writes_what_the_old_path_writes() {
    let values = output_values();
    for (schema, compiles) in output_schemas() {
        let s = output(&schema);
        let p = EncodePlan::compile(&s);
        assert_eq!(p.is_one_pass(), compiles, "{schema}");
        let fast = values.iter().filter(|v| encodes_alike(&p, &s, v)).count();
        if compiles {
            assert!(fast > 0, "{schema}: the plan never answered");
        }
    }
}

#[test]
fn the_encode_plan_answers_for_the_example_scenarios_expected_responses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).expect("examples/").flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !name.ends_with(".json") {
            continue;
        }
        let scenario: Json =
            serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("JSON");
        let Some(text) =
            scenario["metaData"]["additionalFields"]["properties"]["outputSchema"].as_str()
        else {
            continue;
        };
        let schema: Json = serde_json::from_str(text).expect("schema JSON");
        let s = output(&schema);
        let plan = EncodePlan::compile(&s);
        assert!(plan.is_one_pass(), "{}: {schema}", p.display());
        let expected =
            std::fs::read_to_string(p.with_file_name(name.replace(".json", ".expected.jsonl")))
                .unwrap_or_default();
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            let answer: Json = serde_json::from_str(line).expect("expected line");
            if answer["status"] != 200 {
                continue;
            }
            let v = scenic_spel::value::from_json_untyped(&answer["body"]);
            assert!(encodes_alike(&plan, &s, &v), "{}: {line}", p.display());
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} responses checked");
}

fn any_value() -> impl Strategy<Value = scenic_spel::Value> {
    use scenic_spel::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::Long),
        any::<f64>().prop_map(Value::Double),
        prop_oneof![
            Just("A".to_string()),
            Just("B".to_string()),
            "[a-z\"\\\\]{0,4}"
        ]
        .prop_map(Value::str),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::list),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("a"),
                        Just("b"),
                        Just("z"),
                        Just("m"),
                        Just("items"),
                        Just("sku"),
                        Just("q")
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|kv| {
                let mut m = Value::new_map();
                for (k, v) in kv {
                    m.insert(Value::str(k), v);
                }
                Value::map(m)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_values_encode_alike(v in any_value()) {
        for (schema, _) in output_schemas() {
            let s = output(&schema);
            encodes_alike(&EncodePlan::compile(&s), &s, &v);
        }
    }
}
