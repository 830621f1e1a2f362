//! `scenic gateway`: the routing gateway in front of single-scenario runtimes (`scenic run`,
//! one per scenario version). It serves the same public routes as `scenic serve`:
//! `/scenario/{slug}` (and its `/definition` and `/swagger-ui`), `/openapi.json`,
//! `/swagger-ui`, `/alive`, `/ready` and `/metrics`, by proxying each scenario request to a
//! backend of that scenario.
//!
//! Data path: [`source`] (where the routes come from, behind [`source::RouteSource`]) →
//! [`table`] (slug → backends with weights; smooth weighted round robin) → [`health`] (only
//! ready backends get traffic) → [`forward`] (the request, its deadline, and the only safe
//! retries) → [`docs`] (the merged OpenAPI document of the live versions).

pub mod discovery;
pub mod docs;
pub mod error;
pub mod forward;
pub mod health;
pub mod metrics;
pub mod source;
pub mod table;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use actix_web::{guard, web, App, HttpResponse, HttpServer};

use health::Backends;
use table::{RouteTable, RoutesFile};

/// What every worker of the gateway shares.
pub struct Gateway {
    table: RwLock<Arc<RouteTable>>,
    backends: Arc<Backends>,
    /// Set once the first table is in: until then `/ready` is 503.
    loaded: AtomicBool,
    pub budget: forward::RetryBudget,
    /// The longest a request may take, retries included (a client may ask for less).
    pub timeout: Duration,
    pub max_body: usize,
    pub metrics: metrics::GatewayMetrics,
    /// `/openapi.json`'s servers; empty: the relative `./`.
    pub servers: Vec<serde_json::Value>,
}

impl Gateway {
    pub fn new(timeout: Duration, max_body: usize) -> Gateway {
        Gateway {
            table: RwLock::new(Arc::new(RouteTable::default())),
            backends: Arc::new(Backends::default()),
            loaded: AtomicBool::new(false),
            budget: forward::RetryBudget::default(),
            timeout,
            max_body,
            metrics: metrics::GatewayMetrics::new(),
            servers: Vec::new(),
        }
    }

    pub fn with_servers(mut self, servers: Vec<serde_json::Value>) -> Gateway {
        self.servers = servers;
        self
    }

    /// The current table (a request keeps the one it started with).
    pub fn table(&self) -> Arc<RouteTable> {
        // A poisoned lock only means a panic mid-swap elsewhere: the table is still whole.
        self.table.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the table; backends keep their health by URL.
    pub fn publish(&self, file: &RoutesFile) {
        let table = Arc::new(RouteTable::build(file, &self.backends));
        let summary: Vec<String> = table
            .routes
            .iter()
            .map(|(slug, r)| {
                let weights: Vec<String> = r
                    .backends
                    .iter()
                    .map(|b| format!("{}={}", b.url, b.weight))
                    .collect();
                format!("{slug} [{}]", weights.join(", "))
            })
            .collect();
        tracing::info!("routes: {}", summary.join("; "));
        *self.table.write().unwrap_or_else(|p| p.into_inner()) = table;
        self.loaded.store(true, Ordering::Relaxed);
    }

    pub fn backends(&self) -> Arc<Backends> {
        self.backends.clone()
    }
}

async fn alive() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("OK")
}

/// Ready once the routes are loaded: the gateway itself can route (whether a scenario has a
/// ready backend is that scenario's answer, 503 when none).
async fn ready(gateway: web::Data<Gateway>) -> HttpResponse {
    if gateway.loaded.load(Ordering::Relaxed) {
        HttpResponse::Ok().content_type("text/plain").body("OK")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("routes not loaded yet")
    }
}

async fn metrics_page(gateway: web::Data<Gateway>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(gateway.metrics.render(&gateway.table()))
}

async fn not_found() -> Result<HttpResponse, error::GatewayError> {
    Err(error::GatewayError::NoSuchPage)
}

/// The gateway's server on `listener`, with `workers` threads (0: one per core). Each worker
/// has its own pooled HTTP/1.1 keep-alive client to the backends.
pub fn server(
    gateway: Arc<Gateway>,
    listener: std::net::TcpListener,
    workers: usize,
) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::from(gateway);
    let mut server = HttpServer::new(move || {
        let client = awc::Client::builder()
            .disable_redirects()
            .connector(awc::Connector::new().conn_keep_alive(Duration::from_secs(30)))
            .finish();
        App::new()
            .app_data(data.clone())
            .app_data(web::Data::new(client))
            // The gateway buffers bodies itself (`forward::read_body`), bounded by --max-body.
            .app_data(web::PayloadConfig::new(usize::MAX))
            .service(web::scope("/scenario").default_service(web::to(forward::scenario)))
            .service(
                web::resource("/openapi.json")
                    .guard(guard::Get())
                    .to(docs::openapi),
            )
            .service(
                web::resource("/swagger-ui")
                    .guard(guard::Get())
                    .to(scenic_rr::routes::swagger::redirect),
            )
            .service(
                web::resource("/swagger-ui/{file:.*}")
                    .guard(guard::Get())
                    .to(scenic_rr::routes::swagger::gateway),
            )
            .route("/alive", web::get().to(alive))
            .route("/ready", web::get().to(ready))
            .route("/metrics", web::get().to(metrics_page))
            .default_service(web::to(not_found))
    })
    .client_request_timeout(Duration::from_secs(10))
    .shutdown_timeout(30)
    .disable_signals();
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.listen(listener)?.run())
}
