//! Graceful shutdown of `scenic serve` under load: SIGTERM lets every request the server has
//! begun answering finish, refuses new connections, and exits 0.

mod common;

use std::time::{Duration, Instant};

use common::{scenario, start};

#[derive(Debug)]
enum Seen {
    /// A response: its status and whether the body arrived whole.
    Answer(u16, bool),
    /// The server no longer listens.
    Refused,
    /// The request failed after the connection was made.
    Failed(String),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_cuts_no_response_and_exits_0() {
    let mut s = start(Some("t")).await;
    let c = reqwest::Client::new();
    let r = c
        .put(format!("{}/api/scenarios/hello", s.base))
        .bearer_auth("t")
        .body(scenario("hello", "hello", "'hi'"))
        .send()
        .await
        .expect("deploy");
    assert_eq!(r.status(), 200);
    let url = format!("{}/scenario/hello", s.base);
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut log = Vec::new();
                let started = Instant::now();
                while started.elapsed() < Duration::from_secs(20) {
                    let seen = match client.post(&url).body("{}").send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            Seen::Answer(status, r.bytes().await.is_ok())
                        }
                        Err(e) if e.is_connect() => Seen::Refused,
                        Err(e) => Seen::Failed(format!("{e:?}")),
                    };
                    let last = matches!(seen, Seen::Refused);
                    log.push(seen);
                    if last {
                        break;
                    }
                }
                log
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let code = tokio::task::block_in_place(|| s.terminate(Duration::from_secs(20)));
    assert_eq!(code, Some(0), "exit code after SIGTERM");
    let mut answered = 0;
    for client in clients {
        let log = client.await.expect("client task");
        for seen in &log {
            match seen {
                Seen::Answer(status, whole) => {
                    assert!(whole, "a response was cut mid-way");
                    assert!(*status == 200 || *status == 503, "status {status}");
                    answered += 1;
                }
                Seen::Refused => {}
                Seen::Failed(e) => panic!(
                    "a request failed: {e}; log tail {:?}",
                    &log[log.len().saturating_sub(4)..]
                ),
            }
        }
        assert!(
            matches!(log.last(), Some(Seen::Refused)),
            "after the exit connections are refused"
        );
    }
    assert!(answered > 0, "load was flowing");
}
