use scenic_spel::value::from_json_typed;
use scenic_spel::{parse_type, Class, Type, Value};
use serde_json::{json, Value as Json};

use super::*;

fn schema(j: Json) -> JsonSchema {
    JsonSchema::parse("inputSchema", &j.to_string()).expect("valid schema")
}

fn typed(j: Json, t: &str) -> Value {
    from_json_typed(&j, &parse_type(t).expect("type")).expect("typed value")
}

fn ty(t: &str) -> Type {
    parse_type(t).expect("type")
}

fn pointers(v: &[Violation]) -> Vec<&str> {
    v.iter().map(|v| v.pointer.as_str()).collect()
}

// ---- parsing ----

#[test]
fn parses_true_and_reports_bad_text_with_the_reference_shape() {
    let any = JsonSchema::parse("inputSchema", "true").expect("true is a schema");
    assert!(any.static_type().is_unknown());
    assert!(any.accepts_anything());
    assert_eq!(
        any.decode_input(json!({"a": [1]})).expect("any value"),
        typed(json!({"a": [1]}), "Record{a: List[Integer]}")
    );

    let err = JsonSchema::parse("inputSchema", "{not json").expect_err("bad json");
    let msg = err.to_string();
    assert!(
        msg.starts_with("Error at parsing \"inputSchema\": "),
        "{msg}"
    );
    let err = JsonSchema::parse("outputSchema", r#"{"type": 5}"#).expect_err("bad schema");
    assert!(
        err.to_string()
            .starts_with("Error at parsing \"outputSchema\": "),
        "{err}"
    );
    assert!(JsonSchema::parse("inputSchema", "12").is_err());
    assert_eq!(
        SchemaError::missing("inputSchema").to_string(),
        "Missing \"inputSchema\" property."
    );
}

#[test]
fn unknown_keywords_are_ignored_and_remote_refs_rejected() {
    // The shape of `rr.json`'s inputSchema.
    let s = JsonSchema::parse(
        "inputSchema",
        "{\n  \"a\": 1234567890,\n  \"b\": \"string\"\n}",
    )
    .expect("unknown keywords are fine");
    assert!(s.is_valid(&json!(17)));
    assert!(JsonSchema::parse(
        "inputSchema",
        r#"{"$ref": "http://example.com/schemas/other.json"}"#
    )
    .is_err());
}

#[test]
fn draft_7_by_default_and_schema_keyword_honoured() {
    // `prefixItems` only means something in 2020-12.
    let s = json!({"type": "array", "prefixItems": [{"type": "integer"}]});
    assert!(schema(s.clone()).is_valid(&json!(["x"])));
    let mut with_draft = s;
    with_draft["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    assert!(!schema(with_draft).is_valid(&json!(["x"])));
    // Draft 7 `dependencies` works without `$schema`.
    let d = schema(json!({"dependencies": {"a": ["b"]}}));
    assert!(!d.is_valid(&json!({"a": 1})));
}

#[test]
fn compiled_schemas_are_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<JsonSchema>();
}

// ---- defaults ----

#[test]
fn defaults_fill_missing_properties_at_every_depth() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "city": {"type": "string", "default": "Warsaw"},
            "name": {"type": "string"},
            "address": {
                "type": "object",
                "properties": {
                    "street": {"type": "string", "default": "Main"},
                    "zip": {"type": "string"}
                }
            },
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"qty": {"type": "integer", "default": 1}}
                }
            },
            "settings": {
                "type": "object",
                "properties": {"mode": {"type": "string", "default": "fast"}},
                "default": {}
            }
        }
    }));
    let mut j = json!({"name": "x", "address": {"zip": "00-001"}, "items": [{}, {"qty": 5}]});
    s.apply_defaults(&mut j);
    assert_eq!(
        j,
        json!({
            "name": "x",
            "address": {"zip": "00-001", "street": "Main"},
            "items": [{"qty": 1}, {"qty": 5}],
            "city": "Warsaw",
            // An inserted default object gets its own defaults too.
            "settings": {"mode": "fast"}
        })
    );
    // Present values, even null, are kept.
    let mut j = json!({"city": null});
    s.apply_defaults(&mut j);
    assert_eq!(j["city"], Json::Null);
}

#[test]
fn defaults_follow_refs_all_of_and_matching_any_of_members() {
    let s = schema(json!({
        "definitions": {
            "person": {
                "type": "object",
                "properties": {"country": {"type": "string", "default": "PL"}}
            },
            "level": {"type": "integer", "default": 3}
        },
        "allOf": [
            {"$ref": "#/definitions/person"},
            {"properties": {"level": {"$ref": "#/definitions/level"}}}
        ],
        "properties": {
            "friend": {"anyOf": [{"type": "null"}, {"$ref": "#/definitions/person"}]}
        }
    }));
    let mut j = json!({"friend": {}});
    s.apply_defaults(&mut j);
    assert_eq!(
        j,
        json!({"friend": {"country": "PL"}, "country": "PL", "level": 3})
    );
}

