//! The gateway's Prometheus series: answers by scenario (slug), the version that served and
//! status; retries by reason; upstream latency; and each backend's readiness and weight.

use std::time::Duration;

use actix_web::http::StatusCode;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

use super::table::RouteTable;

pub struct GatewayMetrics {
    registry: Registry,
    answers: IntCounterVec,
    retries: IntCounterVec,
    upstream: HistogramVec,
}

/// Builds a metric whose options are constants; an invalid one is a programming error caught
/// by the gateway's tests, and aborts rather than panics on a path input cannot reach.
fn ok<T>(r: prometheus::Result<T>) -> T {
    r.unwrap_or_else(|_| std::process::abort())
}

impl Default for GatewayMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl GatewayMetrics {
    pub fn new() -> GatewayMetrics {
        let registry = Registry::new();
        let answers = ok(IntCounterVec::new(
            Opts::new(
                "scenic_gateway_requests_total",
                "Scenario requests by slug, the version that served them (empty when none did) and status",
            ),
            &["scenario", "version", "status"],
        ));
        let retries = ok(IntCounterVec::new(
            Opts::new(
                "scenic_gateway_retries_total",
                "Requests sent to another backend because the first never reached a scenario (connect, draining)",
            ),
            &["reason"],
        ));
        let upstream = ok(HistogramVec::new(
            HistogramOpts::new(
                "scenic_gateway_upstream_duration_seconds",
                "Time from sending a request to a backend to its answer's head",
            )
            .buckets(vec![
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["scenario"],
        ));
        // Registration fails only for duplicate names, which these constants are not.
        let _ = registry.register(Box::new(answers.clone()));
        let _ = registry.register(Box::new(retries.clone()));
        let _ = registry.register(Box::new(upstream.clone()));
        #[cfg(target_os = "linux")]
        {
            let _ = registry.register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ));
        }
        GatewayMetrics {
            registry,
            answers,
            retries,
            upstream,
        }
    }

    /// Counts one answer. A slug the table does not route is counted with an empty
    /// `scenario`, so that random paths do not grow the series.
    pub fn answered(&self, slug: &str, version: &str, status: StatusCode) {
        self.answers
            .with_label_values(&[slug, version, status.as_str()])
            .inc();
    }

    pub fn retry(&self, reason: &str) {
        self.retries.with_label_values(&[reason]).inc();
    }

    pub fn upstream(&self, slug: &str, took: Duration) {
        self.upstream
            .with_label_values(&[slug])
            .observe(took.as_secs_f64());
    }

    /// The exposition, with each backend's readiness and weight as the table has them now.
    pub fn render(&self, table: &RouteTable) -> String {
        let mut families = self.registry.gather();
        let backends = ok(prometheus::IntGaugeVec::new(
            Opts::new(
                "scenic_gateway_backend_ready",
                "1 while a backend of a scenario is ready (it gets traffic only then)",
            ),
            &["scenario", "backend", "version"],
        ));
        let weights = ok(prometheus::IntGaugeVec::new(
            Opts::new(
                "scenic_gateway_backend_weight",
                "A backend's share of its scenario's traffic",
            ),
            &["scenario", "backend", "version"],
        ));
        for (slug, route) in &table.routes {
            for b in &route.backends {
                let version = b.version().unwrap_or_default();
                let labels = [slug.as_str(), &*b.url, &*version];
                backends
                    .with_label_values(&labels)
                    .set(i64::from(b.state.is_ready()));
                weights.with_label_values(&labels).set(i64::from(b.weight));
            }
        }
        families.extend(prometheus::core::Collector::collect(&backends));
        families.extend(prometheus::core::Collector::collect(&weights));
        families.sort_by(|a, b| a.name().cmp(b.name()));
        let mut out = String::new();
        let _ = prometheus::TextEncoder::new().encode_utf8(&families, &mut out);
        out
    }
}
