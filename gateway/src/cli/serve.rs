//! `scenic serve DIR|FILES…` (every request-response scenario under `/scenario/{slug}`) and
//! `scenic run FILE` (one scenario at `/`, what a Kubernetes pod runs).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use scenic_enrichers::metrics::ServiceMetrics;
use scenic_rr::compute::ComputePool;
use scenic_rr::metrics::Metrics;
use scenic_rr::startup::AppState;
use scenic_rr::{Application, Deployed, Limits, Scenarios, Settings};
use scenic_scenario::model::ScenarioType;

use super::files;
use super::limits::LimitArgs;
use crate::manage::{Manager, Trigger};
use crate::scenario_file::MAX_SCENARIO_BYTES;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Scenario files, or folders of them (`*.json`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario file.
    pub file: PathBuf,
    #[command(flatten)]
    pub http: HttpArgs,
}

#[derive(Args, Debug, Clone)]
pub struct HttpArgs {
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. `serve` defaults to 127.0.0.1 (this machine only: it also serves
    /// the management API), `run` to 0.0.0.0 (every interface, as a Kubernetes pod needs);
    /// `--host 0.0.0.0` exposes `serve` to the network.
    #[arg(long)]
    pub host: Option<String>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// Folder of fragment definitions (default: `fragments/` next to the scenarios).
    #[arg(long)]
    pub fragments: Option<PathBuf>,
    /// Largest accepted request body, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Per-request timeout, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Token of the management API's write calls (`Authorization: Bearer ...`).
    #[arg(long, env = "SCENIC_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub config: files::ConfigArgs,
}

/// `serve`'s default address: a development server with a management API is not exposed to
/// the network unless asked to be (`docs/decisions.md`).
const SERVE_HOST: &str = "127.0.0.1";
/// `run`'s default address: what a pod needs, and the reference runtime's `http.interface`.
const RUN_HOST: &str = "0.0.0.0";

impl HttpArgs {
    fn settings(&self, single: Option<String>) -> Settings {
        let default_host = if single.is_some() {
            RUN_HOST
        } else {
            SERVE_HOST
        };
        Settings {
            host: self
                .host
                .clone()
                .unwrap_or_else(|| default_host.to_string()),
            port: self.port,
            workers: self.workers,
            limits: Limits {
                max_body: self.max_body,
                timeout: Duration::from_secs(self.timeout.max(1)),
                pool: self.limits.pool(),
                ..Limits::default()
            },
            single,
            extra_routes: None,
        }
    }
}

/// The start-up line naming the address the server listens on, and the base URL of the lines
/// after it: on all interfaces (`0.0.0.0`, `::`) that is the loopback address, which works on
/// this machine (other machines use one of its addresses).
fn listening(addr: SocketAddr) -> (String, String) {
    let port = addr.port();
    if addr.ip().is_unspecified() {
        let local = match addr.ip() {
            IpAddr::V4(_) => format!("http://127.0.0.1:{port}"),
            IpAddr::V6(_) => format!("http://[::1]:{port}"),
        };
        let headline = format!(
            "Scenic listening on {addr} (all interfaces, open to the network); on this \
             machine: {local}"
        );
        (headline, local)
    } else {
        let base = format!("http://{addr}");
        (format!("Scenic listening on {base}"), base)
    }
}

/// The `curl` line of a scenario: with a sample body that fits the input schema, or, when no
/// sample could be built, a placeholder file rather than a body the scenario would reject.
fn curl_line(url: &str, sample: Option<&serde_json::Value>) -> String {
    match sample.and_then(|b| serde_json::to_string(b).ok()) {
        Some(body) => {
            let body = body.replace('\'', "'\\''");
            format!("curl -s -d '{body}' {url}")
        }
        None => format!(
            "curl -s -d @request.json {url}   # no sample body fits the input schema: \
             see the OpenAPI document"
        ),
    }
}

fn print_deployed(d: &Deployed, base: &str, single: bool) {
    let url = if single {
        format!("{base}/")
    } else {
        format!("{base}/scenario/{}", d.scenario.slug())
    };
    let doc = if single {
        format!("{base}/definition")
    } else {
        format!("{url}/definition")
    };
    // Without an input schema anything goes.
    let sample = match d.scenario.input_schema() {
        Some(schema) => schema.sample(),
        None => Some(serde_json::json!({})),
    };
    println!("  {} (version {})", d.scenario.name(), d.scenario.version());
    println!("    URL:     {url}");
    println!(
        "    OpenAPI: {doc}   Swagger UI: {}",
        if single {
            format!("{base}/swagger-ui")
        } else {
            format!("{url}/swagger-ui")
        }
    );
    println!("    {}", curl_line(&url, sample.as_ref()));
}

fn start(settings: Settings, state: Arc<AppState>, scenarios: &Scenarios) -> ExitCode {
    let single = settings.single.is_some();
    let result = actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&settings, state.clone())?;
        app.shutdown_on_signal(state);
        let (headline, base) = listening(app.local_addr()?);
        println!("{headline}");
        for d in scenarios.all() {
            print_deployed(&d, &base, single);
        }
        if !single {
            println!("  All scenarios: {base}/openapi.json   Swagger UI: {base}/swagger-ui");
        }
        println!("  Health: {base}/alive  {base}/ready   Metrics: {base}/metrics");
        app.run_until_stopped().await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn serve(a: ServeArgs) -> ExitCode {
    let paths = match files::scenario_paths(&a.paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let registry = match a.http.config.registry_or_exit() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let fragments = files::fragments_for(a.http.fragments.as_ref(), &a.paths);
    let scenarios = Arc::new(Scenarios::new());
    let metrics = Arc::new(Metrics::new(scenarios.clone()));
    with_service_metrics(&metrics);
    let mut settings = a.http.settings(None);
    let compute = match ComputePool::new(settings.limits.pool) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: cannot start the compute pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut manager = Manager::new(
        scenarios.clone(),
        metrics.clone(),
        registry.clone(),
        fragments.clone(),
        a.http.admin_token.clone(),
        a.http.max_body.max(MAX_SCENARIO_BYTES),
    )
    .with_limits(a.http.limits.scenario())
    .with_compute(compute.clone(), settings.limits.timeout);
    // The configuration file may live in the served folder: it is not a scenario.
    if let Some(config) = &a.http.config.config {
        manager = manager.ignoring(config);
    }
    let manager = Arc::new(manager);
    // The folder watch's way, with its conflict rules and its log lines: a file refused here
    // is refused for the same reason when it changes, and over the management API.
    for path in &paths {
        manager.apply_file(path, Trigger::Scan);
    }
    // Folders are watched: files added, changed or removed deploy, redeploy or cancel.
    let mut watchers = Vec::new();
    for dir in a.paths.iter().filter(|p| p.is_dir()) {
        match crate::manage::watch::watch(dir.clone(), manager.clone()) {
            Ok(w) => watchers.push(w),
            Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
        }
    }
    settings.extra_routes = Some(crate::manage::routes(manager));
    // Kept for the server's lifetime; dropping it stops the reporting.
    let _reporter = match a.http.config.reporter(&scenarios, &metrics) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let servers = match a.http.config.servers_or_exit() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let state = Arc::new(
        AppState::new(
            scenarios.clone(),
            metrics,
            settings.limits.clone(),
            None,
            compute,
        )
        .with_servers(servers),
    );
    let code = start(settings, state, &scenarios);
    drop(watchers);
    code
}

pub fn run(a: RunArgs) -> ExitCode {
    let registry = match a.http.config.registry_or_exit() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let fragments = files::fragments_for(a.http.fragments.as_ref(), std::slice::from_ref(&a.file));
    let scenario = match files::load(
        &a.file,
        &registry,
        fragments.as_ref(),
        &a.http.limits.scenario(),
    ) {
        Ok(s) => s,
        Err(errors) => {
            files::print_errors(&a.file, &errors);
            return ExitCode::from(1);
        }
    };
    if scenario.scenario_type() != ScenarioType::RequestResponse {
        eprintln!("{}: not a request-response scenario", a.file.display());
        return ExitCode::from(1);
    }
    let slug = scenario.slug().to_string();
    let scenarios = Arc::new(Scenarios::new());
    let metrics = Arc::new(Metrics::new(scenarios.clone()));
    with_service_metrics(&metrics);
    if let Err(e) = scenarios.deploy(Deployed::new(Arc::new(scenario), &metrics)) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let settings = a.http.settings(Some(slug.clone()));
    let _reporter = match a.http.config.reporter(&scenarios, &metrics) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let compute = match ComputePool::new(settings.limits.pool) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: cannot start the compute pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    let servers = match a.http.config.servers_or_exit() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let state = Arc::new(
        AppState::new(
            scenarios.clone(),
            metrics,
            settings.limits.clone(),
            Some(slug),
            compute,
        )
        .with_servers(servers),
    );
    start(settings, state, &scenarios)
}

/// Adds the enrichers' service series to the server's metrics, removed with their scenario.
fn with_service_metrics(metrics: &Metrics) {
    ServiceMetrics::get().register(&metrics.registry);
    metrics.on_remove(|scenario| ServiceMetrics::get().remove_scenario(scenario));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_names_the_bound_address_and_a_usable_url() {
        let at = |s: &str| listening(s.parse().expect("address"));
        assert_eq!(
            at("127.0.0.1:8080"),
            (
                "Scenic listening on http://127.0.0.1:8080".to_string(),
                "http://127.0.0.1:8080".to_string()
            )
        );
        let (headline, base) = at("0.0.0.0:8080");
        assert_eq!(base, "http://127.0.0.1:8080");
        assert!(
            headline.starts_with("Scenic listening on 0.0.0.0:8080 (all interfaces"),
            "{headline}"
        );
        let (headline, base) = at("[::]:9000");
        assert_eq!(base, "http://[::1]:9000");
        assert!(headline.contains("[::]:9000 (all interfaces"), "{headline}");
        assert!(
            headline.ends_with("on this machine: http://[::1]:9000"),
            "{headline}"
        );
        assert_eq!(at("[::1]:9000").1, "http://[::1]:9000");
    }

    #[test]
    fn serve_listens_on_loopback_and_run_on_every_interface_by_default() {
        use clap::Parser;
        let parse = |args: &[&str]| match crate::cli::Cli::parse_from(args).command {
            crate::cli::Command::Serve(a) => a.http.settings(None).host,
            crate::cli::Command::Run(a) => a.http.settings(Some("s".into())).host,
            _ => String::new(),
        };
        assert_eq!(parse(&["scenic", "serve", "examples"]), "127.0.0.1");
        assert_eq!(parse(&["scenic", "run", "x.json"]), "0.0.0.0");
        assert_eq!(
            parse(&["scenic", "serve", "examples", "--host", "0.0.0.0"]),
            "0.0.0.0"
        );
        assert_eq!(parse(&["scenic", "run", "x.json", "--host", "::1"]), "::1");
    }

    #[test]
    fn curl_lines_quote_the_sample_or_leave_the_body_out() {
        let url = "http://127.0.0.1:8080/scenario/fraud";
        assert_eq!(
            curl_line(url, Some(&serde_json::json!({"name": "O'Brien"}))),
            format!(r#"curl -s -d '{{"name":"O'\''Brien"}}' {url}"#)
        );
        let none = curl_line(url, None);
        assert!(
            none.starts_with(&format!("curl -s -d @request.json {url}")),
            "{none}"
        );
        assert!(!none.contains('{'), "no body hint: {none}");
    }
}