#[test]
fn decode_applies_defaults_before_validation() {
    let s = schema(json!({
        "type": "object",
        "properties": {"city": {"type": "string", "default": "Warsaw"}},
        "required": ["city"]
    }));
    let v = s
        .decode_input(json!({}))
        .expect("default satisfies required");
    assert_eq!(v, typed(json!({"city": "Warsaw"}), "Record{city: String}"));
}

// ---- violations ----

#[test]
fn all_violations_are_reported_with_pointers() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "productId": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "nested": {"type": "object", "properties": {"n": {"minimum": 5}}}
        },
        "required": ["name"]
    }));
    let errors = s
        .decode_input(json!({"productId": "abc", "tags": ["a", 2], "nested": {"n": 1}}))
        .expect_err("invalid");
    let mut ps = pointers(&errors);
    ps.sort();
    assert_eq!(ps, vec!["", "/nested/n", "/productId", "/tags/1"]);
    let product = errors
        .iter()
        .find(|v| v.pointer == "/productId")
        .expect("productId violation");
    assert_eq!(product.message, "\"abc\" is not of type \"integer\"");
    assert_eq!(
        product.to_string(),
        "#/productId: \"abc\" is not of type \"integer\""
    );
    let root = errors.iter().find(|v| v.pointer.is_empty()).expect("root");
    assert!(root.message.contains("\"name\""), "{}", root.message);

    let errors = s
        .decode_input(json!("Not a correct json"))
        .expect_err("string");
    assert_eq!(pointers(&errors), vec![""]);
}

#[test]
fn pointers_escape_special_keys() {
    let s = schema(json!({"type": "object", "additionalProperties": {"type": "integer"}}));
    let errors = s
        .decode_input(json!({"a/b": "x", "c~d": 1}))
        .expect_err("invalid");
    assert_eq!(pointers(&errors), vec!["/a~1b"]);
}

#[test]
fn violations_are_capped_with_a_count_of_the_rest() {
    assert_eq!(MAX_VIOLATIONS, 100);
    let s = schema(json!({"type": "array", "items": {"type": "string"}}));
    let many = Json::Array((0..10_000).map(|i| json!(i)).collect());
    let errors = s.decode_input(many.clone()).expect_err("10,000 violations");
    assert_eq!(errors.len(), 101);
    let (last, listed) = errors.split_last().expect("entries");
    assert!(listed.iter().all(|v| !v.is_omitted()));
    assert_eq!(listed[0].pointer, "/0");
    assert_eq!(listed[99].pointer, "/99");
    assert_eq!(listed[99].located(), "/99: 99 is not of type \"string\"");
    assert!(last.is_omitted());
    assert_eq!(last.pointer, "");
    assert_eq!(last.message, "... and 9900 more violations");
    assert_eq!(last.located(), "... and 9900 more violations");
    assert_eq!(last.to_string(), "... and 9900 more violations");

    // Exactly the cap: no summary entry.
    let hundred = Json::Array((0..100).map(|i| json!(i)).collect());
    let errors = s.decode_input(hundred).expect_err("100 violations");
    assert_eq!(errors.len(), 100);
    assert!(errors.iter().all(|v| !v.is_omitted()));

    // Output validation is capped too, and so are the encoder's own violations.
    assert_eq!(s.validate(&many).len(), 101);
    let ints = Value::list((0..10_000).map(Value::Int).collect());
    let errors = s.encode_output(&ints).expect_err("no strings");
    assert_eq!(errors.len(), 101);
    assert_eq!(
        errors.last().map(Violation::located).as_deref(),
        Some("... and 9900 more violations")
    );
}

#[test]
fn long_values_are_cut_in_messages() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "code": {"type": "string", "maxLength": 3},
            "count": {"type": "integer"},
            "object": {"type": "string"},
            "tuple": {"type": "array", "items": [{}], "additionalItems": false}
        }
    }));
    let long = "a".repeat(100_000);
    let extra: serde_json::Map<String, Json> = (0..10_000)
        .map(|i| (format!("unexpected-{i}"), json!(i)))
        .collect();
    let errors = s
        .decode_input(json!({"code": long, "count": long, "object": extra, "tuple": (0..10_000).collect::<Vec<_>>()}))
        .expect_err("invalid");
    assert_eq!(errors.len(), 4);
    for v in &errors {
        assert!(
            v.message.chars().count() <= MAX_MESSAGE + 1,
            "{} chars at {}",
            v.message.len(),
            v.pointer
        );
    }
    let message = |p: &str| {
        errors
            .iter()
            .find(|v| v.pointer == p)
            .map(|v| v.message.clone())
            .unwrap_or_default()
    };
    // The echoed value is cut to 200 characters (its JSON text), the rest of the message kept.
    let cut = format!("\"{}…", "a".repeat(MAX_ECHOED_VALUE - 1));
    assert_eq!(
        message("/count"),
        format!("{cut} is not of type \"integer\"")
    );
    assert_eq!(
        message("/code"),
        format!("{cut} is longer than 3 characters")
    );
    let object = message("/object");
    assert!(object.starts_with("{\"unexpected-0\":0,"), "{object}");
    assert!(object.ends_with("… is not of type \"string\""), "{object}");
    // A message listing many things is cut as a whole.
    let tuple = message("/tuple");
    assert!(
        tuple.starts_with("Additional items are not allowed (1, 2, "),
        "{tuple}"
    );
    assert!(tuple.ends_with('…'), "{tuple}");
    assert_eq!(tuple.chars().count(), MAX_MESSAGE + 1);
}

