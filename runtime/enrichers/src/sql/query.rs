//! The two SQL components: their parameters (`enrichers.md` §2.4, §2.6), compiled against the
//! database at deploy time, and the service that runs the statement per input.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use moka::future::Cache;
use scenic_scenario::graph::{Ctx, Failure, Param, ParamCompiler, Service, ServiceFactory};
use scenic_spel::types::Fields;
use scenic_spel::value::Obj;
use scenic_spel::{Class, EvalEnv, Str, Type, Value};

use super::placeholders::number_placeholders;
use super::types::{column_type, Arg};
use super::{Database, PrepareError, Prepared, Strategy, SERVICE_NAME};
use crate::metrics::ServiceMetrics;

/// A node's result cache: arguments → result (null and empty results too).
type ResultCache = Cache<Vec<Value>, Value>;

/// `databaseQueryEnricher`: any statement, with `?` arguments.
pub struct QueryFactory {
    pub component: String,
    pub db: Arc<Database>,
    pub cache_max_entries: u64,
}

/// `databaseLookupEnricher`: one row of a table by a key column.
pub struct LookupFactory {
    pub component: String,
    pub db: Arc<Database>,
    pub cache_max_entries: u64,
}

/// A constant parameter (the reference's eager ones), evaluated at deploy time. `Ok(None)` when
/// the node does not have it or it is blank; `Err(())` when an error was recorded.
fn eager(pc: &mut dyn ParamCompiler, name: &str, expected: &Type) -> Result<Option<Value>, ()> {
    match pc.raw(name) {
        None => return Ok(None),
        Some(e) if e.expression.trim().is_empty() => return Ok(None),
        Some(_) => {}
    }
    let param = pc.compile(name, Some(expected)).ok_or(())?;
    let ctx: Ctx = vec![Value::Null; pc.slots()];
    match param.eval(&ctx, &EvalEnv::default()) {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            pc.error(Some(name), format!("{name} must be a constant: {e}"));
            Err(())
        }
    }
}

fn eager_string(pc: &mut dyn ParamCompiler, name: &str) -> Result<Option<String>, ()> {
    Ok(eager(pc, name, &Type::class(Class::String))?.and_then(|v| v.as_str().map(str::to_string)))
}

/// `Cache TTL`: a `java.time.Duration`; absent, blank or zero means no cache.
fn cache_ttl(pc: &mut dyn ParamCompiler) -> Result<Option<Duration>, ()> {
    let v = eager(pc, "Cache TTL", &Type::class(Class::Duration))?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Obj(o)) => match &*o {
            Obj::Duration(d) => Ok(d.to_std().ok().filter(|d| !d.is_zero())),
            _ => Ok(None),
        },
        Some(_) => Ok(None),
    }
}

fn cache(ttl: Option<Duration>, max_entries: u64) -> Option<ResultCache> {
    ttl.map(|ttl| {
        Cache::builder()
            .time_to_live(ttl)
            .max_capacity(max_entries)
            .build()
    })
}

/// Prepares `sql` on the component's database at deploy time; failures are recorded on the
/// node (on `parameter` when the database refused the statement).
fn prepare(
    pc: &mut dyn ParamCompiler,
    component: &str,
    db: &Arc<Database>,
    sql: &str,
    parameter: &str,
) -> Option<Prepared> {
    let timeout = db.deploy_timeout();
    let result =
        crate::io::block_on(db.clone().prepare(sql.to_string()), timeout).unwrap_or_else(|e| {
            Err(PrepareError::Unreachable(format!(
                "the database {}: {e}",
                db.place()
            )))
        });
    match result {
        Ok(p) => Some(p),
        Err(PrepareError::Refused(m)) => {
            pc.error(Some(parameter), m);
            None
        }
        Err(PrepareError::Unreachable(m)) => {
            pc.error(None, format!("Could not create {component}: {m}"));
            None
        }
    }
}

/// The record type of a row of these columns.
fn row_type(columns: &[(String, tokio_postgres::types::Type)]) -> Type {
    let mut fields = Fields::default();
    for (name, t) in columns {
        fields.insert(Str::from(name.as_str()), column_type(t));
    }
    Type::record(fields)
}

impl ServiceFactory for QueryFactory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let strategy = match eager_string(pc, "Result strategy") {
            Ok(Some(s)) => match Strategy::parse(&s) {
                Some(st) => st,
                None => {
                    pc.error(
                        Some("Result strategy"),
                        format!(
                            "Unknown result strategy '{s}': use one of {}",
                            Strategy::NAMES.map(|n| format!("'{n}'")).join(", ")
                        ),
                    );
                    return None;
                }
            },
            Ok(None) => {
                pc.error(
                    Some("Result strategy"),
                    "Missing parameter 'Result strategy'".into(),
                );
                return None;
            }
            Err(()) => return None,
        };
        let query = match eager_string(pc, "Query") {
            Ok(Some(q)) if !q.trim().is_empty() => q,
            Ok(_) => {
                pc.error(Some("Query"), "Query is missing".into());
                return None;
            }
            Err(()) => return None,
        };
        let ttl = cache_ttl(pc).ok()?;
        let (sql, _) = number_placeholders(&query);
        let prepared = prepare(pc, &self.component, &self.db, &sql, "Query")?;
        if prepared.columns.is_empty() && strategy != Strategy::UpdatesCount {
            pc.error(Some("Query"), "Prepared query returns no columns".into());
            return None;
        }
        let mut args = Vec::with_capacity(prepared.params.len());
        for i in 1..=prepared.params.len() {
            args.push(pc.required(&format!("arg{i}"), None)?);
        }
        let output = match strategy {
            Strategy::ResultSet => Type::list(row_type(&prepared.columns)),
            Strategy::Single => row_type(&prepared.columns),
            Strategy::UpdatesCount => Type::class(Class::Integer),
        };
        let service = SqlService::new(
            pc.scenario_name(),
            &self.db,
            sql,
            strategy,
            args,
            &prepared,
            cache(ttl, self.cache_max_entries),
        );
        Some((Arc::new(service), output))
    }
}

