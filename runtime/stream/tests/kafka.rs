//! The streaming worker against a real Kafka-protocol broker: nisshi 0.7.0, started per test by
//! the test support on a free port (the test command installs it; without it these tests fail
//! loudly, they never skip).
//!
//! What nisshi can prove: records, consumer groups, transactions that commit and abort, offsets
//! committed atomically with a transaction, and open transactions hidden from `read_committed`.
//! What it cannot: it never hides *aborted* records from `read_committed`. So the crash tests
//! identify every output's transaction by its `scenic.batch` header and check it against the
//! worker's commit journal, rather than relying on the broker to hide aborted output.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;
use rand::Rng;
use serde_json::{json, Value};

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/streaming")
}

/// The example's configuration, pointed at the test broker.
fn example_config(scratch: &Scratch, bootstrap: &str, extra: Value) -> PathBuf {
    let mut c = config(bootstrap, "alerts-errors", extra);
    c["schemas"] = json!({
        "transactions": examples().join("schemas/transactions.schema.json"),
        "alerts": examples().join("schemas/alerts.schema.json"),
    });
    scratch.write("config.json", &c.to_string())
}

#[test]
fn example_round_trip_through_filter_and_variable_on_the_real_broker() {
    let broker = Broker::start();
    let b = broker.address();
    // One partition whose last record leads to an alert: nisshi 0.7.0 drops the offsets of a
    // transaction that wrote no record unless it is the producer's first (its txn_end skips
    // offsets when AddOffsetsToTxn alone opened the transaction; probed here). With an output
    // at the end, the partition's final offset comes from a transaction that wrote records.
    create_topics(
        &b,
        &[("transactions", 1), ("alerts", 1), ("alerts-errors", 1)],
    );
    let scratch = Scratch::new("example");
    let cfg = example_config(&scratch, &b, json!({}));
    produce(
        &b,
        "transactions",
        &[
            (Some("a"), r#"{"clientId": "a", "amount": 500}"#),
            (Some("d"), r#"{"clientId": "d", "amount": 999}"#),
            (Some("b"), r#"{"clientId": "b", "amount": 1500}"#),
            (Some("c"), r#"{"clientId": "c", "amount": 20000}"#),
        ],
    );
    let mut w = WorkerProcess::spawn(
        &examples().join("transaction-alerts.json"),
        &cfg,
        Some(&scratch.path("journal")),
        scratch.path("worker.log"),
    );
    let alerts = read_topic(
        &b,
        "alerts",
        true,
        2,
        Duration::from_secs(30),
        Duration::from_millis(500),
    );
    let mut got: Vec<(Option<String>, Value)> =
        alerts.iter().map(|r| (r.key.clone(), r.json())).collect();
    got.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        got.len(),
        2,
        "only the large transactions: {got:?}\n{}",
        w.log_text()
    );
    assert_eq!(got[0].0.as_deref(), Some("b"), "keyed by client");
    assert_eq!(got[0].1["risk"], "medium");
    assert_eq!(got[0].1["amount"], 1500);
    assert_eq!(got[1].0.as_deref(), Some("c"));
    assert_eq!(got[1].1["risk"], "high");
    let c = alerts
        .iter()
        .find(|r| r.key.as_deref() == Some("c"))
        .expect("c");
    assert_eq!(
        c.value, r#"{"amount":20000,"clientId":"c","risk":"high","source":"transactions/0/3"}"#,
        "compact JSON, keys sorted as the schema encoder writes them"
    );
    assert!(
        got[1].1["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("transactions/")),
        "#inputMeta is set: {}",
        got[1].1
    );
    // Offsets are committed with the outputs: all four inputs.
    let started = Instant::now();
    while committed_offsets(&b, "transaction-alerts", "transactions", 1)
        .iter()
        .sum::<i64>()
        < 4
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        committed_offsets(&b, "transaction-alerts", "transactions", 1)
            .iter()
            .sum::<i64>(),
        4,
        "committed {:?}; inputs {:?}; records {} batches {}\n{}",
        committed_offsets(&b, "transaction-alerts", "transactions", 1),
        read_topic(
            &b,
            "transactions",
            false,
            4,
            Duration::from_secs(5),
            Duration::ZERO
        )
        .iter()
        .map(|r| (r.partition, r.offset))
        .collect::<Vec<_>>(),
        w.metric("scenic_stream_records_total"),
        w.metric("scenic_stream_batches_total"),
        w.log_text()
    );
    assert!(
        w.wait_ready(200, Duration::from_secs(5)),
        "ready while running"
    );
    assert_eq!(w.metric("scenic_stream_records_total"), 4.0);
    assert_eq!(w.metric("scenic_stream_outputs_total"), 2.0);
    assert!(w.metric("scenic_stream_batches_total") >= 1.0);
    let (_, metrics) = w.get("/metrics").expect("metrics");
    assert!(
        metrics.contains(
            r#"scenic_dead_end_total{scenario="transaction-alerts",node="large only"} 2"#
        ),
        "dead ends by node:\n{metrics}"
    );
    // Consumer lag per partition, refreshed about once a second: nothing left to read.
    let started = Instant::now();
    let lag = loop {
        let (_, m) = w.get("/metrics").expect("metrics");
        if let Some(line) = m
            .lines()
            .find(|l| l.starts_with("scenic_stream_consumer_lag{"))
        {
            break line.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no lag series:\n{m}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        lag.contains(r#"topic="transactions""#) && lag.ends_with(" 0"),
        "{lag}"
    );
    assert_eq!(
        w.terminate(Duration::from_secs(15)),
        Some(0),
        "SIGTERM exits 0"
    );
}

#[test]
fn raw_and_field_editor_sinks_and_poison_records() {
    let broker = Broker::start();
    let b = broker.address();
    // The error topic is not created here: the worker creates it when it is missing.
    create_topics(&b, &[("in", 1), ("raw-out", 1), ("typed-out", 1)]);
    let scratch = Scratch::new("sinks");
    let in_schema = scratch.write(
        "in.json",
        r#"{"type": "object", "properties": {"n": {"type": "integer"}, "name": {"type": "string"}}, "required": ["n"]}"#,
    );
    let out_schema = scratch.write(
        "out.json",
        r#"{"type": "object", "properties": {"ratio": {"type": "integer"}, "label": {"type": "string", "default": "none"}}, "required": ["ratio"], "additionalProperties": false}"#,
    );
    let mut c = config(
        &b,
        "errors",
        json!({"exceptionHandlingConfig": {"topic": "errors", "includeInputEvent": true}}),
    );
    c["schemas"] = json!({"in": in_schema, "typed-out": out_schema});
    let cfg = scratch.write("config.json", &c.to_string());
    let scenario = stream_scenario(
        "sinks",
        json!([
            kafka_source("source", "in"),
            {"id": "ratio", "type": "Variable", "varName": "ratio", "value": e("100 / #input.n")},
            {"id": "split", "type": "Split", "nexts": [
                [raw_sink("raw", "raw-out", "", "{n: #input.n, ratio: #ratio, meta: #inputMeta.offset}")],
                [{"id": "typed", "type": "Sink", "ref": {"typ": "kafka", "parameters": [
                    {"name": "Topic", "expression": e("'typed-out'")},
                    {"name": "Key", "expression": e("#input.name")},
                    {"name": "Raw editor", "expression": e("false")},
                    {"name": "ratio", "expression": e("#ratio")},
                    {"name": "label", "expression": e("")}
                ]}}]
            ]}
        ]),
    );
    let file = scratch.write("sinks.json", &scenario);
    produce(
        &b,
        "in",
        &[
            (None, "not json"),
            (None, r#"{"n": "x"}"#),
            (None, r#"{"n": 0}"#),
            (None, r#"{"n": 5, "name": "five"}"#),
        ],
    );
    let w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    let raw = read_topic(
        &b,
        "raw-out",
        true,
        1,
        Duration::from_secs(30),
        Duration::from_millis(300),
    );
    assert_eq!(raw.len(), 1, "{}", w.log_text());
    assert_eq!(raw[0].json(), json!({"n": 5, "ratio": 20, "meta": 3}));
    assert_eq!(raw[0].key, None, "an empty Key writes no key");
    let typed = read_topic(
        &b,
        "typed-out",
        true,
        1,
        Duration::from_secs(10),
        Duration::from_millis(300),
    );
    assert_eq!(typed.len(), 1);
    assert_eq!(
        typed[0].json(),
        json!({"ratio": 20, "label": "none"}),
        "schema default filled"
    );
    assert_eq!(typed[0].key.as_deref(), Some("five"));

    // The three poison records are in the error topic, each naming its node; none blocked.
    let errors = read_topic(
        &b,
        "errors",
        true,
        3,
        Duration::from_secs(10),
        Duration::from_millis(300),
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    let e0 = errors[0].json();
    assert_eq!(errors[0].key.as_deref(), Some("sinks-source"));
    assert_eq!(e0["processName"], "sinks");
    assert_eq!(e0["nodeId"], "source");
    assert!(
        e0["message"]
            .as_str()
            .is_some_and(|m| m.contains("line 1 column")),
        "{e0}"
    );
    let e1 = errors[1].json();
    assert_eq!(e1["nodeId"], "source");
    assert!(
        e1["message"].as_str().is_some_and(|m| m.starts_with("/n:")),
        "{e1}"
    );
    let e2 = errors[2].json();
    assert_eq!(errors[2].key.as_deref(), Some("sinks-ratio"));
    assert_eq!(e2["nodeId"], "ratio");
    assert_eq!(e2["exceptionInput"], "100 / #input.n");
    assert_eq!(e2["inputEvent"]["input"]["n"], 0, "includeInputEvent: {e2}");
    assert_eq!(e2["inputEvent"]["inputMeta"]["offset"], 2);
    assert_eq!(e0["inputEvent"]["input"], "not json");
    assert!(e2["timestamp"].as_i64().is_some_and(|t| t > 0));
    // The poison records' offsets were committed with the rest.
    assert_eq!(committed_offsets(&b, "sinks", "in", 1), vec![4]);
    // Processing goes on.
    produce(&b, "in", &[(None, r#"{"n": 50}"#)]);
    let raw = read_topic(
        &b,
        "raw-out",
        true,
        2,
        Duration::from_secs(20),
        Duration::from_millis(100),
    );
    assert_eq!(raw.len(), 2);
    assert_eq!(raw[1].json()["ratio"], 2);
    let started = Instant::now();
    while committed_offsets(&b, "sinks", "in", 1) != vec![5]
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        committed_offsets(&b, "sinks", "in", 1),
        vec![5],
        "the later batch's offset too"
    );
}

/// Reads the journal: committed batch ids, and the ids of batches in doubt (the worker died
/// between `committing` and `committed`).
fn journal(path: &std::path::Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut committing = BTreeSet::new();
    let mut committed = BTreeSet::new();
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("committing", id)) => {
                committing.insert(id.to_string());
            }
            Some(("committed", id)) => {
                committed.insert(id.to_string());
            }
            _ => {}
        }
    }
    let doubt = committing.difference(&committed).cloned().collect();
    (committed, doubt)
}

/// What a crash run left: the outputs, the journal (committed, in doubt), the inputs the
/// consumer group committed, and the workers' log.
struct CrashRun(Vec<Read>, (BTreeSet<String>, BTreeSet<String>), i64, String);

/// Produces `n` numbered records over two partitions, runs the worker process with `workers`
/// workers, kills it with SIGKILL `kills` times at random moments, restarts it each time, and
/// lets the last one finish. Returns what `out` holds (read uncommitted: every copy the broker
/// kept), the journal and the committed offsets.
fn crash_run(transactional: bool, workers: usize, n: usize, kills: usize) -> CrashRun {
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("in", 2), ("out", 1), ("errors", 1)]);
    let scratch = Scratch::new("crash");
    let cfg = scratch.write(
        "config.json",
        &numbered_config(&scratch, &b, json!({"kafkaTransactionsEnabled": transactional, "maxPollRecords": 50, "parallelism": workers})).to_string(),
    );
    let file = scratch.write(
        "crash.json",
        &stream_scenario(
            "crash",
            json!([
                kafka_source("source", "in"),
                {"id": "even or big", "type": "Filter", "expression": e("#input.n >= 0")},
                raw_sink("sink", "out", "'' + #input.n", "{n: #input.n}")
            ]),
        ),
    );
    produce_numbered(&b, "in", 0..n as i64, false);
    let journal_path = scratch.path("journal");
    let log = scratch.path("worker.log");
    let mut rng = rand::rng();
    for _ in 0..kills {
        // Kill once the worker is committing, at a random moment: mid-batch, mid-commit or
        // between batches.
        let before = journal(&journal_path).0.len();
        let mut w = WorkerProcess::spawn(&file, &cfg, Some(&journal_path), log.clone());
        let started = Instant::now();
        while journal(&journal_path).0.len() <= before
            && started.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(0..400)));
        w.kill9();
    }
    let mut w = WorkerProcess::spawn(&file, &cfg, Some(&journal_path), log.clone());
    let started = Instant::now();
    let mut consumed = 0;
    while started.elapsed() < Duration::from_secs(180) {
        consumed = committed_offsets(&b, "crash", "in", 2).iter().sum::<i64>();
        if consumed == n as i64 {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(w.terminate(Duration::from_secs(15)), Some(0));
    let out = read_topic(
        &b,
        "out",
        false,
        n,
        Duration::from_secs(30),
        Duration::from_secs(1),
    );
    // For a failure message: the committed offsets and the end of the workers' log.
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let log_text = format!(
        "committed offsets {:?}\n...\n{}",
        committed_offsets(&b, "crash", "in", 2),
        lines[lines.len().saturating_sub(60)..].join("\n")
    );
    CrashRun(out, journal(&journal_path), consumed, log_text)
}

/// One worker over two partitions. With two workers (two transactional ids) nisshi 0.7.0 can
/// leave a killed transaction unresolved beside the other's, and then stores no later commit's
/// offsets (seen twice in about 18 runs: offsets stuck while commits succeed). Two workers are
/// covered without kills by `two_workers_share_the_partitions_exactly_once`.
#[test]
fn exactly_once_kill_9_loses_nothing_and_every_duplicate_comes_from_an_uncommitted_transaction() {
    let n = 10_000;
    let CrashRun(out, (committed, doubt), consumed, log) = crash_run(true, 1, n, 5);
    assert_eq!(
        consumed, n as i64,
        "the consumer group committed every input\n{log}"
    );
    let mut copies: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for r in &out {
        let k = r.json()["n"].as_i64().expect("n");
        copies.entry(k).or_default().push(
            r.headers
                .get("scenic.batch")
                .map(String::as_str)
                .unwrap_or(""),
        );
    }
    let missing: Vec<usize> = (0..n)
        .filter(|i| !copies.contains_key(&(*i as i64)))
        .collect();
    assert!(missing.is_empty(), "lost outputs: {missing:?}");
    let mut duplicates = 0;
    let mut in_doubt = 0;
    for (k, batches) in &copies {
        let in_committed = batches.iter().filter(|b| committed.contains(**b)).count();
        let doubtful = batches.iter().filter(|b| doubt.contains(**b)).count();
        // Exactly one copy comes from a committed transaction: the offsets and the outputs were
        // committed together. (A batch whose commit the kill left in doubt may stand in for it.)
        assert!(
            in_committed == 1 || (in_committed == 0 && doubtful >= 1),
            "input {k}: copies from committed transactions: {in_committed}, batches {batches:?}"
        );
        in_doubt += usize::from(in_committed == 0);
        duplicates += batches.len() - 1;
    }
    eprintln!(
        "exactly once: {n} inputs, {} outputs, {duplicates} duplicates (all from aborted or \
         never-committed transactions), {in_doubt} outputs from batches in doubt, {} commits, \
         {} batches in doubt",
        out.len(),
        committed.len(),
        doubt.len()
    );
    assert!(in_doubt < n / 10, "batches in doubt are rare: {in_doubt}");
}

#[test]
fn at_least_once_kill_9_loses_nothing() {
    let n = 5_000;
    let CrashRun(out, _, consumed, log) = crash_run(false, 1, n, 3);
    assert_eq!(consumed, n as i64, "{log}");
    let seen: BTreeSet<i64> = out.iter().filter_map(|r| r.json()["n"].as_i64()).collect();
    let missing: Vec<usize> = (0..n).filter(|i| !seen.contains(&(*i as i64))).collect();
    assert!(missing.is_empty(), "lost outputs: {missing:?}");
    eprintln!(
        "at least once: {n} inputs, {} outputs, {} duplicates",
        out.len(),
        out.len() - seen.len()
    );
}

#[test]
fn broker_outage_makes_the_worker_not_ready_and_it_recovers_on_its_own() {
    let mut broker = Broker::start();
    let b = broker.address();
    let topics = [("in", 1), ("out", 1), ("errors", 1)];
    create_topics(&b, &topics);
    let scratch = Scratch::new("outage");
    let cfg = scratch.write(
        "config.json",
        &numbered_config(&scratch, &b, json!({})).to_string(),
    );
    let file = scratch.write(
        "outage.json",
        &stream_scenario(
            "outage",
            json!([
                kafka_source("source", "in"),
                raw_sink("sink", "out", "", "#input.n")
            ]),
        ),
    );
    let mut w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    produce(&b, "in", &[(None, r#"{"n": 1}"#)]);
    assert_eq!(
        read_topic(&b, "out", true, 1, Duration::from_secs(30), Duration::ZERO).len(),
        1
    );
    assert!(w.wait_ready(200, Duration::from_secs(5)));

    broker.stop();
    assert!(
        w.wait_ready(503, Duration::from_secs(60)),
        "not ready while the broker is away\n{}",
        w.log_text()
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        w.alive(),
        "the process does not exit because the broker is away"
    );
    assert_eq!(w.get("/alive").map(|(s, _)| s), Some(200));

    broker.start_again();
    create_topics(&b, &topics);
    produce(&b, "in", &[(None, r#"{"n": 2}"#)]);
    let out = read_topic(&b, "out", true, 1, Duration::from_secs(60), Duration::ZERO);
    assert_eq!(out.len(), 1, "{}", w.log_text());
    assert_eq!(out[0].value, "2");
    assert!(w.wait_ready(200, Duration::from_secs(30)), "ready again");
    assert!(w.metric("scenic_stream_worker_restarts_total") >= 1.0);
}

#[test]
fn two_workers_share_the_partitions_exactly_once() {
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("in", 2), ("out", 1), ("errors", 1)]);
    let scratch = Scratch::new("two");
    let cfg = scratch.write(
        "config.json",
        &numbered_config(
            &scratch,
            &b,
            json!({"parallelism": 2, "maxPollRecords": 50}),
        )
        .to_string(),
    );
    let file = scratch.write(
        "two.json",
        &stream_scenario(
            "two",
            json!([
                kafka_source("source", "in"),
                raw_sink("sink", "out", "", "#input.n")
            ]),
        ),
    );
    let n = 2000;
    produce_numbered(&b, "in", 0..n as i64, true);
    let journal_path = scratch.path("journal");
    let mut w = WorkerProcess::spawn(&file, &cfg, Some(&journal_path), scratch.path("log"));
    // Read uncommitted: two transactional ids writing one partition at once can leave nisshi
    // 0.7.0 unable to finalise either transaction (its EndTxn waits until every overlapping one
    // is prepared), which holds `read_committed` readers and the stored offsets back. Seen once
    // in about eight runs of this test; real Kafka has no such coupling. Nothing is aborted here,
    // so every record in the log is a committed output.
    let out = read_topic(
        &b,
        "out",
        false,
        n,
        Duration::from_secs(60),
        Duration::from_millis(500),
    );
    let seen: BTreeSet<String> = out.iter().map(|r| r.value.clone()).collect();
    assert_eq!(out.len(), n, "each input once\n{}", w.log_text());
    assert_eq!(seen.len(), n);
    let (committed, _) = journal(&journal_path);
    for worker in ["two-0-", "two-1-"] {
        assert!(
            committed.iter().any(|b| b.starts_with(worker)),
            "both workers committed batches ({worker})"
        );
    }
    // Nothing was aborted, so the uncommitted read above saw only committed outputs.
    let (_, metrics) = w.get("/metrics").expect("metrics");
    let aborted = metrics
        .lines()
        .find(|l| {
            l.starts_with("scenic_stream_batches_total") && l.contains(r#"outcome="aborted""#)
        })
        .expect("aborted series");
    assert!(aborted.ends_with(" 0"), "{aborted}");
    assert_eq!(w.terminate(Duration::from_secs(15)), Some(0));
}

/// `namespace` prefixes the consumer group and the scenario's topics, as the reference's
/// naming strategy does; the scenario keeps its plain topic names.
#[test]
fn a_namespace_prefixes_the_group_and_the_topics() {
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("team1_in", 1), ("team1_out", 1), ("errors", 1)]);
    let scratch = Scratch::new("ns");
    let cfg = scratch.write(
        "config.json",
        &numbered_config(&scratch, &b, json!({"namespace": "team1"})).to_string(),
    );
    let file = scratch.write(
        "ns.json",
        &stream_scenario(
            "ns",
            json!([
                kafka_source("source", "in"),
                raw_sink("sink", "out", "", "#input.n * 10")
            ]),
        ),
    );
    produce(&b, "team1_in", &[(None, r#"{"n": 4}"#)]);
    let w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("log"));
    let out = read_topic(
        &b,
        "team1_out",
        true,
        1,
        Duration::from_secs(30),
        Duration::ZERO,
    );
    assert_eq!(out.len(), 1, "{}", w.log_text());
    assert_eq!(out[0].value, "40");
    let started = Instant::now();
    while committed_offsets(&b, "team1_ns", "team1_in", 1) != vec![1]
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(committed_offsets(&b, "team1_ns", "team1_in", 1), vec![1]);
}

/// A record whose evaluation takes longer than `interpreterTimeout` on its own is a poison
/// record (issue #9: its batch timed out and restarted for ever): it goes to the error topic,
/// the records before it commit in their own batch, the records after it are read again and
/// processed, and nothing is lost.
#[test]
fn a_record_that_runs_out_of_time_goes_to_the_error_topic_and_blocks_nothing() {
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("in", 1), ("out", 1)]);
    let scratch = Scratch::new("slow-record");
    let cfg = numbered_config(&scratch, &b, json!({"interpreterTimeout": "1 s"}));
    let cfg = scratch.write("config.json", &cfg.to_string());
    let zeros = format!("{{{}}}", vec!["0"; 10_000].join(","));
    let ones = format!("{{{}}}", vec!["1"; 10_000].join(","));
    let scenario = stream_scenario(
        "slow-record",
        json!([
            kafka_source("source", "in"),
            {"id": "a", "type": "Variable", "varName": "a", "value": e(&zeros)},
            {"id": "b", "type": "Variable", "varName": "b", "value": e(&ones)},
            // 10 × 10^8 comparisons for n == 3: far more than a second.
            {"id": "work", "type": "Variable", "varName": "w", "value": e(
                "#input.n == 3 ? {1,2,3,4,5,6,7,8,9,10}.![#COLLECTION.diff(#a, #b).size()].size() : 0")},
            raw_sink("out", "out", "", "{n: #input.n, w: #w}")
        ]),
    );
    let file = scratch.write("slow.json", &scenario);
    produce_numbered(&b, "in", 1..6, false);
    let w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    let out = read_topic(
        &b,
        "out",
        true,
        4,
        Duration::from_secs(60),
        Duration::from_millis(300),
    );
    let ns: Vec<i64> = out.iter().filter_map(|r| r.json()["n"].as_i64()).collect();
    assert_eq!(ns, vec![1, 2, 4, 5], "{}", w.log_text());
    let errors = read_topic(
        &b,
        "errors",
        true,
        1,
        Duration::from_secs(10),
        Duration::from_millis(300),
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e0 = errors[0].json();
    assert_eq!(e0["nodeId"], "work", "{e0}");
    assert!(
        e0["message"]
            .as_str()
            .is_some_and(|m| m.contains("deadline")),
        "{e0}"
    );
    let started = Instant::now();
    while committed_offsets(&b, "slow-record", "in", 1) != vec![5]
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(committed_offsets(&b, "slow-record", "in", 1), vec![5]);
    assert!(
        w.log_text().contains("sent to the error topic"),
        "{}",
        w.log_text()
    );
}
