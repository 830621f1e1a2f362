//! The latency an enricher adds to its call, against the same call made directly, in the same
//! run (issue 11's note): the SQL lookup against `tokio-postgres` on one prepared statement,
//! the OpenAPI enricher against `reqwest` on one pooled client, both to loopback servers.
//! One call at a time; the enricher side is a whole scenario invocation (source → enricher →
//! sink) minus nothing, so the ratio is an upper bound of the enricher's own cost.
//!
//! Needs PostgreSQL at SCENIC_PG_HOST:SCENIC_PG_PORT (default 127.0.0.1:5432, trust, user
//! postgres): `cargo bench -p scenic-enrichers --bench latency`.

use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use criterion::{criterion_group, criterion_main, Criterion};
use scenic_enrichers::ComponentsConfig;
use scenic_scenario::{load_scenario, CompiledScenario, NoFragments, Registry};
use serde_json::json;

fn pg() -> (String, u16) {
    let host = std::env::var("SCENIC_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into());
    let port = std::env::var("SCENIC_PG_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(5432);
    (host, port)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

const DB: &str = "scenic_bench_latency";

fn seed() {
    let (host, port) = pg();
    rt().block_on(async move {
        let admin = format!("host={host} port={port} user=postgres dbname=postgres");
        let (c, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .expect("PostgreSQL is needed for this benchmark");
        tokio::spawn(conn);
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)"))
            .await
            .expect("drop");
        c.batch_execute(&format!("CREATE DATABASE {DB}"))
            .await
            .expect("create");
        let (c, conn) = tokio_postgres::connect(
            &format!("host={host} port={port} user=postgres dbname={DB}"),
            tokio_postgres::NoTls,
        )
        .await
        .expect("connect");
        tokio::spawn(conn);
        c.batch_execute(
            "CREATE TABLE client (id int PRIMARY KEY, name text, tier text);
             INSERT INTO client SELECT i, 'client ' || i, 'GOLD' FROM generate_series(1, 1000) i;",
        )
        .await
        .expect("seed");
    });
}

fn http_server() -> u16 {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let s = HttpServer::new(|| {
                App::new().route(
                    "/customers/{id}",
                    web::get().to(|id: web::Path<i64>| async move {
                        HttpResponse::Ok()
                            .json(json!({"id": *id, "name": "Ann", "category": "GOLD"}))
                    }),
                )
            })
            .workers(1)
            .bind("127.0.0.1:0")
            .expect("bind");
            tx.send(s.addrs()[0].port()).expect("port");
            s.run().await.expect("runs");
        })
    });
    rx.recv().expect("port")
}

fn scenario(service: &str, params: serde_json::Value) -> String {
    json!({
        "metaData": {"id": "bench", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"id": {"type": "integer"}}}).to_string(),
            "outputSchema": "{}", "slug": "bench"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "e", "type": "Enricher", "service": {"id": service, "parameters": params}, "output": "out"},
            {"id": "response", "type": "Sink", "ref": {"typ": "response", "parameters": [
                {"name": "Raw editor", "expression": {"language": "spel", "expression": "true"}},
                {"name": "Value", "expression": {"language": "spel", "expression": "#out.name"}}]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

fn compile(components: serde_json::Value, text: &str) -> CompiledScenario {
    let config = ComponentsConfig::from_json(Some(&components), &|_| None).expect("config");
    let mut registry = Registry::builtin();
    scenic_enrichers::register(
        &config,
        &mut registry,
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
    )
    .expect("registers");
    load_scenario(text, &registry, &NoFragments).expect("compiles")
}

fn bench(c: &mut Criterion) {
    seed();
    let (host, port) = pg();
    let runtime = rt();
    let mut g = c.benchmark_group("enricher latency");
    g.measurement_time(Duration::from_secs(5));

    // SQL: the lookup enricher against one prepared statement on one connection.
    let direct = runtime.block_on(async {
        let (client, conn) = tokio_postgres::connect(
            &format!("host={host} port={port} user=postgres dbname={DB}"),
            tokio_postgres::NoTls,
        )
        .await
        .expect("connect");
        tokio::spawn(conn);
        let st = client
            .prepare("SELECT * FROM client WHERE \"id\" = $1")
            .await
            .expect("prepare");
        (client, st)
    });
    g.bench_function("sql/direct tokio-postgres", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let row = direct
                    .0
                    .query_opt(&direct.1, &[&7i32])
                    .await
                    .expect("query")
                    .expect("row");
                let name: String = row.get("name");
                name
            })
        })
    });
    let pool = json!({"url": format!("jdbc:postgresql://{host}:{port}/{DB}"), "username": "postgres", "password": ""});
    let sql = compile(
        json!({"db": {"providerType": "databaseEnricher", "config": {"databaseLookupEnricher": {"name": "db-lookup", "dbPool": pool}}}}),
        &scenario(
            "db-lookup",
            json!([
            {"name": "Table", "expression": {"language": "spel", "expression": "'client'"}},
            {"name": "Key column", "expression": {"language": "spel", "expression": "'id'"}},
            {"name": "Key value", "expression": {"language": "spel", "expression": "7"}}]),
        ),
    );
    let input = sql.source().decode(json!({"id": 7})).expect("input");
    g.bench_function("sql/lookup enricher (whole invocation)", |b| {
        b.iter(|| runtime.block_on(sql.run(input.clone())))
    });

    // OpenAPI: the enricher against the same GET with one pooled reqwest client.
    let http_port = http_server();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{http_port}/customers/7");
    g.bench_function("http/direct reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let r = client.get(&url).send().await.expect("send");
                r.json::<serde_json::Value>().await.expect("json")
            })
        })
    });
    let api = compile(
        json!({"customers": {"providerType": "openAPI", "url": "tests/data/customers.yaml", "rootUrl": format!("http://127.0.0.1:{http_port}")}}),
        &scenario(
            "getCustomer",
            json!([{"name": "id", "expression": {"language": "spel", "expression": "7"}}]),
        ),
    );
    g.bench_function("http/OpenAPI enricher (whole invocation)", |b| {
        b.iter(|| runtime.block_on(api.run(input.clone())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
