//! Scenarios: the Designer's export format, their compilation into a `CompiledScenario`, and
//! the interpreter both runtime modes (request-response, streaming) share.

pub mod schema;
