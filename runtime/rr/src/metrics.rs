//! Prometheus series (`decisions.md` §7): invocations and their latency per scenario and
//! outcome, and per-node counts read from the compiled scenarios' counters at scrape time.
//! A redeploy keeps a scenario's series; a cancel removes them (`Metrics::remove_scenario`).

use std::sync::Arc;

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use scenic_scenario::metrics::{NodeCollector, WindowHistogram};

use crate::state::Scenarios;

pub struct Metrics {
    pub registry: Registry,
    pub invocations: IntCounterVec,
    pub latency: HistogramVec,
    /// HTTP requests by route class and status (`scenic_http_requests_total`).
    pub http: HttpCounters,
    /// Deploys by outcome: deployed, redeployed, failed (`scenic_deploys_total`).
    pub deploys: IntCounterVec,
    /// Invocations stopped by a budget: time, memory, size, depth (`scenic_budget_exhausted_total`).
    pub exhausted: IntCounterVec,
    /// The sliding-window histograms of the InfluxDB reporter, by scenario name: shared by a
    /// scenario's deployments, so a redeploy carries on.
    windows: std::sync::Mutex<std::collections::HashMap<String, Arc<InvocationWindows>>>,
    /// What else keeps series by scenario (the enrichers' service metrics, which this crate
    /// does not know): each is told when a scenario's series go.
    removers: std::sync::Mutex<Vec<fn(&str)>>,
}

/// A scenario's invocation latencies over the reference's sliding window (nanoseconds):
/// `invocation.success.histogram`, and `invocation.failure.histogram` by failing node (once per
/// error, `unknown` when no node is named), as the reference records them.
#[derive(Debug, Default)]
pub struct InvocationWindows {
    pub success: WindowHistogram,
    failures: std::sync::Mutex<std::collections::HashMap<String, Arc<WindowHistogram>>>,
}

impl InvocationWindows {
    /// Records a failed invocation for each node it names (nothing while no reporter reads
    /// the windows: the failure path then costs one relaxed load).
    pub fn record_failure(&self, e: &scenic_scenario::InvokeError, took: std::time::Duration) {
        use scenic_scenario::InvokeError;
        if !scenic_scenario::metrics::windows_enabled() {
            return;
        }
        let nodes: Vec<&str> = match e {
            InvokeError::Failed { errors, .. } => errors.iter().map(|err| &*err.node_id).collect(),
            InvokeError::ResponseOverLimit { node_id, .. } => vec![&**node_id],
            _ => Vec::new(),
        };
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if nodes.is_empty() {
            map.entry("unknown".into()).or_default().record(took);
        }
        for node in nodes {
            map.entry(node.to_string()).or_default().record(took);
        }
    }

    /// The failure windows by node id.
    pub fn failures(&self) -> Vec<(String, Arc<WindowHistogram>)> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// The budgets an invocation can run out of, as label values of `scenic_budget_exhausted_total`.
pub const BUDGETS: [&str; 4] = ["time", "memory", "size", "depth"];

/// The route class of a request path, as the label of `scenic_http_requests_total` (a few
/// fixed values: paths are not labels, so a scan of random URLs cannot grow the series).
pub fn route_class(path: &str, single: bool) -> Route {
    match path {
        "/alive" | "/ready" => Route::Health,
        "/metrics" => Route::Metrics,
        "/openapi.json" | "/definition" => Route::Docs,
        p if p.starts_with("/swagger-ui") => Route::Docs,
        p if p.starts_with("/api/") || p == "/api" => Route::Api,
        p if p.starts_with("/scenario/") => {
            let rest = &p["/scenario/".len()..];
            if rest.contains("/definition") || rest.contains("/swagger-ui") {
                Route::Docs
            } else {
                Route::Scenario
            }
        }
        "/" if single => Route::Scenario,
        _ => Route::Other,
    }
}

/// The route classes of `scenic_http_requests_total`: a closed set, so that paths never
/// become labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Scenario,
    Docs,
    Health,
    Metrics,
    Api,
    Other,
}

impl Route {
    pub const ALL: [Route; 6] = [
        Route::Scenario,
        Route::Docs,
        Route::Health,
        Route::Metrics,
        Route::Api,
        Route::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Route::Scenario => "scenario",
            Route::Docs => "docs",
            Route::Health => "health",
            Route::Metrics => "metrics",
            Route::Api => "api",
            Route::Other => "other",
        }
    }
}

