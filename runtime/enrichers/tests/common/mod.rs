//! Test support: a database of its own per test on the real PostgreSQL that the test command
//! starts (`scripts/test`: SCENIC_PG_HOST / SCENIC_PG_PORT, default 127.0.0.1:5432, trust
//! auth, user postgres), scenarios with one enricher node, and running them.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use scenic_enrichers::ComponentsConfig;
use scenic_scenario::{load_scenario, CompileError, CompiledScenario, NoFragments, Registry};
use serde_json::{json, Value as Json};

pub fn pg_host() -> String {
    std::env::var("SCENIC_PG_HOST").unwrap_or_else(|_| "127.0.0.1".into())
}
pub fn pg_port() -> u16 {
    std::env::var("SCENIC_PG_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(5432)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Runs `sql` (several statements) on `db` as postgres.
pub fn exec_on(host: &str, port: u16, db: &str, sql: &str) -> Result<(), String> {
    let conn = format!("host={host} port={port} user=postgres dbname={db} connect_timeout=5");
    let sql = sql.to_string();
    rt().block_on(async move {
        let (client, connection) = tokio_postgres::connect(&conn, tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(connection);
        let r = client
            .batch_execute(&sql)
            .await
            .map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_string(),
                None => e.to_string(),
            });
        drop(client);
        let _ = driver.await;
        r
    })
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A database of its own, dropped at the end of the test.
pub struct TestDb {
    pub name: String,
    pub host: String,
    pub port: u16,
}

impl TestDb {
    pub fn new(seed: &str) -> TestDb {
        Self::on(&pg_host(), pg_port(), seed)
    }

    pub fn on(host: &str, port: u16, seed: &str) -> TestDb {
        let name = format!(
            "scenic_t_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        // Two statements: CREATE DATABASE cannot run in the implicit transaction of a batch.
        let made = exec_on(
            host,
            port,
            "postgres",
            &format!("DROP DATABASE IF EXISTS {name}"),
        )
        .and_then(|()| exec_on(host, port, "postgres", &format!("CREATE DATABASE {name}")));
        if let Err(e) = made {
            panic!(
                "PostgreSQL is needed at {host}:{port} (trust auth, user postgres): {e}\n\
                 The test command (scripts/test) starts one; or set SCENIC_PG_HOST / SCENIC_PG_PORT."
            );
        }
        let db = TestDb {
            name,
            host: host.to_string(),
            port,
        };
        db.exec(seed);
        db
    }

    pub fn exec(&self, sql: &str) {
        exec_on(&self.host, self.port, &self.name, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub fn jdbc(&self) -> String {
        format!(
            "jdbc:postgresql://{}:{}/{}",
            self.host, self.port, self.name
        )
    }

    /// A `components` section with a query and a lookup enricher on this database.
    pub fn components(&self, pool: Json) -> Json {
        let mut db_pool = json!({"driverClassName": "org.postgresql.Driver", "url": self.jdbc(),
            "username": "postgres", "password": ""});
        if let (Some(o), Some(extra)) = (db_pool.as_object_mut(), pool.as_object()) {
            for (k, v) in extra {
                o.insert(k.clone(), v.clone());
            }
        }
        json!({"databaseEnricher": {"config": {
            "databaseQueryEnricher": {"name": "db-query", "dbPool": db_pool.clone()},
            "databaseLookupEnricher": {"name": "db-lookup", "dbPool": db_pool}}}})
    }

    pub fn registry(&self, pool: Json) -> Registry {
        registry_for(&self.components(pool))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = exec_on(
            &self.host,
            self.port,
            "postgres",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

pub fn registry_for(components: &Json) -> Registry {
    let config = ComponentsConfig::from_json(Some(components), &|_| None).expect("config");
    let mut registry = Registry::builtin();
    scenic_enrichers::register(&config, &mut registry, std::path::Path::new("."))
        .expect("registers");
    registry
}

pub fn spel(name: &str, e: &str) -> Json {
    json!({"name": name, "expression": {"language": "spel", "expression": e}})
}

pub fn template(name: &str, e: &str) -> Json {
    json!({"name": name, "expression": {"language": "spelTemplate", "expression": e}})
}

/// request → enricher `e` (output `#out`) → response `value`.
pub fn scenario(service: &str, params: Vec<Json>, value: &str) -> String {
    json!({
        "metaData": {"id": "sql-test", "additionalFields": {"properties": {
            "inputSchema": json!({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}).to_string(),
            "outputSchema": "{}", "slug": "sql-test"}, "metaDataType": "RequestResponseMetaData"}},
        "nodes": [
            {"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}},
            {"id": "e", "type": "Enricher", "service": {"id": service, "parameters": params}, "output": "out"},
            {"id": "response", "type": "Sink", "ref": {"typ": "response", "parameters": [
                spel("Raw editor", "true"), spel("Value", value)]}}
        ],
        "additionalBranches": []
    })
    .to_string()
}

pub fn compile(text: &str, registry: &Registry) -> Result<CompiledScenario, Vec<CompileError>> {
    load_scenario(text, registry, &NoFragments).map_err(|e| e.errors())
}

/// The response, or the error messages.
pub fn run(s: &CompiledScenario, input: Json) -> Result<Json, Vec<String>> {
    let v = s.source().decode(input).expect("valid input");
    let r = futures::executor::block_on(s.run(v));
    if !r.errors.is_empty() {
        return Err(r.errors.iter().map(|e| e.message()).collect());
    }
    Ok(scenic_spel::value::to_json(
        &r.outputs.first().expect("an output").value(),
    ))
}