// ---- typed decoding ----

#[test]
fn decoding_follows_the_static_type() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "small": {"type": "integer", "minimum": 0, "maximum": 100},
            "amount": {"type": "number"},
            "ratio": {"type": "number", "format": "double"},
            "at": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "clock": {"type": "string", "format": "time"},
            "name": {"type": "string"}
        }
    }));
    assert_eq!(
        s.static_type().to_string(),
        "Record{amount: BigDecimal, at: ZonedDateTime, clock: LocalTime, count: Long, day: LocalDate, name: String, ratio: Double, small: Integer}"
    );
    // Input order differs from the declared order: the record follows the declaration.
    let v = s
        .decode_input(json!({
            "name": "n", "count": 7, "small": 3, "amount": 12.5, "ratio": 2,
            "at": "2020-01-01T10:00:00+01:00", "day": "2020-02-29", "clock": "10:15:30Z"
        }))
        .expect("valid");
    let Value::Map(m) = &v else {
        panic!("a map: {v:?}")
    };
    let keys: Vec<String> = m.keys().map(|k| k.to_java_string()).collect();
    assert_eq!(
        keys,
        ["count", "small", "amount", "ratio", "at", "day", "clock", "name"]
    );
    let get = |k: &str| m.get(&Value::str(k)).expect(k).clone();
    assert_eq!(get("count"), Value::Long(7));
    assert_eq!(get("small"), Value::Int(3));
    assert_eq!(get("amount").class(), Class::BigDecimal);
    assert_eq!(get("amount").to_java_string(), "12.5");
    assert_eq!(get("ratio"), Value::Double(2.0));
    assert_eq!(get("at").class(), Class::ZonedDateTime);
    assert_eq!(get("day").class(), Class::LocalDate);
    assert_eq!(get("clock").class(), Class::LocalTime);
    assert_eq!(get("clock").to_java_string(), "10:15:30");
}

#[test]
fn unconvertible_values_are_violations_with_pointers() {
    // A leap second passes the RFC 3339 format check but is no java.time value.
    let s = schema(json!({
        "type": "object",
        "properties": {"at": {"type": "string", "format": "date-time"}}
    }));
    let result = s.decode_input(json!({"at": "1990-12-31T23:59:60Z"}));
    let errors = result.expect_err("not a date-time");
    assert_eq!(pointers(&errors), vec!["/at"]);
    let errors = s
        .decode_input(json!({"at": "yesterday"}))
        .expect_err("format violation");
    assert_eq!(pointers(&errors), vec!["/at"]);
}

#[test]
fn top_level_arrays_and_unions() {
    let s = schema(json!({"type": "array", "items": {"type": "integer", "format": "int32"}}));
    assert_eq!(
        s.decode_input(json!([1, 2])).expect("valid"),
        Value::list(vec![Value::Int(1), Value::Int(2)])
    );
    let u = schema(json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
    assert_eq!(u.decode_input(json!(5)).expect("valid"), Value::Long(5));
    assert_eq!(u.decode_input(json!("5")).expect("valid"), Value::str("5"));
}

// ---- encoding ----

#[test]
fn encoding_sorts_keys_and_follows_additional_properties() {
    let open = schema(json!({
        "type": "object",
        "properties": {"b": {"type": "string"}, "a": {"type": "object"}}
    }));
    let v = typed(
        json!({"z": 1, "b": "x", "a": {"y": 1, "x": {"d": 1, "c": 2}}}),
        "Record{z: Integer, b: String, a: Record{y: Integer, x: Record{d: Integer, c: Integer}}}",
    );
    let out = open.encode_output(&v).expect("encodes");
    assert_eq!(
        out.to_string(),
        r#"{"a":{"x":{"c":2,"d":1},"y":1},"b":"x","z":1}"#
    );

    let closed = schema(json!({
        "type": "object",
        "properties": {"b": {"type": "string"}},
        "additionalProperties": false
    }));
    let out = closed.encode_output(&v).expect("extra fields dropped");
    assert_eq!(out, json!({"b": "x"}));

    let typed_extra = schema(json!({
        "type": "object",
        "additionalProperties": {"type": "integer"}
    }));
    let v = typed(json!({"n": 2.0}), "Record{n: Double}");
    assert_eq!(
        typed_extra.encode_output(&v).expect("2.0 is an integer"),
        json!({"n": 2})
    );
    let v = typed(json!({"n": 2.5}), "Record{n: Double}");
    let errors = typed_extra.encode_output(&v).expect_err("2.5 is not");
    assert_eq!(pointers(&errors), vec!["/n"]);
    assert_eq!(
        errors[0].message,
        "Field: 'n' value '2.5' is not an integer."
    );
}

#[test]
fn encoding_handles_nulls_defaults_and_missing_fields() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "opt": {"type": "string"},
            "nullable": {"type": ["string", "null"]},
            "withDefault": {"type": "integer", "default": 7},
            "req": {"type": "string"}
        },
        "required": ["withDefault", "req", "nullable"]
    }));
    let v = typed(
        json!({"opt": null, "req": "r"}),
        "Record{opt: String, req: String}",
    );
    assert_eq!(
        s.encode_output(&v).expect("encodes"),
        json!({"nullable": null, "req": "r", "withDefault": 7})
    );
    let v = typed(json!({"opt": "o"}), "Record{opt: String}");
    let errors = s.encode_output(&v).expect_err("req missing");
    assert_eq!(pointers(&errors), vec!["/req"]);
    assert!(
        errors[0]
            .message
            .starts_with("Missing property: req for schema"),
        "{}",
        errors[0].message
    );
}

