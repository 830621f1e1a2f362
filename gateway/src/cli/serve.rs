//! `scenic serve DIR|FILES…` (every request-response scenario under `/scenario/{slug}`) and
//! `scenic run FILE` (one scenario at `/`, what a Kubernetes pod runs).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use scenic_rr::compute::ComputePool;
use scenic_rr::metrics::Metrics;
use scenic_rr::startup::AppState;
use scenic_rr::state::Broken;
use scenic_rr::{Application, Deployed, Limits, Scenarios, Settings};
use scenic_scenario::model::ScenarioType;
use scenic_scenario::Registry;

use super::files;
use super::limits::LimitArgs;
use crate::manage::{DeployError, FileOutcome, Manager, Trigger};
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
    #[arg(long, default_value = "0.0.0.0")]
    pub host: String,
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
}

impl HttpArgs {
    fn settings(&self, single: Option<String>) -> Settings {
        Settings {
            host: self.host.clone(),
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

/// An example request body for the `curl` line, from the input schema.
fn example(schema: &serde_json::Value, depth: usize) -> serde_json::Value {
    use serde_json::{json, Value};
    if depth > 6 {
        return Value::Null;
    }
    let Some(o) = schema.as_object() else {
        return json!({});
    };
    if let Some(d) = o.get("default").or_else(|| o.get("example")) {
        return d.clone();
    }
    if let Some(e) = o
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return e.clone();
    }
    let ty = match o.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_string(),
        _ if o.contains_key("properties") => "object".into(),
        _ => return json!({}),
    };
    match ty.as_str() {
        "object" => {
            let mut m = serde_json::Map::new();
            if let Some(props) = o.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    m.insert(k.clone(), example(v, depth + 1));
                }
            }
            Value::Object(m)
        }
        "array" => json!([example(o.get("items").unwrap_or(&json!({})), depth + 1)]),
        "string" => match o.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-01-01T12:00:00Z"),
            Some("date") => json!("2024-01-01"),
            Some("time") => json!("12:00:00"),
            _ => json!("text"),
        },
        "integer" => json!(1),
        "number" => json!(1.5),
        "boolean" => json!(true),
        _ => Value::Null,
    }
}

fn print_deployed(d: &Deployed, base: &str, single: bool) {
    let url = if single {
        format!("{base}/")
    } else {
        format!("{base}/scenario/{}", d.scenario.slug)
    };
    let doc = if single {
        format!("{base}/definition")
    } else {
        format!("{url}/definition")
    };
    let body = d
        .scenario
        .source()
        .input_schema()
        .map(|s| example(s.raw(), 0))
        .unwrap_or(serde_json::json!({}));
    let body = serde_json::to_string(&body)
        .unwrap_or_else(|_| "{}".into())
        .replace('\'', "'\\''");
    println!("  {} (version {})", d.scenario.name, d.scenario.version);
    println!("    URL:     {url}");
    println!(
        "    OpenAPI: {doc}   Swagger UI: {}",
        if single {
            format!("{base}/swagger-ui")
        } else {
            format!("{url}/swagger-ui")
        }
    );
    println!("    curl -s -d '{body}' {url}");
}

fn start(settings: Settings, state: Arc<AppState>, scenarios: &Scenarios) -> ExitCode {
    let single = settings.single.is_some();
    let result = actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&settings, state.clone())?;
        app.shutdown_on_signal(state);
        let host = if settings.host == "0.0.0.0" {
            "localhost".to_string()
        } else {
            settings.host.clone()
        };
        let base = format!("http://{host}:{}", app.port());
        println!("Scenic listening on {base}");
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
    let registry = Registry::builtin();
    let fragments = files::fragments_for(a.http.fragments.as_ref(), &a.paths);
    let scenarios = Arc::new(Scenarios::new());
    let metrics = Arc::new(Metrics::new(scenarios.clone()));
    let mut settings = a.http.settings(None);
    let compute = match ComputePool::new(settings.limits.pool) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: cannot start the compute pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    let manager = Arc::new(
        Manager::new(
            scenarios.clone(),
            metrics.clone(),
            registry.clone(),
            fragments.clone(),
            a.http.admin_token.clone(),
            a.http.max_body.max(MAX_SCENARIO_BYTES),
        )
        .with_limits(a.http.limits.scenario())
        .with_compute(compute.clone(), settings.limits.timeout),
    );
    let mut names: HashMap<String, &PathBuf> = HashMap::new();
    for path in &paths {
        let Some(name) = crate::manage::name_of(path) else {
            eprintln!("{}: skipped: the file name is not UTF-8", path.display());
            continue;
        };
        if let Some(other) = names.get(&name) {
            eprintln!(
                "{}: not deployed: the name '{name}' is taken by {}",
                path.display(),
                other.display()
            );
            continue;
        }
        names.insert(name, path);
        match manager.deploy_file(path, Trigger::Scan) {
            FileOutcome::Failed(DeployError::NotRequestResponse) => println!(
                "{}: skipped: a streaming scenario (run it with scenic-stream, see docs/streaming.md)",
                path.display()
            ),
            FileOutcome::Failed(DeployError::Invalid(errors)) => {
                files::print_errors(path, &errors);
                // The file's name only: what the runtime keeps may be served, server paths
                // must not be.
                scenarios.add_broken(Broken {
                    source: path
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    errors,
                });
            }
            FileOutcome::Failed(DeployError::Conflict(c)) => {
                eprintln!("{}: not deployed: {c}", path.display())
            }
            FileOutcome::Skipped(why) => eprintln!("warning: {}: skipped: {why}", path.display()),
            FileOutcome::Removed(_) => eprintln!("warning: {}: skipped: removed", path.display()),
            FileOutcome::Deployed(_) | FileOutcome::Unchanged => {}
        }
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
    let state = Arc::new(AppState::new(
        scenarios.clone(),
        metrics,
        settings.limits.clone(),
        None,
        compute,
    ));
    let code = start(settings, state, &scenarios);
    drop(watchers);
    code
}

pub fn run(a: RunArgs) -> ExitCode {
    let registry = Registry::builtin();
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
    if scenario.scenario_type != ScenarioType::RequestResponse {
        eprintln!("{}: not a request-response scenario", a.file.display());
        return ExitCode::from(1);
    }
    let slug = scenario.slug.clone();
    let scenarios = Arc::new(Scenarios::new());
    let metrics = Arc::new(Metrics::new(scenarios.clone()));
    if let Err(e) = scenarios.deploy(Deployed::new(Arc::new(scenario), &metrics)) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let settings = a.http.settings(Some(slug.clone()));
    let compute = match ComputePool::new(settings.limits.pool) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: cannot start the compute pool: {e}");
            return ExitCode::FAILURE;
        }
    };
    let state = Arc::new(AppState::new(
        scenarios.clone(),
        metrics,
        settings.limits.clone(),
        Some(slug),
        compute,
    ));
    start(settings, state, &scenarios)
}
