//! Test support for the streaming runtime: the real broker (nisshi, started per test on a free
//! port), librdkafka's mock cluster, producing and reading records, scenario files, the worker
//! as a process or in-process, and PostgreSQL databases and clusters for the enrichers ([`pg`]).

#![allow(dead_code)]

/// Prometheus and the dashboards' queries: the gateway tests' helper, one file for both.
#[path = "../../../../gateway/tests/common/dashboards.rs"]
pub mod dashboards;
/// InfluxDB for the reporter test: the gateway tests' helper, one file for both.
#[path = "../../../../gateway/tests/common/influx.rs"]
pub mod influx;
/// PostgreSQL for the enricher tests: the gateway tests' helper, one file for both.
#[path = "../../../../gateway/tests/common/pg.rs"]
pub mod pg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use serde_json::{json, Value};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A scratch folder removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!(
            "scenic-stream-{tag}-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&d).expect("scratch dir");
        Scratch(d)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The nisshi binary: `$NISSHI`, then `PATH`, then `~/.cargo/bin`. Missing, the test fails and
/// says how to get it: these tests never skip.
pub fn nisshi_binary() -> PathBuf {
    if let Ok(p) = std::env::var("NISSHI") {
        return PathBuf::from(p);
    }
    let candidates = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| Path::new(d).join("nisshi"))
        .chain(
            std::env::var("HOME")
                .ok()
                .map(|h| Path::new(&h).join(".cargo/bin/nisshi")),
        )
        .collect::<Vec<_>>();
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "\n\nThe Kafka broker nisshi 0.7.0 is not installed, and the streaming tests need it.\n\
                 Run ./scripts/test (it installs it), or:\n  cargo install nisshi@0.7.0 --locked \
                 --ignore-rust-version --no-default-features --features dynostore\n\n"
            )
        })
}

/// A real broker: nisshi with in-memory storage on a free port, killed on drop.
pub struct Broker {
    child: Option<Child>,
    pub port: u16,
}

impl Broker {
    pub fn start() -> Broker {
        let mut b = Broker {
            child: None,
            port: free_port(),
        };
        b.start_again();
        b
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// (Re)starts the broker on the same port; in-memory storage starts empty.
    pub fn start_again(&mut self) {
        let url = format!("tcp://127.0.0.1:{}", self.port);
        let child = Command::new(nisshi_binary())
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
                "--storage-engine",
                "memory://nisshi/",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nisshi starts");
        self.child = Some(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("nisshi did not start listening on {}", self.port);
    }

    /// Kills the broker (the outage test).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn client(bootstrap: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", bootstrap);
    c
}

/// Creates topics (ignoring "already exists").
pub fn create_topics(bootstrap: &str, topics: &[(&str, i32)]) {
    let admin: AdminClient<DefaultClientContext> = client(bootstrap).create().expect("admin");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let new: Vec<NewTopic> = topics
        .iter()
        .map(|(t, p)| NewTopic::new(t, *p, TopicReplication::Fixed(1)))
        .collect();
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let results = rt
        .block_on(admin.create_topics(new.iter(), &opts))
        .expect("create topics");
    for r in results {
        if let Err((t, code)) = r {
            assert_eq!(
                code,
                rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists,
                "creating {t}"
            );
        }
    }
}

/// Produces records (key, value) and waits for the acknowledgements.
pub fn produce(bootstrap: &str, topic: &str, records: &[(Option<&str>, &str)]) {
    let p: BaseProducer = client(bootstrap)
        .set("message.timeout.ms", "10000")
        .create()
        .expect("producer");
    for (k, v) in records {
        let mut r = BaseRecord::to(topic).payload(v.as_bytes());
        if let Some(k) = k {
            r = r.key(k.as_bytes());
        }
        let mut r = r;
        loop {
            match p.send(r) {
                Ok(()) => break,
                Err((_, back)) => {
                    r = back;
                    p.poll(Duration::from_millis(10));
                }
            }
        }
    }
    p.flush(Duration::from_secs(10))
        .expect("records acknowledged");
}

/// A record read back.
#[derive(Debug, Clone)]
pub struct Read {
    pub topic: String,
    pub key: Option<String>,
    pub value: String,
    pub partition: i32,
    pub offset: i64,
    pub headers: BTreeMap<String, String>,
}

impl Read {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.value).unwrap_or(Value::Null)
    }

