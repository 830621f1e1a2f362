//! Folder watch of `scenic serve DIR`: adding, changing, breaking and removing a file, and the
//! effect on traffic each time.

mod common;

use std::time::{Duration, Instant};

use common::{mkfifo, scenario, start, start_with};

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

/// A FIFO named `*.json` (at start-up and created while running) and an oversized file are
/// skipped with a warning naming them; the watcher goes on deploying other files.
#[tokio::test]
async fn a_fifo_or_an_oversized_file_blocks_nothing() {
    let s = start_with(None, |dir| mkfifo(&dir.join("x.json"))).await;
    let c = reqwest::Client::new();
    s.log_contains("x.json: skipped: not a regular file").await;

    mkfifo(&s.dir.join("y.json"));
    s.log_contains("y.json: skipped: not a regular file").await;
    let big = std::fs::File::create(s.dir.join("big.json")).expect("create");
    big.set_len(17 * 1024 * 1024).expect("grow");
    drop(big);
    s.log_contains("big.json: skipped: larger than the limit of 16777216 bytes")
        .await;

    let r = c
        .get(format!("{}/alive", s.base))
        .send()
        .await
        .expect("alive");
    assert_eq!(r.status(), 200);
    std::fs::write(s.dir.join("later.json"), scenario("later", "later", "'ok'")).expect("write");
    eventually(
        &c,
        &format!("{}/scenario/later", s.base),
        (200, Some("\"ok\"")),
    )
    .await;
}
