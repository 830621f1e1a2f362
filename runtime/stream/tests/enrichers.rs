//! The streaming worker with enrichers: the real `scenic-stream` binary on the real broker
//! (nisshi) and the real PostgreSQL (a database of its own per test; for the outage, a cluster
//! of its own that the test kills and starts again). Neither missing is a reason to skip: the
//! tests fail and say what is needed.
//!
//! The scenario looks each order's client up (`db-lookup`, node `find client`), lists the
//! client's purchases (`db-query`, `Result set`, node `list purchases`) and writes the enriched
//! order. A record the enricher cannot run for (a Long key beyond the Integer that the `int`
//! key column types `Key value` with) or that is not JSON is a poison record: it goes to the
//! error topic naming its node, and the records after it are processed. A database that is down fails the records that need it in the same
//! way (error topic, offsets committed), and the worker neither stops nor restarts: once the
//! database is back, records are enriched again. The last test adds the OpenAPI enricher, on a
//! small HTTP service of the test's own: its 404 is null, its 500 fails the record at its node.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::pg::{Cluster, Db};
use common::*;
use scenic_stream::worker::INPUT_HEADER;
use serde_json::{json, Value};

const SEED: &str = "CREATE TABLE client (id int PRIMARY KEY, name text, blocked boolean);
    INSERT INTO client VALUES (1, 'Ann', false), (2, 'Bob', true);
    CREATE TABLE purchase (client_id int, sku text);
    INSERT INTO purchase VALUES (1, 'apple'), (1, 'pear'), (2, 'plum');";

const ORDERS: &str = r#"{"type": "object", "properties": {"clientId": {"type": "integer"},
    "amount": {"type": "integer"}}, "required": ["clientId"]}"#;

fn template(x: &str) -> Value {
    json!({"language": "spelTemplate", "expression": x})
}

/// orders → `find client` (lookup) → `list purchases` (query) → enriched.
fn scenario() -> String {
    stream_scenario(
        "enriched-orders",
        json!([
            kafka_source("source", "orders"),
            {"id": "find client", "type": "Enricher", "service": {"id": "db-lookup", "parameters": [
                param("Table", e("'client'")),
                param("Cache TTL", e("")),
                param("Key column", e("'id'")),
                param("Key value", e("#input.clientId"))
            ]}, "output": "client"},
            {"id": "list purchases", "type": "Enricher", "service": {"id": "db-query", "parameters": [
                param("Result strategy", e("'Result set'")),
                param("Query", template("SELECT sku FROM purchase WHERE client_id = ? ORDER BY sku")),
                param("Cache TTL", e("")),
                param("arg1", e("#input.clientId"))
            ]}, "output": "purchases"},
            raw_sink(
                "out",
                "enriched",
                "'' + #input.clientId",
                "{clientId: #input.clientId, name: #client == null ? 'unknown' : #client.name, \
                  blocked: #client?.blocked, skus: #purchases.![#this.sku]}"
            )
        ]),
    )
}

/// The scenario and a configuration (error topic `errors`, input event included) whose
/// enrichers use `components`, written into `scratch`.
fn files(scratch: &Scratch, bootstrap: &str, components: Value) -> (PathBuf, PathBuf) {
    let schema = scratch.write("orders.schema.json", ORDERS);
    let mut c = config(
        bootstrap,
        "errors",
        json!({"exceptionHandlingConfig": {"topic": "errors", "includeInputEvent": true}}),
    );
    c["schemas"] = json!({"orders": schema});
    c["components"] = components;
    let cfg = scratch.write("config.json", &c.to_string());
    let file = scratch.write("enriched-orders.json", &scenario());
    (file, cfg)
}