#[test]
fn encoding_scalars_dates_decimals_and_combined_schemas() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "clock": {"type": "string", "format": "time"},
            "price": {"type": "number"},
            "either": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            "anything": {}
        }
    }));
    let v = typed(
        json!({
            "at": "2020-01-01T10:00:00+01:00[Europe/Warsaw]",
            "day": "2020-02-29",
            "clock": "10:15:30",
            "price": "12.50",
            "either": "text",
            "anything": {"b": [1, {"y": 1, "x": 2}], "a": null}
        }),
        "Record{at: ZonedDateTime, day: LocalDate, clock: LocalTime, price: BigDecimal, either: String, anything: Unknown}",
    );
    let out = s.encode_output(&v).expect("encodes");
    assert_eq!(
        out.to_string(),
        r#"{"anything":{"a":null,"b":[1,{"x":2,"y":1}]},"at":"2020-01-01T10:00:00+01:00","clock":"10:15:30Z","day":"2020-02-29","either":"text","price":12.5}"#
    );
    let errors = s
        .encode_output(&typed(json!({"day": true}), "Record{day: Boolean}"))
        .expect_err("a boolean is no date");
    assert_eq!(pointers(&errors), vec!["/day"]);
    assert!(
        errors[0]
            .message
            .starts_with("Not expected type: Boolean for field: 'day' with schema: "),
        "{}",
        errors[0].message
    );
}

#[test]
fn encoded_output_is_validated() {
    let s = schema(json!({
        "type": "object",
        "properties": {"n": {"type": "integer", "minimum": 10}, "s": {"maxLength": 2}}
    }));
    let errors = s
        .encode_output(&typed(
            json!({"n": 3, "s": "long"}),
            "Record{n: Integer, s: String}",
        ))
        .expect_err("too small");
    let mut ps = pointers(&errors);
    ps.sort();
    assert_eq!(ps, vec!["/n", "/s"]);
    let any = schema(json!({}));
    assert_eq!(
        any.encode_output(&Value::Long(3)).expect("anything"),
        json!(3)
    );
    let top = schema(json!({"type": "array", "items": {"type": "string"}}));
    assert_eq!(
        top.encode_output(&Value::list(vec![Value::str("a")]))
            .expect("a list"),
        json!(["a"])
    );
    assert!(top.encode_output(&Value::str("a")).is_err());
}

fn record(fields: &[(&str, Value)]) -> Value {
    let mut m = Value::map_with_capacity(fields.len());
    for (k, v) in fields {
        m.insert(Value::str(k), v.clone());
    }
    Value::map(m)
}

#[test]
fn numbers_without_a_json_number_are_null_where_allowed_else_a_named_error() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "price": {"type": "number"},
            "maybe": {"type": ["number", "null"]},
            "count": {"type": "integer"},
            "anything": {}
        }
    }));
    // Nullable and generic fields take `null` for NaN and infinities (the reference's circe
    // `fromDoubleOrNull`).
    let out = s
        .encode_output(&record(&[
            ("price", Value::Double(1.5)),
            ("maybe", Value::Double(f64::NAN)),
            ("anything", Value::Double(f64::NEG_INFINITY)),
        ]))
        .expect("encodes");
    assert_eq!(out, json!({"anything": null, "maybe": null, "price": 1.5}));
    // A field that must be a number: a violation that names it, never a panic.
    for (field, v, shown) in [
        (
            "price",
            Value::Double(f64::INFINITY),
            "Double value Infinity",
        ),
        ("price", Value::Double(f64::NAN), "Double value NaN"),
        (
            "price",
            Value::Float(f32::NEG_INFINITY),
            "Float value -Infinity",
        ),
        (
            "count",
            Value::Double(f64::INFINITY),
            "Double value Infinity",
        ),
    ] {
        let errors = s
            .encode_output(&record(&[(field, v)]))
            .expect_err("no JSON number");
        assert_eq!(pointers(&errors), vec![format!("/{field}")]);
        let located = errors[0].located();
        assert!(
            located.starts_with(&format!("/{field}: the {shown} has no JSON number")),
            "{located}"
        );
    }
    // A BigDecimal beyond a double's range has no JSON number either (serde_json's numbers are
    // doubles); up to it, it is written.
    let big = |text: &str| typed(json!({"price": text}), "Record{price: BigDecimal}");
    let errors = s.encode_output(&big("1e309")).expect_err("too big");
    assert_eq!(pointers(&errors), vec!["/price"]);
    assert!(
        errors[0].located().starts_with(
            "/price: the BigDecimal value 1e309 has no JSON number (it is beyond ±1.797"
        ),
        "{}",
        errors[0].message
    );
    assert_eq!(
        s.encode_output(&big("1e308")).expect("in range"),
        json!({"price": 1e308})
    );
    // At the root.
    let top = schema(json!({"type": "number"}));
    let errors = top
        .encode_output(&Value::Double(f64::INFINITY))
        .expect_err("no JSON number");
    assert!(
        errors[0]
            .located()
            .starts_with("#: the Double value Infinity has no JSON number"),
        "{}",
        errors[0].message
    );
}

