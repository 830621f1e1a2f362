//! Hostile input against the real `scenic serve` binary (issue #9, `decisions.md` §10): every
//! reproduction of the issue and more, each asserting that the process survives, that the
//! hostile call gets a bounded answer naming the node, that health checks and other scenarios
//! keep answering meanwhile, and that memory stays bounded.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{scenario, start, start_args, start_with, Server};
use serde_json::{json, Value};

const TOKEN: &str = "t0ken";

/// A request-response scenario whose input has the properties `props` (JSON Schema, `{}` for
/// none): `nodes` between the source and a response sink whose value is `response`.
fn rr_in(name: &str, props: Value, nodes: Vec<Value>, response: &str) -> String {
    let input = json!({"type": "object", "properties": props}).to_string();
    let mut all = vec![
        json!({"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}}),
    ];
    all.extend(nodes);
    all.push(
        json!({"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
        {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
        {"name": "Value", "expression": {"language": "spel", "expression": response}}]}}),
    );
    json!({
        "metaData": {"id": name, "additionalFields": {"properties": {"inputSchema": input, "outputSchema": "{}", "slug": name}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": all,
        "additionalBranches": []
    })
    .to_string()
}

/// A scenario that reads nothing of its input.
fn rr(name: &str, nodes: Vec<Value>, response: &str) -> String {
    rr_in(name, json!({}), nodes, response)
}

fn list_of(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn variable(id: &str, name: &str, expression: &str) -> Value {
    json!({"id": id, "type": "Variable", "varName": name, "value": {"language": "spel", "expression": expression}})
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    fn of(s: &Server) -> Client {
        Client {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            base: s.base.clone(),
        }
    }

    async fn put(&self, name: &str, body: String) -> (u16, Value) {
        let r = self
            .http
            .put(format!("{}/api/scenarios/{name}", self.base))
            .bearer_auth(TOKEN)
            .body(body)
            .send()
            .await
            .expect("PUT");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: String) -> (u16, Value, Duration) {
        let started = Instant::now();
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .body(body)
            .send()
            .await
            .expect("POST");
        let status = r.status().as_u16();
        (
            status,
            r.json().await.unwrap_or(Value::Null),
            started.elapsed(),
        )
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    async fn alive(&self) -> bool {
        self.get("/alive").await.0 == 200
    }
}

/// The first error entry's message (the body is the reference's array of entries).
fn first_message(body: &Value) -> String {
    body[0]["message"].as_str().unwrap_or("").to_string()
}

/// A short description of an answer for assertion messages (never the whole body).
fn describe(status: u16, body: &Value) -> String {
    let text = body.to_string();
    format!("{status} {}", &text[..text.len().min(400)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_expressions_are_refused_at_deploy_and_the_server_survives() {
    let deep = format!("'a'{}", ".trim()".repeat(5000));
    let mut s = start_with(Some(TOKEN), |dir| {
        // Such a file in the folder at start-up: reported, not served; the server comes up.
        std::fs::write(dir.join("deep-file.json"), rr("deep-file", vec![], &deep)).expect("write");
    })
    .await;
    let c = Client::of(&s);
    // Issue #9: 5,000 `.trim()`s or 10,000 `#input.n` joined by `+` compiled and aborted the
    // process on the first request; `1+1+...` with 40,000 terms aborted it during the PUT.
    let plus = vec!["#input.n"; 5_000].join(" + ");
    let ones = vec!["1"; 20_000].join("+");
    let longer_plus = vec!["#input.n"; 10_000].join(" + ");
    let longer_ones = vec!["1"; 40_000].join("+");
    let n = json!({"n": {"type": "integer"}});
    let cases = [
        (deep.as_str(), true),
        (plus.as_str(), true),
        (ones.as_str(), true),
        // Past the expression length limit (64 KiB) before their depth is even looked at.
        (longer_plus.as_str(), false),
        (longer_ones.as_str(), false),
    ];
    for (i, (expr, positioned)) in cases.iter().enumerate() {
        let name = format!("deep{i}");
        let (status, body) = c.put(&name, rr_in(&name, n.clone(), vec![], expr)).await;
        assert_eq!(status, 400, "{}", describe(status, &body));
        assert_eq!(body[0]["nodeId"], "out");
        assert_eq!(body[0]["parameter"], "Value");
        let message = first_message(&body);
        if *positioned {
            assert!(message.contains("too deep"), "{}", describe(status, &body));
            assert!(body[0]["column"].as_u64().is_some_and(|c| c > 100));
        } else {
            assert!(
                message.contains("over the limit of 65536 bytes"),
                "{message}"
            );
        }
        assert!(c.alive().await && s.alive());
    }
    let (_, status) = c.get("/api/scenarios/deep-file").await;
    assert!(
        status.contains("FAILED") && status.contains("too deep"),
        "{status}"
    );
    // The server still deploys and serves.
    let (status, _) = c.put("fine", scenario("fine", "fine", "'ok'")).await;
    assert_eq!(status, 200);
    let (status, body, _) = c.post("/scenario/fine", "{}".into()).await;
    assert_eq!((status, body), (200, json!("ok")));
}

/// A fragment whose body uses the fragment `inner`.
fn fragment_using(inner: &str) -> String {
    json!({
        "metaData": {"id": "f", "additionalFields": {"properties": {}, "metaDataType": "FragmentSpecificData"}},
        "nodes": [
            {"id": "input", "type": "FragmentInputDefinition", "parameters": []},
            {"id": "again", "type": "FragmentInput", "ref": {"id": inner, "parameters": [], "outputVariableNames": {}},
             "outputs": {"output": [{"id": "done", "type": "FragmentOutputDefinition", "outputName": "output", "fields": []}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

/// A scenario using the fragment `fragment`.
fn scenario_using(name: &str, fragment: &str) -> String {
    json!({
        "metaData": {"id": name, "additionalFields": {"properties": {"inputSchema": "{}", "outputSchema": "{}", "slug": name}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "frag", "type": "FragmentInput", "ref": {"id": fragment, "parameters": [], "outputVariableNames": {}},
             "outputs": {"output": [{"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "'done'"}}]}}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recursive_fragments_are_a_compile_error_naming_the_cycle() {
    let s = start_with(Some(TOKEN), |dir| {
        let frags = dir.join("fragments");
        std::fs::create_dir_all(&frags).expect("dir");
        std::fs::write(frags.join("selfish.json"), fragment_using("selfish")).expect("write");
        std::fs::write(frags.join("ping.json"), fragment_using("pong")).expect("write");
        std::fs::write(frags.join("pong.json"), fragment_using("ping")).expect("write");
        std::fs::write(
            dir.join("uses-self.json"),
            scenario_using("uses-self", "selfish"),
        )
        .expect("write");
        std::fs::write(
            dir.join("uses-ping.json"),
            scenario_using("uses-ping", "ping"),
        )
        .expect("write");
    })
    .await;
    let c = Client::of(&s);
    // At start-up: the server is up, the scenarios are reported with their cycle.
    let (_, status) = c.get("/api/scenarios/uses-self").await;
    assert!(
        status.contains("Fragment cycle: selfish -> selfish"),
        "{status}"
    );
    let (_, status) = c.get("/api/scenarios/uses-ping").await;
    assert!(
        status.contains("Fragment cycle: ping -> pong -> ping"),
        "{status}"
    );
    // Over the management API.
    let (status, body) = c.put("again", scenario_using("again", "pong")).await;
    assert_eq!(status, 400, "{}", describe(status, &body));
    assert!(first_message(&body).contains("Fragment cycle: pong -> ping -> pong"));
    // From the folder watch.
    std::fs::write(
        s.dir.join("watched.json"),
        scenario_using("watched", "selfish"),
    )
    .expect("write");
    s.log_contains("Fragment cycle").await;
    assert!(c.alive().await);
    // `scenic validate` reports it too, and exits 1.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args([
            "validate",
            s.dir.join("uses-ping.json").to_str().expect("path"),
        ])
        .output()
        .expect("validate runs");
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("Fragment cycle: ping -> pong -> ping"),
        "{text}"
    );
}

/// Inputs of a few hundred kilobytes that asked for gigabytes (issue #9).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_bombs_fail_their_node_and_memory_stays_bounded() {
    let mut s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    let ten = "{1,2,3,4,5,6,7,8,9,10}";
    let mut nested = format!("{ten}.![#this]");
    for _ in 0..7 {
        nested = format!("{ten}.![{nested}]");
    }
    let mut doubling: Vec<Value> =
        vec![variable("v0", "x0", "{'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}")];
    for i in 1..60 {
        doubling.push(variable(
            &format!("v{i}"),
            &format!("x{i}"),
            &format!("{{#x{}, #x{}}}", i - 1, i - 1),
        ));
    }
    let cases: Vec<(&str, String, String, &str)> = vec![
        (
            "product",
            rr_in(
                "product",
                json!({"a": list_of(json!({"type": "object"})), "b": list_of(json!({"type": "object"}))}),
                vec![],
                "#COLLECTION.product(#input.a, #input.b).size()",
            ),
            json!({"a": vec![json!({}); 100_000], "b": vec![json!({}); 100_000]}).to_string(),
            "out",
        ),
        (
            "replace",
            rr_in("replace", json!({"s": {"type": "string"}}), vec![], "#input.s.replace('', #input.s)"),
            json!({"s": "x".repeat(200_000)}).to_string(),
            "out",
        ),
        ("nested", rr("nested", vec![], &nested), "{}".into(), "out"),
        ("doubling", rr("doubling", doubling, "#x59.size()"), "{}".into(), ""),
        (
            "text",
            rr_in("text", json!({"s": {"type": "string"}}), vec![], "#input.s + #input.s + #input.s + #input.s + #input.s + #input.s + #input.s + #input.s + #input.s + #input.s + #input.s"),
            json!({"s": "y".repeat(900_000)}).to_string(),
            "out",
        ),
    ];
    for (name, text, _, _) in &cases {
        let (status, body) = c.put(name, text.clone()).await;
        assert_eq!(status, 200, "{name}: {}", describe(status, &body));
    }
    let before = s.rss_kib();
    for (name, _, input, node) in &cases {
        let (status, body, took) = c.post(&format!("/scenario/{name}"), input.clone()).await;
        assert_eq!(status, 500, "{name}: {}", describe(status, &body));
        let message = first_message(&body);
        assert!(
            message.contains("limit") || message.contains("budget"),
            "{name}: {message}"
        );
        if !node.is_empty() {
            assert_eq!(body[0]["nodeId"], *node, "{name}");
        } else {
            assert!(
                body[0]["nodeId"]
                    .as_str()
                    .is_some_and(|n| n.starts_with('v')),
                "{name}"
            );
        }
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
        assert!(c.alive().await && s.alive(), "{name}");
    }
    // Four of each at once: still bounded.
    let mut all = Vec::new();
    for _ in 0..4 {
        for (name, _, input, _) in &cases {
            let c = Client::of(&s);
            let (name, input) = (name.to_string(), input.clone());
            all.push(tokio::spawn(async move {
                c.post(&format!("/scenario/{name}"), input).await.0
            }));
        }
    }
    for h in all {
        assert_eq!(h.await.expect("task"), 500);
    }
    let after = s.rss_kib();
    eprintln!("resident memory: {before} KiB before the bombs, {after} KiB after 20 at once");
    assert!(s.alive());
    assert!(
        after < 1_500_000,
        "resident memory grew from {before} KiB to {after} KiB"
    );
}

/// `{1..10}` nested 8 deep, counting: 10^8 steps with little memory (the memory budget is
/// raised so that time is what runs out).
fn cpu_bound() -> String {
    let ten = "{1,2,3,4,5,6,7,8,9,10}";
    let mut src = format!("{ten}.![#this > 5]");
    for _ in 0..7 {
        src = format!("{ten}.![{src}.size()]");
    }
    src
}

/// Polls health, metrics and a light scenario while `heavy` runs: each must answer quickly.
async fn responsive_while(
    c: &Client,
    heavy: tokio::task::JoinHandle<(u16, Value, Duration)>,
) -> (u16, Value, Duration) {
    let mut worst = Duration::ZERO;
    let mut polls = 0;
    while !heavy.is_finished() {
        for path in ["/alive", "/ready", "/metrics"] {
            let started = Instant::now();
            let (status, _) = c.get(path).await;
            assert_eq!(status, 200, "{path}");
            worst = worst.max(started.elapsed());
        }
        let started = Instant::now();
        let (status, body, _) = c.post("/scenario/light", "{}".into()).await;
        assert_eq!((status, body), (200, json!("light")));
        worst = worst.max(started.elapsed());
        polls += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        polls >= 5,
        "only {polls} polls: the heavy request ended too soon to tell"
    );
    assert!(worst < Duration::from_millis(1000), "a poll took {worst:?}");
    heavy.await.expect("task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cpu_bound_requests_stop_at_the_timeout_and_the_server_stays_responsive() {
    // Issue #9: with --timeout 3 --workers 1 a request answered 200 after 21.7 s and /alive
    // stalled meanwhile.
    let s = start_args(
        Some(TOKEN),
        |_| {},
        &["--timeout", "3", "--max-eval-memory", "17179869184"],
    )
    .await;
    let c = Client::of(&s);
    for (name, text) in [
        ("heavy", rr("heavy", vec![], &cpu_bound())),
        (
            "heavy-big",
            rr_in(
                "heavy-big",
                json!({"a": list_of(json!({"type": "integer"})), "b": list_of(json!({"type": "integer"}))}),
                vec![],
                "#COLLECTION.diff(#input.a, #input.b).size()",
            ),
        ),
        ("light", scenario("light", "light", "'light'")),
    ] {
        let (status, body) = c.put(name, text).await;
        assert_eq!(status, 200, "{name}: {}", describe(status, &body));
    }
    // A small body (starts on the I/O thread, moves to the pool) and a big one (starts there).
    let big =
        json!({"a": (0..70_000).collect::<Vec<_>>(), "b": (70_000..140_000).collect::<Vec<_>>()})
            .to_string();
    for (path, body) in [
        ("/scenario/heavy", "{}".to_string()),
        ("/scenario/heavy-big", big),
    ] {
        let client = Client::of(&s);
        let path = path.to_string();
        let heavy = tokio::spawn(async move { client.post(&path, body).await });
        let (status, body, took) = responsive_while(&c, heavy).await;
        assert_eq!(status, 504, "{}", describe(status, &body));
        assert!(
            took >= Duration::from_millis(2900) && took < Duration::from_millis(4000),
            "answered after {took:?}"
        );
    }
    // Two at once, then a third: all 504 on time, the light scenario answering throughout.
    let mut heavies = Vec::new();
    for _ in 0..3 {
        let client = Client::of(&s);
        heavies.push(tokio::spawn(async move {
            client.post("/scenario/heavy", "{}".into()).await
        }));
    }
    let last = heavies.pop().expect("three");
    let (status, _, took) = responsive_while(&c, last).await;
    assert_eq!(status, 504);
    assert!(
        took < Duration::from_millis(4500),
        "answered after {took:?}"
    );
    for h in heavies {
        let (status, _, took) = h.await.expect("task");
        assert_eq!(status, 504);
        assert!(
            took < Duration::from_millis(4500),
            "answered after {took:?}"
        );
    }
}

/// `n` variables in a chain, each reading the previous one.
fn chained(name: &str, n: usize) -> String {
    let mut nodes = vec![variable("v0", "x0", "1")];
    for i in 1..n {
        nodes.push(variable(
            &format!("v{i}"),
            &format!("x{i}"),
            &format!("#x{} + 1", i - 1),
        ));
    }
    rr(name, nodes, &format!("#x{}", n - 1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compilation_is_linear_and_bounded() {
    // Issue #9: 20,000 distinct variables (a 2 MB file) took 28 s to compile.
    let s = start_args(Some(TOKEN), |_| {}, &["--max-nodes", "30000"]).await;
    let c = Client::of(&s);
    // Linear, not quadratic: four times the variables take about four times as long (a
    // quadratic compiler takes sixteen). A ratio, so that a loaded machine does not fail it.
    let started = Instant::now();
    let (status, body) = c.put("narrow", chained("narrow", 5_000)).await;
    assert_eq!(status, 200, "{}", describe(status, &body));
    let small = started.elapsed();
    let started = Instant::now();
    let (status, body) = c.put("wide", chained("wide", 20_000)).await;
    assert_eq!(status, 200, "{}", describe(status, &body));
    let large = started.elapsed();
    assert!(
        large < small * 9 + Duration::from_millis(500),
        "5,000 variables took {small:?}, 20,000 took {large:?}: not linear"
    );
    let (status, body, _) = c.post("/scenario/wide", "{}".into()).await;
    assert_eq!((status, body), (200, json!(20_000)));
    drop(s);

    // The default node limit refuses it at once, naming the limit.
    let s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    let started = Instant::now();
    let (status, body) = c.put("wide", chained("wide", 20_000)).await;
    assert_eq!(status, 400);
    assert!(
        first_message(&body).contains("more than 10000 nodes"),
        "{}",
        describe(status, &body)
    );
    // It stops at the limit: sooner than compiling the whole scenario took.
    assert!(
        started.elapsed() < large,
        "the refusal took {:?}, compiling all of it {large:?}",
        started.elapsed()
    );
    // Nesting records node after node cannot build types too deep to handle.
    let mut nodes = vec![variable("v0", "x0", "{a: 1}")];
    for i in 1..400 {
        nodes.push(variable(
            &format!("v{i}"),
            &format!("x{i}"),
            &format!("{{a: #x{}}}", i - 1),
        ));
    }
    let (status, body) = c.put("nest", rr("nest", nodes, "#x399")).await;
    assert_eq!(status, 400, "{}", describe(status, &body));
    assert!(
        first_message(&body).contains("levels deep"),
        "{}",
        describe(status, &body)
    );
    drop(s);

    // A compile deadline: a deploy that takes too long is refused, and serving goes on.
    let s = start_args(Some(TOKEN), |_| {}, &["--compile-timeout", "1"]).await;
    let c = Client::of(&s);
    let list = format!("{{{}}}", vec!["7"; 30_000].join(","));
    let nodes: Vec<Value> = (0..240)
        .map(|i| variable(&format!("v{i}"), &format!("x{i}"), &list))
        .collect();
    let slow = rr("slow", nodes, "1");
    let client = Client::of(&s);
    let put = tokio::spawn(async move { client.put("slow", slow).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(c.alive().await);
    let (status, body) = put.await.expect("task");
    assert_eq!(status, 400, "{}", describe(status, &body));
    assert!(
        first_message(&body).contains("longer than 1 s"),
        "{}",
        describe(status, &body)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_body_times_out_with_408() {
    // Issue #9: a body sent a byte a second kept its connection forever.
    let s = start_args(Some(TOKEN), |_| {}, &["--timeout", "2"]).await;
    let c = Client::of(&s);
    let (status, _) = c.put("light", scenario("light", "light", "'light'")).await;
    assert_eq!(status, 200);
    // An invocation, and the management API's two calls with a body.
    let auth = format!("Authorization: Bearer {TOKEN}\r\n");
    for head in [
        "POST /scenario/light HTTP/1.1\r\n".to_string(),
        format!("PUT /api/scenarios/light HTTP/1.1\r\n{auth}"),
        format!("POST /api/scenarios/light/test HTTP/1.1\r\n{auth}"),
    ] {
        let addr = s.base.trim_start_matches("http://").to_string();
        let started = Instant::now();
        let request = head.clone();
        let reader = std::thread::spawn(move || {
            let mut conn = std::net::TcpStream::connect(addr).expect("connect");
            conn.set_read_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            conn.write_all(format!("{request}Host: x\r\nContent-Length: 100\r\n\r\n").as_bytes())
                .expect("headers");
            let mut sender = conn.try_clone().expect("clone");
            std::thread::spawn(move || {
                for _ in 0..20 {
                    if sender.write_all(b" ").is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
            });
            let mut answer = [0u8; 256];
            let n = conn.read(&mut answer).unwrap_or(0);
            String::from_utf8_lossy(&answer[..n]).to_string()
        });
        assert!(c.alive().await);
        let answer = tokio::task::spawn_blocking(move || reader.join().expect("reader"))
            .await
            .expect("join");
        assert!(answer.starts_with("HTTP/1.1 408"), "{head}: {answer}");
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(4),
            "{head}: answered after {took:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_call_runs_under_the_timeout_off_the_io_threads() {
    // Issue #9: `POST /api/scenarios/{name}/test` ran without the request timeout.
    let s = start_args(
        Some(TOKEN),
        |_| {},
        &["--timeout", "2", "--max-eval-memory", "17179869184"],
    )
    .await;
    let c = Client::of(&s);
    for (name, text) in [
        ("heavy", rr("heavy", vec![], &cpu_bound())),
        ("light", scenario("light", "light", "'light'")),
    ] {
        assert_eq!(c.put(name, text).await.0, 200);
    }
    let client = reqwest::Client::new();
    let url = format!("{}/api/scenarios/heavy/test", s.base);
    let started = Instant::now();
    let test = tokio::spawn(async move {
        let r = client
            .post(url)
            .bearer_auth(TOKEN)
            .body("[{}]")
            .send()
            .await
            .expect("send");
        r.status().as_u16()
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, body, took) = c.post("/scenario/light", "{}".into()).await;
    assert_eq!((status, body), (200, json!("light")));
    assert!(
        took < Duration::from_secs(1),
        "a light request took {took:?}"
    );
    assert_eq!(test.await.expect("task"), 504);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "answered after {:?}",
        started.elapsed()
    );
    // Too many inputs are refused.
    let many = format!("[{}]", vec!["{}"; 1001].join(","));
    let r = reqwest::Client::new()
        .post(format!("{}/api/scenarios/light/test", s.base))
        .bearer_auth(TOKEN)
        .body(many)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
}

/// The value of a metric series whose line contains every one of `parts`.
fn series(metrics: &str, name: &str, parts: &[&str]) -> Option<f64> {
    metrics
        .lines()
        .filter(|l| l.starts_with(name))
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_counters_survive_a_redeploy() {
    // Issue #9: node counters reset on every redeploy.
    let s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    assert_eq!(
        c.put("count", scenario("count", "count", "'one'")).await.0,
        200
    );
    for _ in 0..3 {
        assert_eq!(c.post("/scenario/count", "{}".into()).await.0, 200);
    }
    assert_eq!(
        c.put("count", scenario("count", "count", "'two'")).await.0,
        200
    );
    let (status, body, _) = c.post("/scenario/count", "{}".into()).await;
    assert_eq!((status, body), (200, json!("two")));
    let (_, metrics) = c.get("/metrics").await;
    let entered = series(
        &metrics,
        "scenic_node_count_total",
        &["scenario=\"count\"", "node=\"out\""],
    );
    assert_eq!(entered, Some(4.0), "node counts after a redeploy");
    let ended = series(
        &metrics,
        "scenic_end_total",
        &["scenario=\"count\"", "node=\"out\""],
    );
    assert_eq!(ended, Some(4.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_of_a_fan_out_are_capped() {
    // A for-each over 1,000 elements that all fail answers with 100 errors and a count.
    let s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    let nodes = vec![
        json!({"id": "each", "type": "CustomNode", "outputVar": "item", "nodeType": "for-each",
               "parameters": [{"name": "Elements", "expression": {"language": "spel", "expression": "#input.items"}}]}),
        variable("divide", "q", "1 / #item"),
    ];
    let items = json!({"items": list_of(json!({"type": "integer"}))});
    let (status, body) = c.put("fan", rr_in("fan", items, nodes, "#q")).await;
    assert_eq!(status, 200, "{}", describe(status, &body));
    let input = json!({"items": vec![0; 1000]}).to_string();
    let (status, body, _) = c.post("/scenario/fan", input).await;
    assert_eq!(status, 500);
    let entries = body.as_array().expect("array");
    assert_eq!(entries.len(), 101, "{}", describe(status, &body));
    assert_eq!(entries[0]["nodeId"], "divide");
    assert!(entries[100]["message"]
        .as_str()
        .is_some_and(|m| m.contains("900 more errors")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contexts_and_values_made_across_nodes_are_bounded() {
    let s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    // A record nested one level per node, 300 nodes: deeper than a value may be.
    let mut nodes = vec![variable("v0", "x0", "{1}")];
    for i in 1..300 {
        nodes.push(variable(
            &format!("v{i}"),
            &format!("x{i}"),
            &format!("true ? {{#x{}}} : null", i - 1),
        ));
    }
    let (status, body) = c
        .put("deep-value", rr("deep-value", nodes, "#x299.size()"))
        .await;
    if status == 200 {
        let (status, body, _) = c.post("/scenario/deep-value", "{}".into()).await;
        assert_eq!(status, 500, "{}", describe(status, &body));
        assert!(
            first_message(&body).contains("levels deep"),
            "{}",
            describe(status, &body)
        );
    } else {
        assert_eq!(status, 400, "{}", describe(status, &body));
        assert!(
            first_message(&body).contains("levels deep"),
            "{}",
            describe(status, &body)
        );
    }
    // A for-each over a million elements (a 2-byte element each): bounded by the memory budget.
    let nodes = vec![
        json!({"id": "each", "type": "CustomNode", "outputVar": "item", "nodeType": "for-each",
               "parameters": [{"name": "Elements", "expression": {"language": "spel", "expression": "#input.items"}}]}),
    ];
    let items = json!({"items": list_of(json!({"type": "integer"}))});
    let (status, body) = c.put("wide", rr_in("wide", items, nodes, "#item")).await;
    assert_eq!(status, 200, "{}", describe(status, &body));
    let input = format!("{{\"items\": [{}]}}", vec!["1"; 400_000].join(","));
    let (status, body, took) = c.post("/scenario/wide", input).await;
    // The first response wins: the fan-out stops being needed, but it must not cost the
    // process its memory either way.
    assert!(
        status == 200 || status == 500,
        "{}",
        describe(status, &body)
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(c.alive().await);
    assert!(s.rss_kib() < 1_500_000, "{} KiB", s.rss_kib());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_input_violations_answer_a_small_400() {
    // Issue #9: a 930 KB body with many violations answered 400 with an 8.9 MB body.
    let s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    let props = json!({"items": list_of(json!({"type": "integer"}))});
    assert_eq!(
        c.put("strict", rr_in("strict", props, vec![], "1")).await.0,
        200
    );
    let body = format!("{{\"items\": [{}]}}", vec!["\"x\""; 230_000].join(","));
    assert!(body.len() > 900_000 && body.len() < 1 << 20);
    let r = c
        .http
        .post(format!("{}/scenario/strict", c.base))
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 400);
    let text = r.text().await.expect("text");
    assert!(text.len() < 64 * 1024, "a {} byte answer", text.len());
    let entries: Value = serde_json::from_str(&text).expect("json");
    let entries = entries.as_array().expect("array");
    assert_eq!(entries.len(), 101);
    assert!(
        entries[100]["message"]
            .as_str()
            .is_some_and(|m| m.contains("229900 more")),
        "{}",
        entries[100]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_record_of_many_big_fields_is_refused_before_it_is_written() {
    // Each field is a bounded 1 MB string; forty of them would make a 40 MB response.
    let s = start(Some(TOKEN)).await;
    let c = Client::of(&s);
    let fields: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
    let out_schema = json!({"type": "object", "properties": fields.iter().map(|f| (f.clone(), json!({"type": "string"}))).collect::<serde_json::Map<_, _>>()});
    let mut params = vec![
        json!({"name": "Raw editor", "expression": {"language": "spel", "expression": "false"}}),
    ];
    params.extend(
        fields
            .iter()
            .map(|f| json!({"name": f, "expression": {"language": "spel", "expression": "#big"}})),
    );
    let text = json!({
        "metaData": {"id": "wide-out", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"s": {"type": "string"}}}).to_string(),
            "outputSchema": out_schema.to_string(), "slug": "wide-out"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            variable("big", "big", "#input.s + #input.s"),
            {"id": "out", "type": "Sink", "ref": {"typ": "response", "parameters": params}}
        ],
        "additionalBranches": []
    })
    .to_string();
    let (status, body) = c.put("wide-out", text).await;
    assert_eq!(status, 200, "{}", describe(status, &body));
    let (status, body, _) = c
        .post(
            "/scenario/wide-out",
            json!({"s": "z".repeat(500_000)}).to_string(),
        )
        .await;
    assert_eq!(status, 500, "{}", describe(status, &body));
    assert!(
        first_message(&body).contains("over a limit"),
        "{}",
        describe(status, &body)
    );
    assert_eq!(body[0]["nodeId"], "out");
    assert!(c.alive().await);
}