fn order(client: i64) -> String {
    format!(r#"{{"clientId": {client}, "amount": 10}}"#)
}

fn produce_orders(bootstrap: &str, clients: &[i64]) {
    let values: Vec<String> = clients.iter().map(|c| order(*c)).collect();
    let records: Vec<(Option<&str>, &str)> = values.iter().map(|v| (None, v.as_str())).collect();
    produce(bootstrap, "orders", &records);
}

/// Waits until the consumer group `enriched-orders` has committed `want` on `orders`.
fn wait_committed(bootstrap: &str, want: i64, w: &WorkerProcess) {
    let started = Instant::now();
    let mut got = committed_offsets(bootstrap, "enriched-orders", "orders", 1);
    while got != vec![want] && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
        got = committed_offsets(bootstrap, "enriched-orders", "orders", 1);
    }
    assert_eq!(got, vec![want], "committed offsets\n{}", w.log_text());
}

/// What the worker wrote for the input record at `offset` of `orders`: the outputs and error
/// records that name it in their `scenic.input` header.
fn outcomes(seen: &[Read], offset: i64) -> Vec<&Read> {
    let input = format!("orders/0/{offset}");
    seen.iter()
        .filter(|r| r.headers.get(INPUT_HEADER) == Some(&input))
        .collect()
}

/// Reads until every input of `offsets` has an outcome; panics with the worker's log if not.
fn wait_outcomes(tail: &mut Tail, offsets: std::ops::Range<i64>, w: &WorkerProcess) {
    let done = tail.until(Duration::from_secs(30), |seen| {
        offsets.clone().all(|o| !outcomes(seen, o).is_empty())
    });
    assert!(
        done,
        "no outcome for some of the inputs {offsets:?}: {:?}\n{}",
        tail.seen,
        w.log_text()
    );
}

/// The single outcome of input `offset`: its topic and JSON value.
fn outcome(tail: &Tail, offset: i64) -> (String, Value) {
    let found = outcomes(&tail.seen, offset);
    assert_eq!(found.len(), 1, "one outcome for input {offset}: {found:?}");
    (found[0].topic.clone(), found[0].json())
}

/// After `settle` more of reading, every input `0..n` has exactly one outcome (enriched or an
/// error record) and nothing else was written.
fn assert_each_input_once(tail: &mut Tail, n: i64, settle: Duration) {
    tail.until(settle, |_| false);
    for o in 0..n {
        assert_eq!(
            outcomes(&tail.seen, o).len(),
            1,
            "input {o}: {:?}",
            tail.seen
        );
    }
    assert_eq!(tail.seen.len(), n as usize, "{:?}", tail.seen);
}

fn ann() -> Value {
    json!({"clientId": 1, "name": "Ann", "blocked": false, "skus": ["apple", "pear"]})
}
fn bob() -> Value {
    json!({"clientId": 2, "name": "Bob", "blocked": true, "skus": ["plum"]})
}
fn unknown() -> Value {
    json!({"clientId": 7, "name": "unknown", "blocked": null, "skus": []})
}

const WORKER_RESTARTS: &str = "scenic_stream_worker_restarts_total";