// ---- samples ----

/// The sample of a schema, checked here too by a validator of its own.
fn sample(j: Json) -> Option<Json> {
    let v = schema(j.clone()).sample()?;
    let mut options = jsonschema::options();
    if j.get("$schema").is_none() {
        options = options.with_draft(jsonschema::Draft::Draft7);
    }
    let check = options
        .should_validate_formats(true)
        .build(&j)
        .expect("schema");
    assert!(check.is_valid(&v), "{v} does not fit {j}");
    Some(v)
}

fn chars(v: &Json) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

#[test]
fn samples_keep_lengths_bounds_and_required_fields() {
    // The fraud example's country codes (`text` used to be sent).
    let v = sample(json!({
        "type": "object",
        "properties": {
            "country": {"type": "string", "minLength": 2, "maxLength": 2},
            "code": {"type": "string", "minLength": 10},
            "tiny": {"type": "string", "maxLength": 1},
            "note": {"type": ["null", "string"]}
        },
        "required": ["country"],
        "additionalProperties": false
    }))
    .expect("a sample");
    assert_eq!(chars(&v["country"]), 2);
    assert!(chars(&v["code"]) >= 10);
    assert!(chars(&v["tiny"]) <= 1);
    assert!(v["note"].is_string(), "{v}");
    for (j, want) in [
        (json!({"type": "integer", "minimum": 5}), json!(5)),
        (json!({"type": "integer", "maximum": -3}), json!(-3)),
        (json!({"type": "number"}), json!(1.5)),
        (
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1}),
            json!(1),
        ),
        (json!({"type": "number", "exclusiveMinimum": 2}), json!(3)),
        (
            json!({"type": "number", "minimum": 0.1, "exclusiveMaximum": 0.2}),
            json!(0.1),
        ),
        (
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer",
                   "minimum": 1, "exclusiveMinimum": true}),
            json!(2),
        ),
        (
            json!({"type": "integer", "minimum": 7, "multipleOf": 5}),
            json!(10),
        ),
        (json!({"type": "boolean"}), json!(true)),
        (json!({"type": "null"}), json!(null)),
    ] {
        assert_eq!(sample(j.clone()), Some(want), "{j}");
    }
    // A written default or example is used when the schema accepts it.
    assert_eq!(
        sample(json!({"type": "integer", "default": 12})),
        Some(json!(12))
    );
    assert_eq!(
        sample(json!({"type": "integer", "minimum": 5, "default": 1})),
        Some(json!(5))
    );
    assert_eq!(
        sample(json!({"type": "string", "examples": ["PL-1"]})),
        Some(json!("PL-1"))
    );
}

#[test]
fn samples_match_patterns_and_formats() {
    for pattern in [
        r"^[A-Z]{2}-\d{4}$",
        r"^[a-z]+@[a-z]+\.com$",
        r"^(gold|silver)$",
        r"^\p{Lu}[^,]*$",
        r"[0-9]",
        r"^ab+c?$",
        r"^\w+(\.\w+)*$",
    ] {
        let v = sample(json!({"type": "string", "pattern": pattern}))
            .unwrap_or_else(|| panic!("a sample for {pattern}"));
        assert!(v.is_string(), "{pattern}: {v}");
    }
    assert_eq!(
        sample(json!({"type": "string", "pattern": "^a+$", "minLength": 5})),
        Some(json!("aaaaa"))
    );
    assert_eq!(
        sample(json!({"type": "string", "pattern": "[0-9]", "minLength": 3})),
        Some(json!("0xx"))
    );
    for format in [
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "uri-template",
        "uuid",
        "json-pointer",
        "regex",
    ] {
        let v = sample(json!({"type": "string", "format": format}));
        assert!(v.is_some(), "{format}");
    }
    // Dates decode to java.time values (the check goes through `decode_input`).
    let v = sample(json!({"type": "object", "properties": {
        "at": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "clock": {"type": "string", "format": "time"}
    }, "required": ["at", "day", "clock"]}));
    assert!(v.is_some());
    // No string is both an e-mail address and 3 characters long.
    assert_eq!(
        sample(json!({"type": "string", "format": "email", "maxLength": 3})),
        None
    );
    assert_eq!(
        sample(json!({"type": "string", "pattern": "^a{5}$", "maxLength": 3})),
        None
    );
}

