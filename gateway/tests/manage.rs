//! The management API of `scenic serve`, over HTTP against the real binary: token checks,
//! deploy, redeploy, conflicts, broken scenarios, cancel.

mod common;

use common::{scenario, start};
use serde_json::Value;

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
    assert!(body[0]["message"]
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
    assert_eq!(body[0]["nodeId"], "out");
    assert!(body[0]["message"]
        .as_str()
        .expect("message")
        .contains("Unresolved reference 'nope'"));
    // The previous version keeps serving.
    assert_eq!(
        invoke().await.expect("send").text().await.expect("text"),
        "\"v2\""
    );
    let listed: Value = common::get_json(&c, format!("{}/api/scenarios/hello", s.base)).await;
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

#[tokio::test]
async fn test_with_data_reports_each_nodes_variables_and_each_sinks_output() {
    let s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let scenario = serde_json::json!({
        "metaData": {"id": "calc", "additionalFields": {"properties": {
            "inputSchema": "{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}", "outputSchema": "{}", "slug": "calc"},
            "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "double", "type": "Variable", "varName": "d", "value": {"language": "spel", "expression": "#input.n * 2"}},
            {"id": "note", "type": "Processor", "service": {"id": "log", "parameters": [{"name": "Message", "expression": {"language": "spel", "expression": "'n=' + #input.n"}}]}},
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "10 / #input.n"}}]}}
        ],
        "additionalBranches": []
    })
    .to_string();
    let r = c
        .put(format!("{}/api/scenarios/calc", s.base))
        .bearer_auth("t")
        .body(scenario)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let url = format!("{}/api/scenarios/calc/test", s.base);
    assert_eq!(
        c.post(&url).body("[]").send().await.expect("send").status(),
        401,
        "needs the token"
    );
    let r = c
        .post(&url)
        .bearer_auth("t")
        .body(r#"[{"n": 5}, {"n": 0}, {"n": "x"}]"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.expect("json");
    let first = &report["results"][0];
    let out_node = first["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["nodeId"] == "out")
        .expect("out traced");
    assert_eq!(out_node["variables"]["d"], 10);
    assert_eq!(out_node["variables"]["input"]["n"], 5);
    assert_eq!(
        first["outputs"][0],
        serde_json::json!({"nodeId": "out", "value": 2})
    );
    let second = &report["results"][1];
    assert_eq!(second["errors"][0]["nodeId"], "out");
    assert!(second["errors"][0]["message"]
        .as_str()
        .expect("message")
        .contains("/ by zero"));
    assert_eq!(report["results"][2]["errors"][0]["path"], "/n");
    let r = c
        .post(format!("{}/api/scenarios/nope/test", s.base))
        .bearer_auth("t")
        .body("[]")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_management_api_has_a_valid_openapi_document() {
    let s = start(None).await;
    let text = reqwest::get(format!("{}/api/openapi.json", s.base))
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    let doc: Value = serde_json::from_str(&text).expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    for path in [
        "/api/scenarios",
        "/api/scenarios/{name}",
        "/api/scenarios/{name}/test",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    let python = std::env::var_os("SCENIC_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python")
        });
    if !python.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Python with openapi-spec-validator is required under CI ({})",
            python.display()
        );
        eprintln!(
            "\n!!!!!!!! WARNING: {} missing: the management document was not validated !!!!!!!!\n",
            python.display()
        );
        return;
    }
    // Not in the served folder: the watcher would try to deploy it.
    let file = std::env::temp_dir().join(format!(
        "scenic-management-openapi-{}.json",
        std::process::id()
    ));
    std::fs::write(&file, &text).expect("write");
    let out = std::process::Command::new(&python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("validator runs");
    assert!(
        out.status.success(),
        "invalid:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_redeploys_while_requests_flow_lose_nothing() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    let s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let put = |i: usize| {
        c.put(format!("{}/api/scenarios/live", s.base))
            .bearer_auth("t")
            .body(scenario("live", "live", &format!("'v{i}'")))
            .send()
    };
    assert_eq!(put(0).await.expect("send").status(), 200);
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (stop, ok, failed, url) = (
            stop.clone(),
            ok.clone(),
            failed.clone(),
            format!("{}/scenario/live", s.base),
        );
        clients.push(tokio::spawn(async move {
            let c = reqwest::Client::new();
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                match c.post(&url).body("{}").send().await {
                    Ok(r) if r.status() == 200 => {
                        ok.fetch_add(1, Ordering::Relaxed);
                        seen.insert(r.text().await.unwrap_or_default());
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            seen
        }));
    }
    for i in 1..=50 {
        assert_eq!(put(i).await.expect("send").status(), 200, "redeploy {i}");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut versions = std::collections::BTreeSet::new();
    for cl in clients {
        versions.extend(cl.await.expect("client task"));
    }
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "no request may fail during redeploys"
    );
    assert!(ok.load(Ordering::Relaxed) > 50, "requests kept flowing");
    assert!(
        versions.len() > 2,
        "responses switched versions: {versions:?}"
    );
    let last = reqwest::Client::new()
        .post(format!("{}/scenario/live", s.base))
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(last.text().await.expect("text"), "\"v50\"");
}

/// The example scenario `examples/loan-request.json` (metaData.id `LoanRequest`, slug `loan`).
fn loan_request() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/loan-request.json"),
    )
    .expect("example")
}

