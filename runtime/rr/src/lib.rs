//! The request-response HTTP runtime (zero-to-production's layering): `startup` builds the
//! actix-web application and registers every route in one place, `routes/` holds the handlers,
//! `error` maps every failure to its status code and error body, `state` keeps the deployed
//! scenarios and `metrics` the Prometheus series; `process` is the set-up both binaries share
//! (logs, the shutdown signal).

pub mod compute;
pub mod error;
pub mod metrics;
pub mod process;
pub mod routes;
pub mod startup;
pub mod state;

pub use startup::{Application, Limits, Settings};
pub use state::{Deployed, Scenarios};