#[test]
fn samples_of_arrays_objects_and_combinators() {
    assert_eq!(
        sample(json!({"type": "array", "items": {"type": "integer"}, "minItems": 3})),
        Some(json!([1, 1, 1]))
    );
    assert_eq!(
        sample(json!({"type": "array", "items": {"type": "integer"}, "maxItems": 0})),
        Some(json!([]))
    );
    assert_eq!(
        sample(
            json!({"type": "array", "items": [{"type": "string"}, {"type": "integer"}],
                      "minItems": 2})
        ),
        Some(json!(["text", 1]))
    );
    assert_eq!(
        sample(json!({"type": "object", "required": ["id"],
                      "additionalProperties": {"type": "integer", "minimum": 3}})),
        Some(json!({"id": 3}))
    );
    assert_eq!(
        sample(
            json!({"type": "object", "minProperties": 2, "additionalProperties": {"type": "boolean"}})
        ),
        Some(json!({"property1": true, "property2": true}))
    );
    assert_eq!(sample(json!({"const": {"a": 1}})), Some(json!({"a": 1})));
    assert_eq!(
        sample(json!({"type": "integer", "enum": ["x", 2, 3]})),
        Some(json!(2)),
        "the first enum value of the right type"
    );
    // `$ref`s, also into definitions from inside combinators.
    let v = sample(json!({
        "type": "object",
        "properties": {"location": {"$ref": "#/definitions/location"}},
        "required": ["location"],
        "definitions": {"location": {"type": "object", "properties": {
            "city": {"type": "string", "minLength": 5}}, "required": ["city"]}}
    }))
    .expect("a sample");
    assert!(chars(&v["location"]["city"]) >= 5, "{v}");
    assert_eq!(
        sample(
            json!({"definitions": {"pos": {"type": "integer", "minimum": 4}},
                      "anyOf": [{"type": "string", "minLength": 3, "maxLength": 2}, {"$ref": "#/definitions/pos"}]})
        ),
        Some(json!(4))
    );
    // oneOf: exactly one member may match (1 is an integer and a number).
    assert_eq!(
        sample(json!({"oneOf": [{"type": "integer"}, {"type": "number"}]})),
        Some(json!(1.5))
    );
    // The keywords beside a combinator apply to its members.
    let v = sample(json!({
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "required": ["kind"],
        "oneOf": [
            {"properties": {"kind": {"const": "card"}, "pan": {"type": "string", "pattern": "^[0-9]{16}$"}}, "required": ["pan"]},
            {"properties": {"kind": {"const": "iban"}}}
        ]
    }))
    .expect("a sample");
    assert_eq!(v["kind"], "card");
    assert_eq!(chars(&v["pan"]), 16);
    assert_eq!(
        sample(json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "integer", "minimum": 3}, "a": {"minLength": 6}}, "required": ["b"]}
        ]})),
        Some(json!({"a": "textxx", "b": 3}))
    );
    // Anything goes.
    assert_eq!(sample(json!(true)), Some(json!({})));
    assert_eq!(sample(json!({"a": 1, "b": "string"})), Some(json!({})));
}

#[test]
fn no_sample_rather_than_an_invalid_one() {
    for j in [
        json!({"type": "string", "minLength": 3, "maxLength": 2}),
        json!({"type": "integer", "minimum": 10, "maximum": 5}),
        json!({"not": {}}),
        json!(false),
        json!({"type": "object", "required": ["a"], "additionalProperties": false}),
        json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"const": 1}}),
        json!({"enum": ["a"], "type": "integer"}),
        // Required fields that recurse forever.
        json!({"definitions": {"n": {"type": "object", "properties": {"next": {"$ref": "#/definitions/n"}},
                                     "required": ["next"]}}, "$ref": "#/definitions/n"}),
    ] {
        assert_eq!(schema(j.clone()).sample(), None, "{j}");
    }
    // Optional recursion stops.
    let v = sample(json!({"definitions": {"n": {"type": "object", "properties": {
        "v": {"type": "integer"}, "next": {"$ref": "#/definitions/n"}}}}, "$ref": "#/definitions/n"}))
    .expect("a sample");
    assert_eq!(v["v"], 1);
}

// ---- compile-time output checks ----

fn output_schema() -> JsonSchema {
    schema(json!({
        "type": "object",
        "properties": {
            "amount": {"type": "integer"},
            "name": {"type": "string"},
            "note": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "price": {"type": "number"},
            "address": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"]
            }
        },
        "required": ["amount", "name"]
    }))
}

#[test]
fn lax_mode_needs_only_required_fields_with_fitting_types() {
    let s = output_schema();
    let lax = ValidationMode::Lax;
    assert!(s
        .check_output_type(&ty("Record{amount: Long, name: String}"), lax)
        .is_empty());
    assert!(s
        .check_output_type(
            &ty("Record{amount: Integer, name: Unknown, price: Double, tags: List[String], extra: Boolean}"),
            lax
        )
        .is_empty());
    assert_eq!(
        s.check_output_type(&ty("Record{amount: String, name: String}"), lax),
        vec!["Provided value does not match scenario output - errors:\nIncorrect type: path 'amount' actual: 'String' expected: 'Long'.".to_string()]
    );
    assert_eq!(
        s.check_output_type(&ty("Record{name: String, address: Record{}}"), lax),
        vec!["Provided value does not match scenario output - errors:\nMissing fields: amount, address.city.".to_string()]
    );
    assert_eq!(
        s.output_problems(
            &ty("Record{amount: Long, name: String, price: String}"),
            lax
        ),
        vec![OutputProblem::Type {
            path: Some("price".into()),
            actual: Type::string(),
            expected: "BigDecimal".into()
        }]
    );
    assert!(!s
        .check_output_type(
            &ty("Record{amount: Long, name: String, tags: List[Integer]}"),
            lax
        )
        .is_empty());
    assert!(!s.check_output_type(&Type::string(), lax).is_empty());
    assert!(s.check_output_type(&Type::Unknown, lax).is_empty());
}

