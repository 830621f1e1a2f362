//! Every panel query of every dashboard in `dashboards/`, with its template variables resolved,
//! against the real databases fed by `scenic serve`: InfluxDB 1.6 (its reporter) and
//! Prometheus 2.42 (scraping `/metrics` every second). Each returns series, and the counts
//! match the requests sent. The traffic covers successes, failures, dead ends
//! and an OpenAPI enricher (a scenario calling another scenario of the same server through its
//! generated OpenAPI document), so that every panel has data.

mod common;

use std::time::{Duration, Instant};

use common::dashboards::{self, Prometheus};
use common::influx::Influx;
use serde_json::{json, Value as Json};

fn spel(e: &str) -> Json {
    json!({"language": "spel", "expression": e})
}

/// request {n} → `profile` (OpenAPI: the `scorer` scenario) → filter (dead end for n ≤ 0) →
/// variable failing for 13 → response.
fn front() -> String {
    json!({
        "metaData": {"id": "front", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"n": {"type": "integer"}}}).to_string(),
            "outputSchema": "{}", "slug": "front"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "profile", "type": "Enricher", "service": {"id": "scorer", "parameters": [
                {"name": "n", "expression": spel("#input.n == 99 ? null : #input.n")}]}, "output": "p"},
            {"id": "positive", "type": "Filter", "expression": spel("#input.n > 0")},
            {"id": "inverse", "type": "Variable", "varName": "x", "value": spel("#input.n / (#input.n - 13)")},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": spel("true")},
                {"name": "Value", "expression": spel("#p.score + #x")}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

