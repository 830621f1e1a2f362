//! `scenic serve --config`: scenarios with SQL enrichers on a real PostgreSQL, over HTTP. A
//! database that is down fails the requests that need it (500, naming the node), and nothing
//! else: other scenarios and the health checks keep answering, and it recovers by itself.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::pg::{Cluster, Db};
use serde_json::{json, Value as Json};

const SEED: &str = "CREATE TABLE client (id int PRIMARY KEY, name text, blocked boolean);
    INSERT INTO client VALUES (1, 'Ann', false), (2, 'Bob', true);";

fn spel(name: &str, e: &str) -> Json {
    json!({"name": name, "expression": {"language": "spel", "expression": e}})
}

/// `POST /scenario/clients {"id": n}` → the client's name (a lookup), or "unknown".
fn lookup_scenario() -> String {
    json!({
        "metaData": {"id": "clients", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"id": {"type": "integer"}}}).to_string(),
            "outputSchema": json!({"type": "object", "properties": {"name": {"type": "string"}}}).to_string(),
            "slug": "clients"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "find client", "type": "Enricher", "service": {"id": "db-lookup", "parameters": [
                spel("Table", "'client'"), spel("Cache TTL", ""), spel("Key column", "'id'"),
                spel("Key value", "#input.id")]}, "output": "client"},
            {"id": "response", "type": "Sink", "ref": {"typ": "response", "parameters": [
                spel("name", "#client == null ? 'unknown' : #client.name")]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

fn write_files(dir: &Path, config: &Path, config_text: &str) {
    std::fs::write(dir.join("clients.json"), lookup_scenario()).expect("write");
    std::fs::write(
        dir.join("hello.json"),
        common::scenario("hello", "hello", "'hi'"),
    )
    .expect("write");
    std::fs::write(config, config_text).expect("write");
}

async fn post(c: &reqwest::Client, url: String, body: Json) -> (u16, Json) {
    let r = match c.post(url).json(&body).send().await {
        Ok(r) => r,
        // A transport error: status 0 with the error, for the caller to judge.
        Err(e) => return (0, Json::String(format!("{e:?}"))),
    };
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Json::Null))
}

fn config_path(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "scenic-enrichers-{}-{tag}.json",
        std::process::id()
    ))
}