#[tokio::test]
async fn a_slug_and_a_scenario_id_belong_to_one_name() {
    let s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let put = |name: &str, body: String| {
        c.put(format!("{}/api/scenarios/{name}", s.base))
            .bearer_auth("t")
            .body(body)
            .send()
    };
    let delete = |name: &str| {
        c.delete(format!("{}/api/scenarios/{name}", s.base))
            .bearer_auth("t")
            .send()
    };
    let loan = format!("{}/scenario/loan", s.base);
    let request = r#"{"customerId":"c-001","location":{"city":"Warszawa","street":"Marszałkowska 1"},"requestType":"loan","requestedAmount":1500}"#;

    assert_eq!(
        put("loan-request", loan_request())
            .await
            .expect("send")
            .status(),
        200
    );
    // The same scenario under a second name is refused, naming the owner.
    let r = put("other", loan_request()).await.expect("send");
    assert_eq!(r.status(), 409);
    let body = r.text().await.expect("text");
    assert!(body.contains("'loan-request'"), "names the owner: {body}");
    // Deleting the second name removes nothing of the first.
    let r = delete("other").await.expect("send");
    assert_eq!(
        r.status(),
        204,
        "only the refused attempt's status is removed"
    );
    let r = c.post(&loan).body(request).send().await.expect("send");
    assert_eq!(r.status(), 200, "loan still served");
    let st: Value = common::get_json(&c, format!("{}/api/scenarios/loan-request", s.base)).await;
    assert_eq!(st["status"], "RUNNING");

    // The same metaData.id at another slug is refused too (metrics label series by id).
    let moved = loan_request().replace("\"slug\": \"loan\"", "\"slug\": \"loan2\"");
    assert!(moved.contains("loan2"));
    let r = put("third", moved.clone()).await.expect("send");
    assert_eq!(r.status(), 409);
    let body = r.text().await.expect("text");
    assert!(
        body.contains("LoanRequest") && body.contains("'loan-request'"),
        "{body}"
    );
    assert_eq!(
        c.post(format!("{}/scenario/loan2", s.base))
            .body(request)
            .send()
            .await
            .expect("send")
            .status(),
        404
    );
    // The owner itself may move to another slug: the old one is freed.
    assert_eq!(
        put("loan-request", moved).await.expect("send").status(),
        200
    );
    assert_eq!(
        c.post(&loan)
            .body(request)
            .send()
            .await
            .expect("send")
            .status(),
        404
    );
    assert_eq!(
        c.post(format!("{}/scenario/loan2", s.base))
            .body(request)
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
    // Once the owner is gone, the scenario may deploy under another name.
    assert_eq!(delete("loan-request").await.expect("send").status(), 204);
    assert_eq!(
        put("other", loan_request()).await.expect("send").status(),
        200
    );
    assert_eq!(
        c.post(&loan)
            .body(request)
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
}

/// Files follow the same rule: the second file with a clashing id or slug is not served, and
/// its status names the file that owns them.
#[tokio::test]
async fn files_with_a_clashing_id_or_slug_are_refused_naming_the_owner() {
    let s = common::start_with(None, |dir| {
        std::fs::write(dir.join("a.json"), scenario("same", "first", "'a'")).expect("write");
        std::fs::write(dir.join("b.json"), scenario("same", "second", "'b'")).expect("write");
    })
    .await;
    let c = reqwest::Client::new();
    let status = |name: &str| {
        let url = format!("{}/api/scenarios/{name}", s.base);
        let c = c.clone();
        async move {
            c.get(url)
                .send()
                .await
                .expect("send")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    let invoke = |slug: &str| {
        c.post(format!("{}/scenario/{slug}", s.base))
            .body("{}")
            .send()
    };
    assert_eq!(invoke("first").await.expect("send").status(), 200);
    assert_eq!(invoke("second").await.expect("send").status(), 404);
    let b = status("b").await;
    assert_eq!(b["status"], "FAILED");
    let message = b["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("'a' (deployed from file a.json)"),
        "{message}"
    );
    assert!(
        !message.contains(s.dir.to_str().expect("dir")),
        "no server path: {message}"
    );
    s.log_contains(
        "b.json: not deployed: Scenario 'same' (metaData.id) is already deployed as 'a'",
    )
    .await;

    // Added while running: a slug clash.
    std::fs::write(s.dir.join("c.json"), scenario("other", "first", "'c'")).expect("write");
    s.log_contains("c.json: not deployed: Slug 'first' belongs to 'a'")
        .await;
    let c_status = status("c").await;
    assert_eq!(c_status["status"], "FAILED");
    assert!(c_status["errors"][0]["message"]
        .as_str()
        .expect("message")
        .contains("a.json"));
    let r = invoke("first").await.expect("send");
    assert_eq!(
        r.text().await.expect("text"),
        "\"a\"",
        "the owner keeps serving"
    );
}

/// Compile errors over HTTP name a missing fragment and its file relative to the fragments
/// folder, never a server path: in a PUT's answer and in the open GETs, for a PUT and for a file
/// loaded at start-up.
#[tokio::test]
async fn errors_over_http_reveal_no_server_path() {
    let onboarding = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/customer-onboarding.json"),
    )
    .expect("example");
    let file_copy = onboarding.clone();
    // A fragments folder without the fragment the scenario uses.
    let s = common::start_with(Some("t"), move |dir| {
        std::fs::create_dir(dir.join("fragments")).expect("fragments");
        std::fs::write(dir.join("onboarding-file.json"), file_copy).expect("write");
    })
    .await;
    let c = reqwest::Client::new();
    let dir = s.dir.to_str().expect("dir").to_string();
    let r = c
        .put(format!("{}/api/scenarios/onboarding", s.base))
        .bearer_auth("t")
        .body(onboarding)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    let body = r.text().await.expect("text");
    assert!(
        body.contains("Fragment 'customer-segmentation' not found")
            && body.contains("customer-segmentation.json in the fragments folder"),
        "{body}"
    );
    assert!(!body.contains(&dir), "a server path in {body}");
    for path in [
        "/api/scenarios",
        "/api/scenarios/onboarding",
        "/api/scenarios/onboarding-file",
    ] {
        let body = c
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .expect("send")
            .text()
            .await
            .expect("text");
        assert!(
            body.contains("customer-segmentation.json"),
            "{path}: {body}"
        );
        assert!(!body.contains(&dir), "{path}: a server path in {body}");
    }
}

/// Asserts the error shape: a JSON array of `{"message", "nodeId", ...}`, JSON content type.
async fn assert_error_shape(r: reqwest::Response, status: u16) -> Vec<Value> {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.expect("json");
    let entries = body.as_array().expect("an array").clone();
    assert!(!entries.is_empty(), "{status}: no entry");
    for e in &entries {
        assert!(e["message"].is_string(), "{status}: {e}");
        let node = e.get("nodeId").expect("nodeId present");
        assert!(node.is_null() || node.is_string(), "{status}: {e}");
    }
    entries
}

/// 400, 401, 403, 404, 405, 409 and 413 of the management API share one shape.
#[tokio::test]
async fn every_error_is_an_array_of_entries() {
    let s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", s.base);
    let put = |name: &str, body: Vec<u8>| {
        c.put(url(&format!("/api/scenarios/{name}")))
            .bearer_auth("t")
            .body(body)
            .send()
    };

    let r = c.put(url("/api/scenarios/x")).send().await.expect("send");
    assert_error_shape(r, 401).await;
    let e = assert_error_shape(
        put("x", scenario("x", "x", "#nope").into_bytes())
            .await
            .expect("send"),
        400,
    )
    .await;
    assert_eq!(e[0]["nodeId"], "out");
    assert_eq!(e[0]["parameter"], "Value");
    assert_eq!(e[0]["line"], 1);
    assert!(e[0]["column"].is_number());
    assert_error_shape(put("x", vec![0xff, 0xfe]).await.expect("send"), 400).await;
    assert_error_shape(put("x", b"{".to_vec()).await.expect("send"), 400).await;
    assert_eq!(
        put("x", scenario("x", "x", "1").into_bytes())
            .await
            .expect("send")
            .status(),
        200
    );
    let e = assert_error_shape(
        put("y", scenario("y", "x", "1").into_bytes())
            .await
            .expect("send"),
        409,
    )
    .await;
    assert!(e[0]["nodeId"].is_null());
    let r = c
        .get(url("/api/scenarios/nope"))
        .send()
        .await
        .expect("send");
    assert_error_shape(r, 404).await;
    let r = c
        .delete(url("/api/scenarios/nope"))
        .bearer_auth("t")
        .send()
        .await
        .expect("send");
    assert_error_shape(r, 404).await;
    let r = c
        .post(url("/api/scenarios/nope/test"))
        .bearer_auth("t")
        .body("[]")
        .send()
        .await
        .expect("send");
    assert_error_shape(r, 404).await;
    let r = c
        .post(url("/api/scenarios/x/test"))
        .bearer_auth("t")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_error_shape(r, 400).await;
    let r = c
        .post(url("/api/scenarios/x"))
        .bearer_auth("t")
        .send()
        .await
        .expect("send");
    assert_eq!(r.headers()["allow"], "GET, PUT, DELETE");
    assert_error_shape(r, 405).await;
    let big = vec![b' '; 16 * 1024 * 1024 + 1];
    assert_error_shape(put("x", big).await.expect("send"), 413).await;

    let open = start(None).await;
    let r = c
        .delete(format!("{}/api/scenarios/x", open.base))
        .bearer_auth("t")
        .send()
        .await
        .expect("send");
    assert_error_shape(r, 403).await;
}

/// A scenario of `n` variables, each a 60 KB list literal (about 14 MB for 240): compiling
/// (typing and folding 7 million constants) takes seconds in a debug build. Chained variables
/// no longer do: compiling is linear since issue #9.
fn slow_scenario(n: usize) -> String {
    let list = format!(
        "{{{}}}",
        (0..30_000)
            .map(|i| (i % 10).to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut nodes = vec![
        serde_json::json!({"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}}),
    ];
    for i in 0..n {
        nodes.push(serde_json::json!({"id": format!("v{i}"), "type": "Variable", "varName": format!("v{i}"),
            "value": {"language": "spel", "expression": list}}));
    }
    nodes.push(
        serde_json::json!({"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
        {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
        {"name": "Value", "expression": {"language": "spel", "expression": "'slow'"}}]}}),
    );
    serde_json::json!({
        "metaData": {"id": "slow", "additionalFields": {"properties": {"inputSchema": "{}", "outputSchema": "{}", "slug": "slow"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": nodes,
        "additionalBranches": []
    })
    .to_string()
}

/// While a slow PUT compiles, the server's only worker goes on answering other requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_deploy_does_not_block_other_requests() {
    // A generous compile deadline: the deploy is slow on purpose, and a loaded machine must
    // not turn it into a refusal (400) that this test would mistake for blocking.
    let s = common::start_args(Some("t"), |_| {}, &["--compile-timeout", "120"]).await;
    let c = reqwest::Client::new();
    let r = c
        .put(format!("{}/api/scenarios/fast", s.base))
        .bearer_auth("t")
        .body(scenario("fast", "fast", "'fast'"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let slow = tokio::spawn(
        c.put(format!("{}/api/scenarios/slow", s.base))
            .bearer_auth("t")
            .body(slow_scenario(240))
            .send(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for _ in 0..5 {
        let r = c
            .post(format!("{}/scenario/fast", s.base))
            .body("{}")
            .send()
            .await
            .expect("send");
        assert_eq!(r.text().await.expect("text"), "\"fast\"");
        let r = c
            .get(format!("{}/api/scenarios", s.base))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
    }
    assert!(
        !slow.is_finished(),
        "the slow deploy must still be compiling (else this test proves nothing)"
    );
    let r = slow.await.expect("task").expect("send");
    assert_eq!(r.status(), 200);
}

/// The value of `scenic_invocations_total` for a scenario and outcome, if the series exists.
fn invocations(metrics: &str, scenario: &str, outcome: &str) -> Option<u64> {
    metrics
        .lines()
        .filter(|l| l.starts_with("scenic_invocations_total{"))
        .filter(|l| l.contains(&format!("scenario=\"{scenario}\"")))
        .find(|l| l.contains(&format!("outcome=\"{outcome}\"")))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// A cancelled scenario's series are removed (invocations, latency, per node), a redeploy keeps
/// them and their counts, and deploy-and-cancel churn does not grow `/metrics`.
#[tokio::test]
async fn a_cancelled_scenarios_series_are_removed() {
    let s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let put = |name: &str, body: String| {
        c.put(format!("{}/api/scenarios/{name}", s.base))
            .bearer_auth("t")
            .body(body)
            .send()
    };
    let delete = |name: &str| {
        c.delete(format!("{}/api/scenarios/{name}", s.base))
            .bearer_auth("t")
            .send()
    };
    let invoke = |slug: &str| {
        c.post(format!("{}/scenario/{slug}", s.base))
            .body("{}")
            .send()
    };
    // The scenarios' series only: the server's own (HTTP requests by route and status,
    // deploys, the process) grow with any traffic, not with the scenarios deployed.
    let metrics = || async {
        let text = c
            .get(format!("{}/metrics", s.base))
            .send()
            .await
            .expect("send")
            .text()
            .await
            .expect("text");
        text.lines()
            .filter(|l| {
                ![
                    "scenic_http_requests_total",
                    "scenic_deploys_total",
                    "process_",
                ]
                .iter()
                .any(|p| {
                    l.starts_with(p)
                        || l.starts_with(&format!("# HELP {p}"))
                        || l.starts_with(&format!("# TYPE {p}"))
                })
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let empty = metrics().await;

    assert_eq!(
        put("m", scenario("m", "m", "'v1'"))
            .await
            .expect("send")
            .status(),
        200
    );
    for _ in 0..3 {
        assert_eq!(invoke("m").await.expect("send").status(), 200);
    }
    let text = metrics().await;
    assert_eq!(invocations(&text, "m", "success"), Some(3), "{text}");
    assert!(text.contains("scenic_invocation_duration_seconds_bucket{"));
    assert!(text
        .lines()
        .any(|l| l.starts_with("scenic_node_count_total{") && l.contains("scenario=\"m\"")));

    // A redeploy keeps the series and their counts.
    assert_eq!(
        put("m", scenario("m", "m", "'v2'"))
            .await
            .expect("send")
            .status(),
        200
    );
    assert_eq!(invoke("m").await.expect("send").status(), 200);
    assert_eq!(invocations(&metrics().await, "m", "success"), Some(4));

    // A name that switches to another scenario (metaData.id) cancels the old one's series.
    assert_eq!(
        put("m", scenario("m2", "m", "'v3'"))
            .await
            .expect("send")
            .status(),
        200
    );
    let text = metrics().await;
    assert!(!text.contains("scenario=\"m\""), "{text}");
    assert!(text.contains("scenario=\"m2\""), "{text}");

    assert_eq!(delete("m").await.expect("send").status(), 204);
    let text = metrics().await;
    assert!(!text.contains("scenario=\"m2\""), "{text}");
    assert!(
        !text.contains("scenario="),
        "no scenario series left: {text}"
    );

    for i in 0..50 {
        let name = format!("churn{i}");
        assert_eq!(
            put(&name, scenario(&name, &name, "'x'"))
                .await
                .expect("send")
                .status(),
            200
        );
        assert_eq!(invoke(&name).await.expect("send").status(), 200);
        assert_eq!(delete(&name).await.expect("send").status(), 204);
    }
    let text = metrics().await;
    assert!(!text.contains("scenario="), "{text}");
    assert!(
        text.len() <= empty.len() + 256,
        "/metrics grew from {} to {} bytes",
        empty.len(),
        text.len()
    );
}

/// A streaming scenario is refused as such (it runs in `scenic-stream`), not as a scenario whose
/// Kafka components are unknown.
#[tokio::test]
async fn a_streaming_scenario_is_refused_as_streaming() {
    let s = start(Some("t")).await;
    let mut text: Value = serde_json::from_str(&scenario("events", "events", "1")).expect("json");
    text["metaData"]["additionalFields"]["metaDataType"] = "LiteStreamMetaData".into();
    text["nodes"][0]["ref"]["typ"] = "kafka".into();
    text["nodes"][1]["ref"]["typ"] = "kafka".into();
    let r = reqwest::Client::new()
        .put(format!("{}/api/scenarios/events", s.base))
        .bearer_auth("t")
        .body(text.to_string())
        .send()
        .await
        .expect("send");
    let e = assert_error_shape(r, 400).await;
    assert_eq!(
        e[0]["message"],
        "Only request-response scenarios are served by the gateway"
    );
    assert_eq!(e.len(), 1, "{e:?}");
}

/// One deploy path: a file at start-up and a PUT of the same scenario are refused for the same
/// slug or `metaData.id` conflict with the same message, naming the owner and its file.
#[tokio::test]
async fn the_folder_at_start_and_the_api_refuse_a_conflict_with_the_same_error() {
    let slug_clash = scenario("other", "first", "'b'");
    let id_clash = scenario("owner", "third", "'c'");
    let (b, c) = (slug_clash.clone(), id_clash.clone());
    let s = common::start_with(Some("t"), move |dir| {
        std::fs::write(dir.join("a.json"), scenario("owner", "first", "'a'")).expect("write");
        std::fs::write(dir.join("b.json"), b).expect("write");
        std::fs::write(dir.join("c.json"), c).expect("write");
    })
    .await;
    let client = reqwest::Client::new();
    for (name, text, expected) in [
        (
            "b",
            slug_clash,
            "Slug 'first' belongs to 'a' (deployed from file a.json)",
        ),
        (
            "c",
            id_clash,
            "Scenario 'owner' (metaData.id) is already deployed as 'a' (deployed from file a.json)",
        ),
    ] {
        let at_start: Value =
            common::get_json(&client, format!("{}/api/scenarios/{name}", s.base)).await;
        assert_eq!(at_start["status"], "FAILED", "{at_start}");
        let from_file = at_start["errors"][0]["message"]
            .as_str()
            .expect("message")
            .to_string();
        assert_eq!(from_file, expected);
        s.log_contains(&format!("{name}.json: not deployed: {expected}"))
            .await;
        let r = client
            .put(format!("{}/api/scenarios/{name}", s.base))
            .bearer_auth("t")
            .body(text)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 409);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body[0]["message"], from_file.as_str(), "{body}");
    }
    let r = client
        .post(format!("{}/scenario/first", s.base))
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(r.text().await.expect("text"), "\"a\"", "the owner serves");
}
