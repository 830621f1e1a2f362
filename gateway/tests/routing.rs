//! `scenic gateway --routes FILE` over real processes: `scenic run` backends as the pods of
//! each scenario version, the gateway in front, and the routes file edited under load. Weighted
//! splits, the version pin, moving traffic 0 → 10 → 50 → 100 % and back, a SIGTERM of a backend
//! under load, backends that are down or refuse connections, and the deadline passed on.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

/// A child process killed (and reaped) on drop.
struct Proc {
    child: Option<Child>,
    base: String,
    log: PathBuf,
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Proc {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM: the graceful shutdown a pod gets.
    fn terminate(&mut self) {
        if let Some(c) = &self.child {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
        }
    }
}

fn work_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "scenic-routing-{}-{tag}-{}",
        std::process::id(),
        common::free_port()
    ));
    std::fs::create_dir_all(&d).expect("dir");
    d
}

async fn wait_ready(base: &str, what: &str, log: impl Fn() -> String) {
    let c = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(r) = c.get(format!("{base}/ready")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} did not become ready:\n{}",
            log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `scenic ARGS… --port <free>`, its log in `dir/<name>-<port>.log`, once its `/ready` is 200.
async fn start_scenic(dir: &Path, name: &str, args: &[&str]) -> Proc {
    let port = common::free_port();
    let log = dir.join(format!("{name}-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args(args)
        .args(["--port", &port.to_string()])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("scenic starts");
    let p = Proc {
        child: Some(child),
        base: format!("http://127.0.0.1:{port}"),
        log,
    };
    wait_ready(&p.base, name, || p.log()).await;
    p
}

/// `scenic run` of the scenario `loan` answering `answer` (a SpEL string literal).
async fn backend(dir: &Path, answer: &str) -> Proc {
    let file = dir.join(format!("loan-{}.json", common::free_port()));
    std::fs::write(&file, common::scenario("loan", "loan", answer)).expect("write");
    let file = file.to_str().expect("path");
    start_scenic(
        dir,
        "backend",
        &["run", file, "--host", "127.0.0.1", "--workers", "1"],
    )
    .await
}

/// The version a backend serves (its `Scenic-Scenario-Version`).
async fn version_of(base: &str) -> String {
    let r = reqwest::Client::new()
        .post(base.to_string())
        .json(&json!({}))
        .send()
        .await
        .expect("backend answers");
    r.headers()["scenic-scenario-version"]
        .to_str()
        .expect("ascii")
        .to_string()
}

fn write_routes(path: &Path, routes: serde_json::Value) {
    // Written aside and renamed: the gateway never reads half a file.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json!({ "routes": routes }).to_string()).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

async fn gateway(dir: &Path, routes: serde_json::Value) -> (Proc, PathBuf) {
    let path = dir.join("routes.json");
    write_routes(&path, routes);
    let routes = path.to_str().expect("path");
    let p = start_scenic(
        dir,
        "gateway",
        &["gateway", "--routes", routes, "--workers", "2"],
    )
    .await;
    (p, path)
}

/// The gateway's `scenic_gateway_backend_ready` series that are 1.
async fn ready_backends(gateway: &str) -> usize {
    let text = common::get_text(&reqwest::Client::new(), format!("{gateway}/metrics")).await;
    text.lines()
        .filter(|l| l.starts_with("scenic_gateway_backend_ready{") && l.ends_with(" 1"))
        .count()
}

async fn wait_backends_ready(gateway: &Proc, n: usize) {
    let started = Instant::now();
    while ready_backends(&gateway.base).await < n {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the gateway does not see {n} ready backends:\n{}",
            gateway.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One request through the gateway: its status and the version that served it.
async fn call(c: &reqwest::Client, gateway: &str, pin: Option<&str>) -> (u16, String) {
    let mut r = c.post(format!("{gateway}/scenario/loan")).json(&json!({}));
    if let Some(v) = pin {
        r = r.header("Scenic-Scenario-Version", v);
    }
    match r.send().await {
        Ok(r) => {
            let v = r
                .headers()
                .get("scenic-scenario-version")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            (status, if status == 200 { v } else { body })
        }
        Err(e) => (0, format!("{e:?}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weights_split_the_traffic_a_pin_reaches_its_version_and_weight_zero_gets_nothing() {
    let dir = work_dir("split");
    let (a, b, z) = (
        backend(&dir, "'a'").await,
        backend(&dir, "'b'").await,
        backend(&dir, "'z'").await,
    );
    let (va, vb, vz) = (
        version_of(&a.base).await,
        version_of(&b.base).await,
        version_of(&z.base).await,
    );
    let (gw, _) = gateway(
        &dir,
        json!({"loan": [{"url": a.base, "weight": 90}, {"url": b.base, "weight": 10},
            {"url": z.base, "weight": 0}]}),
    )
    .await;
    wait_backends_ready(&gw, 3).await;
    let c = reqwest::Client::new();
    let mut counts = std::collections::HashMap::<String, u32>::new();
    for _ in 0..1000 {
        let (status, v) = call(&c, &gw.base, None).await;
        assert_eq!(status, 200, "{v}");
        *counts.entry(v).or_default() += 1;
    }
    let share = |v: &str| counts.get(v).copied().unwrap_or(0);
    assert!((850..=950).contains(&share(&va)), "{counts:?}");
    assert!((50..=150).contains(&share(&vb)), "{counts:?}");
    assert_eq!(share(&vz), 0, "weight 0 gets nothing: {counts:?}");
    // The pin reaches its version every time, weight 0 included.
    for _ in 0..100 {
        assert_eq!(call(&c, &gw.base, Some(&vz)).await, (200, vz.clone()));
        assert_eq!(call(&c, &gw.base, Some(&vb)).await, (200, vb.clone()));
    }
    let (status, body) = call(&c, &gw.base, Some("nope")).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("version 'nope'"), "{body}");
    // Unknown slugs are 404 in the runtime's error format.
    let r = c
        .post(format!("{}/scenario/other", gw.base))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    // The merged document lists the scenario once, with its versions.
    let doc: serde_json::Value = reqwest::get(format!("{}/openapi.json", gw.base))
        .await
        .expect("openapi")
        .json()
        .await
        .expect("json");
    let item = &doc["paths"]["/scenario/loan"];
    assert!(item["post"].is_object(), "{doc}");
    assert_eq!(
        item["x-scenic-versions"].as_array().map(Vec::len),
        Some(3),
        "{doc}"
    );
    // The scenario's own document and UI through the gateway.
    let definition: serde_json::Value =
        reqwest::get(format!("{}/scenario/loan/definition", gw.base))
            .await
            .expect("definition")
            .json()
            .await
            .expect("json");
    assert_eq!(definition["info"]["title"], "loan");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Counts of a load run: requests, failures and the first failures' details.
#[derive(Default)]
struct Load {
    sent: AtomicU64,
    failed: AtomicU64,
    details: Mutex<Vec<String>>,
    versions: Mutex<std::collections::HashMap<String, u64>>,
}

/// `clients` loops posting through the gateway until `stop`.
fn start_load(
    gateway: &str,
    clients: usize,
    stop: Arc<AtomicBool>,
) -> (Arc<Load>, Vec<tokio::task::JoinHandle<()>>) {
    let load = Arc::new(Load::default());
    let tasks = (0..clients)
        .map(|_| {
            let (gateway, stop, load) = (gateway.to_string(), stop.clone(), load.clone());
            tokio::spawn(async move {
                let c = reqwest::Client::new();
                while !stop.load(Ordering::Relaxed) {
                    let (status, v) = call(&c, &gateway, None).await;
                    load.sent.fetch_add(1, Ordering::Relaxed);
                    if status == 200 {
                        *load.versions.lock().expect("lock").entry(v).or_default() += 1;
                    } else {
                        load.failed.fetch_add(1, Ordering::Relaxed);
                        let mut d = load.details.lock().expect("lock");
                        if d.len() < 10 {
                            d.push(format!("{status}: {v}"));
                        }
                    }
                }
            })
        })
        .collect();
    (load, tasks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canary_walk_a_rollback_and_a_terminated_backend_fail_no_request() {
    let dir = work_dir("canary");
    let (v1, v2) = (backend(&dir, "'v1'").await, backend(&dir, "'v2'").await);
    let mut v1b = backend(&dir, "'v1'").await;
    let (n1, n2) = (version_of(&v1.base).await, version_of(&v2.base).await);
    let routes = |w1: u32, w2: u32| json!({"loan": [{"url": v1.base, "weight": w1}, {"url": v2.base, "weight": w2}]});
    let (gw, path) = gateway(&dir, routes(100, 0)).await;
    wait_backends_ready(&gw, 2).await;
    let stop = Arc::new(AtomicBool::new(false));
    let (load, tasks) = start_load(&gw.base, 4, stop.clone());
    let step = Duration::from_millis(700);
    for (w1, w2) in [(100, 0), (90, 10), (50, 50), (0, 100), (100, 0)] {
        write_routes(&path, routes(w1, w2));
        tokio::time::sleep(step).await;
    }
    // Two backends of v1, then one of them gets SIGTERM under load.
    write_routes(
        &path,
        json!({"loan": [{"url": v1.base, "weight": 50}, {"url": v1b.base, "weight": 50}]}),
    );
    wait_backends_ready(&gw, 2).await;
    tokio::time::sleep(step).await;
    v1b.terminate();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("load task");
    }
    let (sent, failed) = (
        load.sent.load(Ordering::Relaxed),
        load.failed.load(Ordering::Relaxed),
    );
    let versions = load.versions.lock().expect("lock").clone();
    let metrics = common::get_text(&reqwest::Client::new(), format!("{}/metrics", gw.base)).await;
    let retries: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("scenic_gateway_retries_total{"))
        .collect();
    eprintln!(
        "canary walk: {sent} requests, {failed} failed, by version {versions:?}; retries {retries:?}"
    );
    // The terminated backend drained and stopped (it was not killed).
    assert!(v1b.log().contains("shutting down"), "{}", v1b.log());
    assert_eq!(
        failed,
        0,
        "failed requests: {:?}\n{}",
        load.details.lock().expect("lock"),
        gw.log()
    );
    assert!(sent >= 2000, "only {sent} requests under load");
    assert!(versions.get(&n2).copied().unwrap_or(0) > 0, "{versions:?}");
    assert!(versions.get(&n1).copied().unwrap_or(0) > 0, "{versions:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A tiny HTTP backend of the test's own: `/ready` and `/definition` like a runtime, and the
/// scenario answering the `Scenic-Timeout-Ms` it was sent, after `delay`. Every answer closes
/// its connection. Dropping the listener (`close`) makes later connections refused.
struct Fake {
    base: String,
    open: Arc<AtomicBool>,
}

impl Fake {
    fn start(delay: Duration) -> Fake {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let open = Arc::new(AtomicBool::new(true));
        let still = open.clone();
        listener.set_nonblocking(true).expect("nonblocking");
        std::thread::spawn(move || {
            while still.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        std::thread::spawn(move || answer(stream, delay));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            // The listener drops here: connections are refused from now on.
        });
        Fake { base, open }
    }

    fn close(&self) {
        self.open.store(false, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn answer(stream: std::net::TcpStream, delay: Duration) {
    let _ = stream.set_nonblocking(false);
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut length = 0usize;
    let mut timeout = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line == "\r\n" || line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if let Some(v) = lower.strip_prefix("scenic-timeout-ms:") {
            timeout = v.trim().to_string();
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let (status, text) = if first.starts_with("GET /ready") {
        ("200 OK", "OK".to_string())
    } else if first.starts_with("GET /definition") {
        (
            "200 OK",
            json!({"openapi": "3.1.0", "info": {"title": "loan", "version": "1.0.0+fake"},
                "paths": {"/": {"post": {"operationId": "loan", "responses": {}}}}})
            .to_string(),
        )
    } else {
        std::thread::sleep(delay);
        ("200 OK", json!({"timeout": timeout}).to_string())
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nScenic-Scenario-Version: fake\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn down_and_refusing_backends_are_skipped_and_the_deadline_is_passed_on() {
    let dir = work_dir("down");
    let live = backend(&dir, "'live'").await;
    let fake = Fake::start(Duration::ZERO);
    // Nothing listens on `down`: never ready, never picked.
    let down = format!("http://127.0.0.1:{}", common::free_port());
    let (gw, path) = gateway(
        &dir,
        json!({"loan": [{"url": live.base, "weight": 1}, {"url": fake.base, "weight": 1},
            {"url": down, "weight": 1}]}),
    )
    .await;
    wait_backends_ready(&gw, 2).await;
    let c = reqwest::Client::new();
    // The fake answers with the deadline it was given: the gateway's left of the client's.
    let mut saw = None;
    for _ in 0..4 {
        let r = c
            .post(format!("{}/scenario/loan", gw.base))
            .header("Scenic-Timeout-Ms", "5000")
            .json(&json!({}))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
        let body: serde_json::Value = r.json().await.unwrap_or_default();
        if let Some(t) = body["timeout"].as_str() {
            saw = t.parse::<u64>().ok();
        }
    }
    let t = saw.expect("the fake was picked");
    assert!((3000..=5000).contains(&t), "passed-on deadline: {t} ms");
    // The fake stops listening between two probes: requests picked for it are refused and go
    // to the live backend; none fails.
    fake.close();
    for _ in 0..20 {
        let (status, v) = call(&c, &gw.base, None).await;
        assert_eq!(status, 200, "{v}\n{}", gw.log());
    }
    let metrics = common::get_text(&reqwest::Client::new(), format!("{}/metrics", gw.base)).await;
    assert!(
        metrics.contains("scenic_gateway_retries_total{reason=\"connect\"}"),
        "{metrics}"
    );
    // A slow backend and a short client deadline: 504 at the deadline, not the backend's pace.
    let slow = Fake::start(Duration::from_secs(3));
    write_routes(&path, json!({"loan": [{"url": slow.base, "weight": 1}]}));
    wait_backends_ready(&gw, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let r = c
        .post(format!("{}/scenario/loan", gw.base))
        .header("Scenic-Timeout-Ms", "300")
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 504, "{}", r.text().await.unwrap_or_default());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // A broken routes file keeps the routes in force.
    std::fs::write(&path, "{\"routes\": ").expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        gw.log().contains("keeping the current routes"),
        "{}",
        gw.log()
    );
    assert_eq!(ready_backends(&gw.base).await, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn configured_servers_give_generated_clients_a_real_base_url() {
    let dir = work_dir("servers");
    let servers = json!([{"url": "https://scenarios.example.com/", "description": "public"}]);
    let config = dir.join("scenic.json");
    std::fs::write(
        &config,
        json!({"request-response": {"definitionMetadata": {"servers": servers}}}).to_string(),
    )
    .expect("write");
    // The runtime's own document.
    let file = dir.join("loan.json");
    std::fs::write(&file, common::scenario("loan", "loan", "'a'")).expect("write");
    let (file, config_path) = (file.to_str().expect("path"), config.to_str().expect("path"));
    let run = start_scenic(
        &dir,
        "run",
        &["run", file, "--host", "127.0.0.1", "--config", config_path],
    )
    .await;
    let doc: serde_json::Value = reqwest::get(format!("{}/definition", run.base))
        .await
        .expect("definition")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["servers"], servers);
    // The gateway's merged document.
    let path = dir.join("routes.json");
    write_routes(&path, json!({"loan": [{"url": run.base, "weight": 1}]}));
    let routes = path.to_str().expect("path");
    let gw = start_scenic(
        &dir,
        "gateway",
        &["gateway", "--routes", routes, "--config", config_path],
    )
    .await;
    wait_backends_ready(&gw, 1).await;
    let merged: serde_json::Value = reqwest::get(format!("{}/openapi.json", gw.base))
        .await
        .expect("openapi")
        .json()
        .await
        .expect("json");
    assert_eq!(merged["servers"], servers);
    // A wrong setting is refused at start, naming the key.
    std::fs::write(
        &config,
        json!({"request-response": {"definitionMetadata": {"servers": "https://x"}}}).to_string(),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args(["gateway", "--routes", path.to_str().expect("path")])
        .args(["--port", "0", "--config", config.to_str().expect("path")])
        .output()
        .expect("scenic gateway runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("definitionMetadata.servers"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
