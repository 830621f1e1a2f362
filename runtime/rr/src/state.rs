//! Deployed scenarios by slug. A deployment is compiled before it is published, and swapping
//! one in replaces an `Arc`: requests in flight keep the version they started with.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use prometheus::{Histogram, IntCounter};
use scenic_openapi::ScenarioApi;
use scenic_scenario::CompiledScenario;

use crate::metrics::{Metrics, FAILURE, REJECTED, SUCCESS};

/// Metric handles of one deployment, resolved once (no label lookups per request).
pub struct DeployedMetrics {
    pub success: IntCounter,
    pub failure: IntCounter,
    pub rejected: IntCounter,
    pub success_latency: Histogram,
    pub failure_latency: Histogram,
    /// The same latencies over the InfluxDB reporter's sliding window.
    pub windows: Arc<crate::metrics::InvocationWindows>,
    /// Invocations stopped by a budget, by budget.
    pub exhausted: ExhaustedCounters,
}

/// `scenic_budget_exhausted_total` of one scenario, a handle per budget.
pub struct ExhaustedCounters(Vec<(&'static str, IntCounter)>);

impl ExhaustedCounters {
    pub fn inc_by_label(&self, budget: &str) {
        if let Some((_, c)) = self.0.iter().find(|(b, _)| *b == budget) {
            c.inc();
        }
    }
}

/// A scenario ready to serve, with its OpenAPI document.
pub struct Deployed {
    pub scenario: Arc<CompiledScenario>,
    pub api: ScenarioApi,
    /// The scenario's own document (pretty JSON), served at `definition`.
    pub definition: String,
    pub metrics: DeployedMetrics,
    /// `Scenic-Scenario-Version` on every invocation response, built once.
    pub version_header: actix_web::http::header::HeaderValue,
    /// The source node's id, named by input errors.
    pub source_id: Option<String>,
    /// When an invocation of this deployment was last moved off an I/O thread (milliseconds
    /// since the process started, 0 = never): the next ones start on the compute pool.
    preempted_at: AtomicU64,
}

/// How long a deployment whose invocation was preempted starts its invocations on the pool.
const PREEMPTED_MEMORY: Duration = Duration::from_secs(1);

fn process_millis() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

impl Deployed {
    pub fn new(scenario: Arc<CompiledScenario>, metrics: &Metrics) -> Deployed {
        let schema_json = |s: Option<&Arc<scenic_scenario::schema::JsonSchema>>| {
            s.map(|s| s.raw().clone()).unwrap_or(serde_json::json!({}))
        };
        let api = ScenarioApi {
            name: scenario.name().to_string(),
            slug: scenario.slug().to_string(),
            description: scenario.description().map(str::to_string),
            version: scenario.version().to_string(),
            input_schema: schema_json(scenario.input_schema()),
            output_schema: schema_json(scenario.output_schema()),
        };
        let definition = serde_json::to_string_pretty(&scenic_openapi::scenario_document(&api))
            .unwrap_or_else(|_| "{}".into());
        let name = scenario.name();
        let m = DeployedMetrics {
            success: metrics.invocations.with_label_values(&[name, SUCCESS]),
            failure: metrics.invocations.with_label_values(&[name, FAILURE]),
            rejected: metrics.invocations.with_label_values(&[name, REJECTED]),
            success_latency: metrics.latency.with_label_values(&[name, SUCCESS]),
            failure_latency: metrics.latency.with_label_values(&[name, FAILURE]),
            windows: metrics.windows_of(name),
            exhausted: ExhaustedCounters(
                crate::metrics::BUDGETS
                    .iter()
                    .map(|b| (*b, metrics.exhausted.with_label_values(&[name, b])))
                    .collect(),
            ),
        };
        // The version is a hex hash, always a valid header value.
        let version_header = actix_web::http::header::HeaderValue::from_str(scenario.version())
            .unwrap_or(actix_web::http::header::HeaderValue::from_static("unknown"));
        let source_id = Some(scenario.graph().source_id().to_string());
        Deployed {
            scenario,
            api,
            definition,
            metrics: m,
            version_header,
            source_id,
            preempted_at: AtomicU64::new(0),
        }
    }

    /// An invocation ran past its slice on the I/O thread: the next ones of the next second
    /// start on the compute pool (a flood of heavy requests does not cost the I/O threads a
    /// slice each).
    pub fn mark_preempted(&self) {
        self.preempted_at.store(process_millis(), Ordering::Relaxed);
    }

    pub fn recently_preempted(&self) -> bool {
        let at = self.preempted_at.load(Ordering::Relaxed);
        at != 0 && process_millis().saturating_sub(at) < PREEMPTED_MEMORY.as_millis() as u64
    }
}

#[derive(Default)]
pub struct Scenarios {
    by_slug: RwLock<HashMap<String, Arc<Deployed>>>,
}

impl Scenarios {
    pub fn new() -> Scenarios {
        Scenarios::default()
    }

    pub fn get(&self, slug: &str) -> Option<Arc<Deployed>> {
        self.by_slug.read().ok().and_then(|m| m.get(slug).cloned())
    }

    /// Publishes a deployment under its slug; a slug owned by another scenario is refused.
    pub fn deploy(&self, d: Deployed) -> Result<Arc<Deployed>, String> {
        self.replace(None, d)
    }

    /// Publishes a deployment in place of the one at `previous` (a redeploy that changes the
    /// slug), in one step. Refused: a slug served by another scenario, and a scenario name
    /// (`metaData.id`) served at another slug, whose metrics would mix with this one's.
    pub fn replace(&self, previous: Option<&str>, d: Deployed) -> Result<Arc<Deployed>, String> {
        let d = Arc::new(d);
        let mut m = self
            .by_slug
            .write()
            .map_err(|_| "scenario table is unavailable".to_string())?;
        let (slug, name) = (d.scenario.slug(), d.scenario.name());
        if let Some(existing) = m.get(slug) {
            if existing.scenario.name() != name && previous != Some(slug) {
                return Err(format!(
                    "Slug '{slug}' is already used by scenario '{}'",
                    existing.scenario.name()
                ));
            }
        }
        if let Some((other, _)) = m.iter().find(|(s, e)| {
            e.scenario.name() == name && s.as_str() != slug && Some(s.as_str()) != previous
        }) {
            return Err(format!(
                "Scenario '{name}' is already served at slug '{other}'"
            ));
        }
        if let Some(old) = previous.filter(|old| *old != slug) {
            m.remove(old);
        }
        m.insert(slug.to_string(), d.clone());
        Ok(d)
    }

    pub fn remove(&self, slug: &str) -> Option<Arc<Deployed>> {
        self.by_slug.write().ok().and_then(|mut m| m.remove(slug))
    }

    /// Removes the deployment at `slug` only if it is scenario `name`.
    pub fn remove_if(&self, slug: &str, name: &str) -> Option<Arc<Deployed>> {
        let mut m = self.by_slug.write().ok()?;
        if m.get(slug)?.scenario.name() != name {
            return None;
        }
        m.remove(slug)
    }

    /// Every deployment, ordered by slug.
    pub fn all(&self) -> Vec<Arc<Deployed>> {
        let mut v: Vec<Arc<Deployed>> = self
            .by_slug
            .read()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default();
        v.sort_by(|a, b| a.scenario.slug().cmp(b.scenario.slug()));
        v
    }
}
