//! The SQL enricher on PostgreSQL (`enrichers.md` §2, `decisions.md` §9): the database query
//! enricher and the database lookup enricher.
//!
//! At deploy time the compiler prepares the node's statement on the database (without running
//! it) and types the output from its result columns, so downstream expressions are checked
//! against the real column names and types. At run time each call borrows a connection from
//! the component's bounded pool, runs the statement prepared once per connection, and maps the
//! rows; every statement runs under a server-side `statement_timeout`, and results can be
//! cached per node (TTL and size bound, one query for concurrent misses).

pub mod placeholders;
pub mod query;
pub mod types;

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod};
use futures::StreamExt;
use scenic_spel::{Str, Value};
use tokio_postgres::types::{ToSql, Type as Pg};
use tokio_postgres::NoTls;

use crate::config::DbPool;
use types::Arg;

/// The metrics service name of every SQL component, as in the reference (`enrichers.md` §5).
pub const SERVICE_NAME: &str = "dbQueryEnricher";

/// Longest wait for a new connection when the configuration sets none.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How a query's result becomes the output variable (the `Result strategy` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// `Result set`: every row, as a list of records.
    ResultSet,
    /// `Single result`: the first row, or null.
    Single,
    /// `Updates count`: the number of rows the statement changed.
    UpdatesCount,
}

impl Strategy {
    /// The reference's names, in its order.
    pub const NAMES: [&'static str; 3] = ["Single result", "Result set", "Updates count"];

    pub fn parse(name: &str) -> Option<Strategy> {
        match name {
            "Result set" => Some(Strategy::ResultSet),
            "Single result" => Some(Strategy::Single),
            "Updates count" => Some(Strategy::UpdatesCount),
            _ => None,
        }
    }
}

/// One component's database: its pool and what its messages name.
pub struct Database {
    pool: Pool,
    /// `host:port/database`, for messages.
    place: String,
    pool_timeout: Duration,
    max_size: usize,
    connect_timeout: Duration,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({})", self.place)
    }
}

/// A statement as the database prepared it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The types the server inferred for `$1…$N`.
    pub params: Vec<Pg>,
    /// The result columns: name (as the server reports it) and type.
    pub columns: Vec<(String, Pg)>,
}

/// Why a statement could not be prepared at deploy time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrepareError {
    /// The database could not be reached (no connection, no answer).
    Unreachable(String),
    /// The database refused the statement (syntax, unknown table or column...).
    Refused(String),
}

/// The options every connection starts with.
fn options(cfg: &DbPool) -> Result<String, String> {
    let mut options = format!("-c statement_timeout={}", cfg.statement_timeout.as_millis());
    if let Some(schema) = &cfg.schema {
        // The option string splits on spaces; a schema name is an identifier.
        if schema.is_empty()
            || !schema
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            return Err(format!(
                "schema '{schema}' is not a plain identifier (letters, digits, _)"
            ));
        }
        options.push_str(&format!(" -c search_path={schema}"));
    }
    Ok(options)
}

