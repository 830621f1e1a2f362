//! Service-call metrics (`enrichers.md` §5): every enricher call is timed, by its
//! `serviceName` (the reference's: `dbQueryEnricher` for every SQL component, the operation's
//! name for OpenAPI ones) and outcome (`OK`, `FAIL`; an empty 404 answer is `OK`).
//!
//! Prometheus: `scenic_service_duration_seconds{service, outcome}`, a histogram (its `_count`
//! is the call count). One set per process, shared by every component and scenario, so that two
//! components with the same service name share their series, as the reference's tags do.

use std::sync::OnceLock;
use std::time::Duration;

use prometheus::{HistogramOpts, HistogramVec};

/// The service-call histograms.
pub struct ServiceMetrics {
    duration: HistogramVec,
}

static METRICS: OnceLock<ServiceMetrics> = OnceLock::new();

/// Buckets from 100 µs to 10 s: a cached lookup to a slow remote service.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

impl ServiceMetrics {
    /// The process's service metrics.
    pub fn get() -> &'static ServiceMetrics {
        METRICS.get_or_init(|| {
            let opts = HistogramOpts::new(
                "scenic_service_duration_seconds",
                "Enricher (service) calls by service name and outcome (OK, FAIL), in seconds",
            )
            .buckets(BUCKETS.to_vec());
            // Constant options and labels: they are valid (the test below builds them).
            let duration = HistogramVec::new(opts, &["service", "outcome"])
                .expect("constant histogram options are valid");
            ServiceMetrics { duration }
        })
    }

    /// Adds the metrics to a registry (the server's `/metrics`); a second registration of the
    /// same registry is ignored.
    pub fn register(&self, registry: &prometheus::Registry) {
        let _ = registry.register(Box::new(self.duration.clone()));
    }

    /// Records one call.
    pub fn observe(&self, service: &str, ok: bool, elapsed: Duration) {
        self.duration
            .with_label_values(&[service, if ok { "OK" } else { "FAIL" }])
            .observe(elapsed.as_secs_f64());
    }

    /// Calls recorded so far for `service` with that outcome.
    pub fn count(&self, service: &str, ok: bool) -> u64 {
        self.duration
            .with_label_values(&[service, if ok { "OK" } else { "FAIL" }])
            .get_sample_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_counted_by_service_and_outcome_and_exported() {
        let m = ServiceMetrics::get();
        m.observe("metrics-test", true, Duration::from_millis(2));
        m.observe("metrics-test", false, Duration::from_millis(3));
        m.observe("metrics-test", true, Duration::from_millis(1));
        assert_eq!(m.count("metrics-test", true), 2);
        assert_eq!(m.count("metrics-test", false), 1);
        let r = prometheus::Registry::new();
        m.register(&r);
        m.register(&r);
        let mut text = String::new();
        prometheus::TextEncoder::new()
            .encode_utf8(&r.gather(), &mut text)
            .expect("encodes");
        assert!(
            text.contains(
                "scenic_service_duration_seconds_count{outcome=\"OK\",service=\"metrics-test\"} 2"
            ),
            "{text}"
        );
    }
}
