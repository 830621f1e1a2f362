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

use std::path::Path;
use std::sync::Arc;

use scenic_enrichers::ComponentsConfig;

use scenic_scenario::graph::SourceKind;
use scenic_scenario::model::ScenarioType;
use scenic_scenario::{load_scenario, CompiledScenario, FragmentSource};

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
    /// The configuration's `components` section cannot be used.
    #[error(transparent)]
    Components(#[from] scenic_enrichers::ConfigError),
}

/// Compiles a streaming scenario (`LiteStreamMetaData`, or `StreamMetaData` whose components are
/// all supported) and returns it with its source topics.
pub fn load(
    text: &str,
    schemas: Arc<TopicSchemas>,
    fragments: &dyn FragmentSource,
) -> Result<(Arc<CompiledScenario>, Vec<String>), LoadError> {
    load_with(
        text,
        schemas,
        &ComponentsConfig::default(),
        Path::new("."),
        fragments,
    )
}

/// [`load`], with the enrichers of the configuration's `components` section.
pub fn load_with(
    text: &str,
    schemas: Arc<TopicSchemas>,
    components: &ComponentsConfig,
    config_dir: &Path,
    fragments: &dyn FragmentSource,
) -> Result<(Arc<CompiledScenario>, Vec<String>), LoadError> {
    // The type first: a request-response file would otherwise fail on its `request` source.
    if let Ok(file) = scenic_scenario::model::parse_scenario(text) {
        if file.meta.scenario_type() == Ok(ScenarioType::RequestResponse) {
            return Err(LoadError::NotStreaming(file.meta.id));
        }
    }
    let mut registry = components::registry(schemas);
    // OpenAPI documents given by a relative path are relative to the configuration's folder.
    let registered = scenic_enrichers::register(components, &mut registry, config_dir)?;
    for w in registered.warnings {
        eprintln!("warning: {w}");
    }
    let scenario = load_scenario(text, &registry, fragments)?;
    if !matches!(
        scenario.scenario_type(),
        ScenarioType::LiteStream | ScenarioType::Stream
    ) {
        return Err(LoadError::NotStreaming(scenario.name().to_string()));
    }
    let topic = match scenario.source().kind() {
        SourceKind::Topic { name } => name.to_string(),
        SourceKind::Request { .. } => return Err(LoadError::NoKafkaSource),
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use scenic_scenario::graph::Emitted;
    use scenic_scenario::NoFragments;
    use serde_json::json;

    #[test]
    fn the_kafka_sink_emits_its_record_and_the_source_names_its_topic() {
        let e = |s: &str| json!({"language": "spel", "expression": s});
        let text = json!({
            "metaData": {"id": "s", "additionalFields": {"properties": {}, "metaDataType": "LiteStreamMetaData"}},
            "nodes": [
                {"id": "in", "type": "Source", "ref": {"typ": "kafka", "parameters": [{"name": "Topic", "expression": e("'input'")}]}},
                {"id": "out", "type": "Sink", "ref": {"typ": "kafka", "parameters": [
                    {"name": "Topic", "expression": e("'output'")},
                    {"name": "Key", "expression": e("#input.id")},
                    {"name": "Raw editor", "expression": e("true")},
                    {"name": "Value", "expression": e("{n: #input.n}")}]}}
            ],
            "additionalBranches": []
        })
        .to_string();
        let schema = json!({"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}});
        let schema = scenic_scenario::schema::JsonSchema::parse("input", &schema.to_string())
            .expect("schema");
        let schemas = config::TopicSchemas([("input".to_string(), Arc::new(schema))].into());
        let (scenario, topics) = load(&text, Arc::new(schemas), &NoFragments).expect("loads");
        assert_eq!(topics, vec!["input".to_string()]);
        let input = scenario
            .source()
            .decode(json!({"id": "k1", "n": 3}))
            .expect("decodes");
        let run = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(scenario.run(input));
        assert!(run.errors.is_empty(), "{:?}", run.errors);
        assert_eq!(
            run.outputs.first().map(|o| &o.output),
            Some(&Emitted::Message {
                topic: "output".into(),
                key: Some("k1".into()),
                value: r#"{"n":3}"#.into(),
            })
        );
    }
}
