//! `kafka` sink: writes one record to `Topic` per context, keyed by the optional `Key`. The value
//! is the `Raw editor` form or the field editor over the topic's schema ([`SinkValue`]); with a
//! schema, values are validated against it (strict or lax) and written as compact JSON.

use std::sync::Arc;

use scenic_scenario::components::sink_value::{literal_string, SinkValue};
use scenic_scenario::graph::{Ctx, Failure, Param, ParamCompiler, Sink, SinkFactory};
use scenic_scenario::schema::JsonSchema;
use scenic_spel::{EvalEnv, Type, Value};

use crate::config::TopicSchemas;

pub struct Factory {
    pub schemas: Arc<TopicSchemas>,
}

#[derive(Debug)]
pub struct KafkaSink {
    topic: Value,
    key: Option<Param>,
    value: SinkValue,
    schema: Option<Arc<JsonSchema>>,
}

impl SinkFactory for Factory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<Arc<dyn Sink>> {
        let topic = literal_string(pc, "Topic")?;
        let key = match pc.raw("Key") {
            Some(e) if !e.expression.trim().is_empty() => {
                Some(pc.compile("Key", Some(&Type::string()))?)
            }
            _ => None,
        };
        let schema = self.schemas.get(&topic).cloned();
        let value = SinkValue::compile(pc, schema.as_ref())?;
        Some(Arc::new(KafkaSink {
            topic: Value::str(topic),
            key,
            value,
            schema,
        }))
    }
}

impl Sink for KafkaSink {
    /// The record as a map `{topic, key, value}`; `value` holds the JSON text to write.
    fn emit(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Option<Value>, Failure> {
        let key = match &self.key {
            Some(k) => match k.eval(ctx, env)? {
                Value::Null => Value::Null,
                s @ Value::Str(_) => s,
                other => Value::str(scenic_spel::value::to_json(&other).to_string()),
            },
            None => Value::Null,
        };
        let v = self.value.eval(ctx, env)?;
        // Bounded before it is encoded: the value may be one a component built, which no
        // evaluation checked (see the interpreter's sink step).
        env.budget.check_value(&v)?;
        let json = match &self.schema {
            Some(schema) => schema
                .encode_output(&v)
                .map_err(|violations| Failure::Output {
                    target: format!("topic '{}'", self.topic.as_str().unwrap_or_default()),
                    violations,
                })?,
            None => scenic_spel::value::to_json(&v),
        };
        let mut m = Value::map_with_capacity(3);
        m.insert(Value::str("topic"), self.topic.clone());
        m.insert(Value::str("key"), key);
        m.insert(Value::str("value"), Value::str(json.to_string()));
        Ok(Some(Value::map(m)))
    }
}

/// A record to produce, read back from a `kafka` sink's output.
#[derive(Debug, Clone, PartialEq)]
pub struct KafkaRecord {
    pub topic: String,
    pub key: Option<String>,
    pub value: String,
}

impl KafkaRecord {
    /// `None` when the output did not come from a `kafka` sink.
    pub fn from_output(v: &Value) -> Option<KafkaRecord> {
        let Value::Map(m) = v else { return None };
        let get = |k: &str| m.get(&Value::str(k));
        let Some(Value::Str(topic)) = get("topic") else {
            return None;
        };
        let Some(Value::Str(value)) = get("value") else {
            return None;
        };
        let key = match get("key") {
            Some(Value::Str(k)) => Some(k.to_string()),
            _ => None,
        };
        Some(KafkaRecord {
            topic: topic.to_string(),
            key,
            value: value.to_string(),
        })
    }
}
