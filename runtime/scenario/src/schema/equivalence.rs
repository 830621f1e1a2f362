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