    fn of(m: &rdkafka::message::BorrowedMessage<'_>) -> Read {
        let headers = m
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| {
                        (
                            h.key.to_string(),
                            String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Read {
            topic: m.topic().to_string(),
            key: m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
            value: String::from_utf8_lossy(m.payload().unwrap_or_default()).into_owned(),
            partition: m.partition(),
            offset: m.offset(),
            headers,
        }
    }
}

fn reader(bootstrap: &str, read_committed: bool) -> BaseConsumer {
    let group = format!("reader-{}", uuid_like());
    client(bootstrap)
        .set("group.id", &group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set(
            "isolation.level",
            if read_committed {
                "read_committed"
            } else {
                "read_uncommitted"
            },
        )
        .create()
        .expect("consumer")
}

/// A reader of topics from their start that stays subscribed (no group join per read): what it
/// has read so far, in arrival order, read committed.
pub struct Tail {
    consumer: BaseConsumer,
    pub seen: Vec<Read>,
}

impl Tail {
    pub fn new(bootstrap: &str, topics: &[&str]) -> Tail {
        let consumer = reader(bootstrap, true);
        consumer.subscribe(topics).expect("subscribe");
        Tail {
            consumer,
            seen: Vec::new(),
        }
    }

    /// Reads until `done` holds for what was read (true), or `within` passed (false).
    pub fn until(&mut self, within: Duration, done: impl Fn(&[Read]) -> bool) -> bool {
        let started = Instant::now();
        loop {
            if done(&self.seen) {
                return true;
            }
            if started.elapsed() >= within {
                return false;
            }
            if let Some(Ok(m)) = self.consumer.poll(Duration::from_millis(50)) {
                self.seen.push(Read::of(&m));
            }
        }
    }

    /// What was read from `topic`.
    pub fn of(&self, topic: &str) -> Vec<&Read> {
        self.seen.iter().filter(|r| r.topic == topic).collect()
    }
}

/// Reads `topic` from the start until `want` records arrived (or `within` passed), then for
/// `settle` more to catch extra ones. `read_committed` hides open transactions.
pub fn read_topic(
    bootstrap: &str,
    topic: &str,
    read_committed: bool,
    want: usize,
    within: Duration,
    settle: Duration,
) -> Vec<Read> {
    let c = reader(bootstrap, read_committed);
    c.subscribe(&[topic]).expect("subscribe");
    let mut out = Vec::new();
    let started = Instant::now();
    let mut reached: Option<Instant> = None;
    loop {
        if let Some(at) = reached {
            if at.elapsed() >= settle {
                break;
            }
        } else if started.elapsed() >= within {
            break;
        }
        if let Some(Ok(m)) = c.poll(Duration::from_millis(50)) {
            out.push(Read::of(&m));
            if out.len() >= want && reached.is_none() {
                reached = Some(Instant::now());
            }
        }
    }
    out
}

/// The consumer group's committed offset of each partition of `topic`.
pub fn committed_offsets(bootstrap: &str, group: &str, topic: &str, partitions: i32) -> Vec<i64> {
    let c: BaseConsumer = client(bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(topic, p);
    }
    let committed = c
        .committed_offsets(tpl, Duration::from_secs(10))
        .expect("committed offsets");
    (0..partitions)
        .map(
            |p| match committed.find_partition(topic, p).map(|e| e.offset()) {
                Some(Offset::Offset(o)) => o,
                _ => 0,
            },
        )
        .collect()
}

pub fn uuid_like() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        Instant::now().elapsed().as_nanos() ^ (free_port() as u128) << 20
    )
}

/// A Kafka expression parameter.
pub fn e(x: &str) -> Value {
    json!({"language": "spel", "expression": x})
}

/// A node parameter: its name and expression.
pub fn param(name: &str, expression: Value) -> Value {
    json!({"name": name, "expression": expression})
}

/// A `LiteStreamMetaData` scenario from its nodes.
pub fn stream_scenario(name: &str, nodes: Value) -> String {
    json!({
        "metaData": {"id": name, "additionalFields": {"description": null,
            "properties": {"parallelism": "1"}, "metaDataType": "LiteStreamMetaData"}},
        "nodes": nodes,
        "additionalBranches": []
    })
    .to_string()
}

pub fn kafka_source(id: &str, topic: &str) -> Value {
    json!({"id": id, "type": "Source", "ref": {"typ": "kafka", "parameters": [
        {"name": "Topic", "expression": e(&format!("'{topic}'"))}
    ]}})
}

/// A raw-editor `kafka` sink writing `value` keyed by `key`.
pub fn raw_sink(id: &str, topic: &str, key: &str, value: &str) -> Value {
    json!({"id": id, "type": "Sink", "ref": {"typ": "kafka", "parameters": [
        {"name": "Topic", "expression": e(&format!("'{topic}'"))},
        {"name": "Key", "expression": e(key)},
        {"name": "Raw editor", "expression": e("true")},
        {"name": "Value validation mode", "expression": e("'strict'")},
        {"name": "Value", "expression": e(value)}
    ]}})
}

/// A worker configuration for `bootstrap`, with short delays for tests.
pub fn config(bootstrap: &str, errors: &str, extra: Value) -> Value {
    let mut c = json!({
        "kafka": {"kafkaProperties": {
            "bootstrap.servers": bootstrap,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": "6000",
            // Also the rebalance timeout: how long a rebalance may wait for members of a killed
            // worker process to rejoin.
            "max.poll.interval.ms": "15000"
        }},
        "pollDuration": "50 ms",
        "waitAfterFailureDelay": "300 ms",
        "publishTimeout": "5 s",
        "interpreterTimeout": "5 s",
        "exceptionHandlingConfig": {"topic": errors}
    });
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            c.insert(k.clone(), v.clone());
        }
    }
    c
}

