//! Against librdkafka's mock cluster: what the real broker here cannot show. The mock accepts
//! the whole transactional API and injects errors, but does not enforce `read_committed` nor
//! store transactional offsets, so these tests prove the worker's state machine (abort, retry,
//! restart, fencing), not exactly-once visibility; `tests/kafka.rs` does that on nisshi.

mod common;

use std::time::Duration;

use common::*;
use rdkafka::mocking::MockCluster;
use serde_json::json;

fn scenario() -> String {
    stream_scenario(
        "mocked",
        json!([
            kafka_source("source", "in"),
            {"id": "big", "type": "Filter", "expression": e("#input.n > 1")},
            raw_sink("sink", "out", "'k' + #input.n", "{n: #input.n, twice: #input.n * 2}")
        ]),
    )
}

fn cluster() -> MockCluster<'static, rdkafka::producer::DefaultProducerContext> {
    let mock = MockCluster::new(3).expect("mock cluster");
    for t in ["in", "out", "errors"] {
        mock.create_topic(t, 1, 1).expect("topic");
    }
    mock
}

/// Configuration with the input topic's schema.
fn with_schema(scratch: &Scratch, b: &str, extra: serde_json::Value) -> serde_json::Value {
    let schema = scratch.write(
        "in.schema.json",
        r#"{"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}"#,
    );
    let mut c = config(b, "errors", extra);
    c["schemas"] = json!({"in": schema});
    c
}

#[test]
fn round_trip_on_the_mock_cluster() {
    let mock = cluster();
    let b = mock.bootstrap_servers();
    let scratch = Scratch::new("mock");
    produce(
        &b,
        "in",
        &[
            (None, r#"{"n": 1}"#),
            (None, r#"{"n": 2}"#),
            (None, r#"{"n": 3}"#),
        ],
    );
    let w = InProcess::start(&scenario(), with_schema(&scratch, &b, json!({})));
    let out = read_topic(
        &b,
        "out",
        false,
        2,
        Duration::from_secs(20),
        Duration::from_millis(300),
    );
    let values: Vec<_> = out.iter().map(|r| r.json()).collect();
    assert_eq!(
        values,
        vec![json!({"n": 2, "twice": 4}), json!({"n": 3, "twice": 6})]
    );
    assert_eq!(out[0].key.as_deref(), Some("k2"));
    assert!(out[0].headers.contains_key("scenic.batch"));
    assert_eq!(out[0].headers["scenic.input"], "in/0/1");
    w.stop();
}
