//! The Kafka components (`nussknacker-lite.md` §4.4), and the registry a streaming scenario
//! compiles against: the base components plus these, without the request-response ones.

mod sink;
mod source;

use std::sync::Arc;

use scenic_scenario::Registry;

pub use sink::KafkaSink;
pub use source::{input_meta, KafkaSource};

use crate::config::TopicSchemas;

/// Base components, `kafka` source and `kafka` sink.
pub fn registry(schemas: Arc<TopicSchemas>) -> Registry {
    let mut r = Registry::builtin();
    r.sources.remove("request");
    r.sinks.remove("response");
    r.sources.insert(
        "kafka".into(),
        Arc::new(source::Factory {
            schemas: schemas.clone(),
        }),
    );
    r.sinks
        .insert("kafka".into(), Arc::new(sink::Factory { schemas }));
    r
}
