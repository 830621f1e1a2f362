//! The `components` section of the configuration file (`decisions.md` §9, `enrichers.md`
//! §1.1, §2.2, §3.2): enricher provider instances by name, in the reference's keys, so that an
//! existing configuration works unchanged.
//!
//! ```json
//! {"components": {
//!   "databaseEnricher": {"config": {
//!     "databaseQueryEnricher": {"name": "db-query", "dbPool": {
//!       "driverClassName": "org.postgresql.Driver", "url": "jdbc:postgresql://localhost:5432/shop",
//!       "username": "scenic", "password": "${SHOP_DB_PASSWORD}"}}}},
//!   "profiles": {"providerType": "openAPI", "url": "file:profiles.yaml", "rootUrl": "http://profiles:8080"}
//! }}
//! ```
//!
//! A string value that is exactly `${NAME}` is the environment variable `NAME` (secrets stay
//! out of the file); `${?NAME}` is the same but may be unset (the key is then absent). An unset
//! `${NAME}` is an error naming the key. Without `providerType` the instance name is the
//! provider type, as in the reference.

use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value as Json;

/// Why the `components` section cannot be used. Each names the place (`components.<name>...`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("{key}: the environment variable {var} is not set")]
    MissingVariable { key: String, var: String },
    #[error("{key}: unknown providerType '{provider}' (known: databaseEnricher, openAPI)")]
    UnknownProvider { key: String, provider: String },
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
}

/// Every provider instance of the section, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComponentsConfig {
    pub instances: Vec<ProviderInstance>,
}

/// One entry of `components`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderInstance {
    /// The entry's key.
    pub name: String,
    /// Prepended to every component name the provider makes.
    pub component_prefix: String,
    pub provider: Provider,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Provider {
    /// `providerType: databaseEnricher`: up to two components, each with its own pool.
    Database(Box<DatabaseProvider>),
    /// `providerType: openAPI`.
    OpenApi(Box<OpenApiConfig>),
}

/// A `databaseEnricher`'s `config`: at least one of the two.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseProvider {
    pub query: Option<DbEnricherConfig>,
    pub lookup: Option<DbEnricherConfig>,
}

/// `config.databaseQueryEnricher` / `config.databaseLookupEnricher`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DbEnricherConfig {
    /// The component's name, as scenarios refer to it (`service.id`).
    pub name: String,
    pub db_pool: DbPool,
}

/// The reference's `dbPool` keys (`enrichers.md` §2.2).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DbPool {
    /// Read for compatibility; only PostgreSQL's driver is supported.
    #[serde(default)]
    pub driver_class_name: Option<String>,
    /// `jdbc:postgresql://host:port/db?params` (or `postgresql://...`).
    pub url: String,
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// Connections kept open when idle.
    #[serde(default)]
    pub initial_size: usize,
    /// Most connections of the pool.
    #[serde(default = "default_max_total")]
    pub max_total: usize,
    /// Longest wait for a pooled connection (not a query timeout).
    #[serde(default = "default_pool_timeout", with = "duration")]
    pub timeout: Duration,
    /// The schema queries run in (`search_path`).
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub data_source_properties: IndexMap<String, String>,
    /// Scenic's own: longest a statement may run (the reference has none).
    #[serde(default = "default_statement_timeout", with = "duration")]
    pub statement_timeout: Duration,
    /// Scenic's own: most results a node's cache keeps (the reference's cache has no bound).
    #[serde(default = "default_cache_max_entries")]
    pub cache_max_entries: u64,
}

fn default_max_total() -> usize {
    10
}
fn default_pool_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_cache_max_entries() -> u64 {
    10_000
}
fn default_statement_timeout() -> Duration {
    Duration::from_secs(10)
}

/// Where a JDBC URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgTarget {
    pub host: String,
    pub port: u16,
    pub database: String,
    /// The URL's query parameters (`?sslmode=disable&...`).
    pub params: Vec<(String, String)>,
}

impl DbPool {
    /// The database the URL names: `jdbc:postgresql://host[:port]/database[?k=v&...]`, the
    /// `jdbc:` prefix optional, port 5432 by default.
    pub fn target(&self) -> Result<PgTarget, String> {
        parse_pg_url(&self.url)
    }
}