/// A column name quoted as an identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl ServiceFactory for LookupFactory {
    fn create(&self, pc: &mut dyn ParamCompiler) -> Option<(Arc<dyn Service>, Type)> {
        let table = match eager_string(pc, "Table") {
            Ok(Some(t)) if !t.trim().is_empty() => t,
            Ok(_) => {
                pc.error(Some("Table"), "Table name is missing".into());
                return None;
            }
            Err(()) => return None,
        };
        let ttl = cache_ttl(pc).ok()?;
        // The table name goes in as written (the database folds its case), as in the reference.
        let all = prepare(
            pc,
            &self.component,
            &self.db,
            &format!("SELECT * FROM {table}"),
            "Table",
        )?;
        if all.columns.is_empty() {
            pc.error(Some("Table"), "Prepared query returns no columns".into());
            return None;
        }
        let key = match eager_string(pc, "Key column") {
            Ok(Some(k)) if !k.is_empty() => k,
            Ok(_) => {
                pc.error(Some("Key column"), "Missing parameter 'Key column'".into());
                return None;
            }
            Err(()) => return None,
        };
        let Some((_, key_type)) = all.columns.iter().find(|(n, _)| *n == key) else {
            let names: Vec<&str> = all.columns.iter().map(|(n, _)| n.as_str()).collect();
            pc.error(
                Some("Key column"),
                format!(
                    "Invalid key column: {key}. Available columns: {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        let key_value = pc.required("Key value", Some(&column_type(key_type)))?;
        let sql = format!("SELECT * FROM {table} WHERE {} = $1", quote_ident(&key));
        let prepared = prepare(pc, &self.component, &self.db, &sql, "Key column")?;
        let output = row_type(&prepared.columns);
        let service = SqlService::new(
            pc.scenario_name(),
            &self.db,
            sql,
            Strategy::Single,
            vec![key_value],
            &prepared,
            cache(ttl, self.cache_max_entries),
        );
        Some((Arc::new(service), output))
    }
}

/// What a call needs on the I/O runtime.
struct Statement {
    db: Arc<Database>,
    sql: String,
    strategy: Strategy,
    columns: Vec<Str>,
}

/// One SQL node, compiled.
pub struct SqlService {
    /// The scenario's name, for the metrics.
    scenario: String,
    statement: Arc<Statement>,
    args: Vec<Param>,
    cache: Option<ResultCache>,
}

impl std::fmt::Debug for SqlService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SqlService({})", self.statement.sql)
    }
}

impl SqlService {
    fn new(
        scenario: &str,
        db: &Arc<Database>,
        sql: String,
        strategy: Strategy,
        args: Vec<Param>,
        prepared: &Prepared,
        cache: Option<ResultCache>,
    ) -> SqlService {
        SqlService {
            scenario: scenario.to_string(),
            statement: Arc::new(Statement {
                db: db.clone(),
                sql,
                strategy,
                columns: prepared
                    .columns
                    .iter()
                    .map(|(n, _)| Str::from(n.as_str()))
                    .collect(),
            }),
            args,
            cache,
        }
    }

    async fn query(
        &self,
        args: Vec<Value>,
        deadline: Option<Instant>,
        max_rows: usize,
    ) -> Result<Value, String> {
        let st = self.statement.clone();
        crate::io::call(
            async move {
                let args: Vec<Arg> = args.into_iter().map(Arg).collect();
                st.db
                    .execute(&st.sql, st.strategy, &args, &st.columns, max_rows)
                    .await
            },
            deadline,
            "the database",
        )
        .await
    }
}

impl Service for SqlService {
    fn invoke<'a>(
        &'a self,
        ctx: &'a Ctx,
        env: &'a EvalEnv,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        let args: Result<Vec<Value>, Failure> =
            self.args.iter().map(|p| p.eval(ctx, env)).collect();
        Box::pin(async move {
            let args = args?;
            let deadline = env.budget.deadline();
            let max_rows = env.budget.limits().max_collection_len;
            let started = Instant::now();
            let result = match &self.cache {
                None => self.query(args, deadline, max_rows).await,
                // Concurrent misses of one key share one query; a failure is not cached.
                Some(cache) => cache
                    .try_get_with(args.clone(), self.query(args, deadline, max_rows))
                    .await
                    .map_err(|e: Arc<String>| (*e).clone()),
            };
            ServiceMetrics::get().observe(
                &self.scenario,
                SERVICE_NAME,
                result.is_ok(),
                started.elapsed(),
            );
            let v = result.map_err(Failure::Component)?;
            env.budget.check_value(&v)?;
            env.budget.charge(v.size())?;
            Ok(v)
        })
    }

    /// `Updates count` changes the database: test runs skip it.
    fn has_side_effects(&self) -> bool {
        self.statement.strategy == Strategy::UpdatesCount
    }
}
