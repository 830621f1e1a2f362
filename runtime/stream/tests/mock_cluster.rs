//! Against librdkafka's mock cluster: what the real broker here cannot show. The mock accepts
//! the whole transactional API and injects errors, but does not enforce `read_committed` nor
//! store transactional offsets, so these tests prove the worker's state machine (abort, retry,
//! restart, fencing), not exactly-once visibility; `tests/kafka.rs` does that on nisshi.

mod common;

use std::collections::BTreeSet;
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
    let w = InProcess::start(&scenario(), numbered_config(&scratch, &b, json!({})));
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

use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};

fn counter(w: &InProcess, f: impl Fn(&scenic_stream::metrics::StreamMetrics) -> u64) -> u64 {
    f(&w.shared.metrics)
}

#[test]
fn abortable_commit_error_aborts_the_batch_and_the_restarted_worker_redoes_it() {
    let mock = cluster();
    let b = mock.bootstrap_servers();
    let scratch = Scratch::new("abort");
    produce_numbered(&b, "in", 2..5, false);
    // The first EndTxn (the commit) fails with an error that requires an abort.
    mock.request_errors(
        RDKafkaApiKey::EndTxn,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_UNKNOWN],
    );
    let w = InProcess::start(&scenario(), numbered_config(&scratch, &b, json!({})));
    w.wait_for("a committed batch", Duration::from_secs(30), |w| {
        w.shared.metrics.committed.get() >= 1
    });
    assert!(
        counter(&w, |m| m.aborted.get()) >= 1,
        "the failed commit was aborted"
    );
    assert!(
        counter(&w, |m| m.restarts_total()) >= 1,
        "and the worker restarted"
    );
    // The mock does not hide aborted records, so the redone batch shows every value at least
    // once (the real broker's tests check exactly-once visibility by transaction).
    let out = read_topic(
        &b,
        "out",
        false,
        3,
        Duration::from_secs(20),
        Duration::from_millis(300),
    );
    let ns: BTreeSet<i64> = out.iter().filter_map(|r| r.json()["n"].as_i64()).collect();
    assert_eq!(ns, BTreeSet::from([2, 3, 4]));
    w.stop();
}

#[test]
fn retriable_commit_errors_are_retried_without_an_abort() {
    let mock = cluster();
    let b = mock.bootstrap_servers();
    let scratch = Scratch::new("retry");
    produce_numbered(&b, "in", 2..4, false);
    mock.request_errors(
        RDKafkaApiKey::EndTxn,
        &[
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS,
        ],
    );
    let w = InProcess::start(&scenario(), numbered_config(&scratch, &b, json!({})));
    w.wait_for("a committed batch", Duration::from_secs(30), |w| {
        w.shared.metrics.committed.get() >= 1
    });
    assert_eq!(counter(&w, |m| m.aborted.get()), 0, "no abort");
    assert_eq!(counter(&w, |m| m.restarts_total()), 0, "no restart");
    let out = read_topic(
        &b,
        "out",
        false,
        2,
        Duration::from_secs(20),
        Duration::from_millis(300),
    );
    assert_eq!(out.len(), 2, "each output once");
    w.stop();
}

#[test]
fn fatal_producer_error_restarts_the_worker_with_a_new_producer() {
    let mock = cluster();
    let b = mock.bootstrap_servers();
    let scratch = Scratch::new("fatal");
    produce_numbered(&b, "in", 2..3, false);
    mock.request_errors(
        RDKafkaApiKey::InitProducerId,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
    );
    let w = InProcess::start(&scenario(), numbered_config(&scratch, &b, json!({})));
    w.wait_for("a committed batch", Duration::from_secs(30), |w| {
        w.shared.metrics.committed.get() >= 1
    });
    assert!(
        counter(&w, |m| m.restarts_total()) >= 1,
        "restarted after the fatal error"
    );
    let out = read_topic(
        &b,
        "out",
        false,
        1,
        Duration::from_secs(20),
        Duration::from_millis(300),
    );
    assert_eq!(out.len(), 1);
    w.stop();
}

/// The mock does not fence a producer when another one initialises the same transactional.id
/// (its transactional produce and EndTxn ignore the epoch: checked here, a first worker kept
/// committing beside a second one). Nor does nisshi show it: there the fenced worker's EndTxn
/// hangs until librdkafka times it out, instead of answering PRODUCER_FENCED (tried here). So the
/// broker's fencing answer is injected: `PRODUCER_FENCED` on the commit.
#[test]
fn a_fenced_worker_stops_for_good_and_reports_not_ready() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("scenic_stream=info")
        .with_test_writer()
        .try_init();
    let mock = cluster();
    let b = mock.bootstrap_servers();
    let scratch = Scratch::new("fence");
    produce_numbered(&b, "in", 2..4, false);
    mock.request_errors(
        RDKafkaApiKey::EndTxn,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_PRODUCER_FENCED],
    );
    let w = InProcess::start(&scenario(), numbered_config(&scratch, &b, json!({})));
    w.wait_for("the worker to be fenced", Duration::from_secs(30), |w| {
        w.shared.status(0) == scenic_stream::worker::Status::Fenced
    });
    assert!(!w.shared.ready(), "a fenced worker is not ready");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        w.shared.status(0),
        scenic_stream::worker::Status::Fenced,
        "and it does not restart (that would fence the newer worker in turn)"
    );
    assert_eq!(counter(&w, |m| m.restarts_total()), 0);
    assert_eq!(counter(&w, |m| m.committed.get()), 0);
    w.stop();
}
