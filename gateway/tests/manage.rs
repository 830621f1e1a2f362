//! The management API of `scenic serve`, over HTTP against the real binary: token checks,
//! deploy, redeploy, conflicts, broken scenarios, cancel.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

async fn start(token: Option<&str>) -> Server {
    let dir = std::env::temp_dir().join(format!(
        "scenic-manage-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let port = free_port();
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
    .env_remove("SCENIC_ADMIN_TOKEN")
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    if let Some(t) = token {
        cmd.env("SCENIC_ADMIN_TOKEN", t);
    }
    // Owned by `Server` at once, so the process is killed and reaped on every path.
    let server = Server {
        child: cmd.spawn().expect("scenic starts"),
        base: format!("http://127.0.0.1:{port}"),
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
    panic!("scenic serve did not come up");
}

fn scenario(name: &str, slug: &str, message: &str) -> String {
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

#[tokio::test]
async fn write_calls_need_the_token() {
    let s = start(Some("s3cret")).await;
    let c = reqwest::Client::new();
    let url = format!("{}/api/scenarios/hello", s.base);
    let r = c
        .put(&url)
        .body(scenario("hello", "hello", "'v1'"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401, "missing token");
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let r = c
        .put(&url)
        .bearer_auth("wrong")
        .body(scenario("hello", "hello", "'v1'"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401, "wrong token");
    let r = c.delete(&url).send().await.expect("send");
    assert_eq!(r.status(), 401);
    let r = c
        .put(&url)
        .bearer_auth("s3cret")
        .body(scenario("hello", "hello", "'v1'"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200, "right token");
    // Reads are open.
    assert_eq!(
        c.get(format!("{}/api/scenarios", s.base))
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
}

#[tokio::test]
async fn without_a_configured_token_writes_are_403_with_an_explanation() {
    let s = start(None).await;
    let c = reqwest::Client::new();
    let r = c
        .put(format!("{}/api/scenarios/x", s.base))
        .bearer_auth("anything")
        .body(scenario("x", "x", "1"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.expect("json");
    assert!(body["message"]
        .as_str()
        .expect("message")
        .contains("SCENIC_ADMIN_TOKEN"));
}

#[tokio::test]
async fn deploy_redeploy_conflict_broken_and_cancel() {
    let s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let put = |name: &str, body: String| {
        c.put(format!("{}/api/scenarios/{name}", s.base))
            .bearer_auth("t")
            .body(body)
            .send()
    };
    let invoke = || {
        c.post(format!("{}/scenario/hello", s.base))
            .body("{}")
            .send()
    };

    let r = put("hello", scenario("hello", "hello", "'v1'"))
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let status: Value = r.json().await.expect("json");
    assert_eq!(status["status"], "RUNNING");
    assert_eq!(status["slug"], "hello");
    let v1 = status["version"].as_str().expect("version").to_string();
    let r = invoke().await.expect("send");
    assert_eq!(r.headers()["scenic-scenario-version"], v1.as_str());
    assert_eq!(r.text().await.expect("text"), "\"v1\"");

    let r = put("hello", scenario("hello", "hello", "'v2'"))
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(
        invoke().await.expect("send").text().await.expect("text"),
        "\"v2\""
    );

    let r = put("other", scenario("other", "hello", "'x'"))
        .await
        .expect("send");
    assert_eq!(r.status(), 409, "slug owned by another scenario");

    let r = put("hello", scenario("hello", "hello", "#nope"))
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["errors"][0]["nodeId"], "out");
    assert!(body["errors"][0]["message"]
        .as_str()
        .expect("message")
        .contains("Unresolved reference 'nope'"));
    // The previous version keeps serving.
    assert_eq!(
        invoke().await.expect("send").text().await.expect("text"),
        "\"v2\""
    );
    let listed: Value = c
        .get(format!("{}/api/scenarios/hello", s.base))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        listed["status"], "RUNNING",
        "the previous version still serves"
    );
    assert!(
        !listed["errors"].as_array().expect("errors").is_empty(),
        "the failed attempt's errors are reported"
    );

    let r = c
        .delete(format!("{}/api/scenarios/hello", s.base))
        .bearer_auth("t")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 204);
    assert_eq!(invoke().await.expect("send").status(), 404);
    let r = c
        .delete(format!("{}/api/scenarios/hello", s.base))
        .bearer_auth("t")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
}
