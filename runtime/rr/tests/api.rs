//! The HTTP contract over a real socket: routes, status codes, error bodies, limits
//! (`decisions.md` §2), health and metrics.

mod common;

use common::{rr_scenario, spawn_app, spawn_app_with, TestApp};
use scenic_rr::Limits;
use serde_json::{json, Value};

fn calc() -> String {
    rr_scenario(
        "calc",
        json!({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}, "name": {"type": "string", "default": "anon"}}, "required": ["a"]}),
        json!({"type": "object", "properties": {"sum": {"type": "integer"}, "ratio": {"type": "integer"}, "name": {"type": "string"}}}),
        json!([
            {"id": "ratio", "type": "Variable", "varName": "ratio", "value": {"language": "spel", "expression": "#input.a / #input.b"}},
            {"id": "only positive", "type": "Filter", "expression": {"language": "spel", "expression": "#input.a >= 0"}, "nextFalse": []},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value validation mode", "expression": {"language": "spel", "expression": "'lax'"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "{sum: #input.a + #input.b, ratio: #ratio, name: #input.name}"}}
            ]}}
        ]),
    )
}

fn loose_output() -> String {
    rr_scenario(
        "loose",
        json!({"type": "object", "properties": {"v": {}}}),
        json!({"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}),
        json!([
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value validation mode", "expression": {"language": "spel", "expression": "'lax'"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "{x: #input.v}"}}
            ]}}
        ]),
    )
}

async fn app() -> TestApp {
    spawn_app(&[calc(), loose_output()]).await
}

