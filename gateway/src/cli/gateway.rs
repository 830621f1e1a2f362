//! `scenic gateway --routes FILE`: the routing gateway in front of `scenic run` backends.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::proxy::discovery::KubernetesSource;
use crate::proxy::source::{FileSource, RouteSource};
use crate::proxy::Gateway;

#[derive(Args, Debug)]
pub struct GatewayArgs {
    /// The routes: a JSON file `{"routes": {"<slug>": [{"url": "http://…", "weight": 90}, …]}}`,
    /// watched for changes.
    #[arg(
        long,
        required_unless_present = "kubernetes",
        conflicts_with = "kubernetes"
    )]
    pub routes: Option<PathBuf>,
    /// Routes from Kubernetes instead: the ready pods of the scenario versions' Services (the
    /// `scenic.io` labels), weighted by the `scenic-gateway-routes` ConfigMap.
    #[arg(long)]
    pub kubernetes: bool,
    /// The namespace to watch with --kubernetes (default: the client's).
    #[arg(long, short = 'n', requires = "kubernetes")]
    pub namespace: Option<String>,
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// HTTP worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// Largest accepted request body, in bytes (the gateway buffers it to be able to retry).
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// The longest a request may take, retries included, in seconds; a client asks for less
    /// with `Scenic-Timeout-Ms`.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Configuration file: its `request-response.definitionMetadata.servers` name the servers of
    /// `/openapi.json` (the public base URL clients are generated for).
    #[command(flatten)]
    pub config: super::files::ConfigArgs,
}

pub fn run(a: GatewayArgs) -> ExitCode {
    let servers = match a.config.servers_or_exit() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let gateway = Arc::new(
        Gateway::new(Duration::from_secs(a.timeout.max(1)), a.max_body).with_servers(servers),
    );
    let (source, from): (Box<dyn RouteSource>, String) = match &a.routes {
        Some(path) => (
            Box::new(FileSource { path: path.clone() }),
            path.display().to_string(),
        ),
        None => (
            Box::new(KubernetesSource {
                namespace: a.namespace.clone(),
            }),
            "Kubernetes".to_string(),
        ),
    };
    if let Err(e) = source.start(gateway.clone()) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let listener = match std::net::TcpListener::bind((a.host.as_str(), a.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", a.host, a.port);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().ok();
    let result = actix_web::rt::System::new().block_on(async move {
        let server = crate::proxy::server(gateway.clone(), listener, a.workers)?;
        actix_web::rt::spawn(crate::proxy::health::prober(gateway.backends()));
        if let Some(addr) = addr {
            let base = format!("http://{addr}");
            println!("Scenic gateway listening on {base}, routes from {from}");
            println!("  Scenarios: {base}/scenario/<slug>   All: {base}/openapi.json   Swagger UI: {base}/swagger-ui");
            println!("  Health: {base}/alive  {base}/ready   Metrics: {base}/metrics");
        }
        let handle = server.handle();
        actix_web::rt::spawn(async move {
            scenic_rr::process::shutdown_signal().await;
            handle.stop(true).await;
        });
        server.await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
