//! Test support: a running server on a free port with given scenarios.

#![allow(dead_code)]

use std::sync::Arc;

use futures::future::BoxFuture;
use scenic_rr::compute::ComputePool;
use scenic_rr::metrics::Metrics;
use scenic_rr::startup::AppState;
use scenic_rr::{Application, Deployed, Limits, Scenarios, Settings};
use scenic_scenario::graph::{Ctx, Failure, Param, ParamCompiler, Service, ServiceFactory};
use scenic_scenario::{load_scenario, NoFragments, Registry};
use scenic_spel::{EvalEnv, Type, Value};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: Arc<AppState>,
    /// Fires the graceful shutdown (as SIGTERM does in the binaries).
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// The running server; resolves when it has stopped.
    pub server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// Starts the graceful shutdown.
    pub fn shut_down(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }
    pub async fn post(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .body(body.to_string())
            .send()
            .await
            .expect("request sent")
    }
}

/// A request-response scenario in the Designer's export format.
pub fn rr_scenario(
    name: &str,
    input: serde_json::Value,
    output: serde_json::Value,
    nodes: serde_json::Value,
) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut all = vec![
        serde_json::json!({"id": "request", "type": "Source", "ref": {"typ": "request", "parameters": []}}),
    ];
    all.extend(nodes.as_array().cloned().unwrap_or_default());
    serde_json::json!({
        "metaData": {"id": name, "additionalFields": {"description": format!("Test scenario {name}"), "properties": {
            "inputSchema": input.to_string(), "outputSchema": output.to_string(), "slug": slug
        }, "metaDataType": "RequestResponseMetaData"}},
        "nodes": all,
        "additionalBranches": []
    })
    .to_string()
}

/// `sleep`: waits `Millis` milliseconds (tests the timeout; shows the registry is open).
struct SleepFactory;

#[derive(Debug)]
struct Sleep(Param);

impl ServiceFactory for SleepFactory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let p = pc.compile("Millis", Some(&Type::long()))?;
        Some((Arc::new(Sleep(p)), Type::long()))
    }
}

impl Service for Sleep {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        Box::pin(async move {
            let ms = match self.0.eval(ctx, env)? {
                Value::Long(n) => n,
                Value::Int(n) => n as i64,
                _ => 0,
            };
            tokio::time::sleep(std::time::Duration::from_millis(ms.max(0) as u64)).await;
            Ok(Value::Long(ms))
        })
    }
}

pub fn registry() -> Registry {
    let mut r = Registry::builtin();
    r.services.insert("sleep".into(), Arc::new(SleepFactory));
    r
}

pub async fn spawn_app(scenarios: &[String]) -> TestApp {
    spawn_app_with(scenarios, Limits::default()).await
}

pub async fn spawn_app_with(scenarios: &[String], limits: Limits) -> TestApp {
    let registry = registry();
    let table = Arc::new(Scenarios::new());
    let metrics = Arc::new(Metrics::new(table.clone()));
    for text in scenarios {
        let s = load_scenario(text, &registry, &NoFragments)
            .unwrap_or_else(|e| panic!("test scenario compiles: {e}"));
        table
            .deploy(Deployed::new(Arc::new(s), &metrics))
            .expect("deployed");
    }
    let settings = Settings {
        host: "127.0.0.1".into(),
        port: 0,
        workers: 1,
        limits: limits.clone(),
        single: None,
        extra_routes: None,
    };
    let pool = Arc::new(ComputePool::new(limits.pool).expect("compute pool"));
    let state = Arc::new(AppState::new(table, metrics, limits, None, pool));
    let app = Application::build(&settings, state.clone()).expect("server builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.shutdown_when(state.clone(), async move {
        // Dropping the sender (the test ended) shuts down as well.
        let _ = rx.await;
    });
    let server = actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        state,
        address,
        client: reqwest::Client::new(),
        shutdown: Some(tx),
        server: Some(server),
    }
}