#[test]
fn records_are_enriched_from_the_database_and_a_poison_record_goes_to_the_error_topic() {
    let started = Instant::now();
    let db = Db::new(SEED);
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("orders", 1), ("enriched", 1), ("errors", 1)]);
    let scratch = Scratch::new("enrichers");
    let (file, cfg) = files(&scratch, &b, db.components(json!({"timeout": "1s"})));
    let mut tail = Tail::new(&b, &["enriched", "errors"]);
    let (one, big, seven, two) = (order(1), order(3_000_000_000), order(7), order(2));
    produce(
        &b,
        "orders",
        &[
            (None, &one),
            (None, "not json"),
            // A Long the schema lets through, beyond the key column's int (Integer): the lookup
            // cannot take it as its key, and fails for this record only.
            (None, &big),
            (None, &seven),
            (None, &two),
        ],
    );
    let w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    wait_outcomes(&mut tail, 0..5, &w);

    // The records around the poison ones are enriched from both enrichers.
    assert_eq!(outcome(&tail, 0), ("enriched".into(), ann()));
    assert_eq!(outcome(&tail, 3), ("enriched".into(), unknown()));
    assert_eq!(outcome(&tail, 4), ("enriched".into(), bob()));
    let keys: Vec<Option<&str>> = tail
        .of("enriched")
        .iter()
        .map(|r| r.key.as_deref())
        .collect();
    assert_eq!(
        keys,
        vec![Some("1"), Some("7"), Some("2")],
        "keyed, in order"
    );

    // Not JSON: the source's error.
    let (topic, e1) = outcome(&tail, 1);
    assert_eq!(topic, "errors");
    assert_eq!(e1["nodeId"], "source", "{e1}");
    assert_eq!(e1["inputEvent"]["input"], "not json");
    // The key beyond int: the lookup node's error, with its expression and the record.
    let (topic, e2) = outcome(&tail, 2);
    assert_eq!(topic, "errors");
    let record = outcomes(&tail.seen, 2)[0];
    assert_eq!(record.key.as_deref(), Some("enriched-orders-find client"));
    assert_eq!(e2["processName"], "enriched-orders");
    assert_eq!(e2["nodeId"], "find client", "{e2}");
    assert_eq!(e2["exceptionInput"], "#input.clientId", "{e2}");
    assert!(
        e2["message"]
            .as_str()
            .is_some_and(|m| m.contains("3000000000")
                && m.contains("Cannot cast or convert value")
                && m.contains("Integer")),
        "{e2}"
    );
    assert_eq!(e2["inputEvent"]["input"]["clientId"], 3_000_000_000_i64);
    assert_eq!(e2["inputEvent"]["inputMeta"]["offset"], 2);
    // Every offset is committed, the poison records' too.
    wait_committed(&b, 5, &w);

    // A later batch is processed and committed as well.
    produce_orders(&b, &[2]);
    wait_outcomes(&mut tail, 5..6, &w);
    assert_eq!(outcome(&tail, 5), ("enriched".into(), bob()));
    wait_committed(&b, 6, &w);
    assert_each_input_once(&mut tail, 6, Duration::from_millis(300));
    assert_eq!(w.metric("scenic_stream_error_records_total"), 2.0);
    assert_eq!(w.metric(WORKER_RESTARTS), 0.0, "{}", w.log_text());
    eprintln!("enrichment and poison records: {:?}", started.elapsed());
}

