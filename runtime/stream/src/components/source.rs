//! `kafka` source: JSON values from the topic named by `Topic`, typed by the topic's JSON Schema
//! when the configuration maps one. Sets `#input` and `#inputMeta`.

use std::sync::Arc;

use scenic_scenario::components::sink_value::literal_string;
use scenic_scenario::graph::{ParamCompiler, Source, SourceFactory, SourceKind};
use scenic_scenario::schema::{DecodeError, Decoder, JsonSchema, Violation};
use scenic_spel::{parse_type, Type, Value};

use crate::config::TopicSchemas;

pub struct Factory {
    pub schemas: Arc<TopicSchemas>,
}

#[derive(Debug)]
pub struct KafkaSource {
    pub topic: String,
    pub schema: Option<Arc<JsonSchema>>,
    /// The topic's schema compiled for one-pass decoding of record values, at deploy time.
    decoder: Option<Decoder>,
}

/// The type of `#inputMeta` (`InputMeta.scala`).
const INPUT_META: &str = "Record{key: String, topic: String, partition: Integer, offset: Long, \
     timestamp: Long, timestampType: String, headers: Map[String,String], leaderEpoch: Integer}";

fn input_meta_type() -> Type {
    // The constant above is valid display syntax (a unit test parses it).
    parse_type(INPUT_META).unwrap_or(Type::Unknown)
}

impl SourceFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Source>> {
        let topic = literal_string(pc, "Topic")?;
        if let Some(ct) = pc
            .raw("Content type")
            .map(|e| e.expression.trim().to_string())
        {
            let ct = ct.trim_matches(|c| c == '\'' || c == '"');
            if !ct.is_empty() && !ct.eq_ignore_ascii_case("json") {
                pc.error(
                    Some("Content type"),
                    format!("Content type '{ct}' is not supported; only 'JSON' is"),
                );
                return None;
            }
        }
        let schema = self.schemas.get(&topic).cloned();
        let decoder = schema.as_ref().map(Decoder::compile);
        Some(Arc::new(KafkaSource {
            topic,
            schema,
            decoder,
        }))
    }
}

impl Source for KafkaSource {
    fn kind(&self) -> SourceKind<'_> {
        SourceKind::Topic { name: &self.topic }
    }

    fn output_type(&self) -> Type {
        match &self.schema {
            Some(s) => s.static_type().clone(),
            None => Type::Unknown,
        }
    }

    fn decode(&self, json: serde_json::Value) -> Result<Value, Vec<Violation>> {
        match &self.schema {
            Some(s) => s.decode_input(json),
            None => Ok(scenic_spel::value::from_json_untyped(&json)),
        }
    }
    fn decode_bytes(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        match &self.decoder {
            Some(d) => d.decode(bytes),
            None => Ok(scenic_spel::value::from_json_untyped(
                &serde_json::from_slice(bytes)?,
            )),
        }
    }

    fn variables(&self) -> Vec<(String, Type)> {
        vec![("inputMeta".into(), input_meta_type())]
    }
}

/// The value of `#inputMeta` for one record.
#[allow(clippy::too_many_arguments)]
pub fn input_meta(
    key: Option<&[u8]>,
    topic: &str,
    partition: i32,
    offset: i64,
    timestamp: Option<i64>,
    timestamp_type: &str,
    headers: Vec<(String, String)>,
    leader_epoch: Option<i32>,
) -> Value {
    let mut h = Value::map_with_capacity(headers.len());
    for (k, v) in headers {
        h.insert(Value::str(k), Value::str(v));
    }
    let mut m = Value::map_with_capacity(8);
    let entries = [
        (
            "key",
            key.map(|k| Value::str(String::from_utf8_lossy(k)))
                .unwrap_or(Value::Null),
        ),
        ("topic", Value::str(topic)),
        ("partition", Value::Int(partition)),
        ("offset", Value::Long(offset)),
        (
            "timestamp",
            timestamp.map(Value::Long).unwrap_or(Value::Null),
        ),
        ("timestampType", Value::str(timestamp_type)),
        ("headers", Value::map(h)),
        (
            "leaderEpoch",
            leader_epoch.map(Value::Int).unwrap_or(Value::Null),
        ),
    ];
    for (k, v) in entries {
        m.insert(Value::str(k), v);
    }
    Value::map(m)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_input_meta_type_parses() {
        assert!(scenic_spel::parse_type(super::INPUT_META).is_ok());
    }
}
