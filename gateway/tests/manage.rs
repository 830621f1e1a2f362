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
