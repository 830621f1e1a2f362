//! Folder watch of `scenic serve DIR`: adding, changing, breaking and removing a file, and the
//! effect on traffic each time.

mod common;

use std::time::{Duration, Instant};

use common::{scenario, start};

/// Polls until the scenario answers `want` (status and body), or fails after 10 s.
async fn eventually(c: &reqwest::Client, url: &str, want: (u16, Option<&str>)) {
    let started = Instant::now();
    let mut last = (0, String::new());
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(r) = c.post(url).body("{}").send().await {
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            if status == want.0 && want.1.is_none_or(|b| b == body) {
                return;
            }
            last = (status, body);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url}: wanted {want:?}, last got {last:?}");
}

#[tokio::test]
async fn add_change_break_and_remove_a_file() {
    let s = start(None).await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/watched", s.base);
    let file = s.dir.join("watched.json");

    std::fs::write(&file, scenario("watched", "watched", "'one'")).expect("write");
    eventually(&c, &url, (200, Some("\"one\""))).await;

    std::fs::write(&file, scenario("watched", "watched", "'two'")).expect("write");
    eventually(&c, &url, (200, Some("\"two\""))).await;

    // A broken version is reported and the previous one keeps serving.
    std::fs::write(&file, scenario("watched", "watched", "#broken")).expect("write");
    let started = Instant::now();
    let mut reported = false;
    while started.elapsed() < Duration::from_secs(10) && !reported {
        let st: serde_json::Value = c
            .get(format!("{}/api/scenarios/watched", s.base))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        reported = st["errors"].as_array().is_some_and(|e| !e.is_empty());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reported, "the broken file's errors are reported");
    eventually(&c, &url, (200, Some("\"two\""))).await;

    std::fs::remove_file(&file).expect("remove");
    eventually(&c, &url, (404, None)).await;
}