#[actix_web::test]
async fn success_is_200_with_sorted_keys_and_the_version_header() {
    let app = app().await;
    let r = app.post("/scenario/calc", r#"{"a": 6, "b": 3}"#).await;
    assert_eq!(r.status(), 200);
    let version = r.headers()["Scenic-Scenario-Version"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert_eq!(version.len(), 16, "the raw content hash: {version}");
    assert!(version.bytes().all(|b| b.is_ascii_hexdigit()), "{version}");
    let body = r.text().await.expect("body");
    assert_eq!(
        body, r#"{"name":"anon","ratio":2,"sum":9}"#,
        "schema default applied, keys sorted"
    );
    // The document's `info.version` contains the hash in a form semver and PEP 440 accept.
    let doc: Value = app
        .client
        .get(app.url("/scenario/calc/definition"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["info"]["version"], format!("1.0.0+{version}"));
}

#[actix_web::test]
async fn content_type_is_not_required() {
    let app = app().await;
    let r = app
        .client
        .post(app.url("/scenario/calc"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(r#"{"a": 1, "b": 1}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
}

#[actix_web::test]
async fn malformed_json_is_400_with_line_and_column() {
    let app = app().await;
    let r = app.post("/scenario/calc", "{\"a\": 1,\n \"b\": }").await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.headers()["scenic-scenario-version"].len(),
        16,
        "errors name the serving version too"
    );
    let body: Value = r.json().await.expect("json");
    let message = body[0]["message"].as_str().expect("message");
    assert!(message.contains("line 2 column"), "{message}");
    assert_eq!(body[0]["nodeId"], "request");
    for bad in ["", "{\"a\": 1} trailing", "{a: 1}", "'x'", "[1,]"] {
        let r = app.post("/scenario/calc", bad).await;
        assert_eq!(r.status(), 400, "strict JSON rejects {bad:?}");
    }
}

#[actix_web::test]
async fn schema_violations_are_400_each_with_a_json_pointer() {
    let app = app().await;
    let r = app.post("/scenario/calc", r#"{"a": "x", "b": true}"#).await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.expect("json");
    let entries = body.as_array().expect("array");
    assert_eq!(entries.len(), 2, "{body}");
    let paths: Vec<&str> = entries.iter().filter_map(|e| e["path"].as_str()).collect();
    assert!(paths.contains(&"/a") && paths.contains(&"/b"), "{paths:?}");
    let r = app.post("/scenario/calc", r#"{"b": 1}"#).await;
    assert_eq!(r.status(), 400, "missing required field");
    let r = app.post("/scenario/calc", r#"[1, 2]"#).await;
    assert_eq!(r.status(), 400, "wrong top-level type");
}

#[actix_web::test]
async fn runtime_failure_is_500_naming_the_node_and_the_expression() {
    let app = app().await;
    let r = app.post("/scenario/calc", r#"{"a": 1, "b": 0}"#).await;
    assert_eq!(r.status(), 500);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body[0]["nodeId"], "ratio");
    let message = body[0]["message"].as_str().expect("message");
    assert!(
        message.contains("#input.a / #input.b") && message.contains("/ by zero"),
        "{message}"
    );
}

#[actix_web::test]
async fn no_response_is_500_with_the_reference_message() {
    let app = app().await;
    let r = app.post("/scenario/calc", r#"{"a": -1, "b": 1}"#).await;
    assert_eq!(r.status(), 500);
    let body: Value = r.json().await.expect("json");
    assert_eq!(
        body,
        json!([{"message": "Scenario did not return any result", "nodeId": "request"}])
    );
}

#[actix_web::test]
async fn output_schema_violation_is_500() {
    let app = app().await;
    let r = app.post("/scenario/loose", r#"{"v": 5}"#).await;
    assert_eq!(r.status(), 500);
    let body: Value = r.json().await.expect("json");
    assert!(
        body[0]["message"].as_str().expect("message").contains("/x"),
        "{body}"
    );
    let r = app.post("/scenario/loose", r#"{"v": "ok"}"#).await;
    assert_eq!(r.status(), 200);
}

#[actix_web::test]
async fn unknown_slug_is_404_with_a_json_body() {
    let app = app().await;
    let r = app.post("/scenario/nope", "{}").await;
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.expect("json");
    assert!(body[0]["message"]
        .as_str()
        .expect("message")
        .contains("nope"));
    let r = app
        .client
        .get(app.url("/scenario/nope/definition"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .get(app.url("/no/such/path"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
    // A Swagger UI file that does not exist: the same error shape, naming the file.
    for path in [
        "/swagger-ui/no-such.js",
        "/scenario/calc/swagger-ui/no-such.js",
    ] {
        let r = app.client.get(app.url(path)).send().await.expect("send");
        assert_eq!(r.status(), 404, "{path}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(
            body[0]["message"], "No such page: 'no-such.js'",
            "{path}: {body}"
        );
    }
}

#[actix_web::test]
async fn wrong_method_is_405_with_allow() {
    let app = app().await;
    for m in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let r = app
            .client
            .request(m.clone(), app.url("/scenario/calc"))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 405, "{m}");
        assert_eq!(r.headers()["allow"], "POST");
    }
    let r = app.post("/scenario/calc/definition", "{}").await;
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "GET");
}

#[actix_web::test]
async fn bodies_over_the_limit_are_413() {
    let app = app().await;
    let big = format!(
        "{{\"a\": 1, \"pad\": \"{}\"}}",
        "x".repeat(10 * 1024 * 1024)
    );
    let r = app.post("/scenario/calc", &big).await;
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.expect("json");
    assert!(body[0]["message"]
        .as_str()
        .expect("message")
        .contains("1048576"));
    // The server is still serving.
    assert_eq!(
        app.post("/scenario/calc", r#"{"a": 1, "b": 1}"#)
            .await
            .status(),
        200
    );
}

#[actix_web::test]
async fn deep_nesting_and_non_utf8_are_400_not_a_crash() {
    let app = app().await;
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = app.post("/scenario/calc", &deep).await;
    assert_eq!(r.status(), 400);
    let nested = format!(
        "{{\"a\": 1, \"x\": {}{}}}",
        "{\"y\":".repeat(200),
        "}".repeat(200)
    );
    assert_eq!(app.post("/scenario/calc", &nested).await.status(), 400);
    let r = app
        .client
        .post(app.url("/scenario/calc"))
        .body(vec![b'{', 0xff, 0xfe, b'}'])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    assert_eq!(
        app.post("/scenario/calc", r#"{"a": 2, "b": 1}"#)
            .await
            .status(),
        200
    );
}

#[actix_web::test]
async fn requests_time_out_with_504() {
    let limits = Limits {
        max_body: 1024 * 1024,
        timeout: std::time::Duration::from_millis(300),
        ..Limits::default()
    };
    let slow = rr_scenario(
        "slow",
        json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
        json!({}),
        json!([
            {"id": "sleep", "type": "Enricher", "service": {"id": "sleep", "parameters": [{"name": "Millis", "expression": {"language": "spel", "expression": "#input.n"}}]}, "output": "slept"},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "#slept"}}
            ]}}
        ]),
    );
    let app = spawn_app_with(&[slow], limits).await;
    let r = app.post("/scenario/slow", r#"{"n": 5000}"#).await;
    assert_eq!(r.status(), 504);
    // A big body runs on the compute pool from the start: its timeout is the pool's.
    let big = json!({"n": 5000, "pad": "x".repeat(scenic_rr::routes::invoke::BIG_BODY)});
    let r = app.post("/scenario/slow", &big.to_string()).await;
    assert_eq!(r.status(), 504);
    let r = app.post("/scenario/slow", r#"{"n": 1}"#).await;
    assert_eq!(r.status(), 200);
    // Both timeouts are failures of the scenario.
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    for line in [
        r#"scenic_invocations_total{outcome="failure",scenario="slow"} 2"#,
        r#"scenic_invocations_total{outcome="success",scenario="slow"} 1"#,
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
}

#[actix_web::test]
async fn health_and_metrics() {
    let app = app().await;
    let r = app
        .client
        .get(app.url("/alive"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("text"), "OK");
    assert_eq!(
        app.client
            .get(app.url("/ready"))
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
    app.post("/scenario/calc", r#"{"a": 6, "b": 3}"#).await;
    app.post("/scenario/calc", r#"{"a": 6, "b": 0}"#).await;
    app.post("/scenario/calc", r#"{"a": -6, "b": 3}"#).await;
    app.post("/scenario/calc", r#"{"a": "x"}"#).await;
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    for line in [
        r#"scenic_invocations_total{outcome="success",scenario="calc"} 1"#,
        r#"scenic_invocations_total{outcome="failure",scenario="calc"} 2"#,
        r#"scenic_invocations_total{outcome="rejected",scenario="calc"} 1"#,
        r#"scenic_node_count_total{scenario="calc",node="ratio"} 3"#,
        r#"scenic_errors_total{scenario="calc",node="ratio"} 1"#,
        r#"scenic_dead_end_total{scenario="calc",node="only positive"} 1"#,
        r#"scenic_end_total{scenario="calc",node="out"} 1"#,
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
    assert!(text.contains("scenic_invocation_duration_seconds_bucket"));
}

#[actix_web::test]
async fn schema_patterns_run_in_linear_time() {
    let evil = rr_scenario(
        "evil",
        json!({"type": "object", "properties": {"s": {"type": "string", "pattern": "^(a+)+$"}}}),
        json!({}),
        json!([{"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
            {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
            {"name": "Value", "expression": {"language": "spel", "expression": "'ok'"}}]}}]),
    );
    let app = spawn_app(&[evil]).await;
    let body = format!("{{\"s\": \"{}!\"}}", "a".repeat(5000));
    let started = std::time::Instant::now();
    let r = app.post("/scenario/evil", &body).await;
    assert_eq!(r.status(), 400);
    // A backtracking engine needs longer than the universe's age here.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[actix_web::test]
async fn not_ready_is_503() {
    let app = app().await;
    app.state.set_ready(false);
    let r = app.post("/scenario/calc", r#"{"a": 1, "b": 1}"#).await;
    assert_eq!(r.status(), 503);
    // Not processed, and said so: a gateway may send it to another backend.
    assert_eq!(r.headers()["scenic-unprocessed"], "draining");
    assert_eq!(
        app.client
            .get(app.url("/ready"))
            .send()
            .await
            .expect("send")
            .status(),
        503
    );
    assert_eq!(
        app.client
            .get(app.url("/alive"))
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
    app.state.set_ready(true);
    assert_eq!(
        app.post("/scenario/calc", r#"{"a": 1, "b": 1}"#)
            .await
            .status(),
        200
    );
}

/// What one client saw of one request.
#[derive(Debug)]
enum Seen {
    /// A complete response: status and whether the body arrived whole.
    Answer(u16, bool),
    /// The connection was refused: the server no longer listens.
    Refused,
    /// Anything else: a request cut mid-way.
    Cut(String),
}

#[actix_web::test]
async fn shutdown_finishes_requests_in_flight_then_refuses_connections() {
    let slow = rr_scenario(
        "slow",
        json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
        json!({}),
        json!([
            {"id": "sleep", "type": "Enricher", "service": {"id": "sleep", "parameters": [{"name": "Millis", "expression": {"language": "spel", "expression": "#input.n"}}]}, "output": "slept"},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "#slept"}}
            ]}}
        ]),
    );
    let mut app = spawn_app(&[slow]).await;
    let url = app.url("/scenario/slow");
    // Four clients loop on keep-alive connections; each request takes 300 ms.
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut log = Vec::new();
                loop {
                    let sent = std::time::Instant::now();
                    let seen = match client.post(&url).body(r#"{"n": 300}"#).send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            Seen::Answer(status, r.bytes().await.is_ok())
                        }
                        Err(e) if e.is_connect() => Seen::Refused,
                        Err(e) => Seen::Cut(format!("{e:?}")),
                    };
                    let done = std::time::Instant::now();
                    let last = matches!(seen, Seen::Refused) || log.len() > 100;
                    log.push((sent, done, seen));
                    if last {
                        return log;
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let triggered = std::time::Instant::now();
    app.shut_down();
    let server = app.server.take().expect("server handle");
    // Well under the 30 s shutdown timeout: connections that answered while shutting down were
    // closed, so no idle keep-alive connection holds the drain open.
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(
        matches!(stopped, Ok(Ok(Ok(())))),
        "the server stops once the requests in flight are done: {stopped:?}"
    );
    let mut finished_in_flight = 0;
    for client in clients {
        let log = client.await.expect("client task");
        for (sent, done, seen) in &log {
            match seen {
                Seen::Cut(e) => panic!("a request was cut mid-way: {e}"),
                Seen::Answer(status, whole) => {
                    assert!(whole, "a response body was cut");
                    if *sent < triggered {
                        // Accepted before the shutdown: it must finish normally.
                        assert_eq!(*status, 200, "a request in flight was refused");
                        if *done > triggered {
                            finished_in_flight += 1;
                        }
                    } else {
                        assert!(
                            *status == 200 || *status == 503,
                            "unexpected status {status} while shutting down"
                        );
                    }
                }
                Seen::Refused => assert!(*sent > triggered, "refused before the shutdown"),
            }
        }
        assert!(
            matches!(log.last(), Some((_, _, Seen::Refused))),
            "after the shutdown new connections are refused: {log:?}"
        );
    }
    assert_eq!(
        finished_in_flight, 4,
        "each client had a request in flight at the shutdown, and it finished"
    );
}
