//! The InfluxDB reporter (`decisions.md` §7, `nussknacker-lite.md` §5): the configuration
//! file's `metrics` section, and a reporter that pushes the reference's measurements in line
//! protocol every `reporterPolling`, so the reference's Grafana dashboards work on Scenic's data.
//!
//! It writes the node measurements for every node: `nodeCount`, and `end`, `dead_end` and
//! `error.instantRateByNode` (`.count` and `.instantRate`), from 0 on. They are tagged
//! `scenario` (the scenario name), `nodeId`, `env`, `instanceId` and the `additionalTags`. The
//! runtimes add their timers (`invocation.*`, `service.*`, `eventtimedelay`), meters
//! (`source`) and gauges (`records-lag-max`, `task.*`) through [`Source`].
//!
//! Reporting never touches the invocation path: it reads the nodes' atomic counters on its own
//! thread. While InfluxDB is down, points are dropped with a warning at most once a minute, and
//! reporting resumes by itself.

pub mod line;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use indexmap::IndexMap;
use scenic_scenario::metrics::{node_snapshot, ScenarioList, WindowSnapshot};
use serde::Deserialize;
use serde_json::Value as Json;

use line::{Field, Point};

/// Why the `metrics` section cannot be used; each names its key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct MetricsConfigError {
    pub key: String,
    pub message: String,
}

/// The reference's `metrics` section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsConfig {
    /// The `env` tag (mandatory, as in the reference).
    pub environment: String,
    /// The `instanceId` tag; unset: `INSTANCE_ID`, else the host name.
    #[serde(default)]
    pub instance_id: Option<String>,
    #[serde(default)]
    pub additional_tags: IndexMap<String, String>,
    /// Prepended to every measurement name (`<prefix>.nodeCount`).
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub influx: Option<InfluxConfig>,
}

/// `metrics.influx`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InfluxConfig {
    /// The server (`http://influxdb:8086`) or its write endpoint (`…/write`).
    pub url: String,
    pub database: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub retention_policy: Option<String>,
    #[serde(
        default = "default_polling",
        with = "scenic_enrichers::config::duration"
    )]
    pub reporter_polling: Duration,
}

fn default_polling() -> Duration {
    Duration::from_secs(10)
}

impl MetricsConfig {
    /// The `metrics` value of a configuration file's root (absent: no reporting), with
    /// `${NAME}` secrets from `env`.
    pub fn from_root(
        root: &Json,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<MetricsConfig>, MetricsConfigError> {
        let Some(raw) = root.get("metrics") else {
            return Ok(None);
        };
        let mut value = raw.clone();
        scenic_enrichers::config::substitute(&mut value, "metrics", env).map_err(|e| {
            MetricsConfigError {
                key: "metrics".into(),
                message: e.to_string(),
            }
        })?;
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| MetricsConfigError {
                key: "metrics".into(),
                message: e.to_string(),
            })
    }

    /// The `instanceId` tag: the configured one, else `INSTANCE_ID`, else the host name.
    pub fn instance_id(&self, env: &dyn Fn(&str) -> Option<String>) -> String {
        self.instance_id
            .clone()
            .or_else(|| env("INSTANCE_ID"))
            .or_else(|| env("HOSTNAME"))
            .or_else(|| {
                std::fs::read_to_string("/etc/hostname")
                    .ok()
                    .map(|h| h.trim().to_string())
            })
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".into())
    }
}

/// A timer's window to report: `<name>.histogram` (Dropwizard's fields, nanoseconds) and
/// `<name>.instantRate`, with its tags.
pub struct Timer {
    /// `invocation.success`, `service.OK`, ...
    pub name: &'static str,
    pub tags: Vec<(String, String)>,
    pub snapshot: WindowSnapshot,
}

/// The enrichers' timers (`service.OK` / `service.FAIL`, tagged `scenario` and
/// `serviceName`), as every runtime reports them.
pub fn service_timers() -> Vec<Timer> {
    scenic_enrichers::metrics::ServiceMetrics::get()
        .timers()
        .into_iter()
        .map(|t| Timer {
            name: if t.ok { "service.OK" } else { "service.FAIL" },
            tags: vec![
                ("scenario".into(), t.scenario),
                ("serviceName".into(), t.service),
            ],
            snapshot: t.window.snapshot(),
        })
        .collect()
}

