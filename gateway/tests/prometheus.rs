//! The Prometheus series a server exposes besides the scenarios' own (`decisions.md` §7):
//! HTTP requests by route class and status (404 and 413 included), deploys by outcome,
//! evaluation budgets exhausted, build and process info; and `promtool check metrics` finds
//! nothing wrong with the exposition (when Debian's `prometheus` package is installed, as the
//! test command does).

mod common;

use std::time::Duration;

use serde_json::json;

fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn http_deploy_budget_build_and_process_series() {
    let server = common::start_args(
        None,
        |dir| {
            std::fs::write(
                dir.join("hello.json"),
                common::scenario("hello", "hello", "'hi' + #input"),
            )
            .expect("write");
            std::fs::write(
                dir.join("broken.json"),
                common::scenario("broken", "broken", "#nope"),
            )
            .expect("write");
        },
        &["--max-string-bytes", "16", "--max-body", "1000"],
    )
    .await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/hello", server.base);
    for _ in 0..3 {
        let r = c.post(&url).json(&json!("x")).send().await.expect("send");
        assert_eq!(r.status().as_u16(), 200);
    }
    // Over the 16-byte string limit: the size budget.
    let r = c
        .post(&url)
        .json(&json!("a string well over sixteen bytes"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 500);
    let r = c
        .post(&url)
        .body(vec![b' '; 5000])
        .header("content-type", "application/json")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 413);
    let r = c
        .get(format!("{}/no/such/page", server.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 404);
    let text = c
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert_eq!(
        metric(
            &text,
            "scenic_http_requests_total{route=\"scenario\",status=\"200\"}"
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            "scenic_http_requests_total{route=\"scenario\",status=\"413\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            "scenic_http_requests_total{route=\"other\",status=\"404\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(&text, "scenic_deploys_total{outcome=\"deployed\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(&text, "scenic_deploys_total{outcome=\"failed\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            "scenic_budget_exhausted_total{budget=\"size\",scenario=\"hello\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert!(text.contains("scenic_build_info{version=\""), "{text}");
    assert!(
        metric(&text, "process_resident_memory_bytes").is_some_and(|b| b > 0.0),
        "{text}"
    );
    // The scrape itself is counted on the next one.
    tokio::time::sleep(Duration::from_millis(10)).await;
    let again = c
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(metric(
        &again,
        "scenic_http_requests_total{route=\"metrics\",status=\"200\"}"
    )
    .is_some_and(|n| n >= 1.0));

    common::dashboards::promtool_check(&again);
}
