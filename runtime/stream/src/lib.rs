//! Scenic's streaming runtime: a worker that reads Kafka, runs a compiled scenario with the same
//! interpreter as the request-response runtime, and writes Kafka, exactly once with Kafka
//! transactions (`decisions.md` §5). Only this crate links librdkafka.
//!
//! Data path: [`config`] → [`load`] (compile against [`components::registry`]) →
//! [`worker::run_worker`] threads (poll batch → interpret → produce outputs and error records →
//! commit offsets in the same transaction) → [`http`] for `/alive`, `/ready`, `/metrics`.

pub mod components;
pub mod config;
pub mod error_record;
pub mod http;
pub mod metrics;
pub mod worker;

use std::sync::Arc;

use scenic_scenario::model::ScenarioType;
use scenic_scenario::{load_scenario, CompiledScenario, FragmentSource};

use components::KafkaSource;
use config::TopicSchemas;

/// Why a scenario cannot run in streaming mode.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Scenario(#[from] scenic_scenario::LoadError),
    #[error("'{0}' is a request-response scenario: serve it with `scenic serve` or `scenic run`")]
    NotStreaming(String),
    #[error("the scenario's source is not a kafka source")]
    NoKafkaSource,
}

/// Compiles a streaming scenario (`LiteStreamMetaData`, or `StreamMetaData` whose components are
/// all supported) and returns it with its source topics.
pub fn load(
    text: &str,
    schemas: Arc<TopicSchemas>,
    fragments: &dyn FragmentSource,
) -> Result<(Arc<CompiledScenario>, Vec<String>), LoadError> {
    // The type first: a request-response file would otherwise fail on its `request` source.
    if let Ok(file) = scenic_scenario::model::parse_scenario(text) {
        if file.meta.scenario_type() == Ok(ScenarioType::RequestResponse) {
            return Err(LoadError::NotStreaming(file.meta.id));
        }
    }
    let registry = components::registry(schemas);
    let scenario = load_scenario(text, &registry, fragments)?;
    if !matches!(
        scenario.scenario_type(),
        ScenarioType::LiteStream | ScenarioType::Stream
    ) {
        return Err(LoadError::NotStreaming(scenario.name().to_string()));
    }
    let source: &dyn std::any::Any = scenario.source().as_ref();
    let topic = source
        .downcast_ref::<KafkaSource>()
        .map(|s| s.topic.clone())
        .ok_or(LoadError::NoKafkaSource)?;
    Ok((Arc::new(scenario), vec![topic]))
}

/// Workers for a scenario: the configuration's `parallelism`, else the scenario's
/// `parallelism` property, else 1.
pub fn worker_count(config: &config::Config, scenario: &CompiledScenario) -> usize {
    config
        .parallelism
        .or_else(|| {
            scenario
                .properties()
                .get("parallelism")
                .and_then(|p| p.trim().parse().ok())
        })
        .unwrap_or(1)
        .clamp(1, 256)
}

/// Starts one thread per worker of `shared`.
pub fn spawn_workers(
    shared: &Arc<worker::Shared>,
) -> std::io::Result<Vec<std::thread::JoinHandle<()>>> {
    (0..shared.workers())
        .map(|i| {
            let s = shared.clone();
            std::thread::Builder::new()
                .name(format!("worker-{}-{i}", s.scenario.name()))
                .spawn(move || worker::run_worker(s, i))
        })
        .collect()
}