/// The schema of the numbered records most tests use: `{"n": integer}`.
pub const NUMBERED: &str =
    r#"{"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}"#;

/// A test configuration (see [`config`], error topic `errors`) whose topic `in` is typed by
/// [`NUMBERED`], the schema file written into `scratch`.
pub fn numbered_config(scratch: &Scratch, bootstrap: &str, extra: Value) -> Value {
    let schema = scratch.write("in.schema.json", NUMBERED);
    let mut c = config(bootstrap, "errors", extra);
    c["schemas"] = json!({"in": schema});
    c
}

/// Produces `{"n": i}` to `topic` for each `i` of `range`, keyed `k<i>` when `keyed`.
pub fn produce_numbered(bootstrap: &str, topic: &str, range: std::ops::Range<i64>, keyed: bool) {
    let keys: Vec<String> = range.clone().map(|i| format!("k{i}")).collect();
    let values: Vec<String> = range.map(|i| format!(r#"{{"n": {i}}}"#)).collect();
    let records: Vec<(Option<&str>, &str)> = keys
        .iter()
        .zip(&values)
        .map(|(k, v)| (keyed.then_some(k.as_str()), v.as_str()))
        .collect();
    produce(bootstrap, topic, &records);
}

/// The worker as a process: `scenic-stream FILE --config FILE`.
pub struct WorkerProcess {
    child: Option<Child>,
    pub port: u16,
    pub log: PathBuf,
}

impl WorkerProcess {
    pub fn spawn(
        scenario: &Path,
        config: &Path,
        journal: Option<&Path>,
        log: PathBuf,
    ) -> WorkerProcess {
        let port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_scenic-stream"));
        // SCENIC_STREAM_LOG sets the worker's log filter when debugging a test.
        let filter = std::env::var("SCENIC_STREAM_LOG").unwrap_or_else(|_| "info".into());
        cmd.env("RUST_LOG", filter);
        cmd.arg(scenario).arg("--config").arg(config).args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ]);
        if let Some(j) = journal {
            cmd.arg("--journal").arg(j);
        }
        let logfile = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        let child = cmd
            .stdout(Stdio::null())
            .stderr(logfile)
            .spawn()
            .expect("scenic-stream starts");
        WorkerProcess {
            child: Some(child),
            port,
            log,
        }
    }

    pub fn get(&self, path: &str) -> Option<(u16, String)> {
        use std::io::{Read as _, Write as _};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut text = String::new();
        s.read_to_string(&mut text).ok()?;
        let status = text.split(' ').nth(1)?.parse().ok()?;
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
        Some((status, body))
    }

    /// Waits until `/ready` answers `want` (200 or 503).
    pub fn wait_ready(&self, want: u16, within: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < within {
            if self.get("/ready").map(|(s, _)| s) == Some(want) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// A counter's value from `/metrics` (summed over label sets).
    pub fn metric(&self, name: &str) -> f64 {
        let Some((_, body)) = self.get("/metrics") else {
            return f64::NAN;
        };
        body.lines()
            .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-9", &c.id().to_string()])
                .status();
            let _ = c.wait();
        }
    }

    /// SIGTERM, then the exit code.
    pub fn terminate(&mut self, within: Duration) -> Option<i32> {
        let mut c = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < within {
            if let Ok(Some(s)) = c.try_wait() {
                return s.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = c.kill();
        let _ = c.wait();
        None
    }

    pub fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The worker in-process (mock-cluster tests): loads the scenario and starts its threads.
pub struct InProcess {
    pub shared: Arc<scenic_stream::worker::Shared>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl InProcess {
    pub fn start(scenario: &str, config: Value) -> InProcess {
        let config: scenic_stream::config::Config = serde_json::from_value(config).expect("config");
        config.check().expect("valid config");
        let schemas = Arc::new(config.topic_schemas().expect("schemas"));
        let (scenario, topics) =
            scenic_stream::load(scenario, schemas, &scenic_scenario::NoFragments).expect("loads");
        let workers = scenic_stream::worker_count(&config, &scenario);
        let metrics = Arc::new(scenic_stream::metrics::StreamMetrics::new(
            scenario.clone(),
            workers,
        ));
        let shared = Arc::new(scenic_stream::worker::Shared::new(
            scenario,
            Arc::new(config),
            metrics,
            topics,
            workers,
            None,
        ));
        let threads = scenic_stream::spawn_workers(&shared).expect("threads");
        InProcess { shared, threads }
    }

    pub fn wait_for(&self, what: &str, within: Duration, cond: impl Fn(&Self) -> bool) {
        let started = Instant::now();
        while started.elapsed() < within {
            if cond(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}");
    }

    pub fn stop(mut self) {
        self.shared.stop();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.shared.stop();
    }
}