fn parse_pg_url(url: &str) -> Result<PgTarget, String> {
    let bad = |why: &str| {
        format!("'{url}' is not a PostgreSQL JDBC URL ({why}): use jdbc:postgresql://host:port/database")
    };
    let rest = url.strip_prefix("jdbc:").unwrap_or(url);
    let rest = rest
        .strip_prefix("postgresql://")
        .or_else(|| rest.strip_prefix("postgres://"))
        .ok_or_else(|| bad("only PostgreSQL is supported"))?;
    let (address, path) = rest.split_once('/').ok_or_else(|| bad("no database"))?;
    let (database, query) = path.split_once('?').unwrap_or((path, ""));
    if database.is_empty() {
        return Err(bad("no database"));
    }
    if address.contains('@') {
        return Err(bad("put the user in `username`, not in the URL"));
    }
    let (host, port) = match address.rsplit_once(':') {
        // An IPv6 address in brackets has colons of its own.
        Some((h, p)) if !p.contains(']') => (
            h,
            p.parse::<u16>()
                .map_err(|_| bad("the port is not a number"))?,
        ),
        _ => (address, 5432),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    Ok(PgTarget {
        host: host.to_string(),
        port,
        database: database.to_string(),
        params,
    })
}

/// The reference's OpenAPI provider keys (`enrichers.md` §3.2, §3.10).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenApiConfig {
    /// The OpenAPI document: a file path, `file:` URL or `http(s)` URL.
    pub url: String,
    /// Base URL of the calls; overrides the document's `servers`.
    #[serde(default)]
    pub root_url: Option<String>,
    #[serde(default = "default_methods")]
    pub allowed_methods: Vec<String>,
    /// Operation names must match it whole.
    #[serde(default = "default_pattern")]
    pub name_pattern: String,
    #[serde(default = "default_empty_codes")]
    pub codes_to_interpret_as_empty: Vec<u16>,
    /// Secret per security scheme name.
    #[serde(default)]
    pub security: IndexMap<String, Secret>,
    /// Secret for any scheme without an entry in `security`.
    #[serde(default)]
    pub secret: Option<Secret>,
    #[serde(default)]
    pub http_client_config: HttpClientConfig,
}

fn default_methods() -> Vec<String> {
    vec!["GET".into()]
}
fn default_pattern() -> String {
    ".*".into()
}
fn default_empty_codes() -> Vec<u16> {
    vec![404]
}

/// A security scheme's secret: only API keys, as in the reference.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Secret {
    #[serde(rename = "apiKey", rename_all = "camelCase")]
    ApiKey { api_key_value: String },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HttpClientConfig {
    #[serde(with = "duration")]
    pub timeout: Duration,
    #[serde(with = "duration")]
    pub connect_timeout: Duration,
    pub max_pool_size: usize,
    pub follow_redirect: bool,
    /// Read for compatibility (AsyncHttpClient's native transport); no effect.
    pub use_native: bool,
    /// Read for compatibility; no effect.
    pub force_shutdown: bool,
}

impl Default for HttpClientConfig {
    fn default() -> Self {
        HttpClientConfig {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            max_pool_size: 20,
            follow_redirect: false,
            use_native: false,
            force_shutdown: false,
        }
    }
}

/// A duration as HOCON writes it (`"100 ms"`, `"10s"`, `"1 minute"`) or a number of
/// milliseconds: every duration of the configuration file (`#[serde(with = "duration")]`; the
/// streaming worker's keys read it too).
pub mod duration {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(ms) => Ok(Duration::from_millis(ms)),
            Raw::Text(t) => humantime::parse_duration(t.trim())
                .map_err(|e| serde::de::Error::custom(format!("'{t}' is not a duration: {e}"))),
        }
    }
}

impl ComponentsConfig {
    /// Reads the `components` value of a configuration file (absent: no providers), with
    /// environment variables from `env`.
    pub fn from_json(
        components: Option<&Json>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ComponentsConfig, ConfigError> {
        let Some(components) = components else {
            return Ok(ComponentsConfig::default());
        };
        let Json::Object(entries) = components else {
            return Err(invalid(
                "components",
                "must be an object of provider instances",
            ));
        };
        let mut instances = Vec::new();
        for (name, raw) in entries {
            let key = format!("components.{name}");
            let mut value = raw.clone();
            substitute(&mut value, &key, env)?;
            let Json::Object(o) = &value else {
                return Err(invalid(&key, "must be an object"));
            };
            if o.get("disabled").and_then(Json::as_bool) == Some(true) {
                continue;
            }
            let provider_type = match o.get("providerType") {
                None => name.as_str(),
                Some(Json::String(t)) => t.as_str(),
                Some(_) => return Err(invalid(&key, "providerType must be a string")),
            };
            let component_prefix = match o.get("componentPrefix") {
                None => String::new(),
                Some(Json::String(p)) => p.clone(),
                Some(_) => return Err(invalid(&key, "componentPrefix must be a string")),
            };
            let provider = match provider_type {
                "databaseEnricher" => database(o.get("config"), &key)?,
                "openAPI" => {
                    let mut own = o.clone();
                    for generic in ["providerType", "disabled", "componentPrefix"] {
                        own.remove(generic);
                    }
                    Provider::OpenApi(Box::new(typed(Json::Object(own), &key)?))
                }
                other => {
                    return Err(ConfigError::UnknownProvider {
                        key,
                        provider: other.to_string(),
                    })
                }
            };
            instances.push(ProviderInstance {
                name: name.clone(),
                component_prefix,
                provider,
            });
        }
        Ok(ComponentsConfig { instances })
    }
}

fn invalid(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        message: message.into(),
    }
}

