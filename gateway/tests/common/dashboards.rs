//! The dashboards under test, for the gateway's (request-response) and the streaming worker's
//! (which includes this file) dashboard tests: Prometheus 2.42 started on a free port, every
//! panel target of the dashboards in `dashboards/` of one kind (their `request-response` or
//! `streaming` tag) run with Grafana's variables resolved, and the queries the reference's own
//! dashboards make (`nussknacker-lite.md` §5.3), written as those dashboards write them.
//! `apt-get install -y prometheus` provides Prometheus (the test command installs it); missing,
//! the test fails and says so.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

// Both including test crates' `common` define `free_port`.
use super::free_port;

/// A Prometheus server scraping `target` every second, from a temporary folder.
pub struct Prometheus {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Prometheus {
    pub async fn start(target: &str) -> Prometheus {
        let port = free_port();
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
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", conf.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
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

    /// An instant query's answer.
    pub async fn query(&self, q: &str) -> Json {
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

    /// The first series' value of an instant query, when there is one.
    pub async fn value(&self, q: &str) -> Option<f64> {
        self.query(q).await["data"]["result"][0]["value"][1]
            .as_str()
            .and_then(|v| v.parse().ok())
    }

    /// Waits until the target has been scraped (`up` is 1).
    pub async fn wait_scraped(&self) {
        let started = Instant::now();
        loop {
            if self.value("up{job=\"scenic\"}").await == Some(1.0) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "never scraped: {}",
                self.query("up").await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// `dashboards/` of this repository: the first ancestor of the crate's folder that has one
/// (the gateway's tests run from `gateway/`, the worker's from `runtime/stream/`).
pub fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("dashboards"))
        .find(|d| d.is_dir())
        .expect("dashboards/ above the crate")
}

/// The dashboards for `datasource` (`influxdb`, `prometheus`) tagged `kind`
/// (`request-response`, `streaming`): file name and JSON, sorted by name.
pub fn dashboards(datasource: &str, kind: &str) -> Vec<(String, Json)> {
    let dir = folder().join(datasource);
    let mut out: Vec<(String, Json)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default()
                .to_string();
            let dash: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, dash)
        })
        .filter(|(_, d)| {
            d["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == kind))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!out.is_empty(), "no {datasource} dashboard tagged {kind}");
    out
}

/// One panel target's answer: where it comes from, the query as run, and its series.
pub struct Answer {
    pub file: String,
    pub panel: String,
    pub ref_id: String,
    pub query: String,
    /// InfluxDB: `series` of the first result; Prometheus: the result vector.
    pub series: Vec<Json>,
}

impl Answer {
    /// The value a panel shows of each series: InfluxDB's newest non-null value of the first
    /// column (by series); Prometheus's instant values.
    pub fn values(&self) -> Vec<f64> {
        self.series
            .iter()
            .filter_map(|s| {
                if s["value"].is_array() {
                    s["value"][1].as_str().and_then(|v| v.parse().ok())
                } else {
                    s["values"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v[1].as_f64())
                        .next_back()
                }
            })
            .collect()
    }

    /// The largest value of each series over the queried range (InfluxDB), or its instant
    /// value (Prometheus): what a rate panel peaked at.
    pub fn peaks(&self) -> Vec<f64> {
        self.series
            .iter()
            .filter_map(|s| {
                if s["value"].is_array() {
                    s["value"][1].as_str().and_then(|v| v.parse().ok())
                } else {
                    s["values"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v[1].as_f64())
                        .reduce(f64::max)
                }
            })
            .collect()
    }

    /// The peak of the series whose `tag` is `value`.
    pub fn peak_of(&self, tag: &str, value: &str) -> Option<f64> {
        self.series
            .iter()
            .zip(self.peaks())
            .find(|(s, _)| s["tags"][tag].as_str().or(s["metric"][tag].as_str()) == Some(value))
            .map(|(_, p)| p)
    }

    /// The series by one tag (InfluxDB) or label (Prometheus), with their shown values.
    pub fn by(&self, tag: &str) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = self
            .series
            .iter()
            .zip(self.values())
            .map(|(s, v)| {
                let key = s["tags"][tag].as_str().or(s["metric"][tag].as_str());
                (key.unwrap_or_default().to_string(), v)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// One line for the report the test prints (and the note lists).
    pub fn line(&self) -> String {
        let shown: Vec<String> = self
            .series
            .iter()
            .zip(self.values().into_iter().zip(self.peaks()))
            .map(|(s, (v, peak))| {
                let v = if peak != v {
                    format!("{v} (peak {peak})")
                } else {
                    format!("{v}")
                };
                let tags = s["tags"].as_object().or(s["metric"].as_object());
                let tags: Vec<String> = tags
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| {
                        !["scenario", "__name__", "job", "instance"].contains(&k.as_str())
                    })
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect();
                if tags.is_empty() {
                    v
                } else {
                    format!("{}: {v}", tags.join(","))
                }
            })
            .collect();
        format!(
            "{} / {} / {}: {}",
            self.file,
            self.panel,
            self.ref_id,
            shown.join("; ")
        )
    }
}

/// An InfluxQL panel query with Grafana's variables resolved as the dashboard would for
/// `scenario` in environment `test`.
pub fn resolve_influx(q: &str, scenario: &str) -> String {
    q.replace("$scenarioName", scenario)
        .replace("$env", "test")
        .replace("$timeFilter", "time > now() - 5m")
        .replace("$__interval", "1s")
        .replace("$interval", "1s")
}

/// A PromQL panel expression with Grafana's variables resolved for `scenario`.
pub fn resolve_promql(q: &str, scenario: &str) -> String {
    q.replace("$scenario", scenario)
        .replace("$__rate_interval", "1m")
}

/// Every target of every panel of `dash`: panel title, refId, query (`query` for InfluxDB,
/// `expr` for Prometheus).
fn targets(dash: &Json) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for panel in dash["panels"].as_array().expect("panels") {
        let title = panel["title"].as_str().unwrap_or_default().to_string();
        for t in panel["targets"].as_array().into_iter().flatten() {
            let q = t["query"]
                .as_str()
                .or(t["expr"].as_str())
                .unwrap_or_else(|| panic!("{title}: a target without a raw query"));
            out.push((
                title.clone(),
                t["refId"].as_str().unwrap_or_default().to_string(),
                q.to_string(),
            ));
        }
    }
    out
}

/// Runs one InfluxQL panel query; it must succeed and return series.
async fn influx_answer(
    influx: &super::influx::Influx,
    file: &str,
    panel: String,
    ref_id: String,
    query: String,
) -> Answer {
    let r = influx.query(&query).await;
    assert!(r["results"][0]["error"].is_null(), "{panel}: {query}: {r}");
    let series = r["results"][0]["series"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !series.is_empty(),
        "{file} / {panel}: no series for {query}: {r}"
    );
    Answer {
        file: file.to_string(),
        panel,
        ref_id,
        query,
        series,
    }
}

/// Runs every panel target of the InfluxDB dashboards tagged `kind` for `scenario`. Each
/// must succeed and return series.
pub async fn run_influx(influx: &super::influx::Influx, kind: &str, scenario: &str) -> Vec<Answer> {
    let mut out = Vec::new();
    for (file, dash) in dashboards("influxdb", kind) {
        for (panel, ref_id, q) in targets(&dash) {
            let query = resolve_influx(&q, scenario);
            out.push(influx_answer(influx, &file, panel, ref_id, query).await);
        }
    }
    out
}

/// Runs every panel target of the Prometheus dashboards tagged `kind` for `scenario`. Each
/// must succeed and return series.
pub async fn run_prometheus(prometheus: &Prometheus, kind: &str, scenario: &str) -> Vec<Answer> {
    let mut out = Vec::new();
    for (file, dash) in dashboards("prometheus", kind) {
        for (panel, ref_id, q) in targets(&dash) {
            let query = resolve_promql(&q, scenario);
            let r = prometheus.query(&query).await;
            assert_eq!(r["status"], "success", "{panel}: {query}: {r}");
            let series = r["data"]["result"].as_array().cloned().unwrap_or_default();
            assert!(
                !series.is_empty(),
                "{file} / {panel}: no series for {query}: {r}"
            );
            out.push(Answer {
                file: file.clone(),
                panel,
                ref_id,
                query,
                series,
            });
        }
    }
    out
}

/// The queries of the reference's dashboards (`nussknacker-request-response-scenario.json` and
/// `nussknacker-lite-scenario.json`, `nussknacker-lite.md` §5.3) for `kind`, as those dashboards
/// write them (builder targets as Grafana renders them): panel title and InfluxQL with
/// Grafana's variables. Some group by tags Scenic does not write (`nodeName`, and
/// `serviceName` on invocations), as the reference's own data would not have them either: a
/// missing tag groups as an empty one, so the queries work unchanged.
pub fn reference_queries(kind: &str) -> Vec<(String, String)> {
    let raw_filter = "scenario =~ /^$scenarioName$/ AND env = '$env' AND $timeFilter";
    let builder_filter = |anchored: bool| {
        format!(
            "(\"env\" =~ /^$env$/ AND \"scenario\" =~ /{}$scenarioName$/) AND $timeFilter",
            if anchored { "^" } else { "" }
        )
    };
    let rate = |m: &str, by: &str| {
        format!(
            "SELECT sum(value) FROM ( SELECT non_negative_derivative(last(\"count\"), 1s) AS value FROM \"{m}\" WHERE {raw_filter} GROUP BY time($__interval), {by}, instanceId ) GROUP BY time($__interval), {by}\n"
        )
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let (rates, by): (&[(&str, &str)], &str) = match kind {
        "request-response" => (
            &[
                ("Response 2xx - throughput", "invocation.success.histogram"),
                ("Outputs/s (ends)", "end.count"),
                ("Outputs/s (dead ends)", "dead_end.count"),
                ("Errors", "error.instantRateByNode.count"),
            ],
            "scenario, nodeId",
        ),
        "streaming" => (
            &[
                ("Source throughput", "source.count"),
                ("Events that passed whole scenario /s", "end.count"),
                ("Rejected events /s", "dead_end.count"),
                ("Errors", "error.instantRateByNode.count"),
            ],
            "scenario, nodeId, nodeName",
        ),
        other => panic!("no reference dashboard for {other}"),
    };
    for (title, m) in rates {
        out.push((title.to_string(), rate(m, by)));
    }
    if kind == "request-response" {
        for (outcome, m) in [
            ("2xx", "invocation.success.histogram"),
            ("4/5xx", "invocation.failure.histogram"),
        ] {
            for (what, field) in [
                ("median", "p50"),
                ("99th percentile", "p99"),
                ("max", "max"),
            ] {
                for (target, by) in [
                    ("A", "\"scenario\", \"serviceName\""),
                    ("B", "\"scenario\", \"serviceName\", \"instanceId\""),
                ] {
                    out.push((
                        format!("Response {outcome} - {what} ({target})"),
                        format!(
                            "SELECT max(\"{field}\") FROM \"{m}\" WHERE {} GROUP BY time($interval), {by} fill(null)",
                            builder_filter(true)
                        ),
                    ));
                }
            }
        }
    } else {
        out.push((
            "Max lag among Kafka source partitions (events)".into(),
            format!(
                "SELECT max(\"value\") FROM \"records-lag-max\" WHERE {} GROUP BY time($__interval), \"scenario\", \"taskId\", \"instanceId\"",
                builder_filter(false)
            ),
        ));
        for (title, select, m, by) in [
            (
                "Delay since event occurrence - minimum",
                "min(\"min\")",
                "eventtimedelay.histogram",
                "\"scenario\", \"instanceId\", \"nodeId\", \"nodeName\"",
            ),
            (
                "Delay since event occurrence - median",
                "mean(\"p50\")",
                "eventtimedelay.histogram",
                "\"scenario\", \"nodeId\", \"nodeName\", \"instanceId\"",
            ),
            (
                "Delay since event occurrence - maximum",
                "max(\"max\")",
                "eventtimedelay.histogram",
                "\"scenario\", \"instanceId\", \"nodeId\", \"nodeName\"",
            ),
            (
                "Time from latest event",
                "min(\"value\")",
                "eventtimedelay.minimalDelay",
                "\"scenario\", \"nodeId\", \"nodeName\", \"instanceId\"",
            ),
        ] {
            out.push((
                title.into(),
                format!(
                    "SELECT {select} FROM \"{m}\" WHERE {} GROUP BY time($__interval), {by} fill(null)",
                    builder_filter(false)
                ),
            ));
        }
    }
    // The external services, the same in both.
    for outcome in ["OK", "FAIL"] {
        for (what, field) in [("median", "p50"), ("99th percentile", "p99")] {
            out.push((
                format!("Services - {what} {outcome}"),
                format!(
                    "SELECT max(\"{field}\") FROM \"service.{outcome}.histogram\" WHERE {} GROUP BY time($interval), \"scenario\", \"serviceName\", \"instanceId\" fill(null)",
                    builder_filter(true)
                ),
            ));
        }
        out.push((
            format!("Services - throughput {outcome}"),
            format!(
                "SELECT sum(mean) FROM ( SELECT mean(value) FROM \"service.{outcome}.instantRate\" WHERE {raw_filter} GROUP BY time($__interval), scenario, serviceName, instanceId ) GROUP BY time($__interval), scenario, serviceName"
            ),
        ));
    }
    // The Designer's counts: `nodeCount`'s `count` by node, over the slots and instances
    // (its `InfluxConfig` defaults).
    out.push((
        "Designer counts (nodeCount)".into(),
        "SELECT sum(\"count\") AS \"count\" FROM (SELECT last(\"count\") AS \"count\" FROM \"nodeCount\" WHERE \"scenario\" = '$scenarioName' AND \"env\" = '$env' AND $timeFilter GROUP BY \"nodeId\", \"slot\", \"instanceId\") GROUP BY \"nodeId\"".into(),
    ));
    out
}

/// Runs the reference's queries for `kind` on the data Scenic wrote for `scenario`: each must
/// succeed and return series.
pub async fn run_reference(
    influx: &super::influx::Influx,
    kind: &str,
    scenario: &str,
) -> Vec<Answer> {
    let file = format!("reference {kind}");
    let mut out = Vec::new();
    for (panel, q) in reference_queries(kind) {
        let query = resolve_influx(&q, scenario);
        out.push(influx_answer(influx, &file, panel, "A".into(), query).await);
    }
    out
}

/// `promtool check metrics` on an exposition: no error and no lint. Without promtool (outside
/// the test command), a loud warning; in CI, a failure.
pub fn promtool_check(exposition: &str) {
    match std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(exposition.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("promtool runs");
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.status.success() && said.trim().is_empty(),
                "promtool check metrics:\n{said}"
            );
        }
        Err(e) => {
            // The test command installs Debian's prometheus; elsewhere say so loudly.
            assert!(
                std::env::var_os("CI").is_none(),
                "promtool is missing in CI: {e}"
            );
            eprintln!("WARNING: promtool not found ({e}): `promtool check metrics` was not run");
        }
    }
}
