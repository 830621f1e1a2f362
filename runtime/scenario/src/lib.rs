//! Scenarios: the Designer's export format, their compilation into a `CompiledScenario`, and
//! the interpreter both runtime modes (request-response, streaming) share.
//!
//! Data path: `model` (JSON → nodes) → `compile` (nodes → typed graph, every error at once)
//! → `interp` (graph × input → sink outputs and errors). `graph` is the bottom they share: the
//! graph as data, compiled parameters and the component traits. Components (`components`) are
//! found in an open registry by name; node kinds are a closed enum.

pub mod compile;
pub mod components;
pub mod graph;
pub mod interp;
mod invoke;
pub mod metrics;
pub mod model;
mod scenario;
pub mod schema;

pub use compile::{
    compile_scenario, CompileError, CompileOptions, FragmentSource, NoFragments, ScenarioLimits,
};
pub use graph::{Failure, NodeError, Registry};
pub use interp::{RunOptions, RunResult, SinkOutput};
pub use invoke::{omitted_errors, InvokeError};
pub use scenario::{
    default_slug, load_scenario, load_scenario_with, version_of, CompiledScenario, LoadError,
};
