//! The InfluxDB reporter against a real InfluxDB 1.6 (`apt-get install influxdb`, started here
//! on free ports with a temporary folder): the reference's measurements and tags for the node
//! counts, with the counts of the requests sent; InfluxDB down at first, with invocations
//! unaffected, then reporting resumes on its own.

mod common;

use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

use common::influx::Influx;

/// `last("count")` of `measurement` for the scenario, by `nodeId`.
async fn last_counts(influx: &Influx, measurement: &str) -> Vec<(String, i64)> {
    let r = influx
        .query(&format!(
            "SELECT last(\"count\") FROM \"{measurement}\" WHERE \"scenario\" = 'filtering' \
                 AND \"env\" = 'test' GROUP BY \"nodeId\", \"instanceId\""
        ))
        .await;
    let mut out = Vec::new();
    for s in r["results"][0]["series"].as_array().into_iter().flatten() {
        assert_eq!(s["tags"]["instanceId"], "scenic-test-1", "{s}");
        let node = s["tags"]["nodeId"].as_str().unwrap_or_default().to_string();
        let v = s["values"][0][1].as_i64().unwrap_or(-1);
        out.push((node, v));
    }
    out.sort();
    out
}

fn spel(e: &str) -> Json {
    json!({"language": "spel", "expression": e})
}

