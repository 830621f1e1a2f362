//! Builds the actix-web application; every route is registered here.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{guard, web, App, HttpResponse, HttpServer};

use crate::compute::{ComputePool, PoolSettings};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::routes::{definition, dispatch, health, invoke, swagger};
use crate::state::{Deployed, Scenarios};

/// Request limits (`decisions.md` §2, §10).
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_body: usize,
    pub timeout: Duration,
    /// How long an invocation may evaluate on the I/O thread before it moves to the compute
    /// pool (see `compute.rs`).
    pub inline_slice: Duration,
    pub pool: PoolSettings,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body: 1024 * 1024,
            timeout: Duration::from_secs(30),
            inline_slice: Duration::from_millis(2),
            pool: PoolSettings::default(),
        }
    }
}

#[derive(Clone)]
pub struct Settings {
    pub host: String,
    /// 0 picks a free port (tests).
    pub port: u16,
    pub workers: usize,
    pub limits: Limits,
    /// Serve one scenario at `/` (the Kubernetes pod runtime) instead of `/scenario/{slug}`.
    pub single: Option<String>,
    /// More routes (the gateway's management API), registered after the runtime's own.
    pub extra_routes: Option<ExtraRoutes>,
}

/// A route-registering hook, shared by every worker.
pub type ExtraRoutes = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            host: "0.0.0.0".into(),
            port: 8080,
            workers: 0,
            limits: Limits::default(),
            single: None,
            extra_routes: None,
        }
    }
}

/// Shared by every worker.
pub struct AppState {
    pub scenarios: Arc<Scenarios>,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    pub single: Option<String>,
    /// Where long invocations run, off the I/O threads.
    pub compute: Arc<ComputePool>,
    /// The documents' `servers` (`request-response.definitionMetadata.servers`); empty: the
    /// relative `./`, which works behind any path prefix.
    pub servers: Vec<serde_json::Value>,
    ready: AtomicBool,
}

impl AppState {
    /// The state; `compute` is where long invocations run (see `compute.rs`).
    pub fn new(
        scenarios: Arc<Scenarios>,
        metrics: Arc<Metrics>,
        limits: Limits,
        single: Option<String>,
        compute: Arc<ComputePool>,
    ) -> AppState {
        AppState {
            scenarios,
            metrics,
            limits,
            single,
            compute,
            servers: Vec::new(),
            ready: AtomicBool::new(true),
        }
    }

    /// The documents name these servers (the reference's `definitionMetadata.servers`), so that
    /// generated clients get a real base URL.
    pub fn with_servers(mut self, servers: Vec<serde_json::Value>) -> AppState {
        self.servers = servers;
        self
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::Relaxed);
    }

    /// The deployment a request addresses: by slug, or the single scenario.
    pub fn resolve(&self, slug: Option<&str>) -> Result<Arc<Deployed>, ApiError> {
        let slug = match (slug, &self.single) {
            (Some(s), _) => s.to_string(),
            (None, Some(s)) => s.clone(),
            (None, None) => return Err(ApiError::NotFound(String::new())),
        };
        self.scenarios.get(&slug).ok_or(ApiError::NotFound(slug))
    }
}

pub struct Application {
    port: u16,
    server: Server,
    /// The same socket the server accepts on, kept to stop listening at once on shutdown.
    listener: TcpListener,
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("this path".into()))
}

async fn only_get() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed("GET"))
}

/// Registers every route of the gateway (`single` = false) or of a single-scenario runtime.
/// The invocation routes come first: they are the hot path.
pub fn routes(cfg: &mut web::ServiceConfig, single: bool) {
    if single {
        cfg.service(web::resource("/").to(invoke::single))
            .service(
                web::resource("/definition")
                    .route(web::get().to(definition::scenario))
                    .default_service(web::to(only_get)),
            )
            .service(
                web::resource("/swagger-ui")
                    .guard(guard::Get())
                    .to(swagger::redirect),
            )
            .service(
                web::resource("/swagger-ui/{file:.*}")
                    .guard(guard::Get())
                    .to(swagger::single),
            );
    } else {
        cfg.service(web::scope("/scenario").default_service(web::to(dispatch::scenario)))
            .service(
                web::resource("/openapi.json")
                    .route(web::get().to(definition::gateway))
                    .default_service(web::to(only_get)),
            )
            .service(
                web::resource("/swagger-ui")
                    .guard(guard::Get())
                    .to(swagger::redirect),
            )
            .service(
                web::resource("/swagger-ui/{file:.*}")
                    .guard(guard::Get())
                    .to(swagger::gateway),
            );
    }
    cfg.service(
        web::resource("/alive")
            .route(web::get().to(health::alive))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/ready")
            .route(web::get().to(health::ready))
            .default_service(web::to(only_get)),
    )
    .service(
        web::resource("/metrics")
            .route(web::get().to(health::metrics))
            .default_service(web::to(only_get)),
    );
}

