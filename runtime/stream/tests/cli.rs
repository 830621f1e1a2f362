//! `scenic-stream --check`: compiles a streaming scenario against its configuration without a
//! broker, and reports every problem with its node.

use std::path::PathBuf;
use std::process::Command;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/streaming")
}

fn check(scenario: &std::path::Path, config: Option<&std::path::Path>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scenic-stream"));
    cmd.arg(scenario).arg("--check");
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn the_example_checks_ok_and_a_typo_is_reported_with_its_node() {
    let config = examples().join("config.json");
    let (code, out) = check(&examples().join("transaction-alerts.json"), Some(&config));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": ok"));

    let text = std::fs::read_to_string(examples().join("transaction-alerts.json")).expect("read");
    let dir = std::env::temp_dir().join(format!("scenic-stream-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        text.replace("#input.amount >= 1000", "#input.amout >= 1000"),
    )
    .expect("write");
    // Schemas are found relative to the configuration, which stays in examples/.
    let (code, out) = check(&bad, Some(&config));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "node 'large only', parameter 'expression', 1:8: There is no property 'amout'"
        ),
        "{out}"
    );

    // Without the configuration's schemas, #input is Unknown: said, with a hint.
    let (code, out) = check(&examples().join("transaction-alerts.json"), None);
    assert_eq!(code, 1);
    assert!(out.contains("hint:"), "{out}");
}

#[test]
fn a_request_response_scenario_is_refused_by_name() {
    let rr = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/loan-request.json");
    let (code, out) = check(&rr, None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("request-response") || out.contains("Unknown source"),
        "{out}"
    );
}

/// The reference's "starts without error without kafka": no broker at start-up is not a reason to
/// exit; the worker retries and reports not-ready.
#[test]
fn starts_without_a_broker_and_reports_not_ready() {
    fn free() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("port")
    }
    let (dead, port) = (free(), free());
    let dir = std::env::temp_dir().join(format!("scenic-stream-nobroker-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("config.json")).expect("read"),
    )
    .expect("json");
    config["kafka"]["kafkaProperties"]["bootstrap.servers"] =
        serde_json::json!(format!("127.0.0.1:{dead}"));
    config["waitAfterFailureDelay"] = serde_json::json!("200 ms");
    config["schemas"] = serde_json::json!({
        "transactions": examples().join("schemas/transactions.schema.json"),
        "alerts": examples().join("schemas/alerts.schema.json"),
    });
    let cfg = dir.join("config.json");
    std::fs::write(&cfg, config.to_string()).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scenic-stream"))
        .arg(examples().join("transaction-alerts.json"))
        .arg("--config")
        .arg(&cfg)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    let get = |path: &str| -> Option<u16> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut text = String::new();
        s.read_to_string(&mut text).ok()?;
        text.split(' ').nth(1)?.parse().ok()
    };
    let started = std::time::Instant::now();
    while get("/alive").is_none() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_secs(3));
    let alive = get("/alive");
    let ready = get("/ready");
    let running = matches!(child.try_wait(), Ok(None));
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(running, "the process is still up");
    assert_eq!(alive, Some(200));
    assert_eq!(ready, Some(503), "not ready without a broker");
}

/// The shared `node-structure/` scenarios are `StreamMetaData` files written for Flink: their
/// `event-generator` source has no Lite counterpart, so they are refused, naming it. (The one
/// fragment among them is refused as a fragment.)
#[test]
fn flink_only_stream_scenarios_are_refused_naming_the_component() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/node-structure");
    if !dir.is_dir() {
        let msg = format!(
            "{} is absent: the shared scenario test cannot run",
            dir.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! WARNING: {msg} !!!!!!!!\n");
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let (code, out) = check(&f, None);
        assert_eq!(code, 1, "{}: {out}", f.display());
        assert!(
            out.contains("Unknown source component 'event-generator'")
                || out.contains("A fragment cannot be deployed on its own"),
            "{}: {out}",
            f.display()
        );
    }
}