#[test]
fn a_database_outage_sends_records_to_the_error_topic_and_heals_without_a_restart() {
    let started = Instant::now();
    let cluster = Cluster::start(free_port());
    let db = Db::on("127.0.0.1", cluster.port, SEED);
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("orders", 1), ("enriched", 1), ("errors", 1)]);
    let scratch = Scratch::new("enrichers-outage");
    let (file, cfg) = files(
        &scratch,
        &b,
        db.components(json!({"timeout": "1s", "maxTotal": 2})),
    );
    let mut tail = Tail::new(&b, &["enriched", "errors"]);
    let mut w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    produce_orders(&b, &[1]);
    wait_outcomes(&mut tail, 0..1, &w);
    assert_eq!(outcome(&tail, 0), ("enriched".into(), ann()));

    cluster.kill();
    let outage = Instant::now();
    produce_orders(&b, &[1, 2, 1]);
    wait_outcomes(&mut tail, 1..4, &w);
    for o in 1..4 {
        let (topic, v) = outcome(&tail, o);
        assert_eq!(
            topic, "errors",
            "input {o} failed while the database is down: {v}"
        );
        assert_eq!(v["nodeId"], "find client", "{v}");
        let message = v["message"].as_str().unwrap_or_default();
        assert!(message.contains(&db.place()), "names the database: {v}");
    }
    eprintln!(
        "outage: 3 records in the error topic {:?} after the kill: {}",
        outage.elapsed(),
        outcome(&tail, 3).1["message"]
    );
    // The worker keeps running: no restart, still ready.
    assert!(w.alive(), "the worker exited\n{}", w.log_text());
    assert!(
        w.wait_ready(200, Duration::from_secs(5)),
        "still ready\n{}",
        w.log_text()
    );
    assert_eq!(w.metric(WORKER_RESTARTS), 0.0, "{}", w.log_text());

    cluster.up();
    // The pool replaces its dead connections on the next borrows: one record at a time until
    // one is enriched again (those before it may still fail and go to the error topic).
    let healed = Instant::now();
    let mut next = 4;
    loop {
        produce_orders(&b, &[2]);
        wait_outcomes(&mut tail, next..next + 1, &w);
        let (topic, v) = outcome(&tail, next);
        next += 1;
        if topic == "enriched" {
            assert_eq!(v, bob());
            break;
        }
        assert_eq!(v["nodeId"], "find client", "{v}");
        assert!(
            healed.elapsed() < Duration::from_secs(30),
            "never enriched again after the database came back\n{}",
            w.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "outage: enriched again {:?} after the database came back ({} record(s) tried)",
        healed.elapsed(),
        next - 4
    );
    produce_orders(&b, &[1, 7]);
    wait_outcomes(&mut tail, next..next + 2, &w);
    assert_eq!(outcome(&tail, next), ("enriched".into(), ann()));
    assert_eq!(outcome(&tail, next + 1), ("enriched".into(), unknown()));
    let produced = next + 2;
    // Every input has exactly one outcome, and the group committed past all of them.
    wait_committed(&b, produced, &w);
    assert_each_input_once(&mut tail, produced, Duration::from_millis(500));
    assert_eq!(w.metric(WORKER_RESTARTS), 0.0, "{}", w.log_text());
    assert!(w.alive());
    assert_eq!(
        w.terminate(Duration::from_secs(15)),
        Some(0),
        "SIGTERM exits 0"
    );
    eprintln!("outage test: {:?}", started.elapsed());
}

fn check(scenario: &Path, config: &Path) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scenic-stream"))
        .arg(scenario)
        .arg("--config")
        .arg(config)
        .arg("--check")
        .output()
        .expect("scenic-stream runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_against_an_unreachable_database_names_the_node_and_the_component() {
    let scratch = Scratch::new("enrichers-check");
    let pool = json!({"driverClassName": "org.postgresql.Driver",
        "url": "jdbc:postgresql://127.0.0.1:1/nowhere", "username": "postgres", "password": "",
        "timeout": "1s"});
    let components = json!({"databaseEnricher": {"config": {
        "databaseQueryEnricher": {"name": "db-query", "dbPool": pool.clone()},
        "databaseLookupEnricher": {"name": "db-lookup", "dbPool": pool}}}});
    // No broker is needed for --check; the address is only there to be complete.
    let (file, cfg) = files(&scratch, "127.0.0.1:1", components);
    let started = Instant::now();
    let (code, stdout, stderr) = check(&file, &cfg);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let line = |component: &str| {
        let wanted = format!(
            "Could not create {component}: cannot connect to the database 127.0.0.1:1/nowhere"
        );
        stderr
            .lines()
            .find(|l| l.contains(&wanted))
            .unwrap_or_else(|| panic!("no '{wanted}' in:\n{stderr}"))
            .to_string()
    };
    let lookup = line("db-lookup");
    assert!(lookup.contains("find client"), "{stderr}");
    let query = line("db-query");
    assert!(query.contains("list purchases"), "{stderr}");
    assert!(!stdout.contains(": ok"), "{stdout}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "--check took {:?}",
        started.elapsed()
    );

    // The same files with a reachable database check ok: the failure above is the database's.
    let db = Db::new(SEED);
    let (file, cfg) = files(&scratch, "127.0.0.1:1", db.components(json!({})));
    let (code, stdout, stderr) = check(&file, &cfg);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains(": ok"), "{stdout}");
}