#[test]
fn strict_mode_wants_every_field_no_extras_and_no_unknowns() {
    let s = output_schema();
    let strict = ValidationMode::Strict;
    let full = "amount: Long, name: String, note: String, tags: List[String], price: BigDecimal, address: Record{city: String}";
    assert!(s
        .check_output_type(&ty(&format!("Record{{{full}}}")), strict)
        .is_empty());
    assert_eq!(
        s.check_output_type(&ty("Record{amount: Long, name: Unknown, extra: Boolean}"), strict),
        vec!["Provided value does not match scenario output - errors:\nIncorrect type: path 'name' actual: 'Unknown' expected: 'String'., Missing fields: address, note, price, tags., Redundant fields: extra.".to_string()]
    );
    assert!(!s.check_output_type(&Type::Unknown, strict).is_empty());
}

#[test]
fn unions_nulls_and_enums() {
    let s = schema(json!({
        "type": "object",
        "properties": {
            "v": {"type": "integer"},
            "n": {"type": ["string", "null"]},
            "e": {"enum": ["A", "B"]}
        },
        "required": ["v"]
    }));
    let lax = ValidationMode::Lax;
    let strict = ValidationMode::Strict;
    let union = "Record{v: Long | String}";
    assert!(s.check_output_type(&ty(union), lax).is_empty());
    assert!(!s.check_output_type(&ty(union), strict).is_empty());
    assert!(s
        .check_output_type(&ty("Record{v: Long, n: Null}"), lax)
        .is_empty());
    assert!(!s.check_output_type(&ty("Record{v: Null}"), lax).is_empty());
    assert!(s
        .check_output_type(&ty("Record{v: Long, e: String}"), lax)
        .is_empty());
    assert!(!s
        .check_output_type(&ty("Record{v: Long, e: Long}"), lax)
        .is_empty());
    let known_bad = Type::of_value(&Value::str("C"));
    let mut fields = Type::empty_fields();
    fields.insert("v".into(), Type::long());
    fields.insert("e".into(), known_bad);
    assert!(!s.check_output_type(&Type::record(fields), lax).is_empty());
}

#[test]
fn closed_objects_and_maps() {
    let closed = schema(json!({
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": false
    }));
    assert_eq!(
        closed.check_output_type(&ty("Record{a: String, b: String}"), ValidationMode::Lax),
        vec![
            "Provided value does not match scenario output - errors:\nRedundant fields: b."
                .to_string()
        ]
    );
    let map = schema(json!({"type": "object", "additionalProperties": {"type": "integer"}}));
    assert!(map
        .check_output_type(&ty("Map[String,Long]"), ValidationMode::Strict)
        .is_empty());
    assert!(map
        .check_output_type(&ty("Record{x: Integer, y: Long}"), ValidationMode::Strict)
        .is_empty());
    assert!(!map
        .check_output_type(&ty("Record{x: String}"), ValidationMode::Lax)
        .is_empty());
}

#[test]
fn validation_mode_parses_parameter_strings() {
    assert_eq!(
        ValidationMode::parse("'strict'"),
        Some(ValidationMode::Strict)
    );
    assert_eq!(ValidationMode::parse("lax"), Some(ValidationMode::Lax));
    assert_eq!("'lax'".parse::<ValidationMode>(), Ok(ValidationMode::Lax));
    assert_eq!(ValidationMode::parse("'loose'"), None);
}

// ---- field editor ----

#[test]
fn fields_are_flattened_with_types_requirements_and_defaults() {
    let s = schema(json!({
        "definitions": {"money": {"type": "number", "default": 0}},
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "total": {"$ref": "#/definitions/money"},
            "customer": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "default": "anonymous"},
                    "address": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                        "required": ["city"]
                    }
                }
            },
            "attrs": {"type": "object", "additionalProperties": {"type": "integer"}},
            "tags": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["id", "customer"]
    }));
    let fields = s.response_fields();
    let summary: Vec<(String, String, bool, Option<Json>)> = fields
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                f.ty.to_string(),
                f.required,
                f.default.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("id".into(), "String".into(), true, None),
            ("total".into(), "BigDecimal".into(), false, Some(json!(0))),
            (
                "customer.name".into(),
                "String".into(),
                false,
                Some(json!("anonymous"))
            ),
            ("customer.address.city".into(), "String".into(), true, None),
            ("attrs".into(), "Map[String,Long]".into(), false, None),
            ("tags".into(), "List[String]".into(), false, None),
        ]
    );
    let city = &fields[3];
    assert!(s.check_field_type(city, &Type::string()).is_empty());
    assert_eq!(
        s.check_field_type(city, &Type::long()),
        vec!["Provided value does not match scenario output - errors:\nIncorrect type: path 'customer.address.city' actual: 'Long' expected: 'String'.".to_string()]
    );
    assert!(!s.is_single_value());
}

