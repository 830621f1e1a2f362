//! The worker's configuration file (`--config FILE`): the keys of the reference's `modelConfig`
//! (`nussknacker-lite.md` §7.4) in JSON, which is also valid HOCON, plus Scenic's own `schemas`
//! (topic → JSON Schema file) and `workerId`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use scenic_scenario::schema::JsonSchema;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: line {line} column {column}: {message}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
}

/// A duration as HOCON writes it (`"100 ms"`, `"10s"`, `"1 minute"`) or a number of milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Millis(pub Duration);

impl<'de> Deserialize<'de> for Millis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // One reading of durations for the whole configuration file.
        scenic_enrichers::config::duration::deserialize(d).map(Millis)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KafkaConfig {
    /// Any librdkafka property: `bootstrap.servers`, `auto.offset.reset`, …
    #[serde(default)]
    pub kafka_properties: BTreeMap<String, String>,
    /// Flink-only; the reference refuses to start with it, and so do we.
    pub idle_timeout: Option<serde_json::Value>,
    /// Flink-only; as above.
    pub sink_delivery_guarantee: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionHandlingConfig {
    #[serde(default = "default_error_topic")]
    pub topic: String,
    #[serde(default = "default_stack_trace")]
    pub stack_trace_length_limit: usize,
    #[serde(default = "default_max_message_bytes")]
    pub max_message_bytes: usize,
    #[serde(default = "yes")]
    pub include_host: bool,
    #[serde(default)]
    pub include_input_event: bool,
    #[serde(default)]
    pub additional_params: serde_json::Map<String, serde_json::Value>,
}

impl Default for ExceptionHandlingConfig {
    fn default() -> Self {
        ExceptionHandlingConfig {
            topic: default_error_topic(),
            stack_trace_length_limit: default_stack_trace(),
            max_message_bytes: default_max_message_bytes(),
            include_host: true,
            include_input_event: false,
            additional_params: Default::default(),
        }
    }
}

fn default_error_topic() -> String {
    "nussknacker-errors".into()
}
fn default_stack_trace() -> usize {
    50
}
fn default_max_message_bytes() -> usize {
    1_048_476
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    #[serde(default)]
    pub kafka: KafkaConfig,
    #[serde(default = "d_poll")]
    pub poll_duration: Millis,
    #[serde(default = "d_10s")]
    pub shutdown_timeout: Millis,
    #[serde(default = "d_10s")]
    pub interpreter_timeout: Millis,
    #[serde(default = "d_5s")]
    pub publish_timeout: Millis,
    #[serde(default = "d_10s")]
    pub wait_after_failure_delay: Millis,
    /// Unset: on, except for Azure Event Hubs (`.servicebus.windows.net`), as in the reference.
    pub kafka_transactions_enabled: Option<bool>,
    #[serde(default)]
    pub exception_handling_config: ExceptionHandlingConfig,
    /// Workers in this process; unset: the scenario's `parallelism` property, else 1.
    pub parallelism: Option<usize>,
    /// Most records one poll batch (one transaction) holds.
    #[serde(default = "d_max_poll_records")]
    pub max_poll_records: usize,
    /// Names this process in the stable `transactional.id`s; unset: `$HOSTNAME`, else `0`.
    pub worker_id: Option<String>,
    /// Topic → JSON Schema file (relative to the configuration file) typing its values.
    #[serde(default)]
    pub schemas: BTreeMap<String, PathBuf>,
    /// Prefixes the consumer group and the scenario's topics: `<namespace><separator><name>`.
    pub namespace: Option<String>,
    #[serde(default = "d_separator")]
    pub namespace_separator: String,
    /// The enrichers (`components`, read by scenic-enrichers).
    #[serde(default)]
    pub components: Option<serde_json::Value>,
    /// The InfluxDB reporter (`metrics`, read by scenic-influx).
    #[serde(default)]
    pub metrics: Option<serde_json::Value>,
}

fn d_separator() -> String {
    "_".into()
}

fn d_poll() -> Millis {
    Millis(Duration::from_millis(100))
}
fn d_10s() -> Millis {
    Millis(Duration::from_secs(10))
}
fn d_5s() -> Millis {
    Millis(Duration::from_secs(5))
}
fn d_max_poll_records() -> usize {
    500
}

impl Default for Config {
    fn default() -> Self {
        // Every field has a serde default, so the empty object is the default configuration.
        serde_json::from_str("{}").unwrap_or_else(|_| unreachable_default())
    }
}

fn unreachable_default() -> Config {
    Config {
        kafka: KafkaConfig::default(),
        poll_duration: d_poll(),
        shutdown_timeout: d_10s(),
        interpreter_timeout: d_10s(),
        publish_timeout: d_5s(),
        wait_after_failure_delay: d_10s(),
        kafka_transactions_enabled: None,
        exception_handling_config: ExceptionHandlingConfig::default(),
        parallelism: None,
        max_poll_records: d_max_poll_records(),
        worker_id: None,
        schemas: BTreeMap::new(),
        namespace: None,
        namespace_separator: d_separator(),
        components: None,
        metrics: None,
    }
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let mut config: Config = serde_json::from_str(&text).map_err(|e| ConfigError::Syntax {
            path: path.display().to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        // Schema files are relative to the configuration file.
        let base = path.parent().unwrap_or(Path::new("."));
        for file in config.schemas.values_mut() {
            if file.is_relative() {
                *file = base.join(&*file);
            }
        }
        config.check()?;
        Ok(config)
    }

    /// The checks the reference makes at start-up.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.kafka.idle_timeout.is_some() {
            return Err(ConfigError::Invalid(
                "kafka.idleTimeout is a Flink setting; streaming Lite does not support it".into(),
            ));
        }
        if self.kafka.sink_delivery_guarantee.is_some() {
            return Err(ConfigError::Invalid(
                "kafka.sinkDeliveryGuarantee is a Flink setting; streaming Lite does not support it"
                    .into(),
            ));
        }
        if self.max_poll_records == 0 {
            return Err(ConfigError::Invalid(
                "maxPollRecords must be at least 1".into(),
            ));
        }
        let max_poll_interval = self
            .kafka
            .kafka_properties
            .get("max.poll.interval.ms")
            .map(|v| {
                v.parse::<u64>().map_err(|_| {
                    ConfigError::Invalid(format!("max.poll.interval.ms '{v}' is not a number"))
                })
            })
            .transpose()?
            .unwrap_or(300_000);
        let needed = self.interpreter_timeout.0 + self.publish_timeout.0;
        if Duration::from_millis(max_poll_interval) <= needed {
            return Err(ConfigError::Invalid(format!(
                "max.poll.interval.ms ({max_poll_interval}) must exceed interpreterTimeout + \
                 publishTimeout ({} ms)",
                needed.as_millis()
            )));
        }
        Ok(())
    }

    pub fn bootstrap_servers(&self) -> Option<&str> {
        self.kafka
            .kafka_properties
            .get("bootstrap.servers")
            .map(String::as_str)
    }

    /// Whether batches are Kafka transactions (exactly once) or not (at least once).
    pub fn transactional(&self) -> bool {
        self.kafka_transactions_enabled.unwrap_or_else(|| {
            !self
                .bootstrap_servers()
                .is_some_and(|s| s.contains(".servicebus.windows.net"))
        })
    }

    /// A consumer group's or a topic's name in the configured namespace (the reference's
    /// `NamingStrategy`); the name itself without one.
    pub fn namespaced(&self, name: &str) -> String {
        match self.namespace.as_deref().filter(|n| !n.is_empty()) {
            Some(ns) => format!("{ns}{}{name}", self.namespace_separator),
            None => name.to_string(),
        }
    }

    /// This process's name in `transactional.id`s.
    pub fn worker_id(&self) -> String {
        self.worker_id
            .clone()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "0".into())
    }

    /// Loads the JSON Schemas of `schemas`.
    pub fn topic_schemas(&self) -> Result<TopicSchemas, ConfigError> {
        let mut out = BTreeMap::new();
        for (topic, file) in &self.schemas {
            let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
                path: file.display().to_string(),
                source,
            })?;
            let schema = JsonSchema::parse(&format!("schema of topic '{topic}'"), &text)
                .map_err(|e| ConfigError::Invalid(format!("{}: {e}", file.display())))?;
            out.insert(topic.clone(), Arc::new(schema));
        }
        Ok(TopicSchemas(out))
    }
}

