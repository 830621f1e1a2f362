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
        let st: serde_json::Value =
            common::get_json(&c, format!("{}/api/scenarios/watched", s.base)).await;
        reported = st["errors"].as_array().is_some_and(|e| !e.is_empty());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reported, "the broken file's errors are reported");
    eventually(&c, &url, (200, Some("\"two\""))).await;

    std::fs::remove_file(&file).expect("remove");
    eventually(&c, &url, (404, None)).await;
    // A cancelled scenario's series are gone.
    let metrics = c
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text");
    assert!(!metrics.contains("scenario=\"watched\""), "{metrics}");
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

/// Reads `file` (`std::fs::read` and `cp` to elsewhere) for `during`.
async fn read_repeatedly(file: &std::path::Path, during: Duration) {
    // Not `*.json`: a copy named so would be a scenario of its own.
    let copy = file.with_extension("copy");
    let started = Instant::now();
    while started.elapsed() < during {
        std::fs::read(file).expect("read");
        let cp = std::process::Command::new("cp")
            .arg(file)
            .arg(&copy)
            .status()
            .expect("cp runs");
        assert!(cp.success());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = std::fs::remove_file(&copy);
}

/// Reading a served file redeploys nothing, and does not revert a deploy made through the API;
/// a real change of the file does (the latest real change wins).
#[tokio::test]
async fn reading_a_served_file_changes_nothing() {
    let s = start_with(Some("t"), |dir| {
        std::fs::write(dir.join("read.json"), scenario("read", "read", "'file'")).expect("write")
    })
    .await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/read", s.base);
    let status = || async {
        c.get(format!("{}/api/scenarios/read", s.base))
            .send()
            .await
            .expect("send")
            .json::<serde_json::Value>()
            .await
            .expect("json")
    };
    let file = s.dir.join("read.json");
    let before = status().await;
    assert_eq!(before["status"], "RUNNING");
    read_repeatedly(&file, Duration::from_millis(1500)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = status().await;
    assert_eq!(after["deployedAt"], before["deployedAt"], "not redeployed");
    assert_eq!(after["version"], before["version"]);

    let r = c
        .put(format!("{}/api/scenarios/read", s.base))
        .bearer_auth("t")
        .body(scenario("read", "read", "'api'"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let put: serde_json::Value = r.json().await.expect("json");
    assert_ne!(put["version"], before["version"]);
    read_repeatedly(&file, Duration::from_secs(2)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let r = c.post(&url).body("{}").send().await.expect("send");
    assert_eq!(
        r.headers()["scenic-scenario-version"],
        put["version"].as_str().expect("version")
    );
    assert_eq!(
        r.text().await.expect("text"),
        "\"api\"",
        "the API's deploy still serves"
    );
    let now = status().await;
    assert_eq!(now["deployedAt"], put["deployedAt"]);
    assert_eq!(now["version"], put["version"]);

    std::fs::write(&file, scenario("read", "read", "'changed'")).expect("write");
    eventually(&c, &url, (200, Some("\"changed\""))).await;
}

/// Writing a broken file again with the same content retries it: here the fragment it missed
/// was added meanwhile.
#[tokio::test]
async fn saving_a_broken_file_again_retries_it() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let text = std::fs::read_to_string(examples.join("customer-onboarding.json")).expect("example");
    let s = start_with(None, |dir| {
        std::fs::create_dir(dir.join("fragments")).expect("fragments")
    })
    .await;
    let c = reqwest::Client::new();
    let status = || async {
        c.get(format!("{}/api/scenarios/onboarding", s.base))
            .send()
            .await
            .expect("send")
            .json::<serde_json::Value>()
            .await
            .expect("json")
    };
    let file = s.dir.join("onboarding.json");
    std::fs::write(&file, &text).expect("write");
    let started = Instant::now();
    while status().await["status"] != "FAILED" {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never reported"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    std::fs::copy(
        examples.join("fragments/customer-segmentation.json"),
        s.dir.join("fragments/customer-segmentation.json"),
    )
    .expect("copy");
    std::fs::write(&file, &text).expect("write");
    let started = Instant::now();
    while status().await["status"] != "RUNNING" {
        assert!(started.elapsed() < Duration::from_secs(10), "not retried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Renaming a file moves its scenario to the new name, even when the new name is handled first
/// (it sorts first): the old name frees the slug and id before the new one claims them.
#[tokio::test]
async fn renaming_a_file_moves_its_scenario() {
    let s = start_with(None, |dir| {
        std::fs::write(dir.join("zz.json"), scenario("moved", "moved", "'hi'")).expect("write")
    })
    .await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/moved", s.base);
    eventually(&c, &url, (200, Some("\"hi\""))).await;
    std::fs::rename(s.dir.join("zz.json"), s.dir.join("aa.json")).expect("rename");
    let started = Instant::now();
    loop {
        let get = |name: &str| {
            let url = format!("{}/api/scenarios/{name}", s.base);
            let c = c.clone();
            async move { c.get(url).send().await.expect("send") }
        };
        let aa = get("aa").await;
        let running = aa.status() == 200
            && aa.json::<serde_json::Value>().await.expect("json")["status"] == "RUNNING";
        if running && get("zz").await.status() == 404 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "not moved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eventually(&c, &url, (200, Some("\"hi\""))).await;
}

/// Removes a folder when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Two served folders with a file of the same name: the first claims the management name, the
/// other is refused, at start-up and by the watch that starts after it (which used to deploy it
/// over the first), until the first is removed; then it takes the name over.
#[tokio::test]
async fn a_name_taken_by_a_file_in_another_folder_waits_for_it() {
    // Only this test uses the name: one per test process.
    let other =
        TempDir(std::env::temp_dir().join(format!("scenic-gw-other-{}", std::process::id())));
    std::fs::create_dir_all(&other.0).expect("dir");
    std::fs::write(other.0.join("x.json"), scenario("x2", "x2", "'second'")).expect("write");
    let s = common::start_args(
        None,
        |dir| std::fs::write(dir.join("x.json"), scenario("x1", "x1", "'first'")).expect("write"),
        &[other.0.to_str().expect("path")],
    )
    .await;
    let c = reqwest::Client::new();
    let (first, second) = (
        format!("{}/scenario/x1", s.base),
        format!("{}/scenario/x2", s.base),
    );
    let taken = format!(
        "{}: not deployed: the name 'x' is taken by {}",
        other.0.join("x.json").display(),
        s.dir.join("x.json").display()
    );
    s.log_contains(&taken).await;
    // Time for the watches' first scans.
    tokio::time::sleep(Duration::from_millis(500)).await;
    eventually(&c, &first, (200, Some("\"first\""))).await;
    eventually(&c, &second, (404, None)).await;

    std::fs::remove_file(s.dir.join("x.json")).expect("remove");
    eventually(&c, &second, (200, Some("\"second\""))).await;
    eventually(&c, &first, (404, None)).await;
}
