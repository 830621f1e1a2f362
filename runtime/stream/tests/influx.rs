//! The InfluxDB reporter of `scenic-stream` against a real InfluxDB 1.6 and a real broker
//! (nisshi): the reference's streaming measurements (`source.count` by source node, node
//! counts, `records-lag-max`, `task.attempt`, `task.restarting`) with the counts of the records
//! sent.

mod common;

use std::time::{Duration, Instant};

use common::influx::Influx;
use common::*;
use serde_json::json;

#[test]
fn the_worker_reports_the_references_streaming_measurements() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let influx = rt.block_on(Influx::start(free_port()));
    let broker = Broker::start();
    let b = broker.address();
    create_topics(&b, &[("orders", 1), ("big", 1), ("errors", 1)]);
    let scratch = Scratch::new("influx");
    let mut c = config(&b, "errors", json!({}));
    let schema = scratch.write(
        "orders.schema.json",
        r#"{"type": "object", "properties": {"amount": {"type": "integer"}}, "required": ["amount"]}"#,
    );
    c["schemas"] = json!({"orders": schema});
    c["metrics"] = json!({"environment": "test", "instanceId": "worker-1",
        "influx": {"url": format!("http://127.0.0.1:{}", influx.port), "database": "scenic",
            "reporterPolling": "300 ms"}});
    let cfg = scratch.write("config.json", &c.to_string());
    let text = stream_scenario(
        "big-orders",
        json!([
            kafka_source("orders in", "orders"),
            {"id": "big only", "type": "Filter", "expression": e("#input.amount > 10")},
            raw_sink("big out", "big", "'k'", "#input")
        ]),
    );
    let file = scratch.write("big-orders.json", &text);
    let records: Vec<String> = [5, 50, 7, 70, 700]
        .iter()
        .map(|a| json!({"amount": a}).to_string())
        .collect();
    let pairs: Vec<(Option<&str>, &str)> = records.iter().map(|r| (None, r.as_str())).collect();
    produce(&b, "orders", &pairs);
    let w = WorkerProcess::spawn(&file, &cfg, None, scratch.path("worker.log"));
    let last = |q: &str| {
        let r = rt.block_on(influx.query(q));
        (r["results"][0]["series"][0]["values"][0][1].as_f64(), r)
    };
    let started = Instant::now();
    loop {
        let (count, r) = last(
            "SELECT last(\"count\") FROM \"source.count\" WHERE \"scenario\" = 'big-orders' \
             AND \"nodeId\" = 'orders in' AND \"env\" = 'test' AND \"instanceId\" = 'worker-1'",
        );
        if count == Some(5.0) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "source.count: {r}\n{}",
            w.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let started = Instant::now();
    loop {
        let (dead, _) = last(
            "SELECT last(\"count\") FROM \"dead_end.count\" WHERE \"scenario\" = 'big-orders' AND \"nodeId\" = 'big only'",
        );
        let (ended, r) = last(
            "SELECT last(\"count\") FROM \"end.count\" WHERE \"scenario\" = 'big-orders' AND \"nodeId\" = 'big out'",
        );
        if dead == Some(2.0) && ended == Some(3.0) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{dead:?} {ended:?}: {r}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (attempt, r) = last(
        "SELECT last(\"value\") FROM \"task.attempt\" WHERE \"scenario\" = 'big-orders' AND \"taskId\" = 'task-0'",
    );
    assert_eq!(attempt, Some(1.0), "{r}");
    let (restarting, r) =
        last("SELECT last(\"value\") FROM \"task.restarting\" WHERE \"scenario\" = 'big-orders'");
    assert_eq!(restarting, Some(0.0), "{r}");
    // The reference dashboard's lag panel: max(value) of records-lag-max by scenario and task.
    let (lag, r) = last(
        "SELECT max(\"value\") FROM \"records-lag-max\" WHERE \"scenario\" =~ /^big-orders$/ \
         AND time > now() - 5m GROUP BY \"scenario\", \"taskId\", \"instanceId\"",
    );
    assert!(lag.is_some_and(|l| l >= 0.0), "{r}");
}