fn scorer() -> String {
    json!({
        "metaData": {"id": "scorer", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}).to_string(),
            "outputSchema": json!({"type": "object", "properties": {"score": {"type": "integer"}}, "required": ["score"]}).to_string(),
            "slug": "scorer"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "response", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "score", "expression": spel("#input.n * 2")}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dashboard_panel_query_returns_the_data_scenic_wrote() {
    let influx = Influx::start(common::free_port()).await;
    let port = common::free_port();
    let prometheus = Prometheus::start(&format!("127.0.0.1:{port}")).await;
    let work = std::env::temp_dir().join(format!("scenic-dash-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("dir");
    // The scorer's OpenAPI document, as `scenic openapi` generates it.
    let scorer_file = work.join("scorer.json");
    std::fs::write(&scorer_file, scorer()).expect("write");
    let doc = std::process::Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args(["openapi", scorer_file.to_str().expect("path")])
        .output()
        .expect("scenic openapi");
    assert!(doc.status.success());
    let mut doc: Json = serde_json::from_slice(&doc.stdout).expect("document");
    doc["paths"]["/"]["post"]["operationId"] = json!("scorer");
    std::fs::write(work.join("scorer.openapi.json"), doc.to_string()).expect("write");
    let config = work.join("config.json");
    std::fs::write(
        &config,
        json!({
            "components": {"scorers": {"providerType": "openAPI", "url": "scorer.openapi.json",
                "rootUrl": format!("http://127.0.0.1:{port}/scenario/scorer"), "allowedMethods": ["POST"]}},
            "metrics": {"environment": "test", "instanceId": "i-1",
                "influx": {"url": format!("http://127.0.0.1:{}", influx.port), "database": "scenic",
                    "reporterPolling": "300 ms"}}})
        .to_string(),
    )
    .expect("write");
    let server = common::start_args(
        None,
        |dir| {
            std::fs::write(dir.join("front.json"), front()).expect("write");
            std::fs::write(dir.join("scorer.json"), scorer()).expect("write");
        },
        &[
            "--config",
            config.to_str().expect("path"),
            "--port",
            &port.to_string(),
        ],
    )
    .await;
    // Prometheus scrapes the server before the traffic starts, so that the traffic spans
    // scrapes (rates and quantiles need counts that move between two samples).
    prometheus.wait_scraped().await;
    let c = reqwest::Client::new();
    // 8 successes, 2 failures (13), 2 dead ends, and a failing service call (99: the scorer
    // refuses a null `n`), over a few reports.
    let inputs = [1, 2, 13, 3, -1, 4, 99, 5, 13, 6, -2, 7, 8];
    for n in inputs {
        let r = c
            .post(format!("{}/scenario/front", server.base))
            .json(&json!({"n": n}))
            .send()
            .await
            .expect("send");
        let ok = n > 0 && n != 13 && n != 99;
        assert_eq!(
            r.status().as_u16(),
            if ok { 200 } else { 500 },
            "{n}: {}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // The last counts have been reported.
    let started = Instant::now();
    loop {
        let r = influx
            .query("SELECT last(\"count\") FROM \"nodeCount\" WHERE \"scenario\" = 'front' AND \"nodeId\" = 'request'")
            .await;
        if r["results"][0]["series"][0]["values"][0][1].as_i64() == Some(13) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{r}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let nodes = |a: &dashboards::Answer| -> Vec<(String, f64)> { a.by("nodeId") };
    let expected_counts: Vec<(String, f64)> = [
        ("inverse", 10.0),
        ("out", 8.0),
        ("positive", 12.0),
        ("profile", 13.0),
        ("request", 13.0),
    ]
    .map(|(n, c)| (n.to_string(), c))
    .to_vec();
    let mut report = Vec::new();
    let answers = dashboards::run_influx(&influx, "request-response", "front").await;
    for a in &answers {
        if a.panel == "Node counts" {
            assert_eq!(nodes(a), expected_counts, "{}", a.query);
        }
        if a.panel == "Errors by node" {
            assert!(a.peak_of("nodeId", "inverse") > Some(0.0), "{}", a.line());
            assert_eq!(a.peak_of("nodeId", "out"), Some(0.0), "{}", a.line());
            // The one failing service call shows: its series started at 0.
            assert!(a.peak_of("nodeId", "profile") > Some(0.0), "{}", a.line());
        }
        if a.panel == "Response 2xx – throughput" {
            assert!(a.peaks().iter().all(|p| *p > 0.0), "{}", a.line());
        }
        if a.panel.contains("latency") {
            for v in a.values() {
                assert!(
                    v > 1_000.0 && v < 10e9,
                    "{}: {v} ns is not a plausible latency",
                    a.panel
                );
            }
        }
        report.push(a.line());
    }
    assert!(answers.len() >= 10, "panels checked: {}", answers.len());
    // The reference's own dashboard queries (§5.3) on the same data.
    let reference = dashboards::run_reference(&influx, "request-response", "front").await;
    for a in &reference {
        if a.panel.starts_with("Designer counts") {
            assert_eq!(nodes(a), expected_counts, "{}", a.query);
        }
        report.push(a.line());
    }

    // Prometheus has scraped the last counts.
    let started = Instant::now();
    loop {
        let r = prometheus
            .query("scenic_node_count_total{scenario=\"front\",node=\"request\"}")
            .await;
        // Rates need two samples in their range: a few scrapes since the last request.
        let samples = prometheus
            .query("count_over_time(scenic_invocations_total{scenario=\"front\",outcome=\"success\"}[1m])")
            .await;
        let scraped = samples["data"]["result"][0]["value"][1]
            .as_str()
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0);
        if r["data"]["result"][0]["value"][1].as_str() == Some("13") && scraped >= 3 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "{r}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let answers = dashboards::run_prometheus(&prometheus, "request-response", "front").await;
    for a in &answers {
        if a.panel == "Node counts" {
            assert_eq!(a.by("node"), expected_counts, "{}", a.query);
        }
        if a.panel.to_lowercase().contains("latency") {
            assert!(
                a.values().iter().any(|v| *v > 0.0 && *v < 10.0),
                "{}: {:?} s",
                a.panel,
                a.values()
            );
        }
        report.push(a.line());
    }
    assert!(
        answers.len() >= 10,
        "Prometheus panels checked: {}",
        answers.len()
    );
    eprintln!("{}", report.join("\n"));
    let _ = std::fs::remove_dir_all(&work);
}

/// Every dashboard is one kind (request-response or streaming) for one datasource, whose uid
/// the provisioning file defines; ids and uids are unique, and every panel has a raw query.
#[test]
fn the_dashboards_are_well_formed_and_provisioned() {
    let provisioning =
        std::fs::read_to_string(dashboards::folder().join("provisioning/datasources.yaml"))
            .expect("provisioning/datasources.yaml");
    let mut uids = std::collections::BTreeSet::new();
    let mut count = 0;
    for datasource in ["influxdb", "prometheus"] {
        assert!(
            provisioning.contains(&format!("uid: {datasource}")),
            "no {datasource} datasource provisioned"
        );
        for entry in std::fs::read_dir(dashboards::folder().join(datasource)).expect("folder") {
            let path = entry.expect("entry").path();
            let d: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            let kinds: Vec<&str> = ["request-response", "streaming"]
                .into_iter()
                .filter(|k| {
                    d["tags"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|t| t == k))
                })
                .collect();
            assert_eq!(
                kinds.len(),
                1,
                "{}: one kind tag: {:?}",
                path.display(),
                d["tags"]
            );
            assert!(
                uids.insert(d["uid"].as_str().expect("uid").to_string()),
                "uid twice"
            );
            let mut ids = std::collections::BTreeSet::new();
            for p in d["panels"].as_array().expect("panels") {
                assert!(ids.insert(p["id"].as_i64().expect("id")), "panel id twice");
                assert_eq!(p["datasource"]["uid"], datasource, "{}", p["title"]);
                let targets = p["targets"].as_array().expect("targets");
                assert!(!targets.is_empty(), "{}: no target", p["title"]);
                for t in targets {
                    let q = t["query"]
                        .as_str()
                        .or(t["expr"].as_str())
                        .unwrap_or_default();
                    assert!(
                        !q.is_empty(),
                        "{}: a target without a raw query",
                        p["title"]
                    );
                }
            }
            for v in d["templating"]["list"].as_array().expect("variables") {
                assert_eq!(v["datasource"]["uid"], datasource);
            }
            count += 1;
        }
    }
    assert_eq!(
        count, 4,
        "request-response and streaming, for both datasources"
    );
}