/// Statuses common enough to keep their counters at hand ([`HttpCounters`]).
const COMMON_STATUSES: [u16; 8] = [200, 204, 400, 404, 405, 413, 500, 503];

/// `scenic_http_requests_total` with the counters of the common statuses resolved once, on
/// their first use: counting an answer is then an index and an atomic add, without hashing
/// the labels (a series appears only once it has been counted, as with the plain vec).
pub struct HttpCounters {
    vec: IntCounterVec,
    resolved:
        [[std::sync::OnceLock<prometheus::IntCounter>; COMMON_STATUSES.len()]; Route::ALL.len()],
}

impl HttpCounters {
    fn new(vec: IntCounterVec) -> HttpCounters {
        HttpCounters {
            vec,
            resolved: Default::default(),
        }
    }

    /// Counts one answer of `route` with `status`.
    pub fn count(&self, route: Route, status: actix_web::http::StatusCode) {
        let code = status.as_u16();
        match COMMON_STATUSES.iter().position(|s| *s == code) {
            Some(i) => self.resolved[route as usize][i]
                .get_or_init(|| {
                    self.vec
                        .with_label_values(&[route.as_str(), status.as_str()])
                })
                .inc(),
            None => self
                .vec
                .with_label_values(&[route.as_str(), status.as_str()])
                .inc(),
        }
    }
}

/// The budget a failed invocation ran out of, if any.
pub fn exhausted_budget(e: &scenic_scenario::InvokeError) -> Option<&'static str> {
    use scenic_scenario::InvokeError;
    use scenic_spel::eval::LimitError;
    match e {
        InvokeError::Timeout => Some("time"),
        InvokeError::Failed { errors, .. } => errors.iter().find_map(|err| match &err.failure {
            scenic_scenario::Failure::Limit(l)
            | scenic_scenario::Failure::Expression {
                error:
                    scenic_spel::RuntimeError {
                        error: scenic_spel::EvalError::Limit(l),
                        ..
                    },
                ..
            } => Some(match l {
                LimitError::Deadline | LimitError::Preempted => "time",
                LimitError::Memory { .. } => "memory",
                LimitError::ValueTooDeep { .. } => "depth",
                _ => "size",
            }),
            scenic_scenario::Failure::OutOfBudget => Some("memory"),
            _ => None,
        }),
        _ => None,
    }
}

/// Outcomes of an invocation, as label values.
pub const SUCCESS: &str = "success";
pub const FAILURE: &str = "failure";
pub const REJECTED: &str = "rejected";