/// A meter to report: `<name>.count` and `<name>.instantRate`, with its tags.
pub struct Meter {
    /// `source`, ...
    pub name: &'static str,
    pub tags: Vec<(String, String)>,
    pub count: u64,
}

/// A gauge to report: `<name> value=…`, with its tags.
pub struct Gauge {
    /// `records-lag-max`, `task.attempt`, ...
    pub name: &'static str,
    pub tags: Vec<(String, String)>,
    pub value: f64,
}

type Read<T> = Arc<dyn Fn() -> Vec<T> + Send + Sync>;

/// What a report is made of, read at each report: the deployed scenarios (node counts), the
/// timers, meters and gauges.
pub struct Source {
    pub scenarios: ScenarioList,
    pub timers: Read<Timer>,
    pub meters: Read<Meter>,
    pub gauges: Read<Gauge>,
}

impl Source {
    /// The node counts of `scenarios`, and no timers, meters or gauges yet.
    pub fn new(scenarios: ScenarioList) -> Source {
        Source {
            scenarios,
            timers: Arc::new(Vec::new),
            meters: Arc::new(Vec::new),
            gauges: Arc::new(Vec::new),
        }
    }
}

/// Counts at the previous report, for the `instantRate` gauges: by measurement and tags.
type Previous = HashMap<(String, Vec<(String, String)>), u64>;

/// Builds one report's points. `previous` and `elapsed` give the rates (events per second
/// since the previous report); the first report has none.
pub fn points(
    config: &MetricsConfig,
    instance_id: &str,
    source: &Source,
    previous: &mut Previous,
    elapsed: Option<Duration>,
) -> Vec<Point> {
    let name = |m: &str| match &config.prefix {
        Some(p) if !p.is_empty() => format!("{p}.{m}"),
        _ => m.to_string(),
    };
    let mut common: Vec<(String, String)> = vec![
        ("env".into(), config.environment.clone()),
        ("instanceId".into(), instance_id.to_string()),
    ];
    common.extend(
        config
            .additional_tags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let mut out = Vec::new();
    let mut next = Previous::new();
    for n in node_snapshot(&(source.scenarios)()) {
        let mut tags = common.clone();
        tags.push(("scenario".into(), n.scenario.to_string()));
        tags.push(("nodeId".into(), n.node.to_string()));
        let c = n.counts;
        out.push(Point {
            measurement: name("nodeCount"),
            tags: tags.clone(),
            fields: vec![("count", Field::Int(c.entered as i64))],
        });
        for (meter, count) in [
            ("end", c.ended),
            ("dead_end", c.dead_ended),
            ("error.instantRateByNode", c.errors),
        ] {
            // Written from 0 on, unlike the reference's meters (which exist from their first
            // mark): a node's first end, dead end or error then shows as a rate in the
            // dashboards' derivative panels, instead of being the series' first point.
            out.push(Point {
                measurement: name(&format!("{meter}.count")),
                tags: tags.clone(),
                fields: vec![("count", Field::Int(count as i64))],
            });
            let key = (meter.to_string(), tags.clone());
            if let (Some(before), Some(dt)) = (previous.get(&key), elapsed) {
                let rate = count.saturating_sub(*before) as f64 / dt.as_secs_f64().max(1e-3);
                out.push(Point {
                    measurement: name(&format!("{meter}.instantRate")),
                    tags: tags.clone(),
                    fields: vec![("value", Field::Float(rate))],
                });
            }
            next.insert(key, count);
        }
    }
    for t in (source.timers)() {
        let mut tags = common.clone();
        tags.extend(t.tags.iter().cloned());
        let s = t.snapshot;
        out.push(Point {
            measurement: name(&format!("{}.histogram", t.name)),
            tags: tags.clone(),
            fields: vec![
                ("count", Field::Int(s.count as i64)),
                ("min", Field::Float(s.min)),
                ("max", Field::Float(s.max)),
                ("mean", Field::Float(s.mean)),
                ("stddev", Field::Float(s.stddev)),
                ("sum", Field::Float(s.sum)),
                ("p50", Field::Float(s.p50)),
                ("p75", Field::Float(s.p75)),
                ("p95", Field::Float(s.p95)),
                ("p98", Field::Float(s.p98)),
                ("p99", Field::Float(s.p99)),
                ("p999", Field::Float(s.p999)),
            ],
        });
        let key = (t.name.to_string(), tags.clone());
        if let (Some(before), Some(dt)) = (previous.get(&key), elapsed) {
            let rate = s.count.saturating_sub(*before) as f64 / dt.as_secs_f64().max(1e-3);
            out.push(Point {
                measurement: name(&format!("{}.instantRate", t.name)),
                tags,
                fields: vec![("value", Field::Float(rate))],
            });
        }
        next.insert(key, s.count);
    }
    for m in (source.meters)() {
        let mut tags = common.clone();
        tags.extend(m.tags.iter().cloned());
        out.push(Point {
            measurement: name(&format!("{}.count", m.name)),
            tags: tags.clone(),
            fields: vec![("count", Field::Int(m.count as i64))],
        });
        let key = (m.name.to_string(), tags.clone());
        if let (Some(before), Some(dt)) = (previous.get(&key), elapsed) {
            let rate = m.count.saturating_sub(*before) as f64 / dt.as_secs_f64().max(1e-3);
            out.push(Point {
                measurement: name(&format!("{}.instantRate", m.name)),
                tags,
                fields: vec![("value", Field::Float(rate))],
            });
        }
        next.insert(key, m.count);
    }
    for g in (source.gauges)() {
        let mut tags = common.clone();
        tags.extend(g.tags.iter().cloned());
        out.push(Point {
            measurement: name(g.name),
            tags,
            fields: vec![("value", Field::Float(g.value))],
        });
    }
    // Only what is still reported carries on: a cancelled scenario's rates stop with it.
    *previous = next;
    out
}

/// The write endpoint with its query (`db`, `u`, `p`, `rp`).
fn write_url(influx: &InfluxConfig) -> Result<reqwest::Url, String> {
    let base = influx.url.trim_end_matches('/');
    let endpoint = if base.ends_with("/write") {
        base.to_string()
    } else {
        format!("{base}/write")
    };
    let mut url = reqwest::Url::parse(&endpoint)
        .map_err(|e| format!("metrics.influx.url '{}': {e}", influx.url))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("db", &influx.database);
        if let Some(u) = &influx.username {
            q.append_pair("u", u);
        }
        if let Some(p) = &influx.password {
            q.append_pair("p", p);
        }
        if let Some(rp) = &influx.retention_policy {
            q.append_pair("rp", rp);
        }
    }
    Ok(url)
}