impl Database {
    /// The pool the configuration describes. No connection is opened yet: the first use opens
    /// one (and a database that is down makes that use fail, not the start-up).
    pub fn new(cfg: &DbPool) -> Result<Arc<Database>, String> {
        let target = cfg.target()?;
        let mut pg = tokio_postgres::Config::new();
        pg.host(&target.host)
            .port(target.port)
            .dbname(&target.database)
            .user(&cfg.username)
            .application_name("scenic")
            .options(&options(cfg)?);
        if !cfg.password.is_empty() {
            pg.password(&cfg.password);
        }
        let mut connect_timeout =
            DEFAULT_CONNECT_TIMEOUT.min(cfg.timeout.max(Duration::from_millis(1)));
        let props = target
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(
                cfg.data_source_properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            );
        for (key, value) in props {
            match key {
                // pgjdbc's connectTimeout is in seconds.
                "connectTimeout" => {
                    let secs: u64 = value.parse().map_err(|_| {
                        format!("connectTimeout '{value}' is not a number of seconds")
                    })?;
                    if secs > 0 {
                        connect_timeout = Duration::from_secs(secs);
                    }
                }
                "ApplicationName" | "applicationName" => {
                    pg.application_name(value);
                }
                "sslmode" if matches!(value, "disable" | "allow" | "prefer") => {}
                "sslmode" | "ssl" => {
                    return Err(format!(
                        "{key}={value}: TLS connections to the database are not supported yet"
                    ))
                }
                // Other driver properties have no meaning here.
                _ => {}
            }
        }
        pg.connect_timeout(connect_timeout);
        let manager = Manager::from_config(
            pg,
            NoTls,
            ManagerConfig {
                // A closed connection (the server restarted) is replaced on its next borrow.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let max_size = cfg.max_total.max(1);
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .wait_timeout(Some(cfg.timeout))
            .create_timeout(Some(connect_timeout))
            .recycle_timeout(Some(connect_timeout))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| format!("cannot build the connection pool: {e}"))?;
        Ok(Arc::new(Database {
            pool,
            place: format!("{}:{}/{}", target.host, target.port, target.database),
            pool_timeout: cfg.timeout,
            max_size,
            connect_timeout,
        }))
    }

    /// Where it points (`host:port/database`).
    pub fn place(&self) -> &str {
        &self.place
    }

    /// How long deploy-time work may wait for the database: a connection, then the answer.
    pub fn deploy_timeout(&self) -> Duration {
        self.connect_timeout + Duration::from_secs(10)
    }

    fn pool_error(&self, e: PoolError) -> String {
        match e {
            PoolError::Timeout(deadpool_postgres::TimeoutType::Wait) => format!(
                "no free connection to the database {} within {} (all {} in use)",
                self.place,
                humantime::format_duration(self.pool_timeout),
                self.max_size
            ),
            PoolError::Timeout(_) => format!(
                "cannot connect to the database {}: no answer within {}",
                self.place,
                humantime::format_duration(self.connect_timeout)
            ),
            PoolError::Backend(e) => {
                format!(
                    "cannot connect to the database {}: {}",
                    self.place,
                    pg_message(&e)
                )
            }
            other => format!("cannot connect to the database {}: {other}", self.place),
        }
    }

    /// Prepares `sql` without running it.
    pub async fn prepare(self: Arc<Self>, sql: String) -> Result<Prepared, PrepareError> {
        let client = self
            .pool
            .get()
            .await
            .map_err(|e| PrepareError::Unreachable(self.pool_error(e)))?;
        let st = client.prepare(&sql).await.map_err(|e| {
            if e.as_db_error().is_some() {
                PrepareError::Refused(pg_message(&e))
            } else {
                PrepareError::Unreachable(format!(
                    "the database {} failed: {}",
                    self.place,
                    pg_message(&e)
                ))
            }
        })?;
        Ok(Prepared {
            params: st.params().to_vec(),
            columns: st
                .columns()
                .iter()
                .map(|c| (c.name().to_string(), c.type_().clone()))
                .collect(),
        })
    }

    /// Runs a statement; rows beyond `max_rows` are an error (the evaluation budget's
    /// collection bound), not read.
    pub async fn execute(
        &self,
        sql: &str,
        strategy: Strategy,
        args: &[Arg],
        columns: &[Str],
        max_rows: usize,
    ) -> Result<Value, String> {
        let client = self.pool.get().await.map_err(|e| self.pool_error(e))?;
        let failed = |e: tokio_postgres::Error| {
            format!(
                "the query failed on the database {}: {}",
                self.place,
                pg_message(&e)
            )
        };
        // Prepared once per connection (deadpool's statement cache).
        let st = client.prepare_cached(sql).await.map_err(failed)?;
        let params: Vec<&(dyn ToSql + Sync)> =
            args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        if strategy == Strategy::UpdatesCount {
            let n = client.execute(&st, &params).await.map_err(failed)?;
            return Ok(i32::try_from(n).map_or(Value::Long(n as i64), Value::Int));
        }
        let rows = client
            .query_raw(&st, params.iter().copied())
            .await
            .map_err(failed)?;
        let mut rows = std::pin::pin!(rows);
        let mut out = Vec::new();
        while let Some(row) = rows.next().await {
            let row = row.map_err(failed)?;
            let mut m = Value::map_with_capacity(columns.len());
            for (i, name) in columns.iter().enumerate() {
                let v = types::cell(&row, i)
                    .map_err(|e| format!("column '{name}': {}", pg_message(&e)))?;
                m.insert(Value::Str(name.clone()), v);
            }
            if strategy == Strategy::Single {
                // The first row; the others are not read (the stream is dropped).
                return Ok(Value::map(m));
            }
            if out.len() == max_rows {
                return Err(format!(
                    "the query returned more than {max_rows} rows (the evaluation's collection limit)"
                ));
            }
            out.push(Value::map(m));
        }
        Ok(match strategy {
            Strategy::Single => Value::Null,
            _ => Value::list(out),
        })
    }
}

/// A PostgreSQL error as the server words it, with its position when it has one.
pub fn pg_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(tokio_postgres::error::ErrorPosition::Original(p)) = db.position() {
                m.push_str(&format!(" (at character {p})"));
            }
            m
        }
        // "error connecting to server: Connection refused (os error 111)": the chain.
        None => crate::error_chain(e),
    }
}
