//! Every panel query of every dashboard in `dashboards/`, with its template variables resolved,
//! against the real databases fed by `scenic serve`: InfluxDB 1.6 (its reporter) and
//! Prometheus 2.42 (scraping `/metrics` every second). Each returns series, and the counts
//! match the requests sent. The traffic covers successes, failures, dead ends
//! and an OpenAPI enricher (a scenario calling another scenario of the same server through its
//! generated OpenAPI document), so that every panel has data.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::influx::Influx;
use serde_json::{json, Value as Json};

/// A Prometheus server scraping `target` every second, from a temporary folder.
struct Prometheus {
    child: std::process::Child,
    dir: std::path::PathBuf,
    port: u16,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Prometheus {
    async fn start(target: &str) -> Prometheus {
        let port = common::free_port();
        let dir = std::env::temp_dir().join(format!("scenic-prom-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let conf = dir.join("prometheus.yml");
        std::fs::write(
            &conf,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: scenic\n    static_configs:\n      - targets: ['{target}']\n"
            ),
        )
        .expect("write");
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", conf.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect(
                "prometheus is needed (apt-get install -y prometheus; scripts/test installs it)",
            );
        let p = Prometheus { child, dir, port };
        let c = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = c
                .get(format!("http://127.0.0.1:{port}/-/ready"))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "prometheus did not come up"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        p
    }

    /// An instant query's result vector.
    async fn query(&self, q: &str) -> Json {
        reqwest::Client::new()
            .get(format!("http://127.0.0.1:{}/api/v1/query", self.port))
            .query(&[("query", q)])
            .send()
            .await
            .expect("query")
            .json()
            .await
            .expect("json")
    }
}

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

/// A panel query with Grafana's variables resolved as the dashboard would for `scenario`.
fn resolve(q: &str, scenario: &str) -> String {
    q.replace("$scenarioName", scenario)
        .replace("$env", "test")
        .replace("$timeFilter", "time > now() - 5m")
        .replace("$__interval", "1s")
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
    let started = Instant::now();
    loop {
        let up = prometheus.query("up{job=\"scenic\"}").await;
        if up["data"]["result"][0]["value"][1].as_str() == Some("1") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never scraped: {up}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboards/influxdb");
    let mut checked = 0;
    let mut report = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("dashboards/influxdb") {
        let path = entry.expect("entry").path();
        let dash: Json =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        for panel in dash["panels"].as_array().expect("panels") {
            let title = panel["title"].as_str().unwrap_or_default();
            for target in panel["targets"].as_array().into_iter().flatten() {
                let q = resolve(target["query"].as_str().expect("a raw query"), "front");
                let r = influx.query(&q).await;
                assert!(r["results"][0]["error"].is_null(), "{title}: {q}: {r}");
                let series = r["results"][0]["series"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                assert!(!series.is_empty(), "{title}: no series for {q}: {r}");
                // A value the panel shows: the newest non-null of the first series.
                let value = series[0]["values"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v[1].as_f64())
                    .next_back();
                report.push(format!(
                    "{} / {title} / {}: {value:?}",
                    path.file_name().and_then(|f| f.to_str()).unwrap_or(""),
                    target["refId"].as_str().unwrap_or("")
                ));
                checked += 1;
                if title == "Node counts" {
                    let mut counts: Vec<(String, i64)> = series
                        .iter()
                        .map(|s| {
                            (
                                s["tags"]["nodeId"].as_str().unwrap_or("").to_string(),
                                s["values"][0][1].as_i64().unwrap_or(-1),
                            )
                        })
                        .collect();
                    counts.sort();
                    assert_eq!(
                        counts,
                        vec![
                            ("inverse".into(), 10),
                            ("out".into(), 8),
                            ("positive".into(), 12),
                            ("profile".into(), 13),
                            ("request".into(), 13)
                        ],
                        "{r}"
                    );
                }
                if title.contains("latency") {
                    let v = value.unwrap_or(0.0);
                    assert!(
                        v > 1_000.0 && v < 10e9,
                        "{title}: {v} ns is not a plausible latency"
                    );
                }
            }
        }
    }
    assert!(checked >= 10, "panels checked: {checked}");

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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboards/prometheus");
    let mut prom_checked = 0;
    for entry in std::fs::read_dir(&dir).expect("dashboards/prometheus") {
        let path = entry.expect("entry").path();
        let dash: Json =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        for panel in dash["panels"].as_array().expect("panels") {
            let title = panel["title"].as_str().unwrap_or_default();
            for target in panel["targets"].as_array().into_iter().flatten() {
                let q = target["expr"]
                    .as_str()
                    .expect("an expression")
                    .replace("$scenario", "front")
                    .replace("$__rate_interval", "1m");
                let r = prometheus.query(&q).await;
                assert_eq!(r["status"], "success", "{title}: {q}: {r}");
                let result = r["data"]["result"].as_array().cloned().unwrap_or_default();
                assert!(!result.is_empty(), "{title}: no series for {q}: {r}");
                let values: Vec<f64> = result
                    .iter()
                    .filter_map(|s| s["value"][1].as_str().and_then(|v| v.parse().ok()))
                    .collect();
                report.push(format!(
                    "{} / {title} / {}: {values:?}",
                    path.file_name().and_then(|f| f.to_str()).unwrap_or(""),
                    target["refId"].as_str().unwrap_or("")
                ));
                prom_checked += 1;
                if title == "Node counts" {
                    let mut counts: Vec<(String, String)> = result
                        .iter()
                        .map(|s| {
                            (
                                s["metric"]["node"].as_str().unwrap_or("").to_string(),
                                s["value"][1].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect();
                    counts.sort();
                    assert_eq!(
                        counts,
                        [
                            ("inverse", "10"),
                            ("out", "8"),
                            ("positive", "12"),
                            ("profile", "13"),
                            ("request", "13")
                        ]
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                        .to_vec(),
                        "{r}"
                    );
                }
                if title.contains("latency") || title.contains("Latency") {
                    assert!(
                        values.iter().any(|v| *v > 0.0 && *v < 10.0),
                        "{title}: {values:?} s"
                    );
                }
            }
        }
    }
    assert!(
        prom_checked >= 10,
        "Prometheus panels checked: {prom_checked}"
    );
    eprintln!("{}", report.join("\n"));
    let _ = std::fs::remove_dir_all(&work);
}