impl Application {
    /// Binds the listener and builds the server (not yet running).
    pub fn build(settings: &Settings, state: Arc<AppState>) -> std::io::Result<Application> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))?;
        let port = listener.local_addr()?.port();
        let kept = listener.try_clone()?;
        let data = web::Data::from(state);
        let single = settings.single.is_some();
        let extra = settings.extra_routes.clone();
        let mut server = HttpServer::new(move || {
            let counted = data.clone();
            App::new()
                .app_data(data.clone())
                // Every answer counted by route class and status, 404/405/413 included.
                .wrap_fn(move |req, srv| {
                    use actix_web::dev::Service;
                    let class = crate::metrics::route_class(req.path(), single);
                    let state = counted.clone();
                    let fut = srv.call(req);
                    async move {
                        let res = fut.await?;
                        state.metrics.http.count(class, res.status());
                        Ok(res)
                    }
                })
                .configure(|cfg| routes(cfg, single))
                .configure(|cfg| {
                    if let Some(extra) = &extra {
                        extra(cfg)
                    }
                })
                .default_service(web::to(not_found))
        })
        .client_request_timeout(Duration::from_secs(10))
        .shutdown_timeout(30)
        // Signals are handled in `shutdown_on_signal`: not-ready first, then a graceful stop.
        .disable_signals();
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Application {
            port,
            server,
            listener: kept,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address the server listens on (the host as bound, e.g. `0.0.0.0`, and the port).
    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// On SIGTERM or Ctrl-C: shut down gracefully (see [`Application::shutdown_when`]).
    pub fn shutdown_on_signal(&self, state: Arc<AppState>) {
        self.shutdown_when(state, crate::process::shutdown_signal());
    }

    /// When `trigger` completes, shuts down without cutting a request:
    /// 1. stop listening: new connections are refused at once, not left in the backlog to be
    ///    reset later, after their clients have sent a request;
    /// 2. report not-ready: `/ready` and new invocations answer 503, and every response carries
    ///    `Connection: close`;
    /// 3. wait [`CLOSE_NOTICE`], so that clients busy on keep-alive connections get a response
    ///    telling them to close; closing a connection that has not said so races the client's
    ///    next request, which would then fail without an answer;
    /// 4. stop: requests in flight finish (bounded by the shutdown timeout), idle connections
    ///    close, and the server future resolves.
    pub fn shutdown_when(
        &self,
        state: Arc<AppState>,
        trigger: impl std::future::Future<Output = ()> + 'static,
    ) {
        let handle = self.server.handle();
        let listener = self.listener.try_clone();
        actix_web::rt::spawn(async move {
            trigger.await;
            // Take the socket away from actix's accept thread first, so that it does not poll a
            // socket that no longer listens.
            handle.pause().await;
            // On Linux, shutting a listening socket down moves it out of LISTEN: connects are
            // refused. Otherwise it would listen until the server drops it.
            if let Ok(l) = &listener {
                let _ = socket2::SockRef::from(l).shutdown(std::net::Shutdown::Both);
            }
            state.set_ready(false);
            tracing::info!("shutting down: draining requests in flight");
            actix_web::rt::time::sleep(CLOSE_NOTICE).await;
            handle.stop(true).await;
        });
    }
}

/// How long a shutting-down server keeps its connections open to tell busy clients to close
/// them (see [`Application::shutdown_when`]).
pub const CLOSE_NOTICE: Duration = Duration::from_millis(300);
