//! The built-in components: sources, sinks, services (enrichers and processors), custom nodes
//! and joins implementing the role traits of `crate::graph`, each found by the name a scenario
//! uses (`ref.typ`, `service.id`, `nodeType`). Adding a component touches its own module and
//! one line in `Registry::builtin`.

mod collect;
mod dead_end;
mod decision_table;
mod for_each;
mod log;
mod request;
mod response;
pub mod sink_value;
mod union;

use std::sync::Arc;

use crate::graph::Registry;
pub use request::RequestSource;

impl Registry {
    /// The request-response components and the base components.
    pub fn builtin() -> Registry {
        let mut r = Registry::default();
        r.sources
            .insert("request".into(), Arc::new(request::Factory));
        r.sinks
            .insert("response".into(), Arc::new(response::Factory));
        r.sinks
            .insert("dead-end".into(), Arc::new(dead_end::Factory));
        r.custom
            .insert("for-each".into(), Arc::new(for_each::Factory));
        r.custom
            .insert("collect".into(), Arc::new(collect::Factory));
        r.joins.insert("union".into(), Arc::new(union::Factory));
        r.services
            .insert("decision-table".into(), Arc::new(decision_table::Factory));
        r.services.insert("log".into(), Arc::new(log::Factory));
        r
    }
}
