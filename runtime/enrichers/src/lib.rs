//! Enricher components (`enrichers.md`, `decisions.md` §9): the SQL enricher on PostgreSQL
//! ([`sql`]) and OpenAPI services ([`openapi`]), configured by the configuration file's `components` section ([`config`]), and
//! their call metrics ([`metrics`]). Every connection lives on the enrichers' own I/O runtime
//! ([`io`]).

pub mod config;
pub mod io;
pub mod metrics;
pub mod openapi;
pub mod sql;

use std::sync::Arc;

use scenic_scenario::Registry;

pub use config::{ComponentsConfig, ConfigError, DatabaseProvider, Provider, ProviderInstance};

/// An error with its causes, each once ("error sending request: connection refused"): what
/// the enrichers' messages show of a transport failure.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut m = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !m.contains(&text) {
            m.push_str(": ");
            m.push_str(&text);
        }
        source = s.source();
    }
    m
}

/// The components of a configuration file's root object (`components`, absent: none), with
/// `${NAME}` taken from the process environment.
pub fn components_of(root: &serde_json::Value) -> Result<ComponentsConfig, ConfigError> {
    ComponentsConfig::from_json(root.get("components"), &|name| std::env::var(name).ok())
}

/// Adds the components of a configuration file's root object to `base`, and gives the
/// warnings to show (operations or documents that could not be used). Relative paths in it are
/// relative to `dir`, the file's folder.
pub fn registry_from_root(
    root: &serde_json::Value,
    dir: &std::path::Path,
    mut base: Registry,
) -> Result<(Registry, Vec<String>), ConfigError> {
    let config = components_of(root)?;
    let registered = register(&config, &mut base, dir)?;
    Ok((base, registered.warnings))
}

/// What [`register`] added, and what it could not.
#[derive(Debug, Default)]
pub struct Registered {
    /// Component names added.
    pub added: Vec<String>,
    /// Operations skipped, documents that could not be read: each names the provider instance.
    pub warnings: Vec<String>,
}

/// Adds the components of every provider instance to `registry`, named as the configuration
/// names them (with the instance's `componentPrefix`). Databases are not connected yet: one
/// that is down is reported by the nodes that use it, at deploy. OpenAPI documents are read
/// now (relative paths from `base_dir`); one that cannot be read gives no components, a
/// warning, and a note the compiler adds to the errors of nodes that name a missing component
/// (as the reference, which logs the failure and offers no components).
pub fn register(
    config: &ComponentsConfig,
    registry: &mut Registry,
    base_dir: &std::path::Path,
) -> Result<Registered, ConfigError> {
    let mut added = Vec::new();
    let mut warnings = Vec::new();
    for instance in &config.instances {
        let key = format!("components.{}", instance.name);
        match &instance.provider {
            Provider::Database(db) => {
                for (which, enricher) in [
                    ("databaseQueryEnricher", &db.query),
                    ("databaseLookupEnricher", &db.lookup),
                ] {
                    let Some(e) = enricher else { continue };
                    let database =
                        sql::Database::new(&e.db_pool).map_err(|message| ConfigError::Invalid {
                            key: format!("{key}.config.{which}.dbPool"),
                            message,
                        })?;
                    let name = format!("{}{}", instance.component_prefix, e.name);
                    let cache_max_entries = e.db_pool.cache_max_entries;
                    let factory: Arc<dyn scenic_scenario::graph::ServiceFactory> =
                        if which == "databaseQueryEnricher" {
                            Arc::new(sql::query::QueryFactory {
                                component: name.clone(),
                                db: database,
                                cache_max_entries,
                            })
                        } else {
                            Arc::new(sql::query::LookupFactory {
                                component: name.clone(),
                                db: database,
                                cache_max_entries,
                            })
                        };
                    if registry.services.insert(name.clone(), factory).is_some() {
                        return Err(ConfigError::Invalid {
                            key: format!("{key}.config.{which}.name"),
                            message: format!("a component named '{name}' exists already"),
                        });
                    }
                    added.push(name);
                }
            }
            Provider::OpenApi(oa) => match openapi::discover(oa, base_dir) {
                Ok(found) => {
                    if !found.rejected.is_empty() {
                        warnings.push(format!(
                            "{key}: Failed to parse following services: {}",
                            found.rejected.join(", ")
                        ));
                    }
                    for (op_name, factory) in found.factories {
                        let name = format!("{}{op_name}", instance.component_prefix);
                        if registry.services.insert(name.clone(), factory).is_some() {
                            return Err(ConfigError::Invalid {
                                key,
                                message: format!("a component named '{name}' exists already"),
                            });
                        }
                        added.push(name);
                    }
                }
                Err(e) => {
                    let m = format!("{key}: OpenAPI service resolution failed: {e}");
                    registry.unavailable.push(m.clone());
                    warnings.push(m);
                }
            },
        }
    }
    Ok(Registered { added, warnings })
}