#[test]
fn non_object_schemas_have_a_single_value_field() {
    for j in [
        json!({}),
        json!(true),
        json!({"type": "array", "items": {"type": "string"}}),
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
    ] {
        let s = schema(j.clone());
        let fields = s.response_fields();
        assert_eq!(fields.len(), 1, "{j}");
        assert_eq!(fields[0].name, "Value", "{j}");
        assert!(!fields[0].required);
        assert_eq!(&fields[0].ty, s.static_type(), "{j}");
        assert!(s.is_single_value());
    }
}

#[test]
fn recursive_schemas_stop_flattening() {
    let s = schema(json!({
        "definitions": {
            "node": {
                "type": "object",
                "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/definitions/node"}}
            }
        },
        "$ref": "#/definitions/node"
    }));
    let names: Vec<String> = s.response_fields().into_iter().map(|f| f.name).collect();
    assert_eq!(names, ["v", "next"]);
}

#[test]
fn fields_assemble_into_nested_records() {
    let v = assemble_fields(&[
        ("id".into(), Value::str("1")),
        ("customer.name".into(), Value::str("Ada")),
        ("customer.address.city".into(), Value::str("Gdańsk")),
        ("total".into(), Value::Long(3)),
    ]);
    assert_eq!(
        v,
        typed(
            json!({"id": "1", "customer": {"name": "Ada", "address": {"city": "Gdańsk"}}, "total": 3}),
            "Record{id: String, customer: Record{name: String, address: Record{city: String}}, total: Long}"
        )
    );
    let Value::Map(m) = &v else { panic!("a map") };
    let keys: Vec<String> = m.keys().map(|k| k.to_java_string()).collect();
    assert_eq!(keys, ["id", "customer", "total"]);

    let single = schema(json!({"type": "string"}));
    assert_eq!(
        single.assemble_response(&[("Value".into(), Value::str("x"))]),
        Value::str("x")
    );
    let obj = schema(json!({"type": "object", "properties": {"Value": {"type": "string"}}}));
    assert_eq!(
        obj.assemble_response(&[("Value".into(), Value::str("x"))]),
        typed(json!({"Value": "x"}), "Record{Value: String}")
    );
}

// ---- robustness ----

fn nested(depth: usize) -> Json {
    let mut j = json!({"v": 1});
    for _ in 0..depth {
        j = json!({"next": j});
    }
    j
}

#[test]
fn deep_input_against_recursive_schema() {
    let s = schema(json!({
        "definitions": {
            "node": {
                "type": "object",
                "properties": {
                    "v": {"type": "integer", "default": 0},
                    "next": {"$ref": "#/definitions/node"}
                }
            }
        },
        "$ref": "#/definitions/node"
    }));
    let v = s.decode_input(nested(127)).expect("valid");
    let out = s.encode_output(&v).expect("encodes");
    let mut j = &out;
    let mut depth = 0;
    while let Some(next) = j.get("next") {
        assert_eq!(j["v"], json!(0), "default filled at depth {depth}");
        j = next;
        depth += 1;
    }
    assert_eq!(depth, 127);
    let any = schema(json!({}));
    assert!(any.decode_input(nested(127)).is_ok());
}

#[test]
fn self_referencing_schemas_terminate() {
    for j in [
        json!({"$ref": "#"}),
        json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}),
        json!({"definitions": {"a": {"allOf": [{"$ref": "#/definitions/a"}, {"$ref": "#/definitions/a"}]}}, "$ref": "#/definitions/a"}),
    ] {
        // The validator may refuse such a schema; if it accepts it, nothing may hang.
        if let Ok(s) = JsonSchema::parse("inputSchema", &j.to_string()) {
            let _ = s.decode_input(json!({"a": 1}));
            let _ = s.encode_output(&Value::Long(1));
            let _ = s.check_output_type(&Type::long(), ValidationMode::Strict);
            let _ = s.response_fields();
        }
    }
}

// ---- the shared scenarios ----

fn scenario_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn schemas_of_the_shared_scenarios_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios");
    if !dir.is_dir() {
        eprintln!(
            "!!!!! SKIPPED: {} is absent; the shared scenarios' schemas were not checked !!!!!",
            dir.display()
        );
        return;
    }
    let mut files = Vec::new();
    scenario_files(&dir, &mut files);
    let mut parsed = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        let scenario: Json = serde_json::from_str(&text).expect("scenario JSON");
        let props = &scenario["metaData"]["additionalFields"]["properties"];
        for name in ["inputSchema", "outputSchema"] {
            if let Some(text) = props[name].as_str() {
                let s = JsonSchema::parse(name, text)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                let _ = s.response_fields();
                parsed += 1;
            }
        }
    }
    assert!(parsed > 0, "no schemas found under {}", dir.display());
}