fn typed<T: serde::de::DeserializeOwned>(v: Json, key: &str) -> Result<T, ConfigError> {
    serde_json::from_value(v).map_err(|e| invalid(key, e.to_string()))
}

fn database(config: Option<&Json>, key: &str) -> Result<Provider, ConfigError> {
    let key = format!("{key}.config");
    let Some(Json::Object(c)) = config else {
        return Err(invalid(
            &key,
            "a databaseEnricher needs a `config` object with databaseQueryEnricher and/or databaseLookupEnricher",
        ));
    };
    let one = |k: &str| -> Result<Option<DbEnricherConfig>, ConfigError> {
        match c.get(k) {
            None => Ok(None),
            Some(v) => {
                let key = format!("{key}.{k}");
                let e: DbEnricherConfig = typed(v.clone(), &key)?;
                e.db_pool
                    .target()
                    .map_err(|m| invalid(&format!("{key}.dbPool.url"), m))?;
                Ok(Some(e))
            }
        }
    };
    let query = one("databaseQueryEnricher")?;
    let lookup = one("databaseLookupEnricher")?;
    if query.is_none() && lookup.is_none() {
        return Err(invalid(
            &key,
            "neither databaseQueryEnricher nor databaseLookupEnricher is configured",
        ));
    }
    Ok(Provider::Database(Box::new(DatabaseProvider {
        query,
        lookup,
    })))
}