#[tokio::test]
async fn serve_with_a_config_file_runs_sql_enrichers_and_reports_their_metrics_until_cancelled() {
    let db = Db::new(SEED);
    let config = config_path("metrics");
    let text = db.config(json!({}));
    let server = common::start_args(
        None,
        |dir| write_files(dir, &config, &text),
        &["--config", config.to_str().expect("path")],
    )
    .await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/clients", server.base);
    assert_eq!(
        post(&c, url.clone(), json!({"id": 2})).await,
        (200, json!({"name": "Bob"}))
    );
    assert_eq!(
        post(&c, url.clone(), json!({"id": 7})).await,
        (200, json!({"name": "unknown"}))
    );
    let metrics = common::get_text(&c, format!("{}/metrics", server.base)).await;
    assert!(
        metrics.contains(
            "scenic_service_duration_seconds_count{outcome=\"OK\",scenario=\"clients\",service=\"dbQueryEnricher\"} 2"
        ),
        "{metrics}"
    );
    // Cancelled (its file removed): its service series go with it (`decisions.md` §7).
    std::fs::remove_file(server.dir.join("clients.json")).expect("remove");
    let started = Instant::now();
    loop {
        let metrics = common::get_text(&c, format!("{}/metrics", server.base)).await;
        if !metrics.contains("scenario=\"clients\"") {
            assert!(metrics.contains("scenario=\"hello\""), "{metrics}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the cancelled scenario's series stay: {metrics}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = std::fs::remove_file(&config);
}

// Two threads: the cluster's stop and start block one (`block_in_place`), the load goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_fails_only_the_requests_that_need_it_and_heals_by_itself() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let cluster = Cluster::start(port);
    let db = Db::on("127.0.0.1", cluster.port, SEED);
    let config = config_path("outage");
    let text = db.config(json!({"timeout": "1s", "maxTotal": 4}));
    let server = common::start_args(
        None,
        |dir| write_files(dir, &config, &text),
        &["--config", config.to_str().expect("path")],
    )
    .await;
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        // Below the server's keep-alive (5 s): a connection the server is closing as idle is
        // never reused (the client's race, not the server's fault).
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let clients = format!("{}/scenario/clients", server.base);
    let hello = format!("{}/scenario/hello", server.base);
    assert_eq!(
        post(&c, clients.clone(), json!({"id": 1})).await,
        (200, json!({"name": "Ann"}))
    );

    // Load on both scenarios while the database dies and comes back.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = |url: String, body: Json| {
        let (c, stop) = (c.clone(), stop.clone());
        tokio::spawn(async move {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let (status, answer) = post(&c, url.clone(), body.clone()).await;
                seen.push((status, answer, t.elapsed()));
            }
            seen
        })
    };
    let loads = [
        load(clients.clone(), json!({"id": 1})),
        load(clients.clone(), json!({"id": 2})),
        load(hello.clone(), json!({})),
    ];
    tokio::time::sleep(Duration::from_millis(300)).await;
    tokio::task::block_in_place(|| cluster.kill());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Health answers during the outage.
    let alive = c
        .get(format!("{}/alive", server.base))
        .send()
        .await
        .expect("alive");
    assert_eq!(alive.status().as_u16(), 200);
    tokio::task::block_in_place(|| cluster.up());
    // The pool replaces its dead connections on the next borrows: no restart needed.
    let started = Instant::now();
    loop {
        let got = post(&c, clients.clone(), json!({"id": 1})).await;
        if got == (200, json!({"name": "Ann"})) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never recovered: {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut failed = 0;
    for (i, l) in loads.into_iter().enumerate() {
        let seen = l.await.expect("load task");
        assert!(seen.len() > 3, "load {i} ran: {}", seen.len());
        let slowest = seen.iter().map(|s| s.2).max().unwrap_or_default();
        eprintln!("load {i}: {} requests, slowest {slowest:?}", seen.len());
        for (status, answer, took) in &seen {
            // No hang: a call waits at most the pool's 1 s, then 1 s to connect (generous
            // for a loaded machine; the 30 s request timeout would be a hang).
            assert!(
                *took < Duration::from_secs(5),
                "load {i}: a request took {took:?}"
            );
            match (i, *status) {
                (2, 200) => assert_eq!(answer, &json!("hi")),
                (2, _) => panic!("the scenario without a database failed: {status} {answer}"),
                (_, 200) => assert!(
                    answer["name"] == "Ann" || answer["name"] == "Bob",
                    "{answer}"
                ),
                (_, 500) => {
                    failed += 1;
                    let text = answer.to_string();
                    assert!(
                        text.contains("find client") && text.contains("database"),
                        "{text}"
                    );
                }
                (_, other) => panic!("load {i}: status {other}: {answer}\n{}", server.log()),
            }
        }
        // The last answers, after the recovery, are good.
        assert_eq!(
            seen.last().map(|s| s.0),
            Some(200),
            "load {i} ends recovered"
        );
    }
    assert!(failed > 0, "the outage was seen");
    drop(db);
    let _ = std::fs::remove_file(&config);
}

#[tokio::test]
async fn an_unreachable_database_at_deploy_names_the_component_and_the_node() {
    let config = config_path("unreachable");
    let text = json!({"components": {"databaseEnricher": {"config": {
        "databaseLookupEnricher": {"name": "db-lookup", "dbPool": {
            "url": "jdbc:postgresql://127.0.0.1:1/nowhere", "username": "postgres", "password": "",
            "timeout": "1s"}}}}}})
    .to_string();
    let dir = std::env::temp_dir().join(format!("scenic-unreachable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    write_files(&dir, &config, &text);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args([
            "validate",
            dir.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
        ])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("find client")
            && stderr.contains(
                "Could not create db-lookup: cannot connect to the database 127.0.0.1:1/nowhere"
            ),
        "{stderr}"
    );
    assert!(stdout.contains("hello.json: ok"), "{stdout}");
    // A configuration error names the key.
    std::fs::write(
        &config,
        r#"{"components": {"x": {"providerType": "nope"}}}"#,
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scenic"))
        .args([
            "validate",
            dir.to_str().expect("path"),
            "--config",
            config.to_str().expect("path"),
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("components.x: unknown providerType 'nope'"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&config);
}

/// `examples/enrichers/` as its README runs it: the seed loaded (into a database of this test's
/// own), `scenic serve examples/enrichers/ --config examples/enrichers/scenic.json`, and the
/// requests the README shows.
#[tokio::test]
async fn the_enrichers_example_serves_as_its_readme_says() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/enrichers");
    let name = format!("scenic_shop_t{}", std::process::id());
    let seed = std::fs::read_to_string(examples.join("seed.sql"))
        .expect("seed")
        .replace("scenic_shop", &name);
    let seed_file = std::env::temp_dir().join(format!("{name}.sql"));
    std::fs::write(&seed_file, seed).expect("write");
    let loaded = std::process::Command::new("psql")
        .args([
            "-h",
            &common::pg::host(),
            "-p",
            &common::pg::port().to_string(),
            "-U",
            "postgres",
            "-q",
        ])
        .args([
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            seed_file.to_str().expect("path"),
        ])
        .output()
        .expect("psql runs");
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let port = common::free_port();
    let config = std::fs::read_to_string(examples.join("scenic.json"))
        .expect("config")
        .replace(
            "127.0.0.1:5432/scenic_shop",
            &format!("{}:{}/{name}", common::pg::host(), common::pg::port()),
        )
        .replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"));
    let server = common::start_args(
        None,
        |dir| {
            for f in ["client-check.json", "profile-service.json"] {
                std::fs::copy(examples.join(f), dir.join(f)).expect("copy");
            }
            std::fs::create_dir_all(dir.join("services")).expect("dir");
            std::fs::copy(
                examples.join("services/profiles.openapi.json"),
                dir.join("services/profiles.openapi.json"),
            )
            .expect("copy");
            // In the served folder, as in the example: it is not taken for a scenario.
            std::fs::write(dir.join("scenic.json"), &config).expect("write");
        },
        &["--config", "{dir}/scenic.json", "--port", &port.to_string()],
    )
    .await;
    let c = reqwest::Client::new();
    let url = format!("{}/scenario/client-check", server.base);
    assert_eq!(
        post(&c, url.clone(), json!({"clientId": 1})).await,
        (
            200,
            json!({"status": "ok", "name": "Anna Nowak", "tier": "GOLD", "clientSince": "2019-04-01",
            "recentOrders": 3, "lastOrderTotal": 430, "segment": "standard"})
        )
    );
    assert_eq!(
        post(&c, url.clone(), json!({"clientId": 2})).await,
        (
            200,
            json!({"status": "ok", "name": "Bartek Zielinski", "tier": "SILVER", "clientSince": "2021-09-15",
            "recentOrders": 1, "lastOrderTotal": 15, "segment": "premium"})
        )
    );
    assert_eq!(
        post(&c, url.clone(), json!({"clientId": 3})).await.1["status"],
        "blocked"
    );
    assert_eq!(
        post(&c, url.clone(), json!({"clientId": 9})).await,
        (200, json!({"status": "unknown"}))
    );
    assert!(
        !server.log().contains("scenic.json"),
        "the configuration is not a scenario:\n{}",
        server.log()
    );
    let _ = common::pg::psql(
        &common::pg::host(),
        common::pg::port(),
        "postgres",
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
    let _ = std::fs::remove_file(&seed_file);
}