/// The running reporter; dropping it stops it.
pub struct Reporter {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// How often a failing write is reported in the log.
const WARN_EVERY: Duration = Duration::from_secs(60);
/// Longest a write may take (InfluxDB slow or unreachable).
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

impl Reporter {
    /// Starts reporting on a thread of its own, when the section configures InfluxDB.
    pub fn start(config: MetricsConfig, source: Source) -> Result<Option<Reporter>, String> {
        let Some(influx) = config.influx.clone() else {
            return Ok(None);
        };
        // The timers' windows record from now on.
        scenic_scenario::metrics::enable_windows();
        let url = write_url(&influx)?;
        let instance_id = config.instance_id(&|k| std::env::var(k).ok());
        let polling = influx.reporter_polling.max(Duration::from_millis(100));
        let client = reqwest::Client::builder()
            .timeout(WRITE_TIMEOUT)
            .build()
            .map_err(|e| format!("cannot build the InfluxDB client: {e}"))?;
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("scenic-influx".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        tracing::error!("the InfluxDB reporter cannot start: {e}");
                        return;
                    }
                };
                rt.block_on(async move {
                    let mut previous = Previous::new();
                    let mut last: Option<Instant> = None;
                    let mut warned: Option<Instant> = None;
                    let mut failing = false;
                    let mut tick = tokio::time::interval(polling);
                    loop {
                        tokio::select! {
                            _ = &mut stopped => return,
                            _ = tick.tick() => {}
                        }
                        let now = Instant::now();
                        let pts = points(&config, &instance_id, &source, &mut previous, last.map(|l| now - l));
                        last = Some(now);
                        let ts = SystemTime::now()
                            .duration_since(UNIX_EPOCH)
                            .map_or(0, |d| d.as_nanos() as i64);
                        let mut body = String::new();
                        for p in &pts {
                            // Lines with NaN are dropped, as the reference drops them.
                            let _ = p.line(ts, &mut body);
                        }
                        if body.is_empty() {
                            continue;
                        }
                        let sent = client.post(url.clone()).body(body).send().await;
                        let problem = match sent {
                            Ok(r) if r.status().is_success() => None,
                            Ok(r) => Some(format!("InfluxDB answered {}", r.status())),
                            Err(e) => Some(format!("cannot reach InfluxDB: {e}")),
                        };
                        match problem {
                            None => {
                                if failing {
                                    tracing::info!("metrics reach InfluxDB again");
                                    failing = false;
                                }
                            }
                            Some(p) => {
                                failing = true;
                                if warned.is_none_or(|w| w.elapsed() >= WARN_EVERY) {
                                    tracing::warn!("metrics dropped: {p} (this warning repeats at most once a minute)");
                                    warned = Some(Instant::now());
                                }
                            }
                        }
                    }
                });
            })
            .map_err(|e| format!("cannot start the InfluxDB reporter: {e}"))?;
        Ok(Some(Reporter {
            stop: Some(stop),
            thread: Some(thread),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timers_are_written_as_the_references_histograms_and_rates() {
        let config = MetricsConfig::from_root(
            &json!({"metrics": {"environment": "prod", "prefix": "nu"}}),
            &|_| None,
        )
        .expect("reads")
        .expect("present");
        scenic_scenario::metrics::enable_windows();
        let window = Arc::new(scenic_scenario::metrics::WindowHistogram::default());
        let w = window.clone();
        let mut source = Source::new(Arc::new(Vec::new));
        source.timers = Arc::new(move || {
            vec![Timer {
                name: "service.OK",
                tags: vec![("serviceName".into(), "dbQueryEnricher".into())],
                snapshot: w.snapshot(),
            }]
        });
        let mut previous = Previous::new();
        window.record(Duration::from_micros(150));
        let first = points(&config, "i-1", &source, &mut previous, None);
        let mut text = String::new();
        for p in &first {
            p.line(1, &mut text);
        }
        assert_eq!(
            text,
            "nu.service.OK.histogram,env=prod,instanceId=i-1,serviceName=dbQueryEnricher \
             count=1i,min=150000,max=150000,mean=150000,stddev=0,sum=150000,p50=150000,p75=150000,\
             p95=150000,p98=150000,p99=150000,p999=150000 1\n"
        );
        window.record(Duration::from_micros(50));
        window.record(Duration::from_micros(60));
        let second = points(
            &config,
            "i-1",
            &source,
            &mut previous,
            Some(Duration::from_secs(2)),
        );
        let rate = second
            .iter()
            .find(|p| p.measurement == "nu.service.OK.instantRate")
            .expect("a rate");
        assert_eq!(
            rate.fields,
            vec![("value", Field::Float(1.0))],
            "2 calls in 2 s"
        );
    }

    #[test]
    fn the_section_reads_the_references_keys_and_secrets() {
        let root = json!({"metrics": {"environment": "prod", "additionalTags": {"team": "risk"},
            "influx": {"url": "http://influx:8086", "database": "nussknacker_metrics",
                "username": "u", "password": "${PW}", "reporterPolling": "2 s"}}});
        let c = MetricsConfig::from_root(&root, &|k| (k == "PW").then(|| "s3cret".into()))
            .expect("reads")
            .expect("present");
        let influx = c.influx.clone().expect("influx");
        assert_eq!(influx.reporter_polling, Duration::from_secs(2));
        assert_eq!(
            write_url(&influx).expect("url").as_str(),
            "http://influx:8086/write?db=nussknacker_metrics&u=u&p=s3cret"
        );
        assert_eq!(
            c.instance_id(&|k| (k == "INSTANCE_ID").then(|| "7".into())),
            "7"
        );
        let e = MetricsConfig::from_root(&json!({"metrics": {"influx": {}}}), &|_| None)
            .expect_err("no environment");
        assert!(e.to_string().starts_with("metrics: "), "{e}");
        assert_eq!(MetricsConfig::from_root(&json!({}), &|_| None), Ok(None));
    }
}