/// Replaces `${NAME}` strings by the environment variable, and drops keys whose `${?NAME}` is
/// unset; `key` is the dotted path for errors.
pub fn substitute(
    v: &mut Json,
    key: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    match v {
        Json::String(s) => {
            if let Some(var) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                let (optional, var) = match var.strip_prefix('?') {
                    Some(v) => (true, v),
                    None => (false, var),
                };
                match env(var) {
                    Some(value) => *s = value,
                    None if optional => *v = Json::Null,
                    None => {
                        return Err(ConfigError::MissingVariable {
                            key: key.to_string(),
                            var: var.to_string(),
                        })
                    }
                }
            }
        }
        Json::Object(o) => {
            for (k, child) in o.iter_mut() {
                substitute(child, &format!("{key}.{k}"), env)?;
            }
            // An unset optional variable leaves the key out, so its default applies.
            o.retain(|_, child| !child.is_null());
        }
        Json::Array(a) => {
            for (i, child) in a.iter_mut().enumerate() {
                substitute(child, &format!("{key}[{i}]"), env)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env(var: &str) -> Option<String> {
        (var == "SHOP_DB_PASSWORD").then(|| "s3cret".to_string())
    }

    fn read(j: Json) -> Result<ComponentsConfig, ConfigError> {
        ComponentsConfig::from_json(Some(&j), &env)
    }

    #[test]
    fn the_references_database_and_openapi_entries_read_unchanged() {
        let c = read(json!({
            "databaseEnricher": {"config": {
                "databaseQueryEnricher": {"name": "db-query", "dbPool": {
                    "driverClassName": "org.postgresql.Driver",
                    "url": "jdbc:postgresql://localhost:5432/shop?sslmode=disable",
                    "username": "scenic", "password": "${SHOP_DB_PASSWORD}", "maxTotal": 4, "timeout": "5 s"}},
                "databaseLookupEnricher": {"name": "db-lookup", "dbPool": {
                    "url": "jdbc:postgresql://db/shop", "username": "u", "password": ""}}}},
            "profiles": {"providerType": "openAPI", "url": "profiles.yaml", "rootUrl": "http://profiles:8080",
                "allowedMethods": ["GET", "POST"], "security": {"key": {"type": "apiKey", "apiKeyValue": "k"}},
                "componentPrefix": "p-", "httpClientConfig": {"timeout": 2000}},
            "off": {"providerType": "openAPI", "url": "x", "disabled": true}
        }))
        .expect("reads");
        assert_eq!(c.instances.len(), 2);
        let Provider::Database(db) = &c.instances[0].provider else {
            panic!("not a database provider: {:?}", c.instances[0]);
        };
        let DatabaseProvider { query, lookup } = &**db;
        let q = query.as_ref().expect("query enricher");
        assert_eq!(q.name, "db-query");
        assert_eq!(q.db_pool.password, "s3cret");
        assert_eq!(q.db_pool.max_total, 4);
        assert_eq!(q.db_pool.timeout, Duration::from_secs(5));
        assert_eq!(
            q.db_pool.target(),
            Ok(PgTarget {
                host: "localhost".into(),
                port: 5432,
                database: "shop".into(),
                params: vec![("sslmode".into(), "disable".into())],
            })
        );
        let l = lookup.as_ref().expect("lookup enricher");
        assert_eq!(l.db_pool.max_total, 10);
        assert_eq!(l.db_pool.target().map(|t| t.port), Ok(5432));
        let Provider::OpenApi(o) = &c.instances[1].provider else {
            panic!("not an OpenAPI provider");
        };
        assert_eq!(c.instances[1].component_prefix, "p-");
        assert_eq!(o.allowed_methods, ["GET", "POST"]);
        assert_eq!(o.codes_to_interpret_as_empty, [404]);
        assert_eq!(o.http_client_config.timeout, Duration::from_secs(2));
        assert_eq!(
            o.http_client_config.connect_timeout,
            Duration::from_secs(10)
        );
        assert_eq!(
            o.security.get("key"),
            Some(&Secret::ApiKey {
                api_key_value: "k".into()
            })
        );
    }

    #[test]
    fn errors_name_the_key() {
        let missing = read(
            json!({"databaseEnricher": {"config": {"databaseQueryEnricher": {
            "name": "q", "dbPool": {"url": "jdbc:postgresql://h/d", "username": "u", "password": "${NOPE}"}}}}}),
        );
        assert_eq!(
            missing.map(|_| ()),
            Err(ConfigError::MissingVariable {
                key: "components.databaseEnricher.config.databaseQueryEnricher.dbPool.password"
                    .into(),
                var: "NOPE".into()
            })
        );
        let mysql = read(
            json!({"databaseEnricher": {"config": {"databaseLookupEnricher": {
            "name": "q", "dbPool": {"url": "jdbc:mysql://h/d", "username": "u"}}}}}),
        );
        let text = mysql.map(|_| ()).expect_err("refused").to_string();
        assert!(
            text.starts_with(
                "components.databaseEnricher.config.databaseLookupEnricher.dbPool.url: "
            ),
            "{text}"
        );
        assert!(text.contains("only PostgreSQL"), "{text}");
        let unknown = read(json!({"x": {"providerType": "kafka"}}));
        assert_eq!(
            unknown.map(|_| ()),
            Err(ConfigError::UnknownProvider {
                key: "components.x".into(),
                provider: "kafka".into()
            })
        );
        let typo = read(
            json!({"databaseEnricher": {"config": {"databaseQueryEnricher": {
            "name": "q", "dbPool": {"url": "jdbc:postgresql://h/d", "username": "u", "maxTotl": 3}}}}}),
        );
        assert!(typo
            .map(|_| ())
            .expect_err("refused")
            .to_string()
            .contains("maxTotl"));
        let secret = read(json!({"o": {"providerType": "openAPI", "url": "u",
            "security": {"s": {"type": "oauth2"}}}}));
        assert!(secret.is_err());
    }

    #[test]
    fn an_unset_optional_variable_leaves_the_default() {
        let c =
            read(json!({"o": {"providerType": "openAPI", "url": "u", "rootUrl": "${?NOT_SET}"}}))
                .expect("reads");
        let Provider::OpenApi(o) = &c.instances[0].provider else {
            panic!("not an OpenAPI provider");
        };
        assert_eq!(o.root_url, None);
        assert_eq!(
            ComponentsConfig::from_json(None, &env),
            Ok(ComponentsConfig::default())
        );
    }

    #[test]
    fn jdbc_urls() {
        let t = |u: &str| parse_pg_url(u).map(|t| (t.host, t.port, t.database));
        assert_eq!(
            t("jdbc:postgresql://127.0.0.1:6543/a"),
            Ok(("127.0.0.1".into(), 6543, "a".into()))
        );
        assert_eq!(
            t("postgresql://[::1]:5433/b"),
            Ok(("::1".into(), 5433, "b".into()))
        );
        assert_eq!(
            t("jdbc:postgresql://[::1]/b"),
            Ok(("::1".into(), 5432, "b".into()))
        );
        assert!(t("jdbc:postgresql://h:port/a").is_err());
        assert!(t("jdbc:postgresql://h/").is_err());
        assert!(t("jdbc:postgresql://user:pw@h/a").is_err());
    }
}