/// The value schema of each topic that has one.
#[derive(Debug, Clone, Default)]
pub struct TopicSchemas(pub BTreeMap<String, Arc<JsonSchema>>);

impl TopicSchemas {
    pub fn get(&self, topic: &str) -> Option<&Arc<JsonSchema>> {
        self.0.get(topic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_references() {
        let c = Config::default();
        assert_eq!(c.poll_duration.0, Duration::from_millis(100));
        assert_eq!(c.interpreter_timeout.0, Duration::from_secs(10));
        assert_eq!(c.publish_timeout.0, Duration::from_secs(5));
        assert_eq!(c.exception_handling_config.topic, "nussknacker-errors");
        assert_eq!(c.exception_handling_config.stack_trace_length_limit, 50);
        assert!(c.transactional());
    }

    #[test]
    fn durations_take_hocon_text_or_milliseconds() {
        let c: Config =
            serde_json::from_str(r#"{"pollDuration": "250ms", "publishTimeout": 1500}"#)
                .expect("parses");
        assert_eq!(c.poll_duration.0, Duration::from_millis(250));
        assert_eq!(c.publish_timeout.0, Duration::from_millis(1500));
        let bad = serde_json::from_str::<Config>(r#"{"pollDuration": "soon"}"#);
        assert!(bad.is_err());
    }

    #[test]
    fn flink_settings_and_a_short_poll_interval_are_refused() {
        let c: Config =
            serde_json::from_str(r#"{"kafka": {"idleTimeout": "1s"}}"#).expect("parses");
        assert!(c.check().is_err());
        let c: Config = serde_json::from_str(
            r#"{"kafka": {"kafkaProperties": {"max.poll.interval.ms": "10000"}}}"#,
        )
        .expect("parses");
        assert!(c
            .check()
            .expect_err("refused")
            .to_string()
            .contains("must exceed"));
    }

    #[test]
    fn namespaces_prefix_names() {
        let c: Config = serde_json::from_str(r#"{"namespace": "team1"}"#).expect("parses");
        assert_eq!(c.namespaced("orders"), "team1_orders");
        let c: Config = serde_json::from_str(r#"{"namespace": "t", "namespaceSeparator": "."}"#)
            .expect("parses");
        assert_eq!(c.namespaced("orders"), "t.orders");
        assert_eq!(Config::default().namespaced("orders"), "orders");
    }

    #[test]
    fn event_hubs_turn_transactions_off_unless_asked() {
        let c: Config = serde_json::from_str(
            r#"{"kafka": {"kafkaProperties": {"bootstrap.servers": "x.servicebus.windows.net:9093"}}}"#,
        )
        .expect("parses");
        assert!(!c.transactional());
        let c: Config =
            serde_json::from_str(r#"{"kafkaTransactionsEnabled": false}"#).expect("parses");
        assert!(!c.transactional());
    }
}
