//! `scenic-stream FILE [--config FILE]`: runs one streaming scenario, Kafka → scenario → Kafka.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use scenic_scenario::compile::fragments_dir;
use scenic_stream::config::Config;
use scenic_stream::metrics::StreamMetrics;
use scenic_stream::worker::Shared;

#[derive(Parser)]
#[command(
    name = "scenic-stream",
    version,
    about = "Runs a streaming scenario: Kafka → scenario → Kafka, exactly once"
)]
struct Args {
    /// The scenario file, as the Designer exports it.
    file: PathBuf,
    /// Configuration (JSON/HOCON keys of the reference's modelConfig, see docs/streaming.md).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Folder of fragment definitions (default: `fragments/` next to the scenario).
    #[arg(long)]
    fragments: Option<PathBuf>,
    /// Address of the health and metrics port.
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
    /// Health and metrics port (/alive, /ready, /metrics); 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Only compile the scenario and check the configuration (and the topic schemas), print
    /// every problem, and exit: 0 when it would run, 1 when not.
    #[arg(long)]
    check: bool,
    /// Appends `committing <batch>` and `committed <batch>` to this file around each commit
    /// (an audit of the commits; outputs name their batch in the `scenic.batch` header).
    #[arg(long)]
    journal: Option<PathBuf>,
}

/// Why the worker cannot start: the scenario or the configuration is invalid (exit 1), or the
/// process could not be set up (exit 2).
enum Failure {
    Invalid(String),
    Setup(String),
}

fn main() -> ExitCode {
    scenic_rr::process::init_tracing();
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(e)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(Failure::Setup(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<(), Failure> {
    let invalid = |e: String| Failure::Invalid(e);
    let config = match &args.config {
        Some(p) => Config::load(p).map_err(|e| invalid(e.to_string()))?,
        None => Config::default(),
    };
    let schemas = Arc::new(config.topic_schemas().map_err(|e| invalid(e.to_string()))?);
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::Setup(format!("cannot read {}: {e}", args.file.display())))?;
    let fragments_folder = args.fragments.clone().or_else(|| {
        let d = args.file.parent()?.join("fragments");
        d.is_dir().then_some(d)
    });
    let fragments = fragments_dir(fragments_folder);
    // Relative paths in the configuration (OpenAPI documents) are relative to its folder.
    let config_dir = args
        .config
        .as_deref()
        .and_then(std::path::Path::parent)
        .unwrap_or(std::path::Path::new("."));
    let components =
        scenic_enrichers::ComponentsConfig::from_json(config.components.as_ref(), &|name| {
            std::env::var(name).ok()
        })
        .map_err(|e| invalid(e.to_string()))?;
    let (scenario, topics) =
        match scenic_stream::load_with(&text, schemas, &components, config_dir, fragments.as_ref())
        {
            Ok(s) => s,
            Err(scenic_stream::LoadError::Scenario(e)) => {
                let errors = e.errors();
                let mut out = format!("{}: {} error(s)", args.file.display(), errors.len());
                for e in &errors {
                    out.push_str(&format!("\n  {e}"));
                }
                if errors.iter().any(|e| e.message.contains("on Unknown")) {
                    out.push_str(
                    "\n  hint: a topic without a schema in the configuration's `schemas` gives \
                     `#input` the type Unknown, whose fields cannot be read",
                );
                }
                return Err(invalid(out));
            }
            Err(e) => return Err(invalid(format!("{}: {e}", args.file.display()))),
        };
    if config.bootstrap_servers().is_none() {
        return Err(invalid(
            "kafka.kafkaProperties.\"bootstrap.servers\" is not set in the configuration".into(),
        ));
    }
    if args.check {
        println!("{}: ok", args.file.display());
        return Ok(());
    }
    let journal = match &args.journal {
        Some(p) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| {
                    Failure::Setup(format!("cannot open the journal {}: {e}", p.display()))
                })?,
        ),
        None => None,
    };
    // The InfluxDB reporter, for the process's lifetime.
    let metrics_config = match &config.metrics {
        Some(m) => {
            scenic_influx::MetricsConfig::from_root(&serde_json::json!({"metrics": m}), &|k| {
                std::env::var(k).ok()
            })
            .map_err(|e| invalid(e.to_string()))?
        }
        None => None,
    };
    let workers = scenic_stream::worker_count(&config, &scenario);
    let config = Arc::new(config);
    let metrics = Arc::new(StreamMetrics::new(scenario.clone(), workers));
    let shared = Arc::new(Shared::new(
        scenario.clone(),
        config.clone(),
        metrics,
        topics.clone(),
        workers,
        journal,
    ));
    let _reporter = match metrics_config {
        Some(m) => {
            scenic_influx::Reporter::start(m, influx_source(&shared)).map_err(Failure::Setup)?
        }
        None => None,
    };
    let threads = scenic_stream::spawn_workers(&shared)
        .map_err(|e| Failure::Setup(format!("cannot start a worker thread: {e}")))?;

    let shutdown_timeout = config.shutdown_timeout.0;
    let result = actix_web::rt::System::new().block_on(async move {
        let (server, port) = scenic_stream::http::server(shared.clone(), &args.host, args.port)?;
        println!(
            "Scenic streaming '{}' (version {}): {} worker(s) on {}, {}",
            scenario.name(),
            scenario.version(),
            workers,
            topics
                .iter()
                .map(|t| config.namespaced(t))
                .collect::<Vec<_>>()
                .join(", "),
            if config.transactional() {
                "exactly once (Kafka transactions)"
            } else {
                "at least once (kafkaTransactionsEnabled=false)"
            }
        );
        println!(
            "  Health: http://{}:{port}/alive  /ready   Metrics: /metrics",
            args.host
        );
        let handle = server.handle();
        actix_web::rt::spawn(async move {
            scenic_rr::process::shutdown_signal().await;
            tracing::info!("shutting down: finishing the batches in hand");
            shared.stop();
            // Workers commit or abort the batch in hand and stop; bounded by shutdownTimeout.
            let started = Instant::now();
            while started.elapsed() < shutdown_timeout && threads.iter().any(|t| !t.is_finished()) {
                actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            }
            handle.stop(true).await;
        });
        server.await
    });
    result.map_err(|e| Failure::Setup(e.to_string()))
}