/// A one-operation HTTP service on loopback, for the OpenAPI enricher: `GET /segments/{id}`
/// answers `{"segment": ...}`, 404 for id 404, 500 for id 500. Plain std: one request per
/// connection (`Connection: close`).
fn segment_service() -> u16 {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let id: i64 = head
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.strip_prefix("/segments/"))
                .and_then(|i| i.parse().ok())
                .unwrap_or(0);
            let (status, body) = match id {
                404 => ("404 Not Found", String::new()),
                500 => ("500 Internal Server Error", "boom".to_string()),
                i => (
                    "200 OK",
                    json!({"segment": if i % 2 == 0 { "premium" } else { "standard" }}).to_string(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

const SEGMENTS_DOC: &str = r#"{"openapi": "3.0.3", "info": {"title": "segments", "version": "1"},
  "paths": {"/segments/{id}": {"get": {"operationId": "getSegment",
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
    "responses": {"200": {"description": "the segment", "content": {"application/json": {
      "schema": {"type": "object", "properties": {"segment": {"type": "string"}}}}}}}}}}}"#;

#[test]
fn sql_and_openapi_enrichers_on_one_stream() {
    let db = Db::new(SEED);
    let http = segment_service();
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("orders", 1), ("enriched", 1), ("errors", 1)]);
    let scratch = Scratch::new("enrichers-both");
    let doc = scratch.write("segments.json", SEGMENTS_DOC);
    let mut components = db.components(json!({"timeout": "1s"}));
    components["segments"] = json!({"providerType": "openAPI", "url": doc,
        "rootUrl": format!("http://127.0.0.1:{http}")});
    let schema = scratch.write("orders.schema.json", ORDERS);
    let mut c = config(
        &b,
        "errors",
        json!({"exceptionHandlingConfig": {"topic": "errors", "includeInputEvent": true}}),
    );
    c["schemas"] = json!({"orders": schema});
    c["components"] = components;
    let cfg = scratch.write("config.json", &c.to_string());
    let text = stream_scenario(
        "enriched-orders",
        json!([
            kafka_source("source", "orders"),
            {"id": "find client", "type": "Enricher", "service": {"id": "db-lookup", "parameters": [
                param("Table", e("'client'")),
                param("Key column", e("'id'")),
                param("Key value", e("#input.clientId.intValue"))
            ]}, "output": "client"},
            {"id": "segment", "type": "Enricher", "service": {"id": "getSegment", "parameters": [
                param("id", e("#input.clientId"))
            ]}, "output": "seg"},
            raw_sink(
                "out",
                "enriched",
                "'' + #input.clientId",
                "{clientId: #input.clientId, name: #client?.name, segment: #seg?.segment}"
            )
        ]),
    );
    let file = scratch.write("enriched-orders.json", &text);
    let mut tail = Tail::new(&b, &["enriched", "errors"]);
    produce_orders(&b, &[1, 2, 404, 500, 7]);
    let w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    wait_outcomes(&mut tail, 0..5, &w);
    assert_eq!(
        outcome(&tail, 0),
        (
            "enriched".into(),
            json!({"clientId": 1, "name": "Ann", "segment": "standard"})
        )
    );
    assert_eq!(
        outcome(&tail, 1),
        (
            "enriched".into(),
            json!({"clientId": 2, "name": "Bob", "segment": "premium"})
        )
    );
    // 404 is null, as an unknown client is.
    assert_eq!(
        outcome(&tail, 2),
        (
            "enriched".into(),
            json!({"clientId": 404, "name": null, "segment": null})
        )
    );
    // The service's 500 fails that record at its node; the next one goes on.
    let (topic, err) = outcome(&tail, 3);
    assert_eq!(topic, "errors");
    assert_eq!(err["nodeId"], "segment", "{err}");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("Failed to invoke getSegment") && m.contains("500")),
        "{err}"
    );
    assert_eq!(
        outcome(&tail, 4),
        (
            "enriched".into(),
            json!({"clientId": 7, "name": null, "segment": "standard"})
        )
    );
    wait_committed(&b, 5, &w);
    assert_eq!(w.metric(WORKER_RESTARTS), 0.0, "{}", w.log_text());
}
