//! Test support: `scenic serve` on a fresh folder, and scenario files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

pub struct Server {
    child: Child,
    pub base: String,
    pub dir: PathBuf,
    /// The server's stderr (its log), outside the served folder.
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_file(&self.log);
    }
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The process's resident memory (VmRSS), in KiB.
    pub fn rss_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0)
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls the log until it contains `text`, or fails after 10 s.
    pub async fn log_contains(&self, text: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if self.log().contains(text) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the log never said {text:?}:\n{}", self.log());
    }

    /// Sends SIGTERM and waits (up to `within`) for the process to exit; its exit code.
    pub fn terminate(&mut self, within: Duration) -> Option<i32> {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM delivered");
        let started = Instant::now();
        while started.elapsed() < within {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Starts `scenic serve` on an empty temporary folder.
pub async fn start(token: Option<&str>) -> Server {
    start_with(token, |_| {}).await
}

/// The JSON body of a GET (the management API's listings).
pub async fn get_json(c: &reqwest::Client, url: String) -> serde_json::Value {
    c.get(url)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

/// The text body of a GET (`/metrics`).
pub async fn get_text(c: &reqwest::Client, url: String) -> String {
    c.get(url)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text")
}

/// Starts `scenic serve` on a temporary folder that `prepare` fills first.
pub async fn start_with(token: Option<&str>, prepare: impl FnOnce(&Path)) -> Server {
    start_args(token, prepare, &[]).await
}

/// Starts `scenic serve` on a temporary folder that `prepare` fills first, with more flags.
pub async fn start_args(
    token: Option<&str>,
    prepare: impl FnOnce(&Path),
    extra: &[&str],
) -> Server {
    let dir =
        std::env::temp_dir().join(format!("scenic-gw-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).expect("dir");
    prepare(&dir);
    let log = dir.with_extension("log");
    let stderr = std::fs::File::create(&log).expect("log file");
    // `--port N` among the extra flags picks the port (a configuration that names it).
    let port = extra
        .iter()
        .position(|a| *a == "--port")
        .and_then(|i| extra.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(free_port);
    let skip = extra.iter().position(|a| *a == "--port");
    // `{dir}` in a flag is the served folder.
    let folder = dir.to_str().expect("path").to_string();
    let extra: Vec<String> = extra
        .iter()
        .enumerate()
        .filter(|(j, _)| skip.is_none_or(|i| *j != i && *j != i + 1))
        .map(|(_, a)| a.replace("{dir}", &folder))
        .collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scenic"));
    cmd.args([
        "serve",
        dir.to_str().expect("path"),
        "--host",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--workers",
        "1",
    ])
    .args(&extra)
    .env_remove("SCENIC_ADMIN_TOKEN")
    .stdout(Stdio::null())
    .stderr(Stdio::from(stderr));
    if let Some(t) = token {
        cmd.env("SCENIC_ADMIN_TOKEN", t);
    }
    // Owned by `Server` at once, so the process is killed and reaped on every path.
    let server = Server {
        child: cmd.spawn().expect("scenic starts"),
        base: format!("http://127.0.0.1:{port}"),
        dir,
        log,
    };
    let client = reqwest::Client::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if client
            .get(format!("{}/alive", server.base))
            .send()
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("scenic serve did not come up:\n{}", server.log());
}

/// A request-response scenario answering `message` (a SpEL expression).
pub fn scenario(name: &str, slug: &str, message: &str) -> String {
    json!({
        "metaData": {"id": name, "additionalFields": {"properties": {"inputSchema": "{}", "outputSchema": "{}", "slug": slug}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value", "expression": {"language": "spel", "expression": message}}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

/// Makes a FIFO (named pipe) at `path`.
pub fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}
pub mod dashboards;
pub mod influx;
pub mod pg;
