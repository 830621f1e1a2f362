//! `kafka` sink: writes one record to `Topic` per context, keyed by the optional `Key`. The value
//! is the `Raw editor` form or the field editor over the topic's schema ([`SinkValue`]); with a
//! schema, values are validated against it (strict or lax) and written as compact JSON.

use std::sync::Arc;

use scenic_scenario::components::sink_value::{literal_string, SinkValue};
use scenic_scenario::graph::{Ctx, Emitted, Failure, Param, ParamCompiler, Sink, SinkFactory};
use scenic_scenario::schema::JsonSchema;
use scenic_spel::{EvalEnv, Type, Value};

use crate::config::TopicSchemas;

pub struct Factory {
    pub schemas: Arc<TopicSchemas>,
}

#[derive(Debug)]
pub struct KafkaSink {
    topic: Arc<str>,
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
            topic: topic.into(),
            key,
            value,
            schema,
        }))
    }
}

impl Sink for KafkaSink {
    /// The record: its topic, key and the value's JSON text.
    fn emit(&self, ctx: &Ctx, env: &EvalEnv) -> Result<Option<Emitted>, Failure> {
        let key = match &self.key {
            Some(k) => match k.eval(ctx, env)? {
                Value::Null => None,
                Value::Str(s) => Some(s.to_string()),
                other => Some(scenic_spel::value::to_json(&other).to_string()),
            },
            None => None,
        };
        let v = self.value.eval(ctx, env)?;
        // Bounded before it is encoded: the value may be one a component built, which no
        // evaluation checked (see the interpreter's sink step).
        env.budget.check_value(&v)?;
        let json = match &self.schema {
            Some(schema) => schema
                .encode_output(&v)
                .map_err(|violations| Failure::Output {
                    target: format!("topic '{}'", self.topic),
                    violations,
                })?,
            None => scenic_spel::value::to_json(&v),
        };
        Ok(Some(Emitted::Message {
            topic: self.topic.clone(),
            key,
            value: json.to_string(),
        }))
    }
}
