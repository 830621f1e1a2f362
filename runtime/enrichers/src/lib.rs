//! Enricher components: the SQL enricher on PostgreSQL and OpenAPI services
//! (`enrichers.md`, `decisions.md` §9). So far: the configuration file's `components` section,
//! read into typed provider instances ([`config`]); the components themselves come next.

pub mod config;

pub use config::{ComponentsConfig, ConfigError, DatabaseProvider, Provider, ProviderInstance};