/// request → filter `n > 0` (dead end otherwise) → variable (fails for 13) → response.
fn filtering() -> String {
    json!({
        "metaData": {"id": "filtering", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"n": {"type": "integer"}}}).to_string(),
            "outputSchema": "{}", "slug": "filtering"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "positive", "type": "Filter", "expression": spel("#input.n > 0")},
            {"id": "inverse", "type": "Variable", "varName": "x", "value": spel("#input.n / (#input.n - 13)")},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": spel("true")},
                {"name": "Value", "expression": spel("#x")}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_counts_reach_influxdb_with_the_references_names_and_reporting_survives_an_outage() {
    let port = common::free_port();
    let config = std::env::temp_dir().join(format!("scenic-influx-{}.json", std::process::id()));
    std::fs::write(
        &config,
        json!({"metrics": {"environment": "test", "instanceId": "scenic-test-1",
            "additionalTags": {"team": "risk"},
            "influx": {"url": format!("http://127.0.0.1:{port}"), "database": "scenic",
                "reporterPolling": "300 ms"}}})
        .to_string(),
    )
    .expect("write");
    // InfluxDB is not there yet.
    let server = common::start_args(
        None,
        |dir| std::fs::write(dir.join("filtering.json"), filtering()).expect("write"),
        &["--config", config.to_str().expect("path")],
    )
    .await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/filtering", server.base);
    let mut slowest = Duration::ZERO;
    let send = |n: i64| {
        let (c, url) = (c.clone(), url.clone());
        async move {
            let t = Instant::now();
            let status = c
                .post(url)
                .json(&json!({"n": n}))
                .send()
                .await
                .expect("send")
                .status();
            (status.as_u16(), t.elapsed())
        }
    };
    for n in [1, 2, 3, -1, 13] {
        let (status, took) = send(n).await;
        // A dead end answers 500 as well ("Scenario did not return any result").
        let ok = n > 0 && n != 13;
        assert_eq!(status, if ok { 200 } else { 500 }, "{n}: {}", server.log());
        slowest = slowest.max(took);
    }
    server
        .log_contains("metrics dropped: cannot reach InfluxDB")
        .await;
    assert!(
        slowest < Duration::from_secs(1),
        "invocations are not slowed: {slowest:?}"
    );

    // InfluxDB comes up on its address: reporting resumes by itself.
    let influx = Influx::start(port).await;
    // Spread over a few reports, so that the counts move between them (rates, derivatives).
    for n in [4, -2, -3, 13, 5] {
        send(n).await;
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
    let want_nodes = vec![
        ("inverse".to_string(), 7),
        ("out".to_string(), 5),
        ("positive".to_string(), 10),
        ("request".to_string(), 10),
    ];
    let started = Instant::now();
    loop {
        let got = last_counts(&influx, "nodeCount").await;
        if got == want_nodes {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "nodeCount: {got:?}\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.log_contains("metrics reach InfluxDB again").await;
    let ends = last_counts(&influx, "end.count").await;
    assert!(ends.contains(&("out".to_string(), 5)), "{ends:?}");
    // Every node's series starts at 0, so that a first end or error shows as a rate.
    assert!(ends.contains(&("request".to_string(), 0)), "{ends:?}");
    let dead = last_counts(&influx, "dead_end.count").await;
    assert!(dead.contains(&("positive".to_string(), 3)), "{dead:?}");
    let errors = last_counts(&influx, "error.instantRateByNode.count").await;
    assert!(errors.contains(&("inverse".to_string(), 2)), "{errors:?}");
    // The invocation timers: every invocation counted, percentiles in nanoseconds (the
    // reference's unit), plausible for a loopback call.
    let timer = |m: &'static str| {
        let influx = &influx;
        async move {
            let r = influx
                .query(&format!(
                    "SELECT last(\"count\"), last(\"p50\"), last(\"p99\"), last(\"max\") FROM \"{m}\" \
                     WHERE \"scenario\" = 'filtering' AND \"env\" = 'test'"
                ))
                .await;
            let v = r["results"][0]["series"][0]["values"][0].clone();
            (
                v[1].as_i64(),
                v[2].as_f64(),
                v[3].as_f64(),
                v[4].as_f64(),
                r,
            )
        }
    };
    let started = Instant::now();
    loop {
        let (count, p50, p99, max, r) = timer("invocation.success.histogram").await;
        if count == Some(5) {
            let (p50, p99, max) = (p50.unwrap_or(0.0), p99.unwrap_or(0.0), max.unwrap_or(0.0));
            assert!(p50 > 1_000.0 && p50 < 1e9, "p50 {p50} ns: {r}");
            assert!(p50 <= p99 && p99 <= max, "{r}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{r}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Failed invocations by failing node: the error twice at `inverse`; the three dead ends
    // name no node.
    let r = influx
        .query(
            "SELECT last(\"count\") FROM \"invocation.failure.histogram\" \
             WHERE \"scenario\" = 'filtering' GROUP BY \"nodeId\"",
        )
        .await;
    let mut failures: Vec<(String, i64)> = r["results"][0]["series"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["tags"]["nodeId"].as_str().unwrap_or_default().to_string(),
                s["values"][0][1].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    failures.sort();
    assert_eq!(
        failures,
        vec![("inverse".to_string(), 2), ("unknown".to_string(), 3)],
        "{r}"
    );
    // The additional tag is on every point; rates are written as gauges.
    let r = influx
        .query("SELECT count(\"value\") FROM \"end.instantRate\" WHERE \"team\" = 'risk' AND \"scenario\" = 'filtering'")
        .await;
    assert!(
        r["results"][0]["series"][0]["values"][0][1]
            .as_i64()
            .unwrap_or(0)
            > 0,
        "{r}"
    );
    // The reference's dashboard query of "Outputs/s" runs on these points.
    let r = influx
        .query(
            "SELECT sum(\"rate\") FROM (SELECT non_negative_derivative(last(\"count\"), 1s) AS \"rate\" \
             FROM \"end.count\" WHERE \"scenario\" =~ /^filtering$/ AND \"env\" = 'test' AND time > now() - 5m \
             GROUP BY time(1s), \"scenario\", \"nodeId\", \"instanceId\" fill(none)) GROUP BY time(1s), \"scenario\", \"nodeId\" fill(none)",
        )
        .await;
    let rates: Vec<f64> = r["results"][0]["series"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["values"].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v[1].as_f64())
        .collect();
    assert!(rates.iter().any(|r| *r > 0.0), "outputs per second: {r}");
    let _ = std::fs::remove_file(&config);
}