impl Metrics {
    pub fn new(scenarios: Arc<Scenarios>) -> Metrics {
        let registry = Registry::new();
        let invocations = IntCounterVec::new(
            Opts::new(
                "scenic_invocations_total",
                "Scenario invocations by outcome (success, failure, rejected input)",
            ),
            &["scenario", "outcome"],
        )
        .unwrap_or_else(|_| unreachable_metric());
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "scenic_invocation_duration_seconds",
                "Scenario invocation latency by outcome",
            )
            .buckets(vec![
                0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["scenario", "outcome"],
        )
        .unwrap_or_else(|_| unreachable_histogram());
        // Registration fails only for duplicate names, which these constants are not.
        let _ = registry.register(Box::new(invocations.clone()));
        let _ = registry.register(Box::new(latency.clone()));
        let counter = |name: &str, help: &str, labels: &[&str]| {
            IntCounterVec::new(Opts::new(name, help), labels)
                .unwrap_or_else(|_| unreachable_metric())
        };
        let http = counter(
            "scenic_http_requests_total",
            "HTTP requests by route class (scenario, docs, health, metrics, api, other) and status",
            &["route", "status"],
        );
        let deploys = counter(
            "scenic_deploys_total",
            "Scenario deploys by outcome (deployed, redeployed, failed)",
            &["outcome"],
        );
        let exhausted = counter(
            "scenic_budget_exhausted_total",
            "Invocations stopped by an evaluation budget (time, memory, size, depth)",
            &["scenario", "budget"],
        );
        let build = prometheus::IntGaugeVec::new(
            Opts::new("scenic_build_info", "Scenic's version; always 1"),
            &["version"],
        );
        if let Ok(build) = &build {
            build.with_label_values(&[env!("CARGO_PKG_VERSION")]).set(1);
            let _ = registry.register(Box::new(build.clone()));
        }
        for c in [&http, &deploys, &exhausted] {
            let _ = registry.register(Box::new(c.clone()));
        }
        #[cfg(target_os = "linux")]
        {
            let _ = registry.register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ));
        }
        let table = scenarios.clone();
        let _ = registry.register(Box::new(NodeCollector::new(Arc::new(move || {
            table.all().iter().map(|d| d.scenario.clone()).collect()
        }))));
        Metrics {
            registry,
            invocations,
            latency,
            http: HttpCounters::new(http),
            deploys,
            exhausted,
            windows: Default::default(),
            removers: Default::default(),
        }
    }

    /// The window histograms of the scenario named `name` (made on first use).
    pub fn windows_of(&self, name: &str) -> Arc<InvocationWindows> {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        w.entry(name.to_string()).or_default().clone()
    }

    /// Every scenario's window histograms, by name.
    pub fn windows(&self) -> Vec<(String, Arc<InvocationWindows>)> {
        let w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        w.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Removes every series of a cancelled scenario (`decisions.md` §7), by its name (the
    /// `scenario` label): its label values in each vec. Its per-node series go with it: the
    /// node collector reads only deployed scenarios. A redeploy must not call this: its
    /// counters carry on.
    pub fn remove_scenario(&self, scenario: &str) {
        let removers = self
            .removers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for remove in removers {
            remove(scenario);
        }
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(scenario);
        for outcome in [SUCCESS, FAILURE, REJECTED] {
            // Absent label values are not an error here: not every outcome has a series.
            let _ = self.invocations.remove_label_values(&[scenario, outcome]);
            let _ = self.latency.remove_label_values(&[scenario, outcome]);
        }
        for budget in BUDGETS {
            let _ = self.exhausted.remove_label_values(&[scenario, budget]);
        }
    }

    /// Has `remove` called with each scenario whose series [`Metrics::remove_scenario`] removes.
    pub fn on_remove(&self, remove: fn(&str)) {
        self.removers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(remove);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let families = self.registry.gather();
        let mut out = String::new();
        let encoder = prometheus::TextEncoder::new();
        let _ = encoder.encode_utf8(&families, &mut out);
        out
    }
}

fn unreachable_metric() -> IntCounterVec {
    // The options above are valid; this keeps the constructor free of panics.
    IntCounterVec::new(
        Opts::new("scenic_invalid", "invalid"),
        &["scenario", "outcome"],
    )
    .unwrap_or_else(|_| std::process::abort())
}

fn unreachable_histogram() -> HistogramVec {
    HistogramVec::new(
        HistogramOpts::new("scenic_invalid_seconds", "invalid"),
        &["scenario", "outcome"],
    )
    .unwrap_or_else(|_| std::process::abort())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;

    #[test]
    fn http_answers_are_counted_by_class_and_status_and_only_counted_ones_are_series() {
        let m = Metrics::new(Arc::new(Scenarios::new()));
        assert!(!m.render().contains("scenic_http_requests_total{"));
        for _ in 0..3 {
            m.http.count(Route::Scenario, StatusCode::OK);
        }
        m.http
            .count(route_class("/scenario/x/definition", false), StatusCode::OK);
        m.http.count(Route::Other, StatusCode::NOT_FOUND);
        // Not one of the resolved statuses: counted through the vec.
        m.http.count(Route::Scenario, StatusCode::IM_A_TEAPOT);
        m.http.count(Route::Scenario, StatusCode::IM_A_TEAPOT);
        let text = m.render();
        for line in [
            r#"scenic_http_requests_total{route="scenario",status="200"} 3"#,
            r#"scenic_http_requests_total{route="docs",status="200"} 1"#,
            r#"scenic_http_requests_total{route="other",status="404"} 1"#,
            r#"scenic_http_requests_total{route="scenario",status="418"} 2"#,
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
        assert_eq!(
            text.matches("scenic_http_requests_total{").count(),
            4,
            "{text}"
        );
    }
}
