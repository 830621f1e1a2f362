//! In-process invocation of a LoanRequest-like scenario (nested choice into response sinks):
//! the interpreter alone, and the whole request path without HTTP (JSON decode with schema
//! validation and defaults, run, response encoding with output validation).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use scenic_scenario::{load_scenario, NoFragments, Registry};
use serde_json::json;

pub fn loan_scenario() -> String {
    let response = |id: &str, amount: &str, message: &str| {
        json!({"id": id, "type": "Sink", "ref": {"typ": "response", "parameters": [
            {"name": "acceptedAmount", "expression": {"language": "spel", "expression": amount}},
            {"name": "message", "expression": {"language": "spel", "expression": message}}]}})
    };
    let case = |cond: &str, nodes: serde_json::Value| json!({"expression": {"language": "spel", "expression": cond}, "nodes": nodes});
    json!({
        "metaData": {"id": "LoanRequest", "additionalFields": {"description": null, "properties": {
            "inputSchema": json!({"type": "object", "properties": {
                "customerId": {"type": "string"},
                "location": {"type": "object", "properties": {"city": {"type": "string"}, "street": {"type": "string"}}},
                "requestType": {"type": "string", "enum": ["loan", "mortgage", "insurance"]},
                "requestedAmount": {"type": "integer"}}, "required": ["customerId", "requestType", "requestedAmount"]}).to_string(),
            "outputSchema": json!({"type": "object", "properties": {"acceptedAmount": {"type": "integer"}, "message": {"type": "string"}},
                "required": ["acceptedAmount", "message"]}).to_string(),
            "slug": "loan"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "type", "type": "Switch", "defaultNext": [], "nexts": [
                case("#input.requestType == 'loan'", json!([
                    {"id": "loan amount", "type": "Switch", "defaultNext": [], "nexts": [
                        case("#input.requestedAmount > 50000", json!([response("loan rejected", "0", "'Too much'")])),
                        case("#input.location.city == 'Warszawa'", json!([response("loan accepted", "#input.requestedAmount", "'Large sum for Warszawa'")])),
                        case("true", json!([response("loan default", "#input.requestedAmount", "'Accepted'")]))
                    ]}])),
                case("#input.requestType == 'mortgage'", json!([
                    {"id": "mortgage amount", "type": "Switch", "defaultNext": [], "nexts": [
                        case("#input.requestedAmount > 1000000", json!([response("mortgage rejected", "0", "'Too much'")])),
                        case("true", json!([response("mortgage accepted", "#input.requestedAmount", "'Accepted'")]))
                    ]}])),
                case("true", json!([response("unknown type", "0", "'Unknown request type'")]))
            ]}
        ],
        "additionalBranches": []
    })
    .to_string()
}

fn invoke(c: &mut Criterion) {
    let registry = Registry::builtin();
    let scenario = load_scenario(&loan_scenario(), &registry, &NoFragments).expect("compiles");
    let body = json!({"customerId": "c-1", "location": {"city": "Warszawa", "street": "Marszałkowska"}, "requestType": "loan", "requestedAmount": 1000});
    let input = scenario.source().decode(body.clone()).expect("valid input");
    let result = futures::executor::block_on(scenario.run(input.clone()));
    assert_eq!(result.outputs.len(), 1);
    assert!(result.errors.is_empty());
    let out_schema = scenario.output_schema().expect("output schema").clone();
    let bytes = serde_json::to_vec(&body).expect("bytes");
    let mut g = c.benchmark_group("loan_request");
    g.bench_function("interpreter", |b| {
        b.iter(|| {
            black_box(futures::executor::block_on(
                scenario.run(black_box(input.clone())),
            ))
        })
    });
    // The one invocation API: bytes → one-pass decode → run → encode plan → bytes.
    g.bench_function("invoke", |b| {
        let opts = scenic_scenario::RunOptions::default();
        b.iter(|| {
            black_box(
                futures::executor::block_on(scenario.invoke(black_box(&bytes), &opts))
                    .expect("answers"),
            )
        })
    });
    // The path it replaced, for the ratio: parse to a tree, decode and validate it, run,
    // encode to a tree and validate it, serialize.
    g.bench_function("decode_run_encode", |b| {
        b.iter(|| {
            let json: serde_json::Value = serde_json::from_slice(black_box(&bytes)).expect("json");
            let input = scenario.source().decode(json).expect("valid");
            let r = futures::executor::block_on(scenario.run(input));
            let out = out_schema
                .encode_output(&r.outputs[0].value())
                .expect("encodes");
            black_box(serde_json::to_vec(&out).expect("bytes"))
        })
    });
    g.finish();
}

criterion_group!(benches, invoke);
criterion_main!(benches);