/// What the InfluxDB reporter reads of the worker, in the reference's measurements
/// (`nussknacker-lite.md` §5.2): node counts, `source.count` (the source node's records),
/// `eventtimedelay.histogram` (ms) and `eventtimedelay.minimalDelay`, per task
/// `records-lag-max`, `task.attempt` and `task.restarting`, and the enrichers' timers.
fn influx_source(shared: &Arc<Shared>) -> scenic_influx::Source {
    let scenario = shared.scenario.clone();
    let mut source = scenic_influx::Source::new(Arc::new(move || vec![scenario.clone()]));
    let name = shared.scenario.name().to_string();
    let source_id = shared.scenario.graph().source_id().to_string();
    let node_tags = move || {
        vec![
            ("scenario".to_string(), name.clone()),
            ("nodeId".to_string(), source_id.clone()),
        ]
    };
    let (s, tags) = (shared.clone(), node_tags.clone());
    source.timers = Arc::new(move || {
        let mut timers = scenic_influx::service_timers();
        // The reference's event-time delay is in milliseconds, not a timer's nanoseconds.
        timers.push(scenic_influx::Timer {
            name: "eventtimedelay",
            tags: tags(),
            snapshot: s.metrics.event_window.snapshot().scaled(1e-6),
        });
        timers
    });
    let (s, tags) = (shared.clone(), node_tags.clone());
    source.meters = Arc::new(move || {
        vec![scenic_influx::Meter {
            name: "source",
            tags: tags(),
            count: s.metrics.records.get(),
        }]
    });
    let (s, tags) = (shared.clone(), node_tags);
    source.gauges = Arc::new(move || {
        let scenario = s.scenario.name();
        let mut gauges = Vec::new();
        if let Some(ms) = s
            .metrics
            .minimal_delay_ms(scenic_stream::worker::now_millis())
        {
            gauges.push(scenic_influx::Gauge {
                name: "eventtimedelay.minimalDelay",
                tags: tags(),
                value: ms as f64,
            });
        }
        for w in 0..s.workers() {
            let task = |extra: Option<(&str, &str)>| {
                let mut t = vec![
                    ("scenario".to_string(), scenario.to_string()),
                    ("taskId".to_string(), scenic_stream::metrics::task_id(w)),
                ];
                t.extend(extra.map(|(k, v)| (k.to_string(), v.to_string())));
                t
            };
            let lag = s
                .metrics
                .task_lag
                .get(w)
                .map_or(0, |l| l.load(Ordering::Relaxed));
            let restarts = s.metrics.restarts.get(w).map_or(0, |r| r.get());
            gauges.push(scenic_influx::Gauge {
                name: "records-lag-max",
                tags: task(Some(("kafkaGroup", "consumer-fetch-manager-metrics"))),
                value: lag as f64,
            });
            gauges.push(scenic_influx::Gauge {
                name: "task.attempt",
                tags: task(None),
                value: (restarts + 1) as f64,
            });
            gauges.push(scenic_influx::Gauge {
                name: "task.restarting",
                tags: task(None),
                value: if s.status(w) == scenic_stream::worker::Status::Restarting {
                    1.0
                } else {
                    0.0
                },
            });
        }
        gauges
    });
    source
}
